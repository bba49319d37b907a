//! Paying a payment request: quote, then sign, store, send, confirm.
//!
//! 1. [`quote`] matches the chain (a request for another chain is refused, never silently switched),
//!    resolves the token and its decimals, checks balance, simulates the transfer, and says exactly
//!    what will be signed: payee, token, amount, the most the network fee can be, a quote **id** and a
//!    **digest** of every signed field, and until when the quote holds. The network's numbers are
//!    bounded before they reach the quote ([`FeePolicy`]): a plain transfer to an account without
//!    code uses exactly 21 000 gas whatever the node says; a token transfer's gas is capped; the fee
//!    per gas comes from the network's own recent blocks (`eth_feeHistory`) and is capped per network;
//!    a fee over the network's ceiling is refused, one over a share of the amount is a warning.
//! 2. [`sign`] checks the quote is still valid (not expired, fee within the ceiling), signs an
//!    EIP-1559 transaction and **stores it before it leaves the process**. No network call: the app
//!    signs under the wallet lock and releases it before anything is sent.
//! 3. [`send`] broadcasts the stored bytes and confirms the result on chain. Only a failure to reach
//!    the node (or to hear its answer) is retried, automatically only for [`AUTO_RETRY_WINDOW`] and
//!    never past the request's expiry. A refusal by the node is **not final** (`rejected`, with the
//!    node's reason, sanitised and labelled): nodes word "I already have it" each their own way, and
//!    another node may hold the signed bytes, so the payment stays outstanding until the chain
//!    decides. A later retry is the person's decision ([`retry`]), and sends the very same bytes
//!    (same nonce, same hash), so it can never become a second payment.
//! 4. [`refresh`] updates stored payments from the chain **without sending anything**: reading the
//!    history never pays. **The chain decides**: a receipt counts once its block is
//!    [`Network::confirmations`] deep and the block at that height really holds the transaction; a
//!    payment is `replaced` only when its nonce was used by another transaction that deep and that
//!    has held for [`REPLACED_AFTER`] across refreshes (a lagging node is not the chain).
//! 5. A token payment is confirmed only by the token's own `Transfer(from, payee, value)` log in the
//!    receipt; otherwise it is `unconfirmed`, with the amount the payee actually received.
//! 6. A request paid before (same chain, payee, token, amount and order, from any account of the
//!    wallet) is flagged as a probable duplicate; paying it again needs an explicit override, and one
//!    still outstanding (signed, sent, or refused so far) is sent again (same bytes) instead of being
//!    paid twice, however old it is.
//! 7. The nonce is the chain's and the wallet's together ([`next_nonce`]): never below what the
//!    wallet knows is mined or outstanding, and a node's count below the mined one or far above what
//!    the wallet knows is refused. Windows the chain checks come from the chain's clock
//!    ([`ChainClock`]), never this machine's.

use std::time::Duration;

use alloy::eips::BlockNumberOrTag;
use alloy::primitives::{Address, B256, Bytes, U256, keccak256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::{SolCall, SolEvent, SolValue};

use crate::chain::network::{ChainClient, FeeCeilings, Network, is_transport_failure, redact_error};
use crate::chain::token::{self, IERC20Metadata, Token, format_amount};
use crate::error::{Error, Result};
use crate::keys::signer::TxRequest;
use crate::pay::request::{PaymentRequest, Target};
use crate::store::{Db, PaymentKind, PaymentRecord, PaymentStatus};
use crate::wallet::Wallet;

/// Without an order reference, how long a payment counts as "recent" for the duplicate warning.
pub const DUPLICATE_WINDOW_SECS: u64 = 24 * 3600;
/// With an order reference (an order is paid once), how long a payment counts for it.
pub const ORDER_DUPLICATE_WINDOW_SECS: u64 = 90 * 24 * 3600;
/// Gas headroom over the node's estimate, in percent (token transfers and contract payees only).
pub const GAS_HEADROOM_PERCENT: u64 = 20;
/// The gas of a plain ether transfer to an account without code: fixed by the protocol.
pub const PLAIN_TRANSFER_GAS: u64 = 21_000;
/// How long a quote may be paid after it was shown.
pub const QUOTE_TTL_SECS: u64 = 120;
/// How long [`send`] retries on its own when the node cannot be reached.
pub const AUTO_RETRY_WINDOW: Duration = Duration::from_secs(20);
/// The longest an ENS resolution may take (it may follow an off-chain gateway).
pub const ENS_TIMEOUT: Duration = Duration::from_secs(20);
/// Blocks of fee history the fee is derived from.
pub const FEE_HISTORY_BLOCKS: u64 = 10;
/// A network fee over this share of a native amount (in percent) is a warning.
pub const HIGH_FEE_PERCENT: u64 = 10;
/// How long a transaction's nonce must be seen used by another transaction (deep enough) while the
/// transaction itself stays unknown, across refreshes, before it is called replaced: a node behind a
/// load balancer can lag behind the one that mined it by a few blocks.
pub const REPLACED_AFTER: Duration = Duration::from_secs(24);
/// The most transactions of an account a node may report waiting that this wallet did not sign.
/// None: whether another device sent them or the node lies (a "future" nonce), a payment signed
/// behind them could wait for ever; the person is told to pay once they are through.
pub const MAX_FOREIGN_PENDING: u64 = 0;
/// How long the network fees signed are added up for the hourly bound ([`check_fee_budget`]).
pub const FEE_BUDGET_WINDOW_SECS: u64 = 3600;
/// How many payments' worth of the network's per-payment fee ceiling may be signed in that window.
pub const FEE_BUDGET_PAYMENTS: u64 = 10;
/// How far the next block's time may be taken to run ahead of the latest block's (a chain idle for
/// a while): the chain's clock never runs further on this machine's or a node's word.
pub const MAX_IDLE_SECS: u64 = 15 * 60;

/// The bounds Tender puts on what a node says about gas and fees, per network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeePolicy {
    /// The most gas a token `transfer` may take (real ERC-20 transfers take 30 000 to 80 000).
    pub max_token_gas: u64,
    /// The most gas an ether payment to a contract (a smart-contract wallet) may take.
    pub max_contract_gas: u64,
    /// The highest fee per gas Tender signs, in wei.
    pub max_fee_per_gas: U256,
    /// The highest tip per gas a node's fee history may propose, in wei.
    pub max_priority_fee_per_gas: U256,
    /// The most one payment's network fee may be, in wei: above it, Tender refuses.
    pub max_fee: U256,
}

const GWEI: u64 = 1_000_000_000;

impl FeePolicy {
    /// The ceilings for `network`: generous enough for a busy day, far below what a lying node asks.
    pub fn for_network(network: &Network) -> Self {
        Self::from_ceilings(network.fees)
    }

    /// The ceilings for the chain `chain_id` (see [`FeePolicy::for_network`]): from Tender's network
    /// data, mainnet-like for a chain it does not know.
    pub fn for_chain(chain_id: u64) -> Self {
        Self::from_ceilings(crate::chain::network::network_data(chain_id).map_or(FeeCeilings::DEFAULT, |n| n.fees))
    }

    fn from_ceilings(ceilings: FeeCeilings) -> Self {
        Self {
            max_token_gas: 150_000,
            max_contract_gas: 100_000,
            max_fee_per_gas: U256::from(ceilings.max_gwei_per_gas) * U256::from(GWEI),
            max_priority_fee_per_gas: U256::from(ceilings.max_tip_gwei) * U256::from(GWEI),
            // milli-units of the native currency (18 decimals).
            max_fee: U256::from(ceilings.max_fee_milli) * U256::from(10u64).pow(U256::from(15)),
        }
    }
}

