//! Lock, unlock, password, recovery phrase, removal.

use tauri::State;

use super::secret;
use crate::dto::{AppStatus, Unlocked};
use crate::error::CmdResult;
use crate::state::AppState;

/// Where the app stands: wallet or not, locked or not, accounts, network, settings.
#[tauri::command]
#[specta::specta]
pub async fn wallet_status(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    Ok(state.status().await?)
}

/// Unlocks with `password` (Argon2id; wrong guesses are slowed down by the core). With `index`, the
/// answer carries that account's last known balances, read while the key is derived, so the home
/// screen paints them at once (only once the password is confirmed).
#[tauri::command]
#[specta::specta]
pub async fn wallet_unlock(state: State<'_, AppState>, password: String, index: Option<u32>) -> CmdResult<Unlocked> {
    let portfolio = match index {
        Some(i) => {
            state.session.unlock_to(&secret(password), Some(i)).await?.map(super::sync::portfolio).transpose()?
        }
        None => {
            state.session.unlock(&secret(password)).await?;
            None
        }
    };
    state.touch();
    Ok(Unlocked { status: state.status().await?, portfolio })
}

/// Sets a new `password` for a person who forgot theirs, proven by the wallet's recovery `phrase` (and
/// `passphrase`, if it has one) instead: another phrase changes nothing (`phrase_not_this_wallet`).
/// The wallet is then unlocked.
#[tauri::command]
#[specta::specta]
pub async fn wallet_reset_password(
    state: State<'_, AppState>,
    phrase: String,
    passphrase: String,
    password: String,
) -> CmdResult<AppStatus> {
    let phrase = wallet_core::RecoveryPhrase::parse(secret(phrase).expose())?;
    state.session.reset_password(phrase, secret(passphrase), &secret(password)).await?;
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
    let phrase = state.session.reveal_phrase(&secret(password)).await?;
    state.touch();
    Ok(phrase.expose().split(' ').map(str::to_owned).collect())
}

/// How hard `password` is to guess, 0 to 4 (zxcvbn, as the core judges a new password: under
/// `MIN_PASSWORD_STRENGTH` it is refused), for the strength meter beside a new password.
#[tauri::command]
#[specta::specta]
pub fn wallet_password_strength(password: String) -> u8 {
    wallet_core::wallet::password_strength(&secret(password))
}

/// Re-encrypts the vault under `new_password`.
#[tauri::command]
#[specta::specta]
pub async fn wallet_change_password(
    state: State<'_, AppState>,
    old_password: String,
    new_password: String,
) -> CmdResult<()> {
    state.session.change_password(&secret(old_password), &secret(new_password)).await?;
    state.touch();
    Ok(())
}

/// Removes the wallet from this device, after the person confirmed they have the phrase written
/// down (`phrase_saved`) and typed their password.
#[tauri::command]
#[specta::specta]
pub async fn wallet_delete(state: State<'_, AppState>, password: String, phrase_saved: bool) -> CmdResult<AppStatus> {
    state.session.delete(&secret(password), phrase_saved).await?;
    Ok(state.status().await?)
}
