//! An NFT's remote metadata and image, fetched only where the shopper allowed it: for a collection
//! they chose to load from the internet (a remote image tells its server who is looking, and when),
//! and never while the privacy setting keeps remote media off. The renderer itself never fetches:
//! what it draws was fetched here first, within these bounds:
//! - `https://` only (plain `http://` only on a local dev network), at a public internet address
//!   ([`crate::chain::reach`]); no redirect is followed; every answer has a deadline and a size cap,
//!   checked before it is read whole (a stated length) and while it is read (a stream without end);
//! - `ipfs://` through the shopper's gateway (their own IPFS node by default), asked for blocks that
//!   are each checked against their CID ([`super::ipfs`]): a gateway cannot change a byte unseen.

use std::time::Duration;

use super::ipfs::{self, Failure};
use crate::chain::reach::{self, Reach};

/// The gateway used when the shopper names none: an IPFS node of their own, on this machine (the
/// address IPFS's reference node, Kubo, serves its gateway on). No third party learns what is looked at.
pub const DEFAULT_IPFS_GATEWAY: &str = "http://127.0.0.1:8080";
/// The largest image read.
pub const MAX_IMAGE_BYTES: usize = 4 * 1024 * 1024;
/// How long a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one whole answer may take.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

fn refused(why: &str) -> Failure {
    Failure::Refused(why.to_owned())
}

/// Fetches remote media within the bounds above.
#[derive(Debug, Clone)]
pub struct Fetcher {
    /// For the collections' own servers: held to `reach`, no redirects.
    web: reqwest::Client,
    /// For the shopper's gateway (which may be on this machine): no redirects.
    gateway_client: reqwest::Client,
    gateway: url::Url,
    reach: Reach,
}

impl Fetcher {
    /// A fetcher using the IPFS `gateway` (`None`: [`DEFAULT_IPFS_GATEWAY`]), its servers reached only
    /// where `reach` allows, each answer given at most `timeout`.
    pub fn new(gateway: Option<&str>, reach: Reach, timeout: Duration) -> crate::Result<Self> {
        let text = gateway.unwrap_or(DEFAULT_IPFS_GATEWAY);
        let gateway = url::Url::parse(text)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| crate::Error::InvalidGateway { reason: format!("{text:?} is no web address") })?;
        let build = |builder: reqwest::ClientBuilder| {
            builder
                .connect_timeout(CONNECT_TIMEOUT.min(timeout))
                .timeout(timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| crate::Error::Internal { detail: format!("the HTTP client: {e}") })
        };
        Ok(Self {
            web: build(reach::restrict(reqwest::Client::builder(), reach))?,
            gateway_client: build(reqwest::Client::builder())?,
            gateway,
            reach,
        })
    }

    /// The content at `uri` (`ipfs://` or `https://`), at most `limit` bytes.
    pub async fn get(&self, uri: &str, limit: usize) -> Result<Vec<u8>, Failure> {
        let uri = uri.trim();
        let scheme = uri.split_once(':').map(|(s, _)| s.to_ascii_lowercase()).unwrap_or_default();
        match scheme.as_str() {
            "ipfs" => {
                let path = ipfs::parse(uri).ok_or_else(|| refused("its IPFS address does not read"))?;
                ipfs::content(&path, limit.min(MAX_IMAGE_BYTES), |cid| self.block(cid)).await
            }
            "https" | "http" => {
                let url = url::Url::parse(uri).map_err(|_| refused("its address does not read"))?;
                if url.scheme() == "http" && self.reach != Reach::Local {
                    return Err(refused("it is not served securely (http)"));
                }
                reach::check_host(&url, self.reach).map_err(|_| refused("it points inside a private network"))?;
                download(&self.web, url, limit, "image/*, application/json;q=0.9, */*;q=0.1").await
            }
            _ => Err(refused("its address is not one the wallet reads")),
        }
    }

    /// One block, as the trustless gateway gives it (`?format=raw`); checked by the caller.
    async fn block(&self, cid: cid::Cid) -> Result<Vec<u8>, Failure> {
        let mut url = self.gateway.join(&format!("ipfs/{cid}")).map_err(|_| refused("the gateway's address"))?;
        url.set_query(Some("format=raw"));
        download(&self.gateway_client, url, ipfs::MAX_BLOCK_BYTES, "application/vnd.ipld.raw").await
    }
}

fn unreachable(e: &reqwest::Error) -> Failure {
    if reach::refused_private(e) {
        return refused("it points inside a private network");
    }
    Failure::Later(
        if e.is_timeout() {
            "it did not answer in time"
        } else if e.is_connect() {
            "no connection to its server"
        } else {
            "the connection failed"
        }
        .into(),
    )
}

/// GETs `url` within `client`'s deadlines, reading at most `limit` bytes.
async fn download(client: &reqwest::Client, url: url::Url, limit: usize, accept: &str) -> Result<Vec<u8>, Failure> {
    let mut resp = client.get(url).header(reqwest::header::ACCEPT, accept).send().await.map_err(|e| unreachable(&e))?;
    let status = resp.status();
    if status.is_redirection() {
        return Err(refused("its server sends it elsewhere (a redirect)"));
    }
    if status.is_server_error() || status.as_u16() == 429 {
        return Err(Failure::Later(format!("its server answered {}", status.as_u16())));
    }
    if !status.is_success() {
        return Err(refused(&format!("its server answered {}", status.as_u16())));
    }
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(refused("it is too large"));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| unreachable(&e))? {
        if body.len() + chunk.len() > limit {
            return Err(refused("it is too large"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