/// Something the person must see before confirming.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// The token is not on Tender's list for this network.
    UnverifiedToken {
        /// Its contract.
        token: String,
    },
    /// What is paid here (same payee, token, amount and order) was paid, or is being paid, from
    /// this wallet recently.
    ProbableDuplicate {
        /// The earlier payment's transaction.
        #[cfg_attr(feature = "specta", specta(type = String))]
        tx_hash: B256,
        /// When it was made.
        paid_at: u64,
        /// Its status.
        status: PaymentStatus,
        /// The account that paid it.
        #[serde(default)]
        #[cfg_attr(feature = "specta", specta(type = Option<String>))]
        account: Option<Address>,
    },
    /// The network fee is a large share of what is paid.
    HighFee {
        /// The most the fee can be, as a percentage of the amount (rounded up).
        percent: u64,
    },
    /// The payee is an ENS name with characters beyond ASCII: check it letter by letter.
    NonAsciiName {
        /// The normalised name.
        name: String,
    },
    /// This shop's checkout (same link, payee, token and amount) was paid, or is being paid, from
    /// this wallet recently (a gasless payment).
    DuplicateCheckout {
        /// The earlier authorization's nonce.
        #[cfg_attr(feature = "specta", specta(type = String))]
        nonce: B256,
        /// When it was signed.
        paid_at: u64,
        /// Its status.
        status: PaymentStatus,
        /// The account that signed it.
        #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        account: Address,
    },
    /// The payee looks like an address this wallet knows (the same first and last digits) and is
    /// not it: the mark of address poisoning ([`crate::pay::payee`]).
    LookalikePayee {
        /// The known address it imitates.
        #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        looks_like: Address,
    },
}

impl Warning {
    /// Whether paying despite it needs the person's explicit acknowledgement.
    pub fn needs_ack(&self) -> bool {
        matches!(
            self,
            Warning::ProbableDuplicate { .. } | Warning::DuplicateCheckout { .. } | Warning::LookalikePayee { .. }
        )
    }
}

/// Exactly what will be signed and what it costs. Public data only.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Quote {
    /// This quote's id (random): what the person confirms names it.
    pub id: String,
    /// Keccak-256 over every field that is signed or shown (see [`Quote::compute_digest`]).
    pub digest: B256,
    /// When it was made (Unix seconds).
    pub created_at: u64,
    /// Until when it may be paid: a short time after it was shown, and never past the request's
    /// own expiry.
    pub expires_at: u64,
    /// The request's own expiry, if it has one.
    pub request_expires: Option<u64>,
    /// The chain.
    pub chain_id: u64,
    /// The network's name.
    pub network: String,
    /// The paying account.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub from: Address,
    /// Who is paid.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub payee: Address,
    /// The ENS name the payee was resolved from (ENSIP-15 normalised), shown beside the address.
    pub payee_name: Option<String>,
    /// The token, or `None` for the native currency.
    pub token: Option<Token>,
    /// What is paid, in the asset's symbol.
    pub symbol: String,
    /// The amount in base units.
    #[serde(with = "crate::text::decimal")]
    pub amount: U256,
    /// The amount in the asset's units, exact.
    pub amount_display: String,
    /// The most the network fee can be (gas limit × max fee per gas), in wei.
    #[serde(with = "crate::text::decimal")]
    pub max_network_fee: U256,
    /// The same in the native currency's units.
    pub max_network_fee_display: String,
    /// The native currency's symbol.
    pub native_symbol: String,
    /// The most native currency leaving the account (amount, if native, plus the fee cap).
    #[serde(with = "crate::text::decimal")]
    pub max_total_native: U256,
    /// The merchant's name as the request claims it (self-declared).
    pub merchant: Option<String>,
    /// The merchant's message.
    pub message: Option<String>,
    /// The merchant's order reference.
    pub order: Option<String>,
    /// Warnings to show before confirming.
    pub warnings: Vec<Warning>,
    /// The canonical request, as stored with the payment.
    pub request_uri: String,
    /// The transaction that will be signed.
    pub tx: TxRequest,
}

impl crate::store::StoredQuote for Quote {
    fn digest(&self) -> B256 {
        self.digest
    }
    fn created_at(&self) -> u64 {
        self.created_at
    }
    fn expires_at(&self) -> u64 {
        self.expires_at
    }
}

impl Quote {
    /// The digest of everything that is signed or shown: chain, accounts, asset, amount, the whole
    /// transaction (nonce, gas, fees, call data), the request and the validity window. Two quotes
    /// with one digest sign the same bytes.
    pub fn compute_digest(&self) -> B256 {
        let tx = &self.tx;
        let encoded = (
            (self.chain_id, self.from, self.payee, self.token.as_ref().map_or(Address::ZERO, |t| t.address)),
            (self.amount, self.max_network_fee, self.expires_at),
            (tx.chain_id, tx.nonce, tx.to.unwrap_or_default(), tx.value, tx.gas),
            (tx.max_fee_per_gas.unwrap_or_default(), tx.max_priority_fee_per_gas.unwrap_or_default()),
            (tx.input.clone(), self.request_uri.clone(), self.id.clone()),
        )
            .abi_encode();
        keccak256(encoded)
    }

    /// Whether this quote may still be paid at `now`: not past its validity, its digest intact and
    /// its fee within `policy`.
    pub fn check_payable(&self, policy: &FeePolicy, now: u64) -> Result<()> {
        if now > self.expires_at {
            return Err(Error::QuoteExpired);
        }
        if self.compute_digest() != self.digest {
            return Err(Error::QuoteMismatch);
        }
        check_fee(policy, self.tx.gas, self.tx.max_fee_per_gas.unwrap_or_default(), &self.native_symbol)
    }
}

pub(crate) fn check_fee(policy: &FeePolicy, gas: u64, max_fee_per_gas: U256, symbol: &str) -> Result<()> {
    let fee = U256::from(gas) * max_fee_per_gas;
    if max_fee_per_gas > policy.max_fee_per_gas || fee > policy.max_fee {
        return Err(Error::FeeTooHigh {
            fee: format_amount(fee, 18),
            ceiling: format_amount(policy.max_fee, 18),
            symbol: symbol.to_owned(),
        });
    }
    Ok(())
}

fn unavailable(client: &ChainClient, e: alloy::transports::TransportError) -> Error {
    crate::chain::network::rpc_error(&client.endpoint, e)
}

fn contract_error(client: &ChainClient, e: alloy::contract::Error) -> Error {
    crate::chain::network::contract_error(&client.endpoint, e)
}

/// The node's words about why a call would fail, sanitised and cut (shown labelled as the node's).
fn would_fail(client: &ChainClient, e: &alloy::transports::TransportError) -> Error {
    use alloy::transports::RpcError;
    let text = match e {
        RpcError::ErrorResp(answer) => answer.message.to_string(),
        other => other.to_string(),
    };
    Error::WouldFail { reason: redact_error(&text, &client.endpoint) }
}

fn now() -> u64 {
    now_secs()
}

/// This machine's clock (Unix seconds): what Tender's own windows (a quote's few minutes, the
/// duplicate guard's days) are measured with. Never what the chain checks: see [`ChainClock`].
pub fn now_secs() -> u64 {
    let real = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    real.saturating_add_signed(clock_skew())
}

/// A test build's wrong clock: seconds added to this machine's (negative: behind), from
/// `TENDER_CLOCK_SKEW_SECS`, else from the file `TENDER_CLOCK_SKEW_FILE` names (read at every call,
/// so a running app's clock can be put wrong and right again). Compiled only with the `test-util`
/// feature; elsewhere the clock is the machine's.
#[cfg(feature = "test-util")]
fn clock_skew() -> i64 {
    let parse = |v: String| v.trim().parse().ok();
    std::env::var("TENDER_CLOCK_SKEW_SECS")
        .ok()
        .and_then(parse)
        .or_else(|| {
            let file = std::env::var_os("TENDER_CLOCK_SKEW_FILE")?;
            crate::vault::atomic::read_data_file(std::path::Path::new(&file), 64)
                .ok()
                .and_then(|b| parse(String::from_utf8_lossy(&b).into_owned()))
        })
        .unwrap_or(0)
}

#[cfg(not(feature = "test-util"))]
#[inline(always)]
fn clock_skew() -> i64 {
    0
}

