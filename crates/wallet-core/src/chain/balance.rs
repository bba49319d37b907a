//! Balance sync: every native and token balance of every account in **one round trip**.
//!
//! Where the network has Multicall3, one `eth_call` to `aggregate3` carries `getBlockNumber`,
//! `getEthBalance` for each account and `balanceOf` for each (token, account), every token call
//! allowed to fail alone. Lists longer than [`SyncOptions::max_calls`] are cut into equal chunks
//! sent concurrently and checked to be read at one block. Without Multicall3, JSON-RPC batches carry
//! `eth_blockNumber`, `eth_getBalance` and `eth_call`s at one block. Every result carries its block number, so a cache
//! can refuse to replace newer balances with older ones.

use std::sync::atomic::{AtomicU32, Ordering};

use alloy::eips::BlockId;
use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::sol;
use alloy::sol_types::SolCall;
use futures_util::future::{BoxFuture, try_join_all};

use crate::chain::network::{ChainClient, redact_error};
use crate::chain::token::IERC20Metadata;
use crate::error::{Error, ErrorCode, Result};

sol! {
    interface IMulticall3 {
        struct Call3 { address target; bool allowFailure; bytes callData; }
        struct Result { bool success; bytes returnData; }
        function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData);
        function getEthBalance(address addr) external view returns (uint256 balance);
        function getBlockNumber() external view returns (uint256 blockNumber);
    }
}

pub use crate::store::records::{Balance, Snapshot};

/// Tuning of [`sync`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncOptions {
    /// Most balance calls in one `aggregate3` eth_call. Longer lists are cut into equal chunks, all
    /// sent at once; a chunk the node refuses is halved and sent again (see [`MAX_CALLS`]).
    pub max_calls: usize,
}

/// The default [`SyncOptions::max_calls`], chosen by measurement (BENCHMARKS.md "How cost grows"):
/// one `balanceOf` in `aggregate3` costs 448 bytes of JSON request and about 6 500 gas, so 3 500
/// calls are a 1.6 MB request and about 23 M gas: inside anvil's limits (2 MiB request body, the
/// 30 M block gas limit as eth_call's cap) and geth's and reth's defaults (5 MiB, `--rpc.gascap`
/// 50 M; both exempt eth_call from EIP-7825's 2^24 transaction cap). 10 000 balances are 3 calls.
pub const MAX_CALLS: usize = 3_500;

/// The smallest chunk a refused one is halved to before the refusal is final.
const MIN_SPLIT_CALLS: usize = 50;

/// Most `eth_getBalance`/`eth_call` entries in one JSON-RPC batch (the fallback without Multicall3):
/// providers cap batches (Alchemy: 1 000).
const MAX_BATCH: usize = 1_000;

impl Default for SyncOptions {
    fn default() -> Self {
        Self { max_calls: MAX_CALLS }
    }
}

fn bad(client: &ChainClient, detail: impl std::fmt::Display) -> Error {
    Error::BadRpcResponse { detail: redact_error(&detail.to_string(), &client.endpoint) }
}

fn unavailable(client: &ChainClient, e: alloy::transports::TransportError) -> Error {
    crate::chain::network::rpc_error(&client.endpoint, e)
}

/// One balance to read: an account's native balance (`None`) or its balance of a token.
pub type Wanted = (Address, Option<Address>);

/// The calls of a sync, in result order: per account its native balance, then each token's.
fn plan(accounts: &[Address], tokens: &[Address]) -> Vec<Wanted> {
    accounts
        .iter()
        .flat_map(|a| std::iter::once((*a, None)).chain(tokens.iter().map(move |t| (*a, Some(*t)))))
        .collect()
}

fn decode_u256(data: &[u8]) -> Option<U256> {
    // A balance is exactly one 32-byte word; anything else is not an ERC-20 answer.
    (data.len() == 32).then(|| U256::from_be_slice(data))
}

/// Decodes a node's answer to one `aggregate3` of `getBlockNumber` followed by `calls` balance calls:
/// the block number and each call's result. The answer is untrusted: a wrong count, a malformed
/// encoding or a block number that is not one is an error, never a panic or a guess.
pub fn decode_aggregate3(raw: &[u8], calls: usize) -> std::result::Result<(u64, Vec<IMulticall3::Result>), String> {
    let decoded = IMulticall3::aggregate3Call::abi_decode_returns(raw).map_err(|e| format!("aggregate3: {e}"))?;
    if decoded.len() != calls + 1 {
        return Err(format!("aggregate3 returned {} results for {} calls", decoded.len(), calls + 1));
    }
    let mut decoded = decoded.into_iter();
    let number = decoded
        .next()
        .and_then(|first| decode_u256(&first.returnData))
        .and_then(|n| u64::try_from(n).ok())
        .ok_or("getBlockNumber")?;
    Ok((number, decoded.collect()))
}

