//! `tender merchant`: a merchant's checkout page on localhost, for the demo and the end-to-end tests.
//! It shows an order with its payment QR code and a "Pay with wallet" (`ethereum:`) link, and flips
//! to "Paid" when the payment lands (the merchant side of `wallet_core::merchant`: one deposit
//! address per order, checked with one balance sync).
//!
//! Routes: `GET /` the page; `GET /status` the orders as JSON; `POST /orders` a new order.
//! The HTTP handling is deliberately minimal (GET/POST without bodies, loopback only).

use std::sync::Arc;

use alloy::primitives::Address;
use alloy::primitives::utils::parse_units;
use clap::Args;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use wallet_core::merchant::{Merchant, Order, check_orders};
use wallet_core::network::{self, ChainClient};
use wallet_core::token::{Token, builtin_tokens, format_amount};
use wallet_core::{Error, Language, RecoveryPhrase, Result, SecretString};

#[derive(Args)]
pub(crate) struct MerchantArgs {
    #[command(flatten)]
    net: crate::chain::NetworkArgs,
    /// A wallet data folder whose saved network to use (when no --rpc or --network is given).
    #[arg(long, env = "TENDER_DATA_DIR")]
    data_dir: Option<std::path::PathBuf>,
    /// Loopback port (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The shop's name.
    #[arg(long, default_value = "Corner Shop")]
    label: String,
    /// Each order's amount, in the token's units.
    #[arg(long, default_value = "12.5")]
    amount: String,
    /// The token asked for (default: the network's featured store token).
    #[arg(long)]
    token: Option<String>,
}

struct Shop {
    merchant: Merchant,
    orders: Vec<Order>,
    token: Token,
    amount: alloy::primitives::U256,
}

impl Shop {
    fn new_order(&mut self) -> Result<Order> {
        let reference = format!("A-{}", 1001 + self.orders.len());
        let order = self.merchant.new_order(&reference, self.token.chain_id, Some(self.token.address), self.amount)?;
        self.orders.push(order.clone());
        Ok(order)
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Io { context: "merchant page".into(), source: e }
}

pub(crate) fn run(args: MerchantArgs) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(io)?;
    runtime.block_on(async {
        let network = crate::chain::resolve_network(&args.net, args.data_dir.as_deref()).await?;
        let client = network::connect(&network).await?;
        let tokens = builtin_tokens(network.chain_id);
        let token = match &args.token {
            Some(t) => {
                let address: Address = wallet_core::address::parse_address(t)?;
                wallet_core::token::read_token(&client, address).await?
            }
            None => tokens.iter().find(|t| t.featured).or(tokens.first()).cloned().ok_or_else(|| {
                Error::InputMissing { what: "this network has no store token: pass --token ADDRESS".into() }
            })?,
        };
        let amount = parse_units(&args.amount, token.decimals)
            .map_err(|e| Error::InputMissing { what: format!("--amount {:?}: {e}", args.amount) })?
            .into();
        // A fresh shop seed each run: deposit addresses are the shop's own, never a shopper's.
        let seed = RecoveryPhrase::generate(12, Language::English)?.to_seed(&SecretString::new(String::new()));
        let mut shop = Shop { merchant: Merchant::new(seed, &args.label, 0), orders: Vec::new(), token, amount };
        shop.new_order()?;
        let shop = Arc::new(Mutex::new(shop));
        let listener = TcpListener::bind(("127.0.0.1", args.port)).await.map_err(io)?;
        let url = format!("http://{}/", listener.local_addr().map_err(io)?);
        println!("{}", json!({ "url": url, "chain_id": network.chain_id }));
        use std::io::Write;
        std::io::stdout().flush().map_err(io)?;
        loop {
            let (stream, _) = listener.accept().await.map_err(io)?;
            let (shop, client) = (shop.clone(), client.clone());
            tokio::spawn(async move {
                if let Err(e) = serve(stream, &shop, &client).await {
                    eprintln!("merchant: {e}");
                }
            });
        }
    })
}

