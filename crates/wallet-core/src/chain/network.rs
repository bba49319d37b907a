//! Networks as data: chain id, name, native currency, RPC endpoints (tried in order), explorer,
//! Multicall3, ENS. Presets for the local dev chain and the public networks Tender supports, plus
//! custom endpoints, including ones that carry an access token: that part is never logged or shown.
//!
//! Before any use, [`connect`] asks the endpoint for its chain id and refuses one that does not match
//! the network's: a wallet must never sign for one chain while talking to another.

use std::fmt;
use std::time::Duration;

use alloy::primitives::{Address, address};
use alloy::providers::{Provider, RootProvider};
use alloy::rpc::client::RpcClient;
use url::Url;

use crate::chain::transport::BoundedHttp;
pub use crate::chain::transport::Limits;
use crate::error::{Error, Result};

/// Multicall3's address on every public network Tender knows.
pub const MULTICALL3: Address = address!("0xcA11bde05977b3631167028862bE2a173976CA11");

/// Whether `url` names this machine: `localhost`, 127.0.0.0/8 or `[::1]`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// An RPC endpoint. `Display` and `Debug` hide credentials: user info, query values, and path
/// segments that look like API keys (Infura's `/v3/<key>`, Alchemy's `/v2/<key>`, QuickNode's tokens).
#[derive(Clone, PartialEq, Eq)]
pub struct RpcUrl(Url);

impl RpcUrl {
    /// Parses an `http(s)://` endpoint.
    pub fn parse(text: &str) -> Result<Self> {
        let url = Url::parse(text.trim()).map_err(|e| Error::InvalidNetwork { reason: format!("bad RPC URL: {e}") })?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(Error::InvalidNetwork { reason: "an RPC URL starts with http:// or https://".into() });
        }
        if url.scheme() == "http" && !is_loopback(&url) {
            // Unencrypted, anyone on the way could read which addresses are asked for and answer
            // in the node's place: plain http is for a node on this machine only.
            return Err(Error::InvalidNetwork {
                reason: "an RPC URL on another machine must start with https:// (http:// is for this machine only)"
                    .into(),
            });
        }
        Ok(Self(url))
    }

    /// The full URL, credentials included.
    ///
    /// # Security
    /// May contain an access token: pass it to the HTTP client only; never log or display it.
    pub fn expose(&self) -> &Url {
        &self.0
    }

    /// The URL with every secret-looking part replaced by `***`.
    pub fn redacted(&self) -> String {
        let mut url = self.0.clone();
        if !url.username().is_empty() || url.password().is_some() {
            let _ = url.set_username("***");
            let _ = url.set_password(None);
        }
        let segments: Vec<String> = url
            .path_segments()
            .map(|s| s.map(|seg| if looks_secret(seg) { "***".to_owned() } else { seg.to_owned() }).collect())
            .unwrap_or_default();
        url.set_path(&segments.join("/"));
        if url.query().is_some() {
            let pairs: Vec<(String, String)> =
                url.query_pairs().map(|(k, _)| (k.into_owned(), "***".to_owned())).collect();
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        url.to_string()
    }
}

/// Long runs of letters and digits (API keys, tokens), as opposed to words like `rpc` or `v3`.
fn looks_secret(segment: &str) -> bool {
    segment.len() >= 16 && segment.chars().filter(|c| c.is_ascii_digit()).count() >= 2 || segment.len() >= 24
}

impl fmt::Display for RpcUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for RpcUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RpcUrl({})", self.redacted())
    }
}

/// A network's native currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NativeCurrency {
    /// Symbol, e.g. `ETH`.
    pub symbol: String,
    /// Name.
    pub name: String,
    /// Decimals (18 on every EVM chain Tender knows).
    pub decimals: u8,
}

