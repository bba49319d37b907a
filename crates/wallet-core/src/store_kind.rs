//! Where a wallet keeps its encrypted vault.

/// Where a wallet keeps its encrypted vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The OS keyring (Secret Service, Keychain, Credential Manager, Android keystore).
    Keyring,
    /// A 0600 file in the data folder, for machines without a keyring.
    File,
    /// Process memory, for tests.
    Memory,
}

impl StoreKind {
    /// The name used on the command line and in files.
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::Keyring => "keyring",
            StoreKind::File => "file",
            StoreKind::Memory => "memory",
        }
    }
}

impl std::fmt::Display for StoreKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StoreKind::Keyring => "OS keyring",
            StoreKind::File => "data folder",
            StoreKind::Memory => "memory store",
        })
    }
}

impl std::str::FromStr for StoreKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "keyring" => Ok(StoreKind::Keyring),
            "file" => Ok(StoreKind::File),
            other => Err(format!("unknown store {other:?}: use keyring or file")),
        }
    }
}
