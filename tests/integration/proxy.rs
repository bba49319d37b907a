//! The hostile node: a JSON-RPC proxy in front of anvil that misbehaves on demand, as a faulty or
//! malicious node would (anvil itself never does): down, stalling, dropping the answer to a
//! broadcast, refusing broadcasts, absurd gas and fees, huge or phishing answers, another chain id,
//! lagging receipts. It speaks raw HTTP/1.1 over TCP on purpose: lying about lengths, stalling
//! mid-answer and streaming without end need control of every byte, which an HTTP server library
//! exists to prevent. Loopback only, and bounded: every stall ends after [`MAX_STALL`], every
//! endless answer after [`MAX_STREAM`] bytes or when the client hangs up. Each HTTP request is
//! forwarded on its own connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::Duration;

/// The longest the proxy keeps a client waiting.
pub(crate) const MAX_STALL: Duration = Duration::from_secs(30);
/// The most bytes of an endless answer the proxy sends.
pub(crate) const MAX_STREAM: usize = 1536 << 20;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the proxy behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Mode {
    /// Forward everything.
    Forward = 0,
    /// Refuse every request (as a node that is down).
    Down = 1,
    /// Forward `eth_sendRawTransaction`, then drop the connection without answering.
    LoseBroadcastAnswer = 2,
    /// Answer every `eth_call` with malformed JSON.
    GarbageCalls = 3,
    /// Answer every `eth_call` with a well-formed but absurd result (a 5-byte blob).
    AbsurdCalls = 4,
    /// `eth_estimateGas` says 30 000 000.
    AbsurdGas = 5,
    /// Fee history, gas price and tips of 10^16 wei per gas.
    AbsurdFees = 6,
    /// Refuse every broadcast with a definitive error ("insufficient funds").
    RejectBroadcast = 7,
    /// Read the request, then never answer (until [`MAX_STALL`]); `eth_chainId` still answers.
    Stall = 8,
    /// Answer with a 1.5 GB body (its `Content-Length` says so, then zeros follow).
    HugeBody = 9,
    /// Answer gas estimates with a 1.8 MB error full of line breaks, bidi overrides and a phishing
    /// text.
    PhishingError = 10,
    /// `eth_chainId` now says 1 (Ethereum): the node switched chains under the wallet.
    OtherChain = 11,
    /// `eth_getTransactionReceipt` says "none yet" (a load-balanced node lagging behind).
    HideReceipts = 12,
    /// As [`Mode::HugeBody`], without a `Content-Length`: the size shows only while reading.
    EndlessBody = 13,
    /// Drop the connection of every broadcast before forwarding it: the node never sees it, the
    /// wallet hears nothing (the node answering everything else).
    DropBroadcast = 14,
    /// Refuse `eth_getLogs` over more than [`LOG_RANGE_CAP`] blocks, as providers cap ranges.
    NarrowLogs = 15,
}

/// The widest `eth_getLogs` range [`Mode::NarrowLogs`] answers.
pub(crate) const LOG_RANGE_CAP: u64 = 100;

/// The phishing text a hostile node puts in its error messages.
pub(crate) const PHISHING: &str = "\u{202e}\u{2066}Tender security notice:\u{2028}your wallet is locked.\nType your 12 words at https://tender-support.example\u{3164}";

pub(crate) struct Proxy {
    pub(crate) url: String,
    mode: Arc<AtomicU8>,
    broadcasts: Arc<AtomicUsize>,
}

impl Proxy {
    pub(crate) async fn start(upstream: &str) -> Self {
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let mode = Arc::new(AtomicU8::new(Mode::Forward as u8));
        let broadcasts = Arc::new(AtomicUsize::new(0));
        let (m, b) = (mode.clone(), broadcasts.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (m, b, upstream) = (m.clone(), b.clone(), upstream.clone());
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(MAX_STALL * 2, serve(client, &upstream, &m, &b)).await;
                });
            }
        });
        Self { url, mode, broadcasts }
    }

    pub(crate) fn set(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
    }

    /// How many `eth_sendRawTransaction` requests reached the proxy so far.
    pub(crate) fn broadcasts(&self) -> usize {
        self.broadcasts.load(Ordering::SeqCst)
    }
}

async fn reply(client: &mut TcpStream, body: String) -> std::io::Result<()> {
    client.write_all(&respond(&body)).await
}

fn result(id: &serde_json::Value, value: serde_json::Value) -> String {
    serde_json::json!({ "jsonrpc": "2.0", "id": id, "result": value }).to_string()
}