/// A network Tender can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    /// Short key (`devnet`, `ethereum`, `base`, …).
    pub key: String,
    /// The chain id the endpoint must report.
    pub chain_id: u64,
    /// Display name.
    pub name: String,
    /// Native currency.
    pub native: NativeCurrency,
    /// Endpoints, tried in order.
    pub rpc_urls: Vec<RpcUrl>,
    /// Block explorer base URL (`…/tx/<hash>` links).
    pub explorer: Option<String>,
    /// Multicall3, where deployed.
    pub multicall3: Option<Address>,
    /// Whether ENS names resolve here.
    pub ens: bool,
    /// Whether it is a test network (no real value).
    pub testnet: bool,
    /// A chain that runs on this machine for development (never offered to shoppers as a preset).
    pub local: bool,
    /// What Tender signs at most on this network.
    pub fees: FeeCeilings,
    /// Whether received ether can be found by reading blocks (a small local chain; public networks
    /// need an indexer for that).
    pub native_transfers_in_blocks: bool,
    /// How many blocks make an outcome final here: a receipt counts once its block is this deep
    /// (1: the block that holds it), a nonce counts as used by another transaction likewise.
    pub confirmations: u64,
}

/// Blocks to finality on a chain Tender has no data about: Ethereum's.
pub const DEFAULT_CONFIRMATIONS: u64 = 3;

fn default_confirmations() -> u64 {
    DEFAULT_CONFIRMATIONS
}

/// The most Tender signs on a network: per unit of gas, and per payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct FeeCeilings {
    /// The highest fee per gas, in gwei.
    pub max_gwei_per_gas: u64,
    /// The most one payment's fee may be, in thousandths of the native currency.
    pub max_fee_milli: u64,
    /// The highest tip (priority fee) per gas a node may propose, in gwei: a node's tip is bounded by
    /// the network's data like its base fee.
    pub max_tip_gwei: u64,
}

impl FeeCeilings {
    /// For a chain Tender has no data about: mainnet-like (1 000 gwei, 0.05 of the currency, tips
    /// of 50 gwei at most).
    pub const DEFAULT: Self = Self { max_gwei_per_gas: 1_000, max_fee_milli: 50, max_tip_gwei: 50 };
}

/// A network as Tender's data (`networks.json`) describes it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct NetworkData {
    /// Short key.
    pub key: String,
    /// Chain id.
    pub chain_id: u64,
    /// Display name.
    pub name: String,
    /// Native currency.
    pub native: NativeCurrency,
    /// Public endpoints (none for a local chain: its endpoint is given when it runs).
    pub rpc_urls: Vec<String>,
    /// Block explorer.
    pub explorer: Option<String>,
    /// ENS resolves here.
    pub ens: bool,
    /// A test network.
    pub testnet: bool,
    /// A local development chain.
    #[serde(default)]
    pub local: bool,
    /// Known, but not offered in the list of presets.
    #[serde(default)]
    pub hidden: bool,
    /// Fee ceilings.
    pub fees: FeeCeilings,
    /// See [`Network::confirmations`].
    #[serde(default = "default_confirmations")]
    pub confirmations: u64,
    /// See [`Network::native_transfers_in_blocks`].
    #[serde(default)]
    pub native_transfers_in_blocks: bool,
    /// Tender's token list for this network, the featured store token first.
    pub tokens: Vec<TokenData>,
    /// The shop's NFT collections on this network: shown with their media by default.
    #[serde(default)]
    pub collections: Vec<CollectionData>,
    /// The key that signs the retailer's token list for this network ([`super::token_list`]).
    #[serde(default)]
    pub token_list_signer: Option<Address>,
}

/// A token of Tender's list.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct TokenData {
    /// Contract (EIP-55).
    pub address: Address,
    /// Symbol.
    pub symbol: String,
    /// Name.
    pub name: String,
    /// Decimals.
    pub decimals: u8,
    /// The store's own token, shown first.
    #[serde(default)]
    pub featured: bool,
    /// The signed payments it takes, as its issuer publishes them (checked against their sources in
    /// `tests/vectors/stablecoins.json`; on the dev chain, against its contracts): which checkouts need
    /// no ETH. Any ERC-20 is also paid through Permit2 after one approval.
    #[serde(default)]
    pub payments: Vec<SignedPayment>,
}

