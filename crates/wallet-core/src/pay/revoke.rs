//! Revoking a gasless payment's authorization before a shop uses it, on chain from the shopper's own
//! account (so it needs the native currency for its fee): EIP-3009 `cancelAuthorization` for a
//! token's own authorization, Permit2's `invalidateUnorderedNonces` (the authorization's nonce bit)
//! for a Permit2 one (`exact` through Permit2, `upto`).
//!
//! An authorization the shop refused or never answered for stays valid until its `validBefore`
//! (a few minutes: [`crate::pay::x402::VALIDITY_CAP_SECS`]) and Tender watches it; a shopper who
//! does not want to wait, or who pays another way, revokes it. Like any payment it is [`quote`]d
//! first (the fee at most, bound by a digest), signed only as quoted ([`sign`]: the EIP-712
//! `CancelAuthorization` and the transaction carrying it), stored before it leaves the process and
//! confirmed on chain. Whichever the chain takes first decides: the shop's settlement (the revocation
//! then fails, and the payment is paid) or the revocation (the authorization is `cancelled`, nothing
//! was paid). The transaction is kept as a payment record of kind
//! [`PaymentKind::CancelAuthorization`], shown only through the authorization it revokes.

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::signers::SignerSync;
use alloy::sol;
use alloy::sol_types::{Eip712Domain, SolCall, SolStruct};

use crate::chain::network::ChainClient;
use crate::chain::token::format_amount;
use crate::error::{Blocker, Error, Result};
use crate::keys::signer::TxRequest;
use crate::pay::fees::FeePolicy;
use crate::pay::replace::{REPLACEMENT_TTL_SECS, ReplacementQuote};
use crate::store::{AuthorizationRecord, PaymentKind, PaymentRecord, PaymentStatus};
use crate::wallet::Wallet;

/// The gas a revocation is given: `cancelAuthorization` checks a signature and writes one slot
/// (about 35 000 gas in the dev chain's token); no node's estimate is needed or trusted.
pub const REVOKE_GAS: u64 = 80_000;

sol! {
    /// EIP-3009's typed cancellation.
    struct CancelAuthorization {
        address authorizer;
        bytes32 nonce;
    }

    #[sol(rpc)]
    interface IEip3009Cancel {
        function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external;
        function eip712Domain() external view returns (
            bytes1 fields, string name, string version, uint256 chainId, address verifyingContract,
            bytes32 salt, uint256[] extensions);
    }
}

/// The token's EIP-712 domain, as it says it (ERC-5267): what the cancellation is signed for.
async fn token_domain(client: &ChainClient, token: Address) -> Result<Eip712Domain> {
    let d = IEip3009Cancel::new(token, &client.provider).eip712Domain().call().await.map_err(|e| match e {
        alloy::contract::Error::TransportError(t) if crate::chain::network::is_transport_failure(&t) => {
            crate::chain::network::rpc_error(&client.endpoint, t)
        }
        _ => Error::Blocked(Blocker::NoAuthorizations { address: token }),
    })?;
    if d.verifyingContract != token || d.chainId != U256::from(client.network.chain_id) {
        return Err(Error::Blocked(Blocker::DomainMismatch { reason: "the token's own signing domain".into() }));
    }
    Ok(Eip712Domain::new(Some(d.name.into()), Some(d.version.into()), Some(d.chainId), Some(token), None))
}

