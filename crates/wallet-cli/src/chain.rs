//! Commands that talk to a network: `tender balance`, `pay`, `history`, `network`, `token-add`.
//! Argument parsing and printing only: every sequence is the core session's.

use std::path::{Path, PathBuf};

use alloy::primitives::U256;
use clap::Args;
use serde_json::json;
use wallet_core::chain::choice::NetworkChoice;
use wallet_core::chain::network::Network;
use wallet_core::pay::gasless::GaslessQuote;
use wallet_core::pay::offer::{Offer, Paid};
use wallet_core::pay::payment::{Quote, Tracking};
use wallet_core::session::{Entry, Session, SessionOptions};
use wallet_core::store::{PaymentKind, PaymentStatus};
use wallet_core::{Error, Result, StoreKind};

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

impl NetworkArgs {
    /// The network the flags name, if any: a preset, or an endpoint (whose chain id is asked from
    /// it unless `--chain-id` says it, and then checked on connect).
    pub(crate) async fn choice(&self) -> Result<Option<NetworkChoice>> {
        if let Some(key) = &self.network {
            let choice = NetworkChoice::Preset { key: key.clone() };
            choice.to_network()?;
            return Ok(Some(choice));
        }
        match &self.rpc {
            Some(rpc) => Session::choice_for_endpoint(rpc, self.chain_id).await.map(Some),
            None => Ok(None),
        }
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Io { context: "async runtime".into(), source: e })
}

/// The session of `data_dir`, on the network the flags name (else the one saved there).
pub(crate) async fn session(data_dir: &Path, store: Option<StoreKind>, net: &NetworkArgs) -> Result<Session> {
    let options = SessionOptions {
        new_store: store.unwrap_or(StoreKind::Keyring),
        network: net.choice().await?,
        ..SessionOptions::default()
    };
    Ok(Session::new(data_dir, options))
}

/// The network the flags name, else the one saved in `data_dir` (for the merchant page).
pub(crate) async fn resolve_network(net: &NetworkArgs, data_dir: Option<&Path>) -> Result<Network> {
    match (net.choice().await?, data_dir) {
        (Some(choice), _) => choice.to_network(),
        (None, Some(dir)) => Session::new(dir, SessionOptions::default()).network().await,
        (None, None) => Err(no_network()),
    }
}

