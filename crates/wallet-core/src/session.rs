//! The wallet session: what both faces (the `tender` command and the app) call. It owns the data
//! folder, the wallet, the database and the network client, and offers the operations a face needs,
//! each written once: status, portfolio, history, quote and pay, restore with discovery, receive
//! requests, the network, tokens, accounts, and deleting (always with the password).
//!
//! Locks: the wallet, the database and the chain each have their own, and **the wallet's is never
//! held across a network call**, so locking the wallet always takes effect at once. The chain's is
//! held only to pick the network and connect (bounded by the transport's deadlines). Quoting holds no
//! database lock while it asks the network; refreshing balances, catching up the history and sending
//! a payment do (they interleave reads and writes with the node's answers), for at most the
//! transport's deadlines.

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Mutex as SyncMutex;
use std::time::Duration;

use alloy::primitives::{Address, B256, U256};
use tokio::sync::Mutex;

use crate::chain::balance::{self, Refresh};
use crate::chain::discovery::{self, Discovery};
use crate::chain::history::{ScanOptions, scan_received};
use crate::chain::network::{self, ChainClient, Network, NetworkChoice};
use crate::chain::token::{self, Token, format_amount};
use crate::error::{Error, ErrorCode, Result, StoreKind};
use crate::keys::derivation::AccountScheme;
use crate::keys::mnemonic::RecoveryPhrase;
use crate::pay::gasless::{self, GaslessQuote};
use crate::pay::payee;
use crate::pay::payment::{self, Quote, Tracking};
use crate::pay::replace::{self, ReplacementQuote};
use crate::pay::request::{PaymentRequest, Target};
use crate::pay::revoke;
use crate::pay::verdict::Sheet;
use crate::pay::x402::{self, Link};
use crate::secret::SecretString;
use crate::store::{
    AuthorizationRecord, CachedBalance, DB_FILE, Db, PaymentKind, PaymentRecord, PaymentStatus, Received,
};
use crate::vault::{KdfParams, VaultSecret};
use crate::wallet::{AccountInfo, Wallet, WalletInfo, WalletOptions};

/// Most quotes kept in memory at once (a sheet per request looked at; the oldest is dropped).
pub const MAX_QUOTES: usize = 8;
/// How long reading the balances live may take before the last known ones are shown instead.
pub const LIVE_BALANCES_DEADLINE: Duration = Duration::from_secs(10);
/// Most accounts discovery looks at when restoring.
pub const MAX_DISCOVERY: u32 = 1000;

/// What a session is opened with.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// Where a new wallet's vault goes (an existing wallet is opened where it was created).
    pub new_store: StoreKind,
    /// Key stretching for a new wallet.
    pub kdf: KdfParams,
    /// A network for this session only (command-line flags), instead of the saved one.
    pub network: Option<NetworkChoice>,
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self { new_store: StoreKind::Keyring, kdf: KdfParams::FOR_THIS_DEVICE, network: None }
    }
}

/// Makes a network when none is chosen (the app's debug builds start a dev chain).
pub type NetworkFallback = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Result<NetworkChoice>> + Send>> + Send + Sync>;

/// The network in use and a client that has proven it serves that chain.
#[derive(Default)]
struct Chain {
    network: Option<Network>,
    client: Option<ChainClient>,
}

/// Where the wallet stands, for a face's first screen.
#[derive(Debug, Clone)]
pub struct Status {
    /// The wallet, when this data folder has one (public data only).
    pub wallet: Option<WalletInfo>,
    /// It is unlocked.
    pub unlocked: bool,
    /// The network in use as last known (never waits for the network).
    pub network: Option<Network>,
    /// Seconds before another password attempt is accepted.
    pub retry_after_secs: u64,
}

/// One line of a portfolio.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Holding {
    /// The token, or `None` for the native currency.
    pub token: Option<Token>,
    /// Symbol.
    pub symbol: String,
    /// Name.
    pub name: String,
    /// Decimals.
    pub decimals: u8,
    /// Base units (zero when never read).
    #[serde(with = "crate::text::decimal")]
    pub amount: U256,
    /// Exact, in the asset's units.
    pub display: String,
    /// When it was read (Unix seconds), if ever.
    pub fetched_at: Option<u64>,
    /// The block it was read at, if ever.
    pub block_number: Option<u64>,
}

/// The balances of one account: the featured store token first, then the native currency, then the
/// other tokens.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Portfolio {
    /// The account.
    pub account: AccountInfo,
    /// Its holdings, in the order shown.
    pub holdings: Vec<Holding>,
}

/// Balances of some accounts, live or as last known.
#[derive(Debug, Clone)]
pub struct Portfolios {
    /// The network.
    pub network: Network,
    /// One per account asked.
    pub accounts: Vec<Portfolio>,
    /// Read from the network just now.
    pub live: bool,
    /// Requests it took (0 when not live).
    pub requests: u32,
    /// Why not live (the network's error code and message), for the offline banner.
    pub offline: Option<Notice>,
}

/// Something a face shows beside a result (the network is down, discovery was skipped, …): a code
/// to translate, and the detail in English for support.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notice {
    /// Stable code (an error code).
    pub code: ErrorCode,
    /// The detail (for support; the face shows its own words for the code).
    pub message: String,
    /// The values the face's wording uses ([`Error::params`]).
    pub params: Vec<(&'static str, String)>,
}

impl From<&Error> for Notice {
    fn from(e: &Error) -> Self {
        Self { code: e.error_code(), message: e.to_string(), params: e.params() }
    }
}

/// Which way a history item went.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A payment this wallet made.
    Sent,
    /// A transfer one of its accounts received.
    Received,
}

/// One line of the history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryItem {
    /// Which way.
    pub direction: Direction,
    /// The account it belongs to.
    pub account_index: u32,
    /// Symbol of the asset (the contract, checksummed, for a token the wallet does not list).
    pub symbol: String,
    /// Its decimals (0 for an unlisted token: the amount is then shown in base units).
    pub decimals: u8,
    /// Exact display amount.
    pub amount_display: String,
    /// Explorer link, where the network has one.
    pub explorer: Option<String>,
    /// The payment, for a sent item paid on chain.
    pub payment: Option<PaymentRecord>,
    /// The authorization, for a sent item paid gasless (a shop's x402 checkout).
    pub authorization: Option<AuthorizationRecord>,
    /// The transfer, for a received item.
    pub received: Option<Received>,
    /// Why a received transfer is suspect (its sender imitates a known address, or it moved nothing).
    pub suspicion: Option<payee::Suspicion>,
    /// Hidden unless the person asks: zero-value transfers, and dust from imitating addresses.
    pub hidden: bool,
}

impl HistoryItem {
    /// Its block, once mined.
    pub fn block_number(&self) -> Option<u64> {
        match (&self.payment, &self.authorization, &self.received) {
            (Some(p), _, _) => p.block_number,
            (_, Some(a), _) => a.block_number,
            (_, _, r) => r.as_ref().map(|r| r.block_number),
        }
    }

    /// When it happened (Unix seconds): when a payment was signed; a received transfer's block time
    /// (unknown: its place by block only).
    pub fn time(&self) -> u64 {
        match (&self.payment, &self.authorization, &self.received) {
            (Some(p), _, _) => p.created_at,
            (_, Some(a), _) => a.created_at,
            (_, _, r) => r.as_ref().and_then(|r| r.block_time).unwrap_or(0),
        }
    }

    /// Whether money moved, by the chain's word: a received transfer, a payment confirmed, or one
    /// not confirmed whose payee the token says received something. Only these are shown as a debit
    /// or a credit: an outstanding payment has moved nothing so far, and one that failed, expired,
    /// was replaced or cancelled moved nothing at all.
    pub fn moved(&self) -> bool {
        self.received.is_some() || money_moved(self.payment.as_ref(), self.authorization.as_ref())
    }

