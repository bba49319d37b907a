//! Tender's development tooling, apart from the shopper's core: the local dev chain
//! ([`devnet`]: anvil with the store token at fixed addresses), the demo merchant's order book
//! ([`merchant`]: one deposit address per order, checked with one balance sync) and its checkout
//! page ([`shop`], on axum). Used by `tender devnet`, `tender merchant`, the app's debug builds,
//! the tests, the benchmarks and the demo.
#![forbid(unsafe_code)]

pub mod devnet;
pub mod gateway;
pub mod merchant;
pub mod retailer;
pub mod shop;