fn rpc_error(id: &serde_json::Value, code: i64, message: &str) -> String {
    serde_json::json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } }).to_string()
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let len = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Ok(None);
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Ok(Some((head, buf[end + 4..end + 4 + len].to_vec())));
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn respond(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn forward(upstream: &str, body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut up = TcpStream::connect(upstream).await?;
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {upstream}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    up.write_all(head.as_bytes()).await?;
    up.write_all(body).await?;
    let mut out = Vec::new();
    up.read_to_end(&mut out).await?;
    Ok(out)
}

async fn serve(
    mut client: TcpStream,
    upstream: &str,
    mode: &AtomicU8,
    broadcasts: &AtomicUsize,
) -> std::io::Result<()> {
    // One request per connection: every answer says `Connection: close`.
    let Some((_, body)) = read_request(&mut client).await? else { return Ok(()) };
    let text = String::from_utf8_lossy(&body).to_string();
    let request = serde_json::from_str::<serde_json::Value>(&text).unwrap_or_default();
    let id = request.get("id").cloned().unwrap_or(0.into());
    let method = request.get("method").and_then(|m| m.as_str()).unwrap_or("").to_owned();
    if text.contains("eth_sendRawTransaction") {
        broadcasts.fetch_add(1, Ordering::SeqCst);
    }
    let mode = mode.load(Ordering::SeqCst);
    let is = |m: Mode| mode == m as u8;
    let huge = 10u64.pow(16);
    match method.as_str() {
        _ if is(Mode::Down) => Ok(()),
        "eth_sendRawTransaction" if is(Mode::LoseBroadcastAnswer) => {
            forward(upstream, &body).await?;
            Ok(()) // the node has it; the wallet never hears back
        }
        "eth_sendRawTransaction" if is(Mode::DropBroadcast) => Ok(()),
        "eth_sendRawTransaction" if is(Mode::RejectBroadcast) => {
            reply(&mut client, rpc_error(&id, -32000, "insufficient funds for gas * price + value: have 0 want 1"))
                .await
        }
        "eth_call" if is(Mode::GarbageCalls) => client.write_all(&respond("{\"jsonrpc\":\"2.0\",\"id\":")).await,
        "eth_call" if is(Mode::AbsurdCalls) => reply(&mut client, result(&id, "0x0102030405".into())).await,
        "eth_estimateGas" if is(Mode::AbsurdGas) => reply(&mut client, result(&id, "0x1c9c380".into())).await,
        "eth_feeHistory" if is(Mode::AbsurdFees) => {
            let fee = format!("{huge:#x}");
            reply(
                &mut client,
                result(
                    &id,
                    serde_json::json!({ "oldestBlock": "0x1", "baseFeePerGas": vec![fee.clone(); 11],
                    "gasUsedRatio": vec![0.5; 10], "reward": vec![vec![fee.clone()]; 10] }),
                ),
            )
            .await
        }
        "eth_gasPrice" | "eth_maxPriorityFeePerGas" if is(Mode::AbsurdFees) => {
            reply(&mut client, result(&id, format!("{huge:#x}").into())).await
        }
        "eth_estimateGas" if is(Mode::PhishingError) => {
            let message = format!("execution reverted: {}{}", PHISHING, "\n".repeat(900_000));
            reply(&mut client, rpc_error(&id, 3, &message)).await
        }
        "eth_getLogs" if is(Mode::NarrowLogs) => {
            let block = |key: &str| {
                request["params"][0][key]
                    .as_str()
                    .and_then(|h| u64::from_str_radix(h.trim_start_matches("0x"), 16).ok())
            };
            match (block("fromBlock"), block("toBlock")) {
                (Some(from), Some(to)) if to + 1 - from > LOG_RANGE_CAP => {
                    let message = format!("query exceeds max block range {LOG_RANGE_CAP}");
                    reply(&mut client, rpc_error(&id, -32005, &message)).await
                }
                _ => client.write_all(&forward(upstream, &body).await?).await,
            }
        }
        "eth_chainId" if is(Mode::OtherChain) => reply(&mut client, result(&id, "0x1".into())).await,
        "eth_getTransactionReceipt" if is(Mode::HideReceipts) => {
            reply(&mut client, result(&id, serde_json::Value::Null)).await
        }
        m if m != "eth_chainId" && is(Mode::Stall) => {
            tokio::time::sleep(MAX_STALL).await;
            Ok(())
        }
        m if m != "eth_chainId" && (is(Mode::HugeBody) || is(Mode::EndlessBody)) => {
            let length = if is(Mode::HugeBody) { format!("Content-Length: {MAX_STREAM}\r\n") } else { String::new() };
            let head =
                format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}Connection: close\r\n\r\n");
            client.write_all(head.as_bytes()).await?;
            client.write_all(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x").await?;
            let zeros = vec![b'0'; 1 << 16];
            let mut sent = 0;
            while sent < MAX_STREAM {
                if client.write_all(&zeros).await.is_err() {
                    break; // the wallet hung up: what it should do
                }
                sent += zeros.len();
            }
            Ok(())
        }
        _ => {
            let answer = forward(upstream, &body).await?;
            client.write_all(&answer).await
        }
    }
}