/// The chain's clock, read when a payment is quoted or signed: every window the chain itself checks
/// (EIP-3009 `validAfter`/`validBefore`, a request's `expires=`) is computed from it, so a machine
/// clock minutes wrong, or a chain that made no block for minutes, still pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainClock {
    /// The latest block's number.
    pub head: u64,
    /// The latest block's timestamp: the chain's "now" as far as it has decided.
    pub latest: u64,
    /// The timestamp the next block will carry: the node's pending block's (a chain idle for a while
    /// stamps its next block with the time it is made), at least `latest` and at most
    /// [`MAX_IDLE_SECS`] past it.
    pub next: u64,
}

impl ChainClock {
    /// The clock from the latest block (`head`, its timestamp `latest`) and the pending block's
    /// timestamp, if the node gave one; without it, this machine's clock (`machine`) within the same
    /// bounds.
    pub fn from_blocks(head: u64, latest: u64, pending: Option<u64>, machine: u64) -> Self {
        let ceiling = latest.saturating_add(MAX_IDLE_SECS);
        let next = match pending {
            Some(t) if t >= latest => t.min(ceiling),
            _ => machine.clamp(latest, ceiling),
        };
        Self { head, latest, next }
    }
}

/// Reads the chain's clock (two calls: the latest and the pending block).
pub async fn chain_clock(client: &ChainClient) -> Result<ChainClock> {
    let latest = client
        .provider
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .map_err(|e| unavailable(client, e))?
        .ok_or_else(|| Error::BadRpcResponse { detail: "the network has no latest block".into() })?;
    let pending = match client.provider.get_block_by_number(BlockNumberOrTag::Pending).await {
        Ok(Some(b)) => Some(b.header.timestamp),
        // Not every node serves a pending block; the latest one and the bounds stand.
        Ok(None) | Err(_) => None,
    };
    Ok(ChainClock::from_blocks(latest.header.number, latest.header.timestamp, pending, now()))
}

/// The nonce a new payment from `from` takes: the node's count of this account's transactions
/// (waiting ones included), checked against what the wallet itself knows (`own`: this account's
/// stored payments on this chain). Never below a nonce the wallet knows is mined or outstanding, so
/// a node that does not see the wallet's own waiting payment cannot make a new one silently replace
/// it. A node whose waiting count is below its mined count, whose mined count is behind what the
/// wallet saw mined, or that reports more than [`MAX_FOREIGN_PENDING`] waiting transactions the
/// wallet did not sign ([`Error::ForeignPending`]) is refused. An outstanding payment the node does not hold (refused, or never
/// sent) would keep a new one waiting behind it: [`Error::EarlierPaymentOutstanding`], unless the new
/// payment is that very payment again (`same`), which the duplicate guard resumes.
pub async fn next_nonce(
    client: &ChainClient,
    from: Address,
    own: &[PaymentRecord],
    same: impl Fn(&PaymentRecord) -> bool,
) -> Result<u64> {
    let provider = &client.provider;
    let mined = provider.get_transaction_count(from).latest().await.map_err(|e| unavailable(client, e))?;
    let waiting = provider.get_transaction_count(from).pending().await.map_err(|e| unavailable(client, e))?;
    nonce_from_counts(mined, waiting, own, same)
}

/// [`next_nonce`] from the node's two counts.
pub fn nonce_from_counts(
    mined: u64,
    waiting: u64,
    own: &[PaymentRecord],
    same: impl Fn(&PaymentRecord) -> bool,
) -> Result<u64> {
    let bad = |detail: &str| Error::BadRpcResponse { detail: detail.to_owned() };
    if waiting < mined {
        return Err(bad("it counts fewer transactions of this account with the waiting ones than without"));
    }
    let seen_mined = own
        .iter()
        .filter(|r| {
            r.block_number.is_some()
                && matches!(r.status, PaymentStatus::Confirmed | PaymentStatus::Unconfirmed | PaymentStatus::Failed)
        })
        .map(|r| r.nonce + 1)
        .max()
        .unwrap_or(0);
    if mined < seen_mined {
        return Err(Error::RpcUnavailable {
            detail: "the network is behind: it has not seen this account's last payment yet; try again in a moment"
                .into(),
        });
    }
    let outstanding: Vec<&PaymentRecord> =
        own.iter().filter(|r| r.status.is_unfinished() && r.nonce >= mined).collect();
    let held = outstanding.iter().map(|r| r.nonce + 1).max().unwrap_or(0);
    if waiting > mined.max(held) + MAX_FOREIGN_PENDING {
        return Err(Error::ForeignPending { count: waiting - mined.max(held) });
    }
    // An outstanding payment that never reached a node as far as the wallet knows (signed, or
    // refused so far), and that this node does not hold either, keeps anything signed after it
    // waiting: it goes first (sent again), or is cancelled. One sent (`pending`) is out there: the
    // next payment simply comes after it.
    let unsent = |r: &&&PaymentRecord| r.status != PaymentStatus::Pending && r.nonce >= waiting && !same(r);
    if let Some(first) = outstanding.iter().filter(unsent).min_by_key(|r| r.nonce) {
        let root = first.replaces.unwrap_or(first.tx_hash);
        return Err(Error::EarlierPaymentOutstanding { tx_hash: root });
    }
    Ok(waiting.max(held))
}

/// A fresh random quote id (what the person confirms names it).
pub(crate) fn new_quote_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).map_err(Error::Random)?;
    Ok(alloy::hex::encode(bytes))
}

/// Since when an earlier payment of `request` counts as a probable duplicate at `now`: a day back
/// (ninety days when the request names an order), plus however long the request itself is still
/// valid (a payment made while it was valid counts while it still is).
pub fn duplicate_since(request: &PaymentRequest, now: u64) -> u64 {
    duplicate_window_start(request.order.is_some(), request.expires, now)
}

fn duplicate_window_start(has_order: bool, expires: Option<u64>, now: u64) -> u64 {
    let base = if has_order { ORDER_DUPLICATE_WINDOW_SECS } else { DUPLICATE_WINDOW_SECS };
    let remaining = expires.map_or(0, |e| e.saturating_sub(now));
    now.saturating_sub(base.saturating_add(remaining))
}

/// The fee per gas to offer: from the network's recent blocks (`eth_feeHistory`): twice the next
/// block's base fee plus the median tip, within `policy`. A base fee already over the ceiling is a
/// refusal: the network (or the node) asks for more than Tender signs.
pub(crate) async fn fees(client: &ChainClient, policy: &FeePolicy) -> Result<(U256, U256)> {
    let history = client
        .provider
        .get_fee_history(FEE_HISTORY_BLOCKS, BlockNumberOrTag::Latest, &[50.0])
        .await
        .map_err(|e| unavailable(client, e))?;
    fees_from_history(&history, policy, &client.network.native.symbol)
}

/// The fee per gas and tip to offer from a node's `eth_feeHistory` answer (see [`quote`]): the
/// answer is untrusted, so the result is bounded by `policy` and a base fee above its ceiling is
/// [`Error::FeeTooHigh`].
pub fn fees_from_history(
    history: &alloy::rpc::types::FeeHistory,
    policy: &FeePolicy,
    symbol: &str,
) -> Result<(U256, U256)> {
    let bad = |what: &str| Error::BadRpcResponse { detail: format!("fee history: {what}") };
    let next_base = history.base_fee_per_gas.last().copied().ok_or_else(|| bad("no base fee"))?;
    let next_base = U256::from(next_base);
    let mut tips: Vec<u128> = history.reward.iter().flatten().filter_map(|r| r.first().copied()).collect();
    tips.sort_unstable();
    // The node's tip is bounded by the network's data, like its base fee.
    let tip = U256::from(tips.get(tips.len() / 2).copied().unwrap_or(0).max(1)).min(policy.max_priority_fee_per_gas);
    if next_base > policy.max_fee_per_gas {
        return Err(Error::FeeTooHigh {
            fee: format!("{} gwei per gas", format_amount(next_base, 9)),
            ceiling: format!("{} gwei per gas", format_amount(policy.max_fee_per_gas, 9)),
            symbol: symbol.to_owned(),
        });
    }
    let max_fee = (next_base * U256::from(2u8) + tip).min(policy.max_fee_per_gas);
    Ok((max_fee, tip.min(max_fee)))
}

