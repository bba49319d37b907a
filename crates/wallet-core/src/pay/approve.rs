//! The shopper's own one-time approval of Permit2 (ERC-20 `approve(PERMIT2, amount)`), and its
//! revocation (`approve(PERMIT2, 0)`).
//!
//! A shop paid through Permit2 (x402 `exact` with Permit2, `upto`) needs the token to let Permit2 move
//! the payment's amount first. When the shop does not send that approval itself (its
//! `eip2612GasSponsoring`), the shopper sends it on chain from their own account: it needs the native
//! currency for its fee. The spender is always the canonical Permit2, checked on chain to be Permit2
//! for this network before anything is signed; the allowance is what the shopper chose (this payment's
//! amount by default, or a limit they type), never "unlimited" unless they type it.
//!
//! Like a payment it is [`quote`]d first (the allowance it sets and the fee at most, bound by a
//! digest), signed only as quoted ([`sign`]: the call data re-checked against what was shown), stored
//! before it leaves the process and confirmed on chain: mined, and the token's `Approval` event (or,
//! for a token that emits none, its allowance at that block) says Permit2 may move exactly that. It is
//! kept as a payment record of kind [`PaymentKind::Approval`] (payee: Permit2; amount: the allowance
//! set), shown in the history as an approval and never as money spent: only its network fee is.

use alloy::primitives::{Address, B256, U256};
use alloy::sol_types::SolCall;

use crate::chain::network::ChainClient;
use crate::chain::token::{IERC20Metadata, Token, approve_call, format_amount};
use crate::error::{Blocker, Error, Result};
use crate::pay::permit2::PERMIT2;
use crate::pay::replace::ReplacementQuote;
use crate::store::{PaymentKind, PaymentRecord};
use crate::wallet::Wallet;

/// What Permit2 may move of a token from an account: as the token says now, or as an approval sets it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Allowance {
    /// The token.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub token: Address,
    /// Its symbol.
    pub symbol: String,
    /// Its decimals.
    pub decimals: u8,
    /// Who may move it: always the canonical Permit2.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub spender: Address,
    /// How much, in base units (zero: nothing).
    #[serde(with = "crate::text::decimal")]
    pub amount: U256,
    /// The same in the token's units, exact.
    pub display: String,
}

impl Allowance {
    /// Permit2's allowance of `amount` of `token`.
    pub fn of(token: &Token, amount: U256) -> Self {
        Allowance {
            token: token.address,
            symbol: token.symbol.clone(),
            decimals: token.decimals,
            spender: PERMIT2,
            amount,
            display: format_amount(amount, token.decimals),
        }
    }
}

/// What an approval of Permit2 will sign, and what it may cost. Public data only.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ApprovalQuote {
    /// The transaction (kind [`PaymentKind::Approval`]; its `payment` is zero: it replaces nothing),
    /// its fee at most, and the digest that binds it. Its call data is `approve(spender, amount)`.
    pub transaction: ReplacementQuote,
    /// The allowance it sets (zero: the approval is revoked).
    pub sets: Allowance,
    /// The allowance now, in the token's units, exact.
    pub current_display: String,
}

impl ApprovalQuote {
    /// Its id (what the person confirms names it).
    pub fn id(&self) -> &str {
        &self.transaction.id
    }

    /// The digest of everything signed or shown.
    pub fn digest(&self) -> B256 {
        self.transaction.digest
    }

    /// Whether it revokes the approval (sets the allowance to zero).
    pub fn revokes(&self) -> bool {
        self.sets.amount.is_zero()
    }
}

/// The quote for letting Permit2 move up to `amount` of `token` from `from` (zero: revoking it).
/// Refused when Permit2 is not Permit2 for this network, when the allowance already is `amount`
/// ([`Error::AllowanceUnchanged`]), when the token would refuse the call, and without enough of the
/// native currency for the fee ([`Error::Blocked(Blocker::NeedsNativeForFee)`]). `own` is the
/// account's stored payments on this chain (the nonce).
pub async fn quote(
    client: &ChainClient,
    from: Address,
    token: &Token,
    amount: U256,
    own: &[PaymentRecord],
) -> Result<ApprovalQuote> {
    let network = &client.network;
    if token.chain_id != network.chain_id {
        return Err(Error::Blocked(Blocker::ChainMismatch { requested: token.chain_id, current: network.chain_id }));
    }
    crate::pay::permit2::check_permit2(client).await?;
    let current = crate::pay::permit2::allowance(client, token.address, from).await?;
    if current == amount {
        return Err(Error::AllowanceUnchanged {
            symbol: token.symbol.clone(),
            amount: format_amount(amount, token.decimals),
        });
    }
    let input: alloy::primitives::Bytes =
        IERC20Metadata::approveCall { spender: PERMIT2, value: amount }.abi_encode().into();
    // The token's own answer to this very call, before anything is signed: a revert is its reason
    // (some tokens refuse to change one allowance into another without zero between), `false` a
    // refusal; no return data is the old USDT style and accepted.
    let transaction =
        ReplacementQuote::for_call(client, from, token.address, input, PaymentKind::Approval, own).await?;
    Ok(ApprovalQuote {
        transaction,
        sets: Allowance::of(token, amount),
        current_display: format_amount(current, token.decimals),
    })
}

