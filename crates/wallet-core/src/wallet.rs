//! A wallet in a data folder: public metadata in `wallet.json`, the encrypted vault in a
//! [`VaultStore`] (the OS keyring by default), and, while unlocked, the seed in zeroizing memory.
//!
//! Guarantees:
//! - The phrase, seed and keys are never written anywhere unencrypted; `wallet.json` holds only the
//!   wallet id, the store kind, the account scheme, account indexes, labels and addresses, and the
//!   count of recent wrong passwords.
//! - Every file is replaced atomically; a failed or interrupted step never loses the vault.
//! - One writer per data folder: every read-modify-write of the metadata, and every password
//!   attempt, holds the folder's advisory lock ([`atomic::lock_dir`]) and re-reads what it changes
//!   inside it, so two processes never overwrite each other's changes.
//! - After three wrong passwords in a row, each further attempt must wait 1 s, 2 s, 4 s … up to
//!   5 minutes after the previous failure. The count survives restarts and lives beside the vault,
//!   in its store (the OS keyring), not in the data folder: editing `wallet.json` cannot reset it.
//!   It is read inside the folder lock, so parallel processes get one guess per step, not one each.
//! - Passwords are compared in Unicode NFC (see [`crate::vault`]).
//! - A vault that does not decode is reported, never overwritten.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use alloy::dyn_abi::TypedData;
use alloy::primitives::{Address, Signature};

use crate::error::{Error, Result, StoreKind};
use crate::keys::derivation::{AccountScheme, DerivationPath, address_of, derive_accounts, derive_signing_key};
use crate::keys::signer::{self, PrivateKeySigner, SignedTx, TxRequest};
use crate::secret::{SecretString, Seed};
use crate::vault::atomic;
use crate::vault::keyring::{FileStore, KeyringStore, VaultStore};
use crate::vault::{self, KdfParams, VaultSecret};

/// The metadata file of a data folder.
pub const METADATA_FILE: &str = "wallet.json";
const METADATA_FORMAT: u32 = 1;
/// Wrong passwords allowed before delays start.
pub const FREE_ATTEMPTS: u32 = 3;
/// The longest delay between attempts, in seconds.
pub const MAX_DELAY_SECS: u64 = 300;
pub use crate::vault::password::{MIN_PASSWORD_CHARS, MIN_PASSWORD_STRENGTH, check_password, password_strength};
const MAX_LABEL_CHARS: usize = 64;

/// How a new wallet is set up.
#[derive(Debug, Clone)]
pub struct WalletOptions {
    /// Where the vault goes.
    pub store: StoreKind,
    /// Argon2id costs for the vault.
    pub kdf: KdfParams,
    /// How account indexes map to paths.
    pub scheme: AccountScheme,
    /// How many accounts to set up (at least 1).
    pub accounts: u32,
}

impl Default for WalletOptions {
    fn default() -> Self {
        Self { store: StoreKind::Keyring, kdf: KdfParams::FOR_THIS_DEVICE, scheme: AccountScheme::Bip44, accounts: 1 }
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Metadata {
    format: u32,
    id: String,
    store: StoreKind,
    created_at: u64,
    scheme: AccountScheme,
    accounts: Vec<AccountInfo>,
    /// Where wallets before the throttle moved to the store kept it: read once, never written.
    #[serde(default, skip_serializing)]
    failed_unlocks: u32,
    #[serde(default, skip_serializing)]
    last_failed_unlock: u64,
}

/// The wrong-password record, kept in the vault's store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Throttle {
    failed: u32,
    last: u64,
}

impl Throttle {
    fn load(store: &dyn VaultStore, meta: &Metadata) -> Result<Self> {
        match store.load_throttle()? {
            // A record that does not parse was tampered with: treat it as the worst case.
            Some(bytes) => {
                Ok(serde_json::from_slice(&bytes).unwrap_or(Throttle { failed: FREE_ATTEMPTS + 16, last: now() }))
            }
            None => Ok(Throttle { failed: meta.failed_unlocks, last: meta.last_failed_unlock }),
        }
    }

