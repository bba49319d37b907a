//! The app's managed state. The unlocked wallet lives here, in Rust, and nowhere else.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex as SyncMutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::Mutex;
use wallet_core::db::{DB_FILE, Db};
use wallet_core::devnet::Devnet;
use wallet_core::mnemonic::RecoveryPhrase;
use wallet_core::network::{self, ChainClient, Network, NetworkChoice};
use wallet_core::payment::Quote;
use wallet_core::token::Token;
use wallet_core::{Error, Result, StoreKind, Wallet};

use crate::dto::{AccountView, AppStatus, NetworkView, Settings};

/// The settings file in the data folder.
pub const SETTINGS_FILE: &str = "settings.json";

/// A phrase generated for a new wallet, kept here until the backup quiz is passed.
pub(crate) struct PendingCreate {
    pub(crate) phrase: RecoveryPhrase,
    pub(crate) quiz: Vec<u32>,
}

/// The network in use and a client that has proven it serves that chain.
#[derive(Default)]
pub(crate) struct Chain {
    pub(crate) network: Option<Network>,
    pub(crate) client: Option<ChainClient>,
}

/// Everything the commands share. Locks are taken in the order wallet → db → chain.
pub struct AppState {
    pub(crate) dir: PathBuf,
    /// Where new vaults go: the OS keyring unless `TENDER_STORE=file`.
    pub(crate) store: StoreKind,
    pub(crate) wallet: Mutex<Option<Wallet>>,
    pub(crate) db: Mutex<Option<Db>>,
    pub(crate) chain: Mutex<Chain>,
    pub(crate) pending: SyncMutex<Option<PendingCreate>>,
    /// The quotes shown, by id: what the person confirms is exactly what is signed. Cleared on lock.
    pub(crate) quotes: SyncMutex<HashMap<String, Quote>>,
    /// The network in use as last known, for the status (which must never wait for the chain lock:
    /// that one is held across network calls).
    pub(crate) network_shown: SyncMutex<Option<NetworkView>>,
    pub(crate) settings: SyncMutex<Settings>,
    pub(crate) last_activity: SyncMutex<Instant>,
    /// `ethereum:` links received before the UI asked for them.
    pub(crate) links: SyncMutex<Vec<String>>,
    /// The dev chain this app started (when no network was configured); stopped on exit.
    pub(crate) devnet: SyncMutex<Option<Devnet>>,
    /// The anvil binary for that dev chain, when one is available.
    pub(crate) anvil: Option<PathBuf>,
}

