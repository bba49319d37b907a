//! The kinds of payment, each named once: what a sheet offers to pay ([`Offer`]) and what was paid
//! ([`Paid`]). A new kind of payment (a Permit2 checkout, an approval) is one more variant of each,
//! and the compiler lists every place that must say how it is shown, paid, stored and followed.

use alloy::primitives::{Address, B256, U256};

use crate::pay::gasless::GaslessQuote;
use crate::pay::payment::Quote;
use crate::pay::warning::Warning;
use crate::store::{AuthorizationRecord, PaymentKind, PaymentRecord, PaymentStatus, TransferMethod};

/// What a confirmation sheet offers to pay: exactly what will be signed, by kind.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Offer {
    /// A transaction this account signs and sends (it pays the network fee).
    OnChain(Box<Quote>),
    /// A shop's gasless checkout (x402): an EIP-3009 authorization the shop settles on chain, paying
    /// the network fee.
    Gasless(Box<GaslessQuote>),
}

impl Offer {
    /// The quote's id: what the person confirms names it.
    pub fn id(&self) -> &str {
        match self {
            Offer::OnChain(q) => &q.id,
            Offer::Gasless(q) => &q.id,
        }
    }

    /// The digest of everything it signs or shows.
    pub fn digest(&self) -> B256 {
        match self {
            Offer::OnChain(q) => q.digest,
            Offer::Gasless(q) => q.digest,
        }
    }

    /// The part of the digest a person types back (64 bits: no collision among kept quotes).
    pub fn short_digest(&self) -> String {
        self.digest().to_string()[2..18].to_owned()
    }

    /// When it was made (Unix seconds).
    pub fn created_at(&self) -> u64 {
        match self {
            Offer::OnChain(q) => q.created_at,
            Offer::Gasless(q) => q.created_at,
        }
    }

    /// Until when it may be paid (Unix seconds).
    pub fn expires_at(&self) -> u64 {
        match self {
            Offer::OnChain(q) => q.expires_at,
            Offer::Gasless(q) => q.expires_at,
        }
    }

    /// The chain it is paid on.
    pub fn chain_id(&self) -> u64 {
        match self {
            Offer::OnChain(q) => q.chain_id,
            Offer::Gasless(q) => q.chain_id,
        }
    }

    /// The paying account.
    pub fn from(&self) -> Address {
        match self {
            Offer::OnChain(q) => q.from,
            Offer::Gasless(q) => q.from,
        }
    }

    /// Who is paid.
    pub fn payee(&self) -> Address {
        match self {
            Offer::OnChain(q) => q.payee,
            Offer::Gasless(q) => q.payee,
        }
    }

    /// The token paid, or `None` for the network's own currency.
    pub fn token(&self) -> Option<&crate::store::Token> {
        match self {
            Offer::OnChain(q) => q.token.as_ref(),
            Offer::Gasless(q) => Some(&q.token),
        }
    }

    /// The asset's symbol.
    pub fn symbol(&self) -> &str {
        match self {
            Offer::OnChain(q) => &q.symbol,
            Offer::Gasless(q) => &q.symbol,
        }
    }

    /// The amount, in base units.
    pub fn amount(&self) -> U256 {
        match self {
            Offer::OnChain(q) => q.amount,
            Offer::Gasless(q) => q.amount,
        }
    }

    /// The amount in the asset's units, exact.
    pub fn amount_display(&self) -> &str {
        match self {
            Offer::OnChain(q) => &q.amount_display,
            Offer::Gasless(q) => &q.amount_display,
        }
    }

    /// The warnings to read before confirming.
    pub fn warnings(&self) -> &[Warning] {
        match self {
            Offer::OnChain(q) => &q.warnings,
            Offer::Gasless(q) => &q.warnings,
        }
    }

    /// The same, to add to (the payee's judgement, a probable duplicate).
    pub fn warnings_mut(&mut self) -> &mut Vec<Warning> {
        match self {
            Offer::OnChain(q) => &mut q.warnings,
            Offer::Gasless(q) => &mut q.warnings,
        }
    }
}