    /// Until when a signed payment the chain has not decided could still move money, when that is
    /// known: a gasless authorization's `validBefore` (the chain's clock, Unix seconds).
    pub fn valid_until(&self) -> Option<u64> {
        open_until(self.authorization.as_ref())
    }

    /// Its status: a payment's, and `confirmed` for a received transfer.
    pub fn status(&self) -> PaymentStatus {
        match (&self.payment, &self.authorization) {
            (Some(p), _) => p.status,
            (_, Some(a)) => a.status,
            _ => PaymentStatus::Confirmed,
        }
    }
}

/// Whether the payment or authorization moved money by the chain's word (see [`HistoryItem::moved`]).
fn money_moved(payment: Option<&PaymentRecord>, authorization: Option<&AuthorizationRecord>) -> bool {
    let (status, received) = match (payment, authorization) {
        (Some(p), _) => (p.status, p.received),
        (_, Some(a)) => (a.status, a.received),
        _ => return false,
    };
    status == PaymentStatus::Confirmed
        || (status == PaymentStatus::Unconfirmed && received.is_some_and(|r| !r.is_zero()))
}

/// Until when an authorization the chain has not decided stays valid (see [`HistoryItem::valid_until`]).
fn open_until(authorization: Option<&AuthorizationRecord>) -> Option<u64> {
    authorization.filter(|a| a.status.is_unfinished()).map(|a| a.valid_before)
}

/// The history of some accounts, newest first.
#[derive(Debug, Clone)]
pub struct History {
    /// The network.
    pub network: Network,
    /// Items, newest first whatever their state.
    pub items: Vec<HistoryItem>,
    /// Why it may be incomplete (offline, a bad answer).
    pub notice: Option<Notice>,
}

/// A payment's outcome, as shown.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Receipt {
    /// Where the payment stands.
    pub status: PaymentStatus,
    /// Its transaction (a gasless payment's once the shop settled it on chain).
    pub tx_hash: Option<B256>,
    /// The block it was mined in.
    pub block_number: Option<u64>,
    /// What went wrong (a refusal, a failure), from the stored record.
    pub error: Option<String>,
    /// The stored payment, when paid on chain.
    pub payment: Option<PaymentRecord>,
    /// The stored authorization, when paid gasless.
    pub authorization: Option<AuthorizationRecord>,
    /// Symbol of what was paid.
    pub symbol: String,
    /// Its decimals.
    pub decimals: u8,
    /// Exact display amount.
    pub amount_display: String,
    /// Explorer link.
    pub explorer: Option<String>,
    /// Why it was not sent (saved, not sent: the network could not be reached).
    pub notice: Option<Notice>,
}

impl Receipt {
    /// Whether money moved, by the chain's word (see [`HistoryItem::moved`]).
    pub fn moved(&self) -> bool {
        money_moved(self.payment.as_ref(), self.authorization.as_ref())
    }

    /// Until when the signed payment stays valid while undecided (see [`HistoryItem::valid_until`]).
    pub fn valid_until(&self) -> Option<u64> {
        open_until(self.authorization.as_ref())
    }
}

/// What a restore found and made.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Restored {
    /// The new wallet.
    pub wallet: WalletInfo,
    /// What discovery found, when it ran.
    pub discovery: Option<Discovery>,
    /// Why it did not run (no network, offline).
    pub notice: Option<Notice>,
}

/// A request to be paid to one of the accounts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReceiveRequest {
    /// The account's address.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub address: Address,
    /// The `ethereum:` URI for the QR code.
    pub uri: String,
}

/// The wallet session of one data folder.
pub struct Session {
    dir: PathBuf,
    options: SessionOptions,
    wallet: Mutex<Option<Wallet>>,
    db: Mutex<Option<Db>>,
    chain: Mutex<Chain>,
    quotes: SyncMutex<HashMap<String, Kept>>,
    shown: SyncMutex<Option<Network>>,
    fallback: Option<NetworkFallback>,
}

/// Which of a sheet's warnings the person explicitly acknowledged before paying. `true` stands for
/// all of them (the app's sheet has one tick per warning and pays only when all are ticked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Acknowledged {
    /// Pay although it looks like a payment made already (a probable duplicate).
    pub duplicate: bool,
    /// Pay although the payee only looks like an address this wallet knows.
    pub lookalike: bool,
}

impl From<bool> for Acknowledged {
    fn from(all: bool) -> Self {
        Self { duplicate: all, lookalike: all }
    }
}

/// A quote a sheet showed, kept by its id until it is paid or expires.
enum Kept {
    OnChain(Box<Quote>),
    Gasless(Box<GaslessQuote>),
    Replacement(Box<ReplacementQuote>),
}

impl Kept {
    fn created_at(&self) -> u64 {
        match self {
            Kept::OnChain(q) => q.created_at,
            Kept::Gasless(q) => q.created_at,
            Kept::Replacement(q) => q.created_at,
        }
    }

    fn expires_at(&self) -> u64 {
        match self {
            Kept::OnChain(q) => q.expires_at,
            Kept::Gasless(q) => q.expires_at,
            Kept::Replacement(q) => q.expires_at,
        }
    }
}

fn lock<T>(m: &SyncMutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere never makes the session unusable: what these guard stays consistent.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs blocking work (key stretching, keyring calls) where it cannot stall or break the async
/// runtime: in place on a multi-threaded runtime's worker (`block_in_place`), on a thread of its own
/// under a current-thread runtime (the OS keyring's D-Bus client starts a runtime of its own, which
/// panics inside another), inline outside any runtime.
fn blocking<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        Ok(_) => std::thread::scope(|scope| scope.spawn(f).join()).unwrap_or_else(|p| std::panic::resume_unwind(p)),
        Err(_) => f(),
    }
}

impl Session {
    /// The session of data folder `dir` (nothing is read or created yet).
    pub fn new(dir: impl Into<PathBuf>, options: SessionOptions) -> Self {
        Self {
            dir: dir.into(),
            options,
            wallet: Mutex::new(None),
            db: Mutex::new(None),
            chain: Mutex::new(Chain::default()),
            quotes: SyncMutex::new(HashMap::new()),
            shown: SyncMutex::new(None),
            fallback: None,
        }
    }

