//! The retailer's own token list: a file in the Uniswap token-list format (`name`, `timestamp`,
//! `version`, `tokens` of `chainId`, `address`, `symbol`, `name`, `decimals`), published with a
//! **detached signature**: the EIP-191 `personal_sign` signature of the file's exact bytes, by the key
//! whose address Tender's network data pins for that network ([`NetworkData::token_list_signer`]).
//! Checked here, offline: the signature first (nothing of an unsigned or altered file is read), then
//! the list itself, within bounds. Its tokens on the network are then shown as the retailer's, labelled
//! with the list's name; an entry that disagrees with Tender's own list for the same contract (another
//! symbol, other decimals) or that is malformed is left out and said so, never silently used. A list
//! older (by its version) than the one in use is refused: an old list cannot be replayed.

use std::str::FromStr as _;

use alloy::primitives::{Address, Signature};

use crate::chain::network::NetworkData;
use crate::chain::token::{MAX_DECIMALS, Token};
use crate::error::{Error, Result};

/// The largest list file read.
pub const MAX_LIST_BYTES: usize = 1024 * 1024;
/// Most tokens a list may hold (the token-list schema's own bound).
pub const MAX_TOKENS: usize = 10_000;
/// Longest list name kept (the schema's bound).
const MAX_LIST_NAME: usize = 30;
const MAX_SYMBOL: usize = 20;
const MAX_NAME: usize = 60;

/// An NFT collection of Tender's list (the shop's own): with the retailer's list key, what Tender's
/// network data says the retailer has on a network beyond its tokens.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct CollectionData {
    /// Its contract (EIP-55).
    pub address: Address,
    /// Its name, as the shop gives it.
    pub name: String,
    /// Its standard.
    pub standard: crate::store::NftStandard,
}

fn refused(reason: impl Into<String>) -> Error {
    Error::TokenListRefused { reason: reason.into() }
}

/// A list's version (semantic: a newer list has a larger one).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct ListVersion {
    /// Tokens removed or changed.
    pub major: u32,
    /// Tokens added.
    pub minor: u32,
    /// Details changed.
    pub patch: u32,
}

impl ListVersion {
    /// Reads `major.minor.patch`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('.').map(|p| p.parse::<u32>().ok());
        let version = Self { major: parts.next()??, minor: parts.next()??, patch: parts.next()?? };
        parts.next().is_none().then_some(version)
    }
}

impl std::fmt::Display for ListVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[derive(serde::Deserialize)]
struct ListFile {
    name: String,
    timestamp: String,
    version: ListVersion,
    tokens: Vec<serde_json::Value>,
}

#[derive(serde::Deserialize)]
struct Entry {
    #[serde(rename = "chainId")]
    chain_id: u64,
    address: String,
    symbol: String,
    name: String,
    decimals: u16,
}

/// An entry left out of the list, and why.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LeftOut {
    /// The entry's address as written (cut), or its position.
    pub entry: String,
    /// Why.
    pub reason: String,
}

/// A list whose signature the pinned key made, read for one network.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignedList {
    /// Its name (the retailer's words, sanitised).
    pub name: String,
    /// Its version.
    pub version: ListVersion,
    /// When the retailer says it was made (its words).
    pub timestamp: String,
    /// Who signed it (the key the network data pins).
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub signer: Address,
    /// Its tokens on this network, beyond Tender's own list.
    pub tokens: Vec<Token>,
    /// Entries left out (another network's are not counted).
    pub left_out: Vec<LeftOut>,
}

/// The retailer's list in use on a network, as stored.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListInUse {
    /// Its name (the retailer's words, sanitised).
    pub name: String,
    /// Its version, `major.minor.patch`.
    pub version: String,
    /// When the retailer says it was made.
    pub timestamp: String,
    /// Who signed it.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub signer: Address,
    /// Its tokens on the network, beyond Tender's own list.
    pub tokens: Vec<Token>,
}

/// Checks that `signature` (65 bytes in hex, as `personal_sign` gives it) is `signer`'s signature of
/// exactly `bytes` (EIP-191).
pub fn check_signature(bytes: &[u8], signature: &str, signer: Address) -> Result<()> {
    let signature = Signature::from_str(signature.trim())
        .map_err(|_| refused("its signature file does not hold a signature (65 bytes in hex)"))?;
    let by = signature.recover_address_from_msg(bytes).map_err(|_| refused("its signature does not verify"))?;
    if by == signer {
        Ok(())
    } else {
        Err(refused(format!("it is not signed by the retailer's key for this network (signed by {by})")))
    }
}

