//! What crosses the IPC boundary: public data only, in shapes the UI renders directly. Addresses are
//! EIP-55 strings, amounts are decimal strings of base units beside an exact display string (money is
//! never a float). The TypeScript twins of these types are generated into `ui/src/bindings.ts`.

use serde::{Deserialize, Serialize};
use specta::Type;
pub use wallet_core::pay::payee::{PayeeFacts, Suspicion};
pub use wallet_core::pay::payment::Warning;
pub use wallet_core::pay::verdict::{Blocker, RequestSummary};
pub use wallet_core::session::Direction;
pub use wallet_core::store::{PaymentKind, PaymentStatus};

use crate::error::CommandError;

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
    /// The person's name for it.
    pub label: String,
    /// EIP-55 address.
    pub address: String,
}

impl From<&wallet_core::AccountInfo> for AccountView {
    fn from(a: &wallet_core::AccountInfo) -> Self {
        Self { index: a.index, label: a.label.clone(), address: a.address.to_checksum(None) }
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

/// Preferences kept in the data folder (`settings.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(default)]
pub struct Settings {
    /// Minutes of inactivity before the wallet locks; 0 turns auto-lock off.
    pub auto_lock_minutes: u32,
    /// `system`, `light` or `dark`.
    pub theme: String,
    /// `en` or `fr`; empty follows the system.
    pub language: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self { auto_lock_minutes: 5, theme: "system".into(), language: String::new() }
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
    /// On Tender's list.
    pub verified: bool,
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

/// Exactly what will be signed.
#[derive(Debug, Clone, Serialize, Type)]
pub struct QuoteView {
    /// The quote's id: `payment_pay` pays this quote and no other.
    pub id: String,
    /// The digest of every signed field, checked again at pay time.
    pub digest: String,
    /// Until when it may be paid (Unix seconds); after that, review again.
    pub expires_at: u64,
    /// The paying account.
    pub from: String,
    /// Who is paid (EIP-55).
    pub payee: String,
    /// The ENS name it came from.
    pub payee_name: Option<String>,
    /// Token contract, or `null` for the native currency.
    pub token: Option<String>,
    /// Symbol paid in.
    pub symbol: String,
    /// The token's name, as its contract gives it (sanitised), or `null` for the native currency.
    pub token_name: Option<String>,
    /// Token decimals.
    pub decimals: u8,
    /// Base units.
    pub amount: String,
    /// Exact display amount.
    pub amount_display: String,
    /// Highest possible network fee, native display units.
    pub max_fee_display: String,
    /// Native symbol.
    pub native_symbol: String,
    /// Everything in native currency leaving the account at most (amount if native, plus fee).
    pub max_total_native_display: String,
    /// Network name.
    pub network: String,
    /// Network key (`devnet`, `ethereum`, …; `chain-N` for another chain): the UI names some itself.
    pub network_key: String,
    /// A gasless checkout: the shop pays the network fee (nothing in the native currency leaves the
    /// account).
    pub fee_paid_by_shop: bool,
}

/// The confirmation sheet.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PaySheet {
    /// The request as parsed, shown even when it cannot be paid (the merchant's words sanitised).
    pub request: RequestSummary,
    /// The quote, when the request can be paid from this account.
    pub quote: Option<QuoteView>,
    /// Warnings to read before confirming, each with its data (the UI words them).
    pub warnings: Vec<Warning>,
    /// Why it cannot be paid (chain mismatch, expired, insufficient funds, …): the pay button
    /// stays off while there is one.
    pub blockers: Vec<Blocker>,
    /// Paying needs a second, explicit confirmation (a probable duplicate, a lookalike payee): one
    /// tick per warning that needs it.
    pub needs_ack: bool,
    /// What this wallet knows of the payee: paid before, or a first payment.
    pub payee: Option<PayeeFacts>,
}

/// A payment's outcome.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Receipt {
    /// Where it stands.
    pub status: PaymentStatus,
    /// What `payment_resend` takes to send it again: the transaction hash, or a gasless payment's
    /// authorization nonce.
    pub id: String,
    /// Transaction hash (a gasless payment's once the shop settled it).
    pub tx_hash: Option<String>,
    /// Explorer link, where the network has one.
    pub explorer: Option<String>,
    /// What went wrong, in the network's or the shop's words (sanitised).
    pub error: Option<String>,
    /// Why it was saved and not sent (the network could not be reached).
    pub notice: Option<CommandError>,
    /// Amount and symbol, for the receipt.
    pub amount_display: String,
    /// Symbol.
    pub symbol: String,
    /// Block it was mined in.
    pub block_number: Option<u64>,
    /// Which of the payment's transactions this is about: the payment, its speed-up or its
    /// cancellation (the one that decided it, or the newest under way).
    pub kind: PaymentKind,
    /// Whether it is stuck and can still be sped up or cancelled (`payment_replacement`).
    pub replaceable: bool,
    /// Whether money moved, by the chain's word (only then is it shown as spent).
    pub moved: bool,
    /// Until when the signed payment could still move money while the chain has not decided it (a
    /// gasless authorization's `validBefore`, on the chain's clock; Unix seconds).
    pub valid_until: Option<u64>,
}

/// What speeding up or cancelling a stuck payment will sign: its new network fee at most. Confirmed
/// with `payment_replace` by `id` and `digest`, once.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ReplacementView {
    /// The quote's id.
    pub id: String,
    /// Its digest (passed back to confirm exactly this).
    pub digest: String,
    /// A speed-up or a cancellation.
    pub kind: PaymentKind,
    /// The most the new network fee can be, exact, in the native currency.
    pub max_fee_display: String,
    /// The most it could be before.
    pub previous_max_fee_display: String,
    /// The native currency's symbol.
    pub native_symbol: String,
    /// Until when it may be confirmed (Unix seconds).
    pub expires_at: u64,
}

