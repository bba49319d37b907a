//! A JSON-RPC proxy in front of anvil that misbehaves on demand (faults the real node will not
//! show): down, dropping the answer to `eth_sendRawTransaction` after forwarding it, or answering
//! with hostile JSON. Loopback only. Each HTTP request is forwarded on its own connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

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
}

pub(crate) struct Proxy {
    pub(crate) url: String,
    mode: Arc<AtomicU8>,
}

impl Proxy {
    pub(crate) async fn start(upstream: &str) -> Self {
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let mode = Arc::new(AtomicU8::new(Mode::Forward as u8));
        let m = mode.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (m, upstream) = (m.clone(), upstream.clone());
                tokio::spawn(async move {
                    let _ = serve(client, &upstream, &m).await;
                });
            }
        });
        Self { url, mode }
    }

    pub(crate) fn set(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
    }
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

async fn serve(mut client: TcpStream, upstream: &str, mode: &AtomicU8) -> std::io::Result<()> {
    // One request per connection: every answer says `Connection: close`.
    if let Some((_, body)) = read_request(&mut client).await? {
        let text = String::from_utf8_lossy(&body).to_string();
        let id = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("id").cloned())
            .unwrap_or(0.into());
        match mode.load(Ordering::SeqCst) {
            m if m == Mode::Down as u8 => return Ok(()),
            m if m == Mode::LoseBroadcastAnswer as u8 && text.contains("eth_sendRawTransaction") => {
                forward(upstream, &body).await?;
                return Ok(()); // the node has it; the wallet never hears back
            }
            m if m == Mode::GarbageCalls as u8 && text.contains("\"eth_call\"") => {
                client.write_all(&respond("{\"jsonrpc\":\"2.0\",\"id\":")).await?;
                return Ok(());
            }
            m if m == Mode::AbsurdCalls as u8 && text.contains("\"eth_call\"") => {
                client
                    .write_all(&respond(&format!("{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":\"0x0102030405\"}}")))
                    .await?;
                return Ok(());
            }
            _ => {
                let answer = forward(upstream, &body).await?;
                client.write_all(&answer).await?;
                return Ok(());
            }
        }
    }
    Ok(())
}
