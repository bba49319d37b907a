//! Gasless checkout (x402 v2, EIP-3009) against implementations nobody here wrote: the official
//! `@x402/express` middleware with the official `@x402/evm` facilitator (tools/x402-shop.mjs, run by
//! the demo merchant) on a real anvil, paid by Tender's session from a wallet with **zero ether**, every
//! result checked on chain with foundry's `cast`; and the official `@x402/fetch` client paying Tender's
//! merchant. Then the faults: the shop's answer lost after settlement, the shop down before it, a
//! second scan of the same order, an authorization that expires unused; and every refusal of a hostile
//! shop (a small axum server here: the official packages cannot be made to lie), with nothing signed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use tender_devtools::devnet::{self, STABLE_TOKEN, STORE_TOKEN};
use tender_devtools::gateway::Gateway;
use tender_devtools::shop::{self, ShopConfig};
use wallet_core::chain::choice::NetworkChoice;
use wallet_core::pay::payment::Warning;
use wallet_core::pay::verdict::Blocker;
use wallet_core::pay::x402::encode_base64;
use wallet_core::session::{Session, SessionOptions};
use wallet_core::store::PaymentStatus;
use wallet_core::vault::KdfParams;
use wallet_core::{Error, Language, RecoveryPhrase, SecretString, StoreKind};

use crate::DevChain;
use crate::payment::fast;

pub(crate) const PASSWORD: &str = "correct horse battery";

