//! A token's commands: `tender token-info` (what its contract says of itself, read from the chain alone)
//! and `tender approve` (what Permit2 may move of it, the shopper's own approval of Permit2, which a
//! shop paid through Permit2 needs first when it does not send the approval itself, and its revocation).

use alloy::primitives::Address;
use clap::Args;
use serde_json::json;
use wallet_core::pay::payment::Tracking;
use wallet_core::{Error, Result};

use crate::Output;
use crate::chain::{NetworkArgs, confirm_quoted, runtime, session, with_hint};

/// `tender approve`.
#[derive(Args)]
pub(crate) struct ApproveArgs {
    /// The token's contract (a token the wallet lists).
    #[arg(value_name = "TOKEN")]
    token: String,
    /// The most Permit2 may move, in the token's units (for example 12.5: a payment's amount); 0
    /// revokes the approval. Without it, what Permit2 may move now is printed.
    #[arg(value_name = "AMOUNT")]
    amount: Option<String>,
    #[command(flatten)]
    send: crate::chain::SendArgs,
}

fn token_address(text: &str) -> Result<Address> {
    text.trim().parse().map_err(|_| Error::InputMissing { what: format!("{text:?} is not a token contract address") })
}

/// `tender token-info`.
#[derive(Args)]
pub(crate) struct TokenInfoArgs {
    /// The token's contract (a token the wallet lists).
    #[arg(value_name = "TOKEN")]
    token: String,
    /// The wallet's data folder.
    #[arg(long, env = "TENDER_DATA_DIR")]
    data_dir: std::path::PathBuf,
    #[command(flatten)]
    net: NetworkArgs,
}

pub(crate) fn token_info(args: TokenInfoArgs) -> Result<Output> {
    let token = token_address(&args.token)?;
    runtime()?.block_on(async {
        let session = session(&args.data_dir, None, &args.net).await?;
        let o = with_hint(session.token_overview(token).await)?;
        let said = |v: Option<String>| v.unwrap_or_else(|| "(not said)".into());
        let who = |a: Option<Address>| a.map_or_else(|| "none".into(), |a| a.to_checksum(None));
        let mut text = format!(
            "{} ({}) {}\nname       {}\nsymbol     {}\ndecimals   {}\nsupply     {}\nproxy      {}\nowner      {}\nadmin      {}\npaused     {}\nno-ETH     EIP-3009 {}, EIP-2612 {}, Permit2 {}\nblock      {}",
            o.token.symbol,
            o.token.address,
            if o.token.verified { "listed by Tender" } else { "added by you: unverified" },
            said(o.name.clone()),
            said(o.symbol.clone()),
            said(o.decimals.map(|d| d.to_string())),
            said(o.total_supply.map(|s| wallet_core::chain::token::format_amount(s, o.token.decimals))),
            who(o.implementation),
            who(o.owner),
            who(o.admin),
            said(o.paused.map(|p| p.to_string())),
            o.eip3009,
            o.eip2612,
            o.permit2,
            o.block
        );
        for m in &o.mismatches {
            text.push_str(&format!("\nMISMATCH   {}", serde_json::to_string(m).unwrap_or_default()));
        }
        // What its own Transfer logs say, replayed by the wallet from where its last look stopped.
        let h = with_hint(session.token_holders(token).await)?;
        let decimals = o.token.decimals;
        text.push_str(&format!(
            "\nholders    {} as of block {}{}{}",
            h.count,
            h.as_of_block,
            if h.complete { "" } else { " (still reading older transfers)" },
            if h.inconsistent { "; the transfers do not add up to the supply: approximate" } else { "" }
        ));
        if let Some((block, tx, _)) = h.first_mint {
            text.push_str(&format!("\nfirst mint block {block} ({tx})"));
        }
        for (holder, amount) in &h.top {
            text.push_str(&format!("\n  {} {}", holder, wallet_core::chain::token::format_amount(*amount, decimals)));
        }
        Ok(Output::new(json!({ "overview": o, "holders": h }), text))
    })
}

/// `tender token-hide`.
#[derive(Args)]
pub(crate) struct TokenHideArgs {
    /// The token's contract (a token the wallet knows). Without it, the hidden tokens are listed.
    #[arg(value_name = "TOKEN")]
    token: Option<String>,
    /// Show it again instead.
    #[arg(long)]
    show: bool,
    /// The wallet's data folder.
    #[arg(long, env = "TENDER_DATA_DIR")]
    data_dir: std::path::PathBuf,
    #[command(flatten)]
    net: NetworkArgs,
}