/// The address of `target`: as written, or resolved through ENS where the network has ENS (names
/// with an off-chain resolver are followed with CCIP-read, EIP-3668).
async fn resolve(client: &ChainClient, target: &Target, what: &'static str) -> Result<(Address, Option<String>)> {
    match target {
        Target::Address(a) => Ok((*a, None)),
        Target::Ens(name) if !client.network.ens => Err(Error::EnsUnsupported { name: name.clone(), what }),
        Target::Ens(name) => {
            use alloy::ens::{EnsError, ProviderEnsExt};
            // CCIP-read (EIP-3668) fetches from the resolver's own gateway, outside Tender's bounded
            // transport: the whole resolution gets a deadline of its own.
            let resolved = tokio::time::timeout(ENS_TIMEOUT, client.provider.resolve_name(name)).await;
            match resolved {
                Err(_) => Err(Error::RpcUnavailable { detail: format!("{name}: no answer in time") }),
                Ok(Ok(a)) if a != Address::ZERO => Ok((a, Some(name.clone()))),
                Ok(Ok(_) | Err(EnsError::ResolverNotFound(_))) => Err(Error::EnsNotFound { name: name.clone() }),
                Ok(Err(e)) => Err(Error::RpcUnavailable { detail: redact_error(&e.to_string(), &client.endpoint) }),
            }
        }
    }
}

/// Prepares paying `request` from `from` on the network `client` is connected to. `amount` fills in
/// a request that leaves the amount open (base units). `known_tokens` are the network's listed tokens.
pub async fn quote(
    client: &ChainClient,
    db: &Db,
    from: Address,
    request: &PaymentRequest,
    amount: Option<U256>,
    known_tokens: &[Token],
) -> Result<Quote> {
    let own = db.payments(client.network.chain_id, from)?;
    let mut quote = prepare(client, from, request, amount, known_tokens, &own).await?;
    add_duplicate_warning(db, &mut quote, request)?;
    Ok(quote)
}

/// [`quote`] without the duplicate check: everything the network says, bounded, and no database
/// (so a caller need not hold its database across network calls; `own` is what it read of this
/// account's stored payments on this chain, for the nonce). [`add_duplicate_warning`] then
/// completes it.
pub async fn prepare(
    client: &ChainClient,
    from: Address,
    request: &PaymentRequest,
    amount: Option<U256>,
    known_tokens: &[Token],
    own: &[PaymentRecord],
) -> Result<Quote> {
    let network = &client.network;
    let policy = FeePolicy::for_network(network);
    if let Some(wanted) = request.chain_id.filter(|id| *id != network.chain_id) {
        return Err(Error::ChainMismatch { requested: wanted, current: network.chain_id });
    }
    let created_at = now();
    // The request's `expires=` is the merchant's deadline on the chain's clock, not this machine's.
    let clock = chain_clock(client).await?;
    if request.is_expired(clock.next) {
        return Err(Error::RequestExpired { expired_at: request.expires.unwrap_or_default() });
    }
    let recipient = request
        .recipient
        .as_ref()
        .ok_or_else(|| Error::PaymentRequest(crate::pay::request::RequestError::Malformed("no payee".into())))?;
    let (payee, payee_name) = resolve(client, recipient, "payee").await?;
    let amount = match (request.amount, amount) {
        (Some(a), Some(b)) if a != b => return Err(Error::AmountConflict),
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => return Err(Error::AmountMissing),
    };
    if amount.is_zero() {
        return Err(Error::AmountMissing);
    }
    let mut warnings = Vec::new();
    if let Some(name) = payee_name.as_ref().filter(|n| !n.is_ascii()) {
        warnings.push(Warning::NonAsciiName { name: name.clone() });
    }
    let token = match &request.token {
        None => None,
        Some(t) => {
            let (address, _) = resolve(client, t, "token").await?;
            match known_tokens.iter().find(|k| k.address == address) {
                Some(known) => Some(known.clone()),
                None => {
                    let read = token::read_token(client, address).await?;
                    warnings.push(Warning::UnverifiedToken { token: address.to_checksum(None) });
                    Some(read)
                }
            }
        }
    };

    // What will be signed: a plain transfer, or the token's transfer(payee, amount). Never a call to
    // the payee with token calldata, never value sent to the token.
    let (to, value, input) = match &token {
        None => (payee, amount, Bytes::new()),
        Some(t) => {
            (t.address, U256::ZERO, IERC20Metadata::transferCall { to: payee, value: amount }.abi_encode().into())
        }
    };
    let provider = &client.provider;
    let native_balance = provider.get_balance(from).await.map_err(|e| unavailable(client, e))?;
    if let Some(t) = &token {
        let held = IERC20Metadata::new(t.address, provider)
            .balanceOf(from)
            .call()
            .await
            .map_err(|e| contract_error(client, e))?;
        if held < amount {
            return Err(Error::InsufficientFunds {
                symbol: t.symbol.clone(),
                needed: format_amount(amount, t.decimals),
                available: format_amount(held, t.decimals),
            });
        }
    } else if native_balance < amount {
        let n = &network.native;
        return Err(Error::InsufficientFunds {
            symbol: n.symbol.clone(),
            needed: format_amount(amount, n.decimals),
            available: format_amount(native_balance, n.decimals),
        });
    }
    let call = TransactionRequest::default().from(from).to(to).value(value).input(input.clone().into());
    let gas = match &token {
        Some(_) => {
            // The token's own answer to this very transfer, before anything is signed: a revert is
            // its reason, `false` is a refusal (ERC-20 allows returning false instead of reverting);
            // no return data is the old USDT style and accepted.
            let answer = provider.call(call.clone()).await.map_err(|e| would_fail(client, &e))?;
            match answer.len() {
                0 => {}
                32 if answer[31] == 1 && answer[..31].iter().all(|b| *b == 0) => {}
                32 => return Err(Error::TokenRefused),
                _ => return Err(Error::BadRpcResponse { detail: "the token's transfer answered oddly".into() }),
            }
            let estimate = provider.estimate_gas(call).await.map_err(|e| would_fail(client, &e))?;
            bounded_gas(estimate, policy.max_token_gas)?
        }
        None => {
            let code = provider.get_code_at(payee).await.map_err(|e| unavailable(client, e))?;
            if code.is_empty() {
                // Fixed by the protocol: whatever a node estimates, a plain transfer costs this.
                PLAIN_TRANSFER_GAS
            } else {
                let estimate = provider.estimate_gas(call).await.map_err(|e| would_fail(client, &e))?;
                bounded_gas(estimate, policy.max_contract_gas)?
            }
        }
    };
    let (max_fee_per_gas, max_priority_fee_per_gas) = fees(client, &policy).await?;
    check_fee(&policy, gas, max_fee_per_gas, &network.native.symbol)?;
    let token_address = token.as_ref().map(|t| t.address);
    let same = |r: &PaymentRecord| {
        r.payee == payee && r.token == token_address && r.amount == amount && r.order == request.order
    };
    let nonce = next_nonce(client, from, own, same).await?;
    let max_network_fee = U256::from(gas) * max_fee_per_gas;
    let max_total_native = max_network_fee + value;
    if token.is_some() && native_balance < max_total_native {
        // The token is there; the fee is not: say so plainly, not "insufficient funds".
        let n = &network.native;
        return Err(Error::NeedsNativeForFee {
            symbol: n.symbol.clone(),
            needed: format_amount(max_total_native, n.decimals),
            available: format_amount(native_balance, n.decimals),
        });
    }
    if native_balance < max_total_native {
        let n = &network.native;
        return Err(Error::InsufficientFunds {
            symbol: n.symbol.clone(),
            needed: format_amount(max_total_native, n.decimals),
            available: format_amount(native_balance, n.decimals),
        });
    }
    if token.is_none() && max_network_fee * U256::from(100u8) > amount * U256::from(HIGH_FEE_PERCENT) {
        let percent = (max_network_fee * U256::from(100u8)).div_ceil(amount);
        warnings.push(Warning::HighFee { percent: u64::try_from(percent).unwrap_or(u64::MAX) });
    }
    let canonical = PaymentRequest { chain_id: Some(network.chain_id), amount: Some(amount), ..request.clone() };
    let request_uri = canonical.to_uri();
    let (symbol, decimals) = match &token {
        Some(t) => (t.symbol.clone(), t.decimals),
        None => (network.native.symbol.clone(), network.native.decimals),
    };
    // The quote's own few minutes are this machine's; the request's deadline is the chain's, carried
    // over as the time left.
    let left = request.expires.map_or(QUOTE_TTL_SECS, |e| e.saturating_sub(clock.next).min(QUOTE_TTL_SECS));
    let expires_at = created_at + left;
    let mut quote = Quote {
        id: new_quote_id()?,
        digest: B256::ZERO,
        created_at,
        expires_at,
        request_expires: request.expires,
        chain_id: network.chain_id,
        network: network.name.clone(),
        from,
        payee,
        payee_name,
        symbol,
        amount,
        amount_display: format_amount(amount, decimals),
        token,
        max_network_fee,
        max_network_fee_display: format_amount(max_network_fee, network.native.decimals),
        native_symbol: network.native.symbol.clone(),
        max_total_native,
        merchant: request.label.clone(),
        message: request.message.clone(),
        order: request.order.clone(),
        warnings,
        request_uri,
        tx: TxRequest {
            chain_id: network.chain_id,
            nonce,
            to: Some(to),
            value,
            gas,
            max_fee_per_gas: Some(max_fee_per_gas),
            max_priority_fee_per_gas: Some(max_priority_fee_per_gas),
            gas_price: None,
            input,
        },
    };
    quote.digest = quote.compute_digest();
    Ok(quote)
}

