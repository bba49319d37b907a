//! Hierarchical deterministic derivation (BIP32 on k256) and account paths (BIP44).
//!
//! Tender's accounts live at `m/44'/60'/0'/0/i` (the path MetaMask, Trezor and most wallets use).
//! Ledger Live's `m/44'/60'/i'/0/0` is offered as a second scheme, and any explicit path is accepted.

use std::fmt;
use std::str::FromStr;

use alloy::primitives::Address;
use bip32::ChildNumber;
use k256::ecdsa::SigningKey;

use crate::error::{Error, Result};
use crate::secret::Seed;

/// Indexes at or above this are hardened (BIP32).
const HARDENED: u32 = 1 << 31;

/// A BIP32 derivation path such as `m/44'/60'/0'/0/0`.
#[derive(Clone, PartialEq, Eq)]
pub struct DerivationPath(Vec<ChildNumber>);

impl DerivationPath {
    /// The steps of the path.
    pub fn steps(&self) -> &[ChildNumber] {
        &self.0
    }

    fn to_bip32(&self) -> bip32::DerivationPath {
        let mut path = bip32::DerivationPath::default();
        for step in &self.0 {
            path.push(*step);
        }
        path
    }
}

impl FromStr for DerivationPath {
    type Err = Error;

    /// Parses `m/44'/60'/0'/0/0`; hardened steps may be written with `'`, `h` or `H`.
    fn from_str(s: &str) -> Result<Self> {
        let invalid = |reason: String| Error::InvalidPath { reason };
        let s = s.trim();
        let mut parts = s.split('/');
        if parts.next() != Some("m") {
            return Err(invalid(format!("{s:?} must start with \"m/\"")));
        }
        let mut steps = Vec::new();
        for (i, part) in parts.enumerate() {
            let (digits, hardened) = match part.strip_suffix(['\'', 'h', 'H']) {
                Some(d) => (d, true),
                None => (part, false),
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(format!("step {} ({part:?}) is not a number", i + 1)));
            }
            let index: u32 = digits
                .parse()
                .ok()
                .filter(|n| *n < HARDENED)
                .ok_or_else(|| invalid(format!("step {} ({part:?}) must be below 2^31", i + 1)))?;
            let child = ChildNumber::new(index, hardened).map_err(|e| invalid(e.to_string()))?;
            steps.push(child);
        }
        if steps.len() > 255 {
            return Err(invalid("more than 255 steps".into()));
        }
        Ok(Self(steps))
    }
}

impl fmt::Display for DerivationPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("m")?;
        for step in &self.0 {
            write!(f, "/{}{}", step.index(), if step.is_hardened() { "'" } else { "" })?;
        }
        Ok(())
    }
}

impl fmt::Debug for DerivationPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DerivationPath({self})")
    }
}

impl serde::Serialize for DerivationPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DerivationPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// How account `i` maps to a path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountScheme {
    /// `m/44'/60'/0'/0/i` (BIP44; MetaMask, Trezor, Rabby, Tender's default).
    #[default]
    Bip44,
    /// `m/44'/60'/i'/0/0` (Ledger Live).
    LedgerLive,
}

impl AccountScheme {
    /// The path of account `index`.
    pub fn path(self, index: u32) -> Result<DerivationPath> {
        let text = match self {
            AccountScheme::Bip44 => format!("m/44'/60'/0'/0/{index}"),
            AccountScheme::LedgerLive => format!("m/44'/60'/{index}'/0/0"),
        };
        text.parse()
    }
}

impl FromStr for AccountScheme {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "bip44" => Ok(AccountScheme::Bip44),
            "ledger-live" => Ok(AccountScheme::LedgerLive),
            other => Err(format!("unknown scheme {other:?}: use bip44 or ledger-live")),
        }
    }
}

/// The secp256k1 private key at `path` below `seed`.
///
/// # Security
/// The key controls the account's funds. `SigningKey` zeroizes itself on drop; keep it no longer
/// than one operation.
pub fn derive_signing_key(seed: &Seed, path: &DerivationPath) -> Result<SigningKey> {
    let xprv = bip32::XPrv::derive_from_path(seed.expose(), &path.to_bip32()).map_err(Error::Derivation)?;
    Ok(xprv.private_key().clone())
}

