//! Paying a payment request: quote, then sign, persist, broadcast, track.
//!
//! 1. [`quote`] matches the chain (a request for another chain is refused, never silently switched),
//!    resolves the token and its decimals, checks balance and gas, and says exactly what will be
//!    signed: payee, token, amount in display and base units, maximum network fee, total.
//! 2. [`pay`] signs an EIP-1559 transaction, **stores it before broadcasting**, broadcasts it and
//!    waits for the receipt. A crash or an RPC failure leaves the signed transaction in the database;
//!    [`resume`] re-broadcasts the very same bytes (same nonce, same hash) and tracks them, so a retry
//!    can never become a second payment.
//! 3. A request already paid (or being paid) from the same account recently is flagged as a probable
//!    duplicate; paying it again needs an explicit override, and one still pending is resumed instead.

use std::time::Duration;

use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::SolCall;

use crate::db::{Db, PaymentRecord, PaymentStatus};
use crate::error::{Error, Result};
use crate::network::{ChainClient, redact_error};
use crate::payment_request::{PaymentRequest, Target};
use crate::signer::TxRequest;
use crate::token::{self, IERC20Metadata, Token, format_amount};
use crate::wallet::Wallet;

/// How long a paid request counts as "recently paid" for the duplicate warning.
pub const DUPLICATE_WINDOW_SECS: u64 = 6 * 3600;
/// Gas headroom over the node's estimate, in percent.
pub const GAS_HEADROOM_PERCENT: u64 = 20;

/// Something the person must see before confirming.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// The token is not on Tender's list for this network.
    UnverifiedToken {
        /// Its contract.
        token: String,
    },
    /// This request was paid (or is being paid) from this account recently.
    ProbableDuplicate {
        /// The earlier payment's transaction.
        tx_hash: B256,
        /// When it was made.
        paid_at: u64,
        /// Its status.
        status: PaymentStatus,
    },
}

/// Exactly what will be signed and what it costs. Public data only.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Quote {
    /// The chain.
    pub chain_id: u64,
    /// The network's name.
    pub network: String,
    /// The paying account.
    #[serde(serialize_with = "crate::address::serialize_checksummed")]
    pub from: Address,
    /// Who is paid.
    #[serde(serialize_with = "crate::address::serialize_checksummed")]
    pub payee: Address,
    /// The ENS name the payee was resolved from, shown beside the address.
    pub payee_name: Option<String>,
    /// The token, or `None` for the native currency.
    pub token: Option<Token>,
    /// What is paid, in the asset's symbol.
    pub symbol: String,
    /// The amount in base units.
    #[serde(serialize_with = "crate::text::serialize_decimal")]
    pub amount: U256,
    /// The amount in the asset's units, exact.
    pub amount_display: String,
    /// The most the network fee can be (gas limit × max fee per gas), in wei.
    #[serde(serialize_with = "crate::text::serialize_decimal")]
    pub max_network_fee: U256,
    /// The same in the native currency's units.
    pub max_network_fee_display: String,
    /// The native currency's symbol.
    pub native_symbol: String,
    /// The most native currency leaving the account (amount, if native, plus the fee cap).
    #[serde(serialize_with = "crate::text::serialize_decimal")]
    pub max_total_native: U256,
    /// The merchant's name, message and order reference, if any.
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
    #[serde(skip)]
    pub tx: TxRequest,
}

fn unavailable(client: &ChainClient, e: alloy::transports::TransportError) -> Error {
    crate::network::rpc_error(&client.endpoint, e)
}

