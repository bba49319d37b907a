//! `tender nfts`: an account's NFTs, found from the chain alone; the shop's collections with their
//! metadata, anything else that arrived unasked "unreviewed" until `--show` (or `--hide`) says otherwise.

use alloy::primitives::U256;
use clap::Args;
use serde_json::json;
use wallet_core::nft::Collectible;
use wallet_core::pay::payment::Tracking;
use wallet_core::{Error, Result};

use crate::Output;
use crate::chain::{NetworkArgs, confirm_quoted, runtime, session, with_hint};

/// `tender nft-send`.
#[derive(Args)]
pub(crate) struct NftSendArgs {
    /// The collection's contract.
    #[arg(value_name = "CONTRACT")]
    contract: String,
    /// The token id (decimal).
    #[arg(value_name = "ID")]
    token_id: String,
    /// The recipient's address.
    #[arg(value_name = "TO")]
    to: String,
    /// How many (ERC-1155; an ERC-721 item is one).
    #[arg(long, default_value = "1")]
    amount: String,
    #[command(flatten)]
    send: crate::chain::SendArgs,
}

pub(crate) fn nft_send(args: NftSendArgs) -> Result<Output> {
    args.send.at.check_store()?;
    let contract = args
        .contract
        .trim()
        .parse()
        .map_err(|_| Error::InputMissing { what: format!("{:?} is not a contract address", args.contract) })?;
    let number = |text: &str, what: &str| {
        text.trim().parse::<U256>().map_err(|_| Error::InputMissing { what: format!("{text:?} is not a {what}") })
    };
    let (token_id, amount) = (number(&args.token_id, "token id")?, number(&args.amount, "whole number")?);
    runtime()?.block_on(async {
        let session = session(&args.send.at.data_dir, args.send.at.store, &args.send.net).await?;
        // The gallery is read first: only an item the account was seen receiving is offered.
        with_hint(session.nfts(args.send.index).await)?;
        let quote = with_hint(session.nft_transfer(args.send.index, contract, token_id, &args.to, amount).await)?;
        let t = &quote.transaction;
        let mut text = format!(
            "send {} of #{} ({}) to {}\nnonce      {}\nmax fee    {} {}\n",
            quote.item.amount,
            quote.item.token_id,
            quote.item.contract,
            quote.to,
            t.tx.nonce,
            t.max_network_fee_display,
            t.native_symbol
        );
        let digest = quote.digest().to_string();
        let send = || session.send_nft(quote.id(), &digest, Tracking::default());
        let Some(receipt) =
            confirm_quoted(&session, args.send.yes, args.send.max_fee.as_deref(), t, &mut text, send).await?
        else {
            return Ok(Output::new(json!({ "transfer": quote, "sent": false }), text));
        };
        Ok(Output::new(json!({ "transfer": quote, "sent": true, "payment": receipt.payment() }), text))
    })
}

/// `tender nfts`.
#[derive(Args)]
pub(crate) struct NftsArgs {
    /// The wallet's data folder.
    #[arg(long, env = "TENDER_DATA_DIR")]
    data_dir: std::path::PathBuf,
    #[command(flatten)]
    net: NetworkArgs,
    /// The account.
    #[arg(long, default_value_t = 0)]
    index: u32,
    /// See the items of this collection (its contract), with their media.
    #[arg(long, value_name = "CONTRACT", conflicts_with = "hide")]
    show: Option<String>,
    /// Hide the items of this collection.
    #[arg(long, value_name = "CONTRACT")]
    hide: Option<String>,
    /// Fetch this collection's remote media (IPFS through your gateway, checked against its CID; web
    /// servers, which learn that you look): from this look on.
    #[arg(long, value_name = "CONTRACT", conflicts_with = "stop_media")]
    load_media: Option<String>,
    /// Stop fetching this collection's remote media (what was fetched stays on this device).
    #[arg(long, value_name = "CONTRACT")]
    stop_media: Option<String>,
}

fn contract_arg(text: &str) -> Result<alloy::primitives::Address> {
    text.trim().parse().map_err(|_| Error::InputMissing { what: format!("{text:?} is not a contract address") })
}

fn line(item: &Collectible) -> String {
    let what = item.name.clone().unwrap_or_else(|| format!("#{}", item.token_id));
    let amount = if item.amount == "1" { String::new() } else { format!(" ×{}", item.amount) };
    format!(
        "  {what}{amount}  [{} {} #{}] media: {}",
        item.collection.as_deref().unwrap_or("(no name)"),
        item.contract,
        item.token_id,
        item.media
    )
}

pub(crate) fn nfts(args: NftsArgs) -> Result<Output> {
    let review = match (&args.show, &args.hide) {
        (Some(c), _) => Some((c, true)),
        (None, Some(c)) => Some((c, false)),
        (None, None) => None,
    };
    runtime()?.block_on(async {
        let session = session(&args.data_dir, None, &args.net).await?;
        if let Some((contract, show)) = review {
            with_hint(session.review_nft_collection(contract_arg(contract)?, show).await)?;
        }
        let remote = match (&args.load_media, &args.stop_media) {
            (Some(c), _) => Some((c, true)),
            (None, Some(c)) => Some((c, false)),
            (None, None) => None,
        };
        if let Some((contract, allow)) = remote {
            with_hint(session.allow_nft_media(contract_arg(contract)?, allow).await)?;
        }
        let g = with_hint(session.nfts(args.index).await)?;
        let mut text = format!(
            "{} collectible(s){}{}",
            g.shown.len(),
            g.as_of_block.map(|b| format!(" as of block {b}")).unwrap_or_default(),
            if g.live { "" } else { " (offline: the last known)" }
        );
        for item in &g.shown {
            text.push('\n');
            text.push_str(&line(item));
        }
        if !g.unreviewed.is_empty() {
            text.push_str(&format!(
                "\nunreviewed (arrived unasked; nothing of them read — see one with --show CONTRACT): {}",
                g.unreviewed.len()
            ));
            for item in &g.unreviewed {
                text.push('\n');
                text.push_str(&line(item));
            }
        }
        if g.shown.iter().any(|i| i.media == "remote") {
            text.push_str(if g.remote_media_off {
                "\nremote media are off (tender privacy --remote-media on)"
            } else {
                "\nsome media are on IPFS or the web, not fetched: tender nfts --load-media CONTRACT"
            });
        }
        if g.hidden > 0 {
            text.push_str(&format!("\nhidden: {}", g.hidden));
        }
        // The images are PNGs for a screen: their size only, here.
        let mut value = json!(g);
        for list in ["shown", "unreviewed"] {
            for item in value[list].as_array_mut().into_iter().flatten() {
                if let Some(image) = item["image"].as_str() {
                    item["image"] = json!(format!("png, {} base64 characters", image.len()));
                }
            }
        }
        Ok(Output::new(value, text))
    })
}
