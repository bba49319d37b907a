//! Permit2 for x402 checkouts (issue 22, its first part): the typed data a payer signs when a shop's
//! `exact` or `upto` option asks for `assetTransferMethod: "permit2"`, the way any ERC-20 without
//! EIP-3009 is paid without gas.
//!
//! The payer signs Permit2's `PermitWitnessTransferFrom` (Uniswap's `SignatureTransfer`): Permit2 lets
//! `spender` move at most `permitted.amount` of `permitted.token` once (`nonce`, a bit in the payer's
//! nonce bitmap) until `deadline`. The spender is the canonical x402 proxy of the scheme, and the
//! **witness** binds what the proxy may do with it: pay `to` (the shop's `payTo`), not before
//! `validAfter`; for `upto`, only through `facilitator`, any amount up to the maximum. The EIP-712
//! domain is Permit2's own: name `Permit2`, the chain, Permit2's canonical address (no version).
//!
//! This module holds the typed data, its signing hash and its wire form, and what the chain is asked
//! about Permit2: that it and the proxy are the canonical ones ([`check_contracts`]), the payer's
//! allowance for it, and whether a nonce was used ([`nonce_used`]) and by which settlement
//! ([`settlement`]). Choosing, signing and sending are the gasless checkout's
//! ([`crate::pay::gasless`]). The hash is checked against foundry's `cast` on the same
//! typed data and against the official package's types (`@x402/evm` 2.27: `permit2WitnessTypes`,
//! `uptoPermit2WitnessTypes`, through `tools/x402-permit2-sign.mjs`; `tests/integration/cast.rs`).

