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
        let config = ShopConfig { label: "Corner \"Shop\" <b>".into(), token, amount: U256::from(5u8), gasless: None };
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
