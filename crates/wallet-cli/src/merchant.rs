//! `tender merchant`: the demo merchant's checkout page on localhost (see `tender_devtools::shop`),
//! for the demo and the end-to-end tests. Prints one JSON line (`url`, `chain_id`), then serves.

use alloy::primitives::Address;
use alloy::primitives::utils::parse_units;
use clap::Args;
use serde_json::json;
use tender_devtools::gateway::Gateway;
use tender_devtools::shop::{self, ShopConfig};
use wallet_core::chain::network;
use wallet_core::chain::token::builtin_tokens;
use wallet_core::{Error, Result};

#[derive(Args)]
pub(crate) struct MerchantArgs {
    #[command(flatten)]
    net: crate::chain::NetworkArgs,
    /// A wallet data folder whose saved network to use (when no --rpc or --network is given).
    #[arg(long, env = "TENDER_DATA_DIR")]
    data_dir: Option<std::path::PathBuf>,
    /// Loopback port (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The shop's name.
    #[arg(long, default_value = "Corner Shop")]
    label: String,
    /// Each order's amount, in the token's units.
    #[arg(long, default_value = "12.5")]
    amount: String,
    /// The token asked for (default: the network's featured store token).
    #[arg(long)]
    token: Option<String>,
    /// The gasless checkout's facilitator key (hex, funded with ether for the fees; on the dev chain,
    /// its public dev key by default). The official x402 packages then serve each order's link.
    #[arg(long, env = "TENDER_FACILITATOR_KEY", hide_env_values = true)]
    facilitator_key: Option<String>,
    /// Serve only the on-chain (EIP-681) request, no gasless checkout.
    #[arg(long)]
    no_gasless: bool,
}

fn io(e: std::io::Error) -> Error {
    Error::Io { context: "merchant page".into(), source: e }
}

pub(crate) fn run(args: MerchantArgs) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(io)?;
    runtime.block_on(async {
        let network = crate::chain::resolve_network(&args.net, args.data_dir.as_deref()).await?;
        let client = network::connect(&network).await?;
        let tokens = builtin_tokens(network.chain_id);
        let token = match &args.token {
            Some(t) => {
                let address: Address = wallet_core::keys::address::parse_address(t)?;
                wallet_core::chain::token::read_token(&client, address).await?
            }
            None => tokens.iter().find(|t| t.featured).or(tokens.first()).cloned().ok_or_else(|| {
                Error::InputMissing { what: "this network has no store token: pass --token ADDRESS".into() }
            })?,
        };
        let amount = parse_units(&args.amount, token.decimals)
            .map_err(|e| Error::InputMissing { what: format!("--amount {:?}: {e}", args.amount) })?
            .into();
        let (listener, url) = shop::bind(args.port).await?;
        let key = match (&args.facilitator_key, network.chain_id) {
            _ if args.no_gasless => None,
            (Some(k), _) => Some(k.trim().to_owned()),
            (None, tender_devtools::devnet::CHAIN_ID) => Some(tender_devtools::devnet::FACILITATOR_KEY.to_owned()),
            (None, _) => None,
        };
        let gateway = match key {
            Some(key) => {
                let description = format!("Your order at {}", args.label);
                let rpc = network.rpc_urls.first().map(|u| u.expose().to_string()).unwrap_or_default();
                Some(Gateway::start(&rpc, &url, &key, &description)?)
            }
            None => None,
        };
        let gasless = gateway.as_ref().map(|g| g.url.clone());
        println!("{}", json!({ "url": url, "chain_id": network.chain_id, "gasless_url": gasless }));
        use std::io::Write;
        std::io::stdout().flush().map_err(io)?;
        // On the dev chain the shop mints a receipt NFT for each paid order, so a newcomer sees one arrive.
        let receipts = if network.chain_id == tender_devtools::devnet::CHAIN_ID {
            Some(shop::Receipts {
                collection: tender_devtools::devnet::STORE_CARDS,
                minter: tender_devtools::devnet::receipt_minter()?,
            })
        } else {
            None
        };
        let served =
            shop::serve(listener, client, ShopConfig { label: args.label, token, amount, gasless, receipts }).await;
        drop(gateway);
        served
    })
}