use alloy::primitives::{Address, B256, U256, address, keccak256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::sol_types::{Eip712Domain, SolCall, SolEvent, SolStruct};

use crate::chain::network::ChainClient;
use crate::error::{Blocker, Error, Result};

/// Permit2, at the same address on every chain (CREATE2).
pub const PERMIT2: Address = address!("000000000022D473030F116dDEE9F6B43aC78BA3");

/// The x402 proxy that settles `exact` Permit2 payments (canonical: the same on every chain).
pub const EXACT_PROXY: Address = address!("402085c248EeA27D92E8b30b2C58ed07f9E20001");

/// The x402 proxy that settles `upto` Permit2 payments (canonical: the same on every chain).
pub const UPTO_PROXY: Address = address!("4020A4f3b7b90ccA423B9fabCc0CE57C6C240002");

/// Permit2's `PermitWitnessTransferFrom` with a witness of the given fields, in a module of its own
/// (the two schemes' witnesses share the name `Witness`, which the type string hashes).
macro_rules! permit_with_witness {
    ($(#[$doc:meta])* $scheme:ident { $($witness:tt)* }) => {
        $(#[$doc])*
        mod $scheme {
            alloy::sol! {
                struct TokenPermissions { address token; uint256 amount; }
                struct Witness { $($witness)* }
                struct PermitWitnessTransferFrom {
                    TokenPermissions permitted;
                    address spender;
                    uint256 nonce;
                    uint256 deadline;
                    Witness witness;
                }
            }
        }
    };
}

permit_with_witness!(
    /// `exact`'s typed data: the witness names the payee and the start of the window.
    exact { address to; uint256 validAfter; }
);
permit_with_witness!(
    /// `upto`'s typed data: the witness names the facilitator too (only it may settle, any amount up
    /// to the maximum).
    upto { address to; address facilitator; uint256 validAfter; }
);

alloy::sol! {
    #[sol(rpc)]
    interface IPermit2 {
        function DOMAIN_SEPARATOR() external view returns (bytes32);
        function nonceBitmap(address owner, uint256 wordPosition) external view returns (uint256);
        function invalidateUnorderedNonces(uint256 wordPos, uint256 mask) external;
        event UnorderedNonceInvalidation(address indexed owner, uint256 word, uint256 mask);
    }

    #[sol(rpc)]
    interface IX402Permit2Proxy {
        function PERMIT2() external view returns (address);
        function WITNESS_TYPEHASH() external view returns (bytes32);
    }

    #[sol(rpc)]
    interface IErc20Permit {
        function allowance(address owner, address spender) external view returns (uint256);
        function nonces(address owner) external view returns (uint256);
        event Transfer(address indexed from, address indexed to, uint256 value);
    }

    /// EIP-2612's typed permit: the sponsored one-time approval of Permit2.
    struct Permit {
        address owner;
        address spender;
        uint256 value;
        uint256 nonce;
        uint256 deadline;
    }
}

/// Which x402 scheme a Permit2 authorization pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Exactly the amount.
    Exact,
    /// Any amount up to the amount, settled only by `facilitator`.
    Upto {
        /// The facilitator the shop names (the witness binds it).
        facilitator: Address,
    },
}

impl Scheme {
    /// The proxy that may spend: the scheme's canonical one.
    pub fn proxy(self) -> Address {
        match self {
            Scheme::Exact => EXACT_PROXY,
            Scheme::Upto { .. } => UPTO_PROXY,
        }
    }

    /// The witness's type hash the scheme's proxy must use.
    pub fn witness_typehash(self) -> B256 {
        match self {
            Scheme::Exact => keccak256("Witness(address to,uint256 validAfter)"),
            Scheme::Upto { .. } => keccak256("Witness(address to,address facilitator,uint256 validAfter)"),
        }
    }
}

/// A Permit2 authorization for an x402 proxy, as the payer signs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The payer.
    pub from: Address,
    /// The token.
    pub token: Address,
    /// The amount (`exact`), or the most that may be settled (`upto`), in base units.
    pub amount: U256,
    /// Permit2's nonce: a bit in the payer's bitmap (word `nonce >> 8`, bit `nonce & 0xff`), random.
    pub nonce: U256,
    /// The last second it can be used (Unix seconds, the chain's clock).
    pub deadline: u64,
    /// The payee (the option's `payTo`).
    pub to: Address,
    /// It cannot be used before this second (Unix seconds, the chain's clock).
    pub valid_after: u64,
    /// The scheme, and with it the proxy that may spend.
    pub scheme: Scheme,
}

/// Permit2's EIP-712 domain on `chain_id` (name `Permit2`, no version).
pub fn domain(chain_id: u64) -> Eip712Domain {
    Eip712Domain::new(Some("Permit2".into()), None, Some(U256::from(chain_id)), Some(PERMIT2), None)
}

impl Authorization {
    /// The EIP-712 hash the payer signs, on `chain_id`.
    pub fn signing_hash(&self, chain_id: u64) -> B256 {
        let domain = domain(chain_id);
        let (deadline, valid_after) = (U256::from(self.deadline), U256::from(self.valid_after));
        match self.scheme {
            Scheme::Exact => exact::PermitWitnessTransferFrom {
                permitted: exact::TokenPermissions { token: self.token, amount: self.amount },
                spender: EXACT_PROXY,
                nonce: self.nonce,
                deadline,
                witness: exact::Witness { to: self.to, validAfter: valid_after },
            }
            .eip712_signing_hash(&domain),
            Scheme::Upto { facilitator } => upto::PermitWitnessTransferFrom {
                permitted: upto::TokenPermissions { token: self.token, amount: self.amount },
                spender: UPTO_PROXY,
                nonce: self.nonce,
                deadline,
                witness: upto::Witness { to: self.to, facilitator, validAfter: valid_after },
            }
            .eip712_signing_hash(&domain),
        }
    }

    /// The payload's `permit2Authorization`, as the official packages write it: addresses
    /// checksummed, numbers as decimal strings.
    pub fn to_wire(&self) -> serde_json::Value {
        let mut witness =
            serde_json::json!({ "to": self.to.to_checksum(None), "validAfter": self.valid_after.to_string() });
        if let Scheme::Upto { facilitator } = self.scheme {
            witness["facilitator"] = facilitator.to_checksum(None).into();
        }
        serde_json::json!({
            "from": self.from.to_checksum(None),
            "permitted": { "token": self.token.to_checksum(None), "amount": self.amount.to_string() },
            "spender": self.scheme.proxy().to_checksum(None),
            "nonce": self.nonce.to_string(),
            "deadline": self.deadline.to_string(),
            "witness": witness,
        })
    }
}

/// A fresh Permit2 nonce: 256 random bits from the OS (the bitmap makes any value usable once).
pub fn random_nonce() -> crate::error::Result<U256> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| crate::error::Error::Internal { detail: format!("no randomness for a nonce: {e}") })?;
    Ok(U256::from_be_bytes(bytes))
}

