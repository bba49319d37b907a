//! The account's NFTs: found from the chain alone, the shop's collections shown with their images (PNGs
//! the core encoded: never an NFT's own markup), the rest unreviewed until the shopper chooses.

use tauri::State;
use wallet_core::nft::Gallery;

use crate::dto::{NftSendView, Receipt};
use crate::error::{CmdResult, CommandError};
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

/// Fetch (`allow`) or stop fetching the remote media (IPFS, web) of the collection at `contract`.
#[tauri::command]
#[specta::specta]
pub async fn nft_remote(state: State<'_, AppState>, contract: String, allow: bool) -> CmdResult<()> {
    let contract = wallet_core::keys::address::parse_address(&contract)?;
    Ok(state.session.allow_nft_media(contract, allow).await?)
}

/// The sheet for sending `amount` (ERC-721: "1") of NFT `token_id` of `contract` from account `index` to
/// `to` (an address): the item, the recipient, the network fee at most.
#[tauri::command]
#[specta::specta]
pub async fn nft_send_quote(
    state: State<'_, AppState>,
    index: u32,
    contract: String,
    token_id: String,
    to: String,
    amount: String,
) -> CmdResult<NftSendView> {
    let contract = wallet_core::keys::address::parse_address(&contract)?;
    let number = |text: &str| {
        text.trim()
            .parse::<alloy::primitives::U256>()
            .map_err(|_| CommandError::from(wallet_core::Error::InvalidAmount { decimals: 0 }))
    };
    let (token_id, amount) = (number(&token_id)?, number(&amount)?);
    Ok(state.session.nft_transfer(index, contract, token_id, &to, amount).await?.into())
}

/// Signs exactly the NFT transfer shown (`id`, `digest`), stores it, sends it and follows it until the
/// chain decides (or the wait ends: it stays outstanding).
#[tauri::command]
#[specta::specta]
pub async fn nft_send_confirm(state: State<'_, AppState>, id: String, digest: String) -> CmdResult<Receipt> {
    state.touch();
    Ok(state.session.send_nft(&id, &digest, crate::commands::payment::tracking()).await?.into())
}
