//! The app's managed state. The unlocked wallet lives here, in Rust, and nowhere else.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex as SyncMutex};
use std::time::{Duration, Instant};

use wallet_core::keys::mnemonic::RecoveryPhrase;
use wallet_core::session::{Session, SessionOptions};
use wallet_core::vault::KdfParams;
use wallet_core::{Error, Result, StoreKind};

use crate::dto::{AccountView, AppStatus, Language, NetworkView, Settings};

/// The settings file in the data folder.
pub const SETTINGS_FILE: &str = "settings.json";

/// The language last chosen on this device, in the app's config folder (outside every data folder):
/// the next data folder's welcome screen starts in it.
pub const LANGUAGE_FILE: &str = "language.json";

/// A phrase generated for a new wallet, kept here until the backup quiz is passed.
pub(crate) struct PendingCreate {
    pub(crate) phrase: RecoveryPhrase,
    pub(crate) quiz: Vec<u32>,
}

/// Everything the commands share: the core's session (the wallet, the database, the network and
/// the quotes shown live there), and what only the app has (preferences, the backup quiz, links
/// from the OS, the dev chain it started).
pub struct AppState {
    pub(crate) session: Session,
    pub(crate) pending: SyncMutex<Option<PendingCreate>>,
    pub(crate) settings: SyncMutex<Settings>,
    pub(crate) last_activity: SyncMutex<Instant>,
    /// `ethereum:` links received before the UI asked for them.
    pub(crate) links: SyncMutex<Vec<String>>,
    /// Stops the dev chain this app started (when no network was configured), on exit. Only the
    /// `dev-chain` build starts one.
    pub(crate) devnet: Arc<SyncMutex<Option<DevChainStop>>>,
    /// The endpoint of the dev chain last used, so that Settings offers it again after a switch to
    /// another network (it is no preset: its address is the running chain's).
    pub(crate) dev_chain_url: SyncMutex<Option<String>>,
    /// The app's config folder on this device, where the last language chosen is kept (none in tests
    /// that give a data folder of their own).
    pub(crate) device_dir: Option<PathBuf>,
    /// Where files the person asks for are saved (a payment's proof): the downloads folder, else the
    /// documents folder, else the home folder; none when the platform has none of them.
    pub(crate) save_dir: Option<PathBuf>,
}

/// What stops a dev chain the app started.
pub(crate) type DevChainStop = Box<dyn FnOnce() + Send>;

/// The session's fallback network for the demo's build: a dev chain started with `anvil` (and saved
/// as the network) the first time a network is needed and none is set; `slot` gets what stops it.
#[cfg(any(test, feature = "dev-chain"))]
fn dev_chain_fallback(
    anvil: PathBuf,
    slot: Arc<SyncMutex<Option<DevChainStop>>>,
) -> wallet_core::session::NetworkFallback {
    use tender_devtools::devnet::{DEMO_MINING, Devnet};
    Box::new(move || {
        let (anvil, slot) = (anvil.clone(), slot.clone());
        Box::pin(async move {
            let devnet = Devnet::start_mining(anvil, DEMO_MINING).await?;
            let choice = wallet_core::chain::choice::NetworkChoice::Devnet { rpc_url: devnet.info().rpc_url.clone() };
            *lock(&slot) = Some(Box::new(move || devnet.stop()));
            Ok(choice)
        })
    })
}

