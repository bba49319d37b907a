//! The demo merchant's checkout page on localhost (`tender merchant`), for the demo and the
//! end-to-end tests: an order with its payment QR code and a "Pay with wallet" (`ethereum:`) link,
//! which flips to "Paid" when the payment lands (one deposit address per order, see
//! [`crate::merchant`]).
//!
//! Routes: `GET /` the page; `GET /status` the orders as JSON; `POST /orders` a new order.
//! Served by axum (hyper) on a loopback address. Every text it shows is escaped; a request whose
//! `Host` is not this server (DNS rebinding) is refused, and so is a `POST /orders` from another
//! origin (a page elsewhere cannot create orders); idle and half-sent connections cost a task
//! each and never hold up the others.

use std::net::SocketAddr;
use std::sync::Arc;

use alloy::primitives::U256;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use tokio::sync::Mutex;
use wallet_core::chain::network::ChainClient;
use wallet_core::chain::token::{Token, format_amount};
use wallet_core::{Error, Language, RecoveryPhrase, Result, SecretString};

use crate::merchant::{Merchant, Order, OrderState, check_orders};

/// What the shop sells: every order is `amount` of `token`, from the shop `label`.
#[derive(Debug, Clone)]
pub struct ShopConfig {
    /// The shop's name (shown, and put in each request's `label`).
    pub label: String,
    /// The token asked for.
    pub token: Token,
    /// Each order's amount, in base units.
    pub amount: U256,
    /// Where the gasless checkout (x402, see [`crate::gateway`]) serves each order's payment link
    /// (`{gasless}pay/{number}`), when it runs: its QR code is then the page's first.
    pub gasless: Option<String>,
    /// Where the shop mints a receipt NFT for each paid order, when it does.
    pub receipts: Option<Receipts>,
}

/// The shop's receipt collection ([`crate::devnet::StoreCards`]) and the key allowed to mint there.
#[derive(Clone)]
pub struct Receipts {
    /// The collection.
    pub collection: alloy::primitives::Address,
    /// The minter's key (the dev chain's facilitator: a public development key).
    pub minter: alloy::signers::local::PrivateKeySigner,
}

impl std::fmt::Debug for Receipts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receipts").field("collection", &self.collection).finish_non_exhaustive()
    }
}

struct Shop {
    merchant: Merchant,
    orders: Vec<Order>,
    config: ShopConfig,
    /// Each paid order's receipt NFT: the mint's transaction, or why it failed (minted once).
    receipts: std::collections::HashMap<u32, std::result::Result<String, String>>,
}

impl Shop {
    fn new_order(&mut self) -> Result<Order> {
        let reference = format!("A-{}", 1001 + self.orders.len());
        let (chain, token) = (self.config.token.chain_id, self.config.token.address);
        let order = self.merchant.new_order(&reference, chain, Some(token), self.config.amount)?;
        self.orders.push(order.clone());
        Ok(order)
    }
}

#[derive(Clone)]
struct AppState {
    shop: Arc<Mutex<Shop>>,
    client: ChainClient,
    /// Where this server listens: the only `Host` it answers.
    addr: SocketAddr,
}

fn io(e: std::io::Error) -> Error {
    Error::Io { context: "merchant page".into(), source: e }
}

/// Binds a loopback port (`0`: any free one) for the shop; returns the listener and its URL.
pub async fn bind(port: u16) -> Result<(tokio::net::TcpListener, String)> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(io)?;
    let url = format!("http://{}/", listener.local_addr().map_err(io)?);
    Ok((listener, url))
}