/// The quote for revoking the outstanding authorization `record`: the transaction from its account
/// (the fee bounded like any payment's) and the most its fee can be. Refused once the chain decided
/// the authorization, and when the account has not enough of the native currency for the fee
/// ([`Error::Blocked(Blocker::NeedsNativeForFee)`]). `own` is the account's stored payments on this chain (the nonce).
pub async fn quote(
    client: &ChainClient,
    record: &AuthorizationRecord,
    own: &[PaymentRecord],
) -> Result<ReplacementQuote> {
    let network = &client.network;
    if record.chain_id != network.chain_id {
        return Err(Error::Blocked(Blocker::ChainMismatch { requested: record.chain_id, current: network.chain_id }));
    }
    if !record.status.is_unfinished() {
        return Err(Error::PaymentSettled);
    }
    let (to, input) = if record.method == crate::store::TransferMethod::Eip3009 {
        // The call is completed when signed: its signature is the wallet's, made then. Until then
        // the input holds the token's domain separator the cancellation will be signed for.
        (record.token, token_domain(client, record.token).await?.separator().0.to_vec())
    } else {
        // A Permit2 nonce: its owner invalidates it at Permit2 (checked to be Permit2 first).
        crate::pay::permit2::check_permit2(client).await?;
        (crate::pay::permit2::PERMIT2, crate::pay::permit2::invalidate_call(record.nonce.into()))
    };
    let policy = FeePolicy::for_network(network);
    let (max_fee_per_gas, max_priority_fee_per_gas) = crate::pay::fees::fees(client, &policy).await?;
    crate::pay::fees::check_fee(&policy, REVOKE_GAS, max_fee_per_gas, &network.native.symbol)?;
    let max_network_fee = U256::from(REVOKE_GAS) * max_fee_per_gas;
    let balance = client.provider.get_balance(record.account).await.map_err(|e| client.rpc_error(e))?;
    if balance < max_network_fee {
        let n = &network.native;
        return Err(Error::Blocked(Blocker::NeedsNativeForFee {
            symbol: n.symbol.clone(),
            needed: format_amount(max_network_fee, n.decimals),
            available: format_amount(balance, n.decimals),
        }));
    }
    let nonce = crate::pay::nonce::next_nonce(client, record.account, own, |_| false).await?;
    let now = crate::pay::clock::now_secs();
    let mut quote = ReplacementQuote {
        id: crate::pay::clock::new_quote_id()?,
        digest: B256::ZERO,
        kind: PaymentKind::CancelAuthorization,
        created_at: now,
        expires_at: now + REPLACEMENT_TTL_SECS,
        chain_id: network.chain_id,
        from: record.account,
        payment: record.nonce,
        max_network_fee,
        max_network_fee_display: format_amount(max_network_fee, network.native.decimals),
        previous_max_network_fee_display: format_amount(U256::ZERO, network.native.decimals),
        native_symbol: network.native.symbol.clone(),
        tx: TxRequest {
            chain_id: network.chain_id,
            nonce,
            to: Some(to),
            value: U256::ZERO,
            gas: REVOKE_GAS,
            max_fee_per_gas: Some(max_fee_per_gas),
            max_priority_fee_per_gas: Some(max_priority_fee_per_gas),
            gas_price: None,
            input: input.into(),
        },
    };
    quote.digest = quote.compute_digest();
    Ok(quote)
}

/// Signs the revocation `quote` of `record` with the unlocked `wallet` (no network call). For an
/// EIP-3009 authorization: the EIP-712 `CancelAuthorization` for the token's domain the quote was made
/// with, then the transaction calling `cancelAuthorization` with it; for a Permit2 one: the
/// transaction invalidating its nonce, its call data checked against the authorization's nonce.
/// Refused past the quote's validity, with a broken digest or a fee over the network's ceilings. Not
/// stored yet.
pub fn sign(wallet: &Wallet, record: &AuthorizationRecord, quote: &ReplacementQuote) -> Result<PaymentRecord> {
    let index = quote.signable(wallet)?;
    let eip3009 = record.method == crate::store::TransferMethod::Eip3009;
    let to = if eip3009 { record.token } else { crate::pay::permit2::PERMIT2 };
    if quote.kind != PaymentKind::CancelAuthorization
        || quote.payment != record.nonce
        || quote.from != record.account
        || quote.tx.to != Some(to)
    {
        return Err(Error::QuoteMismatch);
    }
    let now = crate::pay::clock::now_secs();
    let signer = wallet.signer(index)?;
    if !eip3009 {
        if quote.tx.input.as_ref() != crate::pay::permit2::invalidate_call(record.nonce.into()).as_slice() {
            return Err(Error::QuoteMismatch);
        }
        let signed =
            crate::keys::signer::sign_transaction(&signer, crate::keys::signer::build_transaction(&quote.tx)?)?;
        return Ok(revocation_record(record, quote, quote.tx.nonce, signed, now));
    }
    let separator = B256::try_from(quote.tx.input.as_ref()).map_err(|_| Error::QuoteMismatch)?;
    // EIP-712: keccak256(0x1901 ‖ domain separator ‖ struct hash), the domain bound by the quote.
    let cancel = CancelAuthorization { authorizer: record.account, nonce: record.nonce };
    let hash = alloy::primitives::keccak256(
        [&[0x19, 0x01][..], separator.as_slice(), cancel.eip712_hash_struct().as_slice()].concat(),
    );
    let signature = signer.sign_hash_sync(&hash)?;
    let call = IEip3009Cancel::cancelAuthorizationCall {
        authorizer: record.account,
        nonce: record.nonce,
        v: 27 + u8::from(signature.v()),
        r: signature.r().into(),
        s: signature.s().into(),
    };
    let tx = TxRequest { input: call.abi_encode().into(), ..quote.tx.clone() };
    let signed = crate::keys::signer::sign_transaction(&signer, crate::keys::signer::build_transaction(&tx)?)?;
    drop(signer);
    Ok(revocation_record(record, quote, tx.nonce, signed, now))
}

