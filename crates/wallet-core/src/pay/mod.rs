//! Paying: payment requests (EIP-681 links and QR codes) and payments (quote → sign → store → send →
//! confirm), on chain or gasless (a shop's x402 link, paid with an EIP-3009 authorization).

pub mod approve;
pub mod broadcast;
pub mod choice;
pub mod clock;
pub mod fees;
pub mod gasless;
pub mod link;
pub mod nft_call;
pub mod nft_send;
pub mod nonce;
pub mod offer;
pub mod payee;
pub mod payment;
pub mod permit2;
pub mod replace;
pub mod request;
pub mod revoke;
pub mod signed;
pub mod verdict;
pub mod warning;
pub mod x402;
