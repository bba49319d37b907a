//! Sent and received payments.

use tauri::State;
use wallet_core::token::format_amount;

use super::account;
use crate::dto::{History, HistoryItem};
use crate::error::CmdResult;
use crate::state::{AppState, tokens};

/// The history of account `index`, newest first, brought up to date with the network when it answers.
#[tauri::command]
#[specta::specta]
pub async fn history_list(state: State<'_, AppState>, index: u32) -> CmdResult<History> {
    let account = account(&state, index).await?;
    let mut db = state.db.lock().await;
    let db = state.open_db(&mut db)?;
    let mut chain = state.chain.lock().await;
    let network = state.network(&mut chain).await?;
    let tokens = tokens(db, network.chain_id)?;
    let notice = match state.client(&mut chain).await {
        Ok(client) => {
            let addresses: Vec<_> = tokens.iter().map(|t| t.address).collect();
            wallet_core::history::catch_up(&client, db, &[account.address], &addresses).await
        }
        Err(e) => {
            chain.client = None;
            Some(e.to_string())
        }
    };
    let asset = |token: Option<alloy::primitives::Address>| match token {
        None => (network.native.symbol.clone(), network.native.decimals),
        Some(a) => tokens
            .iter()
            .find(|t| t.address == a)
            .map_or_else(|| (a.to_checksum(None), 0), |t| (t.symbol.clone(), t.decimals)),
    };
    let mut items = Vec::new();
    for p in db.payments(network.chain_id, account.address)? {
        let (symbol, decimals) = asset(p.token);
        items.push(HistoryItem {
            direction: "sent".into(),
            status: serde_json::to_value(p.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            amount_display: format_amount(p.amount, decimals),
            symbol,
            counterparty: p.payee.to_checksum(None),
            tx_hash: p.tx_hash.to_string(),
            explorer: network.explorer_tx_url(&p.tx_hash),
            block_number: p.block_number,
            time: Some(p.created_at),
            order: p.order.clone(),
            request_uri: Some(p.request_uri.clone()),
            error: p.error.clone(),
        });
    }
    for r in db.received(network.chain_id, account.address)? {
        let (symbol, decimals) = asset(r.token);
        items.push(HistoryItem {
            direction: "received".into(),
            status: "confirmed".into(),
            amount_display: format_amount(r.amount, decimals),
            symbol,
            counterparty: r.from.to_checksum(None),
            tx_hash: r.tx_hash.to_string(),
            explorer: network.explorer_tx_url(&r.tx_hash),
            block_number: Some(r.block_number),
            time: None,
            order: None,
            request_uri: None,
            error: None,
        });
    }
    // Newest first: pending (no block yet) on top, then by block.
    items.sort_by_key(|i| std::cmp::Reverse(i.block_number.unwrap_or(u64::MAX)));
    Ok(History { items, notice })
}
