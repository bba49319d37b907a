//! Where the encrypted vault lives: the OS keyring by default, a 0600 file only when the caller
//! explicitly chooses it, and process memory for tests.
//!
//! The vault is encrypted before it reaches any store, so even the keyring never holds the phrase
//! in the clear; the keyring adds that other programs and other users cannot read or copy the
//! ciphertext to guess passwords offline, and that the vault is not in the data folder's backups.
//! Keyring backends come from keyring-core's store crates: Secret Service on Linux and the BSDs,
//! Keychain on macOS, the protected data store on iOS, Credential Manager on Windows, the Android
//! keystore on Android.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};

use crate::error::{Error, Result, StoreKind};
use crate::vault::atomic;

/// The keyring service name of Tender's entries.
pub const KEYRING_SERVICE: &str = "Tender";

/// A place that holds one wallet's encrypted vault.
pub trait VaultStore: Send + Sync {
    /// Which kind of store this is.
    fn kind(&self) -> StoreKind;
    /// The stored vault, or `None` when there is none.
    fn load(&self) -> Result<Option<Vec<u8>>>;
    /// Stores `vault`, replacing any previous one atomically.
    fn save(&self, vault: &[u8]) -> Result<()>;
    /// Removes the vault (and the wrong-password record); removing a missing vault succeeds.
    fn delete(&self) -> Result<()>;
    /// The wrong-password record kept beside the vault, where editing the data folder cannot reset
    /// it (see [`crate::wallet`]); `None` when there is none.
    fn load_throttle(&self) -> Result<Option<Vec<u8>>>;
    /// Replaces the wrong-password record.
    fn save_throttle(&self, record: &[u8]) -> Result<()>;
}

/// The vault as an entry of the OS keyring.
pub struct KeyringStore {
    /// Always `Some` until dropped (see the `Drop` impl).
    entries: Option<Entries>,
}

struct Entries {
    vault: Entry,
    throttle: Entry,
}

impl KeyringStore {
    fn entries(&self) -> Result<&Entries> {
        self.entries.as_ref().ok_or_else(|| Error::Keyring { detail: "the keyring entry is closed".into() })
    }
}

impl Drop for KeyringStore {
    /// Dropping the last handle on the Secret Service blocks on the D-Bus client's own runtime, which
    /// panics inside another ("cannot start a runtime from within a runtime": the `tender` command
    /// drops its session inside its runtime). Inside a runtime, the entries are dropped on a thread of
    /// their own.
    fn drop(&mut self) {
        if let Some(entries) = self.entries.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            let _ = std::thread::spawn(move || drop(entries)).join();
        }
    }
}

impl KeyringStore {
    /// The entry for wallet `wallet_id` in the platform's keyring.
    pub fn open(wallet_id: &str) -> Result<Self> {
        let store = platform_store()?;
        let mut modifiers = std::collections::HashMap::new();
        let label = format!("Tender wallet vault ({wallet_id})");
        if cfg!(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")) {
            modifiers.insert("label", label.as_str());
        }
        let entry =
            store.build(KEYRING_SERVICE, &format!("vault-{wallet_id}"), Some(&modifiers)).map_err(map_keyring_error)?;
        let throttle_label = format!("Tender wallet password attempts ({wallet_id})");
        if cfg!(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")) {
            modifiers.insert("label", throttle_label.as_str());
        }
        let throttle = store
            .build(KEYRING_SERVICE, &format!("attempts-{wallet_id}"), Some(&modifiers))
            .map_err(map_keyring_error)?;
        Ok(Self { entries: Some(Entries { vault: entry, throttle }) })
    }
}