    fn save(self, store: &dyn VaultStore) -> Result<()> {
        let json = serde_json::to_vec(&self).map_err(|e| Error::Keyring { detail: e.to_string() })?;
        store.save_throttle(&json)
    }

    fn retry_after_secs(self) -> u64 {
        if self.failed < FREE_ATTEMPTS {
            return 0;
        }
        let exponent = (self.failed - FREE_ATTEMPTS).min(16);
        let delay = (1u64 << exponent).min(MAX_DELAY_SECS);
        // `.min(delay)`: a clock set back never makes the wait longer than the delay itself.
        (self.last + delay).saturating_sub(now()).min(delay)
    }
}

/// One account as the UI and the CLI show it. Public information only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountInfo {
    /// The account index.
    pub index: u32,
    /// The person's name for it.
    pub label: String,
    /// Its address (EIP-55 in JSON).
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub address: Address,
}

/// The name an account has until the person gives it one (the command line shows it as it is; the
/// app words it in the person's language: [`AccountInfo::given_label`]).
fn default_label(index: u32) -> String {
    format!("Account {}", index + 1)
}

impl AccountInfo {
    /// The name the person gave it, or `None` while it has the default one.
    pub fn given_label(&self) -> Option<&str> {
        (self.label != default_label(self.index)).then_some(self.label.as_str())
    }
}

/// A summary of a wallet, safe to show anywhere.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WalletInfo {
    /// Random wallet id.
    pub id: String,
    /// Where the vault lives.
    pub store: StoreKind,
    /// Creation time, Unix seconds.
    pub created_at: u64,
    /// The account scheme.
    pub scheme: AccountScheme,
    /// The accounts.
    pub accounts: Vec<AccountInfo>,
    /// Whether the wallet is unlocked in this process.
    pub unlocked: bool,
}

/// A wallet in a data folder. Locked until [`Wallet::unlock`]; [`Wallet::lock`] or drop zeroizes
/// everything secret it held.
pub struct Wallet {
    dir: PathBuf,
    meta: Metadata,
    store: Box<dyn VaultStore>,
    session: Option<Seed>,
    /// The wrong-password record as last read (the authoritative one is re-read for each attempt).
    throttle: Throttle,
}

impl std::fmt::Debug for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wallet")
            .field("dir", &self.dir)
            .field("id", &self.meta.id)
            .field("unlocked", &self.session.is_some())
            .finish_non_exhaustive()
    }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn store_for(kind: StoreKind, dir: &Path, id: &str) -> Result<Box<dyn VaultStore>> {
    match kind {
        StoreKind::Keyring => Ok(Box::new(KeyringStore::open(id)?)),
        StoreKind::File => Ok(Box::new(FileStore::new(dir))),
        StoreKind::Memory => Err(Error::Keyring { detail: "a memory store must be passed in explicitly".into() }),
    }
}

fn check_label(label: &str) -> Result<String> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
        return Err(Error::InvalidLabel { reason: format!("use 1 to {MAX_LABEL_CHARS} characters") });
    }
    if label.chars().any(char::is_control) {
        return Err(Error::InvalidLabel { reason: "no control characters".into() });
    }
    Ok(label.to_owned())
}

impl Wallet {
    /// Whether `dir` holds a wallet.
    pub fn exists(dir: &Path) -> bool {
        dir.join(METADATA_FILE).exists()
    }

    /// Creates a wallet in `dir` protecting `secret` under `password`, its vault in `options.store`.
    /// Refuses a folder that already holds a wallet (or a vault file). Returns it unlocked.
    pub fn create(dir: &Path, secret: VaultSecret, password: &SecretString, options: &WalletOptions) -> Result<Self> {
        let id = new_id()?;
        let store = store_for(options.store, dir, &id)?;
        Self::create_with_store(dir, store, id, secret, password, options)
    }