impl Offer {
    /// Warns, before anything is signed, when the same thing was paid (or may still pay) recently,
    /// from any account: each kind knows what "the same" is.
    pub fn add_duplicate_warning(&mut self, db: &crate::store::Db) -> crate::Result<()> {
        match self {
            Offer::OnChain(q) => crate::pay::payment::add_duplicate_warning(db, q),
            Offer::Gasless(q) => crate::pay::gasless::add_duplicate_warning(db, q),
        }
    }

    /// Keeps it in `db` (at time `now`), for a later process to pay by its digest.
    pub fn save(&self, db: &crate::store::Db, now: u64) -> crate::Result<()> {
        let body = serde_json::to_string(self).map_err(|e| crate::Error::Internal { detail: e.to_string() })?;
        db.save_quote(self.digest(), self.created_at(), self.expires_at(), &body, now)
    }

    /// The offer kept in `db` under `digest` (full, or its first 8 or more hex digits), if any: one
    /// kept by an older Tender that this one cannot read counts as gone (quotes live minutes).
    pub fn stored(db: &crate::store::Db, digest: &str) -> crate::Result<Option<Self>> {
        Ok(db.quote(digest)?.and_then(|body| serde_json::from_str(&body).ok()))
    }
}

impl From<Quote> for Offer {
    fn from(q: Quote) -> Self {
        Offer::OnChain(Box::new(q))
    }
}

impl From<GaslessQuote> for Offer {
    fn from(q: GaslessQuote) -> Self {
        Offer::Gasless(Box::new(q))
    }
}

/// What was paid (signed and stored), by kind: where it stands is the chain's word.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Paid {
    /// A transaction from this account (its replacements collapsed into it).
    OnChain(Box<PaymentRecord>),
    /// A gasless authorization, settled on chain by the shop.
    Gasless(Box<AuthorizationRecord>),
}

/// What the person may do with a payment, as the core decides it (the faces only show it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Actions {
    /// Send the very same signed payment again: it is not on the network as far as the wallet
    /// knows (not sent, or refused so far), or it is a gasless payment the shop has not settled.
    pub resend: bool,
    /// Speed it up or cancel it: a transaction the chain has not decided.
    pub replace: bool,
    /// Revoke it on chain (EIP-3009 `cancelAuthorization`, or Permit2's nonce invalidation): a
    /// gasless authorization the chain has not decided.
    pub revoke: bool,
    /// Approve Permit2 for its token, then send it again: an outstanding Permit2 authorization the
    /// shop refused because Permit2 may not move the amount (`permit2_allowance_required`).
    pub approve: bool,
}

/// The x402 code a shop answers a Permit2 payment with when the token does not let Permit2 move it.
pub const ALLOWANCE_REQUIRED: &str = "permit2_allowance_required";

impl Paid {
    /// What [`crate::session::Session::resend`] and the replacement sheets take: the transaction
    /// hash, or a gasless payment's authorization nonce.
    pub fn id(&self) -> B256 {
        match self {
            Paid::OnChain(p) => p.tx_hash,
            Paid::Gasless(a) => a.nonce,
        }
    }

    /// Where it stands.
    pub fn status(&self) -> PaymentStatus {
        match self {
            Paid::OnChain(p) => p.status,
            Paid::Gasless(a) => a.status,
        }
    }

    /// Its transaction, once there is one (a gasless payment's once the shop settled it).
    pub fn tx_hash(&self) -> Option<B256> {
        match self {
            Paid::OnChain(p) => Some(p.tx_hash),
            Paid::Gasless(a) => a.tx_hash,
        }
    }

    /// The block it was mined in.
    pub fn block_number(&self) -> Option<u64> {
        match self {
            Paid::OnChain(p) => p.block_number,
            Paid::Gasless(a) => a.block_number,
        }
    }