/// One line of the history.
#[derive(Debug, Clone, Serialize, Type)]
pub struct HistoryItem {
    /// Which way.
    pub direction: Direction,
    /// Where it stands (received items are `confirmed`).
    pub status: PaymentStatus,
    /// Exact display amount.
    pub amount_display: String,
    /// Symbol.
    pub symbol: String,
    /// The other side (EIP-55).
    pub counterparty: String,
    /// What `payment_resend` takes (the transaction hash, or a gasless payment's authorization
    /// nonce); unique per item.
    pub id: String,
    /// Transaction hash, once known.
    pub tx_hash: Option<String>,
    /// A gasless payment: the shop's domain (who was paid).
    pub domain: Option<String>,
    /// An on-chain payment: the name the request gave itself (its `label`: a claim, sanitised).
    pub merchant: Option<String>,
    /// Why a received transfer is suspect (its sender imitates a known address, or it moved nothing):
    /// never offer its sender as a payee.
    pub suspicion: Option<Suspicion>,
    /// Hidden unless the person asks (zero-value transfers, dust from imitating addresses).
    pub hidden: bool,
    /// A gasless payment: what the shop said the purchase was (its words, sanitised).
    pub description: Option<String>,
    /// Explorer link.
    pub explorer: Option<String>,
    /// Block number, once mined.
    pub block_number: Option<u64>,
    /// When it was made (sent items) or its block was (received items; the node's word), Unix seconds.
    pub time: Option<u64>,
    /// Merchant order reference.
    pub order: Option<String>,
    /// The request paid (sent items).
    pub request_uri: Option<String>,
    /// What went wrong.
    pub error: Option<String>,
    /// Which of the payment's transactions the line shows: the payment, its speed-up or its
    /// cancellation.
    pub kind: PaymentKind,
    /// Whether it is stuck and can still be sped up or cancelled.
    pub replaceable: bool,
    /// Whether money moved, by the chain's word: only then is it shown as a debit or a credit.
    pub moved: bool,
    /// Until when the signed payment could still move money while the chain has not decided it (a
    /// gasless authorization's `validBefore`, on the chain's clock; Unix seconds).
    pub valid_until: Option<u64>,
}

/// The history of one account.
#[derive(Debug, Clone, Serialize, Type)]
pub struct History {
    /// Newest first.
    pub items: Vec<HistoryItem>,
    /// Why it may be incomplete (offline).
    pub notice: Option<CommandError>,
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
