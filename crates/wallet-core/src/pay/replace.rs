//! Stuck payments: speeding one up, or cancelling it.
//!
//! A payment the network keeps pending (its fee too low for the blocks being made), or refuses as
//! underpriced, can be replaced by a transaction with the **same nonce** and a higher fee. Only one
//! transaction of a nonce can ever be mined, so whichever is mined first is the payment's outcome and
//! the others never can be:
//! - a **speed-up** is the very same transaction (payee, token, amount, call data, gas limit) with a
//!   higher fee;
//! - a **cancellation** sends nothing to the payer's own account (21 000 gas) with a higher fee: mined
//!   first, it means nothing was paid (only its network fee was spent).
//!
//! The new fee per gas and tip are each at least [`BUMP_PERCENT`] over the highest ever offered for
//! this nonce (nodes refuse a replacement that does not raise both by their minimum: 10% for geth;
//! each try raises it again, so "replacement underpriced" never leaves the person stuck), and at least
//! what the network's recent blocks ask now; and, like any fee, within the network's ceilings.
//!
//! Like a payment, a replacement is [`quote`]d first (what the person sees: the new fee at most),
//! signed only by that quote ([`sign`]: its digest re-checked), stored before it leaves the process,
//! sent with [`broadcast::send`](crate::pay::broadcast::send) and confirmed on chain. The payment and its
//! replacements are one payment: [`collapse`] shows them as one, with whichever decided it, and the
//! duplicate guard counts the one that was mined.

use alloy::consensus::{Transaction as _, TxEnvelope};
use alloy::primitives::{Address, B256, Bytes, U256, keccak256};
use alloy::providers::Provider;
use alloy::sol_types::SolValue;

use crate::chain::network::ChainClient;
use crate::chain::token::format_amount;
use crate::error::{Blocker, Error, Result};
use crate::keys::signer::TxRequest;
use crate::pay::fees::{FeePolicy, PLAIN_TRANSFER_GAS};
use crate::store::{Db, PaymentKind, PaymentRecord, PaymentStatus};
use crate::wallet::Wallet;

/// How much a replacement raises the highest fee per gas and tip offered before, in percent.
pub const BUMP_PERCENT: u64 = 25;
/// How long a replacement quote may be confirmed after it was shown.
pub const REPLACEMENT_TTL_SECS: u64 = 60;

/// What a speed-up or cancellation will sign, and what it may cost. Public data only.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReplacementQuote {
    /// This quote's id (random): what the person confirms names it.
    pub id: String,
    /// Keccak-256 over every field signed or shown (see [`ReplacementQuote::compute_digest`]).
    pub digest: B256,
    /// A speed-up or a cancellation.
    pub kind: PaymentKind,
    /// When it was made (Unix seconds).
    pub created_at: u64,
    /// Until when it may be confirmed.
    pub expires_at: u64,
    /// The chain.
    pub chain_id: u64,
    /// The paying account.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub from: Address,
    /// The payment replaced (its first transaction's hash).
    pub payment: B256,
    /// The most the new transaction's network fee can be, in wei.
    #[serde(with = "crate::text::decimal")]
    pub max_network_fee: U256,
    /// The same in the native currency's units, exact.
    pub max_network_fee_display: String,
    /// The most the network fee could be before (the highest offered for this payment so far).
    pub previous_max_network_fee_display: String,
    /// The native currency's symbol.
    pub native_symbol: String,
    /// The transaction that will be signed (same nonce).
    pub tx: TxRequest,
}

impl ReplacementQuote {
    /// Whether this quote may be signed now with `wallet`: within its validity, its digest intact,
    /// its fee within the network's ceilings. Returns the index of the account it is from.
    pub(crate) fn signable(&self, wallet: &Wallet) -> Result<u32> {
        if crate::pay::clock::now_secs() > self.expires_at {
            return Err(Error::QuoteExpired);
        }
        if self.compute_digest() != self.digest {
            return Err(Error::QuoteMismatch);
        }
        let policy = FeePolicy::for_chain(self.chain_id);
        crate::pay::fees::check_fee(
            &policy,
            self.tx.gas,
            self.tx.max_fee_per_gas.unwrap_or_default(),
            &self.native_symbol,
        )?;
        wallet
            .info()
            .accounts
            .iter()
            .find(|a| a.address == self.from)
            .map(|a| a.index)
            .ok_or(Error::UnknownPayment { tx_hash: self.payment })
    }

