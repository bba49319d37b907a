//! The demo merchant's page on a real dev chain (anvil): it answers only its own host, creates
//! orders only for its own origin, escapes what it shows, and keeps answering while idle and
//! half-sent connections hang on it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use alloy::primitives::U256;
use tender_devtools::devnet::{self, Devnet};
use tender_devtools::shop::{self, ShopConfig};
use wallet_core::chain::network::{self, Network};
use wallet_core::chain::token::builtin_tokens;

/// One raw HTTP/1.1 exchange: the status line and the body.
fn http(addr: &str, request: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    s.write_all(request.as_bytes()).expect("write");
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    let status = answer.lines().next().unwrap_or_default().to_owned();
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

#[test]
fn the_checkout_page_is_escaped_checks_host_and_origin_and_survives_idle_connections() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let chain = rt.block_on(Devnet::start(devnet::default_anvil_path())).expect("dev chain");
    let url = rt.block_on(async {
        let network = Network::devnet(&chain.info().rpc_url).expect("network");
        let client = network::connect(&network).await.expect("connect");
        let mut token = builtin_tokens(network.chain_id)[0].clone();
        // Audit finding: the token symbol was not escaped on the page.
        token.symbol = "<img src=x onerror=alert(1)>".into();
        let config = ShopConfig {
            label: "Corner \"Shop\" <b>".into(),
            token,
            amount: U256::from(5u8),
            gasless: None,
            receipts: None,
        };
        let (listener, url) = shop::bind(0).await.expect("bind");
        tokio::spawn(shop::serve(listener, client, config));
        url
    });
    let addr = url.trim_start_matches("http://").trim_end_matches('/').to_owned();

    // Idle connections and requests that never finish their headers.
    let mut hanging = Vec::new();
    for i in 0..40 {
        let mut s = TcpStream::connect(&addr).expect("connect");
        if i % 2 == 0 {
            s.write_all(b"GET / HTTP/1.1\r\nHost: ").expect("half a request");
        }
        hanging.push(s);
    }

    let (status, body) = http(&addr, &format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"));
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("Corner &quot;Shop&quot; &lt;b&gt;"), "the label is escaped");
    assert!(body.contains("&lt;img src=x onerror=alert(1)&gt;") && !body.contains("<img"), "the symbol is escaped");
    assert!(body.contains("ethereum:"), "the payment link is on the page");

    let (status, _) = http(&addr, "GET /status HTTP/1.1\r\nHost: rebinding.example\r\nConnection: close\r\n\r\n");
    assert!(status.contains("403"), "another Host is refused: {status}");

    let post = |origin: &str| {
        http(
            &addr,
            &format!(
                "POST /orders HTTP/1.1\r\nHost: {addr}\r\nOrigin: {origin}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            ),
        )
    };
    assert!(post("https://evil.example").0.contains("403"), "a page elsewhere cannot create orders");
    let (status, body) = post(&format!("http://{addr}"));
    assert!(status.contains("201"), "{status}");
    let created: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(created["number"], 1);

    let (status, body) = http(&addr, &format!("GET /status HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"));
    assert!(status.contains("200"), "{status}");
    let orders: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(orders["orders"].as_array().map(Vec::len), Some(2), "{orders}");
    assert_eq!(orders["orders"][0]["state"], "unpaid");
    drop(hanging);
    chain.stop();
}

#[test]
fn the_dev_chain_deploys_the_tokens_where_the_network_data_lists_them() {
    let listed: Vec<_> = builtin_tokens(devnet::CHAIN_ID).iter().map(|t| t.address).collect();
    assert_eq!(listed, [devnet::STORE_TOKEN, devnet::STABLE_TOKEN]);
    assert!(Network::devnet("http://127.0.0.1:1").expect("dev").local);
}

/// Defect 14: an overpayment read just "Paid"; and a `tender merchant` whose dev chain had died kept
/// serving a page that could never see a payment. The status says how much arrived, and the shop
/// stops once its chain stops answering.
#[test]
fn an_overpaid_order_says_so_and_the_shop_stops_when_its_chain_is_gone() {
    use alloy::providers::{Provider, ProviderBuilder};
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let chain = rt.block_on(Devnet::start(devnet::default_anvil_path())).expect("dev chain");
    let rpc = chain.info().rpc_url.clone();
    let (url, served) = rt.block_on(async {
        let network = Network::devnet(&rpc).expect("network");
        let client = network::connect(&network).await.expect("connect");
        let token = builtin_tokens(network.chain_id)[0].clone();
        let config =
            ShopConfig { label: "Corner Shop".into(), token, amount: U256::from(5u8), gasless: None, receipts: None };
        let (listener, url) = shop::bind(0).await.expect("bind");
        (url, tokio::spawn(shop::serve(listener, client, config)))
    });
    let addr = url.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let status = || {
        let (_, body) = http(&addr, &format!("GET /status HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"));
        serde_json::from_str::<serde_json::Value>(&body).expect("json")
    };
    let deposit: alloy::primitives::Address =
        status()["orders"][0]["deposit"].as_str().expect("deposit").parse().expect("a");
    rt.block_on(async {
        // anvil's account 0: a public development key holding the dev chain's test funds.
        let key: alloy::signers::local::PrivateKeySigner =
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80".parse().expect("key");
        let provider = ProviderBuilder::new()
            .wallet(alloy::network::EthereumWallet::from(key))
            .connect_http(rpc.parse().expect("url"))
            .erased();
        devnet::TenderToken::new(devnet::STORE_TOKEN, &provider)
            .transfer(deposit, U256::from(10u8))
            .send()
            .await
            .expect("send")
            .get_receipt()
            .await
            .expect("receipt");
    });
    let order = &status()["orders"][0];
    assert_eq!(order["state"], "overpaid", "{order}");
    assert_eq!(
        (order["received"].as_str(), order["amount"].as_str()),
        (Some("0.00000000000000001"), Some("0.000000000000000005"))
    );
    let (_, page) = http(&addr, &format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"));
    assert!(
        page.contains(r#"id="pay-options""#) && page.contains("Received "),
        "the page hides the ways to pay once paid"
    );

    let started = std::time::Instant::now();
    chain.stop();
    let ended = rt.block_on(async { tokio::time::timeout(std::time::Duration::from_secs(40), served).await });
    let result = ended.expect("the shop stops by itself").expect("task");
    assert!(matches!(result, Err(wallet_core::Error::RpcUnavailable { .. })), "{result:?}");
    assert!(started.elapsed() >= shop::CHAIN_CHECK * (shop::CHAIN_MISSES - 1), "not at the first missed check");
}
