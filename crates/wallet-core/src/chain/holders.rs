//! A token's holders from its own `Transfer` logs, replayed by the wallet itself (no indexer learns
//! which tokens a shopper looks at): how many hold it, the largest holders, the first mint, checked
//! against the token's `totalSupply` at the block replayed to.
//!
//! The replay is incremental and resumable: ranges of at most [`crate::chain::history::ScanOptions`]'s
//! width, a range the node refuses halved, each range's balances stored with the cursor in one
//! database transaction. Only blocks [`crate::chain::network::Network::confirmations`] deep are
//! replayed (a reorganised block would otherwise leave its transfers counted). The pieces are here
//! ([`deployment_block`], [`fetch_range`], [`store_range`], [`summary`]); a look is
//! [`crate::session::Session::token_holders`], which holds the database only to read and store, and
//! stops after [`RANGES_PER_LOOK`] ranges or [`LOOK_BUDGET`]: a large token is shown "as of block N" and
//! caught up over later looks.

use std::collections::HashMap;

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::sol_types::SolEvent;

use crate::chain::history::{MAX_LOG_SPLITS, transfer_logs};
use crate::chain::network::{ChainClient, rpc_error};
use crate::chain::token::IERC20Metadata;
use crate::error::Result;
use crate::store::{Db, HolderScan};

/// How many of the largest holders are shown.
pub const TOP_HOLDERS: usize = 5;

/// Most log ranges one look at a token's holders replays (100 000 blocks at 2 000 a range).
pub const RANGES_PER_LOOK: usize = 50;

/// How long one look at a token's holders may replay before it shows what it has ("as of block N").
pub const LOOK_BUDGET: std::time::Duration = std::time::Duration::from_secs(8);

/// Most blocks per log query (as the received-transfers scan).
pub const HOLDER_RANGE: u64 = 2_000;

/// What a token's logs say, as replayed so far.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Holders {
    /// The token (as the wallet lists it: its decimals are the ones amounts are shown in).
    pub token: crate::chain::token::Token,
    /// The last block replayed (the figures are as of it).
    pub as_of_block: u64,
    /// The replay reached the chain's deep head: nothing older is left out.
    pub complete: bool,
    /// How many addresses hold some.
    pub count: u64,
    /// The largest holders, largest first, with what they hold (base units).
    #[serde(serialize_with = "serialize_top")]
    pub top: Vec<(Address, U256)>,
    /// Minted minus burned, by the logs: what the holders hold together.
    #[serde(with = "crate::text::decimal")]
    pub supply_by_logs: U256,
    /// The token's own `totalSupply()` at `as_of_block`, when it says.
    #[serde(serialize_with = "crate::text::serialize_opt_decimal")]
    pub total_supply: Option<U256>,
    /// Transfers replayed.
    pub transfers: u64,
    /// The first mint: block, transaction and the block's time.
    pub first_mint: Option<(u64, B256, Option<u64>)>,
    /// The logs do not add up (a transfer of more than its sender held by the logs, or a sum other
    /// than `totalSupply`): a token that changes balances without `Transfer` events, or a node that
    /// leaves logs out. The figures are then approximate.
    pub inconsistent: bool,
}

fn serialize_top<S: serde::Serializer>(top: &[(Address, U256)], s: S) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(top.len()))?;
    for (holder, amount) in top {
        seq.serialize_element(
            &serde_json::json!({ "holder": holder.to_checksum(None), "amount": amount.to_string() }),
        )?;
    }
    seq.end()
}

/// Applies one transfer to the balances (`read` gives a holder's balance not yet in `balances`).
/// Returns `false` when the sender held less than it sent, by the logs.
pub fn apply(
    balances: &mut HashMap<Address, U256>,
    scan: &mut HolderScan,
    from: Address,
    to: Address,
    value: U256,
) -> bool {
    let mut held = true;
    if from.is_zero() {
        scan.supply = scan.supply.saturating_add(value);
    } else {
        let b = balances.entry(from).or_default();
        held = *b >= value;
        *b = b.saturating_sub(value);
    }
    if to.is_zero() {
        scan.supply = scan.supply.saturating_sub(value);
    } else {
        let b = balances.entry(to).or_default();
        *b = b.saturating_add(value);
    }
    scan.transfers += 1;
    held
}

/// One range of a token's transfers, fetched: what [`store_range`] applies.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The last block of the range.
    pub to: u64,
    /// Its transfers in the chain's order: block, transaction, from, to, value.
    pub transfers: Vec<(u64, B256, Address, Address, U256)>,
    /// The block time of its first mint, when the replay has none yet and the range has one.
    pub first_mint_time: Option<u64>,
}

/// The first block to replay for `token`: where its code first appears (a binary search over
/// `eth_getCode` at past blocks, about 25 requests, once a token), or block 0 where the node keeps no
/// past state.
pub async fn deployment_block(client: &ChainClient, token: Address, head: u64) -> u64 {
    let code_at =
        |block: u64| async move { client.provider.get_code_at(token).number(block).await.map(|c| !c.is_empty()) };
    if !matches!(code_at(head).await, Ok(true)) {
        return 0;
    }
    let (mut lo, mut hi) = (0u64, head);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match code_at(mid).await {
            Ok(true) => hi = mid,
            Ok(false) => lo = mid + 1,
            Err(_) => return 0,
        }
    }
    lo
}