/// A signed payment a token takes: a checkout with no ETH.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignedPayment {
    /// EIP-3009 `transferWithAuthorization` (USDC, EURC): paid by a signature alone.
    Eip3009,
    /// EIP-2612 `permit`: a shop may send the Permit2 approval for the shopper.
    Eip2612,
}

pub use super::token_list::CollectionData;

/// Every network Tender has data about (`networks.json`, compiled in).
pub fn known_networks() -> &'static [NetworkData] {
    static DATA: std::sync::OnceLock<Vec<NetworkData>> = std::sync::OnceLock::new();
    DATA.get_or_init(|| {
        // The file is part of the build and checked by `network_data_is_complete`.
        serde_json::from_str(include_str!("networks.json")).unwrap_or_default()
    })
}

/// Tender's data about chain `chain_id`, if it has any.
pub fn network_data(chain_id: u64) -> Option<&'static NetworkData> {
    known_networks().iter().find(|n| n.chain_id == chain_id)
}

impl NetworkData {
    fn to_network(&self, rpc_urls: &[String]) -> Result<Network> {
        Ok(Network {
            key: self.key.clone(),
            chain_id: self.chain_id,
            name: self.name.clone(),
            native: self.native.clone(),
            rpc_urls: rpc_urls.iter().map(|u| RpcUrl::parse(u)).collect::<Result<_>>()?,
            explorer: self.explorer.clone(),
            multicall3: Some(MULTICALL3),
            ens: self.ens,
            testnet: self.testnet,
            local: self.local,
            fees: self.fees,
            native_transfers_in_blocks: self.native_transfers_in_blocks,
            confirmations: self.confirmations.max(1),
        })
    }
}

impl Network {
    /// A transaction's page on the explorer.
    pub fn explorer_tx_url(&self, hash: &alloy::primitives::B256) -> Option<String> {
        self.explorer.as_ref().map(|e| format!("{}/tx/{hash}", e.trim_end_matches('/')))
    }

    /// The local development chain at `rpc_url` (the one `tender devnet` runs).
    pub fn devnet(rpc_url: &str) -> Result<Self> {
        let data = known_networks()
            .iter()
            .find(|n| n.local)
            .ok_or_else(|| Error::InvalidNetwork { reason: "no local chain in the network data".into() })?;
        data.to_network(&[rpc_url.to_owned()])
    }

    /// A custom network: the caller's endpoint for a chain id (checked on connect).
    pub fn custom(chain_id: u64, name: &str, rpc_url: &str) -> Result<Self> {
        if chain_id == 0 {
            return Err(Error::InvalidNetwork { reason: "chain id 0 is not a chain".into() });
        }
        let known = network_data(chain_id).map(|d| d.to_network(&[])).transpose()?;
        let mut network = known.unwrap_or(Network {
            key: format!("chain-{chain_id}"),
            chain_id,
            name: name.to_owned(),
            native: NativeCurrency { symbol: "ETH".into(), name: "Ether".into(), decimals: 18 },
            rpc_urls: Vec::new(),
            explorer: None,
            multicall3: None,
            ens: false,
            testnet: false,
            local: false,
            fees: FeeCeilings::DEFAULT,
            native_transfers_in_blocks: false,
            confirmations: DEFAULT_CONFIRMATIONS,
        });
        if !name.is_empty() {
            name.clone_into(&mut network.name);
        }
        network.rpc_urls = vec![RpcUrl::parse(rpc_url)?];
        Ok(network)
    }
}

/// The public networks Tender offers (the dev chain is added by [`Network::devnet`] when it runs).
pub fn presets() -> Vec<Network> {
    known_networks().iter().filter(|n| !n.local && !n.hidden).filter_map(|n| n.to_network(&n.rpc_urls).ok()).collect()
}

/// The preset with `key`.
pub fn preset_by_key(key: &str) -> Option<Network> {
    presets().into_iter().find(|n| n.key == key)
}

/// A provider bound to a network whose endpoint has proven it serves that chain. Every call it makes
/// has a deadline and a size cap ([`crate::chain::transport`]).
#[derive(Clone)]
pub struct ChainClient {
    /// The network.
    pub network: Network,
    /// The endpoint in use (redacted in `Debug`).
    pub endpoint: RpcUrl,
    /// The provider.
    pub provider: RootProvider,
    /// The JSON-RPC client under the provider (for batches).
    pub rpc: RpcClient,
}

