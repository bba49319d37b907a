//! The balance-sync benchmark: 5 accounts × (50 tokens + native) = 255 balances on one anvil dev
//! chain, read by Tender (`balance::sync`, one `aggregate3` eth_call), by a naive sync (one request
//! per balance), by viem's `multicall` set to a single eth_call, and the floor (one pre-built request
//! posted with `fetch`); the last two by `bench/viem-sync.mjs`. Beside Tender's one request, the same
//! balances read as the privacy setting reads them: each account in a request of its own.
//!
//! `cargo bench -p tender-devtools --bench sync` (or `bash bench/sync.sh`) measures; run as a test
//! (`cargo test --all-targets`) it does three rounds of each Rust side, so the benchmark cannot rot.

use std::time::{Duration, Instant};

use alloy::network::EthereumWallet;
use alloy::primitives::{Address, U256};
use alloy::providers::{Provider, ProviderBuilder};
use tender_devtools::devnet::{self, Devnet, TenderToken};
use wallet_core::chain::balance::{self, SyncOptions};
use wallet_core::chain::network::{self, Network};
use wallet_core::chain::token::IERC20Metadata;
use wallet_core::keys::derivation::{AccountScheme, derive_accounts};
use wallet_core::{RecoveryPhrase, SecretString};

const ACCOUNTS: u32 = 5;
const TOKENS: usize = 50;

fn stats(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(samples[samples.len() / 2]);
    let mean = samples.iter().map(|d| ms(*d)).sum::<f64>() / samples.len() as f64;
    let p90 = ms(samples[samples.len() * 9 / 10]);
    (median, mean, p90)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let iterations = if measuring { 200 } else { 3 };
    let chain = Devnet::start(devnet::default_anvil_path()).await.expect("devnet (run scripts/setup.sh)");
    let rpc = chain.info().rpc_url.clone();
    let seed = RecoveryPhrase::parse(devnet::DEV_PHRASE).expect("phrase").to_seed(&SecretString::default());
    let deployer =
        wallet_core::keys::signer::signer_at(&seed, &AccountScheme::Bip44.path(9).expect("path")).expect("signer");
    let provider =
        ProviderBuilder::new().wallet(EthereumWallet::from(deployer)).connect_http(rpc.parse().expect("url"));

    // 48 more tokens beside the dev chain's two: 50, each holder given a balance.
    let accounts: Vec<Address> = derive_accounts(&seed, AccountScheme::Bip44, 0, ACCOUNTS)
        .expect("accounts")
        .iter()
        .map(|a| a.address)
        .collect();
    let mut tokens = vec![devnet::STORE_TOKEN, devnet::STABLE_TOKEN];
    while tokens.len() < TOKENS {
        let n = tokens.len();
        let token = TenderToken::deploy(
            &provider,
            format!("Bench {n}"),
            format!("B{n}"),
            18,
            accounts[n % accounts.len()],
            U256::from(n as u64 * 1000),
        )
        .await
        .expect("deploy");
        tokens.push(*token.address());
    }
    let client = network::connect(&Network::devnet(&rpc).expect("net")).await.expect("connect");

    // Tender.
    let mut requests = 0;
    let mut tender = Vec::new();
    for i in 0..iterations + if measuring { 20 } else { 0 } {
        let t = Instant::now();
        let snap = balance::sync(&client, &accounts, &tokens, SyncOptions::default()).await.expect("sync");
        let elapsed = t.elapsed();
        assert_eq!(snap.balances.len(), ACCOUNTS as usize * (TOKENS + 1));
        assert!(snap.balances.iter().all(|b| b.amount.is_some()));
        if i >= if measuring { 20 } else { 0 } {
            tender.push(elapsed);
            requests += snap.requests;
        }
    }
    let tender_requests = requests as f64 / tender.len() as f64;

    // The privacy setting (issue 23): each account in a request of its own, no pause between them.
    let mut separate = Vec::new();
    let mut separate_requests = 0;
    for i in 0..iterations + if measuring { 20 } else { 0 } {
        let t = Instant::now();
        let mut read = 0;
        for a in &accounts {
            let snap = balance::sync(&client, &[*a], &tokens, SyncOptions::default()).await.expect("sync");
            read += snap.balances.len();
            if i >= if measuring { 20 } else { 0 } {
                separate_requests += snap.requests;
            }
        }
        let elapsed = t.elapsed();
        assert_eq!(read, ACCOUNTS as usize * (TOKENS + 1));
        if i >= if measuring { 20 } else { 0 } {
            separate.push(elapsed);
        }
    }
    let separate_requests = separate_requests as f64 / separate.len() as f64;

    // Naive: one request per balance, as a wallet without batching does.
    let naive_rounds = if measuring { 20 } else { 1 };
    let mut naive = Vec::new();
    for _ in 0..naive_rounds {
        let t = Instant::now();
        for a in &accounts {
            client.provider.get_balance(*a).await.expect("balance");
            for token in &tokens {
                IERC20Metadata::new(*token, &client.provider).balanceOf(*a).call().await.expect("balanceOf");
            }
        }
        naive.push(t.elapsed());
    }
    let naive_requests = (ACCOUNTS as usize * (TOKENS + 1)) as f64;

    let (tm, tmean, tp90) = stats(tender);
    let (sm, smean, sp90) = stats(separate);
    let (nm, nmean, np90) = stats(naive);
    println!("balances per sync: {}", ACCOUNTS as usize * (TOKENS + 1));
    println!("| sync | requests | median ms | mean ms | p90 ms |");
    println!("|---|---|---|---|---|");
    println!("| Tender (`balance::sync`, aggregate3) | {tender_requests} | {tm:.2} | {tmean:.2} | {tp90:.2} |");
    println!(
        "| Tender, each account alone (privacy setting) | {separate_requests} | {sm:.2} | {smean:.2} | {sp90:.2} |"
    );
    println!("| naive, one request per balance (alloy) | {naive_requests} | {nm:.1} | {nmean:.1} | {np90:.1} |");

    if measuring {
        let input =
            serde_json::json!({ "accounts": accounts, "tokens": tokens, "multicall": devnet::MULTICALL3 }).to_string();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/viem-sync.mjs");
        let out = std::process::Command::new("node")
            .arg(script)
            .arg(&rpc)
            .arg(&input)
            .arg(iterations.to_string())
            .output()
            .expect("node");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        for (name, key) in [
            ("viem `multicall`, batchSize 0", "viem_multicall"),
            ("floor: pre-built request, plain `fetch`", "fetch_floor"),
        ] {
            let r = &v[key];
            println!(
                "| {name} | {} | {} | {} | {} |",
                r["requests_per_sync"], r["median_ms"], r["mean_ms"], r["p90_ms"]
            );
        }
        let viem = v["viem_multicall"]["median_ms"].as_f64().unwrap_or(f64::NAN);
        println!("\nTender is {:.1}x faster than viem (median).", viem / tm);
    }
    chain.stop();
}
