//! Balances: from the cache at once, then live.

use tauri::State;
use wallet_core::balance;
use wallet_core::db::CachedBalance;
use wallet_core::network::Network;
use wallet_core::token::{Token, format_amount};

use super::account;
use crate::dto::{AccountView, BalanceRow, NetworkView, Portfolio};
use crate::error::{CmdResult, CommandError};
use crate::state::{AppState, now, tokens};

fn portfolio(
    account: &wallet_core::AccountInfo,
    network: &Network,
    tokens: &[Token],
    balances: &[CachedBalance],
    live: bool,
    offline: Option<CommandError>,
) -> Portfolio {
    let find = |token: Option<&Token>| {
        balances.iter().find(|b| b.account == account.address && b.token == token.map(|t| t.address))
    };
    let row = |token: Option<&Token>| {
        let cached = find(token);
        let (symbol, name, decimals) = match token {
            Some(t) => (t.symbol.clone(), t.name.clone(), t.decimals),
            None => (network.native.symbol.clone(), network.native.name.clone(), network.native.decimals),
        };
        let amount = cached.map(|b| b.amount).unwrap_or_default();
        BalanceRow {
            token: token.map(|t| t.address.to_checksum(None)),
            symbol,
            name,
            decimals,
            amount: amount.to_string(),
            display: format_amount(amount, decimals),
            featured: token.is_some_and(|t| t.featured),
            verified: token.is_none_or(|t| t.verified),
        }
    };
    let mut rows: Vec<BalanceRow> = tokens.iter().filter(|t| t.featured).map(|t| row(Some(t))).collect();
    rows.push(row(None));
    rows.extend(tokens.iter().filter(|t| !t.featured).map(|t| row(Some(t))));
    let newest = balances.iter().filter(|b| b.account == account.address).max_by_key(|b| b.fetched_at);
    Portfolio {
        account: AccountView::from(account),
        network: NetworkView::from(network),
        live,
        synced_at: newest.map(|b| b.fetched_at),
        block_number: newest.map(|b| b.block_number),
        offline,
        rows,
    }
}

/// The last known balances of account `index`, from the local database only: what the home screen
/// paints first, without waiting for the network.
#[tauri::command]
#[specta::specta]
pub async fn balances_cached(state: State<'_, AppState>, index: u32) -> CmdResult<Portfolio> {
    let account = account(&state, index).await?;
    let network = {
        let mut chain = state.chain.lock().await;
        state.network(&mut chain).await?
    };
    let mut db = state.db.lock().await;
    let db = state.open_db(&mut db)?;
    let tokens = tokens(db, network.chain_id)?;
    let cached = db.cached_balances(network.chain_id, &[account.address])?;
    Ok(portfolio(&account, &network, &tokens, &cached, false, None))
}

/// Reads the balances of account `index` from the network (one request), stores them and returns
/// them; offline, the last known ones with the reason.
#[tauri::command]
#[specta::specta]
pub async fn balances_refresh(state: State<'_, AppState>, index: u32) -> CmdResult<Portfolio> {
    let account = account(&state, index).await?;
    let mut db = state.db.lock().await;
    let db = state.open_db(&mut db)?;
    let mut chain = state.chain.lock().await;
    let network = state.network(&mut chain).await?;
    let client = state.client(&mut chain).await;
    if client.is_err() {
        chain.client = None;
    }
    let tokens = tokens(db, network.chain_id)?;
    let addresses: Vec<_> = tokens.iter().map(|t| t.address).collect();
    let refresh =
        balance::refresh(client.as_ref(), network.chain_id, db, &[account.address], &addresses, now()).await?;
    if !refresh.live {
        // Reconnect next time: the endpoint may be back, or another one may answer.
        chain.client = None;
    }
    let offline = refresh.error_code.map(|code| CommandError::new(code, refresh.error.clone().unwrap_or_default()));
    Ok(portfolio(&account, &network, &tokens, &refresh.balances, refresh.live, offline))
}
