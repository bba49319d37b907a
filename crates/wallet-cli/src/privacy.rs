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
}

pub(crate) fn privacy(args: PrivacyArgs) -> Result<Output> {
    let session = Session::new(&args.data_dir, SessionOptions::default());
    let mut p = session.privacy()?;
    let on = |s: Switch| matches!(s, Switch::On);
    if args.separate.is_some() || args.spread.is_some() {
        p.separate_accounts = args.separate.map_or(p.separate_accounts, on);
        p.spread = args.spread.map_or(p.spread, on);
        session.set_privacy(p)?;
    }
    let text = if p.separate_accounts {
        format!(
            "each account is read in requests of its own{}: the node is never handed two of them together (it still sees your connection)",
            if p.spread { ", spread in time" } else { "" }
        )
    } else {
        "accounts are read together, in one request: fastest, and the node can tell they are one person's (tender privacy --separate on)".to_owned()
    };
    Ok(Output::new(json!(p), text))
}
