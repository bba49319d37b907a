//! The network a wallet is set to use, as its data folder keeps it (`network.json`): a preset, the
//! dev chain, or a custom endpoint (whose access token, if any, lives in the OS keyring).

use std::fmt;

use crate::chain::network::{Network, RpcUrl, network_data, preset_by_key};
use crate::error::{Error, Result};

/// The network a wallet is set to use, as saved in its data folder (`network.json`, mode 0600: a
/// custom endpoint may carry an access token).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NetworkChoice {
    /// A preset, by key.
    Preset {
        /// `ethereum`, `base`, …
        key: String,
    },
    /// The local dev chain at an endpoint.
    Devnet {
        /// Its endpoint.
        rpc_url: String,
    },
    /// A custom endpoint for a chain id.
    Custom {
        /// The chain the endpoint must serve.
        chain_id: u64,
        /// The endpoint (may hold a token: never shown unredacted).
        rpc_url: String,
    },
}

impl fmt::Debug for NetworkChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |url: &str| RpcUrl::parse(url).map_or_else(|_| "<invalid URL>".to_owned(), |u| u.redacted());
        match self {
            NetworkChoice::Preset { key } => f.debug_struct("Preset").field("key", key).finish(),
            NetworkChoice::Devnet { rpc_url } => f.debug_struct("Devnet").field("rpc_url", &shown(rpc_url)).finish(),
            NetworkChoice::Custom { chain_id, rpc_url } => {
                f.debug_struct("Custom").field("chain_id", chain_id).field("rpc_url", &shown(rpc_url)).finish()
            }
        }
    }
}

/// The file a data folder's network choice lives in.
pub const NETWORK_FILE: &str = "network.json";

/// The network choice as written in `network.json`: an endpoint with an access token is written
/// redacted, the whole URL kept in the OS keyring under `rpc_url_in_keyring` (where no keyring can
/// be reached, the file — readable by its owner only — keeps the URL itself).
#[derive(serde::Serialize, serde::Deserialize)]
struct SavedChoice {
    #[serde(flatten)]
    choice: NetworkChoice,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rpc_url_in_keyring: Option<String>,
}

/// The keyring entry holding the endpoint URL of data folder `dir`.
fn keyring_entry_for(dir: &std::path::Path) -> String {
    let where_ = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let hash = alloy::primitives::keccak256(where_.to_string_lossy().as_bytes());
    format!("rpc-{}", &alloy::hex::encode(hash)[..16])
}

impl NetworkChoice {
    /// The choice for an endpoint the person gave, serving `chain_id`: the local dev chain when the
    /// network data says the chain is one, a custom network otherwise.
    pub fn for_endpoint(chain_id: u64, rpc_url: &str) -> Self {
        let rpc_url = rpc_url.trim().to_owned();
        match network_data(chain_id) {
            Some(n) if n.local => NetworkChoice::Devnet { rpc_url },
            _ => NetworkChoice::Custom { chain_id, rpc_url },
        }
    }

    /// The network this choice names.
    pub fn to_network(&self) -> Result<Network> {
        match self {
            NetworkChoice::Preset { key } => {
                preset_by_key(key).ok_or_else(|| Error::InvalidNetwork { reason: format!("unknown network {key:?}") })
            }
            NetworkChoice::Devnet { rpc_url } => Network::devnet(rpc_url),
            NetworkChoice::Custom { chain_id, rpc_url } => Network::custom(*chain_id, "", rpc_url),
        }
    }

    fn rpc_url_mut(&mut self) -> Option<&mut String> {
        match self {
            NetworkChoice::Preset { .. } => None,
            NetworkChoice::Devnet { rpc_url } | NetworkChoice::Custom { rpc_url, .. } => Some(rpc_url),
        }
    }

    /// Saves the choice in data folder `dir` (under its lock). An endpoint URL with an access token
    /// goes to the OS keyring, and `network.json` shows it redacted; without a reachable keyring the
    /// file (0600) keeps it.
    pub fn save(&self, dir: &std::path::Path) -> Result<()> {
        self.to_network()?;
        let _lock = crate::vault::atomic::lock_dir(dir)?;
        let mut saved = SavedChoice { choice: self.clone(), rpc_url_in_keyring: None };
        if let Some(url) = saved.choice.rpc_url_mut() {
            let parsed = RpcUrl::parse(url)?;
            if parsed.redacted() != parsed.expose().as_str() {
                let entry = keyring_entry_for(dir);
                let label = format!("Tender RPC endpoint ({})", parsed.redacted());
                if crate::vault::keyring::save_secret(&entry, &label, parsed.expose().as_str()).is_ok() {
                    *url = parsed.redacted();
                    saved.rpc_url_in_keyring = Some(entry);
                }
            }
        }
        let json = serde_json::to_vec_pretty(&saved).map_err(|e| Error::InvalidNetwork { reason: e.to_string() })?;
        crate::vault::atomic::write(&dir.join(NETWORK_FILE), &json)
    }

    /// The choice saved in `dir`, if any (its endpoint's token read back from the keyring).
    pub fn load(dir: &std::path::Path) -> Result<Option<Self>> {
        let path = dir.join(NETWORK_FILE);
        let bytes = match crate::vault::atomic::read_data_file(&path, 64 * 1024) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
        };
        let mut saved: SavedChoice = serde_json::from_slice(&bytes)
            .map_err(|e| Error::InvalidNetwork { reason: format!("{}: {e}", path.display()) })?;
        if let Some(entry) = &saved.rpc_url_in_keyring {
            let full = crate::vault::keyring::load_secret(entry)?.ok_or_else(|| Error::InvalidNetwork {
                reason: "the endpoint's access token is no longer in the OS keyring: set the network again".into(),
            })?;
            if let Some(url) = saved.choice.rpc_url_mut() {
                *url = full;
            }
        }
        Ok(Some(saved.choice))
    }
}