pub(crate) fn token_hide(args: TokenHideArgs) -> Result<Output> {
    let token = args.token.as_deref().map(token_address).transpose()?;
    runtime()?.block_on(async {
        let session = session(&args.data_dir, None, &args.net).await?;
        if let Some(token) = token {
            with_hint(session.hide_token(token, !args.show).await)?;
        }
        let hidden = session.hidden_tokens().await?;
        let text = if hidden.is_empty() {
            "no token is hidden".to_owned()
        } else {
            let list: Vec<String> = hidden.iter().map(|t| format!("{} ({})", t.symbol, t.address)).collect();
            format!("hidden from the balances: {}", list.join(", "))
        };
        Ok(Output::new(json!({ "hidden": hidden }), text))
    })
}

pub(crate) fn approve(args: ApproveArgs) -> Result<Output> {
    args.send.at.check_store()?;
    let token = token_address(&args.token)?;
    runtime()?.block_on(async {
        let session = session(&args.send.at.data_dir, args.send.at.store, &args.send.net).await?;
        let Some(amount) = &args.amount else {
            let a = with_hint(session.permit2_allowance(args.send.index, token).await)?;
            let text = format!("Permit2 ({}) may move up to {} {}", a.spender, a.display, a.symbol);
            return Ok(Output::new(json!({ "allowance": a }), text));
        };
        let quote = with_hint(session.approval(args.send.index, token, amount).await)?;
        let t = &quote.transaction;
        let what = if quote.revokes() { "revoke the approval of" } else { "approve" };
        let mut text = format!(
            "{what} Permit2 ({}) for {} {} (now {})\nnonce      {}\nmax fee    {} {}\n",
            quote.sets.spender,
            quote.sets.display,
            quote.sets.symbol,
            quote.current_display,
            t.tx.nonce,
            t.max_network_fee_display,
            t.native_symbol
        );
        let digest = quote.digest().to_string();
        let send = || session.approve(quote.id(), &digest, Tracking::default());
        let Some(receipt) =
            confirm_quoted(&session, args.send.yes, args.send.max_fee.as_deref(), t, &mut text, send).await?
        else {
            return Ok(Output::new(json!({ "approval": quote, "sent": false }), text));
        };
        Ok(Output::new(json!({ "approval": quote, "sent": true, "payment": receipt.payment() }), text))
    })
}

/// `tender token-list`.
#[derive(Args)]
pub(crate) struct TokenListArgs {
    /// The retailer's token list (Uniswap token-list format) to take for the network in use. Without it,
    /// the list in use is shown.
    #[arg(value_name = "LIST")]
    list: Option<std::path::PathBuf>,
    /// Its detached signature file (the retailer key's EIP-191 signature of the list's exact bytes).
    #[arg(long, value_name = "FILE", requires = "list")]
    signature: Option<std::path::PathBuf>,
    /// The wallet's data folder.
    #[arg(long, env = "TENDER_DATA_DIR")]
    data_dir: std::path::PathBuf,
    #[command(flatten)]
    net: NetworkArgs,
}

fn read_file(path: &std::path::Path, max: u64) -> Result<Vec<u8>> {
    let what =
        |e: std::io::Error| wallet_core::Error::Io { context: format!("cannot read {}", path.display()), source: e };
    let file = std::fs::File::open(path).map_err(what)?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(file, max + 1), &mut bytes).map_err(what)?;
    Ok(bytes)
}

pub(crate) fn token_list(args: TokenListArgs) -> Result<Output> {
    use wallet_core::chain::token_list::MAX_LIST_BYTES;
    let files = match (&args.list, &args.signature) {
        (Some(list), Some(signature)) => Some((read_file(list, MAX_LIST_BYTES as u64)?, read_file(signature, 1024)?)),
        (Some(_), None) => {
            return Err(wallet_core::Error::InputMissing {
                what: "give the list's signature file too: --signature FILE".into(),
            });
        }
        _ => None,
    };
    runtime()?.block_on(async {
        let session = session(&args.data_dir, None, &args.net).await?;
        if let Some((list, signature)) = files {
            let signature = String::from_utf8_lossy(&signature).into_owned();
            let taken = with_hint(session.import_token_list(&list, &signature).await)?;
            let mut text = format!(
                "took \"{}\" {} (signed by {}): {} token(s) of the retailer's beyond Tender's own list",
                taken.name,
                taken.version,
                taken.signer,
                taken.tokens.len()
            );
            for left in &taken.left_out {
                text.push_str(&format!("\n  left out {}: {}", left.entry, left.reason));
            }
            return Ok(Output::new(json!({ "list": taken }), text));
        }
        let in_use = session.token_list().await?;
        let text = match &in_use {
            Some(l) => {
                let symbols: Vec<&str> = l.tokens.iter().map(|t| t.symbol.as_str()).collect();
                format!("\"{}\" {} (signed by {}): {}", l.name, l.version, l.signer, symbols.join(", "))
            }
            None => "no retailer token list taken on this network (tender token-list LIST --signature FILE)".to_owned(),
        };
        Ok(Output::new(json!({ "list": in_use }), text))
    })
}
