//! The gasless checkout's unit tests (the flow against real shops and chains is in
//! `tests/integration/gasless.rs` and `permit2.rs`).
use super::*;

/// An authorization is expired only by a block past its validity and dated believably: a node
/// dating its block a day ahead of this device cannot end the watch of one still valid.
#[test]
fn an_authorization_expires_only_by_a_believable_block() {
    let (valid_before, device) = (1_000_000, 999_700);
    assert!(!expired(999_999, valid_before, device), "still valid");
    assert!(expired(1_000_000, valid_before, device));
    assert!(expired(1_000_000, valid_before, device - 1800), "a device clock half an hour behind");
    assert!(!expired(valid_before + 86_400, valid_before, device), "a block dated a day ahead");
}

/// The shop's signed receipt comes with its answer, often before the chain's settlement is deep
/// enough to be final. It is kept as sent and checked when the chain decides, at that answer or
/// at a later look (a refresh): a receipt was lost whenever a network's depth made Tender decide
/// after the answer. The vectors are the official package's (`tests/vectors/x402-offer-receipt`).
#[test]
fn a_receipt_that_came_before_the_chain_decided_is_kept_when_it_decides() {
    let db = Db::open_in_memory().expect("db");
    let shop: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8".parse().expect("address");
    let answer: serde_json::Value = serde_json::from_str(include_str!(
        "../../../../tests/vectors/x402-offer-receipt/official-settlement-receipt.json"
    ))
    .expect("json");
    let offers: serde_json::Value =
        serde_json::from_str(include_str!("../../../../tests/vectors/x402-offer-receipt/official-offers.json"))
            .expect("json");
    let offer = offers.pointer("/offer-receipt/info/offers/0").expect("an offer").to_string();
    let record = AuthorizationRecord {
        account: shop,
        payee: shop,
        status: PaymentStatus::Pending,
        offer: Some(offer),
        offer_signer: Some(shop),
        receipt_said: crate::pay::signed::receipt_in(&answer),
        ..AuthorizationRecord::sample(TransferMethod::Eip3009, PaymentStatus::Pending)
    };
    db.insert_authorization(&record).expect("stored");
    let used = |tx| OnChain::Used { tx_hash: tx, block: Some(2), received: U256::from(100) };
    // Settled by another transaction than the receipt names: not kept.
    let other = settle(&db, record.clone(), used(B256::repeat_byte(1)), 31337).expect("settled");
    assert_eq!((other.status, other.receipt.as_deref()), (PaymentStatus::Confirmed, None));
    // Settled by the one it names, at a later look: kept, and stored.
    let settled = settle(&db, record, used(B256::repeat_byte(0xab)), 31337).expect("settled");
    let kept: serde_json::Value = serde_json::from_str(settled.receipt.as_deref().expect("kept")).expect("json");
    assert_eq!(kept["payload"]["transaction"], B256::repeat_byte(0xab).to_string());
    let stored = db.authorization(&settled.nonce).expect("read").expect("stored");
    assert_eq!(stored.receipt, settled.receipt);
}

/// On a public network a scanned link cannot make the wallet knock on this machine (a name that
/// resolves to it is the resolver's to refuse: `reach`'s tests). The error says so; nothing
/// connects.
#[tokio::test]
async fn a_shop_link_into_this_machine_is_refused_on_a_public_network() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    for link in [format!("http://127.0.0.1:{port}/pay/1"), format!("https://localhost:{port}/pay/1")] {
        let url = url::Url::parse(&link).expect("url");
        let e = fetch_terms_within(&url, Duration::from_secs(3), Reach::Public).await.expect_err(&link);
        assert_eq!(e.code().as_str(), "private_shop_address", "{link}: {e}");
    }
    let accepted = tokio::time::timeout(Duration::from_millis(300), listener.accept()).await;
    assert!(accepted.is_err(), "the wallet connected to this machine");
}

/// A shop's `https://` link is spoken to in TLS. (Tender's HTTP client had no TLS at all: every
/// `https://` node or shop failed before a byte was sent.) A TLS ClientHello starts with a
/// handshake record: 0x16, then version 3.x; a plaintext request would start with "GET".
#[tokio::test]
async fn an_https_link_is_spoken_to_in_tls() {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut first = [0u8; 3];
        socket.read_exact(&mut first).await.expect("read");
        first
    });
    let url = url::Url::parse(&format!("https://127.0.0.1:{port}/pay/1")).expect("url");
    let e = fetch_terms_within(&url, Duration::from_secs(3), Reach::Local).await.expect_err("no TLS server there");
    assert_eq!(e.code().as_str(), "shop_unreachable", "{e}");
    let first = tokio::time::timeout(Duration::from_secs(2), server)
        .await
        .expect("the client never connected: it cannot speak https")
        .expect("server");
    assert_eq!((first[0], first[1]), (0x16, 0x03), "a TLS handshake, not {first:?}");
}