    /// With `fallback` making a network when none is chosen (it is then saved as the choice).
    pub fn with_fallback(mut self, fallback: NetworkFallback) -> Self {
        self.fallback = Some(fallback);
        self
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn create_dir(&self) -> Result<()> {
        crate::vault::atomic::create_private_dir(&self.dir)
    }

    // ----- the wallet -----

    fn open_wallet<'a>(&self, slot: &'a mut Option<Wallet>) -> Result<&'a mut Wallet> {
        if slot.is_none() {
            if !Wallet::exists(&self.dir) {
                return Err(Error::NoWallet { path: self.dir.clone() });
            }
            let dir = &self.dir;
            *slot = Some(blocking(|| Wallet::open_recorded(dir))?);
        }
        slot.as_mut().ok_or_else(|| Error::NoWallet { path: self.dir.clone() })
    }

    /// Where the wallet stands (never waits for the network).
    pub async fn status(&self) -> Result<Status> {
        let network = lock(&self.shown).clone();
        let mut slot = self.wallet.lock().await;
        if !Wallet::exists(&self.dir) && slot.is_none() {
            return Ok(Status { wallet: None, unlocked: false, network, retry_after_secs: 0 });
        }
        let w = self.open_wallet(&mut slot)?;
        Ok(Status {
            wallet: Some(w.info()),
            unlocked: w.is_unlocked(),
            network,
            retry_after_secs: w.retry_after_secs(),
        })
    }

    /// The wallet's accounts (public).
    pub async fn accounts(&self) -> Result<Vec<AccountInfo>> {
        let mut slot = self.wallet.lock().await;
        Ok(self.open_wallet(&mut slot)?.info().accounts)
    }

    /// The addresses of every account of the wallet.
    async fn own_addresses(&self) -> Result<Vec<Address>> {
        Ok(self.accounts().await?.into_iter().map(|a| a.address).collect())
    }

    /// Account `index`.
    pub async fn account(&self, index: u32) -> Result<AccountInfo> {
        self.accounts().await?.into_iter().find(|a| a.index == index).ok_or(Error::UnknownAccount { index })
    }

    /// Unlocks with `password` (wrong guesses are slowed down by the wallet).
    pub async fn unlock(&self, password: &SecretString) -> Result<()> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        blocking(|| w.unlock(password))
    }

    /// Unlocks, and returns the last known balances of account `index` (all with `None`) for the
    /// screen that follows: they are read from the database in the same call as the key is derived,
    /// so a face paints them as soon as the password is confirmed, without another round trip.
    /// Nothing is returned unless the password was right; `None` when the cache cannot be read
    /// (the screen then reads it itself and shows why).
    pub async fn unlock_to(&self, password: &SecretString, index: Option<u32>) -> Result<Option<Portfolios>> {
        let (cached, unlocked) = tokio::join!(self.cached_portfolios(index), self.unlock(password));
        unlocked?;
        Ok(cached.ok())
    }

    /// Locks now: every secret in memory is zeroized, and the quotes shown are forgotten (after
    /// unlocking, the person reviews a payment again). True when it was unlocked.
    pub async fn lock(&self) -> bool {
        lock(&self.quotes).clear();
        let mut slot = self.wallet.lock().await;
        match slot.as_mut() {
            Some(w) if w.is_unlocked() => {
                w.lock();
                true
            }
            _ => false,
        }
    }

    /// Creates a wallet protecting `secret` under `password`, with `accounts` accounts, its vault in
    /// `store` (default: the session's). It stays unlocked.
    pub async fn create(
        &self,
        secret: VaultSecret,
        password: &SecretString,
        accounts: u32,
        store: Option<StoreKind>,
    ) -> Result<WalletInfo> {
        crate::wallet::check_password(password)?;
        let mut slot = self.wallet.lock().await;
        if Wallet::exists(&self.dir) {
            return Err(Error::WalletExists { path: self.dir.clone() });
        }
        self.create_dir()?;
        let options = WalletOptions {
            store: store.unwrap_or(self.options.new_store),
            kdf: self.options.kdf,
            accounts,
            ..WalletOptions::default()
        };
        let wallet = blocking(|| Wallet::create(&self.dir, secret, password, &options))?;
        let info = wallet.info();
        *slot = Some(wallet);
        Ok(info)
    }

    /// Restores a wallet from `phrase` (and BIP39 `passphrase`): finds the accounts in use on the
    /// network (reporting `(scanned, used)` to `progress`), then creates it with at least
    /// `min_accounts` accounts. Without a reachable network, discovery is skipped with a notice.
    pub async fn restore(
        &self,
        phrase: RecoveryPhrase,
        passphrase: SecretString,
        password: &SecretString,
        min_accounts: u32,
        store: Option<StoreKind>,
        progress: impl FnMut(u32, usize),
    ) -> Result<Restored> {
        crate::wallet::check_password(password)?;
        if Wallet::exists(&self.dir) {
            return Err(Error::WalletExists { path: self.dir.clone() });
        }
        let (found, notice) = match self.client().await {
            Ok(client) => {
                let seed = phrase.to_seed(&passphrase);
                let tokens: Vec<_> = token::builtin_tokens(client.network.chain_id).iter().map(|t| t.address).collect();
                match discovery::discover(&client, &seed, AccountScheme::Bip44, &tokens, MAX_DISCOVERY, progress).await
                {
                    Ok(d) => (Some(d), None),
                    Err(e) => (None, Some(Notice::from(&e))),
                }
            }
            Err(e @ Error::ChainIdMismatch { .. }) => return Err(e),
            Err(e) => (None, Some(Notice::from(&e))),
        };
        let accounts = min_accounts.max(found.as_ref().map_or(1, |d| d.accounts));
        let wallet = self.create(VaultSecret { phrase, passphrase }, password, accounts, store).await?;
        Ok(Restored { wallet, discovery: found, notice })
    }

    /// Adds the next account (needs the wallet unlocked).
    pub async fn add_account(&self, label: Option<&str>) -> Result<AccountInfo> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        blocking(|| w.add_account(label))
    }

    /// Renames account `index`.
    pub async fn rename_account(&self, index: u32, label: &str) -> Result<WalletInfo> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        blocking(|| w.set_label(index, label))?;
        Ok(w.info())
    }

    /// The recovery phrase, for the password-guarded "show recovery phrase" screen.
    pub async fn reveal_phrase(&self, password: &SecretString) -> Result<SecretString> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        blocking(|| w.reveal_phrase(password))
    }

    /// Re-encrypts the vault under `new`.
    pub async fn change_password(&self, old: &SecretString, new: &SecretString) -> Result<()> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        blocking(|| w.change_password(old, new))
    }

    /// Deletes the wallet from this device: only with its `password` (the owner, not someone at an
    /// unlocked screen), and only after the person confirmed the phrase is written down
    /// (`phrase_saved`). Nothing is deleted on a refusal.
    pub async fn delete(&self, password: &SecretString, phrase_saved: bool) -> Result<()> {
        if !phrase_saved {
            return Err(Error::ConfirmationRequired {
                what: "confirm that your recovery phrase is written down: it is the only way back to these funds"
                    .into(),
            });
        }
        let mut slot = self.wallet.lock().await;
        self.open_wallet(&mut slot)?;
        let Some(w) = slot.take() else { return Err(Error::NoWallet { path: self.dir.clone() }) };
        if let Err(e) = blocking(|| w.delete(password)) {
            // Nothing was deleted: the wallet stays open, as it was.
            let dir = &self.dir;
            *slot = blocking(|| Wallet::open_recorded(dir)).ok();
            return Err(e);
        }
        lock(&self.quotes).clear();
        Ok(())
    }

    /// Signs with the unlocked wallet under its lock (no network call is made while it is held).
    pub async fn with_unlocked<T>(&self, f: impl FnOnce(&Wallet) -> Result<T>) -> Result<T> {
        let mut slot = self.wallet.lock().await;
        let w = self.open_wallet(&mut slot)?;
        if !w.is_unlocked() {
            return Err(Error::Locked);
        }
        f(w)
    }

    // ----- the database -----

    async fn db(&self) -> Result<tokio::sync::MutexGuard<'_, Option<Db>>> {
        let mut slot = self.db.lock().await;
        if slot.is_none() {
            self.create_dir()?;
            *slot = Some(Db::open(&self.dir.join(DB_FILE))?);
        }
        Ok(slot)
    }

    // ----- the network -----

    /// The network in use: this session's (flags), else the saved choice, else the fallback's
    /// (saved as the choice). None at all is [`Error::InputMissing`].
    pub async fn network(&self) -> Result<Network> {
        let mut chain = self.chain.lock().await;
        self.network_in(&mut chain).await
    }

    async fn network_in(&self, chain: &mut Chain) -> Result<Network> {
        if let Some(n) = &chain.network {
            return Ok(n.clone());
        }
        let choice = match &self.options.network {
            Some(c) => c.clone(),
            None => match NetworkChoice::load(&self.dir)? {
                Some(c) => c,
                None => match &self.fallback {
                    Some(make) => {
                        let choice = make().await?;
                        self.create_dir()?;
                        choice.save(&self.dir)?;
                        choice
                    }
                    None => {
                        return Err(Error::InputMissing { what: "no network is set: choose one first".into() });
                    }
                },
            },
        };
        let network = choice.to_network()?;
        chain.network = Some(network.clone());
        *lock(&self.shown) = Some(network.clone());
        Ok(network)
    }

    /// A client connected to the network in use, reused while it works.
    pub async fn client(&self) -> Result<ChainClient> {
        let network = {
            let mut chain = self.chain.lock().await;
            if let Some(c) = &chain.client {
                return Ok(c.clone());
            }
            self.network_in(&mut chain).await?
        };
        // Connecting is not done under the lock: a node slow to answer must not hold up what reads
        // only the network's settings (the cached balances, the status).
        let client = network::connect(&network).await?;
        let mut chain = self.chain.lock().await;
        match (&chain.client, &chain.network) {
            (Some(c), _) => Ok(c.clone()),
            // Switched meanwhile: this client is for the old network; the next call connects anew.
            (None, Some(now)) if *now != network => Err(Error::RpcUnavailable { detail: "the network changed".into() }),
            _ => {
                chain.client = Some(client.clone());
                Ok(client)
            }
        }
    }

    /// Forgets the client (reconnect next time: the endpoint may be back, or another may answer).
    async fn drop_client(&self) {
        self.chain.lock().await.client = None;
    }

    /// The choice for an endpoint the person typed: its chain id is asked from it (or `chain_id`,
    /// which it must then serve).
    pub async fn choice_for_endpoint(rpc_url: &str, chain_id: Option<u64>) -> Result<NetworkChoice> {
        let chain_id = match chain_id {
            Some(id) => id,
            None => {
                let probe = Network::custom(1, "probe", rpc_url.trim())?;
                network::reported_chain_id(&probe.rpc_urls[0]).await?
            }
        };
        Ok(NetworkChoice::for_endpoint(chain_id, rpc_url))
    }

    /// Switches to `choice`: it must answer with the right chain before it is saved. Quotes shown
    /// on the old network are forgotten.
    pub async fn set_network(&self, choice: NetworkChoice) -> Result<Network> {
        let network = choice.to_network()?;
        let client = network::connect(&network).await?;
        self.create_dir()?;
        choice.save(&self.dir)?;
        *self.chain.lock().await = Chain { network: Some(network.clone()), client: Some(client) };
        *lock(&self.shown) = Some(network.clone());
        lock(&self.quotes).clear();
        Ok(network)
    }

    // ----- tokens and balances -----

    /// The tokens shown on the network in use: Tender's list, then the person's own.
    pub async fn tokens(&self) -> Result<Vec<Token>> {
        let chain_id = self.network().await?.chain_id;
        let db = self.db().await?;
        token::known_tokens(db.as_ref().ok_or(Error::Database { detail: "not open".into() })?, chain_id)
    }

    /// Adds the token at `address` (read from the chain; shown as unverified). False when it was
    /// listed already.
    pub async fn add_token(&self, address: Address) -> Result<(Token, bool)> {
        if let Some(known) = self.tokens().await?.into_iter().find(|t| t.address == address) {
            return Ok((known, false));
        }
        let client = self.client().await?;
        let token = token::read_token(&client, address).await?;
        let db = self.db().await?;
        db.as_ref()
            .ok_or(Error::Database { detail: "not open".into() })?
            .add_custom_token(&token, payment::now_secs())?;
        Ok((token, true))
    }

    fn portfolios(
        network: &Network,
        accounts: &[AccountInfo],
        tokens: &[Token],
        balances: &[CachedBalance],
    ) -> Vec<Portfolio> {
        accounts
            .iter()
            .map(|account| {
                let holding = |token: Option<&Token>| {
                    let cached =
                        balances.iter().find(|b| b.account == account.address && b.token == token.map(|t| t.address));
                    let (symbol, name, decimals) = match token {
                        Some(t) => (t.symbol.clone(), t.name.clone(), t.decimals),
                        None => (network.native.symbol.clone(), network.native.name.clone(), network.native.decimals),
                    };
                    let amount = cached.map(|b| b.amount).unwrap_or_default();
                    Holding {
                        token: token.cloned(),
                        symbol,
                        name,
                        decimals,
                        amount,
                        display: format_amount(amount, decimals),
                        fetched_at: cached.map(|b| b.fetched_at),
                        block_number: cached.map(|b| b.block_number),
                    }
                };
                let mut holdings: Vec<Holding> =
                    tokens.iter().filter(|t| t.featured).map(|t| holding(Some(t))).collect();
                holdings.push(holding(None));
                holdings.extend(tokens.iter().filter(|t| !t.featured).map(|t| holding(Some(t))));
                Portfolio { account: account.clone(), holdings }
            })
            .collect()
    }

    async fn accounts_named(&self, index: Option<u32>) -> Result<Vec<AccountInfo>> {
        let all = self.accounts().await?;
        match index {
            None => Ok(all),
            Some(i) => Ok(vec![all.into_iter().find(|a| a.index == i).ok_or(Error::UnknownAccount { index: i })?]),
        }
    }

    /// The last known balances of account `index` (all accounts with `None`), from the database
    /// only: what a face paints first, without waiting for the network.
    pub async fn cached_portfolios(&self, index: Option<u32>) -> Result<Portfolios> {
        let accounts = self.accounts_named(index).await?;
        let network = self.network().await?;
        let db = self.db().await?;
        let db = db.as_ref().ok_or(Error::Database { detail: "not open".into() })?;
        let tokens = token::known_tokens(db, network.chain_id)?;
        let addresses: Vec<_> = accounts.iter().map(|a| a.address).collect();
        let cached = db.cached_balances(network.chain_id, &addresses)?;
        let accounts = Self::portfolios(&network, &accounts, &tokens, &cached);
        Ok(Portfolios { network, accounts, live: false, requests: 0, offline: None })
    }

    /// Reads the balances of account `index` (all with `None`) from the network in one request,
    /// stores and returns them; offline, the last known ones with the reason. A node that does not
    /// answer within [`LIVE_BALANCES_DEADLINE`] counts as offline (the faces show the cache's age
    /// instead of waiting).
    pub async fn portfolios_live(&self, index: Option<u32>) -> Result<Portfolios> {
        match tokio::time::timeout(LIVE_BALANCES_DEADLINE, self.portfolios_from_network(index)).await {
            Ok(read) => read,
            Err(_) => {
                self.drop_client().await;
                let mut cached = self.cached_portfolios(index).await?;
                let e = Error::RpcUnavailable { detail: "the network did not answer in time".into() };
                cached.offline = Some(Notice::from(&e));
                Ok(cached)
            }
        }
    }

    async fn portfolios_from_network(&self, index: Option<u32>) -> Result<Portfolios> {
        let accounts = self.accounts_named(index).await?;
        let network = self.network().await?;
        let client = self.client().await;
        if let Err(e @ Error::ChainIdMismatch { .. }) = client {
            return Err(e);
        }
        let tokens = {
            let db = self.db().await?;
            token::known_tokens(db.as_ref().ok_or(Error::Database { detail: "not open".into() })?, network.chain_id)?
        };
        let addresses: Vec<_> = accounts.iter().map(|a| a.address).collect();
        let token_addresses: Vec<_> = tokens.iter().map(|t| t.address).collect();
        // The database is not held while the network answers: the cache stays readable meanwhile.
        let live = balance::read_live(client.as_ref(), &addresses, &token_addresses).await?;
        let refresh: Refresh = {
            let mut db = self.db().await?;
            let db = db.as_mut().ok_or(Error::Database { detail: "not open".into() })?;
            balance::store_live(live, network.chain_id, db, &addresses, payment::now_secs())?
        };
        if !refresh.live {
            self.drop_client().await;
        }
        let offline = refresh.error_code.map(|code| Notice {
            code: ErrorCode::parse(code).unwrap_or(ErrorCode::Internal),
            message: refresh.error.clone().unwrap_or_default(),
            params: Vec::new(),
        });
        let portfolios = Self::portfolios(&network, &accounts, &tokens, &refresh.balances);
        Ok(Portfolios { network, accounts: portfolios, live: refresh.live, requests: refresh.requests, offline })
    }

    // ----- history -----

    /// The history of account `index` (all with `None`), brought up to date with the network when
    /// it answers: unfinished payments are checked against the chain (reading only: **nothing is
    /// ever sent** by looking at the history) and received transfers are scanned for.
    pub async fn history(&self, index: Option<u32>) -> Result<History> {
        let accounts = self.accounts_named(index).await?;
        let own = self.own_addresses().await?;
        let network = self.network().await?;
        let client = self.client().await;
        let mut db = self.db().await?;
        let db = db.as_mut().ok_or(Error::Database { detail: "not open".into() })?;
        let tokens = token::known_tokens(db, network.chain_id)?;
        let notice = match client {
            Ok(client) => {
                let addresses: Vec<_> = accounts.iter().map(|a| a.address).collect();
                let token_addresses: Vec<_> = tokens.iter().map(|t| t.address).collect();
                catch_up(&client, db, &addresses, &token_addresses).await.map(|e| Notice::from(&e))
            }
            Err(e @ Error::ChainIdMismatch { .. }) => return Err(e),
            Err(e) => {
                self.drop_client().await;
                Some(Notice::from(&e))
            }
        };
        let asset = |t: Option<Address>| asset_of(&network, &tokens, t);
        let who = counterparties(db, &network, &tokens, &own)?;
        let mut items = Vec::new();
        for account in &accounts {
            // A payment and its speed-ups or cancellation are one payment: one line.
            // A revocation of a gasless authorization shows through that authorization only.
            let payments = db.payments(network.chain_id, account.address)?;
            let payments = payments.into_iter().filter(|p| p.kind != PaymentKind::CancelAuthorization).collect();
            for p in replace::collapse(payments) {
                let (symbol, decimals) = asset(p.token);
                items.push(HistoryItem {
                    direction: Direction::Sent,
                    account_index: account.index,
                    amount_display: format_amount(p.amount, decimals),
                    symbol,
                    decimals,
                    explorer: network.explorer_tx_url(&p.tx_hash),
                    payment: Some(p),
                    authorization: None,
                    received: None,
                    suspicion: None,
                    hidden: false,
                });
            }
            for a in db.authorizations(network.chain_id, account.address)? {
                let (symbol, decimals) = asset(Some(a.token));
                items.push(HistoryItem {
                    direction: Direction::Sent,
                    account_index: account.index,
                    amount_display: format_amount(a.amount, decimals),
                    symbol,
                    decimals,
                    explorer: a.tx_hash.and_then(|h| network.explorer_tx_url(&h)),
                    payment: None,
                    authorization: Some(a),
                    received: None,
                    suspicion: None,
                    hidden: false,
                });
            }
            for r in db.received(network.chain_id, account.address)? {
                let (symbol, decimals) = asset(r.token);
                items.push(HistoryItem {
                    direction: Direction::Received,
                    account_index: account.index,
                    amount_display: format_amount(r.amount, decimals),
                    symbol,
                    decimals,
                    explorer: network.explorer_tx_url(&r.tx_hash),
                    payment: None,
                    authorization: None,
                    suspicion: who.suspicion(&r),
                    hidden: who.hides(&r, decimals),
                    received: Some(r),
                });
            }
        }
        // Newest first, whatever the state: by when it was signed or received (then by block).
        items.sort_by_key(|i| std::cmp::Reverse((i.time(), i.block_number().unwrap_or(u64::MAX))));
        Ok(History { network, items, notice })
    }

    // ----- paying -----

    /// The confirmation sheet for paying `uri` (an `ethereum:` link or QR text) from account
    /// `index`; `amount` (base units) fills in a request that leaves it open. A payable quote is
    /// kept (in memory by its id, and in the database by its digest, for a later process) until it
    /// expires, it is paid, the wallet locks or the network changes.
    ///
    /// A shop's payment link (`https://`, x402) is a gasless checkout: its terms are asked, an option
    /// Tender can pay is chosen and checked on chain, and the sheet's `gasless` quote says what the
    /// authorization will sign (the shop pays the network fee).
    pub async fn quote(&self, text: &str, index: u32, amount: Option<U256>) -> Result<Sheet> {
        match x402::parse_link(text)? {
            Link::Ethereum(uri) => self.quote_request(&uri, index, amount).await,
            Link::Checkout(url) => self.quote_checkout(&url, index).await,
        }
    }

    /// As [`Session::quote`], for a request that leaves the amount open (a bare address, a transfer
    /// without an amount): `amount` is the decimal number the person typed, in the asset's units (the
    /// native currency's, or the token's decimals as the token says). A shop's checkout names its own
    /// amount: [`Error::AmountConflict`].
    pub async fn quote_amount(&self, text: &str, index: u32, amount: &str) -> Result<Sheet> {
        let Link::Ethereum(uri) = x402::parse_link(text)? else { return Err(Error::AmountConflict) };
        let request = crate::pay::request::parse(uri.trim())?;
        let decimals = match &request.token {
            None => self.network().await?.native.decimals,
            Some(Target::Address(a)) => match self.tokens().await?.iter().find(|t| t.address == *a) {
                Some(known) => known.decimals,
                None => token::read_token(&self.client().await?, *a).await?.decimals,
            },
            // The token's decimals are known only once its name is resolved: the sheet asks anyway.
            Some(Target::Ens(_)) => return Err(Error::InvalidAmount { decimals: 18 }),
        };
        let units = token::parse_amount(amount, decimals).ok_or(Error::InvalidAmount { decimals })?;
        if units.is_zero() {
            return Err(Error::InvalidAmount { decimals });
        }
        self.quote_request(&uri, index, Some(units)).await
    }

    fn keep(&self, kept: Kept, id: &str) {
        let mut quotes = lock(&self.quotes);
        let now = payment::now_secs();
        quotes.retain(|_, k| k.expires_at() >= now);
        while quotes.len() >= MAX_QUOTES {
            let oldest = quotes.iter().min_by_key(|(_, k)| k.created_at()).map(|(id, _)| id.clone());
            match oldest {
                Some(id) => quotes.remove(&id),
                None => break,
            };
        }
        quotes.insert(id.to_owned(), kept);
    }

    async fn quote_checkout(&self, url: &url::Url, index: u32) -> Result<Sheet> {
        let from = self.account(index).await?.address;
        let client = match self.client().await {
            Ok(c) => c,
            Err(e) => {
                self.drop_client().await;
                return Err(e);
            }
        };
        let tokens = self.tokens().await?;
        // No lock at all while the shop and the node are asked.
        let terms = gasless::fetch_terms(url).await?;
        let own = self.own_addresses().await?;
        let quoted = match gasless::prepare(&client, from, url, &terms, &tokens).await {
            Ok(mut q) => {
                let db = self.db().await?;
                let db = db.as_ref().ok_or(Error::Database { detail: "not open".into() })?;
                gasless::add_duplicate_warning(db, &mut q)?;
                let who = counterparties(db, &client.network, &tokens, &own)?;
                payee::judge(&who, q.payee, &mut q.warnings);
                db.save_quote(&q, payment::now_secs())?;
                Ok((q, who))
            }
            Err(e) => Err(e),
        };
        let (quoted, who) = split(quoted);
        let mut sheet = Sheet::checkout_verdict(url, terms.description.clone(), quoted)?;
        if let Some(who) = &who {
            sheet = sheet.with_payee_facts(who);
        }
        if let Some(q) = &sheet.gasless {
            self.keep(Kept::Gasless(Box::new(q.clone())), &q.id);
        }
        Ok(sheet)
    }

    async fn quote_request(&self, uri: &str, index: u32, amount: Option<U256>) -> Result<Sheet> {
        let request = crate::pay::request::parse(uri.trim())?;
        let from = self.account(index).await?.address;
        let client = match self.client().await {
            Ok(c) => c,
            Err(e) => {
                self.drop_client().await;
                return Err(e);
            }
        };
        let tokens = self.tokens().await?;
        // What the wallet knows of this account's payments (for the nonce), read before the network
        // is asked: no database lock meanwhile.
        let sent = {
            let db = self.db().await?;
            db.as_ref().ok_or(Error::Database { detail: "not open".into() })?.payments(client.network.chain_id, from)?
        };
        let own = self.own_addresses().await?;
        let quoted = payment::prepare(&client, from, &request, amount, &tokens, &sent).await;
        let quoted = match quoted {
            Ok(mut q) => {
                let db = self.db().await?;
                let db = db.as_ref().ok_or(Error::Database { detail: "not open".into() })?;
                payment::add_duplicate_warning(db, &mut q, &request)?;
                let who = counterparties(db, &client.network, &tokens, &own)?;
                payee::judge(&who, q.payee, &mut q.warnings);
                db.save_quote(&q, payment::now_secs())?;
                Ok((q, who))
            }
            Err(e) => Err(e),
        };
        let (quoted, who) = split(quoted);
        let mut sheet = Sheet::verdict(&request, quoted)?;
        if let Some(who) = &who {
            sheet = sheet.with_payee_facts(who);
        }
        if let Some(q) = &sheet.quote {
            self.keep(Kept::OnChain(Box::new(q.clone())), &q.id);
        }
        Ok(sheet)
    }

    /// The gasless quote shown earlier (perhaps by another process) with `digest` (or its first 16
    /// hex digits), for exactly the shop link `url` and account `index`.
    pub async fn stored_checkout(&self, digest: &str, url: &str, index: u32) -> Result<GaslessQuote> {
        let Link::Checkout(url) = x402::parse_link(url)? else { return Err(Error::QuoteMismatch) };
        let from = self.account(index).await?.address;
        let network = self.network().await?;
        let stored: GaslessQuote = {
            let db = self.db().await?;
            let db = db.as_ref().ok_or(Error::Database { detail: "not open".into() })?;
            // A digest of another kind of quote does not read as this kind: not the quote shown.
            db.quote(digest).map_err(|_| Error::QuoteMismatch)?.ok_or(Error::QuoteExpired)?
        };
        if stored.resource != url.as_str() || stored.from != from || stored.chain_id != network.chain_id {
            return Err(Error::QuoteMismatch);
        }
        Ok(stored)
    }

    /// The quote shown earlier (perhaps by another process) with `digest` (or its first 16 hex
    /// digits), for exactly `uri` and account `index`. Unknown or expired: [`Error::QuoteExpired`];
    /// for another request or account: [`Error::QuoteMismatch`].
    pub async fn stored_quote(&self, digest: &str, uri: &str, index: u32) -> Result<Quote> {
        let request = crate::pay::request::parse(uri.trim())?;
        let from = self.account(index).await?.address;
        let network = self.network().await?;
        let stored: Quote = {
            let db = self.db().await?;
            db.as_ref()
                .ok_or(Error::Database { detail: "not open".into() })?
                .quote(digest)?
                .ok_or(Error::QuoteExpired)?
        };
        // The amount is the request's own; only an open-amount request takes the quote's.
        let canonical = PaymentRequest {
            chain_id: Some(network.chain_id),
            amount: request.amount.or(Some(stored.amount)),
            ..request
        };
        if stored.request_uri != canonical.to_uri() || stored.from != from || stored.chain_id != network.chain_id {
            return Err(Error::QuoteMismatch);
        }
        Ok(stored)
    }

    /// Pays exactly the quote `quote_id` a sheet showed, whose `digest` the face passes back (what
    /// the person saw is what is signed), from account `index`. Used once: a second confirmation
    /// finds nothing to pay. A probable duplicate and a lookalike payee each need `acknowledged`
    /// (`true` acknowledges every warning the sheet showed).
    pub async fn pay(
        &self,
        quote_id: &str,
        digest: &str,
        index: u32,
        acknowledged: impl Into<Acknowledged>,
        tracking: Tracking,
    ) -> Result<Receipt> {
        let kept = lock(&self.quotes).remove(quote_id).ok_or(Error::UnknownQuote)?;
        let shown = digest.trim().to_ascii_lowercase();
        match kept {
            Kept::OnChain(quote) if quote.digest.to_string() == shown => {
                self.pay_quote(&quote, index, acknowledged.into(), tracking).await
            }
            Kept::Gasless(quote) if quote.digest.to_string() == shown => {
                self.pay_checkout(&quote, index, acknowledged.into(), tracking).await
            }
            // A replacement is confirmed with `replace`.
            _ => Err(Error::QuoteMismatch),
        }
    }

    /// Pays the gasless `quote` from account `index`: an unfinished authorization for the same
    /// checkout is sent again (never signed anew); otherwise a new one is signed under the wallet's
    /// lock only, stored, then sent to the shop, and the result confirmed on chain. A shop that cannot
    /// be reached leaves it stored and sent-or-not, with a notice; sending it again sends the same
    /// authorization, which can settle only once.
    pub async fn pay_checkout(
        &self,
        quote: &GaslessQuote,
        index: u32,
        acknowledged: impl Into<Acknowledged>,
        tracking: Tracking,
    ) -> Result<Receipt> {
        let client = self.client().await?;
        if quote.chain_id != client.network.chain_id {
            return Err(Error::ChainMismatch { requested: quote.chain_id, current: client.network.chain_id });
        }
        client.check_chain().await?;
        let acknowledged = acknowledged.into();
        payee::require_acknowledged(&quote.warnings, acknowledged.lookalike)?;
        let earlier = {
            let db = self.db().await?;
            gasless::unfinished_earlier(db.as_ref().ok_or(Error::Database { detail: "not open".into() })?, quote)?
        };
        let record = match earlier {
            Some(r) => r,
            None => {
                // The authorization's window is on the chain's clock, read now.
                let clock = payment::chain_clock(&client).await?;
                let signed = self
                    .with_unlocked(|w| {
                        let account = w.info().accounts.into_iter().find(|a| a.index == index);
                        if account.map(|a| a.address) != Some(quote.from) {
                            return Err(Error::UnknownAccount { index });
                        }
                        gasless::sign(w, index, quote, clock)
                    })
                    .await?;
                let db = self.db().await?;
                gasless::store(
                    db.as_ref().ok_or(Error::Database { detail: "not open".into() })?,
                    signed,
                    acknowledged.duplicate,
                )?
            }
        };
        let mut db = self.db().await?;
        let db = db.as_mut().ok_or(Error::Database { detail: "not open".into() })?;
        let (record, problem) = gasless::send(&client, db, record, tracking).await?;
        let notice = problem.as_ref().map(Notice::from);
        Ok(self.authorization_receipt(record, &client.network, quote.symbol.clone(), quote.token.decimals, notice))
    }

    fn authorization_receipt(
        &self,
        a: AuthorizationRecord,
        network: &Network,
        symbol: String,
        decimals: u8,
        notice: Option<Notice>,
    ) -> Receipt {
        Receipt {
            status: a.status,
            tx_hash: a.tx_hash,
            block_number: a.block_number,
            error: a.error.clone(),
            amount_display: format_amount(a.amount, decimals),
            explorer: a.tx_hash.and_then(|h| network.explorer_tx_url(&h)),
            symbol,
            decimals,
            payment: None,
            authorization: Some(a),
            notice,
        }
    }

    /// Pays `quote` from account `index` (see [`Session::pay`]): checks the chain again, signs under
    /// the wallet's lock only, stores the signed bytes, then sends and confirms them. A node that
    /// cannot be reached leaves the payment saved, not sent, with a notice (the history offers to
    /// send it again); a node's refusal is final.
    pub async fn pay_quote(
        &self,
        quote: &Quote,
        index: u32,
        acknowledged: impl Into<Acknowledged>,
        tracking: Tracking,
    ) -> Result<Receipt> {
        let client = self.client().await?;
        if quote.chain_id != client.network.chain_id {
            return Err(Error::ChainMismatch { requested: quote.chain_id, current: client.network.chain_id });
        }
        client.check_chain().await?;
        let acknowledged = acknowledged.into();
        payee::require_acknowledged(&quote.warnings, acknowledged.lookalike)?;
        let signed = self
            .with_unlocked(|w| {
                let account = w.info().accounts.into_iter().find(|a| a.index == index);
                if account.map(|a| a.address) != Some(quote.from) {
                    return Err(Error::UnknownAccount { index });
                }
                payment::sign_detached(w, index, quote)
            })
            .await?;
        let mut db = self.db().await?;
        let db = db.as_mut().ok_or(Error::Database { detail: "not open".into() })?;
        let record = payment::store(db, signed, acknowledged.duplicate)?;
        // Not reached, or refused so far: the receipt says where the signed payment stands (stored,
        // outstanding) and why, never that nothing can happen any more.
        let (record, notice) = match payment::send(&client, db, record.clone(), tracking).await {
            Ok(r) => (r, None),
            Err(e @ (Error::RpcUnavailable { .. } | Error::BadRpcResponse { .. } | Error::Rejected { .. })) => {
                (db.payment(&record.tx_hash)?.unwrap_or(record), Some(Notice::from(&e)))
            }
            Err(e) => return Err(e),
        };
        let decimals = quote.token.as_ref().map_or(client.network.native.decimals, |t| t.decimals);
        Ok(self.receipt(record, &client.network, quote.symbol.clone(), decimals, notice))
    }

    fn receipt(
        &self,
        payment: PaymentRecord,
        network: &Network,
        symbol: String,
        decimals: u8,
        notice: Option<Notice>,
    ) -> Receipt {
        Receipt {
            status: payment.status,
            tx_hash: Some(payment.tx_hash),
            block_number: payment.block_number,
            error: payment.error.clone(),
            amount_display: format_amount(payment.amount, decimals),
            explorer: network.explorer_tx_url(&payment.tx_hash),
            symbol,
            decimals,
            payment: Some(payment),
            authorization: None,
            notice,
        }
    }

    /// Sends a stored payment that did not go out once more, on the person's word: the very same
    /// signed bytes (it can never pay twice); refused once its request has expired. `tx_hash` may
    /// also be a gasless payment's authorization nonce: its same authorization is sent to the shop
    /// again.
    pub async fn resend(&self, tx_hash: B256, tracking: Tracking) -> Result<Receipt> {
        let client = self.client().await?;
        client.check_chain().await?;
        let mut db = self.db().await?;
        let db = db.as_mut().ok_or(Error::Database { detail: "not open".into() })?;
        if db.payment(&tx_hash)?.is_none() && db.authorization(&tx_hash)?.is_some() {
            let (record, problem) = gasless::retry(&client, db, &tx_hash, tracking).await?;
            let tokens = token::known_tokens(db, client.network.chain_id)?;
            let (symbol, decimals) = asset_of(&client.network, &tokens, Some(record.token));
            let notice = problem.as_ref().map(Notice::from);
            return Ok(self.authorization_receipt(record, &client.network, symbol, decimals, notice));
        }
        let (record, notice) = match payment::retry(&client, db, &tx_hash, tracking).await {
            Ok(r) => (r, None),
            Err(e @ (Error::RpcUnavailable { .. } | Error::BadRpcResponse { .. } | Error::Rejected { .. })) => {
                (db.payment(&tx_hash)?.ok_or(Error::UnknownPayment { tx_hash })?, Some(Notice::from(&e)))
            }
            Err(e) => return Err(e),
        };
        let tokens = token::known_tokens(db, client.network.chain_id)?;
        let (symbol, decimals) = asset_of(&client.network, &tokens, record.token);
        Ok(self.receipt(record, &client.network, symbol, decimals, notice))
    }

    /// The sheet for speeding up (`kind` [`PaymentKind::SpeedUp`]) or cancelling
    /// ([`PaymentKind::Cancel`]) the stuck payment with transaction `tx_hash` (any of its
    /// transactions): the new fee at most, kept by its id until confirmed with [`Session::replace`]
    /// (or it expires, or the wallet locks). Refused once the payment is settled.
    pub async fn replacement(&self, tx_hash: B256, kind: PaymentKind) -> Result<ReplacementQuote> {
        if kind == PaymentKind::CancelAuthorization {
            return self.revocation(tx_hash).await;
        }
        let members = {
            let db = self.db().await?;
            replace::group(db.as_ref().ok_or(Error::Database { detail: "not open".into() })?, &tx_hash)?
        };
        let client = self.client().await?;
        // No lock while the node is asked.
        let quote = replace::quote(&client, &members, kind).await?;
        self.keep(Kept::Replacement(Box::new(quote.clone())), &quote.id);
        Ok(quote)
    }

    /// Signs exactly the replacement `quote_id` that was shown (its `digest` passed back), stores it,
    /// sends it and follows it: the receipt is the payment's, as one (whichever of its transactions
    /// decided it). Used once. A node's refusal ("replacement transaction underpriced") is an error
    /// and leaves the payment as it was: it can be tried again, with a higher fee.
    pub async fn replace(&self, quote_id: &str, digest: &str, tracking: Tracking) -> Result<Receipt> {
        let kept = lock(&self.quotes).remove(quote_id).ok_or(Error::UnknownQuote)?;
        let Kept::Replacement(quote) = kept else { return Err(Error::QuoteMismatch) };
        if quote.digest.to_string() != digest.trim().to_ascii_lowercase() {
            return Err(Error::QuoteMismatch);
        }
        if quote.kind == PaymentKind::CancelAuthorization {
            return self.revoke(&quote, tracking).await;
        }
        let client = self.client().await?;
        if quote.chain_id != client.network.chain_id {
            return Err(Error::ChainMismatch { requested: quote.chain_id, current: client.network.chain_id });
        }
        client.check_chain().await?;
        let root = {
            let db = self.db().await?;
            let db = db.as_ref().ok_or(Error::Database { detail: "not open".into() })?;
            let members = replace::group(db, &quote.payment)?;
            let live = members.iter().any(|r| r.status.is_unfinished());
            // Decided since the sheet, or (a cancellation) nothing left out there to cancel.
            if !replace::replaceable(&members) || (quote.kind == PaymentKind::Cancel && !live) {
                return Err(Error::PaymentSettled);
            }
            members.into_iter().next().ok_or(Error::UnknownPayment { tx_hash: quote.payment })?
        };
        let signed = self.with_unlocked(|w| replace::sign(w, &root, &quote)).await?;
        let mut db = self.db().await?;
        let db = db.as_mut().ok_or(Error::Database { detail: "not open".into() })?;
        replace::store(db, &signed)?;
        let notice = match payment::send(&client, db, signed, tracking).await {
            Ok(_) => None,
            Err(e @ (Error::RpcUnavailable { .. } | Error::BadRpcResponse { .. })) => Some(Notice::from(&e)),
            Err(Error::Rejected { reason }) => return Err(Error::ReplacementRefused { reason }),
            Err(e) => return Err(e),
        };
        let view = replace::collapse(replace::group(db, &root.tx_hash)?)
            .into_iter()
            .next()
            .ok_or(Error::UnknownPayment { tx_hash: root.tx_hash })?;
        let tokens = token::known_tokens(db, client.network.chain_id)?;
        let (symbol, decimals) = asset_of(&client.network, &tokens, view.token);
        Ok(self.receipt(view, &client.network, symbol, decimals, notice))
    }

    /// The sheet for revoking the outstanding gasless authorization `nonce` (EIP-3009
    /// `cancelAuthorization`, from the shopper's account: it needs the native currency for its fee),
    /// kept by its id until confirmed with [`Session::replace`]. Refused once the chain decided the
    /// authorization, or without the fee's currency ([`Error::NeedsNativeForFee`]).
    async fn revocation(&self, nonce: B256) -> Result<ReplacementQuote> {
        let client = self.client().await?;
        let (record, own) = {
            let db = self.db().await?;
            let db = db.as_ref().ok_or(Error::Database { detail: "not open".into() })?;
            let record = db.authorization(&nonce)?.ok_or(Error::UnknownPayment { tx_hash: nonce })?;
            let own = db.payments(client.network.chain_id, record.account)?;
            (record, own)
        };
        // Decided meanwhile (settled, expired)? Then there is nothing to revoke.
        let record = {
            let mut db = self.db().await?;
            gasless::check(&client, db.as_mut().ok_or(Error::Database { detail: "not open".into() })?, &record.nonce)
                .await?
        };
        let quote = revoke::quote(&client, &record, &own).await?;
        self.keep(Kept::Replacement(Box::new(quote.clone())), &quote.id);
        Ok(quote)
    }

    /// Signs the revocation `quote` (its digest checked by the caller), stores it, sends it and
    /// follows it; the receipt is the authorization's, as the chain then says.
    async fn revoke(&self, quote: &ReplacementQuote, tracking: Tracking) -> Result<Receipt> {
        let client = self.client().await?;
        if quote.chain_id != client.network.chain_id {
            return Err(Error::ChainMismatch { requested: quote.chain_id, current: client.network.chain_id });
        }
        client.check_chain().await?;
        let record = {
            let mut db = self.db().await?;
            gasless::check(&client, db.as_mut().ok_or(Error::Database { detail: "not open".into() })?, &quote.payment)
                .await?
        };
        if !record.status.is_unfinished() {
            return Err(Error::PaymentSettled);
        }
        let signed = self.with_unlocked(|w| revoke::sign(w, &record, quote)).await?;
        let mut db = self.db().await?;
        let db = db.as_mut().ok_or(Error::Database { detail: "not open".into() })?;
        db.atomically(|db| {
            payment::check_fee_budget(db, &signed)?;
            db.insert_payment(&signed)
        })?;
        let notice = match payment::send(&client, db, signed, tracking).await {
            Ok(_) => None,
            Err(e @ (Error::RpcUnavailable { .. } | Error::BadRpcResponse { .. } | Error::Rejected { .. })) => {
                Some(Notice::from(&e))
            }
            Err(e) => return Err(e),
        };
        let record = gasless::check(&client, db, &quote.payment).await?;
        let tokens = token::known_tokens(db, client.network.chain_id)?;
        let (symbol, decimals) = asset_of(&client.network, &tokens, Some(record.token));
        Ok(self.authorization_receipt(record, &client.network, symbol, decimals, notice))
    }

    // ----- receiving -----

    /// A request to pay account `index`: plain, or for `amount` (a decimal number in the asset's
    /// units) of `token` (`None`: the native currency) on the network in use.
    pub async fn receive_request(
        &self,
        index: u32,
        token: Option<Address>,
        amount: Option<&str>,
    ) -> Result<ReceiveRequest> {
        let address = self.account(index).await?.address;
        let network = self.network().await?;
        let mut request = PaymentRequest { chain_id: Some(network.chain_id), ..PaymentRequest::default() };
        request.recipient = Some(Target::Address(address));
        let decimals = match token {
            None => network.native.decimals,
            Some(t) => {
                let known = self.tokens().await?;
                let decimals = known.iter().find(|k| k.address == t).map(|k| k.decimals).ok_or(Error::NotAToken {
                    address: t,
                    reason: "this token is not shown by the wallet on this network".into(),
                })?;
                request.token = Some(Target::Address(t));
                decimals
            }
        };
        if let Some(a) = amount.map(str::trim).filter(|a| !a.is_empty()) {
            let value = token::parse_amount(a, decimals).ok_or(Error::InvalidAmount { decimals })?;
            if value.is_zero() {
                return Err(Error::InvalidAmount { decimals });
            }
            request.amount = Some(value);
        }
        Ok(ReceiveRequest { address, uri: request.to_uri() })
    }

    /// Follows the chain's head: calls `on_block` with each new block number, until it returns
    /// false. Polls every `poll` while the node answers, backing off (up to a minute) while it does
    /// not; waits, without connecting, while no network is in use yet (nothing is started for it).
    pub async fn watch_blocks(&self, poll: Duration, mut on_block: impl FnMut(u64) -> bool) {
        use alloy::providers::Provider;
        let mut last = None;
        let mut wait = poll;
        loop {
            tokio::time::sleep(wait).await;
            if lock(&self.shown).is_none() {
                continue;
            }
            let head = match self.client().await {
                Ok(c) => c.provider.get_block_number().await.ok(),
                Err(_) => None,
            };
            match head {
                Some(h) => {
                    wait = poll;
                    if Some(h) != last {
                        last = Some(h);
                        if !on_block(h) {
                            return;
                        }
                    }
                }
                None => {
                    // Reconnect next time, and back off while the network is down.
                    self.drop_client().await;
                    wait = (wait * 2).min(Duration::from_secs(60));
                }
            }
        }
    }
}

