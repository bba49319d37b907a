//! Clocks and ids: this machine's clock (Tender's own windows) with a test build's hook, the chain's
//! clock (every window the chain checks), and the random ids quotes are named by.

use alloy::eips::BlockNumberOrTag;
use alloy::providers::Provider;

use crate::chain::network::ChainClient;
use crate::error::{Error, Result};

/// Without an order reference, how long a payment counts as "recent" for the duplicate warning.
pub const DUPLICATE_WINDOW_SECS: u64 = 24 * 3600;
/// With an order reference (an order is paid once), how long a payment counts for it.
pub const ORDER_DUPLICATE_WINDOW_SECS: u64 = 90 * 24 * 3600;
/// How long a quote may be paid after it was shown.
pub const QUOTE_TTL_SECS: u64 = 120;

/// How far the next block's time may be taken to run ahead of the latest block's (a chain idle for
/// a while): the chain's clock never runs further on this machine's or a node's word.
pub const MAX_IDLE_SECS: u64 = 15 * 60;
/// How far ahead of this machine's clock a block may be dated and still be believed. This machine's
/// clock never sets a window the chain checks; it only bounds a node's word: a node dating its blocks
/// days ahead would stretch an authorization's validity for as long, or call one expired that is not.
pub const MAX_CHAIN_AHEAD_SECS: u64 = 3600;

/// Whether a block dated `chain_time` can be believed at this machine's `machine` time (see
/// [`MAX_CHAIN_AHEAD_SECS`]; a block dated in the past is always possible: a chain idles).
pub fn plausible(chain_time: u64, machine: u64) -> bool {
    chain_time <= machine.saturating_add(MAX_CHAIN_AHEAD_SECS)
}

pub(crate) fn now() -> u64 {
    now_secs()
}

/// This machine's clock (Unix seconds): what Tender's own windows (a quote's few minutes, the
/// duplicate guard's days) are measured with. Never what the chain checks: see [`ChainClock`].
pub fn now_secs() -> u64 {
    let real = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    real.saturating_add_signed(clock_skew())
}

/// A test build's wrong clock: seconds added to this machine's (negative: behind), from
/// `TENDER_CLOCK_SKEW_SECS`, else from the file `TENDER_CLOCK_SKEW_FILE` names (read at every call,
/// so a running app's clock can be put wrong and right again). Compiled only with the `test-util`
/// feature; elsewhere the clock is the machine's.
#[cfg(feature = "test-util")]
fn clock_skew() -> i64 {
    let parse = |v: String| v.trim().parse().ok();
    std::env::var("TENDER_CLOCK_SKEW_SECS")
        .ok()
        .and_then(parse)
        .or_else(|| {
            let file = std::env::var_os("TENDER_CLOCK_SKEW_FILE")?;
            crate::vault::atomic::read_data_file(std::path::Path::new(&file), 64)
                .ok()
                .and_then(|b| parse(String::from_utf8_lossy(&b).into_owned()))
        })
        .unwrap_or(0)
}

#[cfg(not(feature = "test-util"))]
#[inline(always)]
fn clock_skew() -> i64 {
    0
}

/// The chain's clock, read when a payment is quoted or signed: every window the chain itself checks
/// (EIP-3009 `validAfter`/`validBefore`, a request's `expires=`) is computed from it, so a machine
/// clock minutes wrong, or a chain that made no block for minutes, still pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainClock {
    /// The latest block's number.
    pub head: u64,
    /// The latest block's timestamp: the chain's "now" as far as it has decided.
    pub latest: u64,
    /// The timestamp the next block will carry: the node's pending block's (a chain idle for a while
    /// stamps its next block with the time it is made), at least `latest` and at most
    /// [`MAX_IDLE_SECS`] past it.
    pub next: u64,
}

impl ChainClock {
    /// The clock from the latest block (`head`, its timestamp `latest`) and the pending block's
    /// timestamp, if the node gave one; without it, this machine's clock (`machine`) within the same
    /// bounds. A latest block dated over [`MAX_CHAIN_AHEAD_SECS`] past this machine's clock is a node
    /// that lies: refused, nothing is signed with it.
    pub fn from_blocks(head: u64, latest: u64, pending: Option<u64>, machine: u64) -> Result<Self> {
        if !plausible(latest, machine) {
            return Err(Error::BadRpcResponse {
                detail: "its latest block is dated more than an hour after this device's clock".into(),
            });
        }
        let ceiling = latest.saturating_add(MAX_IDLE_SECS);
        let next = match pending {
            Some(t) if t >= latest => t.min(ceiling),
            _ => machine.clamp(latest, ceiling),
        };
        Ok(Self { head, latest, next })
    }
}

/// Reads the chain's clock (two calls: the latest and the pending block).
pub async fn chain_clock(client: &ChainClient) -> Result<ChainClock> {
    let latest = client
        .provider
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .map_err(|e| client.rpc_error(e))?
        .ok_or_else(|| Error::BadRpcResponse { detail: "the network has no latest block".into() })?;
    let pending = match client.provider.get_block_by_number(BlockNumberOrTag::Pending).await {
        Ok(Some(b)) => Some(b.header.timestamp),
        // Not every node serves a pending block; the latest one and the bounds stand.
        Ok(None) | Err(_) => None,
    };
    ChainClock::from_blocks(latest.header.number, latest.header.timestamp, pending, now())
}

/// A fresh random quote id (what the person confirms names it).
pub(crate) fn new_quote_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).map_err(Error::Random)?;
    Ok(alloy::hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Windows the chain checks come from the chain's clock: the pending block's time when the node
    /// gives it, this machine's only within bounds, never before the latest block nor more than
    /// [`MAX_IDLE_SECS`] past it.
    #[test]
    fn the_chain_clock_is_the_chains_within_bounds() {
        let latest = 1_000_000;
        assert_eq!(
            ChainClock::from_blocks(7, latest, Some(latest + 90), latest).expect("clock").next,
            latest + 90,
            "an idle chain"
        );
        assert_eq!(
            ChainClock::from_blocks(7, latest, Some(latest + 10 * MAX_IDLE_SECS), latest).expect("clock").next,
            latest + MAX_IDLE_SECS
        );
        assert_eq!(ChainClock::from_blocks(7, latest, Some(latest - 5), latest + 30).expect("clock").next, latest + 30);
        assert_eq!(
            ChainClock::from_blocks(7, latest, None, latest - 600).expect("clock").next,
            latest,
            "a clock behind"
        );
        assert_eq!(
            ChainClock::from_blocks(7, latest, None, latest + 86_400).expect("clock").next,
            latest + MAX_IDLE_SECS
        );
        assert_eq!(ChainClock::from_blocks(7, latest, None, latest + 3).expect("clock").head, 7);
        // A node dating its blocks a day ahead of this device: refused, nothing is signed with it.
        let lie = ChainClock::from_blocks(7, latest + 86_400, None, latest).expect_err("a day ahead");
        assert_eq!(lie.code().as_str(), "bad_rpc_response");
        assert!(ChainClock::from_blocks(7, latest + 900, None, latest).is_ok(), "a device clock 15 minutes behind");
    }
}
