//! Sent and received payments.

use tauri::State;

use crate::dto::{History, HistoryItem};
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// The history of account `index`, newest first, brought up to date with the network when it
/// answers (reading only: nothing is ever sent by looking at the history).
#[tauri::command]
#[specta::specta]
pub async fn history_list(state: State<'_, AppState>, index: u32) -> CmdResult<History> {
    let h = state.session.history(Some(index)).await?;
    let items = h
        .items
        .into_iter()
        .map(|i| {
            let status = i.status();
            let (counterparty, tx_hash, block_number, time, order, request_uri, error) = match (&i.payment, &i.received)
            {
                (Some(p), _) => (
                    p.payee,
                    p.tx_hash,
                    p.block_number,
                    Some(p.created_at),
                    p.order.clone(),
                    Some(p.request_uri.clone()),
                    // Only the node's own words (a refusal); the UI words every status itself.
                    p.error.clone().filter(|_| p.status == wallet_core::store::PaymentStatus::Rejected),
                ),
                (None, Some(r)) => (r.from, r.tx_hash, Some(r.block_number), None, None, None, None),
                (None, None) => (Default::default(), Default::default(), None, None, None, None, None),
            };
            HistoryItem {
                direction: i.direction,
                status,
                amount_display: i.amount_display,
                symbol: i.symbol,
                counterparty: counterparty.to_checksum(None),
                tx_hash: tx_hash.to_string(),
                explorer: i.explorer,
                block_number,
                time,
                order,
                request_uri,
                error,
            }
        })
        .collect();
    Ok(History { items, notice: h.notice.as_ref().map(CommandError::from) })
}