fn lock<T>(m: &SyncMutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere never makes the state unusable: the data behind these locks stays consistent.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    /// State for data folder `dir`: new wallets go to `store`; with `anvil`, a dev chain is started
    /// (and saved as the network) the first time a network is needed and none is set.
    pub fn new(dir: PathBuf, store: StoreKind, anvil: Option<PathBuf>) -> Self {
        Self::with_kdf(dir, store, anvil, KdfParams::FOR_THIS_DEVICE)
    }

    /// As [`AppState::new`], with the key stretching of new wallets (tests use cheap parameters).
    pub fn with_kdf(dir: PathBuf, store: StoreKind, anvil: Option<PathBuf>, kdf: KdfParams) -> Self {
        let settings = load_settings(&dir);
        let devnet: Arc<SyncMutex<Option<DevChainStop>>> = Arc::default();
        #[cfg_attr(not(any(test, feature = "dev-chain")), allow(unused_mut))]
        let mut session = Session::new(dir, SessionOptions { new_store: store, kdf, network: None });
        #[cfg(any(test, feature = "dev-chain"))]
        if let Some(anvil) = anvil {
            session = session.with_fallback(dev_chain_fallback(anvil, devnet.clone()));
        }
        // A shopper's build starts no dev chain, whatever it is given.
        #[cfg(not(any(test, feature = "dev-chain")))]
        let _ = anvil;
        Self {
            session,
            pending: SyncMutex::new(None),
            settings: SyncMutex::new(settings),
            last_activity: SyncMutex::new(Instant::now()),
            links: SyncMutex::new(Vec::new()),
            devnet,
            dev_chain_url: SyncMutex::new(None),
            device_dir: None,
            save_dir: None,
        }
    }

    /// Saves what the person asks for (a payment's proof) in `dir`.
    pub fn with_save_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.save_dir = dir;
        self
    }

    /// Keeps the language chosen in `device_dir` too, for the next data folder: a data folder without
    /// settings of its own (a new one) starts in the language last chosen on this device.
    pub fn with_device_dir(mut self, device_dir: PathBuf) -> Self {
        if !self.dir().join(SETTINGS_FILE).exists()
            && let Some(language) = read_json::<Language>(&device_dir.join(LANGUAGE_FILE))
        {
            lock(&self.settings).language = language;
        }
        self.device_dir = Some(device_dir);
        self
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        self.session.dir()
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
        let dir = self.dir();
        wallet_core::vault::atomic::create_private_dir(dir)?;
        let json = serde_json::to_vec_pretty(&settings).map_err(|e| Error::Internal { detail: e.to_string() })?;
        // One writer per data folder, as for every other file of it.
        let _lock = wallet_core::vault::atomic::lock_dir(dir)?;
        wallet_core::vault::atomic::write(&dir.join(SETTINGS_FILE), &json)?;
        if let Some(device) = &self.device_dir {
            // Best effort: the data folder's own settings are saved; the next folder's default is not
            // worth failing the choice for.
            let language =
                serde_json::to_vec(&settings.language).map_err(|e| Error::Internal { detail: e.to_string() })?;
            if let Err(e) = wallet_core::vault::atomic::create_private_dir(device)
                .and_then(|()| wallet_core::vault::atomic::write(&device.join(LANGUAGE_FILE), &language))
            {
                eprintln!("tender: the language for the next data folder was not kept: {}", e.code());
            }
        }
        *lock(&self.settings) = settings;
        Ok(())
    }

    pub(crate) fn pending(&self) -> std::sync::MutexGuard<'_, Option<PendingCreate>> {
        lock(&self.pending)
    }

    pub(crate) fn dev_chain_url(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        lock(&self.dev_chain_url)
    }

    pub(crate) fn links(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        lock(&self.links)
    }

    /// The status the UI starts from.
    pub(crate) async fn status(&self) -> Result<AppStatus> {
        let status = self.session.status().await?;
        let wallet = status.wallet.as_ref();
        Ok(AppStatus {
            has_wallet: wallet.is_some(),
            unlocked: status.unlocked,
            accounts: wallet.map(|w| w.accounts.iter().map(AccountView::from).collect()).unwrap_or_default(),
            store: wallet.map(|w| w.store.into()),
            network: status.network.as_ref().map(NetworkView::from),
            settings: self.settings(),
            retry_after_secs: status.retry_after_secs,
        })
    }

    /// Locks the wallet if it is unlocked (never waits for the network); true when it was.
    pub(crate) async fn lock_wallet(&self) -> bool {
        self.session.lock().await
    }

    /// Stops the dev chain this app started, if any.
    pub fn shutdown(&self) {
        if let Some(stop) = lock(&self.devnet).take() {
            stop();
        }
    }
}

fn load_settings(dir: &Path) -> Settings {
    // A missing or unreadable settings file means defaults (auto-lock on); it holds no secret.
    read_json(&dir.join(SETTINGS_FILE)).unwrap_or_default()
}

/// A small JSON file of preferences, or `None` when it is missing or unreadable.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    wallet_core::vault::atomic::read_data_file(path, 64 * 1024).ok().and_then(|b| serde_json::from_slice(&b).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::Theme;

    #[test]
    fn settings_default_to_auto_lock_on_and_survive_a_restart() {
        let dir = tempfile::tempdir().expect("temp dir");
        let state = AppState::new(dir.path().to_path_buf(), StoreKind::File, None);
        assert_eq!(state.settings().auto_lock_minutes, 5);
        let mine = Settings { auto_lock_minutes: 1, theme: Theme::Dark, language: Language::Fr };
        state.save_settings(mine.clone()).expect("save");
        let again = AppState::new(dir.path().to_path_buf(), StoreKind::File, None);
        assert_eq!(again.settings(), mine);
        std::fs::write(dir.path().join(SETTINGS_FILE), b"{not json").expect("write");
        let corrupt = AppState::new(dir.path().to_path_buf(), StoreKind::File, None);
        assert_eq!(corrupt.settings(), Settings::default());
    }

    #[test]
    fn the_language_chosen_is_the_next_data_folders_first() {
        // Issue 21: a second data folder's welcome started in the system's language again.
        let device = tempfile::tempdir().expect("temp dir");
        let (first, second) = (tempfile::tempdir().expect("temp dir"), tempfile::tempdir().expect("temp dir"));
        let state =
            |dir: &Path| AppState::new(dir.to_path_buf(), StoreKind::File, None).with_device_dir(device.path().into());
        assert_eq!(state(first.path()).settings().language, Language::System, "nothing chosen yet");
        let chosen = Settings { language: Language::Fr, ..Settings::default() };
        state(first.path()).save_settings(chosen).expect("save");
        let next = state(second.path());
        assert_eq!(next.settings().language, Language::Fr, "the next data folder starts in it");
        assert_eq!(next.settings().theme, Theme::System, "only the language goes along");
        // A folder with settings of its own keeps its language, whatever is chosen elsewhere.
        next.save_settings(Settings { language: Language::En, ..Settings::default() }).expect("save");
        assert_eq!(state(first.path()).settings().language, Language::Fr);
        let third = tempfile::tempdir().expect("temp dir");
        assert_eq!(state(third.path()).settings().language, Language::En, "the last choice wins");
    }
}
