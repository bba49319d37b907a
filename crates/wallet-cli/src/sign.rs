//! `tender sign message|typed-data|tx`.

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
        SignCommand::TypedData { at, index, file } => {
            let data = parse_typed_data(&read(&file)?)?;
            let digest = data.eip712_signing_hash().map_err(|e| Error::InvalidTypedData { reason: e.to_string() })?;
            let w = unlocked(&at)?;
            let sig = hex::encode_prefixed(w.sign_typed_data(index, &data)?.as_bytes());
            let address = w.signer(index)?.address().to_checksum(None);
            Ok(Output::new(json!({ "address": address, "digest": digest, "signature": sig }), sig))
        }
        SignCommand::Tx { at, index, file } => {
            let request: TxRequest =
                serde_json::from_str(&read(&file)?).map_err(|e| Error::InvalidTransaction { reason: e.to_string() })?;
            let w = unlocked(&at)?;
            let signed = w.sign_transaction(index, &request)?;
            let text = hex::encode_prefixed(&signed.raw);
            Ok(Output::new(json!(signed), text))
        }
    }
}