/// The Ethereum address of a private key.
pub fn address_of(key: &SigningKey) -> Address {
    Address::from_public_key(key.verifying_key())
}

/// An account: its index, path and address. Public information only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DerivedAccount {
    /// The account index `i`.
    pub index: u32,
    /// The full path.
    pub path: DerivationPath,
    /// The address (serialised EIP-55 checksummed).
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub address: Address,
}

/// Derives the accounts `first .. first + count` of `scheme`.
///
/// For BIP44 the shared parent `m/44'/60'/0'/0` is derived once and each account is one child step
/// from it, five times less work than deriving every path from the root.
pub fn derive_accounts(seed: &Seed, scheme: AccountScheme, first: u32, count: u32) -> Result<Vec<DerivedAccount>> {
    let indexes = first..first.saturating_add(count);
    match scheme {
        AccountScheme::Bip44 => {
            let parent: DerivationPath = "m/44'/60'/0'/0".parse()?;
            let parent = bip32::XPrv::derive_from_path(seed.expose(), &parent.to_bip32()).map_err(Error::Derivation)?;
            indexes
                .map(|index| {
                    let child = ChildNumber::new(index, false).map_err(Error::Derivation)?;
                    let key = parent.derive_child(child).map_err(Error::Derivation)?;
                    Ok(DerivedAccount { index, address: address_of(key.private_key()), path: scheme.path(index)? })
                })
                .collect()
        }
        AccountScheme::LedgerLive => indexes
            .map(|index| {
                let path = scheme.path(index)?;
                let key = derive_signing_key(seed, &path)?;
                Ok(DerivedAccount { index, address: address_of(&key), path })
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints_paths() {
        let p: DerivationPath = "m/44h/60H/0'/0/7".parse().expect("path");
        assert_eq!(p.to_string(), "m/44'/60'/0'/0/7");
        assert_eq!(p.steps().len(), 5);
        assert_eq!("m".parse::<DerivationPath>().expect("root").to_string(), "m");
        for bad in ["", "44'/60'", "m/", "m//1", "m/x", "m/-1", "m/2147483648", "m/1''", "M/1"] {
            assert!(matches!(bad.parse::<DerivationPath>(), Err(Error::InvalidPath { .. })), "{bad:?}");
        }
        assert_eq!(AccountScheme::Bip44.path(3).expect("p").to_string(), "m/44'/60'/0'/0/3");
        assert_eq!(AccountScheme::LedgerLive.path(3).expect("p").to_string(), "m/44'/60'/3'/0/0");
    }

    #[test]
    fn batch_derivation_equals_one_by_one() {
        let phrase = crate::RecoveryPhrase::generate(12, crate::Language::English).expect("phrase");
        let seed = phrase.to_seed(&"x".into());
        for scheme in [AccountScheme::Bip44, AccountScheme::LedgerLive] {
            let batch = derive_accounts(&seed, scheme, 3, 4).expect("batch");
            assert_eq!(batch.len(), 4);
            for account in &batch {
                let key = derive_signing_key(&seed, &scheme.path(account.index).expect("path")).expect("key");
                assert_eq!(account.address, address_of(&key), "{scheme:?} {}", account.index);
                assert_eq!(account.path, scheme.path(account.index).expect("path"));
            }
            assert_ne!(batch[0].address, batch[1].address);
        }
    }

    proptest! {
        #[test]
        fn path_print_parse_round_trip(steps in proptest::collection::vec((0u32..HARDENED, any::<bool>()), 0..10)) {
            let text = steps.iter().fold(String::from("m"), |mut acc, (i, h)| {
                acc.push_str(&format!("/{i}{}", if *h { "'" } else { "" }));
                acc
            });
            let parsed: DerivationPath = text.parse().expect("valid");
            prop_assert_eq!(parsed.to_string(), text);
        }
    }
}