impl fmt::Debug for ChainClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The provider's own `Debug` would print the full URL, access token included.
        f.debug_struct("ChainClient")
            .field("network", &self.network.key)
            .field("chain_id", &self.network.chain_id)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl ChainClient {
    /// What a failed call to this endpoint says ([`rpc_error`]: credentials redacted, none of an
    /// unreadable answer's body).
    pub fn rpc_error(&self, e: alloy::transports::TransportError) -> Error {
        rpc_error(&self.endpoint, e)
    }

    /// What a failed contract call to this endpoint says ([`contract_error`]).
    pub fn contract_error(&self, e: alloy::contract::Error) -> Error {
        contract_error(&self.endpoint, e)
    }

    /// Asks the endpoint for its chain id again and refuses to go on if it changed since
    /// [`connect`] (a node behind a load balancer, or a hostile one, can switch chains mid-session).
    /// Called before anything is signed.
    pub async fn check_chain(&self) -> Result<()> {
        let got = self.provider.get_chain_id().await.map_err(|e| rpc_error(&self.endpoint, e))?;
        if got != self.network.chain_id {
            return Err(Error::ChainIdMismatch { expected: self.network.chain_id, got });
        }
        Ok(())
    }
}

fn bounded_client(endpoint: &RpcUrl, limits: Limits) -> Result<RpcClient> {
    let transport = BoundedHttp::new(endpoint.expose().clone(), limits)
        .map_err(|e| Error::RpcUnavailable { detail: redact_error(&e.to_string(), endpoint) })?;
    let local = alloy::transports::utils::guess_local_url(endpoint.expose().as_str());
    Ok(RpcClient::new(transport, local))
}

/// How long one endpoint may take to answer `eth_chainId` before the next is tried.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects to the first endpoint of `network` that answers with the right chain id.
/// A wrong chain id is [`Error::ChainIdMismatch`] (never silently used); no answer from any endpoint
/// is [`Error::RpcUnavailable`].
pub async fn connect(network: &Network) -> Result<ChainClient> {
    connect_with(network, Limits::DEFAULT).await
}

/// As [`connect`], with other limits (tests use short deadlines).
pub async fn connect_with(network: &Network, limits: Limits) -> Result<ChainClient> {
    let mut last = None;
    for endpoint in &network.rpc_urls {
        let rpc = bounded_client(endpoint, limits)?;
        let provider = RootProvider::new(rpc.clone());
        let deadline = CONNECT_TIMEOUT.min(limits.request_timeout);
        match tokio::time::timeout(deadline, provider.get_chain_id()).await {
            Ok(Ok(got)) if got == network.chain_id => {
                return Ok(ChainClient { network: network.clone(), endpoint: endpoint.clone(), provider, rpc });
            }
            Ok(Ok(got)) => return Err(Error::ChainIdMismatch { expected: network.chain_id, got }),
            Ok(Err(e)) => last = Some(format!("{endpoint}: {}", redact_error(&e.to_string(), endpoint))),
            Err(_) => last = Some(format!("{endpoint}: no answer in {} s", deadline.as_secs())),
        }
    }
    Err(Error::RpcUnavailable { detail: last.unwrap_or_else(|| "no RPC endpoint configured".into()) })
}

/// The chain id an endpoint reports (to recognise a custom endpoint's chain before saving it).
pub async fn reported_chain_id(url: &RpcUrl) -> Result<u64> {
    let provider = RootProvider::<alloy::network::Ethereum>::new(bounded_client(url, Limits::DEFAULT)?);
    match tokio::time::timeout(CONNECT_TIMEOUT, provider.get_chain_id()).await {
        Ok(Ok(id)) => Ok(id),
        Ok(Err(e)) => Err(Error::RpcUnavailable { detail: redact_error(&e.to_string(), url) }),
        Err(_) => Err(Error::RpcUnavailable { detail: format!("{url}: no answer in {} s", CONNECT_TIMEOUT.as_secs()) }),
    }
}