    /// As [`Wallet::create`], with a store the caller built (tests use [`crate::vault::keyring::MemoryStore`]).
    pub fn create_in(
        dir: &Path,
        store: Box<dyn VaultStore>,
        secret: VaultSecret,
        password: &SecretString,
        options: &WalletOptions,
    ) -> Result<Self> {
        Self::create_with_store(dir, store, new_id()?, secret, password, options)
    }

    fn create_with_store(
        dir: &Path,
        store: Box<dyn VaultStore>,
        id: String,
        secret: VaultSecret,
        password: &SecretString,
        options: &WalletOptions,
    ) -> Result<Self> {
        check_password(password)?;
        if Self::exists(dir) || dir.join(FileStore::FILE_NAME).exists() {
            return Err(Error::WalletExists { path: dir.to_owned() });
        }
        atomic::create_private_dir(dir)?;
        let _lock = atomic::lock_dir(dir)?;
        if Self::exists(dir) {
            return Err(Error::WalletExists { path: dir.to_owned() });
        }
        let seed = secret.phrase.to_seed(&secret.passphrase);
        let accounts = derive_accounts(&seed, options.scheme, 0, options.accounts.max(1))?
            .into_iter()
            .map(|a| AccountInfo { index: a.index, label: default_label(a.index), address: a.address })
            .collect();
        let sealed = vault::seal(&secret, password, options.kdf)?;
        let meta = Metadata {
            format: METADATA_FORMAT,
            id,
            store: store.kind(),
            created_at: now(),
            scheme: options.scheme,
            accounts,
            failed_unlocks: 0,
            last_failed_unlock: 0,
        };
        store.save(&sealed)?;
        drop(secret);
        let wallet = Self { dir: dir.to_owned(), meta, store, session: Some(seed), throttle: Throttle::default() };
        if let Err(e) = wallet.throttle.save(wallet.store.as_ref()).and_then(|()| wallet.save_meta()) {
            // Without metadata the vault would be an orphan nobody can find: take it back.
            let _ = wallet.store.delete();
            return Err(e);
        }
        Ok(wallet)
    }

    /// Opens the wallet in `dir`, locked. `store` must be where this wallet keeps its vault.
    pub fn open(dir: &Path, store: StoreKind) -> Result<Self> {
        let meta = read_meta(dir)?;
        if meta.store != store {
            return Err(Error::StoreMismatch { actual: meta.store, requested: store });
        }
        let store = store_for(meta.store, dir, &meta.id)?;
        Ok(Self::opened(dir, meta, store))
    }

    /// Opens the wallet of `dir` in the store its metadata records (where it was created).
    pub fn open_recorded(dir: &Path) -> Result<Self> {
        let meta = read_meta(dir)?;
        let store = store_for(meta.store, dir, &meta.id)?;
        Ok(Self::opened(dir, meta, store))
    }

    fn opened(dir: &Path, meta: Metadata, store: Box<dyn VaultStore>) -> Self {
        // For the status shown before any attempt; a store that cannot be read now is read again,
        // and must answer, at the attempt.
        let throttle = Throttle::load(store.as_ref(), &meta).unwrap_or_default();
        Self { dir: dir.to_owned(), meta, store, session: None, throttle }
    }

    /// The public summary of the wallet in `dir`, from its metadata alone (no store, no password).
    pub fn read_info(dir: &Path) -> Result<WalletInfo> {
        let meta = read_meta(dir)?;
        Ok(WalletInfo {
            id: meta.id,
            store: meta.store,
            created_at: meta.created_at,
            scheme: meta.scheme,
            accounts: meta.accounts,
            unlocked: false,
        })
    }

    /// As [`Wallet::open`], with a store the caller built.
    pub fn open_in(dir: &Path, store: Box<dyn VaultStore>) -> Result<Self> {
        let meta = read_meta(dir)?;
        if meta.store != store.kind() {
            return Err(Error::StoreMismatch { actual: meta.store, requested: store.kind() });
        }
        Ok(Self::opened(dir, meta, store))
    }