/// Serves the shop on `listener` until the process ends, with a fresh shop seed (deposit addresses
/// are the shop's own, never a shopper's) and a first order.
pub async fn serve(listener: tokio::net::TcpListener, client: ChainClient, config: ShopConfig) -> Result<()> {
    let seed = RecoveryPhrase::generate(12, Language::English)?.to_seed(&SecretString::new(String::new()));
    let mut shop = Shop {
        merchant: Merchant::new(seed, &config.label, 0),
        orders: Vec::new(),
        config,
        receipts: std::collections::HashMap::new(),
    };
    shop.new_order()?;
    let addr = listener.local_addr().map_err(io)?;
    let state = AppState { shop: Arc::new(Mutex::new(shop)), client: client.clone(), addr };
    // Receipts are minted by the shop's own watch, never as a side effect of reading its status.
    let watch = tokio::spawn(mint_paid(state.clone(), CHAIN_CHECK));
    let served = tokio::select! {
        served = axum::serve(listener, router(state)) => served.map_err(io),
        gone = chain_gone(&client, CHAIN_CHECK, CHAIN_MISSES) => Err(gone),
    };
    watch.abort();
    served
}

/// Every `every`, checks the orders on chain and mints the receipt NFT of each newly paid one (when the
/// shop mints receipts), until aborted.
async fn mint_paid(state: AppState, every: std::time::Duration) {
    if state.shop.lock().await.config.receipts.is_none() {
        return;
    }
    loop {
        tokio::time::sleep(every).await;
        let orders = state.shop.lock().await.orders.clone();
        let Ok(check) = check_orders(&state.client, &orders).await else { continue };
        let paid: Vec<Order> = orders
            .iter()
            .zip(&check.statuses)
            .filter(|(_, s)| matches!(s.state, OrderState::Paid | OrderState::Overpaid))
            .map(|(o, _)| o.clone())
            .collect();
        mint_receipts(&state, paid).await;
    }
}

/// How often the shop checks that its chain still answers.
pub const CHAIN_CHECK: std::time::Duration = std::time::Duration::from_secs(2);
/// After how many unanswered checks in a row the shop stops (its chain is gone: a page that can
/// never see a payment must not keep taking orders).
pub const CHAIN_MISSES: u32 = 5;

/// Returns once `client`'s chain missed `misses` checks in a row, `every` apart.
async fn chain_gone(client: &ChainClient, every: std::time::Duration, misses: u32) -> Error {
    use alloy::providers::Provider;
    let mut missed = 0;
    loop {
        tokio::time::sleep(every).await;
        match tokio::time::timeout(every * 2, client.provider.get_block_number()).await {
            Ok(Ok(_)) => missed = 0,
            _ => missed += 1,
        }
        if missed >= misses {
            return Error::RpcUnavailable { detail: format!("the chain stopped answering ({missed} checks in a row)") };
        }
    }
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/status", get(status))
        .route("/orders/{number}", get(order_terms))
        .route("/orders", axum::routing::post(new_order))
        .with_state(state)
}

/// The request is for this server: its `Host` is our own address (or `localhost` on our port).
fn host_ok(headers: &HeaderMap, addr: SocketAddr) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    host == addr.to_string() || host == format!("localhost:{}", addr.port())
}

/// A `POST` comes from our own page: its `Origin`, when the browser sends one, is this server.
fn origin_ok(headers: &HeaderMap, addr: SocketAddr) -> bool {
    match headers.get(header::ORIGIN).map(|o| o.to_str()) {
        None => true,
        Some(Ok(origin)) => origin == format!("http://{addr}") || origin == format!("http://localhost:{}", addr.port()),
        Some(Err(_)) => false,
    }
}

fn refused(why: &'static str) -> Response {
    (StatusCode::FORBIDDEN, [(header::CACHE_CONTROL, "no-store")], why).into_response()
}

async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !host_ok(&headers, state.addr) {
        return refused("unknown host");
    }
    let html = render(&*state.shop.lock().await);
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