/// Classifies an RPC failure: no connection is [`Error::RpcUnavailable`]; an answer that is not
/// valid JSON-RPC, or an error answer, is [`Error::BadRpcResponse`]. Credentials are redacted.
pub fn rpc_error(endpoint: &RpcUrl, e: alloy::transports::TransportError) -> Error {
    use alloy::transports::{RpcError, TransportErrorKind};
    let bad = |detail: &str| Error::BadRpcResponse { detail: detail.to_owned() };
    match e {
        // Only the status: the body of an HTTP error page is the node's (or a gateway's) text.
        RpcError::Transport(TransportErrorKind::HttpError(h)) => {
            Error::RpcUnavailable { detail: format!("it answered HTTP {}", h.status) }
        }
        RpcError::Transport(kind) => Error::RpcUnavailable { detail: redact_error(&kind.to_string(), endpoint) },
        // The node's own words for a refusal: shown sanitised, short and labelled as the node's.
        RpcError::ErrorResp(answer) => bad(&redact_error(&answer.message, endpoint)),
        // An answer that cannot be read: none of its body reaches any message.
        RpcError::DeserError { .. } => bad("its answer could not be read"),
        RpcError::NullResp => bad("it answered nothing where an answer was due"),
        _ => bad("its answer could not be used"),
    }
}

/// A contract call's failure: [`rpc_error`] for the transport's, else an answer that could not be
/// decoded (none of it shown).
pub fn contract_error(endpoint: &RpcUrl, e: alloy::contract::Error) -> Error {
    match e {
        alloy::contract::Error::TransportError(t) => rpc_error(endpoint, t),
        _ => Error::BadRpcResponse { detail: "the contract's answer could not be read".into() },
    }
}

/// Whether `e` is a failure to reach the node or to hear its answer (worth retrying: the node may
/// or may not have acted), as opposed to an answer (final).
pub fn is_transport_failure(e: &alloy::transports::TransportError) -> bool {
    use alloy::transports::{RpcError, TransportErrorKind};
    match e {
        // An HTTP error status is the node's (or its gateway's) answer; 5xx and 429 are "try later".
        RpcError::Transport(TransportErrorKind::HttpError(h)) => h.status >= 500 || h.status == 429,
        RpcError::Transport(_) => true,
        _ => false,
    }
}

/// An error text with the endpoint's full URL (which may hold a token) replaced by its redacted form,
/// made displayable and cut to [`MAX_NODE_TEXT`] characters: node answers are untrusted text.
pub fn redact_error(text: &str, endpoint: &RpcUrl) -> String {
    let full = endpoint.expose().as_str();
    let trimmed = full.trim_end_matches('/');
    let redacted = text.replace(full, &endpoint.redacted()).replace(trimmed, &endpoint.redacted());
    crate::text::displayable(&redacted, MAX_NODE_TEXT)
}