    /// A summary safe to show.
    pub fn info(&self) -> WalletInfo {
        WalletInfo {
            id: self.meta.id.clone(),
            store: self.meta.store,
            created_at: self.meta.created_at,
            scheme: self.meta.scheme,
            accounts: self.meta.accounts.clone(),
            unlocked: self.session.is_some(),
        }
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the secrets are in memory.
    pub fn is_unlocked(&self) -> bool {
        self.session.is_some()
    }

    /// Seconds to wait before the next password attempt is accepted (0 when one may try now).
    pub fn retry_after_secs(&self) -> u64 {
        self.throttle.retry_after_secs()
    }

    /// Decrypts the vault with `password`, honouring the delay after repeated failures. Also returns
    /// the vault's KDF parameters, so a re-encryption keeps them. The whole attempt holds the data
    /// folder's lock and reads the wrong-password record inside it: processes in parallel wait for
    /// each other and see each other's failures.
    fn open_vault(&mut self, password: &SecretString) -> Result<(VaultSecret, KdfParams)> {
        let _lock = atomic::lock_dir(&self.dir)?;
        self.throttle = Throttle::load(self.store.as_ref(), &self.meta)?;
        let wait = self.throttle.retry_after_secs();
        if wait > 0 {
            return Err(Error::TooManyAttempts { retry_after_secs: wait });
        }
        let bytes = self.store.load()?.ok_or(Error::VaultMissing { store: self.meta.store })?;
        match vault::open(&bytes, password) {
            Ok(secret) => {
                if self.throttle != Throttle::default() || self.store.load_throttle()?.is_none() {
                    self.throttle = Throttle::default();
                    self.throttle.save(self.store.as_ref())?;
                }
                Ok((secret, vault::read_header(&bytes)?.kdf))
            }
            Err(Error::WrongPassword) => {
                self.throttle = Throttle { failed: self.throttle.failed.saturating_add(1), last: now() };
                self.throttle.save(self.store.as_ref())?;
                Err(Error::WrongPassword)
            }
            Err(e) => Err(e),
        }
    }

    /// Unlocks the wallet: decrypts the vault and keeps the seed in memory until [`Wallet::lock`].
    pub fn unlock(&mut self, password: &SecretString) -> Result<()> {
        let (secret, _) = self.open_vault(password)?;
        let seed = secret.phrase.to_seed(&secret.passphrase);
        // The vault must be the one this metadata was made for (a swapped vault file is caught here),
        // and every account's address in the data folder must be this seed's: another program of the
        // same user could otherwise swap account 2's receive address in the metadata.
        if let Some(account) = self.first_mismatch(&seed)? {
            let reason = if account == 0 {
                "the vault does not belong to this wallet".to_owned()
            } else {
                format!("account {}'s address in the data folder is not this wallet's", account + 1)
            };
            return Err(Error::VaultCorrupt { reason });
        }
        drop(secret);
        self.session = Some(seed);
        Ok(())
    }

    /// The position (0 for the first) of the first account whose address in the data folder is not
    /// `seed`'s, if any.
    fn first_mismatch(&self, seed: &Seed) -> Result<Option<usize>> {
        if self.meta.accounts.is_empty() {
            return Err(self.meta_corrupt("no accounts"));
        }
        for (position, account) in self.meta.accounts.iter().enumerate() {
            let key = derive_signing_key(seed, &self.meta.scheme.path(account.index)?)?;
            if address_of(&key) != account.address {
                return Ok(Some(position));
            }
        }
        Ok(None)
    }

    /// Sets a new password for a person who forgot theirs, proven by the wallet's recovery phrase
    /// (and passphrase) instead: `secret` must derive every account of this wallet, exactly; then the
    /// vault is sealed anew under `new` (with `kdf`), the wrong-password count is cleared, and the
    /// wallet is unlocked, its accounts and names kept. Another phrase changes nothing:
    /// [`Error::PhraseNotThisWallet`]. Not slowed down like a password: a phrase cannot be guessed.
    pub fn reset_password(&mut self, secret: VaultSecret, new: &SecretString, kdf: KdfParams) -> Result<()> {
        check_password(new)?;
        let seed = secret.phrase.to_seed(&secret.passphrase);
        if self.first_mismatch(&seed)?.is_some() {
            return Err(Error::PhraseNotThisWallet);
        }
        let sealed = vault::seal(&secret, new, kdf)?;
        drop(secret);
        let _lock = atomic::lock_dir(&self.dir)?;
        self.store.save(&sealed)?;
        self.throttle = Throttle::default();
        self.throttle.save(self.store.as_ref())?;
        self.session = Some(seed);
        Ok(())
    }

    /// Forgets every secret (zeroized as it is dropped).
    pub fn lock(&mut self) {
        self.session = None;
    }

    /// The recovery phrase, after checking `password` again (even when unlocked).
    ///
    /// # Security
    /// For the one screen where the person asked to see their phrase. Never log or store it.
    pub fn reveal_phrase(&mut self, password: &SecretString) -> Result<SecretString> {
        Ok(self.open_vault(password)?.0.phrase.to_phrase_string())
    }

    /// Re-encrypts the vault under `new` (fresh salt and nonce), after checking `old`.
    pub fn change_password(&mut self, old: &SecretString, new: &SecretString) -> Result<()> {
        check_password(new)?;
        let (secret, kdf) = self.open_vault(old)?;
        let sealed = vault::seal(&secret, new, kdf)?;
        let _lock = atomic::lock_dir(&self.dir)?;
        self.store.save(&sealed)
    }

    /// Adds the next account, with `label` or "Account N". Needs the wallet unlocked.
    pub fn add_account(&mut self, label: Option<&str>) -> Result<AccountInfo> {
        if self.session.is_none() {
            return Err(Error::Locked);
        }
        let index = self.meta.accounts.iter().map(|a| a.index + 1).max().unwrap_or(0);
        let label_given = label.is_some();
        let label = match label {
            Some(l) => check_label(l)?,
            None => String::new(),
        };
        let scheme = self.meta.scheme;
        let mut added = None;
        let session = &self.session;
        update_meta(&self.dir, &mut self.meta, |meta| {
            let seed = session.as_ref().ok_or(Error::Locked)?;
            // Re-read inside the lock: another process may have added one meanwhile.
            let index = meta.accounts.iter().map(|a| a.index + 1).max().unwrap_or(0).max(index);
            let label = if label_given { label.clone() } else { default_label(index) };
            let key = derive_signing_key(seed, &scheme.path(index)?)?;
            let account = AccountInfo { index, label, address: address_of(&key) };
            meta.accounts.push(account.clone());
            added = Some(account);
            Ok(())
        })?;
        added.ok_or(Error::Locked)
    }

    /// Renames account `index`.
    pub fn set_label(&mut self, index: u32, label: &str) -> Result<()> {
        let label = check_label(label)?;
        update_meta(&self.dir, &mut self.meta, |meta| {
            let account = meta.accounts.iter_mut().find(|a| a.index == index).ok_or(Error::UnknownAccount { index })?;
            account.label = label;
            Ok(())
        })
    }

    /// The derivation path of account `index`.
    pub fn path_of(&self, index: u32) -> Result<DerivationPath> {
        self.account(index)?;
        self.meta.scheme.path(index)
    }

    fn account(&self, index: u32) -> Result<&AccountInfo> {
        self.meta.accounts.iter().find(|a| a.index == index).ok_or(Error::UnknownAccount { index })
    }

    /// An alloy signer for account `index`. Needs the wallet unlocked.
    ///
    /// # Security
    /// Holds the account's private key: use it for one operation and drop it.
    pub fn signer(&self, index: u32) -> Result<PrivateKeySigner> {
        let seed = self.session.as_ref().ok_or(Error::Locked)?;
        signer::signer_at(seed, &self.path_of(index)?)
    }

    /// Signs an EIP-191 personal message with account `index`.
    pub fn sign_message(&self, index: u32, message: &[u8]) -> Result<Signature> {
        signer::sign_message(&self.signer(index)?, message)
    }

    /// Signs EIP-712 typed data with account `index`.
    pub fn sign_typed_data(&self, index: u32, data: &TypedData) -> Result<Signature> {
        signer::sign_typed_data(&self.signer(index)?, data)
    }

    /// Signs a transaction with account `index`.
    pub fn sign_transaction(&self, index: u32, request: &TxRequest) -> Result<SignedTx> {
        signer::sign_transaction(&self.signer(index)?, signer::build_transaction(request)?)
    }

    /// Deletes the wallet after checking `password` (even when unlocked: whoever stands at an unlocked
    /// screen must not be able to erase it): the vault from its store, then the metadata. The
    /// recovery phrase is the only way back afterwards.
    pub fn delete(mut self, password: &SecretString) -> Result<()> {
        drop(self.open_vault(password)?);
        self.session = None;
        let _lock = atomic::lock_dir(&self.dir)?;
        self.store.delete()?;
        let path = self.dir.join(METADATA_FILE);
        std::fs::remove_file(&path).map_err(|e| Error::io(format!("cannot delete {}", path.display()), e))
    }

    fn meta_corrupt(&self, reason: &str) -> Error {
        Error::MetadataCorrupt { path: self.dir.join(METADATA_FILE), reason: reason.to_owned() }
    }

    fn save_meta(&self) -> Result<()> {
        let json = serde_json::to_vec_pretty(&self.meta).map_err(|e| self.meta_corrupt(&e.to_string()))?;
        atomic::write(&self.dir.join(METADATA_FILE), &json)
    }
}

/// Applies `change` to the metadata of `dir` as it is on disk now, under the data folder's lock, and
/// saves it; `meta` (this handle's copy) is then the saved one. On failure nothing changes.
fn update_meta(dir: &Path, meta: &mut Metadata, change: impl FnOnce(&mut Metadata) -> Result<()>) -> Result<()> {
    let _lock = atomic::lock_dir(dir)?;
    let mut fresh = read_meta(dir)?;
    let corrupt = |reason: &str| Error::MetadataCorrupt { path: dir.join(METADATA_FILE), reason: reason.to_owned() };
    if fresh.id != meta.id {
        return Err(corrupt("another wallet replaced this one"));
    }
    change(&mut fresh)?;
    let json = serde_json::to_vec_pretty(&fresh).map_err(|e| corrupt(&e.to_string()))?;
    atomic::write(&dir.join(METADATA_FILE), &json)?;
    *meta = fresh;
    Ok(())
}

fn new_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).map_err(Error::Random)?;
    Ok(alloy::hex::encode(bytes))
}

