//! `tender sign message|typed-data|tx`. Typed data and transactions are shown decoded first (the
//! domain and message; the chain, recipient, value, fees and a token call in words); only `--yes`
//! signs what was shown.

use std::path::PathBuf;

use alloy::hex;
use clap::Subcommand;
use serde_json::json;
use wallet_core::keys::signer::{TxRequest, parse_typed_data};
use wallet_core::{Error, Result, Wallet};

use crate::input::{self, PASSWORD_ENV};
use crate::{Output, WalletLocation};

#[derive(Subcommand)]
pub(crate) enum SignCommand {
    /// Sign an EIP-191 personal message; prints the 65-byte signature.
    Message {
        #[command(flatten)]
        at: WalletLocation,
        /// Account index.
        #[arg(long, default_value_t = 0)]
        index: u32,
        /// Treat TEXT as 0x-hex bytes.
        #[arg(long)]
        hex: bool,
        /// The message.
        text: String,
    },
    /// Sign EIP-712 typed data (the JSON of eth_signTypedData_v4; `-` for standard input).
    TypedData {
        #[command(flatten)]
        at: WalletLocation,
        /// Account index.
        #[arg(long, default_value_t = 0)]
        index: u32,
        /// Sign it: without this, it is only shown, decoded.
        #[arg(long)]
        yes: bool,
        /// The JSON file.
        file: PathBuf,
    },
    /// Sign a transaction (JSON: chainId, nonce, to, value, gas, maxFeePerGas/maxPriorityFeePerGas or gasPrice, data).
    Tx {
        #[command(flatten)]
        at: WalletLocation,
        /// Account index.
        #[arg(long, default_value_t = 0)]
        index: u32,
        /// Sign it: without this, it is only shown, decoded.
        #[arg(long)]
        yes: bool,
        /// The JSON file (`-` for standard input).
        file: PathBuf,
    },
}

fn read(file: &PathBuf) -> Result<String> {
    let result =
        if file.as_os_str() == "-" { std::io::read_to_string(std::io::stdin()) } else { std::fs::read_to_string(file) };
    result.map_err(|e| Error::Io { context: format!("cannot read {}", file.display()), source: e })
}

fn unlocked(at: &WalletLocation) -> Result<Wallet> {
    let mut w = at.open()?;
    w.unlock(&input::password(PASSWORD_ENV, "Wallet password: ", false)?)?;
    Ok(w)
}

pub(crate) fn run(cmd: SignCommand) -> Result<Output> {
    match cmd {
        SignCommand::Message { at, index, hex: is_hex, text } => {
            let bytes = if is_hex {
                hex::decode(&text)
                    .map_err(|e| Error::InvalidTransaction { reason: format!("message is not hex: {e}") })?
            } else {
                text.into_bytes()
            };
            let w = unlocked(&at)?;
            let sig = hex::encode_prefixed(w.sign_message(index, &bytes)?.as_bytes());
            let address = w.signer(index)?.address().to_checksum(None);
            Ok(Output::new(json!({ "address": address, "signature": sig }), sig))
        }
        SignCommand::TypedData { at, index, yes, file } => {
            let data = parse_typed_data(&read(&file)?)?;
            let digest = data.eip712_signing_hash().map_err(|e| Error::InvalidTypedData { reason: e.to_string() })?;
            if !yes {
                let (shown, text) = typed_data_preview(&data, &digest.to_string());
                return Ok(Output::new(json!({ "signed": false, "shown": shown }), text));
            }
            let w = unlocked(&at)?;
            let sig = hex::encode_prefixed(w.sign_typed_data(index, &data)?.as_bytes());
            let address = w.signer(index)?.address().to_checksum(None);
            Ok(Output::new(json!({ "address": address, "digest": digest, "signature": sig }), sig))
        }
        SignCommand::Tx { at, index, yes, file } => {
            let request: TxRequest =
                serde_json::from_str(&read(&file)?).map_err(|e| Error::InvalidTransaction { reason: e.to_string() })?;
            if !yes {
                let (shown, text) = tx_preview(&request);
                return Ok(Output::new(json!({ "signed": false, "shown": shown }), text));
            }
            let w = unlocked(&at)?;
            let signed = w.sign_transaction(index, &request)?;
            let text = hex::encode_prefixed(&signed.raw);
            Ok(Output::new(json!(signed), text))
        }
    }
}

alloy::sol! {
    /// ERC-20's `approve`, to say an approval in words.
    interface Erc20Approve {
        function approve(address spender, uint256 value) external returns (bool);
    }
}

/// Typed data as shown before it is signed: its domain, its primary type and message, its digest.
fn typed_data_preview(data: &alloy::dyn_abi::TypedData, digest: &str) -> (serde_json::Value, String) {
    let d = &data.domain;
    let domain = json!({
        "name": d.name, "version": d.version, "chain_id": d.chain_id.map(|c| c.to_string()),
        "verifying_contract": d.verifying_contract.map(|a| a.to_checksum(None)),
    });
    let message = serde_json::to_string_pretty(&data.message).unwrap_or_default();
    let text = format!(
        "Typed data (EIP-712), not signed: add --yes to sign it.\n  domain: {} version {} on chain {} at {}\n  {}: {}\n  digest: {digest}",
        d.name.as_deref().unwrap_or("-"),
        d.version.as_deref().unwrap_or("-"),
        d.chain_id.map_or("-".to_owned(), |c| c.to_string()),
        d.verifying_contract.map_or("-".to_owned(), |a| a.to_checksum(None)),
        data.primary_type,
        message.replace('\n', "\n  "),
    );
    (json!({ "domain": domain, "primary_type": data.primary_type, "message": data.message, "digest": digest }), text)
}

/// A transaction as shown before it is signed: chain, nonce, recipient, value, gas and fees, and its
/// call in words when it is an ERC-20 `transfer` or `approve`.
fn tx_preview(tx: &TxRequest) -> (serde_json::Value, String) {
    use alloy::sol_types::SolCall;
    use wallet_core::chain::token::{IERC20Metadata, format_amount};
    let call = if tx.input.is_empty() {
        "none (a plain transfer)".to_owned()
    } else if let Ok(t) = IERC20Metadata::transferCall::abi_decode(&tx.input) {
        format!("token transfer of {} base units to {}", t.value, t.to.to_checksum(None))
    } else if let Ok(a) = Erc20Approve::approveCall::abi_decode(&tx.input) {
        format!("token approval: {} may spend {} base units", a.spender.to_checksum(None), a.value)
    } else {
        format!("{} bytes, function {}", tx.input.len(), hex::encode_prefixed(&tx.input[..tx.input.len().min(4)]))
    };
    let fee =
        |v: Option<alloy::primitives::U256>| v.map_or("-".to_owned(), |v| format!("{} gwei", format_amount(v, 9)));
    let to = tx.to.map_or("(creates a contract)".to_owned(), |a| a.to_checksum(None));
    let text = format!(
        "Transaction, not signed: add --yes to sign it.\n  chain {}, nonce {}\n  to: {to}\n  value: {} (native currency)\n  call: {call}\n  gas: {}, max fee per gas: {}, tip: {}, gas price: {}",
        tx.chain_id,
        tx.nonce,
        format_amount(tx.value, 18),
        tx.gas,
        fee(tx.max_fee_per_gas),
        fee(tx.max_priority_fee_per_gas),
        fee(tx.gas_price),
    );
    (json!({ "tx": tx, "call": call }), text)
}