/// The stored record of a signed revocation of `record`.
fn revocation_record(
    record: &AuthorizationRecord,
    quote: &ReplacementQuote,
    nonce: u64,
    signed: crate::keys::signer::SignedTx,
    now: u64,
) -> PaymentRecord {
    PaymentRecord {
        chain_id: quote.chain_id,
        account: record.account,
        request_uri: String::new(),
        order: None,
        // Nothing is paid to anyone: the record says so, like a cancellation's.
        payee: record.account,
        token: None,
        amount: U256::ZERO,
        nonce,
        tx_hash: signed.hash,
        raw_tx: signed.raw,
        status: PaymentStatus::Signed,
        created_at: now,
        block_number: None,
        error: None,
        expires_at: None,
        received: None,
        quote_digest: Some(quote.digest),
        kind: PaymentKind::CancelAuthorization,
        replaces: Some(record.nonce),
        replaced_seen_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::TransferMethod;
    use alloy::primitives::address;

    /// A Permit2 revocation of `record` invalidating `nonce`, its digest holding.
    fn quote(record: &AuthorizationRecord, nonce: B256) -> ReplacementQuote {
        let now = crate::pay::clock::now_secs();
        let mut q = ReplacementQuote {
            id: "r".into(),
            digest: B256::ZERO,
            kind: PaymentKind::CancelAuthorization,
            created_at: now,
            expires_at: now + REPLACEMENT_TTL_SECS,
            chain_id: 31337,
            from: record.account,
            payment: record.nonce,
            max_network_fee: U256::from(REVOKE_GAS) * U256::from(1_000_000_000u64),
            max_network_fee_display: "0.00008".into(),
            previous_max_network_fee_display: "0".into(),
            native_symbol: "ETH".into(),
            tx: TxRequest {
                chain_id: 31337,
                nonce: 0,
                to: Some(crate::pay::permit2::PERMIT2),
                value: U256::ZERO,
                gas: REVOKE_GAS,
                max_fee_per_gas: Some(U256::from(1_000_000_000u64)),
                max_priority_fee_per_gas: Some(U256::from(1_000_000u64)),
                gas_price: None,
                input: crate::pay::permit2::invalidate_call(nonce.into()).into(),
            },
        };
        q.digest = q.compute_digest();
        q
    }

    /// A Permit2 authorization is revoked by invalidating its own nonce and no other, even where the
    /// quote's digest holds.
    #[test]
    fn a_permit2_revocation_invalidates_exactly_the_authorizations_nonce() {
        let tmp = tempfile::tempdir().expect("tmp");
        let wallet = Wallet::dev_for_tests(tmp.path());
        let record = AuthorizationRecord {
            account: address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
            ..AuthorizationRecord::sample(TransferMethod::Permit2, PaymentStatus::Rejected)
        };
        let signed = sign(&wallet, &record, &quote(&record, record.nonce)).expect("signed");
        assert_eq!(
            (signed.kind, signed.replaces, signed.token),
            (PaymentKind::CancelAuthorization, Some(record.nonce), None)
        );
        let other = quote(&record, B256::repeat_byte(0x0a));
        assert!(matches!(sign(&wallet, &record, &other), Err(Error::QuoteMismatch)), "another nonce");
    }
}