fn contract_error(client: &ChainClient, e: alloy::contract::Error) -> Error {
    match e {
        alloy::contract::Error::TransportError(t) => unavailable(client, t),
        other => Error::BadRpcResponse { detail: redact_error(&other.to_string(), &client.endpoint) },
    }
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The address of `target`: as written, or resolved through ENS where the network has ENS (names
/// with an off-chain resolver are followed with CCIP-read, EIP-3668).
async fn resolve(client: &ChainClient, target: &Target, what: &'static str) -> Result<(Address, Option<String>)> {
    match target {
        Target::Address(a) => Ok((*a, None)),
        Target::Ens(name) if !client.network.ens => Err(Error::EnsUnsupported { name: name.clone(), what }),
        Target::Ens(name) => {
            use alloy::ens::{EnsError, ProviderEnsExt};
            match client.provider.resolve_name(name).await {
                Ok(a) if a != Address::ZERO => Ok((a, Some(name.clone()))),
                Ok(_) | Err(EnsError::ResolverNotFound(_)) => Err(Error::EnsNotFound { name: name.clone() }),
                Err(e) => Err(Error::RpcUnavailable { detail: redact_error(&e.to_string(), &client.endpoint) }),
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
    let network = &client.network;
    if let Some(wanted) = request.chain_id.filter(|id| *id != network.chain_id) {
        return Err(Error::ChainMismatch { requested: wanted, current: network.chain_id });
    }
    if request.is_expired(now()) {
        return Err(Error::RequestExpired { expired_at: request.expires.unwrap_or_default() });
    }
    let recipient = request
        .recipient
        .as_ref()
        .ok_or_else(|| Error::PaymentRequest(crate::payment_request::RequestError::Malformed("no payee".into())))?;
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
    let estimate = provider
        .estimate_gas(call)
        .await
        .map_err(|e| Error::WouldFail { reason: redact_error(&e.to_string(), &client.endpoint) })?;
    let gas = estimate.saturating_mul(100 + GAS_HEADROOM_PERCENT) / 100;
    let fees = provider.estimate_eip1559_fees().await.map_err(|e| unavailable(client, e))?;
    let nonce = provider.get_transaction_count(from).pending().await.map_err(|e| unavailable(client, e))?;
    let max_network_fee = U256::from(gas) * U256::from(fees.max_fee_per_gas);
    let max_total_native = max_network_fee + value;
    if native_balance < max_total_native {
        let n = &network.native;
        return Err(Error::InsufficientFunds {
            symbol: n.symbol.clone(),
            needed: format_amount(max_total_native, n.decimals),
            available: format_amount(native_balance, n.decimals),
        });
    }
    let canonical = PaymentRequest { chain_id: Some(network.chain_id), amount: Some(amount), ..request.clone() };
    let request_uri = canonical.to_uri();
    if let Some(earlier) =
        db.recent_payment(network.chain_id, from, &request_uri, now().saturating_sub(DUPLICATE_WINDOW_SECS))?
    {
        warnings.push(Warning::ProbableDuplicate {
            tx_hash: earlier.tx_hash,
            paid_at: earlier.created_at,
            status: earlier.status,
        });
    }
    let (symbol, decimals) = match &token {
        Some(t) => (t.symbol.clone(), t.decimals),
        None => (network.native.symbol.clone(), network.native.decimals),
    };
    Ok(Quote {
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
            max_fee_per_gas: Some(U256::from(fees.max_fee_per_gas)),
            max_priority_fee_per_gas: Some(U256::from(fees.max_priority_fee_per_gas)),
            gas_price: None,
            input,
        },
    })
}

/// How [`pay`] and [`resume`] wait for a receipt.
#[derive(Debug, Clone, Copy)]
pub struct Tracking {
    /// Time between receipt polls.
    pub poll: Duration,
    /// How long to wait before reporting the payment as still pending.
    pub timeout: Duration,
}

impl Default for Tracking {
    fn default() -> Self {
        Self { poll: Duration::from_millis(500), timeout: Duration::from_secs(120) }
    }
}

/// Signs `quote` with account `index` of the unlocked `wallet`, stores the signed transaction,
/// broadcasts it and tracks it. A quote flagged as a probable duplicate needs `allow_duplicate`; a
/// payment of the same request still pending is resumed instead of paid again.
pub async fn pay(
    client: &ChainClient,
    db: &mut Db,
    wallet: &Wallet,
    index: u32,
    quote: &Quote,
    allow_duplicate: bool,
    tracking: Tracking,
) -> Result<PaymentRecord> {
    for w in &quote.warnings {
        if let Warning::ProbableDuplicate { tx_hash, status, .. } = w {
            if matches!(status, PaymentStatus::Signed | PaymentStatus::Pending) {
                let record = db.payment(tx_hash)?.ok_or(Error::Database { detail: "payment vanished".into() })?;
                return track(client, db, record, tracking).await;
            }
            if !allow_duplicate {
                return Err(Error::ProbableDuplicate { tx_hash: *tx_hash });
            }
        }
    }
    let signer = wallet.signer(index)?;
    if signer.address() != quote.from {
        return Err(Error::UnknownAccount { index });
    }
    if quote.tx.chain_id != client.network.chain_id {
        return Err(Error::ChainMismatch { requested: quote.tx.chain_id, current: client.network.chain_id });
    }
    let signed = crate::signer::sign_transaction(&signer, crate::signer::build_transaction(&quote.tx)?)?;
    drop(signer);
    let record = PaymentRecord {
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
    };
    // Persisted before it leaves this process: from here on, retries re-send these bytes.
    db.insert_payment(&record)?;
    track(client, db, record, tracking).await
}

/// Re-broadcasts and tracks every payment not yet final (after a crash, a restart or an RPC failure).
pub async fn resume(client: &ChainClient, db: &mut Db, tracking: Tracking) -> Result<Vec<PaymentRecord>> {
    let mut out = Vec::new();
    for record in db.unfinished_payments(client.network.chain_id)? {
        out.push(track(client, db, record, tracking).await?);
    }
    Ok(out)
}

/// Broadcasts the stored bytes (harmless if the node has them already) and waits for the receipt.
async fn track(
    client: &ChainClient,
    db: &mut Db,
    mut record: PaymentRecord,
    tracking: Tracking,
) -> Result<PaymentRecord> {
    let provider = &client.provider;
    if let Some(done) = receipt_status(client, &record).await? {
        return finish(db, record, done);
    }
    if let Err(e) = provider.send_raw_transaction(&record.raw_tx).await {
        let text = e.to_string().to_lowercase();
        // The node already has it, or it was mined meanwhile: both mean "ours is out there".
        let known =
            text.contains("already known") || text.contains("already imported") || text.contains("nonce too low");
        if !known {
            // The stored transaction stays as signed: `resume` re-sends it when the node is back.
            return Err(match e {
                alloy::transports::RpcError::ErrorResp(answer) => {
                    Error::WouldFail { reason: answer.message.to_string() }
                }
                other => unavailable(client, other),
            });
        }
    }
    if record.status == PaymentStatus::Signed {
        record.status = PaymentStatus::Pending;
        db.update_payment(&record)?;
    }
    let started = std::time::Instant::now();
    while started.elapsed() < tracking.timeout {
        if let Some(done) = receipt_status(client, &record).await? {
            return finish(db, record, done);
        }
        // Replaced: our nonce is used but our hash never landed.
        let mined_nonce = provider.get_transaction_count(record.account).await.map_err(|e| unavailable(client, e))?;
        if mined_nonce > record.nonce && receipt_status(client, &record).await?.is_none() {
            return finish(db, record, (PaymentStatus::Replaced, None));
        }
        tokio::time::sleep(tracking.poll).await;
    }
    Ok(record)
}

async fn receipt_status(client: &ChainClient, record: &PaymentRecord) -> Result<Option<(PaymentStatus, Option<u64>)>> {
    let receipt = client.provider.get_transaction_receipt(record.tx_hash).await.map_err(|e| unavailable(client, e))?;
    Ok(receipt.map(|r| {
        let status = if r.status() { PaymentStatus::Confirmed } else { PaymentStatus::Failed };
        (status, r.block_number)
    }))
}

fn finish(
    db: &mut Db,
    mut record: PaymentRecord,
    (status, block): (PaymentStatus, Option<u64>),
) -> Result<PaymentRecord> {
    record.status = status;
    record.block_number = block;
    record.error = match status {
        PaymentStatus::Failed => {
            Some("the transaction reverted on chain: nothing was paid; only the network fee was spent".into())
        }
        PaymentStatus::Replaced => Some("another transaction with the same nonce was mined instead".into()),
        _ => None,
    };
    db.update_payment(&record)?;
    Ok(record)
}

/// The kind of transaction a record is (for the history's wording).
pub fn describe(record: &PaymentRecord) -> &'static str {
    match record.status {
        PaymentStatus::Signed => "signed, not yet sent",
        PaymentStatus::Pending => "sent, waiting for the network",
        PaymentStatus::Confirmed => "paid",
        PaymentStatus::Failed => "failed",
        PaymentStatus::Replaced => "replaced",
    }
}
