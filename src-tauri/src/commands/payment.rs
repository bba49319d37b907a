//! Paying a request (scanned, opened from a file, pasted or from a deep link) and receiving.

use tauri::State;
use wallet_core::pay::gasless::GaslessQuote;
use wallet_core::pay::payment::{Quote, Tracking};
use wallet_core::pay::verdict::Sheet;
use wallet_core::session::Receipt as CoreReceipt;

use wallet_core::pay::replace;
use wallet_core::store::PaymentKind;

use crate::dto::{PaySheet, QuoteView, Receipt, ReceiveRequest, ReplacementView};
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

fn quote_view(q: &Quote) -> QuoteView {
    QuoteView {
        id: q.id.clone(),
        digest: q.digest.to_string(),
        expires_at: q.expires_at,
        from: q.from.to_checksum(None),
        payee: q.payee.to_checksum(None),
        payee_name: q.payee_name.clone(),
        token: q.token.as_ref().map(|t| t.address.to_checksum(None)),
        symbol: q.symbol.clone(),
        token_name: q.token.as_ref().map(|t| t.name.clone()),
        decimals: q.token.as_ref().map_or(18, |t| t.decimals),
        amount: q.amount.to_string(),
        amount_display: q.amount_display.clone(),
        max_fee_display: q.max_network_fee_display.clone(),
        native_symbol: q.native_symbol.clone(),
        max_total_native_display: wallet_core::chain::token::format_amount(q.max_total_native, 18),
        network: q.network.clone(),
        network_key: network_key(q.chain_id),
        fee_paid_by_shop: false,
    }
}

/// The key the network data gives chain `chain_id` (`chain-N` when it has none).
fn network_key(chain_id: u64) -> String {
    wallet_core::chain::network::network_data(chain_id).map_or_else(|| format!("chain-{chain_id}"), |n| n.key.clone())
}

fn gasless_view(q: &GaslessQuote) -> QuoteView {
    QuoteView {
        id: q.id.clone(),
        digest: q.digest.to_string(),
        expires_at: q.expires_at,
        from: q.from.to_checksum(None),
        payee: q.payee.to_checksum(None),
        payee_name: None,
        token: Some(q.token.address.to_checksum(None)),
        symbol: q.symbol.clone(),
        token_name: Some(q.token.name.clone()),
        decimals: q.token.decimals,
        amount: q.amount.to_string(),
        amount_display: q.amount_display.clone(),
        max_fee_display: "0".into(),
        native_symbol: String::new(),
        max_total_native_display: "0".into(),
        network: q.network.clone(),
        network_key: network_key(q.chain_id),
        fee_paid_by_shop: true,
    }
}

fn sheet_view(sheet: Sheet) -> PaySheet {
    PaySheet {
        quote: sheet.quote.as_ref().map(quote_view).or(sheet.gasless.as_ref().map(gasless_view)),
        request: sheet.request,
        warnings: sheet.warnings,
        blockers: sheet.blockers,
        needs_ack: sheet.needs_ack,
        payee: sheet.payee,
    }
}

fn receipt_view(r: CoreReceipt) -> Receipt {
    let (moved, valid_until) = (r.moved(), r.valid_until());
    let id = match (&r.payment, &r.authorization) {
        (Some(p), _) => p.tx_hash.to_string(),
        (_, Some(a)) => a.nonce.to_string(),
        _ => String::new(),
    };
    Receipt {
        status: r.status,
        id,
        tx_hash: r.tx_hash.map(|h| h.to_string()),
        explorer: r.explorer,
        // Only the node's or the shop's own words (a refusal) are passed on; the UI words every
        // status itself.
        error: r.error.filter(|_| r.status == wallet_core::store::PaymentStatus::Rejected),
        notice: r.notice.as_ref().map(CommandError::from),
        amount_display: r.amount_display,
        symbol: r.symbol,
        block_number: r.block_number,
        kind: r.payment.as_ref().map_or(PaymentKind::Payment, |p| p.kind),
        replaceable: r.payment.as_ref().is_some_and(|p| replace::replaceable(std::slice::from_ref(p))),
        moved,
        valid_until,
    }
}

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
    Ok(sheet_view(sheet))
}

/// How the app follows a payment it sent: polls fast, and says "pending" after a minute.
fn tracking() -> Tracking {
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
    Ok(receipt_view(state.session.pay(&quote_id, &digest, index, acknowledged, tracking()).await?))
}

/// Sends a stored payment that did not go out once more, on the person's word (the history's "send
/// again"): the very same signed bytes; refused once its request has expired.
#[tauri::command]
#[specta::specta]
pub async fn payment_resend(state: State<'_, AppState>, tx_hash: String) -> CmdResult<Receipt> {
    let hash = transaction_hash(&tx_hash)?;
    state.touch();
    Ok(receipt_view(state.session.resend(hash, Tracking::default()).await?))
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
    let q = state.session.replacement(transaction_hash(&tx_hash)?, kind).await?;
    Ok(ReplacementView {
        id: q.id,
        digest: q.digest.to_string(),
        kind: q.kind,
        max_fee_display: q.max_network_fee_display,
        previous_max_fee_display: q.previous_max_network_fee_display,
        native_symbol: q.native_symbol,
        expires_at: q.expires_at,
    })
}

/// Signs, stores and sends exactly the speed-up or cancellation `quote_id` that was shown (its
/// `digest` must match), once; the receipt is the payment's (whichever transaction decided it).
#[tauri::command]
#[specta::specta]
pub async fn payment_replace(state: State<'_, AppState>, quote_id: String, digest: String) -> CmdResult<Receipt> {
    state.touch();
    Ok(receipt_view(state.session.replace(&quote_id, &digest, tracking()).await?))
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