async fn status(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !host_ok(&headers, state.addr) {
        return refused("unknown host");
    }
    let (orders, token) = {
        let s = state.shop.lock().await;
        (s.orders.clone(), s.config.token.clone())
    };
    let checked = check_orders(&state.client, &orders).await;
    let receipts = state.shop.lock().await.receipts.clone();
    let body = match checked {
        Ok(check) => json!({
            "orders": orders.iter().zip(&check.statuses).map(|(o, s)| json!({
                "number": o.number,
                "reference": o.reference,
                "uri": o.uri(),
                "deposit": o.deposit.to_checksum(None),
                "amount": format_amount(o.amount, token.decimals),
                "symbol": token.symbol,
                "state": s.state,
                "received": format_amount(s.received, token.decimals),
                "block_number": s.block_number,
                "receipt_nft": receipts.get(&o.number).map(|r| match r {
                    Ok(tx) => json!({ "tx": tx }),
                    Err(e) => json!({ "error": e }),
                }),
            })).collect::<Vec<_>>(),
        }),
        Err(e) => json!({ "error": e.to_string() }),
    };
    ([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

/// Mints, once each, the receipt NFT of each of `paid` to whoever paid it (the sender of the first
/// transfer to the order's deposit address), in the background: the status answers meanwhile.
async fn mint_receipts(state: &AppState, paid: Vec<Order>) {
    let Some(receipts) = state.shop.lock().await.config.receipts.clone() else { return };
    for order in paid {
        {
            let mut shop = state.shop.lock().await;
            if shop.receipts.contains_key(&order.number) {
                continue;
            }
            shop.receipts.insert(order.number, Err("minting".into()));
        }
        let (state, receipts) = (state.clone(), receipts.clone());
        tokio::spawn(async move {
            let minted = mint_receipt(&state.client, &receipts, &order).await;
            state.shop.lock().await.receipts.insert(order.number, minted.map_err(|e| e.to_string()));
        });
    }
}

async fn mint_receipt(client: &ChainClient, receipts: &Receipts, order: &Order) -> Result<String> {
    use alloy::providers::{Provider, ProviderBuilder};
    use alloy::sol_types::SolEvent;
    let failed = |what: &str, e: &dyn std::fmt::Display| Error::Devnet { reason: format!("{what}: {e}") };
    let token = order.token.ok_or_else(|| failed("a receipt", &"the order is in ether, whose sender leaves no log"))?;
    let filter = alloy::rpc::types::Filter::new()
        .address(token)
        .event_signature(wallet_core::chain::token::IERC20Metadata::Transfer::SIGNATURE_HASH)
        .topic2(order.deposit.into_word())
        .from_block(0);
    let logs = client.provider.get_logs(&filter).await.map_err(|e| failed("finding the payer", &e))?;
    let payer = logs
        .first()
        .and_then(|l| wallet_core::chain::token::IERC20Metadata::Transfer::decode_log(&l.inner).ok())
        .map(|e| e.from)
        .ok_or_else(|| failed("finding the payer", &"no transfer to the deposit"))?;
    let url = client.endpoint.expose().clone();
    let provider =
        ProviderBuilder::new().wallet(alloy::network::EthereumWallet::from(receipts.minter.clone())).connect_http(url);
    let receipt = crate::devnet::StoreCards::new(receipts.collection, &provider)
        .mintReceipt(payer, order.reference.clone())
        .send()
        .await
        .map_err(|e| failed("minting the receipt", &e))?
        .get_receipt()
        .await
        .map_err(|e| failed("minting the receipt", &e))?;
    Ok(receipt.transaction_hash.to_string())
}

/// One order's terms, for the gasless checkout's gateway: who is paid (the order's own deposit
/// address), how much (base units) of which token, on which chain.
async fn order_terms(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Path(number): axum::extract::Path<u32>,
) -> Response {
    if !host_ok(&headers, state.addr) {
        return refused("unknown host");
    }
    let shop = state.shop.lock().await;
    match shop.orders.iter().find(|o| o.number == number) {
        Some(o) => axum::Json(json!({
            "number": o.number,
            "reference": o.reference,
            "deposit": o.deposit.to_checksum(None),
            "amount": o.amount.to_string(),
            "token": o.token.map(|t| t.to_checksum(None)),
            "chain_id": o.chain_id,
            "label": o.label,
        }))
        .into_response(),
        None => (StatusCode::NOT_FOUND, "no such order").into_response(),
    }
}

async fn new_order(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !host_ok(&headers, state.addr) {
        return refused("unknown host");
    }
    if !origin_ok(&headers, state.addr) {
        return refused("orders are created from this shop's own page");
    }
    match state.shop.lock().await.new_order() {
        Ok(o) => (StatusCode::CREATED, axum::Json(json!({ "number": o.number, "uri": o.uri() }))).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(json!({ "error": e.to_string() }))).into_response(),
    }
}

/// `text` safe inside HTML text and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` as a JavaScript string literal inside a `<script>` (JSON, with `<` escaped so that no
/// `</script>` can end the script early).
fn js_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into()).replace('<', "\\u003c")
}

