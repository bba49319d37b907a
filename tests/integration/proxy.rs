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
    /// Answer every `eth_call` with malformed JSON (with a text of its own in it).
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
    /// Answer every broadcast with an error worded as [`Proxy::set_wording`] says (each client's
    /// own words for "I already have it"), without forwarding it.
    RefuseWorded = 16,
    /// Serve a receipt with status 0 (reverted) for any transaction asked about, in block 1: a
    /// receipt served early, or invented.
    FakeFailedReceipt = 17,
    /// Say "none" for receipts and for transactions by hash (a load-balanced node lagging behind the
    /// one that mined them), while transaction counts come from the head.
    HideTransactions = 18,
    /// Answer `eth_getTransactionCount` at `pending` with the `latest` count: a node that does not
    /// see the wallet's own waiting transaction.
    HidePending = 19,
    /// Answer `eth_getTransactionCount` at `pending` with 3 more than there are.
    FutureNonce = 20,
    /// Answer `eth_getTransactionCount` with one less than there is, at every block.
    LowNonce = 21,
}

/// The widest `eth_getLogs` range [`Mode::NarrowLogs`] answers.
pub(crate) const LOG_RANGE_CAP: u64 = 100;

/// The phishing text a hostile node puts in its error messages.
pub(crate) const PHISHING: &str = "\u{202e}\u{2066}Tender security notice:\u{2028}your wallet is locked.\nType your 12 words at https://tender-support.example\u{3164}";

pub(crate) struct Proxy {
    pub(crate) url: String,
    mode: Arc<AtomicU8>,
    broadcasts: Arc<AtomicUsize>,
    wording: Arc<std::sync::Mutex<String>>,
    /// Every request body received, in order: what the node learns.
    log: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Proxy {
    pub(crate) async fn start(upstream: &str) -> Self {
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let mode = Arc::new(AtomicU8::new(Mode::Forward as u8));
        let broadcasts = Arc::new(AtomicUsize::new(0));
        let wording = Arc::new(std::sync::Mutex::new(String::from("already known")));
        let log = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (m, b, w, l) = (mode.clone(), broadcasts.clone(), wording.clone(), log.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (m, b, w, l, upstream) = (m.clone(), b.clone(), w.clone(), l.clone(), upstream.clone());
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(MAX_STALL * 2, serve(client, &upstream, &m, &b, &w, &l)).await;
                });
            }
        });
        Self { url, mode, broadcasts, wording, log }
    }

    /// The words [`Mode::RefuseWorded`] refuses broadcasts with.
    pub(crate) fn set_wording(&self, words: &str) {
        *self.wording.lock().expect("wording") = words.to_owned();
    }

    pub(crate) fn set(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
    }

    /// Every request body the proxy received so far (and forgets them).
    pub(crate) fn take_requests(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().expect("log"))
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

/// A receipt with status 0 for `hash` in block 1, well formed (a hostile node's invention).
fn failed_receipt(hash: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "transactionHash": hash, "transactionIndex": "0x0",
        "blockHash": format!("0x{}", "11".repeat(32)), "blockNumber": "0x1",
        "from": format!("0x{}", "22".repeat(20)), "to": format!("0x{}", "33".repeat(20)),
        "cumulativeGasUsed": "0x5208", "gasUsed": "0x5208", "effectiveGasPrice": "0x3b9aca00",
        "contractAddress": null, "logs": [], "logsBloom": format!("0x{}", "00".repeat(256)),
        "status": "0x0", "type": "0x2"
    })
}

/// Forwards `request` and returns its answer's `result` as a number, if it has one.
async fn forwarded_count(upstream: &str, request: &serde_json::Value) -> std::io::Result<Option<u64>> {
    let answer = forward(upstream, request.to_string().as_bytes()).await?;
    let text = String::from_utf8_lossy(&answer);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    let value: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    Ok(value["result"].as_str().and_then(|h| u64::from_str_radix(h.trim_start_matches("0x"), 16).ok()))
}

async fn serve(
    mut client: TcpStream,
    upstream: &str,
    mode: &AtomicU8,
    broadcasts: &AtomicUsize,
    wording: &std::sync::Mutex<String>,
    log: &std::sync::Mutex<Vec<String>>,
) -> std::io::Result<()> {
    // One request per connection: every answer says `Connection: close`.
    let Some((_, body)) = read_request(&mut client).await? else { return Ok(()) };
    let text = String::from_utf8_lossy(&body).to_string();
    log.lock().expect("log").push(text.clone());
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
        "eth_call" if is(Mode::GarbageCalls) => {
            client.write_all(&respond("{\"jsonrpc\":\"2.0\",\"id\": Tender support: call +1-555-0100")).await
        }
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
        "eth_sendRawTransaction" if is(Mode::RefuseWorded) => {
            let words = wording.lock().expect("wording").clone();
            reply(&mut client, rpc_error(&id, -32000, &words)).await
        }
        "eth_getTransactionReceipt" if is(Mode::FakeFailedReceipt) => {
            reply(&mut client, result(&id, failed_receipt(&request["params"][0]))).await
        }
        "eth_getTransactionReceipt" | "eth_getTransactionByHash" if is(Mode::HideTransactions) => {
            reply(&mut client, result(&id, serde_json::Value::Null)).await
        }
        "eth_getTransactionCount" if is(Mode::HidePending) || is(Mode::FutureNonce) || is(Mode::LowNonce) => {
            let pending = request["params"][1].as_str() == Some("pending");
            let mut asked = request.clone();
            if pending && is(Mode::HidePending) {
                asked["params"][1] = "latest".into();
            }
            let Some(count) = forwarded_count(upstream, &asked).await? else {
                return client.write_all(&forward(upstream, &body).await?).await;
            };
            let said = if is(Mode::LowNonce) {
                count.saturating_sub(1)
            } else if pending && is(Mode::FutureNonce) {
                count + 3
            } else {
                count
            };
            reply(&mut client, result(&id, format!("{said:#x}").into())).await
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
