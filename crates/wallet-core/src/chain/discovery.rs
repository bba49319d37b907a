//! Account discovery on restore: which accounts of a recovery phrase have been used.
//!
//! Addresses are derived 20 at a time; each window costs two requests: one `aggregate3` for every
//! native and listed-token balance, one JSON-RPC batch for the nonces. An account is **used** when
//! it has any nonce, any native balance, or any balance of a listed token (MetaMask stops at the first
//! account without ether and loses token-only accounts). The scan stops after [`GAP_LIMIT`] unused
//! accounts in a row (BIP44's gap limit).

use alloy::primitives::{Address, U256};

use crate::chain::balance::{self, SyncOptions};
use crate::chain::network::{ChainClient, rpc_error};
use crate::chain::privacy::Privacy;
use crate::error::Result;
use crate::keys::derivation::{AccountScheme, derive_accounts};
use crate::secret::Seed;

/// Unused accounts in a row after which the scan stops.
pub const GAP_LIMIT: u32 = 20;

/// What a discovery found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Discovery {
    /// Indexes of the used accounts, ascending.
    pub used: Vec<u32>,
    /// How many accounts were examined.
    pub scanned: u32,
    /// How many accounts to set up: up to and including the last used one (at least 1).
    pub accounts: u32,
    /// JSON-RPC requests made.
    pub requests: u32,
}

/// Scans the accounts of `seed` (in `scheme`) on `client`'s network, reporting progress
/// (`scanned`, `used so far`) after each window; stops at `max_accounts` in any case. A window's
/// addresses are read together.
pub async fn discover(
    client: &ChainClient,
    seed: &Seed,
    scheme: AccountScheme,
    tokens: &[Address],
    max_accounts: u32,
    progress: impl FnMut(u32, usize),
) -> Result<Discovery> {
    discover_with(client, seed, scheme, tokens, max_accounts, Privacy::default(), progress).await
}

/// [`discover`], each address read as `privacy` says (one request group per address when it reads
/// accounts separately: no request carries two of them).
pub async fn discover_with(
    client: &ChainClient,
    seed: &Seed,
    scheme: AccountScheme,
    tokens: &[Address],
    max_accounts: u32,
    privacy: Privacy,
    mut progress: impl FnMut(u32, usize),
) -> Result<Discovery> {
    let mut used = Vec::new();
    let mut scanned = 0u32;
    let mut requests = 0u32;
    let mut last_used: Option<u32> = None;
    while scanned < max_accounts {
        let since_last = scanned - last_used.map_or(0, |l| l + 1);
        if since_last >= GAP_LIMIT {
            break;
        }
        let window = GAP_LIMIT.min(max_accounts - scanned);
        let accounts = derive_accounts(seed, scheme, scanned, window)?;
        let addresses: Vec<Address> = accounts.iter().map(|a| a.address).collect();
        let mut funded = Vec::new();
        for (n, group) in privacy.groups(&addresses).into_iter().enumerate() {
            if n > 0 {
                privacy.pause().await;
            }
            let snapshot = balance::sync(client, &group, tokens, SyncOptions::default()).await?;
            let nonces = nonces(client, &group, snapshot.block_number).await?;
            requests += snapshot.requests + 1;
            for (i, address) in group.iter().enumerate() {
                let has_funds =
                    snapshot.balances.iter().any(|b| b.account == *address && b.amount.is_some_and(|a| a > U256::ZERO));
                if has_funds || nonces[i] > 0 {
                    funded.push(*address);
                }
            }
        }
        for account in &accounts {
            if funded.contains(&account.address) {
                used.push(account.index);
                last_used = Some(account.index);
            }
        }
        scanned += window;
        progress(scanned, used.len());
    }
    let accounts = last_used.map_or(1, |l| l + 1);
    Ok(Discovery { used, scanned, accounts, requests })
}

/// Nonces of `addresses` at `block`, in one JSON-RPC batch.
async fn nonces(client: &ChainClient, addresses: &[Address], block: u64) -> Result<Vec<u64>> {
    let at = alloy::eips::BlockId::number(block);
    let mut batch = client.rpc.new_batch();
    let mut waiters = Vec::with_capacity(addresses.len());
    for a in addresses {
        waiters.push(
            batch
                .add_call::<_, alloy::primitives::U64>("eth_getTransactionCount", &(a, at))
                .map_err(|e| rpc_error(&client.endpoint, e))?,
        );
    }
    batch.send().await.map_err(|e| rpc_error(&client.endpoint, e))?;
    let mut out = Vec::with_capacity(waiters.len());
    for w in waiters {
        out.push(w.await.map_err(|e| rpc_error(&client.endpoint, e))?.to::<u64>());
    }
    Ok(out)
}
