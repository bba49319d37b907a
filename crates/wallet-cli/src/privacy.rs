//! `tender privacy`: what the wallet's reads tell the node, as the shopper chooses.

use clap::{Args, ValueEnum};
use serde_json::json;
use wallet_core::Result;
use wallet_core::session::{Session, SessionOptions};

use crate::Output;

/// On or off.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Switch {
    On,
    Off,
}

/// `tender privacy`.
#[derive(Args)]
pub(crate) struct PrivacyArgs {
    /// The wallet's data folder.
    #[arg(long, env = "TENDER_DATA_DIR")]
    data_dir: std::path::PathBuf,
    /// Read each account in requests of its own, so that the node is never handed two of them together.
    #[arg(long, value_enum)]
    separate: Option<Switch>,
    /// With --separate on: a random pause (up to 1.5 s) between one account's reads and the next's.
    #[arg(long, value_enum)]
    spread: Option<Switch>,
    /// NFT media on IPFS or the web: `off` never fetches them, even for a collection allowed with
    /// `tender nfts --load-media`.
    #[arg(long, value_enum)]
    remote_media: Option<Switch>,
    /// The IPFS gateway asked for `ipfs://` media, block by block, each checked against its CID
    /// (default: your own IPFS node at http://127.0.0.1:8080); `default` goes back to it.
    #[arg(long, value_name = "URL")]
    ipfs_gateway: Option<String>,
}

pub(crate) fn privacy(args: PrivacyArgs) -> Result<Output> {
    let session = Session::new(&args.data_dir, SessionOptions::default());
    let mut p = session.privacy()?;
    let on = |s: Switch| matches!(s, Switch::On);
    if args.separate.is_some() || args.spread.is_some() || args.remote_media.is_some() || args.ipfs_gateway.is_some() {
        p.separate_accounts = args.separate.map_or(p.separate_accounts, on);
        p.spread = args.spread.map_or(p.spread, on);
        p.remote_media_off = args.remote_media.map_or(p.remote_media_off, |s| !on(s));
        if let Some(gateway) = args.ipfs_gateway {
            p.ipfs_gateway = (gateway.trim() != "default").then(|| gateway.trim().to_owned());
        }
        session.set_privacy(p.clone())?;
    }
    let reads = if p.separate_accounts {
        format!(
            "each account is read in requests of its own{}: the node is never handed two of them together (it still sees your connection)",
            if p.spread { ", spread in time" } else { "" }
        )
    } else {
        "accounts are read together, in one request: fastest, and the node can tell they are one person's (tender privacy --separate on)".to_owned()
    };
    let media = if p.remote_media_off {
        "NFT media on IPFS or the web are never fetched".to_owned()
    } else {
        format!(
            "NFT media on IPFS or the web are fetched only for collections you allow (tender nfts --load-media); IPFS through {}",
            p.ipfs_gateway.as_deref().unwrap_or(wallet_core::nft::remote::DEFAULT_IPFS_GATEWAY)
        )
    };
    Ok(Output::new(json!(p), format!("{reads}\n{media}")))
}
