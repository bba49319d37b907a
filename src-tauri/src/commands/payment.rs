//! Paying a request (scanned, opened from a file, pasted or from a deep link) and receiving.

use alloy::primitives::utils::parse_units;
use tauri::State;
use wallet_core::payment::{self, Tracking, Warning};
use wallet_core::payment_request::{self, PaymentRequest, Target};
use wallet_core::text::displayable;
use wallet_core::token::format_amount;
use wallet_core::{Error, Result};

use super::account;
use crate::dto::{PaySheet, QuoteView, Receipt, ReceiveRequest, RequestView, WarningView};
use crate::error::{CmdResult, CommandError};
use crate::state::{AppState, tokens};

/// Longest a merchant text is shown (the rest is cut, never rendered as markup by the UI).
const MAX_TEXT: usize = 80;

fn request_view(request: &PaymentRequest) -> RequestView {
    RequestView {
        uri: request.to_uri(),
        merchant: request.label.as_deref().map(|t| displayable(t, MAX_TEXT)),
        message: request.message.as_deref().map(|t| displayable(t, MAX_TEXT * 2)),
        order: request.order.as_deref().map(|t| displayable(t, MAX_TEXT)),
        payee: request.recipient.as_ref().map(Target::to_string),
        chain_id: request.chain_id,
        expires: request.expires,
    }
}

fn warning_view(w: &Warning) -> WarningView {
    match w {
        Warning::UnverifiedToken { token } => WarningView {
            kind: "unverified_token".into(),
            message: format!(
                "This token ({token}) is not on Tender's list for this network. Pay only if you trust this shop."
            ),
        },
        Warning::ProbableDuplicate { tx_hash, .. } => WarningView {
            kind: "probable_duplicate".into(),
            message: format!(
                "This wallet already paid this amount to this payee recently (transaction {tx_hash}). Paying again pays twice."
            ),
        },
        Warning::HighFee { percent } => WarningView {
            kind: "high_fee".into(),
            message: format!("The network fee could be up to {percent}% of the amount paid."),
        },
        Warning::NonAsciiName { name } => WarningView {
            kind: "non_ascii_name".into(),
            message: format!(
                "The payee's name {name} has letters beyond plain a–z: check it letter by letter, lookalike names are a common trick."
            ),
        },
    }
}

/// Problems that make the request unpayable from here are shown on the sheet, not thrown: the person
/// still sees who asks for what.
fn blocking(e: &Error) -> bool {
    matches!(
        e,
        Error::ChainMismatch { .. }
            | Error::RequestExpired { .. }
            | Error::InsufficientFunds { .. }
            | Error::AmountMissing
            | Error::AmountConflict
            | Error::EnsNotFound { .. }
            | Error::EnsUnsupported { .. }
            | Error::NotAToken { .. }
            | Error::FeeTooHigh { .. }
            | Error::GasTooHigh { .. }
            | Error::TokenRefused
            | Error::WouldFail { .. }
    )
}

/// Most quotes kept at once (a sheet per request the person looked at; older ones are dropped).
const MAX_QUOTES: usize = 8;

