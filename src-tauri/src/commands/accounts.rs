//! Accounts: add.

use tauri::State;

use crate::dto::AccountView;
use crate::error::CmdResult;
use crate::state::AppState;

/// Adds the next account (needs the wallet unlocked).
#[tauri::command]
#[specta::specta]
pub async fn accounts_add(state: State<'_, AppState>, label: Option<String>) -> CmdResult<AccountView> {
    let account = state.session.add_account(label.as_deref()).await?;
    state.touch();
    Ok(AccountView::from(&account))
}
