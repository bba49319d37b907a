//! Commands that talk to a network: `tender balance`.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use serde_json::json;
use wallet_core::balance;
use wallet_core::db::{DB_FILE, Db};
use wallet_core::network::{self, ChainClient, Network};
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

/// Discovers the used accounts of `seed` on the network `net` names. Returns the discovery, or a
/// notice saying why it was skipped (no network given, network unreachable).
pub(crate) fn discover(
    net: &NetworkArgs,
    seed: &wallet_core::Seed,
) -> Result<(Option<wallet_core::discovery::Discovery>, Option<String>)> {
    if net.rpc.is_none() && net.network.is_none() {
        return Ok((None, Some("account discovery skipped: no network given (--rpc or --network)".into())));
    }
    runtime()?.block_on(async {
        let network = resolve_network(net, None).await;
        let client = match network {
            Ok(n) => network::connect(&n).await,
            Err(e) => Err(e),
        };
        let client = match client {
            Ok(c) => c,
            Err(e @ Error::ChainIdMismatch { .. }) => return Err(e),
            Err(e) => return Ok((None, Some(format!("account discovery skipped: {e}")))),
        };
        let tokens: Vec<_> = token::builtin_tokens(client.network.chain_id).iter().map(|t| t.address).collect();
        let found = wallet_core::discovery::discover(
            &client,
            seed,
            wallet_core::derivation::AccountScheme::Bip44,
            &tokens,
            1000,
            |_, _| {},
        )
        .await?;
        Ok((Some(found), None))
    })
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

/// The network the arguments name, else the one saved in `data_dir` (`tender network set`). With
/// only `--rpc`, the endpoint's own chain id picks the preset (`connect` then checks it again); with
/// `--chain-id`, a different answer is refused.
pub(crate) async fn resolve_network(args: &NetworkArgs, data_dir: Option<&std::path::Path>) -> Result<Network> {
    choice(args, data_dir).await?.to_network()
}

/// The choice the arguments (or the saved settings) make.
pub(crate) async fn choice(args: &NetworkArgs, data_dir: Option<&std::path::Path>) -> Result<network::NetworkChoice> {
    use network::NetworkChoice;
    if let Some(key) = &args.network {
        let choice = NetworkChoice::Preset { key: key.clone() };
        choice.to_network()?;
        return Ok(choice);
    }
    let Some(rpc) = &args.rpc else {
        if let Some(saved) = data_dir.map(NetworkChoice::load).transpose()?.flatten() {
            return Ok(saved);
        }
        return Err(Error::InputMissing {
            what: "no network: pass --rpc URL (tender devnet prints one) or --network NAME, or save one with tender network set".into(),
        });
    };
    let chain_id = match args.chain_id {
        Some(id) => id,
        None => {
            let probe = Network::custom(1, "probe", rpc)?;
            let url = probe.rpc_urls[0].clone();
            network::reported_chain_id(&url).await?
        }
    };
    if chain_id == devnet::CHAIN_ID {
        return Ok(NetworkChoice::Devnet { rpc_url: rpc.clone() });
    }
    Ok(NetworkChoice::Custom { chain_id, rpc_url: rpc.clone() })
}

/// Tokens shown on `chain_id`: Tender's list (featured first), then the person's own.
pub(crate) fn tokens_for(db: &Db, chain_id: u64) -> Result<Vec<Token>> {
    token::known_tokens(db, chain_id)
}

pub(crate) fn balance(args: BalanceArgs) -> Result<Output> {
    let info = Wallet::read_info(&args.data_dir)?;
    let mut db = Db::open(&args.data_dir.join(DB_FILE))?;
    runtime()?.block_on(async {
        let network = resolve_network(&args.net, Some(&args.data_dir)).await?;
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

/// `tender pay`.
#[derive(Args, Clone)]
pub(crate) struct PayArgs {
    /// The payment request (`ethereum:` link or QR payload; quote it).
    uri: String,
    #[command(flatten)]
    at: crate::WalletLocation,
    #[command(flatten)]
    net: NetworkArgs,
    /// The paying account.
    #[arg(long, default_value_t = 0)]
    index: u32,
    /// Pay. Needs --quote (the quote an earlier run printed) or --max-fee. Without it, the quote is
    /// printed (and kept for a short while, to be paid with --quote).
    #[arg(long)]
    yes: bool,
    /// With --yes: pay exactly the quote an earlier run printed (its digest, or its first 16 hex digits).
    #[arg(long, conflicts_with = "max_fee")]
    quote: Option<String>,
    /// With --yes: pay a fresh quote only if its network fee is at most this, in the network's
    /// currency (for example 0.001).
    #[arg(long)]
    max_fee: Option<String>,
    /// Pay even though this request was already paid from this account recently.
    #[arg(long)]
    allow_duplicate: bool,
}

fn quote_text(q: &wallet_core::payment::Quote) -> String {
    let mut t = String::new();
    if let Some(m) = &q.merchant {
        t.push_str(&format!("merchant   {m}\n"));
    }
    if let Some(o) = &q.order {
        t.push_str(&format!("order      {o}\n"));
    }
    t.push_str(&format!("pay to     {}\n", q.payee.to_checksum(None)));
    t.push_str(&format!("amount     {} {}", q.amount_display, q.symbol));
    if let Some(tok) = &q.token {
        t.push_str(&format!("  (token {}, {} decimals)", tok.address.to_checksum(None), tok.decimals));
    }
    t.push_str(&format!("\nnetwork    {} (chain {})\n", q.network, q.chain_id));
    t.push_str(&format!("max fee    {} {}\n", q.max_network_fee_display, q.native_symbol));
    t.push_str(&format!("quote      {}  (valid until {})\n", short_digest(q), q.expires_at));
    for w in &q.warnings {
        t.push_str(&format!("warning    {}\n", serde_json::to_string(w).unwrap_or_default()));
    }
    t
}

/// The part of a quote's digest the person types back (64 bits: no collision among kept quotes).
fn short_digest(q: &wallet_core::payment::Quote) -> String {
    q.digest.to_string()[2..18].to_owned()
}

pub(crate) fn pay(args: PayArgs) -> Result<Output> {
    let request = wallet_core::payment_request::parse(&args.uri)?;
    let mut wallet = args.at.open()?;
    let from = wallet
        .info()
        .accounts
        .iter()
        .find(|a| a.index == args.index)
        .map(|a| a.address)
        .ok_or(Error::UnknownAccount { index: args.index })?;
    let mut db = Db::open(&args.at.data_dir.join(DB_FILE))?;
    runtime()?.block_on(async {
        let network = resolve_network(&args.net, Some(&args.at.data_dir)).await?;
        let client = network::connect(&network).await?;
        let tokens = tokens_for(&db, network.chain_id)?;
        let quote = match (&args.quote, args.yes) {
            (Some(digest), true) => {
                // Exactly what an earlier run showed, for exactly this request and account.
                let stored = db.quote(digest)?.ok_or(Error::QuoteExpired)?;
                // The amount is the request's own; only an open-amount request takes the quote's.
                let canonical = wallet_core::payment_request::PaymentRequest {
                    chain_id: Some(network.chain_id),
                    amount: request.amount.or(Some(stored.amount)),
                    ..request.clone()
                };
                if stored.request_uri != canonical.to_uri() || stored.from != from || stored.chain_id != network.chain_id {
                    return Err(Error::QuoteMismatch);
                }
                stored
            }
            _ => wallet_core::payment::quote(&client, &db, from, &request, None, &tokens).await?,
        };
        let mut text = quote_text(&quote);
        if !args.yes {
            db.save_quote(&quote, now())?;
            text.push_str(&format!(
                "\nNot paid. To pay exactly this, run again with --yes --quote {} (within {} s).",
                short_digest(&quote),
                quote.expires_at.saturating_sub(now())
            ));
            return Ok(Output::new(json!({ "quote": quote, "paid": false }), text));
        }
        if args.quote.is_none() {
            let Some(limit) = &args.max_fee else {
                return Err(Error::ConfirmationRequired {
                    what: "--yes pays only a quote you saw (--quote DIGEST, printed by a run without --yes) or within a fee you set (--max-fee AMOUNT)".into(),
                });
            };
            let decimals = network.native.decimals;
            let limit_units: alloy::primitives::U256 = alloy::primitives::utils::parse_units(limit.trim(), decimals)
                .map_err(|_| Error::InputMissing { what: format!("--max-fee {limit:?} is not an amount of {}", network.native.symbol) })?
                .into();
            if quote.max_network_fee > limit_units {
                return Err(Error::ConfirmationRequired {
                    what: format!(
                        "the network fee could be up to {} {}, more than --max-fee {limit}: not paid",
                        quote.max_network_fee_display, network.native.symbol
                    ),
                });
            }
        }
        wallet.unlock(&crate::input::password(crate::input::PASSWORD_ENV, "Wallet password: ", false)?)?;
        let tracking = wallet_core::payment::Tracking::default();
        let record = wallet_core::payment::pay(&client, &mut db, &wallet, args.index, &quote, args.allow_duplicate, tracking).await;
        wallet.lock();
        let record = record?;
        let link = network.explorer_tx_url(&record.tx_hash);
        text.push_str(&format!("\n{}: {}", wallet_core::payment::describe(&record), record.tx_hash));
        if let Some(l) = &link {
            text.push_str(&format!("\n{l}"));
        }
        if let Some(e) = &record.error {
            text.push_str(&format!("\n{e}"));
        }
        Ok(Output::new(json!({ "quote": quote, "paid": record.status == wallet_core::db::PaymentStatus::Confirmed, "payment": record, "explorer": link }), text))
    })
}

/// `tender history`.
#[derive(Args, Clone)]
pub(crate) struct HistoryArgs {
    /// The wallet's data folder.
    #[arg(long, env = "TENDER_DATA_DIR")]
    data_dir: PathBuf,
    #[command(flatten)]
    net: NetworkArgs,
    /// Send this stored, unsent payment again (its very same signed bytes), before its request
    /// expires. Reading the history never sends anything by itself.
    #[arg(long, value_name = "TX_HASH")]
    resend: Option<String>,
}

pub(crate) fn history(args: HistoryArgs) -> Result<Output> {
    let info = Wallet::read_info(&args.data_dir)?;
    let mut db = Db::open(&args.data_dir.join(DB_FILE))?;
    runtime()?.block_on(async {
        let network = resolve_network(&args.net, Some(&args.data_dir)).await?;
        if let Some(hash) = &args.resend {
            let hash: alloy::primitives::B256 =
                hash.trim().parse().map_err(|_| Error::InputMissing { what: format!("{hash:?} is not a transaction hash") })?;
            let client = network::connect(&network).await?;
            client.check_chain().await?;
            wallet_core::payment::retry(&client, &mut db, &hash, wallet_core::payment::Tracking::default()).await?;
        }
        // Unfinished payments are checked against the chain (reading only: nothing is sent).
        let notice = match network::connect(&network).await {
            Ok(client) => {
                let addresses: Vec<_> = info.accounts.iter().map(|a| a.address).collect();
                let tokens: Vec<_> = tokens_for(&db, network.chain_id)?.iter().map(|t| t.address).collect();
                wallet_core::history::catch_up(&client, &mut db, &addresses, &tokens).await
            }
            Err(e @ Error::ChainIdMismatch { .. }) => return Err(e),
            Err(e) => Some(e.to_string()),
        };
        let mut rows = Vec::new();
        let mut text = String::new();
        if let Some(n) = &notice {
            text.push_str(&format!("offline: {n}\n"));
        }
        for account in &info.accounts {
            for p in db.payments(network.chain_id, account.address)? {
                text.push_str(&format!(
                    "{}  sent {} base units to {}  {}  {}\n",
                    p.created_at,
                    p.amount,
                    p.payee.to_checksum(None),
                    wallet_core::payment::describe(&p),
                    p.tx_hash
                ));
                rows.push(json!({ "direction": "out", "account_index": account.index, "payment": p, "explorer": network.explorer_tx_url(&p.tx_hash) }));
            }
            for r in db.received(network.chain_id, account.address)? {
                text.push_str(&format!(
                    "block {}  received {} base units of {} from {}  {}\n",
                    r.block_number,
                    r.amount,
                    r.token.map_or(network.native.symbol.clone(), |t| t.to_checksum(None)),
                    r.from.to_checksum(None),
                    r.tx_hash
                ));
                rows.push(json!({ "direction": "in", "account_index": account.index, "received": r, "explorer": network.explorer_tx_url(&r.tx_hash) }));
            }
        }
        Ok(Output::new(json!({ "chain_id": network.chain_id, "notice": notice, "items": rows }), text))
    })
}

/// `tender network set|show`.
#[derive(clap::Subcommand)]
pub(crate) enum NetworkCommand {
    /// Save the network this wallet uses (checked by connecting once).
    Set {
        /// The wallet's data folder.
        #[arg(long, env = "TENDER_DATA_DIR")]
        data_dir: PathBuf,
        #[command(flatten)]
        net: NetworkArgs,
    },
    /// Show the saved network (endpoint credentials hidden).
    Show {
        /// The wallet's data folder.
        #[arg(long, env = "TENDER_DATA_DIR")]
        data_dir: PathBuf,
    },
}

pub(crate) fn network_command(cmd: NetworkCommand) -> Result<Output> {
    let describe = |n: &Network| {
        let urls: Vec<String> = n.rpc_urls.iter().map(ToString::to_string).collect();
        (
            json!({ "key": n.key, "name": n.name, "chain_id": n.chain_id, "rpc_urls": urls }),
            format!("{} (chain {}) via {}", n.name, n.chain_id, urls.join(", ")),
        )
    };
    match cmd {
        NetworkCommand::Set { data_dir, net } => runtime()?.block_on(async {
            if net.rpc.is_none() && net.network.is_none() {
                return Err(Error::InputMissing { what: "pass --rpc URL or --network NAME".into() });
            }
            let choice = choice(&net, None).await?;
            let network = choice.to_network()?;
            network::connect(&network).await?;
            std::fs::create_dir_all(&data_dir)
                .map_err(|e| Error::Io { context: format!("cannot create {}", data_dir.display()), source: e })?;
            choice.save(&data_dir)?;
            let (j, t) = describe(&network);
            Ok(Output::new(json!({ "network": j }), format!("saved: {t}")))
        }),
        NetworkCommand::Show { data_dir } => {
            let choice = network::NetworkChoice::load(&data_dir)?
                .ok_or_else(|| Error::InputMissing { what: "no network saved: tender network set --rpc URL".into() })?;
            let (j, t) = describe(&choice.to_network()?);
            Ok(Output::new(json!({ "network": j }), t))
        }
    }
}

/// `tender token add`.
#[derive(Args, Clone)]
pub(crate) struct TokenAddArgs {
    /// The token contract.
    address: String,
    /// The wallet's data folder.
    #[arg(long, env = "TENDER_DATA_DIR")]
    data_dir: PathBuf,
    #[command(flatten)]
    net: NetworkArgs,
}

pub(crate) fn token_add(args: TokenAddArgs) -> Result<Output> {
    let address = wallet_core::address::parse_address(args.address.trim())?;
    let db = Db::open(&args.data_dir.join(DB_FILE))?;
    runtime()?.block_on(async {
        let network = resolve_network(&args.net, Some(&args.data_dir)).await?;
        if let Some(known) = tokens_for(&db, network.chain_id)?.into_iter().find(|t| t.address == address) {
            let text = format!("{} ({}) is already listed", known.symbol, known.name);
            return Ok(Output::new(json!({ "token": known, "added": false }), text));
        }
        let client = network::connect(&network).await?;
        let token = token::read_token(&client, address).await?;
        db.add_custom_token(&token, now())?;
        let text = format!(
            "added {} ({}, {} decimals): unverified, check the address with the issuer",
            token.symbol, token.name, token.decimals
        );
        Ok(Output::new(json!({ "token": token, "added": true }), text))
    })
}