/// The EIP-712 hash of an EIP-2612 permit letting Permit2 spend `value` of the token whose domain is
/// `token_domain`, signed by `owner` with the token's `nonce` for `owner`, until `deadline`.
pub fn permit_signing_hash(
    token_domain: &Eip712Domain,
    owner: Address,
    value: U256,
    nonce: U256,
    deadline: u64,
) -> B256 {
    Permit { owner, spender: PERMIT2, value, nonce, deadline: U256::from(deadline) }.eip712_signing_hash(token_domain)
}

/// A node's failure stays the node's; anything else means the contract is not what it should be.
fn or_unavailable(client: &ChainClient, e: alloy::contract::Error, reason: &str) -> Error {
    match client.contract_error(e) {
        e @ Error::RpcUnavailable { .. } => e,
        _ => Error::Blocked(Blocker::Permit2Unavailable { reason: reason.to_owned() }),
    }
}

/// Checks, before anything is signed, that Permit2 answers at its canonical address with the domain
/// Tender signs for (so the code there is Permit2's, made for this chain and address), and that the
/// scheme's canonical proxy is deployed, spends through that Permit2 and hashes the witness Tender signs.
pub async fn check_contracts(client: &ChainClient, scheme: Scheme) -> Result<()> {
    let unavailable = |reason: &str| Error::Blocked(Blocker::Permit2Unavailable { reason: reason.to_owned() });
    check_permit2(client).await?;
    let proxy = IX402Permit2Proxy::new(scheme.proxy(), &client.provider);
    let permit2 = proxy
        .PERMIT2()
        .call()
        .await
        .map_err(|e| or_unavailable(client, e, "the x402 payment contract is not deployed on this network"))?;
    let typehash = proxy
        .WITNESS_TYPEHASH()
        .call()
        .await
        .map_err(|e| or_unavailable(client, e, "the x402 payment contract is not deployed on this network"))?;
    if permit2 != PERMIT2 || typehash != scheme.witness_typehash() {
        return Err(unavailable("the x402 payment contract is not the canonical one"));
    }
    Ok(())
}

/// Checks that Permit2 answers at its canonical address with the domain Tender signs for: the code
/// there is Permit2's, made for this chain and address (what an approval lets move tokens, and what
/// checks every authorization).
pub async fn check_permit2(client: &ChainClient) -> Result<()> {
    let separator = IPermit2::new(PERMIT2, &client.provider)
        .DOMAIN_SEPARATOR()
        .call()
        .await
        .map_err(|e| or_unavailable(client, e, "Permit2 is not deployed on this network"))?;
    if separator != domain(client.network.chain_id).separator() {
        return Err(Error::Blocked(Blocker::Permit2Unavailable {
            reason: "the contract at Permit2's address is not Permit2 for this network".into(),
        }));
    }
    Ok(())
}

/// How much of `token` the payer `owner` lets Permit2 move.
pub async fn allowance(client: &ChainClient, token: Address, owner: Address) -> Result<U256> {
    IErc20Permit::new(token, &client.provider)
        .allowance(owner, PERMIT2)
        .call()
        .await
        .map_err(|e| client.contract_error(e))
}