/// A balance call's result: exactly one 32-byte word, else `None` (not an ERC-20 answer).
pub fn decode_balance(result: &IMulticall3::Result) -> Option<U256> {
    if result.success { decode_u256(&result.returnData) } else { None }
}

/// Reads every balance of `accounts` in native currency and `tokens`.
pub async fn sync(
    client: &ChainClient,
    accounts: &[Address],
    tokens: &[Address],
    options: SyncOptions,
) -> Result<Snapshot> {
    read(client, &plan(accounts, tokens), options).await
}

/// Reads the balances `wanted`, all at one block, into a snapshot in the same order. A shop reads
/// one (deposit address, token) pair per order rather than every token of every address.
pub async fn read(client: &ChainClient, wanted: &[Wanted], options: SyncOptions) -> Result<Snapshot> {
    match client.network.multicall3 {
        Some(multicall) => match read_multicall(client, multicall, wanted, options).await {
            Err(Error::BadRpcResponse { .. }) if !has_code(client, multicall).await? => {
                read_batch(client, wanted).await
            }
            other => other,
        },
        None => read_batch(client, wanted).await,
    }
}

async fn has_code(client: &ChainClient, address: Address) -> Result<bool> {
    let code = client.provider.get_code_at(address).await.map_err(|e| unavailable(client, e))?;
    Ok(!code.is_empty())
}

/// The answer to one `aggregate3` chunk: its calls' results from `start` on, read at `block`.
struct Piece {
    start: usize,
    block: u64,
    results: Vec<IMulticall3::Result>,
}

/// How many times a refused chunk may be halved (a chunk of 3 500 ends at 437 at the smallest).
const MAX_SPLITS: u32 = 3;

/// Whether the node declined this request as such (an error answer, an HTTP error status such as
/// 413 for a body too large, or hanging up while it was sent), as opposed to not being reachable or
/// not answering in time: a smaller request may then pass.
fn refused(e: &alloy::transports::TransportError) -> bool {
    use alloy::transports::{RpcError, TransportErrorKind};
    match e {
        RpcError::ErrorResp(_) | RpcError::Transport(TransportErrorKind::HttpError(_)) => true,
        RpcError::Transport(TransportErrorKind::Custom(e)) => e.is::<crate::chain::transport::RequestFailed>(),
        _ => false,
    }
}

/// Reads `calls` (the sync's calls from `start` on) in one `aggregate3` at `at`, led by
/// `getBlockNumber`; if the node refuses it, the two halves, concurrently, up to `splits` times.
fn read_chunk<'a>(
    client: &'a ChainClient,
    multicall: Address,
    calls: &'a [IMulticall3::Call3],
    start: usize,
    at: BlockId,
    splits: u32,
    requests: &'a AtomicU32,
) -> BoxFuture<'a, Result<Vec<Piece>>> {
    Box::pin(async move {
        let mut batch = Vec::with_capacity(calls.len() + 1);
        batch.push(IMulticall3::Call3 {
            target: multicall,
            allowFailure: false,
            callData: IMulticall3::getBlockNumberCall {}.abi_encode().into(),
        });
        batch.extend_from_slice(calls);
        let input: Bytes = IMulticall3::aggregate3Call { calls: batch }.abi_encode().into();
        let tx = TransactionRequest::default().to(multicall).input(input.into());
        requests.fetch_add(1, Ordering::Relaxed);
        match client.provider.call(tx).block(at).await {
            Ok(raw) => {
                let (block, results) = decode_aggregate3(&raw, calls.len())
                    .map_err(|_| bad(client, "the multicall answer could not be decoded"))?;
                Ok(vec![Piece { start, block, results }])
            }
            Err(e) if refused(&e) && splits > 0 && calls.len() >= 2 * MIN_SPLIT_CALLS => {
                let half = calls.len() / 2;
                let (first, second) = tokio::try_join!(
                    read_chunk(client, multicall, &calls[..half], start, at, splits - 1, requests),
                    read_chunk(client, multicall, &calls[half..], start + half, at, splits - 1, requests),
                )?;
                Ok(first.into_iter().chain(second).collect())
            }
            Err(e) => Err(unavailable(client, e)),
        }
    })
}

