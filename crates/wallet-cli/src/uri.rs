//! `tender uri parse URI`: what a checkout QR code or payment link asks for, exactly.

use clap::Subcommand;
use wallet_core::Result;
use wallet_core::pay::request as payment_request;

use crate::Output;

#[derive(Subcommand)]
pub(crate) enum UriCommand {
    /// Parse an EIP-681 payment request; exit status 1 with the reason when it is refused.
    Parse {
        /// The `ethereum:` link (quote it: it contains `?` and `&`).
        uri: String,
    },
}

pub(crate) fn run(cmd: UriCommand) -> Result<Output> {
    match cmd {
        UriCommand::Parse { uri } => {
            let request = payment_request::parse(&uri)?;
            let json = serde_json::to_value(&request).unwrap_or_default();
            let mut text = String::new();
            let mut line = |k: &str, v: Option<String>| {
                if let Some(v) = v {
                    text.push_str(&format!("{k:<10}{v}\n"));
                }
            };
            line("chain", request.chain_id.map(|c| c.to_string()));
            line("pay to", request.recipient.as_ref().map(ToString::to_string));
            line("token", request.token.as_ref().map(ToString::to_string));
            line("amount", request.amount.map(|a| format!("{a} base units")));
            line("merchant", request.label.clone());
            line("message", request.message.clone());
            line("order", request.order.clone());
            line("expires", request.expires.map(|e| e.to_string()));
            Ok(Output::new(json, text))
        }
    }
}
