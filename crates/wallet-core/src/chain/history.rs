//! History of what the accounts received: ERC-20 `Transfer` logs to them, found with `eth_getLogs`
//! in bounded block ranges, several in flight, incrementally and resumably (a cursor per account,
//! saved with each range's transfers in one database transaction, ranges stored in order). Received
//! ether leaves no log; where [`ScanOptions::native_blocks`] is on (the dev chain) blocks are read to
//! find it; public networks need an indexer for that, which Tender does not have yet. What the
//! accounts sent is in the payments table (recorded at broadcast).

use alloy::consensus::Transaction as _;
use alloy::eips::BlockNumberOrTag;
use alloy::primitives::{Address, B256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use futures_util::StreamExt;

use crate::chain::network::{ChainClient, rpc_error};
use crate::chain::token::IERC20Metadata;
use crate::error::Result;
use crate::store::Db;

pub use crate::store::records::Received;

/// How far and how fast to scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    /// Most blocks per `eth_getLogs` (providers cap ranges; 2 000 is accepted by most).
    pub max_range: u64,
    /// On the first scan of an account, how many blocks back from the head to start.
    pub initial_lookback: u64,
    /// Also read blocks to find received ether (only sensible on a small chain).
    pub native_blocks: bool,
}

impl ScanOptions {
    /// Defaults for `chain_id`: block reading for ether only on the dev chain.
    pub fn for_chain(chain_id: u64) -> Self {
        Self {
            max_range: 2_000,
            initial_lookback: 50_000,
            native_blocks: crate::chain::network::network_data(chain_id).is_some_and(|n| n.native_transfers_in_blocks),
        }
    }
}

/// What one scan did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ScanReport {
    /// First block scanned (`None` when there was nothing new).
    pub from_block: Option<u64>,
    /// Last block scanned.
    pub to_block: u64,
    /// New transfers found.
    pub found: usize,
    /// Requests made.
    pub requests: u32,
}

/// Scans from each account's cursor to the head for transfers received in `tokens` (and ether, if
/// enabled), storing them and advancing the cursors range by range.
pub async fn scan_received(
    client: &ChainClient,
    db: &mut Db,
    accounts: &[Address],
    tokens: &[Address],
    options: ScanOptions,
) -> Result<ScanReport> {
    let chain_id = client.network.chain_id;
    let head = client.provider.get_block_number().await.map_err(|e| rpc_error(&client.endpoint, e))?;
    let mut requests = 1;
    let default_start = head.saturating_sub(options.initial_lookback);
    let mut start = u64::MAX;
    for a in accounts {
        start = start.min(db.scan_cursor(chain_id, *a)?.unwrap_or(default_start));
    }
    if accounts.is_empty() || start > head {
        return Ok(ScanReport { from_block: None, to_block: head, found: 0, requests });
    }
    let topics: Vec<B256> = accounts.iter().map(|a| a.into_word()).collect();
    let step = options.max_range.max(1);
    let ranges = (start..=head)
        .step_by(usize::try_from(step).unwrap_or(usize::MAX))
        .map(|from| (from, head.min(from + step - 1)));
    // Several ranges in flight (a node far away costs a round trip each), stored strictly in order:
    // the cursor saved with each range's transfers never passes a range not yet stored.
    let mut fetches = futures_util::stream::iter(ranges)
        .map(|(from, to)| fetch_range(client, accounts, tokens, &topics, from, to, options))
        .buffered(SCAN_IN_FLIGHT);
    let mut found = 0;
    while let Some(fetched) = fetches.next().await {
        let (to, batch, made) = fetched?;
        requests += made;
        found += db.store_received(chain_id, accounts, &batch, to + 1)?;
    }
    Ok(ScanReport { from_block: Some(start), to_block: head, found, requests })
}

/// Ranges of a scan asked for at once.
pub const SCAN_IN_FLIGHT: usize = 4;

/// How many times a log query the node refuses (too many results, too wide a range) is halved: a
/// 2 000-block range ends at 31 blocks.
pub(crate) const MAX_LOG_SPLITS: u32 = 6;

