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
            let rejected = status == wallet_core::store::PaymentStatus::Rejected;
            let (moved, valid_until) = (i.moved(), i.valid_until());
            let mut item = HistoryItem {
                direction: i.direction,
                status,
                amount_display: i.amount_display,
                symbol: i.symbol,
                counterparty: String::new(),
                id: String::new(),
                tx_hash: None,
                domain: None,
                merchant: None,
                suspicion: i.suspicion,
                hidden: i.hidden,
                description: None,
                explorer: i.explorer,
                block_number: None,
                time: None,
                order: None,
                request_uri: None,
                error: None,
                kind: wallet_core::store::PaymentKind::Payment,
                replaceable: false,
                moved,
                valid_until,
            };
            // Only the node's or the shop's own words (a refusal); the UI words every status itself.
            if let Some(p) = &i.payment {
                item.counterparty = p.payee.to_checksum(None);
                item.id = p.tx_hash.to_string();
                item.tx_hash = Some(p.tx_hash.to_string());
                item.block_number = p.block_number;
                item.time = Some(p.created_at);
                item.order = p.order.clone();
                item.request_uri = Some(p.request_uri.clone());
                item.merchant = wallet_core::pay::request::parse(&p.request_uri)
                    .ok()
                    .and_then(|r| wallet_core::pay::verdict::RequestSummary::of(&r).merchant);
                item.error = p.error.clone().filter(|_| rejected);
                item.kind = p.kind;
                item.replaceable = wallet_core::pay::replace::replaceable(std::slice::from_ref(p));
            } else if let Some(a) = &i.authorization {
                item.counterparty = a.payee.to_checksum(None);
                item.id = a.nonce.to_string();
                item.tx_hash = a.tx_hash.map(|h| h.to_string());
                item.block_number = a.block_number;
                item.time = Some(a.created_at);
                item.domain = Some(a.domain.clone());
                item.description = a.description.clone();
                item.request_uri = Some(a.resource.clone());
                item.error = a.error.clone().filter(|_| rejected);
            } else if let Some(r) = &i.received {
                item.counterparty = r.from.to_checksum(None);
                item.id = r.tx_hash.to_string();
                item.tx_hash = Some(r.tx_hash.to_string());
                item.block_number = Some(r.block_number);
                item.time = r.block_time;
            }
            item
        })
        .collect();
    Ok(History { items, notice: h.notice.as_ref().map(CommandError::from) })
}
