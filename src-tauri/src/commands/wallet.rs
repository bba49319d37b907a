//! Lock, unlock, password, recovery phrase, removal.

use tauri::State;
use wallet_core::Error;

use super::secret;
use crate::dto::AppStatus;
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// Where the app stands: wallet or not, locked or not, accounts, network, settings.
#[tauri::command]
#[specta::specta]
pub async fn wallet_status(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    Ok(state.status().await?)
}

/// Unlocks with `password` (Argon2id; wrong guesses are slowed down by the core).
#[tauri::command]
#[specta::specta]
pub async fn wallet_unlock(state: State<'_, AppState>, password: String) -> CmdResult<AppStatus> {
    let password = secret(password);
    {
        let mut slot = state.wallet.lock().await;
        let wallet = state.open_wallet(&mut slot)?.ok_or_else(CommandError::no_wallet)?;
        tokio::task::block_in_place(|| wallet.unlock(&password))?;
    }
    state.touch();
    Ok(state.status().await?)
}

/// Locks now: every secret held in memory is zeroized.
#[tauri::command]
#[specta::specta]
pub async fn wallet_lock(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    state.lock_wallet().await;
    Ok(state.status().await?)
}

/// The person did something: restarts the auto-lock timer.
#[tauri::command]
#[specta::specta]
pub fn wallet_touch(state: State<'_, AppState>) {
    state.touch();
}

/// The recovery phrase's words, for the password-guarded "show recovery phrase" screen only.
#[tauri::command]
#[specta::specta]
pub async fn wallet_reveal_phrase(state: State<'_, AppState>, password: String) -> CmdResult<Vec<String>> {
    let password = secret(password);
    let mut slot = state.wallet.lock().await;
    let wallet = state.open_wallet(&mut slot)?.ok_or_else(CommandError::no_wallet)?;
    let phrase = tokio::task::block_in_place(|| wallet.reveal_phrase(&password))?;
    state.touch();
    Ok(phrase.expose().split(' ').map(str::to_owned).collect())
}

/// Re-encrypts the vault under `new_password`.
#[tauri::command]
#[specta::specta]
pub async fn wallet_change_password(
    state: State<'_, AppState>,
    old_password: String,
    new_password: String,
) -> CmdResult<()> {
    let (old, new) = (secret(old_password), secret(new_password));
    let mut slot = state.wallet.lock().await;
    let wallet = state.open_wallet(&mut slot)?.ok_or_else(CommandError::no_wallet)?;
    tokio::task::block_in_place(|| wallet.change_password(&old, &new))?;
    state.touch();
    Ok(())
}

/// Removes the wallet from this device, after the person confirmed they have the phrase written
/// down (`phrase_saved`) and typed their password.
#[tauri::command]
#[specta::specta]
pub async fn wallet_delete(state: State<'_, AppState>, password: String, phrase_saved: bool) -> CmdResult<AppStatus> {
    if !phrase_saved {
        return Err(Error::ConfirmationRequired {
            what: "confirm that your recovery phrase is written down: it is the only way back to these funds".into(),
        }
        .into());
    }
    let password = secret(password);
    {
        let mut slot = state.wallet.lock().await;
        let wallet = state.open_wallet(&mut slot)?.ok_or_else(CommandError::no_wallet)?;
        // The password proves it is the owner removing it, not someone at an unlocked screen (the
        // core checks it before deleting anything).
        let _ = wallet;
        if let Some(w) = slot.take() {
            let dir = state.dir().to_path_buf();
            if let Err(e) = tokio::task::block_in_place(|| w.delete(&password)) {
                // Nothing was deleted: the wallet stays open, as it was.
                *slot = wallet_core::Wallet::read_info(&dir)
                    .ok()
                    .and_then(|info| wallet_core::Wallet::open(&dir, info.store).ok());
                return Err(e.into());
            }
        }
    }
    state.quotes().clear();
    Ok(state.status().await?)
}