impl VaultStore for KeyringStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Keyring
    }
    fn load(&self) -> Result<Option<Vec<u8>>> {
        match self.entries()?.vault.get_secret() {
            Ok(bytes) => Ok(Some(bytes)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
    fn save(&self, vault: &[u8]) -> Result<()> {
        self.entries()?.vault.set_secret(vault).map_err(map_keyring_error)
    }
    fn delete(&self) -> Result<()> {
        let entries = self.entries()?;
        for entry in [&entries.vault, &entries.throttle] {
            match entry.delete_credential() {
                Ok(()) | Err(keyring_core::Error::NoEntry) => {}
                Err(e) => return Err(map_keyring_error(e)),
            }
        }
        Ok(())
    }
    fn load_throttle(&self) -> Result<Option<Vec<u8>>> {
        match self.entries()?.throttle.get_secret() {
            Ok(bytes) => Ok(Some(bytes)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
    fn save_throttle(&self, record: &[u8]) -> Result<()> {
        self.entries()?.throttle.set_secret(record).map_err(map_keyring_error)
    }
}

/// A secret of Tender's other than a vault (an RPC endpoint's access token), as an OS keyring entry
/// named `user`: its value, `None` when there is none.
pub fn load_secret(user: &str) -> Result<Option<String>> {
    off_runtime(|| {
        let entry = platform_store()?.build(KEYRING_SERVICE, user, None).map_err(map_keyring_error)?;
        match entry.get_password() {
            Ok(value) => Ok(Some(value)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    })
}

/// Whether the OS keyring can hold a vault here: it answers a read (a locked keyring counts: the
/// system asks the person to unlock it). Asked before a wallet is made, so that the encrypted-file
/// choice is offered up front, never after a failure and never silently.
pub fn keyring_reachable() -> bool {
    matches!(load_secret("availability-probe"), Ok(_) | Err(Error::KeyringLocked { .. }))
}

/// Stores `value` as the OS keyring entry `user` (see [`load_secret`]).
pub fn save_secret(user: &str, label: &str, value: &str) -> Result<()> {
    off_runtime(|| {
        let mut modifiers = std::collections::HashMap::new();
        if cfg!(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")) {
            modifiers.insert("label", label);
        }
        let entry = platform_store()?.build(KEYRING_SERVICE, user, Some(&modifiers)).map_err(map_keyring_error)?;
        entry.set_password(value).map_err(map_keyring_error)
    })
}

/// Runs a keyring call on a thread of its own: the Secret Service store blocks on its own async
/// runtime, which cannot start inside the caller's (network settings are read from async code).
fn off_runtime<T: Send>(call: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    std::thread::scope(|scope| {
        scope.spawn(call).join().unwrap_or_else(|_| Err(Error::Keyring { detail: "the keyring call panicked".into() }))
    })
}

fn map_keyring_error(e: keyring_core::Error) -> Error {
    match e {
        keyring_core::Error::NoStorageAccess(inner) => Error::KeyringLocked { detail: inner.to_string() },
        keyring_core::Error::NoDefaultStore => Error::KeyringUnavailable { detail: "no keyring store".into() },
        other => Error::Keyring { detail: other.to_string() },
    }
}

fn unavailable(e: impl std::fmt::Display) -> Error {
    Error::KeyringUnavailable { detail: e.to_string() }
}

#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
fn platform_store() -> Result<Arc<CredentialStore>> {
    // Without a session bus there is no Secret Service; say so rather than wait for a time-out.
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() && std::env::var_os("XDG_RUNTIME_DIR").is_none() {
        return Err(unavailable("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"));
    }
    let store = zbus_secret_service_keyring_store::Store::new().map_err(unavailable)?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new().map_err(unavailable)?)
}

#[cfg(target_os = "ios")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::protected::Store::new().map_err(unavailable)?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new().map_err(unavailable)?)
}

#[cfg(target_os = "android")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    Ok(android_native_keyring_store::Store::new().map_err(unavailable)?)
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "ios",
    target_os = "windows",
    target_os = "android"
)))]
fn platform_store() -> Result<Arc<CredentialStore>> {
    Err(unavailable("this platform has no supported keyring"))
}

/// The vault as a file in the data folder (mode 0600), written atomically.
pub struct FileStore {
    path: PathBuf,
    throttle: PathBuf,
}

impl FileStore {
    /// The name of the vault file in a data folder.
    pub const FILE_NAME: &'static str = "vault.tender";
    /// The wrong-password record beside it (with the file store, whoever can edit the data folder
    /// can also copy the vault and guess offline: the record adds nothing to protect there).
    pub const THROTTLE_FILE: &'static str = "vault.attempts";

    /// The vault file of data folder `dir`.
    pub fn new(dir: &Path) -> Self {
        Self { path: dir.join(Self::FILE_NAME), throttle: dir.join(Self::THROTTLE_FILE) }
    }
}

impl VaultStore for FileStore {
    fn kind(&self) -> StoreKind {
        StoreKind::File
    }
    fn load(&self) -> Result<Option<Vec<u8>>> {
        match atomic::read_data_file(&self.path, 64 * 1024) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(format!("cannot read {}", self.path.display()), e)),
        }
    }
    fn save(&self, vault: &[u8]) -> Result<()> {
        atomic::write(&self.path, vault)
    }
    fn delete(&self) -> Result<()> {
        for path in [&self.path, &self.throttle] {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(format!("cannot delete {}", path.display()), e)),
            }
        }
        Ok(())
    }
    fn load_throttle(&self) -> Result<Option<Vec<u8>>> {
        match atomic::read_data_file(&self.throttle, 4 * 1024) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(format!("cannot read {}", self.throttle.display()), e)),
        }
    }
    fn save_throttle(&self, record: &[u8]) -> Result<()> {
        atomic::write(&self.throttle, record)
    }
}

