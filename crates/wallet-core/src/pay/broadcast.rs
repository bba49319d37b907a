//! Sending a signed transaction and following it until the chain decides: the same stored bytes on
//! every try, any refusal checked with the node (never final), receipts counted at the network's
//! depth and re-checked, "replaced" only after it held across refreshes, and one outcome for all the
//! transactions of a nonce (a payment, its speed-ups, its cancellation). Used by payments, their
//! replacements and revocations alike.

use std::time::Duration;

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::sol_types::SolEvent;

use crate::chain::network::{ChainClient, is_transport_failure, redact_error};
use crate::chain::token::IERC20Metadata;
use crate::error::{Blocker, Error, Result};
use crate::pay::clock::{chain_clock, now};
use crate::store::{Db, PaymentKind, PaymentRecord, PaymentStatus};

/// How long [`send`] retries on its own when the node cannot be reached.
pub const AUTO_RETRY_WINDOW: Duration = Duration::from_secs(20);

/// How long a transaction's nonce must be seen used by another transaction (deep enough) while the
/// transaction itself stays unknown, across refreshes, before it is called replaced: a node behind a
/// load balancer can lag behind the one that mined it by a few blocks.
pub const REPLACED_AFTER: Duration = Duration::from_secs(24);

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
        return Err(Error::Blocked(Blocker::RequestExpired { expired_at: expires }));
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
        Err(e) if is_transport_failure(&e) => Broadcast::Unknown(client.rpc_error(e)),
        // An answer that is not JSON-RPC: the node may have taken the transaction.
        Err(e) => Broadcast::Unknown(client.rpc_error(e)),
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
    let head = provider.get_block_number().await.map_err(|e| client.rpc_error(e))?;
    let deep = head.saturating_sub(client.network.confirmations.max(1) - 1);
    let used = provider.get_transaction_count(record.account).number(deep).await.map_err(|e| client.rpc_error(e))?;
    if used <= record.nonce {
        return Ok(false);
    }
    // A node that knows our transaction (mined, its receipt not served yet) has not lost it.
    let known = provider.get_transaction_by_hash(record.tx_hash).await.map_err(|e| client.rpc_error(e))?;
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
    let receipt = provider.get_transaction_receipt(record.tx_hash).await.map_err(|e| client.rpc_error(e))?;
    let Some(r) = receipt else { return Ok(None) };
    let Some(block) = r.block_number else { return Ok(None) };
    let head = provider.get_block_number().await.map_err(|e| client.rpc_error(e))?;
    if head.saturating_add(1) < block.saturating_add(client.network.confirmations.max(1)) {
        return Ok(None);
    }
    let held = provider.get_block_by_number(block.into()).await.map_err(|e| client.rpc_error(e))?;
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
    if let Some((to, item)) = crate::pay::nft_call::call_of(record) {
        // An NFT sent (or a speed-up of it): the collection's own log says the item went to the
        // recipient, and how many.
        let sent = crate::pay::nft_call::sent_in_logs(r.inner.logs(), &item, record.account, to);
        let status = if sent == item.amount { PaymentStatus::Confirmed } else { PaymentStatus::Unconfirmed };
        return Ok(Some(Outcome { status, block, received: Some(sent) }));
    }
    if let Some((spender, value)) = approval_of(record) {
        // An approval (or a speed-up of one) moves nothing: the token's `Approval` event says what
        // the spender may now move, else (a token that emits none) its allowance at that block.
        let seen = match crate::chain::token::approved_in_logs(r.inner.logs(), token, record.account, spender) {
            Some(v) => v,
            None => {
                crate::chain::token::allowance_at(
                    client,
                    token,
                    record.account,
                    spender,
                    r.block_number.unwrap_or_default(),
                )
                .await?
            }
        };
        let status = if seen == value { PaymentStatus::Confirmed } else { PaymentStatus::Unconfirmed };
        return Ok(Some(Outcome { status, block, received: Some(seen) }));
    }
    let received = received_in_logs(r.inner.logs(), token, record.account, record.payee);
    let status = if received == record.amount { PaymentStatus::Confirmed } else { PaymentStatus::Unconfirmed };
    Ok(Some(Outcome { status, block, received: Some(received) }))
}

/// The spender and allowance a stored transaction sets, when it is an `approve` call to the token
/// (what the transaction's own bytes say, whichever record of its nonce it is).
fn approval_of(record: &PaymentRecord) -> Option<(Address, U256)> {
    use alloy::consensus::Transaction as _;
    let tx = crate::pay::fees::stored_transaction(record).ok()?;
    if tx.to() != record.token {
        return None;
    }
    crate::chain::token::approve_call(tx.input())
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
        PaymentStatus::Unconfirmed if approval_of(&record).is_some() => Some(format!(
            "the approval went through, but the token says Permit2 may move {} base units, not the {} approved",
            outcome.received.unwrap_or_default(),
            record.amount
        )),
        PaymentStatus::Unconfirmed if crate::pay::nft_call::call_of(&record).is_some() => Some(
            "the transaction went through, but the collection reported no transfer of the item to the recipient".into(),
        ),
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
