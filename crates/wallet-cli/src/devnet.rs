//! `tender devnet`: the local dev chain with the store token, until SIGINT or SIGTERM.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use tender_devtools::devnet::{Devnet, Mining, find_anvil};
use wallet_core::{Error, Result};

#[derive(Args)]
pub(crate) struct DevnetArgs {
    /// The anvil binary (default: TENDER_ANVIL, the one scripts/setup.sh installs, or anvil on PATH).
    #[arg(long)]
    anvil: Option<PathBuf>,
    /// Also save the dev chain as this wallet data folder's network, so its commands need no --rpc.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Seconds between blocks, like a real network (default 2); 0: a block for each transaction only,
    /// so the chain and its clock stand still while nobody sends anything.
    #[arg(long, default_value_t = 2)]
    block_time: u64,
}

fn io(e: std::io::Error) -> Error {
    Error::Io { context: "dev chain".into(), source: e }
}

/// Starts the chain, prints one JSON line (rpc_url, chain_id, tokens, multicall, phrase), and keeps it
/// running until interrupted; then stops anvil and waits for it to exit.
pub(crate) fn run(args: DevnetArgs) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(io)?;
    runtime.block_on(async {
        // Listen for the stop signals before anything is printed: a caller that reads the line and
        // stops the chain at once found it killed by the signal's default action, anvil left running.
        let stop = stop_signals().map_err(io)?;
        let anvil = match args.anvil {
            Some(path) => path,
            None => find_anvil()?,
        };
        let mining = match args.block_time {
            0 => Mining::Auto,
            seconds => Mining::Every(seconds),
        };
        let devnet = Devnet::start_mining(anvil, mining).await?;
        if let Some(dir) = &args.data_dir {
            std::fs::create_dir_all(dir).map_err(io)?;
            wallet_core::chain::choice::NetworkChoice::Devnet { rpc_url: devnet.info().rpc_url.clone() }.save(dir)?;
        }
        let line = serde_json::to_string(devnet.info()).map_err(|e| io(e.into()))?;
        let mut stdout = std::io::stdout();
        writeln!(stdout, "{line}").and_then(|()| stdout.flush()).map_err(io)?;
        stop.await;
        devnet.stop();
        eprintln!("dev chain stopped");
        Ok(())
    })
}

/// Waits for SIGINT or SIGTERM: the handlers are registered now, when this is called; the future
/// ends at the first signal.
#[cfg(unix)]
fn stop_signals() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn stop_signals() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
