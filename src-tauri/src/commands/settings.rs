//! Preferences and the network.

use tauri::State;
use wallet_core::ErrorCode;
use wallet_core::chain::network::{self, NetworkChoice};
use wallet_core::session::Session;

use crate::dto::{NetworkInput, NetworkView, Settings};
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// Longest auto-lock delay offered (a day).
const MAX_AUTO_LOCK_MINUTES: u32 = 24 * 60;

/// Saves preferences (auto-lock minutes, theme, language).
#[tauri::command]
#[specta::specta]
pub fn settings_set(state: State<'_, AppState>, settings: Settings) -> CmdResult<Settings> {
    if settings.auto_lock_minutes > MAX_AUTO_LOCK_MINUTES {
        return Err(CommandError::new(ErrorCode::InvalidSetting, "auto-lock can wait at most 24 hours"));
    }
    if !["system", "light", "dark"].contains(&settings.theme.as_str()) {
        return Err(CommandError::new(ErrorCode::InvalidSetting, "theme is system, light or dark"));
    }
    if !["", "en", "fr"].contains(&settings.language.as_str()) {
        return Err(CommandError::new(ErrorCode::InvalidSetting, "language is English (en) or French (fr)"));
    }
    state.save_settings(settings.clone())?;
    state.touch();
    Ok(settings)
}

/// The networks Tender knows.
#[tauri::command]
#[specta::specta]
pub fn network_presets() -> Vec<NetworkView> {
    network::presets().iter().map(NetworkView::from).collect()
}

/// Switches network: a preset, or a custom endpoint (whose chain id is asked from it). The new
/// endpoint must answer before it is saved.
#[tauri::command]
#[specta::specta]
pub async fn network_set(state: State<'_, AppState>, input: NetworkInput) -> CmdResult<NetworkView> {
    let choice = match (input.preset, input.rpc_url) {
        (Some(key), None) => NetworkChoice::Preset { key },
        (None, Some(url)) => Session::choice_for_endpoint(&url, None).await?,
        _ => {
            return Err(CommandError::new(ErrorCode::InvalidNetwork, "choose a preset or enter an RPC URL"));
        }
    };
    let network = state.session.set_network(choice).await?;
    state.touch();
    Ok(NetworkView::from(&network))
}
