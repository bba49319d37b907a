#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod chain;
pub mod error;
pub mod keys;
pub mod nft;
pub mod pay;
pub mod secret;
pub mod session;
pub mod store;
pub mod store_kind;
pub mod text;
pub mod vault;
pub mod wallet;

pub use error::{Blocker, Error, ErrorCode, Result};
pub use keys::mnemonic::{Language, RecoveryPhrase};
pub use secret::{SecretBytes, SecretString, Seed};
pub use store_kind::StoreKind;
pub use wallet::{AccountInfo, Wallet, WalletInfo, WalletOptions};