/// A fault a [`MemoryStore`] can be told to simulate.
#[cfg(any(test, feature = "test-util"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Every call fails as a locked keyring does.
    Locked,
    /// Every call fails as an unreachable keyring does.
    Unavailable,
    /// Reads work, writes fail.
    ReadOnly,
}

/// The stored bytes, the simulated fault and the wrong-password record of a [`MemoryStore`].
#[cfg(any(test, feature = "test-util"))]
type MemoryState = (Option<Vec<u8>>, Option<Fault>, Option<Vec<u8>>);

/// **Mock for tests**: a vault store in process memory, shareable between wallet handles, with
/// injectable faults (a locked keyring, a missing one, failing writes). The real keyring is tested
/// against a real Secret Service; this exists only for faults a real one cannot be made to show.
#[cfg(any(test, feature = "test-util"))]
#[derive(Clone, Default)]
pub struct MemoryStore {
    state: Arc<std::sync::Mutex<MemoryState>>,
}

#[cfg(any(test, feature = "test-util"))]
impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets (or clears) the simulated fault.
    pub fn set_fault(&self, fault: Option<Fault>) {
        self.lock().1 = fault;
    }
    /// The raw stored bytes (for tampering tests).
    pub fn raw(&self) -> Option<Vec<u8>> {
        self.lock().0.clone()
    }
    /// Replaces the raw stored bytes (for tampering tests).
    pub fn set_raw(&self, bytes: Option<Vec<u8>>) {
        self.lock().0 = bytes;
    }
    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn check(&self, write: bool) -> Result<()> {
        match self.lock().1 {
            Some(Fault::Locked) => Err(Error::KeyringLocked { detail: "simulated: keyring locked".into() }),
            Some(Fault::Unavailable) => Err(Error::KeyringUnavailable { detail: "simulated: no keyring".into() }),
            Some(Fault::ReadOnly) if write => Err(Error::Keyring { detail: "simulated: write refused".into() }),
            _ => Ok(()),
        }
    }
}

#[cfg(any(test, feature = "test-util"))]
impl VaultStore for MemoryStore {
    fn kind(&self) -> StoreKind {
        StoreKind::Memory
    }
    fn load(&self) -> Result<Option<Vec<u8>>> {
        self.check(false)?;
        Ok(self.lock().0.clone())
    }
    fn save(&self, vault: &[u8]) -> Result<()> {
        self.check(true)?;
        self.lock().0 = Some(vault.to_vec());
        Ok(())
    }
    fn delete(&self) -> Result<()> {
        self.check(true)?;
        let mut state = self.lock();
        state.0 = None;
        state.2 = None;
        Ok(())
    }
    fn load_throttle(&self) -> Result<Option<Vec<u8>>> {
        self.check(false)?;
        Ok(self.lock().2.clone())
    }
    fn save_throttle(&self, record: &[u8]) -> Result<()> {
        self.check(true)?;
        self.lock().2 = Some(record.to_vec());
        Ok(())
    }
}
