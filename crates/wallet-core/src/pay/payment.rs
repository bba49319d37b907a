//! Paying a payment request on chain: quote, then sign, store, send, confirm. The shared floor of
//! `pay/` lives beside it, each in a file named for it: [`crate::pay::fees`] (the bounds on gas and
//! fees), [`crate::pay::clock`] (this machine's clock, the chain's, quote ids), [`crate::pay::nonce`],
//! [`crate::pay::broadcast`] (send, follow, and what the chain decides) and [`crate::pay::warning`];
//! they are re-exported here for the faces.
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
//!    [`Network::confirmations`](crate::chain::network::Network::confirmations) deep and the block at that height really holds the transaction; a
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

use alloy::primitives::{Address, B256, Bytes, U256, keccak256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::{SolCall, SolValue};

use crate::chain::network::{ChainClient, redact_error};
use crate::chain::token::{self, IERC20Metadata, Token, format_amount};
use crate::error::{Blocker, Error, Result};
use crate::keys::signer::TxRequest;
use crate::pay::request::{PaymentRequest, Target};
use crate::store::{Db, PaymentKind, PaymentRecord, PaymentStatus};
use crate::wallet::Wallet;

pub use crate::pay::broadcast::{
    AUTO_RETRY_WINDOW, REPLACED_AFTER, Tracking, received_in_logs, refresh, resume, retry, send,
};
pub use crate::pay::clock::{
    ChainClock, DUPLICATE_WINDOW_SECS, MAX_IDLE_SECS, ORDER_DUPLICATE_WINDOW_SECS, QUOTE_TTL_SECS, chain_clock,
    now_secs,
};
use crate::pay::clock::{new_quote_id, now};
pub use crate::pay::fees::{
    FEE_BUDGET_PAYMENTS, FEE_BUDGET_WINDOW_SECS, FEE_HISTORY_BLOCKS, FeePolicy, GAS_HEADROOM_PERCENT, HIGH_FEE_PERCENT,
    PLAIN_TRANSFER_GAS, check_fee_budget, fees_from_history,
};
use crate::pay::fees::{bounded_gas, check_fee, fees};
pub use crate::pay::nonce::{MAX_FOREIGN_PENDING, next_nonce, nonce_from_counts};
pub use crate::pay::warning::Warning;

/// The longest an ENS resolution may take (it may follow an off-chain gateway).
pub const ENS_TIMEOUT: Duration = Duration::from_secs(20);

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

/// The node's words about why a call would fail, sanitised and cut (shown labelled as the node's).
pub(crate) fn would_fail(client: &ChainClient, e: &alloy::transports::TransportError) -> Error {
    use alloy::transports::RpcError;
    let text = match e {
        RpcError::ErrorResp(answer) => answer.message.to_string(),
        other => other.to_string(),
    };
    Error::Blocked(Blocker::WouldFail { reason: redact_error(&text, &client.endpoint) })
}

/// A token's answer to a simulated call that returns `bool` (`transfer`, `approve`): `true` or no
/// data at all (the old USDT style) is accepted; `false` is a refusal (ERC-20 allows returning false
/// instead of reverting); anything else is an odd answer.
pub(crate) fn check_token_answer(answer: &[u8]) -> Result<()> {
    match answer.len() {
        0 => Ok(()),
        32 if answer[31] == 1 && answer[..31].iter().all(|b| *b == 0) => Ok(()),
        32 => Err(Error::Blocked(Blocker::TokenRefused)),
        _ => Err(Error::BadRpcResponse { detail: "the token answered oddly".into() }),
    }
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

/// The address of `target`: as written, or resolved through ENS where the network has ENS (names
/// with an off-chain resolver are followed with CCIP-read, EIP-3668).
async fn resolve(client: &ChainClient, target: &Target, what: &'static str) -> Result<(Address, Option<String>)> {
    match target {
        Target::Address(a) => Ok((*a, None)),
        Target::Ens(name) if !client.network.ens => {
            Err(Error::Blocked(Blocker::EnsUnsupported { name: name.clone(), what }))
        }
        Target::Ens(name) => {
            use alloy::ens::{EnsError, ProviderEnsExt};
            // CCIP-read (EIP-3668) fetches from the resolver's own gateway, outside Tender's bounded
            // transport: the whole resolution gets a deadline of its own.
            let resolved = tokio::time::timeout(ENS_TIMEOUT, client.provider.resolve_name(name)).await;
            match resolved {
                Err(_) => Err(Error::RpcUnavailable { detail: format!("{name}: no answer in time") }),
                Ok(Ok(a)) if a != Address::ZERO => Ok((a, Some(name.clone()))),
                Ok(Ok(_) | Err(EnsError::ResolverNotFound(_))) => {
                    Err(Error::Blocked(Blocker::EnsNotFound { name: name.clone() }))
                }
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
    add_duplicate_warning(db, &mut quote)?;
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
        return Err(Error::Blocked(Blocker::ChainMismatch { requested: wanted, current: network.chain_id }));
    }
    let created_at = now();
    // The request's `expires=` is the merchant's deadline on the chain's clock, not this machine's.
    let clock = chain_clock(client).await?;
    if request.is_expired(clock.next) {
        return Err(Error::Blocked(Blocker::RequestExpired { expired_at: request.expires.unwrap_or_default() }));
    }
    let recipient = request
        .recipient
        .as_ref()
        .ok_or_else(|| Error::PaymentRequest(crate::pay::request::RequestError::Malformed("no payee".into())))?;
    let (payee, payee_name) = resolve(client, recipient, "payee").await?;
    let amount = match (request.amount, amount) {
        (Some(a), Some(b)) if a != b => return Err(Error::Blocked(Blocker::AmountConflict)),
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => return Err(Error::Blocked(Blocker::AmountMissing)),
    };
    if amount.is_zero() {
        return Err(Error::Blocked(Blocker::AmountMissing));
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
                Some(known) => {
                    // Listed or added before: its contract must still say the decimals the amount is
                    // shown with.
                    token::check_decimals(client, known).await?;
                    Some(known.clone())
                }
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
    let native_balance = provider.get_balance(from).await.map_err(|e| client.rpc_error(e))?;
    if let Some(t) = &token {
        let held = IERC20Metadata::new(t.address, provider)
            .balanceOf(from)
            .call()
            .await
            .map_err(|e| client.contract_error(e))?;
        if held < amount {
            return Err(Error::Blocked(Blocker::InsufficientFunds {
                symbol: t.symbol.clone(),
                needed: format_amount(amount, t.decimals),
                available: format_amount(held, t.decimals),
            }));
        }
    } else if native_balance < amount {
        let n = &network.native;
        return Err(Error::Blocked(Blocker::InsufficientFunds {
            symbol: n.symbol.clone(),
            needed: format_amount(amount, n.decimals),
            available: format_amount(native_balance, n.decimals),
        }));
    }
    let call = TransactionRequest::default().from(from).to(to).value(value).input(input.clone().into());
    let gas = match &token {
        Some(_) => {
            // The token's own answer to this very transfer, before anything is signed: a revert is
            // its reason, `false` is a refusal (ERC-20 allows returning false instead of reverting);
            // no return data is the old USDT style and accepted.
            let answer = provider.call(call.clone()).await.map_err(|e| would_fail(client, &e))?;
            check_token_answer(&answer)?;
            let estimate = provider.estimate_gas(call).await.map_err(|e| would_fail(client, &e))?;
            bounded_gas(estimate, policy.max_token_gas)?
        }
        None => {
            let code = provider.get_code_at(payee).await.map_err(|e| client.rpc_error(e))?;
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
        return Err(Error::Blocked(Blocker::NeedsNativeForFee {
            symbol: n.symbol.clone(),
            needed: format_amount(max_total_native, n.decimals),
            available: format_amount(native_balance, n.decimals),
        }));
    }
    if native_balance < max_total_native {
        let n = &network.native;
        return Err(Error::Blocked(Blocker::InsufficientFunds {
            symbol: n.symbol.clone(),
            needed: format_amount(max_total_native, n.decimals),
            available: format_amount(native_balance, n.decimals),
        }));
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
pub fn add_duplicate_warning(db: &Db, quote: &mut Quote) -> Result<()> {
    let earlier = db.duplicate_payment(
        quote.chain_id,
        quote.payee,
        quote.token.as_ref().map(|t| t.address),
        quote.amount,
        quote.order.as_deref(),
        duplicate_window_start(quote.order.is_some(), quote.request_expires, quote.created_at),
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
        return Err(Error::Blocked(Blocker::ChainMismatch {
            requested: quote.tx.chain_id,
            current: client.network.chain_id,
        }));
    }
    client.check_chain().await?;
    let record = sign(db, wallet, index, quote, allow_duplicate)?;
    send(client, db, record, tracking).await
}
