//! Paying a request (scanned, opened from a file, pasted or from a deep link) and receiving.

use tauri::State;
use wallet_core::pay::payment::Tracking;
use wallet_core::store::PaymentKind;

use crate::dto::{
    AllowanceView, ApprovalView, HoldersView, PaySheet, Receipt, ReceiveRequest, ReplacementView, TokenOverviewView,
};
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// The confirmation sheet for paying `uri` from account `index`: who asks for what, and the core's
/// one verdict on it (a quote to pay, with its warnings, or what blocks it). `amount` (a decimal
/// number in the asset's units) fills in a request that leaves the amount open.
#[tauri::command]
#[specta::specta]
pub async fn payment_quote(
    state: State<'_, AppState>,
    uri: String,
    index: u32,
    amount: Option<String>,
) -> CmdResult<PaySheet> {
    let sheet = match amount.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => state.session.quote_amount(&uri, index, a).await?,
        None => state.session.quote(&uri, index, None).await?,
    };
    Ok(sheet.into())
}

/// How the app follows a payment it sent: polls fast, and says "pending" after a minute.
pub(crate) fn tracking() -> Tracking {
    Tracking {
        poll: std::time::Duration::from_millis(300),
        timeout: std::time::Duration::from_secs(60),
        ..Tracking::default()
    }
}

/// Pays exactly the quote `quote_id` that the sheet showed (its `digest` must match), from account
/// `index`, after the person confirmed (`acknowledged`: the warnings that need it were ticked). Used
/// once; needs the wallet unlocked; the wallet's lock is held only to sign.
#[tauri::command]
#[specta::specta]
pub async fn payment_pay(
    state: State<'_, AppState>,
    quote_id: String,
    digest: String,
    index: u32,
    acknowledged: bool,
) -> CmdResult<Receipt> {
    state.touch();
    Ok(state.session.pay(&quote_id, &digest, index, acknowledged, tracking()).await?.into())
}

/// Sends a stored payment that did not go out once more, on the person's word (the history's "send
/// again"): the very same signed bytes; refused once its request has expired.
#[tauri::command]
#[specta::specta]
pub async fn payment_resend(state: State<'_, AppState>, tx_hash: String) -> CmdResult<Receipt> {
    let hash = transaction_hash(&tx_hash)?;
    state.touch();
    Ok(state.session.resend(hash, Tracking::default()).await?.into())
}

/// A payment's proof (the request, the shop's signed offer and receipt, the transaction), as
/// pretty JSON a merchant or a return desk can verify; read from what is stored.
#[tauri::command]
#[specta::specta]
pub async fn payment_proof(state: State<'_, AppState>, tx_hash: String) -> CmdResult<String> {
    let hash = transaction_hash(&tx_hash)?;
    let proof = state.session.payment_proof(hash).await?;
    serde_json::to_string_pretty(&proof)
        .map_err(|e| wallet_core::Error::Internal { detail: format!("the proof: {e}") }.into())
}

/// Saves a payment's proof as a JSON file in the downloads folder (else the documents folder, else the
/// home folder), named after the payment; returns where. The webview gets no file-system access: the
/// folder and the name are chosen here.
#[tauri::command]
#[specta::specta]
pub async fn payment_proof_save(state: State<'_, AppState>, tx_hash: String) -> CmdResult<String> {
    let hash = transaction_hash(&tx_hash)?;
    let dir = state.save_dir.clone().ok_or_else(|| {
        CommandError::from(wallet_core::Error::Internal {
            detail: "this device offers no folder to save files in".into(),
        })
    })?;
    let path = state.session.save_payment_proof(hash, &dir).await?;
    Ok(path.display().to_string())
}

fn transaction_hash(tx_hash: &str) -> Result<alloy::primitives::B256, CommandError> {
    tx_hash.trim().parse().map_err(|_| wallet_core::Error::UnknownPayment { tx_hash: Default::default() }.into())
}

/// What speeding up (`kind` `speed_up`) or cancelling (`cancel`) the stuck payment `tx_hash` would
/// sign: its new network fee at most. Nothing is signed until `payment_replace`.
#[tauri::command]
#[specta::specta]
pub async fn payment_replacement(
    state: State<'_, AppState>,
    tx_hash: String,
    kind: PaymentKind,
) -> CmdResult<ReplacementView> {
    Ok(state.session.replacement(transaction_hash(&tx_hash)?, kind).await?.into())
}

/// Signs, stores and sends exactly the speed-up or cancellation `quote_id` that was shown (its
/// `digest` must match), once; the receipt is the payment's (whichever transaction decided it).
#[tauri::command]
#[specta::specta]
pub async fn payment_replace(state: State<'_, AppState>, quote_id: String, digest: String) -> CmdResult<Receipt> {
    state.touch();
    Ok(state.session.replace(&quote_id, &digest, tracking()).await?.into())
}