pub(crate) fn units(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

/// The demo merchant: its shop (one deposit address per order) and, in front of it, the official
/// x402 packages' gasless checkout.
pub(crate) struct Checkout {
    pub(crate) gateway: Gateway,
    pub(crate) shop_url: String,
}

impl Checkout {
    pub(crate) async fn start(chain: &DevChain) -> Self {
        let token = wallet_core::chain::token::builtin_tokens(devnet::CHAIN_ID)
            .into_iter()
            .find(|t| t.address == STORE_TOKEN)
            .expect("store token");
        let amount = units(25) / U256::from(2u8);
        Self::start_with(chain, token, amount).await
    }

    /// The demo shop's checkout with orders of `amount` of `token`.
    pub(crate) async fn start_with(chain: &DevChain, token: wallet_core::chain::token::Token, amount: U256) -> Self {
        let (listener, shop_url) = shop::bind(0).await.expect("bind");
        let rpc = chain.devnet.info().rpc_url.clone();
        let gateway = Gateway::start(&rpc, &shop_url, devnet::FACILITATOR_KEY, "Your order at Corner Shop")
            .expect("gateway (run scripts/setup.sh)");
        let config = ShopConfig {
            label: "Corner Shop".into(),
            token,
            amount,
            gasless: Some(gateway.url.clone()),
            receipts: Some(shop::Receipts {
                collection: tender_devtools::devnet::STORE_CARDS,
                minter: tender_devtools::devnet::receipt_minter().expect("minter"),
            }),
        };
        tokio::spawn(shop::serve(listener, chain.client.clone(), config));
        Self { gateway, shop_url }
    }

    fn link(&self, order: u32) -> String {
        format!("{}pay/{order}", self.gateway.url)
    }

    pub(crate) async fn order(&self, number: u32) -> serde_json::Value {
        let status: serde_json::Value =
            reqwest::get(format!("{}status", self.shop_url)).await.expect("status").json().await.expect("json");
        status["orders"][number as usize].clone()
    }
}

/// The demo merchant's checkout and a shopper holding 100 STORE and no ether, about to pay order 0
/// (to `deposit`).
struct Paying {
    checkout: Checkout,
    s: Session,
    me: Address,
    deposit: Address,
    _dir: tempfile::TempDir,
}

impl Paying {
    async fn start(chain: &DevChain) -> Self {
        let checkout = Checkout::start(chain).await;
        let dir = tempfile::tempdir().expect("tmp");
        let (s, me) = shopper(chain, dir.path(), units(100)).await;
        let deposit = checkout.order(0).await["deposit"].as_str().expect("deposit").parse().expect("address");
        Self { checkout, s, me, deposit, _dir: dir }
    }
}

/// A fresh wallet (random phrase, file store) on the dev chain, unlocked, whose first account holds
/// `store` STORE and no ether at all.
pub(crate) async fn shopper(chain: &DevChain, dir: &std::path::Path, store: U256) -> (Session, Address) {
    let s = Session::new(
        dir,
        SessionOptions {
            new_store: StoreKind::File,
            kdf: KdfParams::INSECURE_TEST_ONLY,
            network: Some(NetworkChoice::Devnet { rpc_url: chain.devnet.info().rpc_url.clone() }),
        },
    );
    let phrase = RecoveryPhrase::generate(12, Language::English).expect("phrase");
    let pw = SecretString::new(PASSWORD.to_owned());
    let restored = s.restore(phrase, SecretString::default(), &pw, 1, None, |_, _| {}).await.expect("restore");
    let address = restored.wallet.accounts[0].address;
    if !store.is_zero() {
        chain.send_store(0, address, store).await;
    }
    (s, address)
}

/// cast's answer, without the annotation it prints after a number (`87500000000000000000 [8.75e19]`).
pub(crate) fn cast(args: &[&str]) -> String {
    crate::cast::cast(args).split_whitespace().next().unwrap_or_default().to_owned()
}

/// What cast reads on chain: `who`'s STORE balance and ether balance, in base units.
pub(crate) fn on_chain(rpc: &str, who: Address) -> (String, String) {
    let who = who.to_checksum(None);
    (
        cast(&["call", "--rpc-url", rpc, &STORE_TOKEN.to_checksum(None), "balanceOf(address)(uint256)", &who]),
        cast(&["balance", "--rpc-url", rpc, &who]),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shopper_with_only_the_store_token_pays_the_official_x402_middleware() {
    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let checkout = Checkout::start(&chain).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let (s, me) = shopper(&chain, tmp.path(), units(100)).await;
    assert_eq!(on_chain(&rpc, me), (units(100).to_string(), "0".into()), "no ether at all");

    // The same order's on-chain (EIP-681) request needs ether for its fee: said plainly.
    let onchain = checkout.order(0).await["uri"].as_str().expect("uri").to_owned();
    let sheet = s.quote(&onchain, 0, None).await.expect("on-chain sheet");
    // Issue 19: with how much the fee needs and what the account has, and the request's amount shown.
    let [Blocker::NeedsNativeForFee { symbol, needed, available }] = sheet.blockers.as_slice() else {
        panic!("{:?}", sheet.blockers)
    };
    assert_eq!((symbol.as_str(), available.as_str()), ("ETH", "0"));
    assert!(needed.parse::<f64>().is_ok_and(|n| n > 0.0), "{needed}");
    assert!(
        Error::from(sheet.blockers[0].clone())
            .to_string()
            .contains(&format!("needs up to {needed} ETH for the network fee"))
    );
    assert_eq!(
        (sheet.request.amount_display.as_deref(), sheet.request.symbol.as_deref()),
        (Some("12.5"), Some("STORE"))
    );

    let link = checkout.link(0);
    let sheet = s.quote(&link, 0, None).await.expect("sheet");
    assert!(sheet.payable() && sheet.blockers.is_empty() && sheet.warnings.is_empty() && !sheet.needs_ack);
    let domain = checkout.gateway.url.trim_start_matches("http://").trim_end_matches('/');
    assert_eq!(sheet.request.domain.as_deref(), Some(domain), "who asks: the link's own host");
    assert_eq!(sheet.request.message.as_deref(), Some("Your order at Corner Shop"));
    assert!(sheet.on_chain().is_none(), "no transaction: nothing to pay a fee for");
    let q = sheet.gasless().cloned().expect("gasless quote");
    let deposit: Address = checkout.order(0).await["deposit"].as_str().expect("deposit").parse().expect("address");
    assert_eq!(
        (q.payee, q.token.address, q.amount, q.amount_display.as_str()),
        (deposit, STORE_TOKEN, units(25) / U256::from(2u8), "12.5")
    );
    assert_eq!(q.validity_secs, 300, "the shop's timeout, under Tender's one-hour cap");

    // The digest binds what was shown: another one pays nothing.
    assert_eq!(s.pay(&q.id, "0x00", 0, false, fast()).await.err().map(|e| e.code().as_str()), Some("quote_mismatch"));
    let sheet = s.quote(&link, 0, None).await.expect("sheet again");
    let q = sheet.gasless().cloned().expect("quote");
    let receipt = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("paid");
    assert_eq!(receipt.status, PaymentStatus::Confirmed, "{:?}", receipt.error);
    assert!(receipt.notice.is_none());
    let tx = receipt.tx_hash.expect("the settlement's transaction, found on chain");
    let a = receipt.authorization().cloned().expect("authorization");
    assert_eq!(a.received, Some(q.amount), "the token's own Transfer log says the payee got exactly this");
    assert!(a.valid_after < wallet_core::pay::payment::now_secs() && a.valid_before > a.valid_after);
    assert!(s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.is_err(), "a quote pays once");

    // cast, not Tender, says what happened: exactly the amount moved, and still no ether.
    assert_eq!(on_chain(&rpc, me), ((units(100) - q.amount).to_string(), "0".into()));
    assert_eq!(on_chain(&rpc, deposit).0, q.amount.to_string());
    let used = cast(&[
        "call",
        "--rpc-url",
        &rpc,
        &STORE_TOKEN.to_checksum(None),
        "authorizationState(address,bytes32)(bool)",
        &me.to_checksum(None),
        &a.nonce.to_string(),
    ]);
    assert_eq!(used, "true");
    let receipt_from = cast(&["receipt", "--rpc-url", &rpc, &tx.to_string(), "from"]);
    assert_eq!(
        receipt_from.to_lowercase(),
        "0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f",
        "the facilitator paid the fee"
    );
    assert_eq!(checkout.order(0).await["state"], "paid", "the merchant's page flips to Paid");
    // The paid order's receipt NFT, minted by the shop to whoever paid, arrives in the shopper's gallery.
    let mut minted = serde_json::Value::Null;
    for _ in 0..100 {
        minted = checkout.order(0).await["receipt_nft"].clone();
        if minted.get("tx").is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(minted["tx"].as_str().is_some_and(|t| t.len() == 66), "{minted}");
    let gallery = s.nfts(0).await.expect("gallery");
    let receipt = gallery.shown.iter().find(|i| i.name.as_deref().is_some_and(|n| n.starts_with("Receipt #")));
    assert!(receipt.and_then(|r| r.description.as_deref()).is_some_and(|d| d.contains("A-1001")), "{gallery:?}");

    // History: the payment, with the shop's domain and description.
    let h = s.history(Some(0)).await.expect("history");
    let item = h.items.iter().find(|i| i.authorization().is_some()).expect("gasless item");
    let stored = item.authorization().expect("record");
    assert_eq!((stored.domain.as_str(), stored.description.as_deref()), (domain, Some("Your order at Corner Shop")));
    assert_eq!(
        (item.status(), item.amount_display.as_str(), item.symbol.as_str()),
        (PaymentStatus::Confirmed, "12.5", "STORE")
    );

    // A second scan of the same order: the official middleware would happily settle a second
    // authorization, so the wallet warns and wants an explicit tick.
    let again = s.quote(&link, 0, None).await.expect("second scan");
    assert!(again.needs_ack, "{:?}", again.warnings);
    assert!(matches!(again.warnings.as_slice(), [Warning::DuplicateCheckout { status: PaymentStatus::Confirmed, .. }]));
    let q2 = again.gasless().cloned().expect("quote");
    let refused = s.pay(&q2.id, &q2.digest.to_string(), 0, false, fast()).await;
    assert!(matches!(refused, Err(Error::DuplicateCheckout { nonce }) if nonce == a.nonce), "{refused:?}");
    let count = |h: &wallet_core::session::History| h.items.iter().filter(|i| i.authorization().is_some()).count();
    assert_eq!(count(&s.history(Some(0)).await.expect("history")), 1, "nothing signed");
    let q3 = s.quote(&link, 0, None).await.expect("third scan").gasless().cloned().expect("quote");
    let twice = s.pay(&q3.id, &q3.digest.to_string(), 0, true, fast()).await.expect("paid again, knowingly");
    assert_eq!(twice.status, PaymentStatus::Confirmed);
    assert_eq!(on_chain(&rpc, deposit).0, (q.amount * U256::from(2u8)).to_string());
    chain.stop();
}

/// A TCP proxy in front of the shop's gateway that is up, down (connections closed at once), or
/// loses the answer (the request reaches the shop, its answer never comes back).
struct FlakyShop {
    url: String,
    mode: Arc<AtomicU8>,
}

const UP: u8 = 0;
const DOWN: u8 = 1;
const LOSE_ANSWER: u8 = 2;
/// Refuse at once with a 402 `settlement_pending` (as the official facilitator answers when its
/// settlement has not landed in time), and hand the payment to the shop a second later, which then
/// settles it: a shop that refuses and settles later.
const SETTLE_LATER: u8 = 3;

impl FlakyShop {
    async fn start(upstream: &str) -> Self {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/", listener.local_addr().expect("addr"));
        let mode = Arc::new(AtomicU8::new(UP));
        let m = mode.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else { return };
                let mode = m.load(Ordering::SeqCst);
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    if mode == DOWN {
                        return;
                    }
                    let later = mode == SETTLE_LATER;
                    let mut request = Vec::new();
                    let mut buf = [0u8; 8192];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match client.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    // One request per connection: the answer ends when the shop closes.
                    let text =
                        String::from_utf8_lossy(&request).replacen("\r\n\r\n", "\r\nConnection: close\r\n\r\n", 1);
                    if later {
                        let body = r#"{"x402Version":2,"error":"settlement_pending","accepts":[]}"#;
                        let answer = format!(
                            "HTTP/1.1 402 Payment Required\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = client.write_all(answer.as_bytes()).await;
                        let _ = client.shutdown().await;
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                    let Ok(mut up) = tokio::net::TcpStream::connect(&upstream).await else { return };
                    if up.write_all(text.as_bytes()).await.is_err() {
                        return;
                    }
                    let mut answer = Vec::new();
                    let _ = up.read_to_end(&mut answer).await;
                    if mode == UP {
                        let _ = client.write_all(&answer).await;
                    }
                });
            }
        });
        Self { url, mode }
    }

    fn set(&self, mode: u8) {
        self.mode.store(mode, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn lost_answers_and_a_shop_down_never_pay_twice_and_expire_when_unused() {
    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let checkout = Checkout::start(&chain).await;
    let flaky = FlakyShop::start(&checkout.gateway.url).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let (s, me) = shopper(&chain, tmp.path(), units(100)).await;
    let link = format!("{}pay/0", flaky.url);
    let price = units(25) / U256::from(2u8);

    // 1. The shop settles, and its answer is lost: the chain says it is paid.
    let q = s.quote(&link, 0, None).await.expect("sheet").gasless().cloned().expect("quote");
    flaky.set(LOSE_ANSWER);
    let r = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("receipt");
    assert_eq!(r.status, PaymentStatus::Confirmed, "confirmed on chain, not by the shop's word: {:?}", r.notice);
    assert!(r.tx_hash.is_some());
    assert_eq!(on_chain(&rpc, me), ((units(100) - price).to_string(), "0".into()));

    // 2. The shop is down before it settles: stored, not paid, and sending again sends the same
    //    authorization (same nonce), which then settles once.
    flaky.set(UP);
    let link1 = format!("{}pay/1", flaky.url);
    reqwest::Client::new().post(format!("{}orders", checkout.shop_url)).send().await.expect("new order");
    let q = s.quote(&link1, 0, None).await.expect("sheet").gasless().cloned().expect("quote");
    flaky.set(DOWN);
    let r = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("stored");
    assert_eq!(r.status, PaymentStatus::Pending);
    assert_eq!(r.notice.as_ref().map(|n| n.code.as_str()), Some("shop_unreachable"));
    let first = r.authorization().cloned().expect("stored authorization");
    assert_eq!(on_chain(&rpc, me).0, (units(100) - price).to_string(), "nothing paid yet");
    // Scanned again while it is unfinished: the same authorization is resumed, never signed anew.
    flaky.set(UP);
    let again = s.quote(&link1, 0, None).await.expect("sheet");
    assert!(
        matches!(again.warnings.as_slice(), [Warning::DuplicateCheckout { status: PaymentStatus::Pending, nonce, .. }] if *nonce == first.nonce)
    );
    let q = again.gasless().cloned().expect("quote");
    let r = s.pay(&q.id, &q.digest.to_string(), 0, true, fast()).await.expect("resumed");
    assert_eq!(r.status, PaymentStatus::Confirmed, "{:?}", r.notice);
    assert_eq!(r.authorization().map(|a| a.nonce), Some(first.nonce), "the same nonce, sent again");
    assert_eq!(on_chain(&rpc, me), ((units(100) - price * U256::from(2u8)).to_string(), "0".into()));
    // Sending it once more does nothing: it is settled.
    let r = s.resend(first.nonce, fast()).await.expect("resend");
    assert_eq!(r.status, PaymentStatus::Confirmed);
    assert_eq!(on_chain(&rpc, me).0, (units(100) - price * U256::from(2u8)).to_string());

    // 3. Down until its validity has passed (by the chain's clock): expired, nothing paid, final.
    reqwest::Client::new().post(format!("{}orders", checkout.shop_url)).send().await.expect("new order");
    let q = s.quote(&format!("{}pay/2", flaky.url), 0, None).await.expect("sheet").gasless().cloned().expect("quote");
    flaky.set(DOWN);
    let r = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("stored");
    let nonce = r.authorization().cloned().expect("stored").nonce;
    let provider = chain.provider_for(0);
    let _: serde_json::Value =
        provider.raw_request("evm_increaseTime".into(), (q.validity_secs + 120,)).await.expect("time");
    let _: serde_json::Value = provider.raw_request("evm_mine".into(), ()).await.expect("mine");
    let h = s.history(Some(0)).await.expect("history (reading only)");
    let item = h.items.iter().find(|i| i.authorization().is_some_and(|a| a.nonce == nonce)).expect("item");
    assert_eq!(item.status(), PaymentStatus::Expired);
    flaky.set(UP);
    let r = s.resend(nonce, fast()).await.expect("resend");
    assert_eq!(r.status, PaymentStatus::Expired, "an expired authorization is not sent again");
    assert_eq!(on_chain(&rpc, me).0, (units(100) - price * U256::from(2u8)).to_string(), "never paid");
    chain.stop();
}

/// What the hostile shop answers on `GET /{case}`.
fn hostile_answer(case: &str, me: &str) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let store = STORE_TOKEN.to_checksum(None);
    let pay_to = "0x5151515151515151515151515151515151515151";
    let option = |scheme: &str, network: &str, asset: &str, pay_to: &str, amount: &str, timeout: u64, name: &str| {
        serde_json::json!({ "scheme": scheme, "network": network, "amount": amount, "asset": asset, "payTo": pay_to,
            "maxTimeoutSeconds": timeout, "extra": { "name": name, "version": "1" } })
    };
    let ok = || option("exact", "eip155:31337", &store, pay_to, "1000000000000000000", 60, "Store Credit");
    let accepts = match case {
        "upto" => vec![option("upto", "eip155:31337", &store, pay_to, "1", 60, "Store Credit")],
        "other-chain" => vec![option("exact", "eip155:8453", &store, pay_to, "1", 60, "Store Credit")],
        "unknown-token" => {
            vec![option("exact", "eip155:31337", &devnet::MULTICALL3.to_checksum(None), pay_to, "1", 60, "x")]
        }
        "pay-nobody" => {
            vec![option("exact", "eip155:31337", &store, &Address::ZERO.to_checksum(None), "1", 60, "Store Credit")]
        }
        "pay-the-token" => vec![option("exact", "eip155:31337", &store, &store, "1", 60, "Store Credit")],
        "forever" => vec![option("exact", "eip155:31337", &store, pay_to, "1", 10_000_000_000, "Store Credit")],
        "wrong-domain" => vec![option("exact", "eip155:31337", &store, pay_to, "1", 60, "Store Credit ")],
        "too-much" => {
            vec![option("exact", "eip155:31337", &store, pay_to, "1000000000000000000000000", 60, "Store Credit")]
        }
        "nothing" => vec![option("exact", "eip155:31337", &store, pay_to, "0", 60, "Store Credit")],
        // A token without EIP-3009, no method said: Permit2, which needs the one-time approval first.
        "no-eip3009" => vec![option("exact", "eip155:31337", me, pay_to, "1", 60, "Fee Token")],
        "eip3009-said" | "erc7710" => {
            let mut o = option("exact", "eip155:31337", me, pay_to, "1", 60, "Fee Token");
            o["extra"]["assetTransferMethod"] = if case == "erc7710" { "erc7710" } else { "eip3009" }.into();
            vec![o]
        }
        "choose" => vec![
            option("upto", "eip155:31337", &store, pay_to, "1", 60, "Store Credit"),
            option("exact", "eip155:1", &store, pay_to, "1", 60, "Store Credit"),
            option(
                "exact",
                "eip155:31337",
                &STABLE_TOKEN.to_checksum(None),
                pay_to,
                "1000000000000",
                60,
                "Test Dollar",
            ),
            ok(),
        ],
        "redirect" => {
            return (StatusCode::FOUND, [(header::LOCATION, "http://127.0.0.2:9/pay")]).into_response();
        }
        "huge" => return (StatusCode::PAYMENT_REQUIRED, "x".repeat(1 << 20)).into_response(),
        "garbage" => {
            return (StatusCode::PAYMENT_REQUIRED, [("PAYMENT-REQUIRED", "%%%not base64%%%")], "{}").into_response();
        }
        "free" => return (StatusCode::OK, "{}").into_response(),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let terms = serde_json::json!({ "x402Version": 2, "resource": { "url": "http://shop.invalid/", "description": "Hostile" }, "accepts": accepts });
    (StatusCode::PAYMENT_REQUIRED, [("PAYMENT-REQUIRED", encode_base64(terms.to_string().as_bytes()))], "{}")
        .into_response()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_shop_is_refused_with_a_reason_and_nothing_is_signed() {
    let chain = DevChain::start(false).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let (s, me) = shopper(&chain, tmp.path(), units(100)).await;
    // A token the wallet shows, and the shopper holds, that has no transfer authorizations.
    let fee = crate::hostile::FeeToken::deploy(chain.provider_for(0)).await.expect("deploy");
    fee.transfer(me, units(10)).send().await.expect("send").get_receipt().await.expect("receipt");
    s.add_token(*fee.address()).await.expect("add token");
    let fee_address = fee.address().to_checksum(None);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}/", listener.local_addr().expect("addr"));
    let app = axum::Router::new()
        .route(
            "/slow",
            axum::routing::get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "late"
            }),
        )
        .route(
            "/{case}",
            axum::routing::get(move |axum::extract::Path(case): axum::extract::Path<String>| {
                let fee = fee_address.clone();
                async move { hostile_answer(&case, &fee) }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });

    let blocked = |sheet: wallet_core::pay::verdict::Sheet| {
        assert!(!sheet.payable() && sheet.gasless().is_none() && sheet.on_chain().is_none());
        assert_eq!(sheet.blockers.len(), 1);
        sheet.blockers[0].clone()
    };
    for (case, want) in [
        ("upto", "scheme_unsupported"),
        ("other-chain", "chain_mismatch"),
        ("unknown-token", "unknown_token"),
        ("pay-nobody", "bad_payee"),
        ("pay-the-token", "bad_payee"),
        ("forever", "bad_validity"),
        ("wrong-domain", "domain_mismatch"),
        ("too-much", "insufficient_funds"),
        ("nothing", "amount_missing"),
        ("no-eip3009", "approval_needed"),
        ("eip3009-said", "no_authorizations"),
        ("erc7710", "scheme_unsupported"),
    ] {
        let sheet = s.quote(&format!("{base}{case}"), 0, None).await.unwrap_or_else(|e| panic!("{case}: {e}"));
        let b = blocked(sheet);
        assert_eq!(b.code().as_str(), want, "{case}: {b:?}");
        if case == "too-much" {
            assert!(matches!(&b, Blocker::InsufficientFunds { symbol, .. } if symbol == "STORE"));
        }
    }
    // Several options: the first Tender can pay and holds enough for.
    let sheet = s.quote(&format!("{base}choose"), 0, None).await.expect("choose");
    let q = sheet.gasless().cloned().expect("payable option");
    assert_eq!((q.token.address, q.amount), (STORE_TOKEN, units(1)));

    for (case, want) in [
        ("redirect", "shop_redirected"),
        ("huge", "bad_shop_answer"),
        ("garbage", "bad_shop_answer"),
        ("free", "no_payment_asked"),
    ] {
        let e = s.quote(&format!("{base}{case}"), 0, None).await.expect_err(case);
        assert_eq!(e.code().as_str(), want, "{case}: {e}");
    }
    let slow = url::Url::parse(&format!("{base}slow")).expect("url");
    let e = wallet_core::pay::gasless::fetch_terms_within(
        &slow,
        Duration::from_millis(500),
        wallet_core::chain::reach::Reach::Local,
    )
    .await
    .expect_err("slow");
    assert_eq!(e.code().as_str(), "shop_unreachable");
    assert!(e.to_string().contains("did not answer in time"), "{e}");
    let e = s.quote("http://shop.example/pay/1", 0, None).await.expect_err("plain http elsewhere");
    assert_eq!(e.code().as_str(), "insecure_link");

    let h = s.history(Some(0)).await.expect("history");
    assert!(h.items.iter().all(|i| i.authorization().is_none()), "nothing was ever signed");
    chain.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_official_x402_fetch_client_pays_tenders_merchant() {
    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let checkout = Checkout::start(&chain).await;
    // A payer that holds only the store token: a fresh key, funded with STORE and nothing else.
    let key = alloy::signers::local::PrivateKeySigner::random();
    chain.send_store(0, key.address(), units(20)).await;
    let key_hex = format!("0x{}", alloy::hex::encode(key.to_bytes()));
    let script = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/x402-pay.mjs");
    let link = checkout.link(0);
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node").arg(&script).arg(link).env("X402_PAYER_KEY", &key_hex).output()
    })
    .await
    .expect("join")
    .expect("node (run scripts/setup.sh)");
    assert!(out.status.success(), "official client: {}", String::from_utf8_lossy(&out.stderr));
    let said: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(said["status"], 200, "{said}");
    assert_eq!(said["settlement"]["success"], true, "{said}");
    let price = units(25) / U256::from(2u8);
    assert_eq!(on_chain(&rpc, key.address()), ((units(20) - price).to_string(), "0".into()));
    let deposit: Address = checkout.order(0).await["deposit"].as_str().expect("deposit").parse().expect("address");
    assert_eq!(on_chain(&rpc, deposit).0, price.to_string());
    assert_eq!(checkout.order(0).await["state"], "paid");
    let _ = chain.client.provider.get_block_number().await;
    chain.stop();
}

/// Issue 19, case 3: a shop refused the signed authorization (a 402 "try again") and settled it a
/// moment later. The refusal was stored as final and ignored by the duplicate guard, so the next scan
/// signed a second authorization and both settled: paid twice. Now the refused one is outstanding:
/// the next scan resumes it (the same nonce), and the chain says it is paid, once.
#[tokio::test(flavor = "multi_thread")]
async fn a_shop_that_refuses_then_settles_later_is_paid_once() {
    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let Paying { checkout, s, me, deposit, _dir } = Paying::start(&chain).await;
    let flaky = FlakyShop::start(&checkout.gateway.url).await;
    let link = format!("{}pay/0", flaky.url);
    let price = units(25) / U256::from(2u8);

    let q = s.quote(&link, 0, None).await.expect("sheet").gasless().cloned().expect("quote");
    flaky.set(SETTLE_LATER);
    let r = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("receipt");
    assert_eq!(r.status, PaymentStatus::Rejected, "the shop refused: not paid so far, and not final");
    assert_eq!(r.notice.as_ref().map(|n| n.code.as_str()), Some("shop_refused"));
    let first = r.authorization().cloned().expect("stored").nonce;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(on_chain(&rpc, deposit).0, price.to_string(), "the shop settled what it refused");

    // The till shows the same QR again: the refused authorization counts, and is resumed.
    flaky.set(UP);
    let again = s.quote(&link, 0, None).await.expect("sheet");
    assert!(
        again.warnings.iter().any(|w| matches!(w, Warning::DuplicateCheckout { nonce, .. } if *nonce == first)),
        "{:?}",
        again.warnings
    );
    let q = again.gasless().cloned().expect("quote");
    let r = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("resumed, not signed again");
    assert_eq!(r.status, PaymentStatus::Confirmed, "{:?}", r.notice);
    assert_eq!(r.authorization().map(|a| a.nonce), Some(first), "the same authorization");
    assert_eq!(on_chain(&rpc, deposit).0, price.to_string(), "paid exactly once");
    assert_eq!(on_chain(&rpc, me).0, (units(100) - price).to_string());
    let h = s.history(Some(0)).await.expect("history");
    let sent: Vec<_> = h.items.iter().filter(|i| i.authorization().is_some()).collect();
    assert_eq!((sent.len(), sent[0].status()), (1, PaymentStatus::Confirmed), "one line, paid");
    chain.stop();
}

/// Issue 19, case 5: the authorization's `validAfter` came from this machine's clock, but the token
/// checks it against the latest block's time, which stands still on a chain that made no block for a
/// while: after a minute of idling every gasless payment failed the facilitator's simulation. The
/// window now comes from the chain's clock.
#[tokio::test(flavor = "multi_thread")]
async fn a_gasless_checkout_pays_after_the_chain_idled_over_a_minute() {
    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let Paying { checkout, s, me, deposit, _dir } = Paying::start(&chain).await;
    // An automine chain makes no block while nobody sends anything.
    tokio::time::sleep(std::time::Duration::from_secs(65)).await;
    let latest = chain.client.provider.get_block_by_number(Default::default()).await.expect("block").expect("latest");
    let idle = wallet_core::pay::payment::now_secs().saturating_sub(latest.header.timestamp);
    assert!(idle >= 60, "the chain idled {idle} s");

    let q = s.quote(&checkout.link(0), 0, None).await.expect("sheet").gasless().cloned().expect("quote");
    let r = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("receipt");
    assert_eq!(r.status, PaymentStatus::Confirmed, "{:?}", r.notice);
    let a = r.authorization().cloned().expect("authorization");
    assert!(a.valid_after < latest.header.timestamp, "valid from before the latest block: {a:?}");
    assert!(a.valid_before <= wallet_core::pay::payment::now_secs() + 300 + 5, "a window of minutes: {a:?}");
    assert_eq!(on_chain(&rpc, deposit).0, q.amount.to_string());
    assert_eq!(on_chain(&rpc, me).0, (units(100) - q.amount).to_string());
    chain.stop();
}

/// A shop on a chain with 12 s blocks, served by the untouched official x402 middleware: its
/// facilitator waits for the settlement's block. Paid once, decided by the chain; the till's QR
/// scanned again while it settles resumes the same authorization.
#[tokio::test(flavor = "multi_thread")]
async fn the_official_middleware_on_a_chain_with_12_second_blocks_is_paid_once() {
    let chain = DevChain::start_mining(false, tender_devtools::devnet::Mining::Every(12)).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let Paying { checkout, s, me, deposit, _dir } = Paying::start(&chain).await;
    let q = s.quote(&checkout.link(0), 0, None).await.expect("sheet").gasless().cloned().expect("quote");
    let tracking = wallet_core::pay::payment::Tracking { timeout: Duration::from_secs(30), ..fast() };
    let r = s.pay(&q.id, &q.digest.to_string(), 0, false, tracking).await.expect("receipt");
    let nonce = r.authorization().expect("stored").nonce;
    if r.status != PaymentStatus::Confirmed {
        // The shop answered before its block (a 402 "settlement pending", or no answer in time):
        // outstanding, and the same authorization again.
        assert!(r.status.is_unfinished(), "{:?} {:?}", r.status, r.notice);
        tokio::time::sleep(Duration::from_secs(13)).await;
        let q = s.quote(&checkout.link(0), 0, None).await.expect("sheet").gasless().cloned().expect("quote");
        let r = s.pay(&q.id, &q.digest.to_string(), 0, false, tracking).await.expect("receipt");
        assert_eq!((r.status, r.authorization().map(|a| a.nonce)), (PaymentStatus::Confirmed, Some(nonce)));
    }
    assert_eq!(on_chain(&rpc, deposit).0, q.amount.to_string(), "paid exactly once");
    assert_eq!(on_chain(&rpc, me).0, (units(100) - q.amount).to_string());
    chain.stop();
}

/// Issue 19: an authorization the shop never settled stays valid (a few minutes) and Tender watches
/// it; the shopper who has ether for the fee can revoke it at once (EIP-3009 `cancelAuthorization`),
/// quoted first. Revoked, it is "cancelled, not paid", and the shop can no longer use it; without ether
/// the sheet says how much the fee needs and the authorization's own validity stands.
#[tokio::test(flavor = "multi_thread")]
async fn an_outstanding_authorization_is_revoked_on_chain_and_can_never_pay() {
    use wallet_core::store::PaymentKind;
    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let Paying { checkout, s, me, deposit, _dir } = Paying::start(&chain).await;
    let flaky = FlakyShop::start(&checkout.gateway.url).await;
    let link = format!("{}pay/0", flaky.url);
    let q = s.quote(&link, 0, None).await.expect("sheet").gasless().cloned().expect("quote");
    flaky.set(DOWN);
    let r = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("stored");
    assert!(r.status.is_unfinished(), "{:?}", r.status);
    let nonce = r.authorization().cloned().expect("stored").nonce;

    // No ether: nothing can be revoked from here; the sheet says what the fee needs.
    match s.replacement(nonce, PaymentKind::CancelAuthorization).await {
        Err(Error::Blocked(Blocker::NeedsNativeForFee { symbol, available, .. })) => {
            assert_eq!((symbol.as_str(), available.as_str()), ("ETH", "0"))
        }
        other => panic!("{other:?}"),
    }
    let gas = alloy::rpc::types::TransactionRequest::default().to(me).value(units(1) / U256::from(100u8));
    chain.provider_for(0).send_transaction(gas).await.expect("send").get_receipt().await.expect("receipt");

    let revoke = s.replacement(nonce, PaymentKind::CancelAuthorization).await.expect("revocation sheet");
    assert_eq!(revoke.kind, PaymentKind::CancelAuthorization);
    assert!(!revoke.max_network_fee.is_zero());
    assert!(matches!(s.replace(&revoke.id, "0xbad", fast()).await, Err(Error::QuoteMismatch)), "only the quote shown");
    let revoke = s.replacement(nonce, PaymentKind::CancelAuthorization).await.expect("revocation sheet");
    let receipt = s.replace(&revoke.id, &revoke.digest.to_string(), fast()).await.expect("revoked");
    assert_eq!(receipt.status, PaymentStatus::Cancelled, "{:?}", receipt.notice);
    assert!(!receipt.moved());
    // On chain: the nonce is used up, by the revocation (cast as the independent reader).
    let used = cast(&[
        "call",
        "--rpc-url",
        &rpc,
        &STORE_TOKEN.to_checksum(None),
        "authorizationState(address,bytes32)(bool)",
        &me.to_checksum(None),
        &nonce.to_string(),
    ]);
    assert_eq!(used, "true");

    // The shop comes back and the same authorization is sent: it can never pay.
    flaky.set(UP);
    let r = s.resend(nonce, fast()).await.expect("nothing to send");
    assert_eq!(r.status, PaymentStatus::Cancelled);
    assert_eq!(on_chain(&rpc, deposit).0, "0", "nothing was paid");
    assert_eq!(on_chain(&rpc, me).0, units(100).to_string());
    // One line in the history: the authorization, cancelled; the revoking transaction is not a payment.
    let h = s.history(Some(0)).await.expect("history");
    let sent: Vec<_> = h.items.iter().filter(|i| i.direction() == wallet_core::session::Direction::Sent).collect();
    assert_eq!(sent.len(), 1, "{:?}", sent.iter().map(|i| i.status()).collect::<Vec<_>>());
    assert_eq!(sent[0].status(), PaymentStatus::Cancelled);
    assert!(matches!(s.replacement(nonce, PaymentKind::CancelAuthorization).await, Err(Error::PaymentSettled)));
    chain.stop();
}
