//! Signing with an account key, entirely through alloy: EIP-1559 and legacy EIP-155 transactions,
//! EIP-191 personal messages and EIP-712 typed data.
//!
//! An account's signer is alloy's own k256 [`PrivateKeySigner`], so everything in alloy that takes a
//! `Signer`, `SignerSync`, `TxSigner` or `TxSignerSync` (providers, wallets, fillers) takes it too.

use alloy::consensus::{SignableTransaction, TxEip1559, TxEnvelope, TxLegacy};
use alloy::dyn_abi::TypedData;
use alloy::eips::eip2718::Encodable2718;
use alloy::network::TxSignerSync;
use alloy::primitives::{Address, B256, Bytes, Signature, TxKind, U256};
use alloy::signers::SignerSync;
pub use alloy::signers::local::PrivateKeySigner;

use crate::error::{Error, Result};
use crate::keys::derivation::{DerivationPath, derive_signing_key};
use crate::secret::Seed;

/// The alloy signer for the key at `path` below `seed`.
///
/// # Security
/// The signer holds the private key (zeroized when it is dropped). Derive one per operation and
/// drop it; never keep it in long-lived state.
pub fn signer_at(seed: &Seed, path: &DerivationPath) -> Result<PrivateKeySigner> {
    Ok(PrivateKeySigner::from_signing_key(derive_signing_key(seed, path)?))
}

/// Signs `message` as an EIP-191 personal message (`"\x19Ethereum Signed Message:\n" + len + message`).
pub fn sign_message(signer: &PrivateKeySigner, message: &[u8]) -> Result<Signature> {
    Ok(signer.sign_message_sync(message)?)
}

/// Parses EIP-712 typed data in the JSON form of `eth_signTypedData_v4`.
pub fn parse_typed_data(json: &str) -> Result<TypedData> {
    let data: TypedData = serde_json::from_str(json).map_err(|e| Error::InvalidTypedData { reason: e.to_string() })?;
    // Hash once here so that a type error is reported as bad input rather than a signing failure.
    data.eip712_signing_hash().map_err(|e| Error::InvalidTypedData { reason: e.to_string() })?;
    Ok(data)
}

/// Signs EIP-712 typed data.
pub fn sign_typed_data(signer: &PrivateKeySigner, data: &TypedData) -> Result<Signature> {
    Ok(signer.sign_dynamic_typed_data_sync(data)?)
}

/// An unsigned transaction as a program describes it (JSON field names as in `eth_sendTransaction`).
///
/// With `maxFeePerGas` it is an EIP-1559 transaction; with `gasPrice` a legacy one, replay-protected
/// by EIP-155. Amounts are integers in wei (decimal or `0x` hex strings).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TxRequest {
    /// The chain the transaction is valid on (never 0).
    #[serde(deserialize_with = "quantity")]
    pub chain_id: u64,
    /// The sender's nonce.
    #[serde(deserialize_with = "quantity")]
    pub nonce: u64,
    /// The recipient; absent for a contract creation.
    #[serde(default)]
    pub to: Option<Address>,
    /// Wei to send.
    #[serde(default)]
    pub value: U256,
    /// Gas limit.
    #[serde(deserialize_with = "quantity", alias = "gasLimit")]
    pub gas: u64,
    /// EIP-1559 fee cap, wei per gas.
    #[serde(default)]
    pub max_fee_per_gas: Option<U256>,
    /// EIP-1559 tip cap, wei per gas.
    #[serde(default)]
    pub max_priority_fee_per_gas: Option<U256>,
    /// Legacy gas price, wei per gas.
    #[serde(default)]
    pub gas_price: Option<U256>,
    /// Call data.
    #[serde(default, alias = "data")]
    pub input: Bytes,
}

/// A `u64` written as a JSON number, a decimal string, or a `0x` hex string (JSON-RPC's form).
fn quantity<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<u64, D::Error> {
    use serde::de::Error as _;
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Q {
        Number(u64),
        Text(String),
    }
    match <Q as serde::Deserialize>::deserialize(d)? {
        Q::Number(n) => Ok(n),
        Q::Text(t) => {
            let parsed = match t.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => t.parse(),
            };
            parsed.map_err(|_| D::Error::custom(format!("{t:?} is not a 64-bit quantity")))
        }
    }
}

/// A signed transaction, ready for `eth_sendRawTransaction`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignedTx {
    /// The EIP-2718 encoding.
    pub raw: Bytes,
    /// The transaction hash.
    pub hash: B256,
    /// The sender (EIP-55 in JSON).
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub from: Address,
}

fn to_u128(value: U256, field: &str) -> Result<u128> {
    u128::try_from(value).map_err(|_| Error::InvalidTransaction { reason: format!("{field} does not fit in 128 bits") })
}

