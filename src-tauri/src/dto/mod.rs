//! What crosses the IPC boundary: public data only, in shapes the UI renders directly. Addresses are
//! EIP-55 strings, amounts are decimal strings of base units beside an exact display string (money is
//! never a float). The TypeScript twins of these types are generated into `ui/src/bindings.ts`.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::CommandError;

mod pay;

pub use pay::{
    AllowanceView, ApprovalView, AssetView, EntryView, HiddenToken, History, HistoryItem, HoldersView, NftSendView,
    PaidBy, PaySheet, QuoteView, Receipt, ReplacementView, SentVia, TokenOverviewView, WarningView,
};

/// Where the vault is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum StoreView {
    /// The OS keyring.
    Keyring,
    /// An encrypted file in the data folder.
    File,
    /// Process memory (tests).
    Memory,
}

impl From<wallet_core::StoreKind> for StoreView {
    fn from(k: wallet_core::StoreKind) -> Self {
        match k {
            wallet_core::StoreKind::Keyring => StoreView::Keyring,
            wallet_core::StoreKind::File => StoreView::File,
            wallet_core::StoreKind::Memory => StoreView::Memory,
        }
    }
}

/// One account.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AccountView {
    /// Account index (BIP44 `m/44'/60'/0'/0/index`).
    pub index: u32,
    /// The name the person gave it; `null` while it has none (the UI words "Account N" in the
    /// person's language).
    pub label: Option<String>,
    /// EIP-55 address.
    pub address: String,
}

impl From<&wallet_core::AccountInfo> for AccountView {
    fn from(a: &wallet_core::AccountInfo) -> Self {
        Self { index: a.index, label: a.given_label().map(str::to_owned), address: a.address.to_checksum(None) }
    }
}

/// The network in use.
#[derive(Debug, Clone, Serialize, Type)]
pub struct NetworkView {
    /// Preset key (`devnet`, `ethereum`, …) or `custom`.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Chain id.
    pub chain_id: u64,
    /// The endpoint with any credentials redacted.
    pub rpc_url: String,
    /// Whether it is a test network.
    pub testnet: bool,
    /// Native currency symbol.
    pub native_symbol: String,
}

impl From<&wallet_core::chain::network::Network> for NetworkView {
    fn from(n: &wallet_core::chain::network::Network) -> Self {
        Self {
            key: n.key.clone(),
            name: n.name.clone(),
            chain_id: n.chain_id,
            rpc_url: n.rpc_urls.first().map(|u| u.redacted()).unwrap_or_default(),
            testnet: n.testnet,
            native_symbol: n.native.symbol.clone(),
        }
    }
}

/// The colour theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// The system's.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// The language the app speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// The system's (English unless it is French); `""` in the settings of earlier versions.
    #[default]
    #[serde(alias = "")]
    System,
    /// English.
    En,
    /// French.
    Fr,
}

/// Preferences kept in the data folder (`settings.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(default)]
pub struct Settings {
    /// Minutes of inactivity before the wallet locks; 0 turns auto-lock off.
    pub auto_lock_minutes: u32,
    /// The colour theme.
    pub theme: Theme,
    /// The language.
    pub language: Language,
}

impl Default for Settings {
    fn default() -> Self {
        Self { auto_lock_minutes: 5, theme: Theme::System, language: Language::System }
    }
}

/// What unlocking gives: the status, and the home screen's last known balances when asked.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Unlocked {
    /// Where the app stands now.
    pub status: AppStatus,
    /// The account's last known balances (when the unlock named an account).
    pub portfolio: Option<Portfolio>,
}

/// Everything the UI needs to pick its first screen.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AppStatus {
    /// A wallet exists on this device.
    pub has_wallet: bool,
    /// It is unlocked.
    pub unlocked: bool,
    /// Its accounts (public).
    pub accounts: Vec<AccountView>,
    /// Where the vault is kept.
    pub store: Option<StoreView>,
    /// The network, once chosen.
    pub network: Option<NetworkView>,
    /// Preferences.
    pub settings: Settings,
    /// Seconds before another password attempt is accepted.
    pub retry_after_secs: u64,
}

/// A freshly generated phrase, shown once, and the positions the backup quiz asks for.
#[derive(Debug, Clone, Serialize, Type)]
pub struct NewPhrase {
    /// The words, in order. Shown on the backup screen and then dropped by the UI.
    pub words: Vec<String>,
    /// Three distinct positions (1-based) the quiz asks for, ascending.
    pub quiz: Vec<u32>,
}

/// A phrase being typed, checked as a whole.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PhraseCheck {
    /// Complete and valid (word count and checksum).
    pub valid: bool,
    /// Words found.
    pub word_count: u32,
    /// The detected word-list language.
    pub language: Option<String>,
    /// The first word not in the list (0-based) and its nearest words.
    pub unknown_word: Option<UnknownWord>,
    /// Why it is not valid yet.
    pub error: Option<CommandError>,
}

/// A word not in the list.
#[derive(Debug, Clone, Serialize, Type)]
pub struct UnknownWord {
    /// Its position, from 0.
    pub index: u32,
    /// Up to three nearest words.
    pub suggestions: Vec<String>,
}

/// What a restore did.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RestoreResult {
    /// The wallet's status afterwards.
    pub status: AppStatus,
    /// Accounts found in use on the network.
    pub used_accounts: u32,
    /// Why discovery did not run (offline), if it did not.
    pub notice: Option<CommandError>,
}

/// One line of the home screen.
#[derive(Debug, Clone, Serialize, Type)]
pub struct BalanceRow {
    /// Token contract (EIP-55), or `null` for the native currency.
    pub token: Option<String>,
    /// Symbol.
    pub symbol: String,
    /// Name.
    pub name: String,
    /// Decimals of the asset.
    pub decimals: u8,
    /// Base units, decimal string.
    pub amount: String,
    /// Exact amount in the asset's units.
    pub display: String,
    /// The store token, shown first.
    pub featured: bool,
    /// On Tender's list or the retailer's signed list.
    pub verified: bool,
    /// The retailer's signed list that vouches for it (its name), when Tender's own list does not.
    pub listed_by: Option<String>,
}

/// The balances of one account.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Portfolio {
    /// The account.
    pub account: AccountView,
    /// The network.
    pub network: NetworkView,
    /// Read from the network just now.
    pub live: bool,
    /// When these balances were read (Unix seconds), if ever.
    pub synced_at: Option<u64>,
    /// Block they were read at.
    pub block_number: Option<u64>,
    /// Why they are not live (the offline banner).
    pub offline: Option<CommandError>,
    /// Featured token first, then the native currency, then the others.
    pub rows: Vec<BalanceRow>,
}

/// A network to switch to: a preset key, or a custom endpoint.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct NetworkInput {
    /// Preset key.
    pub preset: Option<String>,
    /// Custom JSON-RPC endpoint (its chain id is asked from it).
    pub rpc_url: Option<String>,
}

/// A receive request.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ReceiveRequest {
    /// The account's address.
    pub address: String,
    /// The `ethereum:` URI to encode in the QR code.
    pub uri: String,
}

/// A word list a recovery phrase can be written in.
#[derive(Debug, Clone, Serialize, Type)]
pub struct WordListView {
    /// Its id, as the commands take it (`english`, `chinese-simplified`, …).
    pub id: String,
    /// Its name in its own language (`English`, `简体中文`, …).
    pub name: String,
}