/// Adds the probable-duplicate warning to `quote` of `request` when this wallet paid the same
/// (chain, payee, token, amount, order) recently, from any account. Warnings are shown, not signed:
/// the digest does not change.
pub fn add_duplicate_warning(db: &Db, quote: &mut Quote, request: &PaymentRequest) -> Result<()> {
    let earlier = db.duplicate_payment(
        quote.chain_id,
        quote.payee,
        quote.token.as_ref().map(|t| t.address),
        quote.amount,
        request.order.as_deref(),
        duplicate_since(request, quote.created_at),
    )?;
    if let Some(earlier) = earlier {
        quote.warnings.retain(|w| !matches!(w, Warning::ProbableDuplicate { .. }));
        quote.warnings.push(Warning::ProbableDuplicate {
            tx_hash: earlier.tx_hash,
            paid_at: earlier.created_at,
            status: earlier.status,
            account: Some(earlier.account),
        });
    }
    Ok(())
}

/// The node's gas estimate with headroom, refused above `limit`.
fn bounded_gas(estimate: u64, limit: u64) -> Result<u64> {
    let gas = estimate.saturating_mul(100 + GAS_HEADROOM_PERCENT) / 100;
    if gas > limit {
        return Err(Error::GasTooHigh { gas: estimate, limit });
    }
    Ok(gas)
}

/// How [`send`] waits for a receipt.
#[derive(Debug, Clone, Copy)]
pub struct Tracking {
    /// Time between receipt polls.
    pub poll: Duration,
    /// How long to wait before reporting the payment as still pending.
    pub timeout: Duration,
    /// How long "our nonce is used and our transaction is unknown" must hold before the payment is
    /// called replaced (a node behind a load balancer can lag behind the one that mined it).
    pub replaced_after: Duration,
    /// How long an unreachable node is retried on its own before the payment is left, saved and not
    /// sent, for the person to decide ([`AUTO_RETRY_WINDOW`] by default).
    pub retry_for: Duration,
}

impl Default for Tracking {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(500),
            timeout: Duration::from_secs(120),
            replaced_after: REPLACED_AFTER,
            retry_for: AUTO_RETRY_WINDOW,
        }
    }
}

/// Signs `quote` with account `index` of the unlocked `wallet` and stores the signed transaction
/// ([`sign_detached`], then [`store`]). Makes no network call.
pub fn sign(db: &Db, wallet: &Wallet, index: u32, quote: &Quote, allow_duplicate: bool) -> Result<PaymentRecord> {
    let record = sign_detached(wallet, index, quote)?;
    store(db, record, allow_duplicate)
}

/// Signs `quote` with account `index` of the unlocked `wallet`, touching nothing else (the app holds
/// the wallet lock for this alone). Refuses a quote past its validity, with a broken digest or a
/// fee over the network's ceiling. The record is not stored yet: [`store`] it before sending.
pub fn sign_detached(wallet: &Wallet, index: u32, quote: &Quote) -> Result<PaymentRecord> {
    quote.check_payable(&FeePolicy::for_chain(quote.chain_id), now())?;
    let signer = wallet.signer(index)?;
    if signer.address() != quote.from {
        return Err(Error::UnknownAccount { index });
    }
    let signed = crate::keys::signer::sign_transaction(&signer, crate::keys::signer::build_transaction(&quote.tx)?)?;
    drop(signer);
    Ok(PaymentRecord {
        chain_id: quote.chain_id,
        account: quote.from,
        request_uri: quote.request_uri.clone(),
        order: quote.order.clone(),
        payee: quote.payee,
        token: quote.token.as_ref().map(|t| t.address),
        amount: quote.amount,
        nonce: quote.tx.nonce,
        tx_hash: signed.hash,
        raw_tx: signed.raw.clone(),
        status: PaymentStatus::Signed,
        created_at: now(),
        block_number: None,
        error: None,
        expires_at: quote.request_expires,
        received: None,
        quote_digest: Some(quote.digest),
        kind: PaymentKind::Payment,
        replaces: None,
        replaced_seen_at: None,
    })
}

/// The most a stored transaction's network fee can be (gas limit × fee cap), from its signed bytes.
pub(crate) fn signed_fee_cap(record: &PaymentRecord) -> Result<U256> {
    use alloy::consensus::Transaction as _;
    use alloy::eips::eip2718::Decodable2718;
    let tx = alloy::consensus::TxEnvelope::decode_2718(&mut record.raw_tx.as_ref())
        .map_err(|_| Error::Database { detail: "bad stored transaction".into() })?;
    Ok(U256::from(tx.gas_limit()) * U256::from(tx.max_fee_per_gas()))
}

/// Refuses `record` when the network fees signed on its chain in the last [`FEE_BUDGET_WINDOW_SECS`]
/// (from any account; of a payment and its replacements, only one can be mined, so the highest
/// counts), with its own, would pass [`FEE_BUDGET_PAYMENTS`] times the network's per-payment fee
/// ceiling: many small payments, or a face tricked into paying again and again, cannot drain the
/// ether.
pub fn check_fee_budget(db: &Db, record: &PaymentRecord) -> Result<()> {
    let policy = FeePolicy::for_chain(record.chain_id);
    let ceiling = policy.max_fee * U256::from(FEE_BUDGET_PAYMENTS);
    let since = record.created_at.saturating_sub(FEE_BUDGET_WINDOW_SECS);
    let mut per_nonce: std::collections::HashMap<(Address, u64), U256> = std::collections::HashMap::new();
    let earlier = db.payments_signed_since(record.chain_id, since)?;
    for r in earlier.iter().filter(|r| r.tx_hash != record.tx_hash).chain(std::iter::once(record)) {
        let fee = signed_fee_cap(r)?;
        let slot = per_nonce.entry((r.account, r.nonce)).or_default();
        *slot = (*slot).max(fee);
    }
    let total = per_nonce.values().fold(U256::ZERO, |sum, fee| sum.saturating_add(*fee));
    if total > ceiling {
        let symbol = crate::chain::network::network_data(record.chain_id).map_or("ETH", |n| n.native.symbol.as_str());
        let spent = total.saturating_sub(signed_fee_cap(record)?);
        return Err(Error::FeeBudgetExceeded {
            spent: format_amount(spent, 18),
            ceiling: format_amount(ceiling, 18),
            symbol: symbol.to_owned(),
        });
    }
    Ok(())
}

