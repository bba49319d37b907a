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
//! This module holds the typed data, its signing hash and its wire form; choosing, checking on chain
//! and sending come with the checkout itself. The hash is checked against foundry's `cast` on the same
//! typed data and against the official package's types (`@x402/evm` 2.27: `permit2WitnessTypes`,
//! `uptoPermit2WitnessTypes`; `tests/integration/cast.rs`, `tests/vectors/x402-permit2/`).

use alloy::primitives::{Address, B256, U256, address};
use alloy::sol_types::{Eip712Domain, SolStruct};

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

#[cfg(test)]
mod tests {
    use super::*;

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
