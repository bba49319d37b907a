//! The checkout benchmark, on the dev chain, for both kinds of payment: from the QR code's text to
//! the sheet (`Session::quote`: parse, ask the shop or the node, check the chain) and from confirm to
//! the receipt (`Session::pay`: sign, store, send, confirmed on chain). On chain: the shop's EIP-681
//! request, one transaction (anvil mines at once). Gasless: the shop's x402 link, served by the
//! official packages (`tools/x402-shop.mjs`), whose facilitator settles before it answers.
//!
//! `cargo bench -p tender-devtools --bench checkout` measures (15 payments of each kind); run as a test
//! (`cargo test --all-targets`) it pays twice of each, so the benchmark cannot rot.

use std::time::{Duration, Instant};

use alloy::network::EthereumWallet;
use alloy::primitives::U256;
use alloy::providers::ProviderBuilder;
use tender_devtools::devnet::{self, Devnet, TenderToken};
use tender_devtools::gateway::Gateway;
use tender_devtools::shop::{self, ShopConfig};
use wallet_core::chain::choice::NetworkChoice;
use wallet_core::chain::network::{self, Network};
use wallet_core::pay::payment::Tracking;
use wallet_core::session::{Session, SessionOptions};
use wallet_core::store::PaymentStatus;
use wallet_core::vault::KdfParams;
use wallet_core::{Language, RecoveryPhrase, SecretString, StoreKind};

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let rounds = if measuring { 15 } else { 2 };
    let chain = Devnet::start(devnet::default_anvil_path()).await.expect("devnet (run scripts/setup.sh)");
    let rpc = chain.info().rpc_url.clone();
    let client = network::connect(&Network::devnet(&rpc).expect("network")).await.expect("connect");
    let (listener, shop_url) = shop::bind(0).await.expect("bind");
    let gateway = Gateway::start(&rpc, &shop_url, devnet::FACILITATOR_KEY, "Your order").expect("gateway");
    let token = wallet_core::chain::token::builtin_tokens(devnet::CHAIN_ID)
        .into_iter()
        .find(|t| t.address == devnet::STORE_TOKEN)
        .expect("store token");
    let amount = U256::from(10u64).pow(U256::from(18));
    let config =
        ShopConfig { label: "Bench Shop".into(), token, amount, gasless: Some(gateway.url.clone()), receipts: None };
    tokio::spawn(shop::serve(listener, client, config));

    let tmp = std::env::temp_dir().join(format!("tender-bench-checkout-{}", std::process::id()));
    let session = Session::new(
        &tmp,
        SessionOptions {
            new_store: StoreKind::File,
            kdf: KdfParams::INSECURE_TEST_ONLY,
            network: Some(NetworkChoice::Devnet { rpc_url: rpc.clone() }),
        },
    );
    let phrase = RecoveryPhrase::generate(12, Language::English).expect("phrase");
    let pw = SecretString::new("correct horse battery".into());
    let restored = session.restore(phrase, SecretString::default(), &pw, 1, None, |_, _| {}).await.expect("restore");
    let me = restored.wallet.accounts[0].address;
    // Dev account 0 funds the shopper: store credit for both kinds, ether for the on-chain fees.
    let seed = RecoveryPhrase::parse(devnet::DEV_PHRASE).expect("phrase").to_seed(&SecretString::default());
    let path = wallet_core::keys::derivation::AccountScheme::Bip44.path(0).expect("path");
    let funder = wallet_core::keys::signer::signer_at(&seed, &path).expect("signer");
    let provider = ProviderBuilder::new().wallet(EthereumWallet::from(funder)).connect_http(rpc.parse().expect("url"));
    TenderToken::new(devnet::STORE_TOKEN, &provider)
        .transfer(me, amount * U256::from(100u8))
        .send()
        .await
        .expect("fund")
        .get_receipt()
        .await
        .expect("receipt");
    use alloy::providers::Provider;
    let tx = alloy::rpc::types::TransactionRequest::default().to(me).value(amount);
    provider.send_transaction(tx).await.expect("fund").get_receipt().await.expect("receipt");

    let http = reqwest::Client::new();
    let tracking = Tracking { poll: Duration::from_millis(50), ..Tracking::default() };
    let (mut onchain_sheet, mut onchain_pay, mut gasless_sheet, mut gasless_pay) = (vec![], vec![], vec![], vec![]);
    for round in 0..rounds * 2 {
        // A new order for every payment (the shop's first order is number 0).
        if round > 0 {
            http.post(format!("{shop_url}orders")).send().await.expect("new order");
        }
        let status: serde_json::Value =
            http.get(format!("{shop_url}status")).send().await.expect("status").json().await.expect("json");
        let order = &status["orders"][round];
        let gasless = round % 2 == 0;
        let text = if gasless {
            format!("{}pay/{}", gateway.url, order["number"])
        } else {
            order["uri"].as_str().expect("uri").to_owned()
        };
        let started = Instant::now();
        let sheet = session.quote(&text, 0, None).await.expect("sheet");
        let shown = started.elapsed();
        let Some(offer) = &sheet.offer else { panic!("not payable: {:?}", sheet.blockers) };
        let (id, digest) = (offer.id().to_owned(), offer.digest().to_string());
        let started = Instant::now();
        let receipt = session.pay(&id, &digest, 0, false, tracking).await.expect("paid");
        let paid = started.elapsed();
        assert_eq!(receipt.status, PaymentStatus::Confirmed, "{:?}", receipt.notice);
        if gasless {
            gasless_sheet.push(shown);
            gasless_pay.push(paid);
        } else {
            onchain_sheet.push(shown);
            onchain_pay.push(paid);
        }
    }
    println!("checkout on the dev chain, median of {rounds} payments of each kind:");
    println!(
        "  on chain (EIP-681): QR text -> sheet {:.1} ms, confirm -> receipt {:.1} ms",
        median(onchain_sheet),
        median(onchain_pay)
    );
    println!(
        "  gasless (x402):     QR text -> sheet {:.1} ms, confirm -> receipt {:.1} ms",
        median(gasless_sheet),
        median(gasless_pay)
    );
    drop(gateway);
    chain.stop();
    let _ = std::fs::remove_dir_all(&tmp);
}
