//! The wallet session: what both faces (the `tender` command and the app) call. It owns the data
//! folder, the wallet, the database and the network client, and offers the operations a face needs,
//! each written once: status, portfolio, history, quote and pay, restore with discovery, receive
//! requests, the network, tokens, accounts, and deleting (always with the password).
//!
//! One `impl Session` block a concern, each in its own file: `wallet.rs` (status, unlock, create and
//! restore, accounts), `portfolio.rs` (tokens and balances), `history.rs`, `checkout.rs` (the sheet,
//! paying, replacing, revoking), `coin.rs` (a token's screen: its overview, Permit2's allowance, the
//! approval and its revocation), `proof.rs` (a payment's proof, the CSV), `receive.rs` (requests, the
//! block watcher); this file holds the
//! struct and its plumbing (the database, the network, the quotes kept).
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
use crate::chain::choice::NetworkChoice;
use crate::chain::discovery::{self, Discovery};
use crate::chain::history::{ScanOptions, scan_received};
use crate::chain::network::{self, ChainClient, Network};
use crate::chain::token::{self, Token, format_amount};
use crate::error::{Blocker, Error, ErrorCode, Result, StoreKind};
use crate::keys::derivation::AccountScheme;
use crate::keys::mnemonic::RecoveryPhrase;
use crate::pay::gasless::{self, GaslessQuote};
use crate::pay::link::{self, Link};
use crate::pay::offer::{Offer, Paid};
use crate::pay::payee;
use crate::pay::payment::{self, Quote, Tracking};
use crate::pay::replace::{self, ReplacementQuote};
use crate::pay::request::{PaymentRequest, Target};
use crate::pay::revoke;
use crate::pay::verdict::Sheet;
use crate::secret::SecretString;
use crate::store::{
    AuthorizationRecord, CachedBalance, DB_FILE, Db, PaymentKind, PaymentRecord, PaymentStatus, Received,
};
use crate::vault::{KdfParams, VaultSecret};
use crate::wallet::{AccountInfo, Wallet, WalletInfo, WalletOptions};

mod checkout;
mod coin;
mod history;
mod nfts;
mod portfolio;
mod proof;
mod receive;
mod wallet;

pub use crate::pay::approve::Allowance;
pub use checkout::Receipt;
pub use history::{Direction, Entry, History, HistoryItem, catch_up, catch_up_with};
pub use portfolio::{Holding, Portfolio, Portfolios};
pub use proof::{PROOF_FORMAT, proof};
pub use receive::ReceiveRequest;
pub use wallet::Restored;

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
        Self { code: e.code(), message: e.to_string(), params: e.params() }
    }
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
    /// An offer to pay, of any kind.
    Offer(Offer),
    /// A speed-up, a cancellation or a revocation of a payment.
    Replacement(Box<ReplacementQuote>),
    /// An approval of Permit2 (or its revocation).
    Approval(Box<crate::pay::approve::ApprovalQuote>),
    /// An NFT to send.
    NftTransfer(Box<crate::pay::nft_send::NftTransferQuote>),
}

impl Kept {
    fn created_at(&self) -> u64 {
        match self {
            Kept::Offer(o) => o.created_at(),
            Kept::Replacement(q) => q.created_at,
            Kept::Approval(q) => q.transaction.created_at,
            Kept::NftTransfer(q) => q.transaction.created_at,
        }
    }

    fn expires_at(&self) -> u64 {
        match self {
            Kept::Offer(o) => o.expires_at(),
            Kept::Replacement(q) => q.expires_at,
            Kept::Approval(q) => q.transaction.expires_at,
            Kept::NftTransfer(q) => q.transaction.expires_at,
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
    // ----- the database -----

    /// The database, opened the first time it is needed, held while the guard lives.
    async fn db(&self) -> Result<tokio::sync::MappedMutexGuard<'_, Db>> {
        let mut slot = self.db.lock().await;
        if slot.is_none() {
            self.create_dir()?;
            *slot = Some(Db::open(&self.dir.join(DB_FILE))?);
        }
        tokio::sync::MutexGuard::try_map(slot, Option::as_mut)
            .map_err(|_| Error::Database { detail: "the database could not be opened".into() })
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

    /// What the wallet's reads tell the node, as the shopper chose ([`crate::chain::privacy`]).
    pub fn privacy(&self) -> Result<crate::chain::privacy::Privacy> {
        crate::chain::privacy::Privacy::load(&self.dir)
    }

    /// Saves the shopper's privacy choice; the next read follows it.
    pub fn set_privacy(&self, privacy: crate::chain::privacy::Privacy) -> Result<()> {
        self.create_dir()?;
        privacy.save(&self.dir)
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
}

/// The symbol and decimals of `token` on `network` (its contract and 0 decimals when not listed).
/// Who this wallet (accounts `own`) dealt with on `network`.
fn counterparties(db: &Db, network: &Network, tokens: &[Token], own: &[Address]) -> Result<payee::Counterparties> {
    payee::Counterparties::load(db, network.chain_id, own, |t| asset_of(network, tokens, t).1)
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
