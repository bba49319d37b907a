//! The HTTP transport under every JSON-RPC call: alloy's JSON-RPC over reqwest, with what alloy's
//! own HTTP transport leaves open closed: **every call has a deadline** (connect and whole answer) and
//! **every answer has a size cap** (checked against `Content-Length` first, then while reading), so a
//! node that stalls or streams gigabytes costs seconds and a few MiB, never a hung wallet.
//!
//! Error texts never carry the node's body verbatim: at most [`MAX_BODY_IN_ERROR`] characters of it,
//! made displayable (see [`crate::text::untrusted`]).

use std::task;
use std::time::Duration;

use alloy::rpc::json_rpc::{RequestPacket, ResponsePacket};
use alloy::transports::{TransportError, TransportErrorKind, TransportFut};
use url::Url;

/// Limits of one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest a connection may take to open.
    pub connect_timeout: Duration,
    /// Longest one request may take, answer included.
    pub request_timeout: Duration,
    /// Largest answer accepted, in bytes.
    pub max_response_bytes: usize,
}

impl Limits {
    /// What Tender uses: 5 s to connect, 20 s per request, 16 MiB per answer (a 10 000-balance
    /// multicall answer is about 1.3 MiB; a 2 000-block log range of a busy token a few MiB).
    pub const DEFAULT: Self = Self {
        connect_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(20),
        max_response_bytes: 16 << 20,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Most characters of a node's answer quoted in an error.
pub const MAX_BODY_IN_ERROR: usize = 160;

/// A JSON-RPC HTTP transport with a deadline and a size cap.
#[derive(Clone)]
pub struct BoundedHttp {
    client: reqwest::Client,
    url: Url,
    limits: Limits,
}

impl std::fmt::Debug for BoundedHttp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold an access token: never shown.
        f.debug_struct("BoundedHttp").field("limits", &self.limits).finish_non_exhaustive()
    }
}

impl BoundedHttp {
    /// A transport to `url` within `limits`.
    pub fn new(url: Url, limits: Limits) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .connect_timeout(limits.connect_timeout)
            .timeout(limits.request_timeout)
            // A redirect could carry the request (and its signed transaction) elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(TransportErrorKind::custom)?;
        Ok(Self { client, url, limits })
    }

    async fn send(self, req: RequestPacket) -> Result<ResponsePacket, TransportError> {
        let too_large = || {
            TransportErrorKind::custom_str(&format!(
                "the node's answer is larger than {} MiB; it was not read",
                self.limits.max_response_bytes >> 20
            ))
        };
        let mut resp =
            self.client.post(self.url.clone()).json(&req).headers(req.headers()).send().await.map_err(|e| {
                if e.is_connect() || e.is_timeout() {
                    TransportErrorKind::custom_str(&describe(&e))
                } else {
                    // Connected, then the request failed: a node may hang up on a body it finds too
                    // large (anvil does, past 2 MiB) instead of answering 413.
                    TransportErrorKind::custom(RequestFailed)
                }
            })?;
        let status = resp.status();
        if resp.content_length().is_some_and(|n| n > self.limits.max_response_bytes as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.limits.max_response_bytes {
                        return Err(too_large());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(TransportErrorKind::custom_str(&describe(&e))),
            }
        }
        let quoted = || crate::text::displayable(&String::from_utf8_lossy(&body), MAX_BODY_IN_ERROR);
        if !status.is_success() {
            return Err(TransportErrorKind::http_error(status.as_u16(), quoted()));
        }
        serde_json::from_slice(&body).map_err(|err| TransportError::deser_err(err, quoted()))
    }
}

/// The node was reached, then the request failed before an answer (the connection dropped while
/// sending, or was reset): a smaller request may pass where this one did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestFailed;

impl std::fmt::Display for RequestFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request failed")
    }
}

impl std::error::Error for RequestFailed {}

/// A reqwest failure in words, without the URL (it may hold a token).
fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "no answer in time"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_body() || e.is_decode() {
        "the answer broke off"
    } else if e.is_redirect() {
        "the node answered with a redirect, which Tender does not follow"
    } else {
        "the request failed"
    };
    what.to_owned()
}

impl tower::Service<RequestPacket> for BoundedHttp {
    type Response = ResponsePacket;
    type Error = TransportError;
    type Future = TransportFut<'static>;

    fn poll_ready(&mut self, _cx: &mut task::Context<'_>) -> task::Poll<Result<(), Self::Error>> {
        task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: RequestPacket) -> Self::Future {
        Box::pin(self.clone().send(req))
    }
}
/// Whether `e` is the contract's refusal of an `eth_call`, as the node reports it: EIP-1474's code 3
/// (reverted with data), or a node's own "execution reverted" wording (geth, without data). Anything else
/// (the node's own error, no answer, an unreadable one) is not the contract's word.
pub fn is_revert(e: &alloy::transports::TransportError) -> bool {
    matches!(e, alloy::transports::RpcError::ErrorResp(p) if p.code == 3 || p.message.to_ascii_lowercase().contains("revert"))
}