/// Stores a freshly signed payment before it leaves the process. What it pays (chain, payee, token,
/// amount, order) is looked up again now, not taken from the quote (one quote may be confirmed
/// twice): a probable duplicate needs `allow_duplicate`, and one still unfinished is returned
/// instead, to be sent again (never signed twice).
pub fn store(db: &Db, record: PaymentRecord, allow_duplicate: bool) -> Result<PaymentRecord> {
    // The check and the insert are one transaction: two processes paying the same request at once
    // never both pass the guard.
    let stored = db.atomically(|db| {
        let earlier = db.duplicate_payment(
            record.chain_id,
            record.payee,
            record.token,
            record.amount,
            record.order.as_deref(),
            duplicate_window_start(record.order.is_some(), record.expires_at, record.created_at),
        )?;
        if let Some(earlier) = earlier {
            if earlier.status.is_unfinished() {
                return Ok(earlier);
            }
            if !allow_duplicate {
                return Err(Error::ProbableDuplicate { tx_hash: earlier.tx_hash });
            }
        }
        check_fee_budget(db, &record)?;
        // From here on, a retry re-sends these bytes.
        db.insert_payment(&record)?;
        Ok(record)
    })?;
    crate::vault::atomic::crash_point("payment.signed");
    Ok(stored)
}

/// Checks the endpoint still serves the quote's chain, then signs and stores ([`sign`]) and sends
/// ([`send`]) `quote`: what the CLI and the tests use; the app runs the two steps itself, so that
/// the wallet lock is not held while the network is slow.
pub async fn pay(
    client: &ChainClient,
    db: &mut Db,
    wallet: &Wallet,
    index: u32,
    quote: &Quote,
    allow_duplicate: bool,
    tracking: Tracking,
) -> Result<PaymentRecord> {
    if quote.tx.chain_id != client.network.chain_id {
        return Err(Error::ChainMismatch { requested: quote.tx.chain_id, current: client.network.chain_id });
    }
    client.check_chain().await?;
    let record = sign(db, wallet, index, quote, allow_duplicate)?;
    send(client, db, record, tracking).await
}

/// Sends the stored payment with hash `tx_hash` again, on the person's word (the history's "send
/// again"): the same bytes, so never a second payment. Refused once the request has expired (by the
/// chain's clock), and for a payment the chain has decided.
pub async fn retry(client: &ChainClient, db: &mut Db, tx_hash: &B256, tracking: Tracking) -> Result<PaymentRecord> {
    let record = db.payment(tx_hash)?.ok_or(Error::UnknownPayment { tx_hash: *tx_hash })?;
    if !record.status.is_unfinished() {
        return Ok(record);
    }
    if let Some(expires) = record.expires_at
        && chain_clock(client).await?.next > expires
    {
        return Err(Error::RequestExpired { expired_at: expires });
    }
    send(client, db, record, tracking).await
}

/// Sends every outstanding payment again ([`retry`] for each, same bytes), on the person's word.
pub async fn resume(client: &ChainClient, db: &mut Db, tracking: Tracking) -> Result<Vec<PaymentRecord>> {
    let mut out = Vec::new();
    for record in db.unfinished_payments(client.network.chain_id)? {
        out.push(retry(client, db, &record.tx_hash, tracking).await?);
    }
    Ok(out)
}

/// Updates every outstanding payment (signed, sent, or refused so far) from the chain **without
/// sending anything** (what reading the history does): one look each, no waiting. Mined ones deep
/// enough are decided from their re-checked receipts; one whose nonce another transaction used is
/// called replaced only once that has held for `tracking.replaced_after` across refreshes. Returns
/// the records as they now stand.
pub async fn refresh(client: &ChainClient, db: &mut Db, tracking: Tracking) -> Result<Vec<PaymentRecord>> {
    let mut out = Vec::new();
    for stale in db.unfinished_payments(client.network.chain_id)? {
        // Read again: deciding one transaction of a nonce decides the others (speed-ups, cancellations).
        let Some(record) = db.payment(&stale.tx_hash)?.filter(|r| r.status.is_unfinished()) else { continue };
        out.push(check(client, db, record, tracking.replaced_after).await?);
    }
    Ok(out)
}

/// One look at the chain for an outstanding payment, reading only: its receipt (deep enough and
/// re-checked), else whether its nonce went to another transaction. That is final only once it has
/// held for `replaced_after` since first seen (kept in the record, so it spans refreshes and
/// processes): a node that lags behind the one that mined the payment is not the chain.
async fn check(
    client: &ChainClient,
    db: &mut Db,
    mut record: PaymentRecord,
    replaced_after: Duration,
) -> Result<PaymentRecord> {
    if let Some(done) = receipt_status(client, &record).await? {
        return finish(db, record, done);
    }
    if !nonce_used_elsewhere(client, &record).await? {
        if record.replaced_seen_at.take().is_some() {
            db.update_payment(&record)?;
        }
        return Ok(record);
    }
    if let Some(settled) = settle_group(client, db, &record).await? {
        return Ok(settled);
    }
    let now = now();
    let since = *record.replaced_seen_at.get_or_insert(now);
    if now.saturating_sub(since) >= replaced_after.as_secs() {
        return finish(db, record, Outcome { status: PaymentStatus::Replaced, block: None, received: None });
    }
    db.update_payment(&record)?;
    Ok(record)
}

/// What a broadcast came to.
enum Broadcast {
    /// The node has it (or mined it already).
    Out,
    /// The node could not be reached, or its answer was lost: it may or may not have it.
    Unknown(Error),
    /// The node refused it and does not hold it. Not final: another node may, or this one may take
    /// it later (funds arriving, fees falling).
    Refused(String),
}

async fn broadcast(client: &ChainClient, record: &PaymentRecord) -> Broadcast {
    use alloy::transports::RpcError;
    match client.provider.send_raw_transaction(&record.raw_tx).await {
        Ok(_) => Broadcast::Out,
        Err(RpcError::ErrorResp(answer)) => {
            // Nodes word "I have it already" each their own way (geth "already known", Besu "Known
            // transaction", Erigon "existing tx with same hash", …): whatever it said, ask it
            // whether it holds the transaction, by hash.
            match client.provider.get_transaction_by_hash(record.tx_hash).await {
                Ok(Some(_)) => Broadcast::Out,
                _ => Broadcast::Refused(redact_error(&answer.message, &client.endpoint)),
            }
        }
        Err(e) if is_transport_failure(&e) => Broadcast::Unknown(unavailable(client, e)),
        // An answer that is not JSON-RPC: the node may have taken the transaction.
        Err(e) => Broadcast::Unknown(unavailable(client, e)),
    }
}

/// Broadcasts the stored bytes and follows them until the chain decides or `tracking.timeout`
/// passes. Transport failures are retried for at most [`Tracking::retry_for`], never past the
/// request's expiry; then the payment stays stored as it was, for the person to send again. A
/// refusal marks a payment never sent `rejected` (outstanding, not final) and is returned as
/// [`Error::Rejected`].
pub async fn send(
    client: &ChainClient,
    db: &mut Db,
    record: PaymentRecord,
    tracking: Tracking,
) -> Result<PaymentRecord> {
    if let Some(done) = receipt_status(client, &record).await? {
        return finish(db, record, done);
    }
    let deadline = match record.expires_at {
        Some(e) => Some((e, chain_clock(client).await?.next)),
        None => None,
    };
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(250);
    loop {
        match broadcast(client, &record).await {
            Broadcast::Out => break,
            // Sent before: this node refusing it again says nothing about the copy already out there.
            Broadcast::Refused(_) if record.status == PaymentStatus::Pending => break,
            Broadcast::Refused(reason) => {
                let mut record = record;
                record.status = PaymentStatus::Rejected;
                record.error = Some(reason.clone());
                db.update_payment(&record)?;
                // One look at what the chain says (mined meanwhile, or its nonce used): reading only.
                let looked = check(client, db, record, tracking.replaced_after).await?;
                if !looked.status.is_unfinished() {
                    return Ok(looked);
                }
                return Err(Error::Rejected { reason });
            }
            Broadcast::Unknown(e) => {
                let elapsed = started.elapsed() + pause;
                let expired = deadline.is_some_and(|(e, at)| at + elapsed.as_secs() > e);
                if elapsed > tracking.retry_for || expired {
                    // Stays stored as it is: the person decides whether to send it again.
                    return Err(e);
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(4));
                // It may have gone out after all (the answer was lost).
                if let Ok(Some(done)) = receipt_status(client, &record).await {
                    return finish(db, record, done);
                }
            }
        }
    }
    crate::vault::atomic::crash_point("payment.broadcast");
    let mut record = record;
    if record.status != PaymentStatus::Pending {
        record.status = PaymentStatus::Pending;
        record.error = None;
        db.update_payment(&record)?;
    }
    track(client, db, record, tracking).await
}