fn read_meta(dir: &Path) -> Result<Metadata> {
    let path = dir.join(METADATA_FILE);
    // Thousands of accounts take a few hundred kilobytes.
    let bytes = match crate::vault::atomic::read_data_file(&path, 8 << 20) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::NoWallet { path: dir.to_owned() }),
        Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
    };
    let corrupt = |reason: String| Error::MetadataCorrupt { path: path.clone(), reason };
    let meta: Metadata = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
    if meta.format != METADATA_FORMAT {
        return Err(corrupt(format!("unknown format {}", meta.format)));
    }
    if meta.accounts.is_empty() || meta.id.len() != 32 || !meta.id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(corrupt("missing accounts or id".into()));
    }
    Ok(meta)
}

#[cfg(test)]
impl Wallet {
    /// The public dev phrase's wallet in `dir` (file store, test key stretching), unlocked: for the
    /// core's unit tests that sign.
    pub(crate) fn dev_for_tests(dir: &Path) -> Self {
        let phrase =
            crate::keys::mnemonic::RecoveryPhrase::parse("test test test test test test test test test test test junk")
                .expect("phrase");
        let options =
            WalletOptions { store: StoreKind::File, kdf: KdfParams::INSECURE_TEST_ONLY, ..WalletOptions::default() };
        let secret = VaultSecret { phrase, passphrase: Default::default() };
        Wallet::create(dir, secret, &"correct horse battery".into(), &options).expect("wallet")
    }
}

#[cfg(test)]
#[path = "wallet_tests.rs"]
mod tests;