    /// The digest of everything signed or shown.
    pub fn compute_digest(&self) -> B256 {
        let tx = &self.tx;
        let encoded = (
            (self.chain_id, self.from, self.payment, self.kind.as_str().to_owned()),
            (self.max_network_fee, self.expires_at, self.id.clone()),
            (tx.chain_id, tx.nonce, tx.to.unwrap_or_default(), tx.value, tx.gas),
            (tx.max_fee_per_gas.unwrap_or_default(), tx.max_priority_fee_per_gas.unwrap_or_default(), tx.input.clone()),
        )
            .abi_encode();
        keccak256(encoded)
    }
}

impl ReplacementQuote {
    /// The quote of a transaction from `from` calling `to` with `input` (no value), of `kind`: an
    /// approval, an NFT's transfer. The contract's own answer to this very call is asked first (a revert
    /// is its reason, `false` a refusal; no return data is accepted); the gas is bounded by the
    /// network's token-call bound, the fee by its ceilings; the account must hold the native currency
    /// for the fee ([`Error::Blocked(Blocker::NeedsNativeForFee)`]). `own` is the account's stored
    /// payments on this chain (the nonce). It replaces nothing: its `payment` is zero.
    pub(crate) async fn for_call(
        client: &ChainClient,
        from: Address,
        to: Address,
        input: Bytes,
        kind: PaymentKind,
        own: &[PaymentRecord],
    ) -> Result<Self> {
        let network = &client.network;
        let call = alloy::rpc::types::TransactionRequest::default().from(from).to(to).input(input.clone().into());
        let provider = &client.provider;
        let answer = provider.call(call.clone()).await.map_err(|e| crate::pay::payment::would_fail(client, &e))?;
        crate::pay::payment::check_token_answer(&answer)?;
        let policy = FeePolicy::for_network(network);
        let estimate = provider.estimate_gas(call).await.map_err(|e| crate::pay::payment::would_fail(client, &e))?;
        let gas = crate::pay::fees::bounded_gas(estimate, policy.max_token_gas)?;
        let (max_fee_per_gas, max_priority_fee_per_gas) = crate::pay::fees::fees(client, &policy).await?;
        crate::pay::fees::check_fee(&policy, gas, max_fee_per_gas, &network.native.symbol)?;
        let max_network_fee = U256::from(gas) * max_fee_per_gas;
        let balance = provider.get_balance(from).await.map_err(|e| client.rpc_error(e))?;
        let native = &network.native;
        if balance < max_network_fee {
            return Err(Error::Blocked(Blocker::NeedsNativeForFee {
                symbol: native.symbol.clone(),
                needed: format_amount(max_network_fee, native.decimals),
                available: format_amount(balance, native.decimals),
            }));
        }
        let nonce = crate::pay::nonce::next_nonce(client, from, own, |_| false).await?;
        let now = crate::pay::clock::now_secs();
        let mut quote = ReplacementQuote {
            id: crate::pay::clock::new_quote_id()?,
            digest: B256::ZERO,
            kind,
            created_at: now,
            expires_at: now + REPLACEMENT_TTL_SECS,
            chain_id: network.chain_id,
            from,
            payment: B256::ZERO,
            max_network_fee,
            max_network_fee_display: format_amount(max_network_fee, native.decimals),
            previous_max_network_fee_display: format_amount(U256::ZERO, native.decimals),
            native_symbol: native.symbol.clone(),
            tx: TxRequest {
                chain_id: network.chain_id,
                nonce,
                to: Some(to),
                value: U256::ZERO,
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
}

impl ReplacementQuote {
    /// Signs this quote's transaction (quoted with [`ReplacementQuote::for_call`]: it replaces nothing)
    /// with the unlocked `wallet` as a new record paying `payee` `amount` of `token`. The caller has
    /// checked the call data against what was shown; this checks the quote's validity, digest and fee.
    pub(crate) fn sign_new(
        &self,
        wallet: &Wallet,
        payee: Address,
        token: Option<Address>,
        amount: U256,
    ) -> Result<PaymentRecord> {
        let index = self.signable(wallet)?;
        let signer = wallet.signer(index)?;
        let signed = crate::keys::signer::sign_transaction(&signer, crate::keys::signer::build_transaction(&self.tx)?)?;
        drop(signer);
        Ok(PaymentRecord {
            chain_id: self.chain_id,
            account: self.from,
            request_uri: String::new(),
            order: None,
            payee,
            token,
            amount,
            nonce: self.tx.nonce,
            tx_hash: signed.hash,
            raw_tx: signed.raw,
            status: PaymentStatus::Signed,
            created_at: crate::pay::clock::now_secs(),
            block_number: None,
            error: None,
            expires_at: None,
            received: None,
            quote_digest: Some(self.digest),
            kind: self.kind,
            replaces: None,
            replaced_seen_at: None,
        })
    }
}

/// The fee cap and tip a stored transaction offered (a legacy one's gas price stands for both).
fn offered_fees(record: &PaymentRecord) -> Result<(U256, U256, TxEnvelope)> {
    let tx = crate::pay::fees::stored_transaction(record)?;
    let cap = U256::from(tx.max_fee_per_gas());
    let tip = U256::from(tx.max_priority_fee_per_gas().unwrap_or(tx.max_fee_per_gas()));
    Ok((cap, tip, tx))
}

/// `value` raised by [`BUMP_PERCENT`], rounded up, and by at least 1.
pub fn bumped(value: U256) -> U256 {
    let raised = (value * U256::from(100 + BUMP_PERCENT)).div_ceil(U256::from(100u8));
    raised.max(value + U256::from(1u8))
}

/// The payment with transaction `tx_hash` (any of its transactions) and every replacement of it: the
/// payment as first signed comes first.
pub fn group(db: &Db, tx_hash: &B256) -> Result<Vec<PaymentRecord>> {
    let record = db.payment(tx_hash)?.ok_or(Error::UnknownPayment { tx_hash: *tx_hash })?;
    let root = record.replaces.unwrap_or(record.tx_hash);
    let mut members: Vec<PaymentRecord> = db
        .payments_with_nonce(record.chain_id, record.account, record.nonce)?
        .into_iter()
        .filter(|r| r.tx_hash == root || r.replaces == Some(root))
        .collect();
    members.sort_by_key(|r| (r.tx_hash != root, r.created_at));
    if members.first().is_none_or(|r| r.tx_hash != root) {
        return Err(Error::Database { detail: "a replacement without its payment".into() });
    }
    Ok(members)
}

/// Whether the payment (the records of [`group`]) may still be sped up or cancelled: the chain has
/// decided none of its transactions. One refused so far counts as undecided (the signed bytes stay
/// valid until its nonce is used), so it can be cancelled, or sped up when the refusal was its fee.
pub fn replaceable(members: &[PaymentRecord]) -> bool {
    !members.is_empty() && members.iter().all(|r| r.status.is_unfinished())
}

/// Quotes replacing the payment `members` (from [`group`]) by `kind`: a speed-up or a cancellation
/// (of anything the chain has not decided, refused so far included: its signed bytes stay valid). Refused when the payment is decided (or its nonce was used meanwhile), when a speed-up
/// comes after the request's expiry, and when the new fee is over the network's ceilings or more than
/// the account holds.
pub async fn quote(client: &ChainClient, members: &[PaymentRecord], kind: PaymentKind) -> Result<ReplacementQuote> {
    let root = members.first().ok_or(Error::Database { detail: "no payment".into() })?;
    let network = &client.network;
    if root.chain_id != network.chain_id {
        return Err(Error::Blocked(Blocker::ChainMismatch { requested: root.chain_id, current: network.chain_id }));
    }
    let allowed = match kind {
        PaymentKind::SpeedUp | PaymentKind::Cancel => replaceable(members),
        PaymentKind::Payment | PaymentKind::CancelAuthorization | PaymentKind::Approval | PaymentKind::NftTransfer => {
            return Err(Error::InvalidTransaction { reason: "a replacement is a speed-up or a cancellation".into() });
        }
    };
    if !allowed {
        return Err(Error::PaymentSettled);
    }
    let now = crate::pay::clock::now_secs();
    // The request's deadline is on the chain's clock.
    let chain_now = crate::pay::clock::chain_clock(client).await?.next;
    if kind == PaymentKind::SpeedUp && root.expires_at.is_some_and(|e| chain_now > e) {
        return Err(Error::Blocked(Blocker::RequestExpired { expired_at: root.expires_at.unwrap_or_default() }));
    }
    let mined = client.provider.get_transaction_count(root.account).await.map_err(|e| client.rpc_error(e))?;
    if mined > root.nonce {
        // One of them (or another transaction of this account) was mined meanwhile.
        return Err(Error::PaymentSettled);
    }

    // The highest fees ever offered for this nonce, raised; at least what the network asks now.
    let mut cap = U256::ZERO;
    let mut tip = U256::ZERO;
    let mut previous = U256::ZERO;
    for r in members {
        let (c, t, tx) = offered_fees(r)?;
        cap = cap.max(c);
        tip = tip.max(t);
        previous = previous.max(c * U256::from(tx.gas_limit()));
    }
    let policy = FeePolicy::for_network(network);
    let (now_cap, now_tip) = crate::pay::fees::fees(client, &policy).await?;
    let max_fee_per_gas = bumped(cap).max(now_cap);
    let max_priority_fee_per_gas = bumped(tip).max(now_tip).min(max_fee_per_gas);

    let (_, _, original) = offered_fees(root)?;
    let (to, value, gas, input) = match kind {
        PaymentKind::Cancel => (root.account, U256::ZERO, PLAIN_TRANSFER_GAS, Bytes::new()),
        _ => (
            original.to().ok_or(Error::Database { detail: "a stored payment without a payee".into() })?,
            original.value(),
            original.gas_limit(),
            original.input().clone(),
        ),
    };
    crate::pay::fees::check_fee(&policy, gas, max_fee_per_gas, &network.native.symbol)?;
    let max_network_fee = U256::from(gas) * max_fee_per_gas;
    let balance = client.provider.get_balance(root.account).await.map_err(|e| client.rpc_error(e))?;
    if balance < max_network_fee + value {
        let n = &network.native;
        return Err(Error::Blocked(Blocker::InsufficientFunds {
            symbol: n.symbol.clone(),
            needed: format_amount(max_network_fee + value, n.decimals),
            available: format_amount(balance, n.decimals),
        }));
    }
    let mut quote = ReplacementQuote {
        id: crate::pay::clock::new_quote_id()?,
        digest: B256::ZERO,
        kind,
        created_at: now,
        expires_at: now + REPLACEMENT_TTL_SECS,
        chain_id: network.chain_id,
        from: root.account,
        payment: root.tx_hash,
        max_network_fee,
        max_network_fee_display: format_amount(max_network_fee, network.native.decimals),
        previous_max_network_fee_display: format_amount(previous, network.native.decimals),
        native_symbol: network.native.symbol.clone(),
        tx: TxRequest {
            chain_id: network.chain_id,
            nonce: root.nonce,
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

/// Signs the replacement `quote` with the unlocked `wallet` (no network call): refused past the
/// quote's validity, with a broken digest, or a fee over the network's ceilings. `root` is the
/// payment replaced; the record returned is not stored yet ([`store`] it before sending).
pub fn sign(wallet: &Wallet, root: &PaymentRecord, quote: &ReplacementQuote) -> Result<PaymentRecord> {
    let index = quote.signable(wallet)?;
    if root.tx_hash != quote.payment || root.account != quote.from {
        return Err(Error::QuoteMismatch);
    }
    let now = crate::pay::clock::now_secs();
    let signer = wallet.signer(index)?;
    let signed = crate::keys::signer::sign_transaction(&signer, crate::keys::signer::build_transaction(&quote.tx)?)?;
    drop(signer);
    let cancel = quote.kind == PaymentKind::Cancel;
    Ok(PaymentRecord {
        payee: if cancel { root.account } else { root.payee },
        token: if cancel { None } else { root.token },
        amount: if cancel { U256::ZERO } else { root.amount },
        tx_hash: signed.hash,
        raw_tx: signed.raw,
        status: PaymentStatus::Signed,
        created_at: now,
        block_number: None,
        error: None,
        received: None,
        quote_digest: Some(quote.digest),
        kind: quote.kind,
        replaces: Some(root.tx_hash),
        replaced_seen_at: None,
        ..root.clone()
    })
}

/// Stores a signed replacement before it leaves the process (it belongs to a payment already
/// stored: no duplicate check).
pub fn store(db: &Db, record: &PaymentRecord) -> Result<()> {
    db.atomically(|db| {
        crate::pay::fees::check_fee_budget(db, record)?;
        db.insert_payment(record)
    })?;
    crate::vault::atomic::crash_point("payment.replacement.signed");
    Ok(())
}

/// Payments as the person knows them: each payment once, however many times it was sped up or
/// cancelled. A payment with replacements shows its first transaction's record (payee, amount,
/// request, date) with the status, transaction, block and `kind` of whichever of its transactions
/// decided it (the one mined), else of the newest still under way, else of the newest. A mined
/// cancellation shows as `cancelled`. `records` newest first; the order is kept.
pub fn collapse(records: Vec<PaymentRecord>) -> Vec<PaymentRecord> {
    let root_of = |r: &PaymentRecord| r.replaces.unwrap_or(r.tx_hash);
    let mut out: Vec<PaymentRecord> = Vec::new();
    for root in records.iter().filter(|r| r.replaces.is_none()) {
        let members: Vec<&PaymentRecord> = records.iter().filter(|r| root_of(r) == root.tx_hash).collect();
        // Each replacement offers more than every earlier one: the newest is the highest offer.
        let offer = |r: &&&PaymentRecord| (offered_fees(r).map_or(U256::ZERO, |(cap, _, _)| cap), r.created_at);
        let decider = members
            .iter()
            .find(|r| r.block_number.is_some())
            // Among those under way, one a node holds before one refused so far.
            .or_else(|| members.iter().filter(|r| matches!(r.status, PaymentStatus::Pending)).max_by_key(offer))
            .or_else(|| members.iter().filter(|r| r.status.is_unfinished()).max_by_key(offer))
            .or_else(|| members.iter().max_by_key(offer))
            .copied()
            .unwrap_or(root);
        let mut view = root.clone();
        view.status = if decider.kind == PaymentKind::Cancel && decider.status == PaymentStatus::Confirmed {
            PaymentStatus::Cancelled
        } else {
            decider.status
        };
        view.tx_hash = decider.tx_hash;
        view.raw_tx = decider.raw_tx.clone();
        view.block_number = decider.block_number;
        view.error = decider.error.clone();
        view.received = if decider.kind == PaymentKind::Cancel { None } else { decider.received };
        // An approval (an NFT's transfer) stays one whichever of its transactions decided it (a
        // cancelled one shows as cancelled by its status).
        view.kind = if matches!(root.kind, PaymentKind::Approval | PaymentKind::NftTransfer) {
            root.kind
        } else {
            decider.kind
        };
        view.replaces = decider.replaces;
        out.push(view);
    }
    // A replacement whose payment is not among `records` (another account's list) shows as itself.
    out.extend(records.iter().filter(|r| r.replaces.is_some_and(|h| !records.iter().any(|o| o.tx_hash == h))).cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(
        hash: u8,
        kind: PaymentKind,
        replaces: Option<u8>,
        status: PaymentStatus,
        block: Option<u64>,
    ) -> PaymentRecord {
        PaymentRecord {
            chain_id: 31337,
            account: Address::repeat_byte(1),
            request_uri: "ethereum:0x0000000000000000000000000000000000000002@31337?value=1".into(),
            order: None,
            payee: Address::repeat_byte(2),
            token: None,
            amount: U256::from(1u8),
            nonce: 7,
            tx_hash: B256::repeat_byte(hash),
            raw_tx: Bytes::new(),
            status,
            created_at: u64::from(hash),
            block_number: block,
            error: None,
            expires_at: None,
            received: None,
            quote_digest: None,
            kind,
            replaces: replaces.map(B256::repeat_byte),
            replaced_seen_at: None,
        }
    }

    #[test]
    fn a_bump_raises_by_the_percentage_rounded_up_and_always_by_something() {
        assert_eq!(bumped(U256::from(100u8)), U256::from(125u8));
        assert_eq!(bumped(U256::from(3u8)), U256::from(4u8), "3 × 1.25 = 3.75, rounded up");
        assert_eq!(bumped(U256::ZERO), U256::from(1u8));
        // Geth's rule: at least 10% more on both the fee cap and the tip.
        let old = U256::from(1_000_000_007u64);
        assert!(bumped(old) * U256::from(10u8) >= old * U256::from(11u8));
    }

    #[test]
    fn a_payment_and_its_replacements_show_as_one_with_whichever_decided_it() {
        use PaymentKind::*;
        use PaymentStatus::*;
        // Sped up, the speed-up mined: one line, confirmed, the speed-up's transaction.
        let rows =
            collapse(vec![record(2, SpeedUp, Some(1), Confirmed, Some(9)), record(1, Payment, None, Replaced, None)]);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].status, rows[0].kind, rows[0].tx_hash), (Confirmed, SpeedUp, B256::repeat_byte(2)));
        assert_eq!(rows[0].payee, Address::repeat_byte(2));

        // Cancelled: the payment's own payee and amount, status cancelled, nothing received.
        let rows =
            collapse(vec![record(3, Cancel, Some(1), Confirmed, Some(9)), record(1, Payment, None, Cancelled, None)]);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].status, rows[0].kind, rows[0].amount), (Cancelled, Cancel, U256::from(1u8)));

        // Still under way: the newest live one; a refused try says nothing of the outcome.
        let rows = collapse(vec![
            record(4, SpeedUp, Some(1), Rejected, None),
            record(3, Cancel, Some(1), Pending, None),
            record(1, Payment, None, Pending, None),
        ]);
        assert_eq!((rows[0].status, rows[0].kind), (Pending, Cancel));

        // The payment mined after all, before its cancellation.
        let rows =
            collapse(vec![record(3, Cancel, Some(1), Replaced, None), record(1, Payment, None, Confirmed, Some(8))]);
        assert_eq!((rows[0].status, rows[0].kind), (Confirmed, Payment));

        // Unrelated payments stay apart.
        assert_eq!(
            collapse(vec![record(5, Payment, None, Pending, None), record(1, Payment, None, Confirmed, Some(1))]).len(),
            2
        );
    }

    #[test]
    fn only_an_undecided_payment_can_be_replaced() {
        use PaymentKind::*;
        use PaymentStatus::*;
        assert!(replaceable(&[record(1, Payment, None, Pending, None)]));
        assert!(replaceable(&[record(1, Payment, None, Signed, None)]));
        assert!(!replaceable(&[record(1, Payment, None, Confirmed, Some(1))]));
        assert!(!replaceable(&[record(1, Payment, None, Replaced, None)]));
        assert!(!replaceable(&[
            record(1, Payment, None, Pending, None),
            record(2, SpeedUp, Some(1), Confirmed, Some(3))
        ]));
        let mut refused = record(1, Payment, None, Rejected, None);
        refused.error = Some("max fee per gas less than block base fee".into());
        assert!(replaceable(std::slice::from_ref(&refused)), "refused for its fee: a higher fee answers it");
        refused.error = Some("insufficient funds for gas * price + value".into());
        assert!(replaceable(&[refused]), "refused for another reason: still valid, so it can be cancelled");
        assert!(!replaceable(&[]));
        // A speed-up refused as underpriced leaves the payment under way: it can be tried again.
        let mut underpriced = record(2, SpeedUp, Some(1), Rejected, None);
        underpriced.error = Some("replacement transaction underpriced".into());
        assert!(replaceable(&[record(1, Payment, None, Pending, None), underpriced]));
    }
}
