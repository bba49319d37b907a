//! Keys: the recovery phrase (BIP39), derivation (BIP32/BIP44), addresses (EIP-55) and the signer
//! (transactions, EIP-191, EIP-712). Pure computation: no storage, no network.

pub mod address;
pub mod derivation;
pub mod mnemonic;
pub mod signer;
