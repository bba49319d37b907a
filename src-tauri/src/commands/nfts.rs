//! The account's NFTs: found from the chain alone, the shop's collections shown with their images (PNGs
//! the core encoded: never an NFT's own markup), the rest unreviewed until the shopper chooses.

use tauri::State;
use wallet_core::nft::Gallery;

use crate::error::CmdResult;
use crate::state::AppState;

/// The NFTs of account `index`, read from the chain (the last known ones when it does not answer).
#[tauri::command]
#[specta::specta]
pub async fn nft_list(state: State<'_, AppState>, index: u32) -> CmdResult<Gallery> {
    Ok(state.session.nfts(index).await?)
}

/// See (`show`) or hide the items of the collection at `contract`.
#[tauri::command]
#[specta::specta]
pub async fn nft_review(state: State<'_, AppState>, contract: String, show: bool) -> CmdResult<()> {
    let contract = wallet_core::keys::address::parse_address(&contract)?;
    Ok(state.session.review_nft_collection(contract, show).await?)
}
