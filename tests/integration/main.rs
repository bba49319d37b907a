//! Cross-crate tests of the wallet core: public test vectors (copied into `tests/vectors/` with their
//! sources) and cross-checks against an independent implementation, foundry's `cast`.
//! One test binary for all of them keeps link time down.

mod cast;
mod chain;
mod decides;
mod devnet;
mod gasless;
mod hostile;
mod nft_remote;
mod nfts;
mod overview;
mod payment;
mod permit2;
mod privacy;
mod proxy;
mod replace;
mod session;
mod token_list;
mod vectors;

use std::path::PathBuf;

/// A vector file from `tests/vectors/`.
pub(crate) fn vector(name: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The value at a JSON pointer, as a string.
pub(crate) fn s<'a>(v: &'a serde_json::Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(|x| x.as_str()).unwrap_or_else(|| panic!("no string at {pointer} in {v}"))
}

/// A dev chain for one test: anvil with the contracts, and a client connected to it (directly, or
/// through a [`proxy::Proxy`] that misbehaves on demand). Stopped with [`DevChain::stop`].
pub(crate) struct DevChain {
    pub(crate) devnet: tender_devtools::devnet::Devnet,
    pub(crate) client: wallet_core::chain::network::ChainClient,
    pub(crate) proxy: Option<proxy::Proxy>,
}

impl DevChain {
    pub(crate) async fn start(through_proxy: bool) -> Self {
        Self::start_mining(through_proxy, tender_devtools::devnet::Mining::Auto).await
    }

    /// [`DevChain::start`], the chain making blocks as `mining` says.
    pub(crate) async fn start_mining(through_proxy: bool, mining: tender_devtools::devnet::Mining) -> Self {
        use wallet_core::chain::network::{Network, connect};
        let anvil = tender_devtools::devnet::default_anvil_path();
        let devnet =
            tender_devtools::devnet::Devnet::start_mining(anvil, mining).await.expect("devnet (run scripts/setup.sh)");
        let proxy = if through_proxy { Some(proxy::Proxy::start(&devnet.info().rpc_url).await) } else { None };
        let url = proxy.as_ref().map_or(devnet.info().rpc_url.clone(), |p| p.url.clone());
        let client = connect(&Network::devnet(&url).expect("network")).await.expect("connect");
        Self { devnet, client, proxy }
    }

    pub(crate) fn proxy(&self) -> &proxy::Proxy {
        self.proxy.as_ref().expect("started through a proxy")
    }

    /// A provider that signs as dev account `index`, talking to anvil directly.
    pub(crate) fn provider_for(&self, index: u32) -> alloy::providers::DynProvider {
        use alloy::providers::{Provider, ProviderBuilder};
        ProviderBuilder::new()
            .wallet(alloy::network::EthereumWallet::from(dev_signer(index)))
            .connect_http(self.devnet.info().rpc_url.parse().expect("url"))
            .erased()
    }

    /// Dev account `from` sends `amount` base units of the store token to `to`; waits for the receipt.
    pub(crate) async fn send_store(&self, from: u32, to: alloy::primitives::Address, amount: alloy::primitives::U256) {
        let provider = self.provider_for(from);
        tender_devtools::devnet::TenderToken::new(tender_devtools::devnet::STORE_TOKEN, &provider)
            .transfer(to, amount)
            .send()
            .await
            .expect("send")
            .get_receipt()
            .await
            .expect("receipt");
    }

    pub(crate) fn stop(self) {
        self.devnet.stop();
    }
}

/// Dev account `index` of the public dev phrase, as an alloy signer.
pub(crate) fn dev_signer(index: u32) -> wallet_core::keys::signer::PrivateKeySigner {
    use wallet_core::keys::derivation::AccountScheme;
    let seed = wallet_core::RecoveryPhrase::parse(tender_devtools::devnet::DEV_PHRASE)
        .expect("phrase")
        .to_seed(&wallet_core::SecretString::default());
    wallet_core::keys::signer::signer_at(&seed, &AccountScheme::Bip44.path(index).expect("path")).expect("signer")
}