/// The token's EIP-2612 nonce for `owner`, or `None` when the token has no `permit`.
pub async fn permit_nonce(client: &ChainClient, token: Address, owner: Address) -> Result<Option<U256>> {
    match IErc20Permit::new(token, &client.provider).nonces(owner).call().await {
        Ok(n) => Ok(Some(n)),
        Err(e) => match client.contract_error(e) {
            e @ Error::RpcUnavailable { .. } => Err(e),
            _ => Ok(None),
        },
    }
}

/// Whether Permit2 has used `owner`'s `nonce` (its bit in the bitmap is set) at `block`.
pub async fn nonce_used(client: &ChainClient, owner: Address, nonce: U256, block: u64) -> Result<bool> {
    let word = IPermit2::new(PERMIT2, &client.provider)
        .nonceBitmap(owner, nonce >> 8)
        .block(block.into())
        .call()
        .await
        .map_err(|e| client.contract_error(e))?;
    Ok(word.bit((nonce & U256::from(0xff)).to::<usize>()))
}

/// The settlement that used a Permit2 authorization: among the token's transfers from `owner` to
/// `payee` in blocks `from..=to`, the first transaction that went through `scheme`'s proxy. Its hash,
/// block and what the payee received in it.
pub async fn settlement(
    client: &ChainClient,
    token: Address,
    owner: Address,
    payee: Address,
    proxy: Address,
    (from, to): (u64, u64),
) -> Result<Option<(B256, Option<u64>, U256)>> {
    let rpc = |e| crate::chain::network::rpc_error(&client.endpoint, e);
    let filter = Filter::new()
        .address(token)
        .event_signature(IErc20Permit::Transfer::SIGNATURE_HASH)
        .topic1(owner.into_word())
        .topic2(payee.into_word())
        .from_block(from)
        .to_block(to);
    let logs = client.provider.get_logs(&filter).await.map_err(rpc)?;
    let mut seen = Vec::new();
    for tx_hash in logs.iter().filter_map(|l| l.transaction_hash) {
        if seen.contains(&tx_hash) {
            continue;
        }
        seen.push(tx_hash);
        let Some(receipt) = client.provider.get_transaction_receipt(tx_hash).await.map_err(rpc)? else { continue };
        if !receipt.status() || !receipt.inner.logs().iter().any(|l| l.address() == proxy) {
            continue;
        }
        let received = crate::pay::broadcast::received_in_logs(receipt.inner.logs(), token, owner, payee);
        return Ok(Some((tx_hash, receipt.block_number, received)));
    }
    Ok(None)
}

/// The call that makes `nonce` unusable for ever (Permit2's `invalidateUnorderedNonces` of its bit in
/// its word): what revokes an outstanding Permit2 authorization, sent by its owner.
pub fn invalidate_call(nonce: U256) -> Vec<u8> {
    let mask = U256::from(1u8) << (nonce & U256::from(0xff)).to::<usize>();
    IPermit2::invalidateUnorderedNoncesCall { wordPos: nonce >> 8usize, mask }.abi_encode()
}