fn render(shop: &Shop) -> String {
    let Some(order) = shop.orders.last() else { return "no order".into() };
    let uri = order.uri();
    let svg = |text: &str, size: u32| {
        qrcode::QrCode::new(text.as_bytes())
            .map(|c| c.render::<qrcode::render::svg::Color>().min_dimensions(size, size).build())
            .unwrap_or_default()
    };
    // With the gasless checkout, its link comes first (no fee for the shopper); the EIP-681 request
    // stays for any other wallet.
    let (qr, gasless) = match &shop.config.gasless {
        Some(base) => {
            let link = format!("{base}pay/{}", order.number);
            // Every other kind of x402 checkout the gateway offers for the same order, each a code of
            // its own (tools/x402-shop.mjs: the official packages).
            let kinds = [
                ("permit2-sponsored", "Permit2, the one-time approval sponsored by the shop (any ERC-20)"),
                ("permit2", "Permit2, the one-time approval made first on chain (needs ETH once)"),
                ("upto", "Up to the amount: the till charges 75 % of it (the order then shows underpaid)"),
                ("signed", "EIP-3009 with an offer and a receipt signed by the shop"),
            ];
            let others: String = kinds
                .iter()
                .map(|(path, what)| {
                    let other = format!("{base}{path}/{}", order.number);
                    format!(
                        r#"<li id="kind-{path}"><p>{what}</p>{qr}<p><code>{link}</code></p></li>"#,
                        what = escape(what),
                        qr = svg(&other, 160),
                        link = escape(&other),
                    )
                })
                .collect();
            (
                svg(&link, 240),
                format!(
                    r#"<p class="hint">Pay with no fee: scan with Tender</p><p><code id="gasless-link">{link}</code></p>
<details><summary>Or pay on chain with any wallet (network fee in ETH)</summary><div id="qr-onchain">{onchain}</div></details>
<details id="other-kinds"><summary>Other checkouts this shop offers (x402)</summary><ul class="kinds">{others}</ul></details>"#,
                    link = escape(&link),
                    onchain = svg(&uri, 200),
                ),
            )
        }
        None => (svg(&uri, 240), String::new()),
    };
    let token = &shop.config.token;
    let amount = format!("{} {}", format_amount(order.amount, token.decimals), token.symbol);
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{label} — checkout</title>
<style>
body{{font-family:system-ui,sans-serif;background:#f4f4f5;color:#18181b;margin:0;display:grid;place-items:center;min-height:100vh}}
main{{background:#fff;border-radius:18px;padding:2rem;max-width:26rem;box-shadow:0 10px 30px #0002;text-align:center}}
.amount{{font-size:2rem;font-weight:700}} .state{{font-size:1.3rem;font-weight:700;padding:.5rem 1rem;border-radius:999px;display:inline-block}}
.unpaid{{background:#fef3c7;color:#78350f}} .paid,.overpaid{{background:#d1fae5;color:#065f46}} .underpaid{{background:#fee2e2;color:#991b1b}}
a.pay{{display:inline-block;margin:1rem 0;padding:.8rem 1.4rem;background:#0f766e;color:#fff;border-radius:12px;text-decoration:none;font-weight:600}}
code{{font-size:.75rem;word-break:break-all}} .hint{{font-weight:600;color:#0f766e;margin:.2rem 0}} details{{margin:.8rem 0}}
.kinds{{list-style:none;padding:0;text-align:center}} .kinds li{{border-top:1px solid #e4e4e7;padding:.6rem 0}}
</style></head><body><main>
<h1>{label}</h1><p>Order <strong id="order-ref">{reference}</strong></p>
<p class="amount">{amount}</p>
<div id="pay-options">
<div id="qr" aria-label="Payment QR code">{qr}</div>
{gasless}
<p><a class="pay" id="pay-link" href="{uri}">Pay with wallet</a></p>
</div>
<p><span id="order-state" class="state unpaid">Awaiting payment</span></p>
<p id="order-received" hidden></p>
<p id="order-uri"><code>{uri}</code></p>
<form method="post" action="/orders" onsubmit="fetch('/orders',{{method:'POST'}}).then(()=>location.reload());return false"><button>New order</button></form>
</main>
<script>
const labels = {{ unpaid: "Awaiting payment", underpaid: "Underpaid", paid: "Paid", overpaid: "Paid more than asked" }};
const reference = {reference_js};
async function poll() {{
  try {{
    const s = await (await fetch("/status")).json();
    const o = (s.orders || []).find((o) => o.reference === reference);
    if (o) {{
      const el = document.getElementById("order-state"); el.textContent = labels[o.state]; el.className = "state " + o.state;
      // What arrived, when it is not exactly what was asked: "received 25 of 12.5 STORE".
      const received = document.getElementById("order-received");
      received.hidden = o.state === "unpaid" || o.state === "paid";
      received.textContent = "Received " + o.received + " of " + o.amount + " " + o.symbol;
      // Paid: nothing is left to pay, so nothing invites paying again.
      const done = o.state === "paid" || o.state === "overpaid";
      document.getElementById("pay-options").hidden = done;
      document.getElementById("order-uri").hidden = done;
    }}
  }} catch (e) {{}}
  setTimeout(poll, 1500);
}}
poll();
</script></body></html>"#,
        label = escape(&order.label),
        reference = escape(&order.reference),
        reference_js = js_string(&order.reference),
        amount = escape(&amount),
        uri = escape(&uri),
        gasless = gasless,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_shown_is_escaped() {
        assert_eq!(escape(r#"<b x="1">'&'</b>"#), "&lt;b x=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;");
        assert_eq!(js_string("</script><x>"), r#""\u003c/script>\u003cx>""#);
    }

    #[test]
    fn only_our_own_host_and_origin_are_answered() {
        let addr: SocketAddr = "127.0.0.1:4242".parse().expect("addr");
        let with = |name: header::HeaderName, value: &str| {
            let mut h = HeaderMap::new();
            h.insert(name, value.parse().expect("header"));
            h
        };
        assert!(host_ok(&with(header::HOST, "127.0.0.1:4242"), addr));
        assert!(host_ok(&with(header::HOST, "localhost:4242"), addr));
        assert!(!host_ok(&with(header::HOST, "evil.example:4242"), addr), "DNS rebinding");
        assert!(!host_ok(&HeaderMap::new(), addr));
        assert!(origin_ok(&HeaderMap::new(), addr));
        assert!(origin_ok(&with(header::ORIGIN, "http://127.0.0.1:4242"), addr));
        assert!(!origin_ok(&with(header::ORIGIN, "https://evil.example"), addr));
        assert!(!origin_ok(&with(header::ORIGIN, "null"), addr));
    }
}
