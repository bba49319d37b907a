//! The demo merchant's gasless checkout: `tools/x402-shop.mjs`, the official x402 packages
//! (`@x402/express` middleware, `@x402/core` facilitator, `@x402/evm` exact scheme) serving each
//! order of the shop ([`crate::shop`]) behind an x402 payment link, and settling on the chain with a
//! funded facilitator key. Started as a child process; stopped when dropped.
//!
//! Why the official packages and not `x402-rs`: x402-rs 0.12 is built on alloy 1.x, Tender on alloy
//! 2.x, so it would compile a second alloy (and its provider stack) into the dev tools; and the
//! official packages are the reference the wallet must interoperate with anyway.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use wallet_core::{Error, Result};

/// Where `x402-shop.mjs` is: `TENDER_X402_SHOP`, else this checkout's `tools/`.
pub fn default_script() -> PathBuf {
    std::env::var_os("TENDER_X402_SHOP")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/x402-shop.mjs"))
}

/// A running gasless checkout.
#[derive(Debug)]
pub struct Gateway {
    child: Child,
    /// Its standard input: the gateway exits when this closes, so it never outlives this process,
    /// however this process ends (even by SIGKILL).
    _lifeline: std::process::ChildStdin,
    /// Its base URL (`http://127.0.0.1:PORT/`); an order's link is `{url}pay/{number}`.
    pub url: String,
    /// The facilitator's address (pays the network fees).
    pub facilitator: String,
}

fn failed(e: impl std::fmt::Display) -> Error {
    Error::Devnet { reason: format!("the gasless checkout (node tools/x402-shop.mjs): {e}") }
}

impl Gateway {
    /// Starts the gateway for the shop at `shop_url` on the chain at `rpc_url`, settling with
    /// `facilitator_key` (hex; it needs ether for the fees), describing each purchase as
    /// `description`. Waits (at most 30 s) until it listens.
    pub fn start(rpc_url: &str, shop_url: &str, facilitator_key: &str, description: &str) -> Result<Self> {
        let script = default_script();
        let mut child = Command::new(std::env::var_os("TENDER_NODE").unwrap_or_else(|| "node".into()))
            .arg(&script)
            .args(["--rpc", rpc_url, "--shop", shop_url, "--description", description])
            .env("X402_FACILITATOR_KEY", facilitator_key)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(failed)?;
        let stdout = child.stdout.take().ok_or_else(|| failed("no output"))?;
        let lifeline = child.stdin.take().ok_or_else(|| failed("no input"))?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(l) if !l.trim().is_empty() => l,
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed("it did not start (run scripts/setup.sh)"));
            }
        };
        let info: serde_json::Value = serde_json::from_str(&line).map_err(failed)?;
        let text = |k: &str| info.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let (Some(url), Some(facilitator)) = (text("url"), text("facilitator")) else {
            return Err(failed("it printed no address"));
        };
        Ok(Self { child, _lifeline: lifeline, url, facilitator })
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