/// Builds the alloy transaction that `request` describes, checking it is consistent.
pub fn build_transaction(request: &TxRequest) -> Result<TxTyped> {
    let invalid = |reason: &str| Error::InvalidTransaction { reason: reason.to_owned() };
    if request.chain_id == 0 {
        return Err(invalid("chainId must not be 0"));
    }
    let to = request.to.map_or(TxKind::Create, TxKind::Call);
    match (request.gas_price, request.max_fee_per_gas) {
        (Some(_), Some(_)) => Err(invalid("give either gasPrice (legacy) or maxFeePerGas (EIP-1559), not both")),
        (None, None) => Err(invalid("a fee is needed: maxFeePerGas (EIP-1559) or gasPrice (legacy)")),
        (Some(price), None) => {
            if request.max_priority_fee_per_gas.is_some() {
                return Err(invalid("maxPriorityFeePerGas belongs to EIP-1559 transactions, not gasPrice ones"));
            }
            Ok(TxTyped::Legacy(TxLegacy {
                chain_id: Some(request.chain_id),
                nonce: request.nonce,
                gas_price: to_u128(price, "gasPrice")?,
                gas_limit: request.gas,
                to,
                value: request.value,
                input: request.input.clone(),
            }))
        }
        (None, Some(max_fee)) => {
            let max_fee = to_u128(max_fee, "maxFeePerGas")?;
            let tip = to_u128(request.max_priority_fee_per_gas.unwrap_or_default(), "maxPriorityFeePerGas")?;
            if tip > max_fee {
                return Err(invalid("maxPriorityFeePerGas must not exceed maxFeePerGas"));
            }
            Ok(TxTyped::Eip1559(TxEip1559 {
                chain_id: request.chain_id,
                nonce: request.nonce,
                gas_limit: request.gas,
                max_fee_per_gas: max_fee,
                max_priority_fee_per_gas: tip,
                to,
                value: request.value,
                access_list: Default::default(),
                input: request.input.clone(),
            }))
        }
    }
}

/// An unsigned transaction of one of the kinds Tender signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxTyped {
    /// Legacy with EIP-155 replay protection.
    Legacy(TxLegacy),
    /// EIP-1559 (type 2).
    Eip1559(TxEip1559),
}

/// Signs an unsigned transaction and encodes it.
pub fn sign_transaction(signer: &PrivateKeySigner, tx: TxTyped) -> Result<SignedTx> {
    let envelope: TxEnvelope = match tx {
        TxTyped::Legacy(mut tx) => {
            let sig = signer.sign_transaction_sync(&mut tx)?;
            tx.into_signed(sig).into()
        }
        TxTyped::Eip1559(mut tx) => {
            let sig = signer.sign_transaction_sync(&mut tx)?;
            tx.into_signed(sig).into()
        }
    };
    Ok(SignedTx { raw: envelope.encoded_2718().into(), hash: *envelope.tx_hash(), from: signer.address() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev_signer() -> PrivateKeySigner {
        // Anvil's account #0 (the public dev key of "test … junk").
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80".parse().expect("key")
    }

    #[test]
    fn rejects_inconsistent_requests() {
        let base = TxRequest {
            chain_id: 1,
            nonce: 0,
            to: None,
            value: U256::ZERO,
            gas: 21_000,
            max_fee_per_gas: None,
            max_priority_fee_per_gas: None,
            gas_price: None,
            input: Bytes::new(),
        };
        let cases = [
            TxRequest { gas_price: Some(U256::from(1)), max_fee_per_gas: Some(U256::from(1)), ..base.clone() },
            base.clone(),
            TxRequest { chain_id: 0, gas_price: Some(U256::from(1)), ..base.clone() },
            TxRequest {
                max_fee_per_gas: Some(U256::from(1)),
                max_priority_fee_per_gas: Some(U256::from(2)),
                ..base.clone()
            },
            TxRequest { max_fee_per_gas: Some(U256::MAX), ..base.clone() },
        ];
        for (i, case) in cases.iter().enumerate() {
            assert!(matches!(build_transaction(case), Err(Error::InvalidTransaction { .. })), "case {i}");
        }
    }

    #[test]
    fn signed_transaction_recovers_to_the_signer() {
        use alloy::consensus::transaction::SignerRecoverable;
        use alloy::eips::eip2718::Decodable2718;
        let signer = dev_signer();
        let req: TxRequest = serde_json::from_str(
            r#"{"chainId":31337,"nonce":5,"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":"1000000000000000000","gas":21000,"maxFeePerGas":"0x3b9aca00","maxPriorityFeePerGas":"1000000"}"#,
        )
        .expect("json");
        let signed = sign_transaction(&signer, build_transaction(&req).expect("tx")).expect("sign");
        let decoded = TxEnvelope::decode_2718(&mut signed.raw.as_ref()).expect("decode");
        assert_eq!(decoded.recover_signer().expect("recover"), signer.address());
        assert_eq!(*decoded.tx_hash(), signed.hash);
        assert!(decoded.is_eip1559());
    }
}