async fn read_multicall(
    client: &ChainClient,
    multicall: Address,
    wanted: &[Wanted],
    options: SyncOptions,
) -> Result<Snapshot> {
    let calls: Vec<IMulticall3::Call3> = wanted
        .iter()
        .map(|(account, token)| match token {
            None => IMulticall3::Call3 {
                target: multicall,
                allowFailure: false,
                callData: IMulticall3::getEthBalanceCall { addr: *account }.abi_encode().into(),
            },
            Some(t) => IMulticall3::Call3 {
                target: *t,
                allowFailure: true,
                callData: IERC20Metadata::balanceOfCall { owner: *account }.abi_encode().into(),
            },
        })
        .collect();
    if calls.is_empty() {
        let block_number = client.provider.get_block_number().await.map_err(|e| unavailable(client, e))?;
        return Ok(Snapshot { chain_id: client.network.chain_id, block_number, balances: Vec::new(), requests: 1 });
    }

    // Equal chunks, all in flight at once, each at the latest block.
    let requests = AtomicU32::new(0);
    let count = calls.len().div_ceil(options.max_calls.max(1));
    let size = calls.len().div_ceil(count);
    let reads = calls
        .chunks(size)
        .enumerate()
        .map(|(i, chunk)| read_chunk(client, multicall, chunk, i * size, BlockId::latest(), MAX_SPLITS, &requests));
    let mut pieces: Vec<Piece> = try_join_all(reads).await?.into_iter().flatten().collect();

    // One block for all: a chunk answered at another block than the first (a block arrived between
    // them) is read again at the first's.
    let block_number = pieces[0].block;
    let late: Vec<usize> = (0..pieces.len()).filter(|i| pieces[*i].block != block_number).collect();
    if !late.is_empty() {
        let again = late.iter().map(|i| {
            let p = &pieces[*i];
            let range = p.start..p.start + p.results.len();
            read_chunk(client, multicall, &calls[range], p.start, BlockId::number(block_number), 0, &requests)
        });
        let again: Vec<Piece> = try_join_all(again).await?.into_iter().flatten().collect();
        if again.iter().any(|p| p.block != block_number) {
            return Err(bad(client, "the node answered chunks at different blocks"));
        }
        for (i, p) in late.into_iter().zip(again) {
            pieces[i] = p;
        }
    }
    pieces.sort_by_key(|p| p.start);

    let balances = wanted
        .iter()
        .zip(pieces.into_iter().flat_map(|p| p.results))
        .map(|((account, token), r)| Balance { account: *account, token: *token, amount: decode_balance(&r) })
        .collect::<Vec<_>>();
    if balances.len() != wanted.len() {
        return Err(bad(client, "aggregate3 returned too few results"));
    }
    // The native balance call must not fail: if it did, the node is not a real node.
    if balances.iter().any(|b| b.token.is_none() && b.amount.is_none()) {
        return Err(bad(client, "getEthBalance"));
    }
    Ok(Snapshot { chain_id: client.network.chain_id, block_number, balances, requests: requests.into_inner() })
}

/// Without Multicall3: JSON-RPC batches of at most [`MAX_BATCH`] entries (the block number first,
/// then every balance at that block).
async fn read_batch(client: &ChainClient, wanted: &[Wanted]) -> Result<Snapshot> {
    let block_number = client.provider.get_block_number().await.map_err(|e| unavailable(client, e))?;
    let block = BlockId::number(block_number);
    let mut requests = 1;
    let mut balances = Vec::with_capacity(wanted.len());
    for part in wanted.chunks(MAX_BATCH) {
        let mut batch = client.rpc.new_batch();
        let mut natives = Vec::new();
        let mut calls = Vec::new();
        for (account, token) in part {
            match token {
                None => natives.push(
                    batch
                        .add_call::<_, U256>("eth_getBalance", &(account, block))
                        .map_err(|e| unavailable(client, e))?,
                ),
                Some(t) => {
                    let tx = TransactionRequest::default()
                        .to(*t)
                        .input(Bytes::from(IERC20Metadata::balanceOfCall { owner: *account }.abi_encode()).into());
                    calls.push(
                        batch.add_call::<_, Bytes>("eth_call", &(tx, block)).map_err(|e| unavailable(client, e))?,
                    );
                }
            }
        }
        batch.send().await.map_err(|e| unavailable(client, e))?;
        requests += 1;
        let mut natives = natives.into_iter();
        let mut calls = calls.into_iter();
        for (account, token) in part {
            let amount = match token {
                None => Some(
                    natives.next().ok_or_else(|| bad(client, "batch"))?.await.map_err(|e| unavailable(client, e))?,
                ),
                Some(_) => {
                    calls.next().ok_or_else(|| bad(client, "batch"))?.await.ok().and_then(|d: Bytes| decode_u256(&d))
                }
            };
            balances.push(Balance { account: *account, token: *token, amount });
        }
    }
    Ok(Snapshot { chain_id: client.network.chain_id, block_number, balances, requests })
}