/// Reads the list `bytes` with its detached `signature`, for `network` (which must pin a signer): its
/// tokens on that network beyond `builtin` (Tender's own list), and what was left out.
pub fn read(bytes: &[u8], signature: &str, network: &NetworkData, builtin: &[Token]) -> Result<SignedList> {
    let signer =
        network.token_list_signer.ok_or_else(|| refused(format!("{} has no retailer token list", network.name)))?;
    if bytes.len() > MAX_LIST_BYTES {
        return Err(refused("the file is too large"));
    }
    check_signature(bytes, signature, signer)?;
    let file: ListFile =
        serde_json::from_slice(bytes).map_err(|_| refused("it is not a token list (Uniswap token-list format)"))?;
    if file.tokens.len() > MAX_TOKENS {
        return Err(refused("it lists too many tokens"));
    }
    let name = crate::text::displayable(&file.name, MAX_LIST_NAME);
    if name.is_empty() {
        return Err(refused("it has no name"));
    }
    let mut tokens: Vec<Token> = Vec::new();
    let mut left_out = Vec::new();
    for (n, value) in file.tokens.into_iter().enumerate() {
        let written = value.get("address").and_then(|a| a.as_str()).map(|a| a.chars().take(42).collect());
        let entry = written.unwrap_or_else(|| format!("entry {}", n + 1));
        let mut leave = |reason: &str| left_out.push(LeftOut { entry: entry.clone(), reason: reason.to_owned() });
        let Ok(e) = serde_json::from_value::<Entry>(value) else {
            leave("malformed entry");
            continue;
        };
        if e.chain_id != network.chain_id {
            continue;
        }
        let Ok(address) = crate::keys::address::parse_address(&e.address) else {
            leave("not an address (or a wrong checksum)");
            continue;
        };
        let (symbol, token_name) =
            (crate::text::displayable(&e.symbol, MAX_SYMBOL), crate::text::displayable(&e.name, MAX_NAME));
        let Ok(decimals) = u8::try_from(e.decimals) else {
            leave("impossible decimals");
            continue;
        };
        if symbol.is_empty() || decimals > MAX_DECIMALS {
            leave("no symbol, or impossible decimals");
            continue;
        }
        if let Some(own) = builtin.iter().find(|t| t.address == address) {
            if own.symbol != symbol || own.decimals != decimals {
                leave("disagrees with Tender's own list for this contract");
            }
            continue;
        }
        if tokens.iter().any(|t| t.address == address) {
            leave("listed twice");
            continue;
        }
        tokens.push(Token {
            chain_id: network.chain_id,
            address,
            symbol,
            name: if token_name.is_empty() { e.symbol.clone() } else { token_name },
            decimals,
            featured: false,
            verified: true,
            list: Some(name.clone()),
        });
    }
    Ok(SignedList {
        name,
        version: file.version,
        timestamp: crate::text::displayable(&file.timestamp, 40),
        signer,
        tokens,
        left_out,
    })
}

