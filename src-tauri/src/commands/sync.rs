//! Balances: from the cache at once, then live (the UI refreshes on each `NewBlock` event).

use tauri::State;
use wallet_core::session::Portfolios;

use crate::dto::{AccountView, BalanceRow, NetworkView, Portfolio};
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

pub(crate) fn portfolio(p: Portfolios) -> CmdResult<Portfolio> {
    let one = p.accounts.into_iter().next().ok_or(wallet_core::Error::UnknownAccount { index: 0 })?;
    let newest = one.holdings.iter().filter_map(|h| h.fetched_at.zip(h.block_number)).max();
    Ok(Portfolio {
        account: AccountView::from(&one.account),
        network: NetworkView::from(&p.network),
        live: p.live,
        synced_at: newest.map(|(at, _)| at),
        block_number: newest.map(|(_, block)| block),
        offline: p.offline.as_ref().map(CommandError::from),
        rows: one
            .holdings
            .into_iter()
            .map(|h| BalanceRow {
                featured: h.token.as_ref().is_some_and(|t| t.featured),
                verified: h.token.as_ref().is_none_or(|t| t.verified),
                listed_by: h.token.as_ref().and_then(|t| t.list.clone()),
                token: h.token.map(|t| t.address.to_checksum(None)),
                symbol: h.symbol,
                name: h.name,
                decimals: h.decimals,
                amount: h.amount.to_string(),
                display: h.display,
            })
            .collect(),
    })
}

/// The last known balances of account `index`, from the local database only: what the home screen
/// paints first, without waiting for the network.
#[tauri::command]
#[specta::specta]
pub async fn balances_cached(state: State<'_, AppState>, index: u32) -> CmdResult<Portfolio> {
    portfolio(state.session.cached_portfolios(Some(index)).await?)
}

/// Reads the balances of account `index` from the network (one request), stores and returns them;
/// offline, the last known ones with the reason.
#[tauri::command]
#[specta::specta]
pub async fn balances_refresh(state: State<'_, AppState>, index: u32) -> CmdResult<Portfolio> {
    portfolio(state.session.portfolios_live(Some(index)).await?)
}