/// What a refresh shows: live balances, or the last known ones with the reason they are not live.
#[derive(Debug, serde::Serialize)]
pub struct Refresh {
    /// Balances to show (live ones were just stored).
    pub balances: Vec<crate::store::CachedBalance>,
    /// Whether these were read from the network just now.
    pub live: bool,
    /// Requests the sync took (0 when offline).
    pub requests: u32,
    /// Why the balances are not live (network down, bad answer), for the offline banner.
    pub error: Option<String>,
    /// Its stable code.
    pub error_code: Option<ErrorCode>,
}

/// A read of the network's balances, before it is stored: live, or why not (reachability only).
#[derive(Debug)]
pub enum Live {
    /// Read just now.
    Read(Snapshot),
    /// Not read: the network failed; the stable code and the reason, for the offline banner.
    Offline {
        /// Its stable code.
        code: ErrorCode,
        /// Why, in words.
        reason: String,
    },
}

/// Syncs without touching the database (a face keeps reading the cache meanwhile). When the network
/// fails (here, or already in `connect`, whose result `client` is) it says why; only errors that are
/// not about reachability are returned.
pub async fn read_live(
    client: std::result::Result<&ChainClient, &Error>,
    accounts: &[Address],
    tokens: &[Address],
) -> Result<Live> {
    match client {
        Ok(c) => match sync(c, accounts, tokens, SyncOptions::default()).await {
            Ok(snapshot) => Ok(Live::Read(snapshot)),
            Err(e) if is_offline(&e) => Ok(Live::Offline { code: e.code(), reason: e.to_string() }),
            Err(e) => Err(e),
        },
        Err(e) if is_offline(e) => Ok(Live::Offline { code: e.code(), reason: e.to_string() }),
        Err(e) => Err(Error::BadRpcResponse { detail: e.to_string() }),
    }
}

/// Stores a live read in `db` and returns what to show: the balances just read, or the cached ones
/// with their age and the reason they are not live.
pub fn store_live(
    live: Live,
    chain_id: u64,
    db: &mut crate::store::Db,
    accounts: &[Address],
    now: u64,
) -> Result<Refresh> {
    match live {
        Live::Read(snapshot) => {
            db.store_snapshot(&snapshot, now)?;
            Ok(Refresh {
                balances: db.cached_balances(chain_id, accounts)?,
                live: true,
                requests: snapshot.requests,
                error: None,
                error_code: None,
            })
        }
        Live::Offline { code, reason } => Ok(Refresh {
            balances: db.cached_balances(chain_id, accounts)?,
            live: false,
            requests: 0,
            error_code: Some(code),
            error: Some(reason),
        }),
    }
}

/// [`read_live`] then [`store_live`].
pub async fn refresh(
    client: std::result::Result<&ChainClient, &Error>,
    chain_id: u64,
    db: &mut crate::store::Db,
    accounts: &[Address],
    tokens: &[Address],
    now: u64,
) -> Result<Refresh> {
    let live = read_live(client, accounts, tokens).await?;
    store_live(live, chain_id, db, accounts, now)
}

/// Failures that mean "show the last known balances" rather than "stop".
fn is_offline(e: &Error) -> bool {
    matches!(e, Error::RpcUnavailable { .. } | Error::BadRpcResponse { .. })
}

/// How [`watch`] polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchOptions {
    /// Time between block-number polls while the network answers.
    pub interval: std::time::Duration,
    /// The longest wait between attempts while it does not (the wait doubles from `interval`).
    pub max_backoff: std::time::Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self { interval: std::time::Duration::from_secs(2), max_backoff: std::time::Duration::from_secs(60) }
    }
}

/// Live balances: polls the block number, refreshes (one sync, stored in `db`) on every new block and
/// hands the result to `on_update`; on RPC errors it hands over the cached balances with the reason
/// and backs off exponentially up to `max_backoff`. Returns when `on_update` returns `false`.
pub async fn watch(
    client: &ChainClient,
    db: &mut crate::store::Db,
    accounts: &[Address],
    tokens: &[Address],
    options: WatchOptions,
    mut on_update: impl FnMut(&Refresh) -> bool,
) -> Result<()> {
    let mut last_block = None;
    let mut wait = options.interval;
    loop {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        match client.provider.get_block_number().await {
            Ok(block) => {
                wait = options.interval;
                if last_block != Some(block) {
                    let refresh = refresh(Ok(client), client.network.chain_id, db, accounts, tokens, now).await?;
                    if refresh.live {
                        last_block = Some(block);
                    }
                    if !on_update(&refresh) {
                        return Ok(());
                    }
                }
            }
            Err(e) => {
                let error = unavailable(client, e);
                let refresh = refresh(Err(&error), client.network.chain_id, db, accounts, tokens, now).await?;
                if !on_update(&refresh) {
                    return Ok(());
                }
                wait = (wait * 2).min(options.max_backoff);
            }
        }
        tokio::time::sleep(wait).await;
    }
}
