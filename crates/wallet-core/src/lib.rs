#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod address;
pub mod atomic;
pub mod balance;
pub mod db;
pub mod derivation;
pub mod devnet;
pub mod discovery;
pub mod error;
pub mod history;
pub mod keyring;
pub mod merchant;
pub mod mnemonic;
pub mod network;
pub mod payment;
pub mod payment_request;
pub mod secret;
pub mod signer;
pub mod text;
pub mod token;
pub mod transport;
pub mod vault;
pub mod wallet;

pub use error::{Error, Result, StoreKind};
pub use mnemonic::{Language, RecoveryPhrase};
pub use secret::{SecretBytes, SecretString, Seed};
pub use wallet::{AccountInfo, Wallet, WalletInfo, WalletOptions};