async fn serve(mut stream: TcpStream, shop: &Mutex<Shop>, client: &ChainClient) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 || head.len() > 8192 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_owned();
    let mut parts = line.split(' ');
    let (method, path) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let (status, kind, body) = match (method, path) {
        ("GET", "/") => ("200 OK", "text/html; charset=utf-8", page(&*shop.lock().await)),
        ("GET", "/status") => ("200 OK", "application/json", status_json(shop, client).await.to_string()),
        ("POST", "/orders") => match shop.lock().await.new_order() {
            Ok(o) => ("201 Created", "application/json", json!({ "number": o.number, "uri": o.uri() }).to_string()),
            Err(e) => ("500 Internal Server Error", "application/json", json!({ "error": e.to_string() }).to_string()),
        },
        _ => ("404 Not Found", "text/plain", "not found".to_owned()),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

async fn status_json(shop: &Mutex<Shop>, client: &ChainClient) -> serde_json::Value {
    let (orders, token) = {
        let s = shop.lock().await;
        (s.orders.clone(), s.token.clone())
    };
    match check_orders(client, &orders).await {
        Ok(states) => json!({
            "orders": orders.iter().zip(&states).map(|(o, s)| json!({
                "number": o.number,
                "reference": o.reference,
                "uri": o.uri(),
                "deposit": o.deposit.to_checksum(None),
                "amount": format_amount(o.amount, token.decimals),
                "symbol": token.symbol,
                "state": s.state,
                "received": format_amount(s.received, token.decimals),
                "block_number": s.block_number,
            })).collect::<Vec<_>>(),
        }),
        Err(e) => json!({ "error": e.to_string() }),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn page(shop: &Shop) -> String {
    let Some(order) = shop.orders.last() else { return "no order".into() };
    let uri = order.uri();
    let qr = qrcode::QrCode::new(uri.as_bytes())
        .map(|c| c.render::<qrcode::render::svg::Color>().min_dimensions(240, 240).build())
        .unwrap_or_default();
    let amount = format!("{} {}", format_amount(order.amount, shop.token.decimals), shop.token.symbol);
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{label} — checkout</title>
<style>
body{{font-family:system-ui,sans-serif;background:#f4f4f5;color:#18181b;margin:0;display:grid;place-items:center;min-height:100vh}}
main{{background:#fff;border-radius:18px;padding:2rem;max-width:26rem;box-shadow:0 10px 30px #0002;text-align:center}}
.amount{{font-size:2rem;font-weight:700}} .state{{font-size:1.3rem;font-weight:700;padding:.5rem 1rem;border-radius:999px;display:inline-block}}
.unpaid{{background:#fef3c7;color:#78350f}} .paid{{background:#d1fae5;color:#065f46}} .underpaid{{background:#fee2e2;color:#991b1b}}
a.pay{{display:inline-block;margin:1rem 0;padding:.8rem 1.4rem;background:#0f766e;color:#fff;border-radius:12px;text-decoration:none;font-weight:600}}
code{{font-size:.75rem;word-break:break-all}}
</style></head><body><main>
<h1>{label}</h1><p>Order <strong id="order-ref">{reference}</strong></p>
<p class="amount">{amount}</p>
<div id="qr" aria-label="Payment QR code">{qr}</div>
<p><a class="pay" id="pay-link" href="{uri_attr}">Pay with wallet</a></p>
<p><span id="order-state" class="state unpaid">Awaiting payment</span></p>
<p><code>{uri_text}</code></p>
<form method="post" action="/orders" onsubmit="fetch('/orders',{{method:'POST'}}).then(()=>location.reload());return false"><button>New order</button></form>
</main>
<script>
const labels = {{ unpaid: "Awaiting payment", underpaid: "Underpaid", paid: "Paid" }};
async function poll() {{
  try {{
    const s = await (await fetch("/status")).json();
    const o = (s.orders || []).find((o) => o.reference === "{reference}");
    if (o) {{ const el = document.getElementById("order-state"); el.textContent = labels[o.state]; el.className = "state " + o.state; }}
  }} catch (e) {{}}
  setTimeout(poll, 1500);
}}
poll();
</script></body></html>"#,
        label = escape(&shop.merchant_label()),
        reference = escape(&order.reference),
        uri_attr = escape(&uri),
        uri_text = escape(&uri),
    )
}

impl Shop {
    fn merchant_label(&self) -> String {
        self.orders.last().map(|o| o.label.clone()).unwrap_or_default()
    }
}