    /// What went wrong, from the stored record (a refusal in the node's or the shop's words).
    pub fn error(&self) -> Option<&str> {
        match self {
            Paid::OnChain(p) => p.error.as_deref(),
            Paid::Gasless(a) => a.error.as_deref(),
        }
    }

    /// When it was signed (Unix seconds).
    pub fn created_at(&self) -> u64 {
        match self {
            Paid::OnChain(p) => p.created_at,
            Paid::Gasless(a) => a.created_at,
        }
    }

    /// The token paid, or `None` for the network's own currency.
    pub fn token(&self) -> Option<Address> {
        match self {
            Paid::OnChain(p) => p.token,
            Paid::Gasless(a) => Some(a.token),
        }
    }

    /// The amount, in base units: what was paid. An `upto` authorization's maximum until the chain
    /// says what the shop charged, then that.
    pub fn amount(&self) -> U256 {
        match self {
            Paid::OnChain(p) => p.amount,
            Paid::Gasless(a) => match (a.method, a.received) {
                (TransferMethod::Upto, Some(charged)) if !a.status.is_unfinished() => charged,
                _ => a.amount,
            },
        }
    }

    /// The paying account.
    pub fn account(&self) -> Address {
        match self {
            Paid::OnChain(p) => p.account,
            Paid::Gasless(a) => a.account,
        }
    }

    /// Who is paid.
    pub fn payee(&self) -> Address {
        match self {
            Paid::OnChain(p) => p.payee,
            Paid::Gasless(a) => a.payee,
        }
    }

    /// Whether money moved, by the chain's word: confirmed, or not confirmed while the token says
    /// the payee received something. Only then is it shown as spent: an outstanding payment has
    /// moved nothing so far, and one that failed, expired, was replaced or cancelled moved nothing.
    /// An approval of Permit2 and an NFT sent move no money (only their network fee): never.
    pub fn moved(&self) -> bool {
        let (status, received) = match self {
            Paid::OnChain(p) if matches!(p.kind, PaymentKind::Approval | PaymentKind::NftTransfer) => return false,
            Paid::OnChain(p) => (p.status, p.received),
            Paid::Gasless(a) => (a.status, a.received),
        };
        status == PaymentStatus::Confirmed
            || (status == PaymentStatus::Unconfirmed && received.is_some_and(|r| !r.is_zero()))
    }

    /// Until when the signed payment could still move money while the chain has not decided it,
    /// when that is known: a gasless authorization's `validBefore` (the chain's clock, Unix seconds).
    pub fn valid_until(&self) -> Option<u64> {
        match self {
            Paid::Gasless(a) if a.status.is_unfinished() => Some(a.valid_before),
            _ => None,
        }
    }

    /// What may be done with it now.
    pub fn actions(&self) -> Actions {
        let status = self.status();
        let outstanding = matches!(status, PaymentStatus::Signed | PaymentStatus::Rejected);
        match self {
            Paid::OnChain(p) => Actions {
                resend: outstanding,
                replace: crate::pay::replace::replaceable(std::slice::from_ref(p)),
                revoke: false,
                approve: false,
            },
            // Revoked by EIP-3009's `cancelAuthorization`, or Permit2's nonce invalidation.
            Paid::Gasless(a) => Actions {
                resend: status.is_unfinished(),
                replace: false,
                revoke: status.is_unfinished(),
                approve: status == PaymentStatus::Rejected
                    && a.method != TransferMethod::Eip3009
                    && a.error.as_deref().is_some_and(|e| e.contains(ALLOWANCE_REQUIRED)),
            },
        }
    }
}

impl From<PaymentRecord> for Paid {
    fn from(p: PaymentRecord) -> Self {
        Paid::OnChain(Box::new(p))
    }
}