/// Signs the approval `quote` with the unlocked `wallet` (no network call). Refused past the quote's
/// validity, with a broken digest, a fee over the network's ceilings, or call data that is not
/// `approve(Permit2, amount)` on the token shown. Not stored yet.
pub fn sign(wallet: &Wallet, quote: &ApprovalQuote) -> Result<PaymentRecord> {
    let (t, sets) = (&quote.transaction, &quote.sets);
    if t.kind != PaymentKind::Approval
        || sets.spender != PERMIT2
        || t.tx.to != Some(sets.token)
        || !t.tx.value.is_zero()
        || approve_call(&t.tx.input) != Some((PERMIT2, sets.amount))
    {
        return Err(Error::QuoteMismatch);
    }
    t.sign_new(wallet, PERMIT2, Some(sets.token), sets.amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::signer::TxRequest;
    use crate::pay::replace::REPLACEMENT_TTL_SECS;
    use alloy::primitives::address;

    const STORE: Address = address!("700b6A60ce7EaaEA56F065753d8dcB9653dbAD35");

    /// A quote whose digest holds for its transaction: `spender` and `value` are the call data's, `shown`
    /// the allowance the sheet shows.
    fn quote(spender: Address, value: u64, to: Address, shown: u64) -> ApprovalQuote {
        let token = Token {
            chain_id: 31337,
            address: STORE,
            symbol: "STORE".into(),
            name: "Store Credit".into(),
            decimals: 18,
            featured: true,
            verified: true,
            list: None,
        };
        let now = crate::pay::clock::now_secs();
        let mut transaction = ReplacementQuote {
            id: "q".into(),
            digest: B256::ZERO,
            kind: PaymentKind::Approval,
            created_at: now,
            expires_at: now + REPLACEMENT_TTL_SECS,
            chain_id: 31337,
            from: address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
            payment: B256::ZERO,
            max_network_fee: U256::from(60_000u64) * U256::from(1_000_000_000u64),
            max_network_fee_display: "0.00006".into(),
            previous_max_network_fee_display: "0".into(),
            native_symbol: "ETH".into(),
            tx: TxRequest {
                chain_id: 31337,
                nonce: 0,
                to: Some(to),
                value: U256::ZERO,
                gas: 60_000,
                max_fee_per_gas: Some(U256::from(1_000_000_000u64)),
                max_priority_fee_per_gas: Some(U256::from(1_000_000u64)),
                gas_price: None,
                input: IERC20Metadata::approveCall { spender, value: U256::from(value) }.abi_encode().into(),
            },
        };
        transaction.digest = transaction.compute_digest();
        ApprovalQuote { transaction, sets: Allowance::of(&token, U256::from(shown)), current_display: "0".into() }
    }

    /// What is signed is what the sheet showed: `approve(Permit2, the amount shown)` on the token shown,
    /// even where the digest holds (the allowance shown is not part of it; the call data is).
    #[test]
    fn only_an_approval_of_permit2_for_the_amount_shown_is_signed() {
        let tmp = tempfile::tempdir().expect("tmp");
        let wallet = Wallet::dev_for_tests(tmp.path());
        let signed = sign(&wallet, &quote(PERMIT2, 125, STORE, 125)).expect("signed");
        assert_eq!(
            (signed.kind, signed.payee, signed.token, signed.amount),
            (PaymentKind::Approval, PERMIT2, Some(STORE), U256::from(125u8))
        );
        let stranger = address!("5353535353535353535353535353535353535353");
        for (what, q) in [
            ("another amount than shown", quote(PERMIT2, u64::MAX, STORE, 125)),
            ("another spender than Permit2", quote(stranger, 125, STORE, 125)),
            ("another token than shown", quote(PERMIT2, 125, stranger, 125)),
        ] {
            assert!(matches!(sign(&wallet, &q), Err(Error::QuoteMismatch)), "{what}");
        }
    }
}