/// Whether `record`'s nonce was used by a transaction the node knows and this one is not: the
/// account's count at a block [`Network::confirmations`] deep is past the nonce, and the node does
/// not know `record`'s transaction.
async fn nonce_used_elsewhere(client: &ChainClient, record: &PaymentRecord) -> Result<bool> {
    let provider = &client.provider;
    let head = provider.get_block_number().await.map_err(|e| unavailable(client, e))?;
    let deep = head.saturating_sub(client.network.confirmations.max(1) - 1);
    let used = provider.get_transaction_count(record.account).number(deep).await.map_err(|e| unavailable(client, e))?;
    if used <= record.nonce {
        return Ok(false);
    }
    // A node that knows our transaction (mined, its receipt not served yet) has not lost it.
    let known = provider.get_transaction_by_hash(record.tx_hash).await.map_err(|e| unavailable(client, e))?;
    Ok(known.is_none())
}

/// Follows `record` until the chain decides it or `tracking.timeout` passes, reading only.
async fn track(client: &ChainClient, db: &mut Db, record: PaymentRecord, tracking: Tracking) -> Result<PaymentRecord> {
    let started = std::time::Instant::now();
    let mut record = record;
    loop {
        record = check(client, db, record, tracking.replaced_after).await?;
        if !record.status.is_unfinished() || started.elapsed() >= tracking.timeout {
            return Ok(record);
        }
        tokio::time::sleep(tracking.poll).await;
    }
}

/// When another transaction of `record`'s nonce that Tender stored (a speed-up, a cancellation, the
/// payment they replace) was mined: finishes that one from its receipt, which decides the others.
/// Returns `record` as it now stands, or `None` when none of them is mined.
async fn settle_group(client: &ChainClient, db: &mut Db, record: &PaymentRecord) -> Result<Option<PaymentRecord>> {
    for other in db.payments_with_nonce(record.chain_id, record.account, record.nonce)? {
        if other.tx_hash == record.tx_hash {
            continue;
        }
        if let Some(done) = receipt_status(client, &other).await? {
            finish(db, other, done)?;
            return db.payment(&record.tx_hash);
        }
    }
    Ok(None)
}

/// Marks the other transactions of `winner`'s nonce, now that `winner` was mined: its own payment's
/// are `cancelled` when `winner` is a mined cancellation, `replaced` otherwise; any other transaction
/// of that nonce is `replaced`. Ones refused by the node stay as they are (they never went out).
fn settle_others(db: &Db, winner: &PaymentRecord) -> Result<()> {
    let root = winner.replaces.unwrap_or(winner.tx_hash);
    let cancelled = winner.kind == PaymentKind::Cancel && winner.status == PaymentStatus::Confirmed;
    for mut other in db.payments_with_nonce(winner.chain_id, winner.account, winner.nonce)? {
        let open = other.status.is_unfinished() || other.status == PaymentStatus::Replaced;
        if other.tx_hash == winner.tx_hash || !open {
            continue;
        }
        let same_payment = other.tx_hash == root || other.replaces == Some(root);
        let (status, error) = if same_payment && cancelled {
            (PaymentStatus::Cancelled, "cancelled: the cancellation was mined instead, so nothing was paid")
        } else if same_payment && other.kind == PaymentKind::Cancel {
            (PaymentStatus::Replaced, "the payment went through before the cancellation")
        } else if same_payment && winner.kind == PaymentKind::Payment {
            (PaymentStatus::Replaced, "the payment went through as first sent, before this speed-up")
        } else if same_payment {
            (PaymentStatus::Replaced, "a faster copy of this payment (a speed-up) went through instead")
        } else {
            (PaymentStatus::Replaced, "another transaction with the same nonce was mined instead")
        };
        if other.status == status {
            continue;
        }
        other.status = status;
        other.error = Some(error.into());
        other.block_number = None;
        db.update_payment(&other)?;
    }
    Ok(())
}

/// What the chain says of a payment.
struct Outcome {
    status: PaymentStatus,
    block: Option<u64>,
    received: Option<U256>,
}

/// What the chain says of `record`'s transaction: decided once its receipt's block is
/// [`Network::confirmations`] deep **and** the block at that height, read on its own, holds the
/// transaction (a receipt served early, or from a fork the node has left, is not the chain's word).
/// `None`: not decided yet.
async fn receipt_status(client: &ChainClient, record: &PaymentRecord) -> Result<Option<Outcome>> {
    let provider = &client.provider;
    let receipt = provider.get_transaction_receipt(record.tx_hash).await.map_err(|e| unavailable(client, e))?;
    let Some(r) = receipt else { return Ok(None) };
    let Some(block) = r.block_number else { return Ok(None) };
    let head = provider.get_block_number().await.map_err(|e| unavailable(client, e))?;
    if head.saturating_add(1) < block.saturating_add(client.network.confirmations.max(1)) {
        return Ok(None);
    }
    let held = provider.get_block_by_number(block.into()).await.map_err(|e| unavailable(client, e))?;
    let holds = held
        .is_some_and(|b| Some(b.header.hash) == r.block_hash && b.transactions.hashes().any(|h| h == record.tx_hash));
    if !holds {
        return Ok(None);
    }
    let block = Some(block);
    if !r.status() {
        return Ok(Some(Outcome { status: PaymentStatus::Failed, block, received: None }));
    }
    let Some(token) = record.token else {
        return Ok(Some(Outcome { status: PaymentStatus::Confirmed, block, received: None }));
    };
    let received = received_in_logs(r.inner.logs(), token, record.account, record.payee);
    let status = if received == record.amount { PaymentStatus::Confirmed } else { PaymentStatus::Unconfirmed };
    Ok(Some(Outcome { status, block, received: Some(received) }))
}

/// What `payee` received from `from` in `token`, by the token's own word: the sum of its
/// `Transfer(from, payee, value)` logs among `logs` (a receipt's). Logs of other contracts, other
/// events and malformed logs count for nothing.
pub fn received_in_logs(logs: &[alloy::rpc::types::Log], token: Address, from: Address, payee: Address) -> U256 {
    logs.iter()
        .filter(|l| l.address() == token)
        .filter_map(|l| IERC20Metadata::Transfer::decode_log(&l.inner).ok())
        .filter(|e| e.from == from && e.to == payee)
        .fold(U256::ZERO, |sum, e| sum.saturating_add(e.value))
}