/// The owner's invalidation of `nonce` in blocks `from..=to`, when there is one: Permit2's
/// `UnorderedNonceInvalidation(owner, word, mask)` with the nonce's bit in its mask. Its transaction
/// and block.
pub async fn invalidation(
    client: &ChainClient,
    owner: Address,
    nonce: U256,
    (from, to): (u64, u64),
) -> Result<Option<(B256, Option<u64>)>> {
    let filter = Filter::new()
        .address(PERMIT2)
        .event_signature(IPermit2::UnorderedNonceInvalidation::SIGNATURE_HASH)
        .topic1(owner.into_word())
        .from_block(from)
        .to_block(to);
    let logs =
        client.provider.get_logs(&filter).await.map_err(|e| crate::chain::network::rpc_error(&client.endpoint, e))?;
    let bit = (nonce & U256::from(0xff)).to::<usize>();
    Ok(logs
        .iter()
        .filter_map(|l| IPermit2::UnorderedNonceInvalidation::decode_log(&l.inner).ok().map(|e| (l, e)))
        .find(|(_, e)| e.word == nonce >> 8usize && e.mask.bit(bit))
        .map(|(l, _)| (l.transaction_hash.unwrap_or_default(), l.block_number)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The invalidation of a nonce sets exactly its bit in its word, as Permit2's bitmap reads it.
    #[test]
    fn an_invalidation_is_the_nonces_own_bit_in_its_word() {
        let nonce = (U256::from(3u8) << 8usize) | U256::from(200u8);
        let call = IPermit2::invalidateUnorderedNoncesCall::abi_decode(&invalidate_call(nonce)).expect("decodes");
        assert_eq!(call.wordPos, U256::from(3u8));
        assert_eq!(call.mask, U256::from(1u8) << 200usize);
        let call = IPermit2::invalidateUnorderedNoncesCall::abi_decode(&invalidate_call(U256::MAX)).expect("decodes");
        assert_eq!((call.wordPos, call.mask), (U256::MAX >> 8usize, U256::from(1u8) << 255usize));
    }

    #[test]
    fn the_types_are_the_specifications() {
        // The strings the x402 proxies hash into their witness type (the specification's, and the
        // official package's `permit2WitnessTypes` / `uptoPermit2WitnessTypes` in EIP-712's order).
        assert_eq!(
            exact::PermitWitnessTransferFrom::eip712_encode_type(),
            "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)"
        );
        assert_eq!(
            upto::PermitWitnessTransferFrom::eip712_encode_type(),
            "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,address facilitator,uint256 validAfter)"
        );
    }

    #[test]
    fn the_scheme_names_its_proxy_and_the_hash_binds_every_field() {
        let a = Authorization {
            from: Address::repeat_byte(1),
            token: Address::repeat_byte(2),
            amount: U256::from(1_000_000u64),
            nonce: U256::from(7u8),
            deadline: 1_800_000_000,
            to: Address::repeat_byte(3),
            valid_after: 0,
            scheme: Scheme::Exact,
        };
        let base = a.signing_hash(8453);
        let changed = [
            Authorization { amount: a.amount + U256::from(1u8), ..a.clone() },
            Authorization { nonce: U256::from(8u8), ..a.clone() },
            Authorization { deadline: a.deadline + 1, ..a.clone() },
            Authorization { to: Address::repeat_byte(4), ..a.clone() },
            Authorization { valid_after: 1, ..a.clone() },
            Authorization { token: Address::repeat_byte(5), ..a.clone() },
            Authorization { scheme: Scheme::Upto { facilitator: Address::ZERO }, ..a.clone() },
        ];
        for other in &changed {
            assert_ne!(other.signing_hash(8453), base, "{other:?}");
        }
        assert_ne!(a.signing_hash(1), base, "the chain is in the domain");
        // `from` is not signed over: Permit2 recovers the owner from the signature.
        assert_eq!(Authorization { from: Address::repeat_byte(9), ..a.clone() }.signing_hash(8453), base);
        assert_eq!(a.to_wire()["spender"], EXACT_PROXY.to_checksum(None));
        let upto = Authorization { scheme: Scheme::Upto { facilitator: Address::repeat_byte(6) }, ..a };
        assert_eq!(upto.to_wire()["spender"], UPTO_PROXY.to_checksum(None));
        assert_eq!(upto.to_wire()["witness"]["facilitator"], Address::repeat_byte(6).to_checksum(None));
    }

    #[test]
    fn nonces_are_random() {
        assert_ne!(random_nonce().expect("nonce"), random_nonce().expect("nonce"));
    }
}
