//! What the wallet's reads tell the node, as the shopper chooses (`privacy.json` in the data folder).
//!
//! Tender reads only the chain (no indexer, no server of its own, no logo or NFT image fetched from
//! anywhere), but a node still sees every address it is asked about. Read together — every account's
//! balances in one request, as is fastest — the node learns that those addresses are one person's (the
//! long-standing complaint against wallets that do so). With [`Privacy::separate_accounts`] each account
//! is read in requests of its own (balances, history, discovery at restore, NFTs: which are always read
//! one account at a time); with [`Privacy::spread`] a random pause of up to [`MAX_SPREAD`] also
//! separates them in time. The node can still link them by the connection they arrive on: the privacy
//! page says so.
//!
//! NFT media on IPFS or the web are fetched only for a collection the shopper allowed; with
//! [`Privacy::remote_media_off`] never, whatever was allowed. IPFS media come through
//! [`Privacy::ipfs_gateway`] (by default the shopper's own IPFS node), every block checked.

use std::time::Duration;

use crate::error::{Error, Result};

/// The file the setting is kept in.
pub const PRIVACY_FILE: &str = "privacy.json";
/// The longest pause between two accounts' reads when they are spread in time.
pub const MAX_SPREAD: Duration = Duration::from_millis(1500);

/// The shopper's privacy setting.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Privacy {
    /// Read each account in requests of its own: no request carries two of the wallet's addresses.
    #[serde(default)]
    pub separate_accounts: bool,
    /// With separate reads: a random pause between one account's reads and the next's.
    #[serde(default)]
    pub spread: bool,
    /// Never fetch NFT media from IPFS or the web, even for a collection allowed before.
    #[serde(default)]
    pub remote_media_off: bool,
    /// The IPFS gateway asked for `ipfs://` media (`None`: the shopper's own node,
    /// [`crate::nft::remote::DEFAULT_IPFS_GATEWAY`]).
    #[serde(default)]
    pub ipfs_gateway: Option<String>,
}

impl Privacy {
    /// The setting saved in `dir` (the default, everything read together, when none is). A damaged file
    /// reads as the private choice: a setting the shopper made is never silently undone.
    pub fn load(dir: &std::path::Path) -> Result<Self> {
        let path = dir.join(PRIVACY_FILE);
        match crate::vault::atomic::read_data_file(&path, 4 * 1024) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).unwrap_or(Self::private())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(Error::io(format!("cannot read {}", path.display()), e)),
        }
    }

    /// Every private choice: accounts read apart, no remote media.
    pub fn private() -> Self {
        Self { separate_accounts: true, spread: false, remote_media_off: true, ipfs_gateway: None }
    }

    /// Saves the setting in `dir` (a gateway that is no web address is refused).
    pub fn save(&self, dir: &std::path::Path) -> Result<()> {
        if let Some(gateway) = &self.ipfs_gateway {
            let ok = url::Url::parse(gateway)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some() && u.query().is_none());
            if !ok || gateway.len() > 200 {
                return Err(Error::InvalidGateway { reason: "use a web address such as http://127.0.0.1:8080".into() });
            }
        }
        let json = serde_json::to_vec_pretty(self).map_err(|e| Error::Database { detail: e.to_string() })?;
        crate::vault::atomic::write(&dir.join(PRIVACY_FILE), &json)
    }

    /// The groups of `accounts` read together: all of them at once, or one by one.
    pub fn groups<T: Clone>(&self, accounts: &[T]) -> Vec<Vec<T>> {
        if self.separate_accounts {
            accounts.iter().map(|a| vec![a.clone()]).collect()
        } else if accounts.is_empty() {
            Vec::new()
        } else {
            vec![accounts.to_vec()]
        }
    }

    /// Waits before the next account's reads, when they are spread in time (a random pause of up to
    /// [`MAX_SPREAD`]); at once otherwise.
    pub async fn pause(&self) {
        if self.separate_accounts && self.spread {
            let mut byte = [0u8; 2];
            let millis = match getrandom::getrandom(&mut byte) {
                Ok(()) => u64::from(u16::from_le_bytes(byte)) % (MAX_SPREAD.as_millis() as u64 + 1),
                Err(_) => MAX_SPREAD.as_millis() as u64 / 2,
            };
            tokio::time::sleep(Duration::from_millis(millis)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_is_kept_and_groups_the_reads() {
        let tmp = tempfile::tempdir().expect("tmp");
        assert_eq!(Privacy::load(tmp.path()).expect("default"), Privacy::default());
        let on = Privacy {
            separate_accounts: true,
            ipfs_gateway: Some("http://127.0.0.1:5001".into()),
            ..Privacy::default()
        };
        on.save(tmp.path()).expect("save");
        assert_eq!(Privacy::load(tmp.path()).expect("load"), on);
        assert_eq!(on.groups(&[1, 2, 3]), [vec![1], vec![2], vec![3]]);
        assert_eq!(Privacy::default().groups(&[1, 2, 3]), [vec![1, 2, 3]]);
        assert!(Privacy::default().groups::<u8>(&[]).is_empty());
        std::fs::write(tmp.path().join(PRIVACY_FILE), b"{not json").expect("write");
        let damaged = Privacy::load(tmp.path()).expect("read");
        assert!(damaged.separate_accounts, "a damaged setting reads as the private one, never silently 'off'");
        assert!(damaged.remote_media_off);
        for bad in ["ipfs.io", "ftp://x", "javascript:alert(1)", "http://x/?a=1"] {
            let setting = Privacy { ipfs_gateway: Some(bad.into()), ..Privacy::default() };
            assert!(matches!(setting.save(tmp.path()), Err(Error::InvalidGateway { .. })), "{bad}");
        }
    }
}