/// Most characters of a node's words shown anywhere.
pub const MAX_NODE_TEXT: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    /// From the audit: a plain `http://` endpoint on another machine let anyone on the way read
    /// which addresses were asked for and answer in the node's place.
    #[test]
    fn plain_http_endpoints_are_for_this_machine_only() {
        for ok in [
            "http://127.0.0.1:8545",
            "http://localhost:8545/",
            "http://[::1]:8545",
            "http://127.3.4.5",
            "https://node.example",
        ] {
            assert!(RpcUrl::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["http://node.example", "http://192.168.1.10:8545", "http://10.0.0.1", "http://localhost.example"] {
            match RpcUrl::parse(bad) {
                Err(Error::InvalidNetwork { reason }) => assert!(reason.contains("https://"), "{bad}: {reason}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn secrets_in_rpc_urls_are_never_shown() {
        for (url, secret) in [
            ("https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161", "9aa3d95b3bc440fa88ea12eaa4456161"),
            (
                "https://eth-mainnet.g.alchemy.com/v2/Xk3mP9qL2vR8sT5wY1zA4bC7dE0fG6hJ",
                "Xk3mP9qL2vR8sT5wY1zA4bC7dE0fG6hJ",
            ),
            ("https://user:hunter2@node.example.com/rpc", "hunter2"),
            ("https://rpc.example.com/?apikey=s3cr3t-token&x=1", "s3cr3t-token"),
            ("https://nd-123-456-789.p2pify.com/0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"),
        ] {
            let rpc = RpcUrl::parse(url).expect("url");
            for shown in [rpc.to_string(), format!("{rpc:?}"), rpc.redacted()] {
                assert!(!shown.contains(secret), "{shown} shows the secret of {url}");
                assert!(shown.contains("***"), "{shown}");
            }
            assert!(rpc.expose().as_str().contains(secret));
        }
        assert_eq!(RpcUrl::parse("https://mainnet.base.org").expect("url").to_string(), "https://mainnet.base.org/");
        assert_eq!(
            RpcUrl::parse("https://arb1.arbitrum.io/rpc").expect("url").to_string(),
            "https://arb1.arbitrum.io/rpc"
        );
        for bad in ["", "ftp://x.org", "localhost:8545", "https://"] {
            assert!(matches!(RpcUrl::parse(bad), Err(Error::InvalidNetwork { .. })), "{bad}");
        }
        let e = RpcUrl::parse("https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161").expect("url");
        let text = redact_error(
            "error sending request for url (https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161)",
            &e,
        );
        assert!(!text.contains("9aa3d95b"), "{text}");
    }

    /// Audit finding: `ChainClient` and `NetworkChoice` derived `Debug` with the unredacted RPC URL.
    #[test]
    fn debug_output_never_shows_an_access_token() {
        let url = "https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161";
        let choice = crate::chain::choice::NetworkChoice::Custom { chain_id: 1, rpc_url: url.into() };
        let network = choice.to_network().expect("network");
        let rpc = bounded_client(&network.rpc_urls[0], Limits::DEFAULT).expect("client");
        let client = ChainClient {
            provider: RootProvider::new(rpc.clone()),
            rpc,
            endpoint: network.rpc_urls[0].clone(),
            network: network.clone(),
        };
        for shown in [format!("{choice:?}"), format!("{client:?}"), format!("{network:?}")] {
            assert!(!shown.contains("9aa3d95b3bc440fa88ea12eaa4456161"), "{shown}");
        }
    }

    #[test]
    fn presets_are_complete() {
        let keys: Vec<_> = presets().iter().map(|n| n.key.clone()).collect();
        assert_eq!(keys, ["ethereum", "base", "polygon", "arbitrum", "sepolia", "base-sepolia"]);
        for n in presets() {
            assert!(!n.rpc_urls.is_empty() && n.multicall3 == Some(MULTICALL3) && n.explorer.is_some(), "{}", n.key);
        }
        assert_eq!(preset_by_key("polygon").expect("polygon").native.symbol, "POL");
        let custom = Network::custom(8453, "", "https://base.example/key0123456789abcdef").expect("custom");
        assert_eq!((custom.key.as_str(), custom.multicall3), ("base", Some(MULTICALL3)));
        assert!(matches!(Network::custom(0, "x", "https://a.b"), Err(Error::InvalidNetwork { .. })));
    }

    #[test]
    fn network_data_is_complete() {
        let all = known_networks();
        assert_eq!(all.len(), 8, "networks.json parses");
        let mut ids: Vec<u64> = all.iter().map(|n| n.chain_id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "one entry per chain");
        assert_eq!(all.iter().filter(|n| n.local).count(), 1, "one local dev chain");
        for n in all {
            assert!(n.fees.max_gwei_per_gas > 0 && n.fees.max_fee_milli > 0, "{}", n.key);
            assert!(n.tokens.iter().filter(|t| t.featured).count() <= 1, "{}", n.key);
            assert!(n.local || !n.rpc_urls.is_empty(), "{}", n.key);
        }
        let dev = Network::devnet("http://127.0.0.1:8545").expect("dev");
        assert!(dev.local && dev.native_transfers_in_blocks && dev.testnet);
        assert_eq!(dev.chain_id, 31337);
    }
}