fn no_network() -> Error {
    Error::InputMissing {
        what: "no network: pass --rpc URL (tender devnet prints one) or --network NAME, or save one with tender network set".into(),
    }
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

/// The CLI's wording of a missing network (the core's is face-neutral).
pub(crate) fn with_hint<T>(r: Result<T>) -> Result<T> {
    r.map_err(|e| match e {
        Error::InputMissing { what } if what.starts_with("no network") => no_network(),
        other => other,
    })
}

pub(crate) fn balance(args: BalanceArgs) -> Result<Output> {
    runtime()?.block_on(async {
        let session = session(&args.data_dir, None, &args.net).await?;
        let p = with_hint(session.portfolios_live(None).await)?;
        let network = &p.network;
        let mut text = format!("{} (chain {})", network.name, network.chain_id);
        if let Some(o) = &p.offline {
            text.push_str(&format!("\noffline: {}", o.message));
        }
        let mut accounts = Vec::new();
        for portfolio in &p.accounts {
            let account = &portfolio.account;
            text.push_str(&format!("\n{}  {}", account.label, account.address.to_checksum(None)));
            let mut rows = Vec::new();
            for h in portfolio.holdings.iter().filter(|h| h.fetched_at.is_some()) {
                let verified = h.token.as_ref().is_none_or(|t| t.verified);
                let unverified = if verified { "" } else { " (unverified)" };
                text.push_str(&format!("\n  {:>24} {}{unverified}", h.display, h.symbol));
                rows.push(json!({
                    "symbol": h.symbol, "token": h.token.as_ref().map(|t| t.address.to_checksum(None)), "decimals": h.decimals,
                    "amount": h.amount.to_string(), "display": h.display, "verified": verified,
                    "block_number": h.block_number, "fetched_at": h.fetched_at,
                }));
            }
            accounts.push(json!({ "index": account.index, "label": account.label, "address": account.address.to_checksum(None), "balances": rows }));
        }
        let json = json!({
            "chain_id": network.chain_id, "network": network.name, "live": p.live, "requests": p.requests,
            "error": p.offline.as_ref().map(|o| json!({ "code": o.code, "message": o.message })), "accounts": accounts,
        });
        Ok(Output::new(json, text))
    })
}

/// `tender pay`.
#[derive(Args, Clone)]
pub(crate) struct PayArgs {
    /// The payment request: an `ethereum:` link or QR payload, a shop's payment link, or a bare
    /// address (then give --amount).
    uri: String,
    /// The amount, in the asset's units (for example 12.5), for a request that leaves it open (a bare
    /// address, a transfer without an amount).
    #[arg(long)]
    amount: Option<String>,
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
    /// Pay even though the payee only looks like an address this wallet knows (same first and last
    /// characters): only after comparing every character with the shop's own page.
    #[arg(long)]
    accept_lookalike: bool,
}

fn quote_text(q: &Quote) -> String {
    let mut t = String::new();
    if let Some(m) = &q.merchant {
        t.push_str(&format!("calls itself \"{m}\" (its own claim, not checked)\n"));
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
    t.push_str(&format!("quote      {}  (valid until {})\n", &q.digest.to_string()[2..18], q.expires_at));
    for w in &q.warnings {
        t.push_str(&format!("warning    {}\n", serde_json::to_string(w).unwrap_or_default()));
    }
    t
}

/// The sheet's text for `offer`, by its kind.
fn offer_text(offer: &Offer) -> String {
    match offer {
        Offer::OnChain(q) => quote_text(q),
        Offer::Gasless(q) => gasless_text(q),
    }
}

fn gasless_text(q: &GaslessQuote) -> String {
    let mut t = format!("shop       {}  (the link's own domain)\n", q.domain);
    if let Some(d) = &q.description {
        t.push_str(&format!("purchase   {d}  (the shop's words)\n"));
    }
    t.push_str(&format!("pay to     {}\n", q.payee.to_checksum(None)));
    t.push_str(&format!(
        "amount     {} {}  (token {}, {} decimals)\n",
        q.amount_display,
        q.symbol,
        q.token.address.to_checksum(None),
        q.token.decimals
    ));
    t.push_str(&format!("network    {} (chain {})\n", q.network, q.chain_id));
    t.push_str("fee        paid by the shop (gasless: an authorization, not a transaction)\n");
    t.push_str(&format!("quote      {}  (valid until {})\n", &q.digest.to_string()[2..18], q.expires_at));
    for w in &q.warnings {
        t.push_str(&format!("warning    {}\n", serde_json::to_string(w).unwrap_or_default()));
    }
    t
}

pub(crate) fn pay(args: PayArgs) -> Result<Output> {
    args.at.check_store()?;
    runtime()?.block_on(async {
        let session = session(&args.at.data_dir, args.at.store, &args.net).await?;
        let offer = match (&args.quote, args.yes) {
            // Exactly what an earlier run showed, for exactly this request and account.
            (Some(digest), true) => session.stored_offer(digest, &args.uri, args.index).await?,
            _ => {
                let sheet = match &args.amount {
                    Some(amount) => with_hint(session.quote_amount(&args.uri, args.index, amount).await)?,
                    None => with_hint(session.quote(&args.uri, args.index, None).await)?,
                };
                match (sheet.offer, sheet.blockers.into_iter().next()) {
                    (_, Some(blocker)) => return Err(blocker.into()),
                    (Some(offer), None) => offer,
                    (None, None) => return Err(Error::UnknownQuote),
                }
            }
        };
        let mut text = offer_text(&offer);
        let quote_json = json!(offer);
        if !args.yes {
            text.push_str(&format!(
                "\nNot paid. To pay exactly this, run again with --yes --quote {} (within {} s).",
                offer.short_digest(),
                offer.expires_at().saturating_sub(wallet_core::pay::payment::now_secs())
            ));
            return Ok(Output::new(json!({ "quote": quote_json, "paid": false }), text));
        }
        if args.quote.is_none() {
            let Some(limit) = &args.max_fee else {
                return Err(Error::ConfirmationRequired {
                    what: "--yes pays only a quote you saw (--quote DIGEST, printed by a run without --yes) or within a fee you set (--max-fee AMOUNT)".into(),
                });
            };
            // A gasless payment costs no fee at all: any limit holds.
            if let Offer::OnChain(q) = &offer {
                within_max_fee(&session, limit, q.max_network_fee, &q.max_network_fee_display, &q.native_symbol)
                    .await?;
            }
        }
        session.unlock(&crate::input::password(crate::input::PASSWORD_ENV, "Wallet password: ", false)?).await?;
        let acknowledged =
            wallet_core::session::Acknowledged { duplicate: args.allow_duplicate, lookalike: args.accept_lookalike };
        let receipt = session.pay_offer(&offer, args.index, acknowledged, Tracking::default()).await;
        session.lock().await;
        let receipt = receipt?;
        let reference = match (&receipt.tx_hash, &receipt.paid) {
            (Some(h), _) => h.to_string(),
            (None, paid) => format!("authorization {}", paid.id()),
        };
        text.push_str(&format!("\n{}: {reference}", describe_status(receipt.status)));
        if let Some(l) = &receipt.explorer {
            text.push_str(&format!("\n{l}"));
        }
        if let Some(e) = receipt.error.as_ref().or(receipt.notice.as_ref().map(|n| &n.message)) {
            text.push_str(&format!("\n{e}"));
        }
        let paid = receipt.status == PaymentStatus::Confirmed;
        Ok(Output::new(
            json!({
                "quote": quote_json,
                "paid": paid,
                // Where it stands: `rejected` (refused so far) and `pending` are outstanding, not final.
                "status": receipt.status,
                "notice": receipt.notice.as_ref().map(|n| json!({ "code": n.code, "message": n.message })),
                "payment": receipt.payment(),
                "authorization": receipt.authorization(),
                "explorer": receipt.explorer,
            }),
            text,
        ))
    })
}

/// Refuses (nothing signed) when a network fee of up to `fee` (base units; `display` in the native
/// currency `symbol`) is more than `limit`, the person's `--max-fee` in the network's currency.
pub(crate) async fn within_max_fee(
    session: &Session,
    limit: &str,
    fee: U256,
    display: &str,
    symbol: &str,
) -> Result<()> {
    let decimals = session.network().await?.native.decimals;
    let limit_units = wallet_core::chain::token::parse_amount(limit, decimals)
        .ok_or_else(|| Error::InputMissing { what: format!("--max-fee {limit:?} is not an amount of {symbol}") })?;
    if fee > limit_units {
        return Err(Error::ConfirmationRequired {
            what: format!("the network fee could be up to {display} {symbol}, more than --max-fee {limit}: not sent"),
        });
    }
    Ok(())
}

/// Where a transaction of the shopper's own is sent from, and the person's word to send it.
#[derive(Args)]
pub(crate) struct SendArgs {
    #[command(flatten)]
    pub(crate) at: crate::WalletLocation,
    #[command(flatten)]
    pub(crate) net: NetworkArgs,
    /// The account.
    #[arg(long, default_value_t = 0)]
    pub(crate) index: u32,
    /// Sign and send. Needs --max-fee. Without it, what would be signed is printed.
    #[arg(long, requires = "max_fee")]
    pub(crate) yes: bool,
    /// With --yes: send only if the network fee is at most this, in the network's currency.
    #[arg(long)]
    pub(crate) max_fee: Option<String>,
}

/// Sends the quoted transaction `t` of the shopper's own (an approval, an NFT sent) with `send` when
/// `yes` and its fee is within `max_fee` (the wallet unlocked for it, locked again after), adding the
/// outcome to `text`; without `--yes --max-fee`, says how to send it and sends nothing (`None`).
pub(crate) async fn confirm_quoted<F, Fut>(
    session: &Session,
    yes: bool,
    max_fee: Option<&str>,
    t: &wallet_core::pay::replace::ReplacementQuote,
    text: &mut String,
    send: F,
) -> Result<Option<wallet_core::session::Receipt>>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<wallet_core::session::Receipt>>,
{
    let Some(limit) = max_fee.filter(|_| yes) else {
        text.push_str("\nNot sent. To send it, run again with --yes --max-fee AMOUNT.");
        return Ok(None);
    };
    within_max_fee(session, limit, t.max_network_fee, &t.max_network_fee_display, &t.native_symbol).await?;
    session.unlock(&crate::input::password(crate::input::PASSWORD_ENV, "Wallet password: ", false)?).await?;
    let receipt = send().await;
    session.lock().await;
    let receipt = receipt?;
    text.push_str(&format!("\n{}: {}", describe_status(receipt.status), receipt.tx_hash.unwrap_or_default()));
    if let Some(n) = &receipt.notice {
        text.push_str(&format!("\n{}", n.message));
    }
    Ok(Some(receipt))
}

/// `tender speed-up` and `tender cancel`.
#[derive(Args)]
pub(crate) struct ReplaceArgs {
    /// The stuck payment: its transaction hash (any of its transactions, as `tender history` lists).
    #[arg(value_name = "TX_HASH")]
    tx_hash: String,
    #[command(flatten)]
    at: crate::WalletLocation,
    #[command(flatten)]
    net: NetworkArgs,
    /// Sign and send. Needs --max-fee. Without it, what would be signed is printed.
    #[arg(long, requires = "max_fee")]
    yes: bool,
    /// With --yes: send only if the new network fee is at most this, in the network's currency.
    #[arg(long)]
    max_fee: Option<String>,
}

/// Speeds up (`kind` speed-up) or cancels a stuck payment: prints the new fee at most; with --yes
/// and a --max-fee it covers, signs, stores, sends and follows it.
pub(crate) fn replace(args: ReplaceArgs, kind: PaymentKind) -> Result<Output> {
    args.at.check_store()?;
    let hash: alloy::primitives::B256 = args
        .tx_hash
        .trim()
        .parse()
        .map_err(|_| Error::InputMissing { what: format!("{:?} is not a transaction hash", args.tx_hash) })?;
    runtime()?.block_on(async {
        let session = session(&args.at.data_dir, args.at.store, &args.net).await?;
        // `tender cancel` with a gasless payment's authorization nonce revokes that authorization.
        let quote = match session.replacement(hash, kind).await {
            Err(Error::UnknownPayment { .. }) if kind == PaymentKind::Cancel => {
                with_hint(session.replacement(hash, PaymentKind::CancelAuthorization).await)?
            }
            other => with_hint(other)?,
        };
        let what = match quote.kind {
            PaymentKind::Cancel => "cancel (send nothing to yourself)",
            PaymentKind::CancelAuthorization => "revoke the signed authorization (EIP-3009 cancelAuthorization, or Permit2's nonce invalidation)",
            _ => "speed up",
        };
        let mut text = format!(
            "{what} payment {}\nnonce      {}\nmax fee    {} {} (was {})\n",
            quote.payment,
            quote.tx.nonce,
            quote.max_network_fee_display,
            quote.native_symbol,
            quote.previous_max_network_fee_display
        );
        let Some(limit) = args.max_fee.as_deref().filter(|_| args.yes) else {
            text.push_str("\nNot sent. To send it, run again with --yes --max-fee AMOUNT.");
            return Ok(Output::new(json!({ "replacement": quote, "sent": false }), text));
        };
        within_max_fee(&session, limit, quote.max_network_fee, &quote.max_network_fee_display, &quote.native_symbol)
            .await?;
        session.unlock(&crate::input::password(crate::input::PASSWORD_ENV, "Wallet password: ", false)?).await?;
        let receipt = session.replace(&quote.id, &quote.digest.to_string(), Tracking::default()).await;
        session.lock().await;
        let receipt = receipt?;
        text.push_str(&format!("\n{}: {}", describe_status(receipt.status), receipt.tx_hash.unwrap_or_default()));
        if let Some(n) = &receipt.notice {
            text.push_str(&format!("\n{}", n.message));
        }
        Ok(Output::new(
            json!({ "replacement": quote, "sent": true, "payment": receipt.payment(), "authorization": receipt.authorization() }),
            text,
        ))
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
    /// Print the history as CSV (for bookkeeping) instead of lines.
    #[arg(long, conflicts_with = "proof")]
    csv: bool,
    /// Print this payment's proof (the request, the shop's signed offer and receipt, the
    /// transaction) as JSON, for a merchant or a return desk; read from what is stored.
    #[arg(long, value_name = "TX_HASH_OR_NONCE")]
    proof: Option<String>,
}

fn payment_id(text: &str) -> Result<alloy::primitives::B256> {
    text.trim().parse().map_err(|_| Error::InputMissing { what: format!("{text:?} is not a transaction hash") })
}

pub(crate) fn history(args: HistoryArgs) -> Result<Output> {
    runtime()?.block_on(async {
        let session = session(&args.data_dir, None, &args.net).await?;
        if let Some(hash) = &args.resend {
            session.resend(payment_id(hash)?, Tracking::default()).await?;
        }
        if let Some(id) = &args.proof {
            let proof = session.payment_proof(payment_id(id)?).await?;
            let text = serde_json::to_string_pretty(&proof).map_err(|e| Error::Internal { detail: e.to_string() })?;
            return Ok(Output::new(proof, text + "\n"));
        }
        let h = with_hint(session.history(None).await)?;
        if args.csv {
            let csv = h.to_csv()?;
            return Ok(Output::new(json!({ "chain_id": h.network.chain_id, "csv": csv }), csv));
        }
        let mut rows = Vec::new();
        let mut text = String::new();
        if let Some(n) = &h.notice {
            text.push_str(&format!("offline: {}\n", n.message));
        }
        for item in &h.items {
            let head = json!({ "direction": item.direction(), "account_index": item.account_index, "explorer": item.explorer });
            let (line, row) = match &item.entry {
                Entry::Sent(Paid::OnChain(p)) if p.kind == PaymentKind::Approval => (
                    format!(
                        "{}  approved Permit2 ({}) for {} {} (no money moved)  {}  {}",
                        p.created_at,
                        p.payee.to_checksum(None),
                        item.amount_display,
                        item.symbol,
                        describe_status(p.status),
                        p.tx_hash
                    ),
                    ("approval", json!(p)),
                ),
                Entry::Sent(Paid::OnChain(p)) if p.kind == PaymentKind::NftTransfer => (
                    format!(
                        "{}  sent {} x {} to {} (no money moved)  {}  {}",
                        p.created_at,
                        item.amount_display,
                        item.symbol,
                        p.payee.to_checksum(None),
                        describe_status(p.status),
                        p.tx_hash
                    ),
                    ("nft_transfer", json!(p)),
                ),
                Entry::Sent(Paid::OnChain(p)) => (
                    format!(
                        "{}  sent {} {} to {}  {}  {}",
                        p.created_at,
                        item.amount_display,
                        item.symbol,
                        p.payee.to_checksum(None),
                        describe_status(p.status),
                        p.tx_hash
                    ),
                    ("payment", json!(p)),
                ),
                Entry::Sent(Paid::Gasless(a)) => (
                    format!(
                        "{}  paid {} {} to {} ({}, no fee)  {}  {}",
                        a.created_at,
                        item.amount_display,
                        item.symbol,
                        a.domain,
                        a.payee.to_checksum(None),
                        describe_status(a.status),
                        a.tx_hash.map_or_else(|| format!("authorization {}", a.nonce), |h| h.to_string())
                    ),
                    ("authorization", json!(a)),
                ),
                Entry::Received { transfer: r, .. } => (
                    format!(
                        "block {}  received {} {} from {}  {}",
                        r.block_number,
                        item.amount_display,
                        item.symbol,
                        r.from.to_checksum(None),
                        r.tx_hash
                    ),
                    ("received", json!(r)),
                ),
            };
            text.push_str(&line);
            text.push('\n');
            let mut row_json = head;
            row_json[row.0] = row.1;
            rows.push(row_json);
        }
        let notice = h.notice.as_ref().map(|n| n.message.clone());
        Ok(Output::new(json!({ "chain_id": h.network.chain_id, "notice": notice, "items": rows }), text))
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
    runtime()?.block_on(async {
        match cmd {
            NetworkCommand::Set { data_dir, net } => {
                let choice = net
                    .choice()
                    .await?
                    .ok_or_else(|| Error::InputMissing { what: "pass --rpc URL or --network NAME".into() })?;
                let network = Session::new(&data_dir, SessionOptions::default()).set_network(choice).await?;
                let (j, t) = describe(&network);
                Ok(Output::new(json!({ "network": j }), format!("saved: {t}")))
            }
            NetworkCommand::Show { data_dir } => {
                let network =
                    Session::new(&data_dir, SessionOptions::default()).network().await.map_err(|e| match e {
                        Error::InputMissing { .. } => {
                            Error::InputMissing { what: "no network saved: tender network set --rpc URL".into() }
                        }
                        other => other,
                    })?;
                let (j, t) = describe(&network);
                Ok(Output::new(json!({ "network": j }), t))
            }
        }
    })
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
    let address = wallet_core::keys::address::parse_address(args.address.trim())?;
    runtime()?.block_on(async {
        let session = session(&args.data_dir, None, &args.net).await?;
        let (token, added) = with_hint(session.add_token(address).await)?;
        let text = if added {
            format!(
                "added {} ({}, {} decimals): unverified, check the address with the issuer",
                token.symbol, token.name, token.decimals
            )
        } else {
            format!("{} ({}) is already listed", token.symbol, token.name)
        };
        Ok(Output::new(json!({ "token": token, "added": added }), text))
    })
}

/// A payment's status in the command line's words: what happened to the money, and whether the chain
/// has decided (the core decides; this only says it).
pub(crate) fn describe_status(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Signed => "signed, not sent: not paid so far; send it again or cancel it",
        PaymentStatus::Pending => "sent, waiting for the network",
        PaymentStatus::Confirmed => "paid",
        PaymentStatus::Failed => "failed: not paid (the network fee was spent)",
        PaymentStatus::Replaced => "replaced: not paid",
        PaymentStatus::Rejected => "refused so far: not paid so far; still valid, watched",
        PaymentStatus::Unconfirmed => "not confirmed",
        PaymentStatus::Expired => "expired unused: not paid",
        PaymentStatus::Cancelled => "cancelled: not paid",
    }
}