/// The transfers received in blocks `from..=to` (dated), with `to` and the requests made.
async fn fetch_range(
    client: &ChainClient,
    accounts: &[Address],
    tokens: &[Address],
    topics: &[B256],
    from: u64,
    to: u64,
    options: ScanOptions,
) -> Result<(u64, Vec<Received>, u32)> {
    let chain_id = client.network.chain_id;
    let mut batch = Vec::new();
    let mut requests = 0;
    if !tokens.is_empty() {
        let logs = transfer_logs(client, tokens, topics, from, to, MAX_LOG_SPLITS, &mut requests).await?;
        for log in logs {
            let Ok(event) = IERC20Metadata::Transfer::decode_log(&log.inner) else { continue };
            let (Some(tx_hash), Some(block_number), Some(log_index)) =
                (log.transaction_hash, log.block_number, log.log_index)
            else {
                continue; // a pending log: picked up once mined
            };
            batch.push(Received {
                chain_id,
                account: event.to,
                token: Some(log.address()),
                from: event.from,
                amount: event.value,
                tx_hash,
                log_index,
                block_number,
                block_time: log.block_timestamp,
            });
        }
    }
    if options.native_blocks {
        for number in from..=to {
            let block = client
                .provider
                .get_block_by_number(BlockNumberOrTag::Number(number))
                .full()
                .await
                .map_err(|e| rpc_error(&client.endpoint, e))?;
            requests += 1;
            let Some(block) = block else { continue };
            for (i, tx) in block.transactions.txns().enumerate() {
                let Some(to_addr) = tx.to() else { continue };
                if tx.value().is_zero() || !accounts.contains(&to_addr) {
                    continue;
                }
                let hash = *tx.inner.tx_hash();
                let receipt =
                    client.provider.get_transaction_receipt(hash).await.map_err(|e| rpc_error(&client.endpoint, e))?;
                requests += 1;
                if receipt.is_some_and(|r| r.status()) {
                    batch.push(Received {
                        chain_id,
                        account: to_addr,
                        token: None,
                        from: tx.inner.signer(),
                        amount: tx.value(),
                        tx_hash: hash,
                        log_index: u64::from(u32::MAX) + i as u64,
                        block_number: number,
                        block_time: Some(block.header.timestamp),
                    });
                }
            }
        }
    }
    requests += date_blocks(client, &mut batch).await?;
    Ok((to, batch, requests))
}

/// `Transfer` logs of `tokens` to `topics` (to anyone: empty) in `from..=to`, as [`logs_halving`] reads
/// them.
pub(crate) async fn transfer_logs(
    client: &ChainClient,
    tokens: &[Address],
    topics: &[B256],
    from: u64,
    to: u64,
    splits: u32,
    requests: &mut u32,
) -> Result<Vec<alloy::rpc::types::Log>> {
    let filter = Filter::new().address(tokens.to_vec()).event_signature(IERC20Metadata::Transfer::SIGNATURE_HASH);
    let filter = if topics.is_empty() { filter } else { filter.topic2(topics.to_vec()) };
    logs_halving(client, &filter, from, to, splits, requests).await
}

/// The logs `filter` matches in `from..=to`; a range the node refuses (providers cap results per query
/// and range widths) is halved, up to `splits` times.
pub(crate) fn logs_halving<'a>(
    client: &'a ChainClient,
    filter: &'a Filter,
    from: u64,
    to: u64,
    splits: u32,
    requests: &'a mut u32,
) -> futures_util::future::BoxFuture<'a, Result<Vec<alloy::rpc::types::Log>>> {
    Box::pin(async move {
        *requests += 1;
        match client.provider.get_logs(&filter.clone().from_block(from).to_block(to)).await {
            Ok(logs) => Ok(logs),
            Err(alloy::transports::RpcError::ErrorResp(_)) if splits > 0 && to > from => {
                let middle = from + (to - from) / 2;
                let mut logs = logs_halving(client, filter, from, middle, splits - 1, requests).await?;
                logs.extend(logs_halving(client, filter, middle + 1, to, splits - 1, requests).await?);
                Ok(logs)
            }
            Err(e) => Err(rpc_error(&client.endpoint, e)),
        }
    })
}

/// Most blocks whose date one scan step asks for (their transfers stay undated past it, shown with
/// their block only): a wallet flooded with dust must not cost a request per block.
pub const MAX_DATED_BLOCKS: usize = 64;

/// Fills in the date of `batch`'s transfers whose logs came without it (nodes may leave
/// `blockTimestamp` out): one header a distinct block, at most [`MAX_DATED_BLOCKS`]. Returns the
/// requests made.
async fn date_blocks(client: &ChainClient, batch: &mut [Received]) -> Result<u32> {
    let mut blocks: Vec<u64> = batch.iter().filter(|r| r.block_time.is_none()).map(|r| r.block_number).collect();
    blocks.sort_unstable();
    blocks.dedup();
    let mut requests = 0;
    for number in blocks.into_iter().take(MAX_DATED_BLOCKS) {
        let block = client
            .provider
            .get_block_by_number(BlockNumberOrTag::Number(number))
            .await
            .map_err(|e| rpc_error(&client.endpoint, e))?;
        requests += 1;
        let Some(block) = block else { continue };
        for r in batch.iter_mut().filter(|r| r.block_number == number) {
            r.block_time = Some(block.header.timestamp);
        }
    }
    Ok(requests)
}