/// The transfers of `token` in blocks `from..=to` (a range the node refuses halved), in the chain's
/// order; with the first mint's block time when `need_first_mint`. Reads only.
pub async fn fetch_range(
    client: &ChainClient,
    token: Address,
    from: u64,
    to: u64,
    need_first_mint: bool,
) -> Result<Fetched> {
    let mut requests = 0;
    let logs = transfer_logs(client, &[token], &[], from, to, MAX_LOG_SPLITS, &mut requests).await?;
    let mut transfers = Vec::with_capacity(logs.len());
    let mut ordered = Vec::with_capacity(logs.len());
    for log in &logs {
        let Ok(e) = IERC20Metadata::Transfer::decode_log(&log.inner) else { continue };
        if log.address() != token || log.removed {
            continue;
        }
        ordered.push((
            log.block_number.unwrap_or(from),
            log.log_index.unwrap_or(0),
            log.transaction_hash.unwrap_or_default(),
            e.data,
        ));
    }
    // In the chain's order, whatever order the node answered in.
    ordered.sort_by_key(|(block, index, _, _)| (*block, *index));
    for (block, _, tx, e) in ordered {
        transfers.push((block, tx, e.from, e.to, e.value));
    }
    let mut first_mint_time = None;
    if need_first_mint && let Some((block, ..)) = transfers.iter().find(|t| t.2.is_zero()) {
        first_mint_time = client
            .provider
            .get_block_by_number((*block).into())
            .await
            .map_err(|e| rpc_error(&client.endpoint, e))?
            .map(|b| b.header.timestamp);
    }
    Ok(Fetched { to, transfers, first_mint_time })
}

/// Applies a fetched range to the stored balances and stores them with the cursor, in one transaction.
pub fn store_range(db: &Db, chain_id: u64, token: Address, scan: &mut HolderScan, range: &Fetched) -> Result<()> {
    let touched: Vec<Address> = range.transfers.iter().flat_map(|t| [t.2, t.3]).filter(|a| !a.is_zero()).collect();
    let mut balances = db.holder_balances(chain_id, token, &touched)?;
    for (block, tx, from, to, value) in &range.transfers {
        if scan.first_mint.is_none() && from.is_zero() {
            scan.first_mint = Some((*block, *tx, range.first_mint_time));
        }
        if !apply(&mut balances, scan, *from, *to, *value) {
            scan.inconsistent = true;
        }
    }
    scan.next_block = range.to + 1;
    db.store_holders(chain_id, token, &balances, scan)
}

/// The token's `totalSupply()` at `block`, when it says.
pub async fn supply_at(client: &ChainClient, token: Address, block: u64) -> Option<U256> {
    IERC20Metadata::new(token, &client.provider).totalSupply().block(block.into()).call().await.ok()
}

/// Where a stored replay stands: the scan, how many hold the token, and the largest holders.
pub type Stored = (HolderScan, u64, Vec<(Address, U256)>);

/// Where the stored replay of `listed` stands.
pub fn stored(db: &Db, chain_id: u64, listed: &crate::chain::token::Token) -> Result<Stored> {
    let scan = db.holder_scan(chain_id, listed.address)?.unwrap_or_default();
    let (count, top) = db.top_holders(chain_id, listed.address, TOP_HOLDERS)?;
    Ok((scan, count, top))
}

/// What the replay of `listed` says (from [`stored`]), with its `totalSupply` at the block reached
/// (read by the caller, [`supply_at`]); `deep` is the chain's deep head, to say whether it is complete.
pub fn summary(
    listed: &crate::chain::token::Token,
    (scan, count, top): Stored,
    total_supply: Option<U256>,
    deep: u64,
) -> Holders {
    let complete = scan.next_block > deep;
    let adds_up = total_supply.is_none_or(|s| s == scan.supply);
    Holders {
        token: listed.clone(),
        as_of_block: scan.next_block.saturating_sub(1),
        complete,
        count,
        top,
        supply_by_logs: scan.supply,
        total_supply,
        transfers: scan.transfers,
        first_mint: scan.first_mint,
        inconsistent: scan.inconsistent || (complete && !adds_up),
    }
}

/// The chain's deep head: the newest block [`crate::chain::network::Network::confirmations`] deep.
pub async fn deep_head(client: &ChainClient) -> Result<u64> {
    let head = client.provider.get_block_number().await.map_err(|e| rpc_error(&client.endpoint, e))?;
    Ok(head.saturating_sub(client.network.confirmations.max(1) - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mints add to the supply, burns take from it, a transfer moves between holders, and one of
    /// more than its sender held is flagged.
    #[test]
    fn transfers_replayed_add_up() {
        let (a, b) = (Address::repeat_byte(1), Address::repeat_byte(2));
        let mut balances = HashMap::new();
        let mut scan = HolderScan::default();
        assert!(apply(&mut balances, &mut scan, Address::ZERO, a, U256::from(100u8)));
        assert!(apply(&mut balances, &mut scan, a, b, U256::from(30u8)));
        assert!(apply(&mut balances, &mut scan, b, Address::ZERO, U256::from(10u8)));
        assert_eq!(
            (balances[&a], balances[&b], scan.supply, scan.transfers),
            (U256::from(70u8), U256::from(20u8), U256::from(90u8), 3)
        );
        assert!(!apply(&mut balances, &mut scan, b, a, U256::from(21u8)), "more than b held by the logs");
    }
}
