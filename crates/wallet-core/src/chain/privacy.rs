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

use std::time::Duration;

use crate::error::{Error, Result};

/// The file the setting is kept in.
pub const PRIVACY_FILE: &str = "privacy.json";
/// The longest pause between two accounts' reads when they are spread in time.
pub const MAX_SPREAD: Duration = Duration::from_millis(1500);

/// The shopper's privacy setting.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Privacy {
    /// Read each account in requests of its own: no request carries two of the wallet's addresses.
    #[serde(default)]
    pub separate_accounts: bool,
    /// With separate reads: a random pause between one account's reads and the next's.
    #[serde(default)]
    pub spread: bool,
}

impl Privacy {
    /// The setting saved in `dir` (the default, everything read together, when none is). A damaged file
    /// reads as the private choice: a setting the shopper made is never silently undone.
    pub fn load(dir: &std::path::Path) -> Result<Self> {
        let path = dir.join(PRIVACY_FILE);
        match crate::vault::atomic::read_data_file(&path, 4 * 1024) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).unwrap_or(Self { separate_accounts: true, spread: false })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(Error::io(format!("cannot read {}", path.display()), e)),
        }
    }

    /// Saves the setting in `dir`.
    pub fn save(&self, dir: &std::path::Path) -> Result<()> {
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
        let on = Privacy { separate_accounts: true, spread: false };
        on.save(tmp.path()).expect("save");
        assert_eq!(Privacy::load(tmp.path()).expect("load"), on);
        assert_eq!(on.groups(&[1, 2, 3]), [vec![1], vec![2], vec![3]]);
        assert_eq!(Privacy::default().groups(&[1, 2, 3]), [vec![1, 2, 3]]);
        assert!(Privacy::default().groups::<u8>(&[]).is_empty());
        std::fs::write(tmp.path().join(PRIVACY_FILE), b"{not json").expect("write");
        let damaged = Privacy::load(tmp.path()).expect("read");
        assert!(damaged.separate_accounts, "a damaged setting reads as the private one, never silently 'off'");
    }
}