/// Refuses `list` when it is older than the list in use (`in_use`, its stored version).
pub fn check_newer(list: &SignedList, in_use: Option<&str>) -> Result<()> {
    match in_use.and_then(ListVersion::parse) {
        Some(current) if list.version < current => {
            Err(refused(format!("it is older ({}) than the list in use ({current})", list.version)))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::signers::SignerSync as _;
    use alloy::signers::local::PrivateKeySigner;

    /// Anvil's dev account 7: the dev chain's retailer key, pinned in its network data.
    const RETAILER: &str = "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356";

    fn devnet() -> &'static NetworkData {
        crate::chain::network::network_data(31337).expect("dev chain")
    }

    fn sign(key: &str, bytes: &[u8]) -> String {
        let key: PrivateKeySigner = key.parse().expect("key");
        key.sign_message_sync(bytes).expect("sign").to_string()
    }

    fn list(version: &str, tokens: &str) -> Vec<u8> {
        format!(
            r#"{{"name":"Tender Store","timestamp":"2026-12-01T00:00:00Z","version":{version},"keywords":["store"],"tokens":[{tokens}]}}"#
        )
        .into_bytes()
    }

    const EURO: &str = r#"{"chainId":31337,"address":"0x2a264F26859166C5BF3868A54593eE716AeBC848","symbol":"tEUR","name":"Test Euro","decimals":6,"logoURI":"ipfs://x"}"#;

    /// The pinned key's signature of the exact bytes is needed: a changed byte, another key, or no
    /// signature at all, and nothing of the file is read.
    #[test]
    fn only_the_pinned_keys_signature_of_the_exact_bytes_is_taken() {
        let bytes = list(r#"{"major":1,"minor":0,"patch":0}"#, EURO);
        let builtin = crate::chain::token::builtin_tokens(31337);
        let signature = sign(RETAILER, &bytes);
        let taken = read(&bytes, &signature, devnet(), &builtin).expect("signed by the retailer");
        assert_eq!((taken.name.as_str(), taken.version.to_string().as_str()), ("Tender Store", "1.0.0"));
        assert_eq!(taken.tokens.len(), 1);
        let euro = &taken.tokens[0];
        assert_eq!(
            (euro.symbol.as_str(), euro.decimals, euro.verified, euro.list.as_deref()),
            ("tEUR", 6, true, Some("Tender Store"))
        );
        assert!(taken.left_out.is_empty());

        let mut tampered = bytes.clone();
        let at = tampered.windows(4).position(|w| w == b"tEUR").expect("symbol");
        tampered[at + 1] = b'U';
        for (bytes, signature) in [
            (&tampered, signature.clone()),
            (&bytes, sign("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", &bytes)),
            (&bytes, "not a signature".to_owned()),
            (&bytes, String::new()),
        ] {
            assert!(matches!(read(bytes, &signature, devnet(), &builtin), Err(Error::TokenListRefused { .. })));
        }
        // A network without a pinned key takes no list at all.
        let mainnet = crate::chain::network::network_data(1).expect("mainnet");
        assert!(matches!(read(&bytes, &signature, mainnet, &builtin), Err(Error::TokenListRefused { .. })));
    }

    /// Entries are bounded and checked one by one: malformed ones, a wrong checksum, impossible
    /// decimals, one that disagrees with Tender's own list, and a second listing are left out and said
    /// so; another network's entries and those Tender lists already the same way are simply not added;
    /// the text is sanitised. An older list than the one in use is refused.
    #[test]
    fn entries_are_checked_and_an_older_list_is_refused() {
        let tokens = [
            EURO,
            EURO,
            r#"{"chainId":31337,"address":"0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35","symbol":"STORE","name":"Store Credit","decimals":6}"#,
            r#"{"chainId":31337,"address":"0xA15BB66138824a1c7167f5E85b957d04Dd34E468","symbol":"tUSD","name":"Test USD","decimals":6}"#,
            r#"{"chainId":31337,"address":"0x2A264F26859166C5BF3868A54593eE716AeBC848","symbol":"X","name":"X","decimals":6}"#,
            r#"{"chainId":31337,"address":"0x1111111111111111111111111111111111111111","symbol":"BIG","name":"Big","decimals":200}"#,
            r#"{"chainId":31337,"address":"0x2222222222222222222222222222222222222222","symbol":"A\u202eB","name":"Pay\u0007 here","decimals":2}"#,
            r#"{"chainId":1,"address":"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48","symbol":"USDC","name":"USD Coin","decimals":6}"#,
            r#"{"symbol":"NOPE"}"#,
        ]
        .join(",");
        let bytes = list(r#"{"major":2,"minor":1,"patch":0}"#, &tokens);
        let builtin = crate::chain::token::builtin_tokens(31337);
        let taken = read(&bytes, &sign(RETAILER, &bytes), devnet(), &builtin).expect("read");
        let symbols: Vec<_> = taken.tokens.iter().map(|t| t.symbol.as_str()).collect();
        assert_eq!(symbols, ["tEUR", "AB"]);
        assert_eq!(taken.tokens[1].name, "Pay here");
        let reasons: Vec<_> = taken.left_out.iter().map(|l| l.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "listed twice",
                "disagrees with Tender's own list for this contract",
                "not an address (or a wrong checksum)",
                "no symbol, or impossible decimals",
                "malformed entry"
            ]
        );
        assert!(check_newer(&taken, Some("2.1.0")).is_ok(), "the same version again");
        assert!(check_newer(&taken, Some("2.0.9")).is_ok());
        assert!(matches!(check_newer(&taken, Some("2.1.1")), Err(Error::TokenListRefused { .. })));
        assert_eq!(ListVersion::parse("1.2"), None);
    }
}