fn finish(db: &mut Db, mut record: PaymentRecord, outcome: Outcome) -> Result<PaymentRecord> {
    record.status = outcome.status;
    record.replaced_seen_at = None;
    record.block_number = outcome.block;
    record.received = outcome.received;
    record.error = match outcome.status {
        PaymentStatus::Failed => {
            Some("the transaction reverted on chain: nothing was paid; only the network fee was spent".into())
        }
        PaymentStatus::Replaced => Some("another transaction with the same nonce was mined instead".into()),
        PaymentStatus::Unconfirmed if outcome.received.is_none_or(|r| r.is_zero()) => Some(
            "the transaction went through, but the token reported no transfer to the payee: the payment is not confirmed"
                .into(),
        ),
        PaymentStatus::Unconfirmed => Some(format!(
            "the payee received {} base units, not the {} sent: the payment is not confirmed",
            outcome.received.unwrap_or_default(),
            record.amount
        )),
        _ => None,
    };
    db.update_payment(&record)?;
    if record.block_number.is_some() {
        // Only one transaction of a nonce is ever mined: this one decides the others.
        settle_others(db, &record)?;
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(nonce: u64, status: PaymentStatus, payee: u8) -> PaymentRecord {
        let mined = matches!(status, PaymentStatus::Confirmed | PaymentStatus::Failed);
        PaymentRecord {
            block_number: mined.then_some(nonce + 10),
            ..PaymentRecord::for_tests(nonce, status, Address::repeat_byte(payee), U256::from(1u8))
        }
    }

    /// The nonce is the chain's and the wallet's together: a node hiding the wallet's own waiting
    /// payment cannot make a new one replace it; a node's count below the mined one, behind what the
    /// wallet saw mined, or with waiting transactions the wallet never signed is refused.
    #[test]
    fn the_next_nonce_never_reuses_an_outstanding_one_and_refuses_a_lying_count() {
        use PaymentStatus::*;
        let never = |_: &PaymentRecord| false;
        assert_eq!(nonce_from_counts(5, 5, &[], never).ok(), Some(5));
        // The node does not see our waiting payment of nonce 5 (it answers 5 with waiting ones).
        let waiting = [sent(5, Pending, 9)];
        assert_eq!(nonce_from_counts(5, 5, &waiting, never).ok(), Some(6), "never nonce 5 again");
        assert_eq!(nonce_from_counts(5, 6, &waiting, never).ok(), Some(6));
        // Refused so far and not held by the node: a new payment would wait behind it.
        let refused = [sent(5, Rejected, 9)];
        assert!(matches!(
            nonce_from_counts(5, 5, &refused, never),
            Err(Error::EarlierPaymentOutstanding { tx_hash }) if tx_hash == refused[0].tx_hash
        ));
        // ...unless it is that very payment again (the duplicate guard resumes it).
        assert_eq!(nonce_from_counts(5, 5, &refused, |r| r.payee == Address::repeat_byte(9)).ok(), Some(6));
        // Mined and replaced ones hold nothing.
        assert_eq!(nonce_from_counts(6, 6, &[sent(5, Confirmed, 9), sent(4, Replaced, 9)], never).ok(), Some(6));
        // A future nonce (waiting transactions nobody here signed).
        assert!(matches!(nonce_from_counts(5, 8, &[], never), Err(Error::ForeignPending { count: 3 })));
        // Fewer with the waiting ones than without; behind a payment the wallet saw mined.
        assert_eq!(nonce_from_counts(5, 4, &[], never).err().map(|e| e.code()), Some("bad_rpc_response"));
        assert_eq!(
            nonce_from_counts(4, 4, &[sent(4, Confirmed, 9)], never).err().map(|e| e.code()),
            Some("rpc_unavailable")
        );
    }

    fn signed(nonce: u64, gwei_per_gas: u64, created_at: u64) -> PaymentRecord {
        let key = crate::keys::signer::PrivateKeySigner::from_bytes(&B256::repeat_byte(7)).expect("key");
        let tx = TxRequest {
            chain_id: 31337,
            nonce,
            to: Some(Address::repeat_byte(9)),
            value: U256::from(1u8),
            gas: 21_000,
            max_fee_per_gas: Some(U256::from(gwei_per_gas) * U256::from(GWEI)),
            max_priority_fee_per_gas: Some(U256::from(1u8)),
            gas_price: None,
            input: Bytes::new(),
        };
        let s = crate::keys::signer::sign_transaction(&key, crate::keys::signer::build_transaction(&tx).expect("tx"))
            .expect("sign");
        PaymentRecord {
            account: key.address(),
            tx_hash: s.hash,
            raw_tx: s.raw,
            created_at,
            payee: Address::repeat_byte(nonce as u8 + 100),
            ..sent(nonce, PaymentStatus::Pending, 9)
        }
    }

    /// From the audit: nothing bounded the fees spent over a short time, so many small payments (or a
    /// face tricked into paying again and again) could drain the ether. The network fees signed in an
    /// hour are bounded to ten payments at the network's ceiling; of one nonce's transactions (a
    /// payment and its speed-ups) only the highest counts, since only one can be mined.
    #[test]
    fn the_network_fees_signed_in_an_hour_are_bounded() {
        let db = Db::open_in_memory().expect("db");
        // The dev chain: 0.05 ETH a payment at most, so 0.5 ETH an hour; each of these may cost 0.0105.
        let now = 10_000_000;
        for nonce in 0..47 {
            let r = signed(nonce, 500, now - 60);
            check_fee_budget(&db, &r).expect("within the hour's bound");
            db.insert_payment(&r).expect("insert");
        }
        // A speed-up of the last one adds only its raise.
        check_fee_budget(&db, &signed(46, 600, now)).expect("one nonce counts once");
        let over = check_fee_budget(&db, &signed(47, 500, now)).expect_err("past 0.5 ETH an hour");
        assert!(
            matches!(&over, Error::FeeBudgetExceeded { ceiling, symbol, .. } if ceiling == "0.5" && symbol == "ETH"),
            "{over:?}"
        );
        // An hour later the old ones no longer count.
        check_fee_budget(&db, &signed(47, 500, now + FEE_BUDGET_WINDOW_SECS)).expect("a new hour");
    }

    /// From the audit: the tip a node proposed was bounded only by the fee cap, so a node could make
    /// every payment pay the ceiling per gas to the block builder. It is bounded by the network's data.
    #[test]
    fn a_nodes_tip_is_bounded_by_the_networks_data() {
        let policy = FeePolicy::for_chain(8453);
        let history = alloy::rpc::types::FeeHistory {
            base_fee_per_gas: vec![1_000_000; 11],
            gas_used_ratio: vec![0.5; 10],
            reward: Some(vec![vec![9 * GWEI as u128]; 10]),
            oldest_block: 1,
            ..Default::default()
        };
        let (max_fee, tip) = fees_from_history(&history, &policy, "ETH").expect("fees");
        assert_eq!(tip, U256::from(GWEI), "Base: 1 gwei of tip at most, not the node's 9");
        assert_eq!(max_fee, U256::from(2_000_000u64) + U256::from(GWEI));
    }

    /// Windows the chain checks come from the chain's clock: the pending block's time when the node
    /// gives it, this machine's only within bounds, never before the latest block nor more than
    /// [`MAX_IDLE_SECS`] past it.
    #[test]
    fn the_chain_clock_is_the_chains_within_bounds() {
        let latest = 1_000_000;
        assert_eq!(ChainClock::from_blocks(7, latest, Some(latest + 90), 0).next, latest + 90, "an idle chain");
        assert_eq!(
            ChainClock::from_blocks(7, latest, Some(latest + 10 * MAX_IDLE_SECS), 0).next,
            latest + MAX_IDLE_SECS
        );
        assert_eq!(ChainClock::from_blocks(7, latest, Some(latest - 5), latest + 30).next, latest + 30);
        assert_eq!(ChainClock::from_blocks(7, latest, None, latest - 600).next, latest, "a clock behind");
        assert_eq!(ChainClock::from_blocks(7, latest, None, latest + 86_400).next, latest + MAX_IDLE_SECS);
        assert_eq!(ChainClock::from_blocks(7, latest, None, latest + 3).head, 7);
    }

    /// The ceilings moved from code into `networks.json`: they are still what Tender signs at most.
    #[test]
    fn fee_ceilings_per_network_are_the_documented_ones() {
        let gwei = |n: u64| U256::from(n) * U256::from(GWEI);
        let milli = |n: u64| U256::from(n) * U256::from(10u64).pow(U256::from(15));
        for (chain, per_gas, fee, tip) in [
            (1, 1_000, 50, 50),
            (11_155_111, 1_000, 50, 50),
            (8453, 10, 2, 1),
            (84532, 10, 2, 1),
            (42161, 10, 2, 1),
            (10, 10, 2, 1),
            (137, 10_000, 5_000, 1_000),
            (31337, 500, 50, 50),
            (999_999, 1_000, 50, 50),
        ] {
            let p = FeePolicy::for_chain(chain);
            assert_eq!((p.max_fee_per_gas, p.max_fee), (gwei(per_gas), milli(fee)), "chain {chain}");
            assert_eq!(p.max_priority_fee_per_gas, gwei(tip), "chain {chain}");
            assert_eq!((p.max_token_gas, p.max_contract_gas), (150_000, 100_000));
        }
    }
}