/// The symbol and decimals of `token` on `network` (its contract and 0 decimals when not listed).
/// Who this wallet (accounts `own`) dealt with on `network`.
fn counterparties(db: &Db, network: &Network, tokens: &[Token], own: &[Address]) -> Result<payee::Counterparties> {
    payee::Counterparties::load(db, network.chain_id, own, |t| asset_of(network, tokens, t).1)
}

/// A quote and who was judged with it, as two.
fn split<Q>(quoted: Result<(Q, payee::Counterparties)>) -> (Result<Q>, Option<payee::Counterparties>) {
    match quoted {
        Ok((q, who)) => (Ok(q), Some(who)),
        Err(e) => (Err(e), None),
    }
}

fn asset_of(network: &Network, tokens: &[Token], token: Option<Address>) -> (String, u8) {
    match token {
        None => (network.native.symbol.clone(), network.native.decimals),
        Some(a) => tokens
            .iter()
            .find(|t| t.address == a)
            .map_or_else(|| (a.to_checksum(None), 0), |t| (t.symbol.clone(), t.decimals)),
    }
}

/// Brings the stored history up to date: checks unfinished payments against the chain (reading only:
/// **nothing is ever sent** as a side effect of looking at the history), then scans for transfers
/// received. Returns why part of it failed (offline, a bad answer), in which case what is stored
/// stays as it was.
pub async fn catch_up(client: &ChainClient, db: &mut Db, accounts: &[Address], tokens: &[Address]) -> Option<Error> {
    // One look at each outstanding payment, no waiting; "replaced" still needs to have held for
    // the full [`payment::REPLACED_AFTER`] across refreshes.
    let quick = Tracking {
        poll: Duration::from_millis(200),
        timeout: Duration::ZERO,
        replaced_after: payment::REPLACED_AFTER,
        retry_for: Duration::ZERO,
    };
    let mut notice = None;
    if let Err(e) = payment::refresh(client, db, quick).await {
        notice = Some(e);
    }
    if let Err(e) = gasless::refresh(client, db).await {
        notice = Some(e);
    }
    let options = ScanOptions::for_chain(client.network.chain_id);
    if let Err(e) = scan_received(client, db, accounts, tokens, options).await {
        notice = Some(e);
    }
    notice
}