/// The overview of `token` (a listed token's contract): what its contract says of itself, read from
/// the chain alone in one batch, beside what the wallet lists.
#[tauri::command]
#[specta::specta]
pub async fn token_overview(state: State<'_, AppState>, token: String) -> CmdResult<TokenOverviewView> {
    let token = wallet_core::keys::address::parse_address(&token)?;
    Ok(state.session.token_overview(token).await?.into())
}

/// What `token`'s own Transfer logs say (holders, the largest, the first mint), replayed by the wallet
/// from where its last look stopped; as of the block it reached.
#[tauri::command]
#[specta::specta]
pub async fn token_holders(state: State<'_, AppState>, token: String) -> CmdResult<HoldersView> {
    let token = wallet_core::keys::address::parse_address(&token)?;
    Ok(state.session.token_holders(token).await?.into())
}

/// Hides the known token `token` from the balances (`hidden: false` shows it again).
#[tauri::command]
#[specta::specta]
pub async fn token_hide(state: State<'_, AppState>, token: String, hidden: bool) -> CmdResult<()> {
    let token = wallet_core::keys::address::parse_address(&token)?;
    Ok(state.session.hide_token(token, hidden).await?)
}

/// The tokens hidden from the balances on the network in use.
#[tauri::command]
#[specta::specta]
pub async fn token_hidden(state: State<'_, AppState>) -> CmdResult<Vec<crate::dto::HiddenToken>> {
    Ok(state.session.hidden_tokens().await?.into_iter().map(Into::into).collect())
}

/// The retailer's signed token list in use on the network in use, if one was taken.
#[tauri::command]
#[specta::specta]
pub async fn token_list_get(
    state: State<'_, AppState>,
) -> CmdResult<Option<wallet_core::chain::token_list::ListInUse>> {
    Ok(state.session.token_list().await?)
}

/// Takes the retailer's token list (`list`, the file's text as chosen by the shopper) with its detached
/// `signature`: checked offline against the key Tender pins for the network.
#[tauri::command]
#[specta::specta]
pub async fn token_list_import(
    state: State<'_, AppState>,
    list: String,
    signature: String,
) -> CmdResult<wallet_core::chain::token_list::SignedList> {
    Ok(state.session.import_token_list(list.as_bytes(), &signature).await?)
}

/// What Permit2 may move of `token` (a listed token's contract) from account `index` now, read
/// from the chain: the token's screen shows it and offers to revoke it.
#[tauri::command]
#[specta::specta]
pub async fn approval_allowance(state: State<'_, AppState>, index: u32, token: String) -> CmdResult<AllowanceView> {
    let token = wallet_core::keys::address::parse_address(&token)?;
    Ok(state.session.permit2_allowance(index, token).await?.into())
}

/// What letting Permit2 move up to `amount` of `token` from account `index` would sign (a decimal in
/// the token's units: the payment's amount, or a limit the person typed; `0` revokes): the allowance
/// and the network fee at most. Nothing is signed until `approval_confirm`.
#[tauri::command]
#[specta::specta]
pub async fn approval_quote(
    state: State<'_, AppState>,
    index: u32,
    token: String,
    amount: String,
) -> CmdResult<ApprovalView> {
    let token = wallet_core::keys::address::parse_address(&token)?;
    Ok(state.session.approval(index, token, amount.trim()).await?.into())
}

/// Signs, stores and sends exactly the approval `quote_id` that was shown (its `digest` must match),
/// once, and follows it until the chain decides.
#[tauri::command]
#[specta::specta]
pub async fn approval_confirm(state: State<'_, AppState>, quote_id: String, digest: String) -> CmdResult<Receipt> {
    state.touch();
    Ok(state.session.approve(&quote_id, &digest, tracking()).await?.into())
}

/// `ethereum:` links opened while the UI was not listening yet (the app was started by one).
#[tauri::command]
#[specta::specta]
pub fn payment_pending_links(state: State<'_, AppState>) -> Vec<String> {
    std::mem::take(&mut *state.links())
}

/// The address of account `index` and a request for it: plain, or for `amount` (a decimal number in
/// the asset's units) of `token` (`null`: the native currency) on the current network.
#[tauri::command]
#[specta::specta]
pub async fn receive_request(
    state: State<'_, AppState>,
    index: u32,
    token: Option<String>,
    amount: Option<String>,
) -> CmdResult<ReceiveRequest> {
    let token = match token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(wallet_core::keys::address::parse_address(t)?),
        None => None,
    };
    let r = state.session.receive_request(index, token, amount.as_deref()).await?;
    Ok(ReceiveRequest { address: r.address.to_checksum(None), uri: r.uri })
}
