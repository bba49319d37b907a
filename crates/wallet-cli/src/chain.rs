//! Commands that talk to a network: `tender balance`.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use serde_json::json;
use wallet_core::balance;
use wallet_core::db::{DB_FILE, Db};
use wallet_core::network::{self, ChainClient, Network, RpcUrl};
use wallet_core::token::{self, Token, format_amount};
use wallet_core::{Error, Result, Wallet, devnet};

use crate::Output;

/// Which network to use.
#[derive(Args, Clone)]
pub(crate) struct NetworkArgs {
    /// A JSON-RPC endpoint (the one `tender devnet` prints, or a provider URL; its token is never shown).
    #[arg(long, env = "TENDER_RPC", hide_env_values = true)]
    rpc: Option<String>,
    /// The chain id the endpoint must serve (default: what it reports, checked against the presets).
    #[arg(long)]
    chain_id: Option<u64>,
    /// A preset network: ethereum, base, polygon, arbitrum, sepolia, base-sepolia.
    #[arg(long, conflicts_with = "rpc")]
    network: Option<String>,
}

/// Which wallet.
#[derive(Args, Clone)]
pub(crate) struct BalanceArgs {
    /// The wallet's data folder.
    #[arg(long, env = "TENDER_DATA_DIR")]
    data_dir: PathBuf,
    #[command(flatten)]
    net: NetworkArgs,
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Io { context: "async runtime".into(), source: e })
}

/// The network the arguments name. With only `--rpc`, the endpoint's own chain id picks the preset
/// (`connect` then checks it again); with `--chain-id`, a different answer is refused.
pub(crate) async fn resolve_network(args: &NetworkArgs) -> Result<Network> {
    if let Some(key) = &args.network {
        return network::preset_by_key(key)
            .ok_or_else(|| Error::InvalidNetwork { reason: format!("unknown network {key:?}") });
    }
    let Some(rpc) = &args.rpc else {
        return Err(Error::InputMissing {
            what: "no network: pass --rpc URL (tender devnet prints one) or --network NAME".into(),
        });
    };
    let chain_id = match args.chain_id {
        Some(id) => id,
        None => {
            let probe = Network::custom(1, "probe", rpc)?;
            let url = probe.rpc_urls[0].clone();
            reported_chain_id(&url).await?
        }
    };
    if chain_id == devnet::CHAIN_ID {
        return Network::devnet(rpc);
    }
    Network::custom(chain_id, "", rpc)
}

async fn reported_chain_id(url: &RpcUrl) -> Result<u64> {
    use alloy::providers::Provider;
    let provider = alloy::providers::RootProvider::<alloy::network::Ethereum>::new_http(url.expose().clone());
    provider
        .get_chain_id()
        .await
        .map_err(|e| Error::RpcUnavailable { detail: network::redact_error(&e.to_string(), url) })
}

/// Tokens shown on `chain_id`: Tender's list (featured first), then the person's own.
pub(crate) fn tokens_for(db: &Db, chain_id: u64) -> Result<Vec<Token>> {
    let mut tokens = token::builtin_tokens(chain_id);
    tokens.extend(db.custom_tokens(chain_id)?);
    Ok(tokens)
}

pub(crate) fn balance(args: BalanceArgs) -> Result<Output> {
    let info = Wallet::read_info(&args.data_dir)?;
    let mut db = Db::open(&args.data_dir.join(DB_FILE))?;
    runtime()?.block_on(async {
        let network = resolve_network(&args.net).await?;
        let client: std::result::Result<ChainClient, Error> = match network::connect(&network).await {
            Err(e @ Error::ChainIdMismatch { .. }) => return Err(e),
            other => other,
        };
        let tokens = tokens_for(&db, network.chain_id)?;
        let addresses: Vec<_> = info.accounts.iter().map(|a| a.address).collect();
        let token_addresses: Vec<_> = tokens.iter().map(|t| t.address).collect();
        let refresh = balance::refresh(client.as_ref(), network.chain_id, &mut db, &addresses, &token_addresses, now()).await?;
        let mut text = format!("{} (chain {})", network.name, network.chain_id);
        if let Some(e) = &refresh.error {
            text.push_str(&format!("\noffline: {e}"));
        }
        let mut accounts = Vec::new();
        for account in &info.accounts {
            text.push_str(&format!("\n{}  {}", account.label, account.address.to_checksum(None)));
            let mut rows = Vec::new();
            let mut show = |symbol: &str, token: Option<&Token>, decimals: u8| {
                let cached = refresh
                    .balances
                    .iter()
                    .find(|b| b.account == account.address && b.token == token.map(|t| t.address));
                if let Some(b) = cached {
                    let display = format_amount(b.amount, decimals);
                    let unverified = if token.is_some_and(|t| !t.verified) { " (unverified)" } else { "" };
                    text.push_str(&format!("\n  {display:>24} {symbol}{unverified}"));
                    rows.push(json!({
                        "symbol": symbol, "token": token.map(|t| t.address.to_checksum(None)), "decimals": decimals,
                        "amount": b.amount.to_string(), "display": display, "verified": token.is_none_or(|t| t.verified),
                        "block_number": b.block_number, "fetched_at": b.fetched_at,
                    }));
                }
            };
            for t in tokens.iter().filter(|t| t.featured) {
                show(&t.symbol, Some(t), t.decimals);
            }
            show(&network.native.symbol, None, network.native.decimals);
            for t in tokens.iter().filter(|t| !t.featured) {
                show(&t.symbol, Some(t), t.decimals);
            }
            accounts.push(json!({ "index": account.index, "label": account.label, "address": account.address.to_checksum(None), "balances": rows }));
        }
        let json = json!({
            "chain_id": network.chain_id, "network": network.name, "live": refresh.live, "requests": refresh.requests,
            "error": refresh.error_code.map(|code| json!({ "code": code, "message": refresh.error })), "accounts": accounts,
        });
        Ok(Output::new(json, text))
    })
}
