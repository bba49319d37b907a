#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod chain;
pub mod error;
pub mod keys;
pub mod pay;
pub mod secret;
pub mod session;
pub mod store;
pub mod text;
pub mod vault;
pub mod wallet;

pub use error::{Error, ErrorCode, Result, StoreKind};
pub use keys::mnemonic::{Language, RecoveryPhrase};
pub use secret::{SecretBytes, SecretString, Seed};
pub use wallet::{AccountInfo, Wallet, WalletInfo, WalletOptions};
