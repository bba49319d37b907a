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
    let items = h.items.into_iter().map(HistoryItem::from).collect();
    Ok(History { items, notice: h.notice.as_ref().map(CommandError::from) })
}