/// Parses `uri` and prepares paying it from account `index`: the confirmation sheet.
#[tauri::command]
#[specta::specta]
pub async fn payment_quote(state: State<'_, AppState>, uri: String, index: u32) -> CmdResult<PaySheet> {
    let request = payment_request::parse(uri.trim())?;
    let view = request_view(&request);
    let from = account(&state, index).await?.address;
    let mut db = state.db.lock().await;
    let db = state.open_db(&mut db)?;
    let mut chain = state.chain.lock().await;
    let client = state.client(&mut chain).await.inspect_err(|_| chain.client = None)?;
    let tokens = tokens(db, client.network.chain_id)?;
    // `quote` reads the database between network calls, and a SQLite connection cannot be shared
    // across threads: run it to completion on this worker thread.
    let quoted = tokio::task::block_in_place(|| {
        tauri::async_runtime::block_on(payment::quote(&client, db, from, &request, None, &tokens))
    });
    match quoted {
        Ok(q) => {
            let warnings: Vec<_> = q.warnings.iter().map(warning_view).collect();
            let needs_duplicate_ack = q.warnings.iter().any(|w| matches!(w, Warning::ProbableDuplicate { .. }));
            let decimals = q.token.as_ref().map_or(client.network.native.decimals, |t| t.decimals);
            let quote = QuoteView {
                id: q.id.clone(),
                digest: q.digest.to_string(),
                expires_at: q.expires_at,
                from: q.from.to_checksum(None),
                payee: q.payee.to_checksum(None),
                payee_name: q.payee_name.clone(),
                token: q.token.as_ref().map(|t| t.address.to_checksum(None)),
                symbol: q.symbol.clone(),
                decimals,
                amount: q.amount.to_string(),
                amount_display: q.amount_display.clone(),
                max_fee_display: q.max_network_fee_display.clone(),
                native_symbol: q.native_symbol.clone(),
                max_total_native_display: format_amount(q.max_total_native, client.network.native.decimals),
                network: q.network.clone(),
            };
            {
                let mut quotes = state.quotes();
                quotes.retain(|_, kept| kept.expires_at >= wallet_core::payment::now_secs());
                while quotes.len() >= MAX_QUOTES {
                    let oldest = quotes.iter().min_by_key(|(_, k)| k.created_at).map(|(id, _)| id.clone());
                    if let Some(id) = oldest {
                        quotes.remove(&id);
                    }
                }
                quotes.insert(q.id.clone(), q);
            }
            Ok(PaySheet { request: view, quote: Some(quote), warnings, problem: None, needs_duplicate_ack })
        }
        Err(e) if blocking(&e) => {
            let warning = WarningView { kind: e.code().into(), message: e.to_string() };
            Ok(PaySheet {
                request: view,
                quote: None,
                warnings: vec![warning],
                problem: Some(e.into()),
                needs_duplicate_ack: false,
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// Pays exactly the quote `quote_id` that the sheet showed (its `digest` must match: what the person
/// saw is what is signed), from account `index`, after the person confirmed. Needs the wallet
/// unlocked. A probable duplicate needs `allow_duplicate`. The quote is used once: a second click
/// finds nothing to pay. The wallet lock is held only to sign, never while the network is slow, so
/// locking always takes effect at once.
#[tauri::command]
#[specta::specta]
pub async fn payment_pay(
    state: State<'_, AppState>,
    quote_id: String,
    digest: String,
    index: u32,
    allow_duplicate: bool,
) -> CmdResult<Receipt> {
    let quote = state
        .quotes()
        .remove(&quote_id)
        .ok_or_else(|| CommandError::new("no_quote", "review the payment again before paying"))?;
    if quote.digest.to_string() != digest.trim().to_ascii_lowercase() {
        return Err(Error::QuoteMismatch.into());
    }
    state.touch();
    let client = {
        let mut chain = state.chain.lock().await;
        state.client(&mut chain).await?
    };
    if quote.chain_id != client.network.chain_id {
        return Err(Error::ChainMismatch { requested: quote.chain_id, current: client.network.chain_id }.into());
    }
    client.check_chain().await?;
    let signed = {
        let wallet = state.wallet.lock().await;
        let wallet_ref = wallet.as_ref().ok_or_else(CommandError::no_wallet)?;
        if !wallet_ref.is_unlocked() {
            return Err(Error::Locked.into());
        }
        if quote.from != account_address(wallet_ref, index)? {
            return Err(Error::UnknownAccount { index }.into());
        }
        payment::sign_detached(wallet_ref, index, &quote)?
    };
    let mut db = state.db.lock().await;
    let db = state.open_db(&mut db)?;
    let record = payment::store(db, signed, allow_duplicate)?;
    let tracking = Tracking {
        poll: std::time::Duration::from_millis(300),
        timeout: std::time::Duration::from_secs(60),
        ..Tracking::default()
    };
    let record = match payment::send(&client, db, record.clone(), tracking).await {
        Ok(r) => r,
        // Saved, not sent: the receipt says so, and the history offers to send it again.
        Err(e @ (Error::RpcUnavailable { .. } | Error::BadRpcResponse { .. })) => {
            let mut r = db.payment(&record.tx_hash)?.unwrap_or(record);
            r.error = Some(e.to_string());
            r
        }
        Err(e) => return Err(e.into()),
    };
    let decimals = quote.token.as_ref().map_or(client.network.native.decimals, |t| t.decimals);
    Ok(receipt(&record, &client.network, quote.symbol.clone(), decimals))
}

/// The receipt of `record`, its amount in `symbol` with `decimals`.
fn receipt(
    record: &wallet_core::db::PaymentRecord,
    network: &wallet_core::network::Network,
    symbol: String,
    decimals: u8,
) -> Receipt {
    Receipt {
        status: serde_json::to_value(record.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        tx_hash: record.tx_hash.to_string(),
        explorer: network.explorer_tx_url(&record.tx_hash),
        error: record.error.clone(),
        amount_display: format_amount(record.amount, decimals),
        symbol,
        block_number: record.block_number,
    }
}

/// Sends a stored payment that did not go out (the history's "send again") once more, on the
/// person's word: the very same signed bytes, so it can never pay twice; refused once its request
/// has expired. Reading the history never does this by itself.
#[tauri::command]
#[specta::specta]
pub async fn payment_resend(state: State<'_, AppState>, tx_hash: String) -> CmdResult<Receipt> {
    let hash: alloy::primitives::B256 =
        tx_hash.trim().parse().map_err(|_| CommandError::new("unknown_payment", "no such payment"))?;
    state.touch();
    let client = {
        let mut chain = state.chain.lock().await;
        state.client(&mut chain).await?
    };
    client.check_chain().await?;
    let mut db = state.db.lock().await;
    let db = state.open_db(&mut db)?;
    let record = payment::retry(&client, db, &hash, Tracking::default()).await?;
    let known = tokens(db, client.network.chain_id)?;
    let (symbol, decimals) = match record.token {
        None => (client.network.native.symbol.clone(), client.network.native.decimals),
        Some(t) => {
            known.iter().find(|k| k.address == t).map_or((t.to_checksum(None), 0), |k| (k.symbol.clone(), k.decimals))
        }
    };
    Ok(receipt(&record, &client.network, symbol, decimals))
}

fn account_address(wallet: &wallet_core::Wallet, index: u32) -> Result<alloy::primitives::Address> {
    wallet.info().accounts.iter().find(|a| a.index == index).map(|a| a.address).ok_or(Error::UnknownAccount { index })
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
    let address = account(&state, index).await?.address;
    let network = {
        let mut chain = state.chain.lock().await;
        state.network(&mut chain).await?
    };
    let mut request = PaymentRequest { chain_id: Some(network.chain_id), ..PaymentRequest::default() };
    let decimals = match token.as_deref() {
        None | Some("") => {
            request.recipient = Some(Target::Address(address));
            network.native.decimals
        }
        Some(t) => {
            let token = wallet_core::address::parse_address(t)?;
            let mut db = state.db.lock().await;
            let db = state.open_db(&mut db)?;
            let known = tokens(db, network.chain_id)?;
            let decimals = known.iter().find(|k| k.address == token).map(|k| k.decimals).ok_or_else(|| {
                CommandError::new("unknown_token", "this token is not shown by the wallet on this network")
            })?;
            request.recipient = Some(Target::Address(address));
            request.token = Some(Target::Address(token));
            decimals
        }
    };
    if let Some(a) = amount.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        let units = parse_units(a, decimals).map_err(|_| {
            CommandError::new("invalid_amount", format!("{a:?} is not an amount with at most {decimals} decimals"))
        })?;
        let value: alloy::primitives::U256 = units.into();
        if value.is_zero() {
            return Err(CommandError::new("invalid_amount", "the amount must be more than zero"));
        }
        request.amount = Some(value);
    }
    Ok(ReceiveRequest { address: address.to_checksum(None), uri: request.to_uri() })
}