pub(crate) fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn lock<T>(m: &SyncMutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere never makes the state unusable: the data behind these locks stays consistent.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    /// State for data folder `dir`.
    pub fn new(dir: PathBuf, store: StoreKind, anvil: Option<PathBuf>) -> Self {
        let settings = load_settings(&dir);
        Self {
            dir,
            store,
            wallet: Mutex::new(None),
            db: Mutex::new(None),
            chain: Mutex::new(Chain::default()),
            pending: SyncMutex::new(None),
            quotes: SyncMutex::new(HashMap::new()),
            network_shown: SyncMutex::new(None),
            settings: SyncMutex::new(settings),
            last_activity: SyncMutex::new(Instant::now()),
            links: SyncMutex::new(Vec::new()),
            devnet: SyncMutex::new(None),
            anvil,
        }
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Records that the person did something (resets the auto-lock timer).
    pub(crate) fn touch(&self) {
        *lock(&self.last_activity) = Instant::now();
    }

    /// Time since the person last did something.
    pub(crate) fn idle(&self) -> Duration {
        lock(&self.last_activity).elapsed()
    }

    pub(crate) fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    pub(crate) fn save_settings(&self, settings: Settings) -> Result<()> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| Error::Io { context: self.dir.display().to_string(), source: e })?;
        let json = serde_json::to_vec_pretty(&settings).map_err(|e| Error::Database { detail: e.to_string() })?;
        // One writer per data folder, as for every other file of it.
        let _lock = wallet_core::atomic::lock_dir(&self.dir)?;
        wallet_core::atomic::write(&self.dir.join(SETTINGS_FILE), &json)?;
        *lock(&self.settings) = settings;
        Ok(())
    }

    pub(crate) fn pending(&self) -> std::sync::MutexGuard<'_, Option<PendingCreate>> {
        lock(&self.pending)
    }

    pub(crate) fn quotes(&self) -> std::sync::MutexGuard<'_, HashMap<String, Quote>> {
        lock(&self.quotes)
    }

    pub(crate) fn links(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        lock(&self.links)
    }

    /// Opens the wallet of the data folder into `slot` if it is not open yet.
    pub(crate) fn open_wallet<'a>(&self, slot: &'a mut Option<Wallet>) -> Result<Option<&'a mut Wallet>> {
        if slot.is_none() && Wallet::exists(&self.dir) {
            let info = Wallet::read_info(&self.dir)?;
            *slot = Some(Wallet::open(&self.dir, info.store)?);
        }
        Ok(slot.as_mut())
    }

    /// The wallet's database, opened on first use.
    pub(crate) fn open_db<'a>(&self, slot: &'a mut Option<Db>) -> Result<&'a mut Db> {
        if slot.is_none() {
            std::fs::create_dir_all(&self.dir)
                .map_err(|e| Error::Io { context: self.dir.display().to_string(), source: e })?;
            *slot = Some(Db::open(&self.dir.join(DB_FILE))?);
        }
        slot.as_mut().ok_or(Error::Database { detail: "database not open".into() })
    }

    /// The network in use: the saved choice; with none saved, a dev chain this app starts (with
    /// the store token), saved as the choice. No network at all is [`Error::InputMissing`].
    pub(crate) async fn network(&self, chain: &mut Chain) -> Result<Network> {
        if let Some(n) = &chain.network {
            return Ok(n.clone());
        }
        let network = match NetworkChoice::load(&self.dir)? {
            Some(choice) => choice.to_network()?,
            None => self.start_devnet().await?,
        };
        chain.network = Some(network.clone());
        *lock(&self.network_shown) = Some(NetworkView::from(&network));
        Ok(network)
    }

    async fn start_devnet(&self) -> Result<Network> {
        let Some(anvil) = self.anvil.clone() else {
            return Err(Error::InputMissing { what: "no network is set: choose one in Settings".into() });
        };
        let devnet = Devnet::start(anvil).await?;
        let rpc_url = devnet.info().rpc_url.clone();
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| Error::Io { context: self.dir.display().to_string(), source: e })?;
        let choice = NetworkChoice::Devnet { rpc_url: rpc_url.clone() };
        choice.save(&self.dir)?;
        *lock(&self.devnet) = Some(devnet);
        Network::devnet(&rpc_url)
    }

    /// A connected client, reused while it works. `Err` carries why there is none (offline).
    pub(crate) async fn client(&self, chain: &mut Chain) -> Result<ChainClient> {
        let network = self.network(chain).await?;
        if let Some(c) = &chain.client {
            return Ok(c.clone());
        }
        let client = network::connect(&network).await?;
        chain.client = Some(client.clone());
        Ok(client)
    }

    /// Switches to `choice`: it must answer with the right chain before it is saved.
    pub(crate) async fn set_network(&self, choice: NetworkChoice) -> Result<Network> {
        let network = choice.to_network()?;
        let client = network::connect(&network).await?;
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| Error::Io { context: self.dir.display().to_string(), source: e })?;
        choice.save(&self.dir)?;
        let mut chain = self.chain.lock().await;
        *chain = Chain { network: Some(network.clone()), client: Some(client) };
        *lock(&self.network_shown) = Some(NetworkView::from(&network));
        self.quotes().clear();
        Ok(network)
    }

    /// The status the UI starts from.
    pub(crate) async fn status(&self) -> Result<AppStatus> {
        let network = lock(&self.network_shown).clone();
        let mut slot = self.wallet.lock().await;
        let wallet = self.open_wallet(&mut slot)?;
        Ok(match wallet {
            Some(w) => {
                let info = w.info();
                AppStatus {
                    has_wallet: true,
                    unlocked: w.is_unlocked(),
                    accounts: info.accounts.iter().map(AccountView::from).collect(),
                    store: Some(info.store.as_str().into()),
                    network,
                    settings: self.settings(),
                    retry_after_secs: w.retry_after_secs(),
                }
            }
            None => AppStatus {
                has_wallet: false,
                unlocked: false,
                accounts: Vec::new(),
                store: None,
                network,
                settings: self.settings(),
                retry_after_secs: 0,
            },
        })
    }

    /// Locks the wallet if it is unlocked; true when it was. Quotes shown are forgotten too: after
    /// unlocking, the person reviews a payment again. The wallet lock is never held across a
    /// network call, so this never waits for the network.
    pub(crate) async fn lock_wallet(&self) -> bool {
        self.quotes().clear();
        let mut slot = self.wallet.lock().await;
        match slot.as_mut() {
            Some(w) if w.is_unlocked() => {
                w.lock();
                true
            }
            _ => false,
        }
    }

    /// Stops the dev chain this app started, if any.
    pub fn shutdown(&self) {
        if let Some(d) = lock(&self.devnet).take() {
            d.stop();
        }
    }
}

/// The tokens shown on `chain_id`: Tender's list, then the person's own.
pub(crate) fn tokens(db: &Db, chain_id: u64) -> Result<Vec<Token>> {
    wallet_core::token::known_tokens(db, chain_id)
}

fn load_settings(dir: &Path) -> Settings {
    // A missing or unreadable settings file means defaults (auto-lock on); it holds no secret.
    std::fs::read(dir.join(SETTINGS_FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_default_to_auto_lock_on_and_survive_a_restart() {
        let dir = tempfile::tempdir().expect("temp dir");
        let state = AppState::new(dir.path().to_path_buf(), StoreKind::File, None);
        assert_eq!(state.settings().auto_lock_minutes, 5);
        let mine = Settings { auto_lock_minutes: 1, theme: "dark".into(), language: "fr".into() };
        state.save_settings(mine.clone()).expect("save");
        let again = AppState::new(dir.path().to_path_buf(), StoreKind::File, None);
        assert_eq!(again.settings(), mine);
        std::fs::write(dir.path().join(SETTINGS_FILE), b"{not json").expect("write");
        let corrupt = AppState::new(dir.path().to_path_buf(), StoreKind::File, None);
        assert_eq!(corrupt.settings(), Settings::default());
    }
}