impl From<AuthorizationRecord> for Paid {
    fn from(a: AuthorizationRecord) -> Self {
        Paid::Gasless(Box::new(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment(status: PaymentStatus) -> PaymentRecord {
        PaymentRecord {
            chain_id: 31337,
            account: Address::repeat_byte(1),
            request_uri: "ethereum:0x4242424242424242424242424242424242424242?value=1".into(),
            order: None,
            payee: Address::repeat_byte(0x42),
            token: None,
            amount: U256::from(1),
            nonce: 0,
            tx_hash: B256::repeat_byte(7),
            raw_tx: Default::default(),
            status,
            created_at: 1,
            block_number: None,
            error: None,
            expires_at: None,
            received: None,
            quote_digest: None,
            kind: crate::store::PaymentKind::Payment,
            replaces: None,
            replaced_seen_at: None,
        }
    }

    #[test]
    fn what_may_be_done_follows_the_chains_word() {
        use PaymentStatus::*;
        for (status, resend, replace) in [
            (Signed, true, true),
            (Rejected, true, true),
            (Pending, false, true),
            (Confirmed, false, false),
            (Unconfirmed, false, false),
            (Failed, false, false),
            (Replaced, false, false),
        ] {
            let paid = Paid::from(payment(status));
            assert_eq!(paid.actions(), Actions { resend, replace, revoke: false, approve: false }, "{status:?}");
            assert_eq!(paid.moved(), status == Confirmed, "{status:?}: nothing received");
            assert_eq!(paid.valid_until(), None);
        }
    }

    fn authorization(method: TransferMethod, status: PaymentStatus, received: Option<U256>) -> Paid {
        Paid::from(AuthorizationRecord { received, ..AuthorizationRecord::sample(method, status) })
    }

    /// An `upto` payment shows what the chain says was charged, not the maximum authorized, once
    /// decided; every outstanding authorization, whatever its method, may be revoked.
    #[test]
    fn an_upto_payment_is_what_was_charged_and_every_outstanding_authorization_is_revocable() {
        use PaymentStatus::*;
        let charged = Some(U256::from(75));
        assert_eq!(authorization(TransferMethod::Upto, Confirmed, charged).amount(), U256::from(75));
        assert_eq!(authorization(TransferMethod::Upto, Rejected, None).amount(), U256::from(100), "up to");
        assert_eq!(authorization(TransferMethod::Permit2, Confirmed, charged).amount(), U256::from(100));
        assert!(authorization(TransferMethod::Eip3009, Rejected, None).actions().revoke);
        for method in [TransferMethod::Permit2, TransferMethod::Upto] {
            let actions = authorization(method, Rejected, None).actions();
            assert!(actions.resend && actions.revoke && !actions.approve, "{method:?}");
            assert!(!authorization(method, Confirmed, charged).actions().revoke, "{method:?}: decided");
        }
    }

    /// Approving Permit2 is offered on a Permit2 payment the shop refused for want of an allowance,
    /// while it is outstanding; never on an EIP-3009 one, nor on another refusal.
    #[test]
    fn approving_is_offered_where_the_shop_refused_for_want_of_an_allowance() {
        use PaymentStatus::*;
        let refused = |method, status, error: &str| {
            Paid::from(AuthorizationRecord {
                error: Some(error.to_owned()),
                ..AuthorizationRecord::sample(method, status)
            })
            .actions()
            .approve
        };
        assert!(refused(TransferMethod::Permit2, Rejected, "the shop said: permit2_allowance_required"));
        assert!(refused(TransferMethod::Upto, Rejected, "permit2_allowance_required"));
        assert!(!refused(TransferMethod::Eip3009, Rejected, "permit2_allowance_required"));
        assert!(!refused(TransferMethod::Permit2, Rejected, "settlement_pending"));
        assert!(!refused(TransferMethod::Permit2, Expired, "permit2_allowance_required"));
    }

    #[test]
    fn a_payment_not_confirmed_moved_money_only_if_the_payee_received_some() {
        let mut p = payment(PaymentStatus::Unconfirmed);
        p.received = Some(U256::ZERO);
        assert!(!Paid::from(p.clone()).moved());
        p.received = Some(U256::from(1));
        assert!(Paid::from(p).moved());
    }
}
