//! Accounts: add.

use tauri::State;

use crate::dto::AccountView;
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// Adds the next account (needs the wallet unlocked).
#[tauri::command]
#[specta::specta]
pub async fn accounts_add(state: State<'_, AppState>, label: Option<String>) -> CmdResult<AccountView> {
    let mut slot = state.wallet.lock().await;
    let wallet = state.open_wallet(&mut slot)?.ok_or_else(CommandError::no_wallet)?;
    let account = wallet.add_account(label.as_deref())?;
    state.touch();
    Ok(AccountView::from(&account))
}
