//! Preferences and the network.

use tauri::State;
use wallet_core::ErrorCode;
use wallet_core::chain::choice::NetworkChoice;
use wallet_core::chain::network;
use wallet_core::session::Session;

use crate::dto::{NetworkInput, NetworkView, Settings};
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// Longest auto-lock delay offered (a day).
const MAX_AUTO_LOCK_MINUTES: u32 = 24 * 60;

/// Saves preferences (auto-lock minutes, theme, language: the last two are closed sets, checked as they
/// are read).
#[tauri::command]
#[specta::specta]
pub fn settings_set(state: State<'_, AppState>, settings: Settings) -> CmdResult<Settings> {
    if settings.auto_lock_minutes > MAX_AUTO_LOCK_MINUTES {
        return Err(CommandError::new(ErrorCode::InvalidSetting, "auto-lock can wait at most 24 hours"));
    }
    state.save_settings(settings.clone())?;
    state.touch();
    Ok(settings)
}

/// Keeps the dev chain's endpoint when it is the network in use (to offer it again after a switch).
async fn remember_dev_chain(state: &AppState) {
    if let Ok(current) = state.session.network().await
        && current.local
        && let Some(url) = current.rpc_urls.first()
    {
        *state.dev_chain_url() = Some(url.expose().to_string());
    }
}

/// The networks Tender knows, and the local dev chain when this wallet used one (the dev chain is
/// no preset: it is offered again at the endpoint it had).
#[tauri::command]
#[specta::specta]
pub async fn network_presets(state: State<'_, AppState>) -> CmdResult<Vec<NetworkView>> {
    remember_dev_chain(&state).await;
    let dev = state.dev_chain_url().clone();
    let mut views: Vec<NetworkView> =
        dev.iter().filter_map(|url| network::Network::devnet(url).ok()).map(|n| NetworkView::from(&n)).collect();
    views.extend(network::presets().iter().map(NetworkView::from));
    Ok(views)
}

/// Switches network: a preset, or a custom endpoint (whose chain id is asked from it). The new
/// endpoint must answer before it is saved.
#[tauri::command]
#[specta::specta]
pub async fn network_set(state: State<'_, AppState>, input: NetworkInput) -> CmdResult<NetworkView> {
    let choice = match (input.preset, input.rpc_url) {
        (Some(key), None) if key == "devnet" => {
            let url = state.dev_chain_url().clone();
            let url = url.ok_or_else(|| CommandError::new(ErrorCode::InvalidNetwork, "no dev chain was used here"))?;
            NetworkChoice::Devnet { rpc_url: url }
        }
        (Some(key), None) => NetworkChoice::Preset { key },
        (None, Some(url)) => Session::choice_for_endpoint(&url, None).await?,
        _ => {
            return Err(CommandError::new(ErrorCode::InvalidNetwork, "choose a preset or enter an RPC URL"));
        }
    };
    remember_dev_chain(&state).await;
    let network = state.session.set_network(choice).await?;
    state.touch();
    Ok(NetworkView::from(&network))
}

/// What the wallet's reads tell the node, as the shopper chose.
#[tauri::command]
#[specta::specta]
pub fn privacy_get(state: State<'_, AppState>) -> CmdResult<wallet_core::chain::privacy::Privacy> {
    Ok(state.session.privacy()?)
}

/// Saves the shopper's privacy choice; the next read follows it.
#[tauri::command]
#[specta::specta]
pub fn privacy_set(
    state: State<'_, AppState>,
    privacy: wallet_core::chain::privacy::Privacy,
) -> CmdResult<wallet_core::chain::privacy::Privacy> {
    state.session.set_privacy(privacy.clone())?;
    state.touch();
    Ok(privacy)
}
