//! How cost grows (BENCHMARKS.md "How cost grows"), on one anvil dev chain:
//!
//! - a shop's check of its open orders (`merchant::check_orders`: one balance per deposit address) for
//!   100, 1 000 and 10 000 orders, and a wallet of 20 accounts × (500 tokens + ether): Tender, the
//!   naive way (one eth_call per balance, in turn) and viem's `multicall` (defaults, and tuned to
//!   Tender's chunks; `bench/viem-scale.mjs`): eth_calls per check, median time, peak memory;
//! - the chunk size of a 10 000-order check (the measurement behind `balance::MAX_CALLS`);
//! - history scanning (`history::scan_received`): blocks per second over 10 000 and 20 000 blocks,
//!   and a scan cut off half-way that resumes from its saved cursor.
//!
//! `bash bench/scale.sh` measures, writes `bench/results/scale.json` and draws `bench/scale.svg`. Run as
//! a test (`cargo test --all-targets`) it checks every path once at small sizes and writes nothing.

use std::time::{Duration, Instant};

use alloy::network::EthereumWallet;
use alloy::primitives::{Address, U256};
use alloy::providers::ext::AnvilApi;
use alloy::providers::{Provider, ProviderBuilder};
use serde_json::json;
use tender_devtools::devnet::{self, Devnet, TenderToken};
use tender_devtools::merchant::{Merchant, OrderState, check_orders};
use wallet_core::chain::balance::{self, SyncOptions, Wanted};
use wallet_core::chain::history::{ScanOptions, scan_received};
use wallet_core::chain::network::{self, ChainClient, Network};
use wallet_core::chain::token::IERC20Metadata;
use wallet_core::keys::derivation::{AccountScheme, derive_accounts};
use wallet_core::store::Db;
use wallet_core::{RecoveryPhrase, SecretString};

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}

/// A field of /proc/self/status, in KiB (0 where there is none).
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':')?.trim().trim_end_matches(" kB").parse().ok())
        .unwrap_or(0)
}

/// CPU time (user + system) process `pid` has used, in milliseconds (10 ms resolution).
fn cpu_ms(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(") ").next().unwrap_or("").split(' ').collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) * 10.0 // utime and stime (fields 14 and 15), 100 ticks a second
}

/// The anvil under test, for its CPU time.
static ANVIL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// CPU milliseconds per read of the last [`measure`]: this process's and the node's.
static CPU: std::sync::Mutex<(f64, f64)> = std::sync::Mutex::new((0.0, 0.0));

/// Runs `read` `warm` + `n` times; returns the timings, and the most resident memory one read added
/// (the kernel's peak is reset before each: Linux `clear_refs` 5). The CPU time each read cost this
/// process and the node is left in [`CPU`].
async fn measure<F, Fut, T>(warm: usize, n: usize, mut read: F) -> (Vec<Duration>, u64, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    for _ in 0..warm {
        read().await;
    }
    let anvil = ANVIL.get().cloned().unwrap_or_default();
    let cpu_before = (cpu_ms("self"), cpu_ms(&anvil));
    let mut samples = Vec::with_capacity(n);
    let mut peak = 0;
    let mut last = None;
    for _ in 0..n {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let before = status_kib("VmRSS");
        let t = Instant::now();
        let out = read().await;
        samples.push(t.elapsed());
        peak = peak.max(status_kib("VmHWM").saturating_sub(before));
        last = Some(out);
    }
    let per = |a: f64, b: f64| (a - b) / n as f64;
    *CPU.lock().expect("cpu") = (per(cpu_ms("self"), cpu_before.0), per(cpu_ms(&anvil), cpu_before.1));
    (samples, peak, last.expect("at least one read"))
}

/// The naive way: one eth_call (or eth_getBalance) per balance, one after the other.
async fn naive(client: &ChainClient, wanted: &[Wanted]) -> usize {
    for (account, token) in wanted {
        match token {
            None => {
                client.provider.get_balance(*account).await.expect("balance");
            }
            Some(t) => {
                IERC20Metadata::new(*t, &client.provider).balanceOf(*account).call().await.expect("balanceOf");
            }
        }
    }
    wanted.len()
}

/// viem on the same balances (bench/viem-scale.mjs), or `null` when not measuring.
fn viem(rpc: &str, wanted: &[Wanted], iterations: usize) -> serde_json::Value {
    let file = std::env::temp_dir().join(format!("tender-scale-{}.json", std::process::id()));
    let pairs: Vec<_> = wanted.iter().map(|(a, t)| json!([a, t])).collect();
    std::fs::write(&file, serde_json::to_vec(&pairs).expect("json")).expect("write pairs");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/viem-scale.mjs");
    let out = std::process::Command::new("node")
        .args(["--expose-gc", script, rpc, &devnet::MULTICALL3.to_string()])
        .arg(&file)
        .arg(iterations.to_string())
        .output()
        .expect("node");
    let _ = std::fs::remove_file(&file);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("viem json")
}

/// A dev chain, its URL, a provider signing as dev account 0, and Tender's client of it.
async fn dev_chain(seed: &wallet_core::Seed) -> (Devnet, String, alloy::providers::DynProvider, ChainClient) {
    let chain = Devnet::start(devnet::default_anvil_path()).await.expect("devnet (run scripts/setup.sh)");
    let rpc = chain.info().rpc_url.clone();
    let deployer =
        wallet_core::keys::signer::signer_at(seed, &AccountScheme::Bip44.path(0).expect("path")).expect("signer");
    let provider =
        ProviderBuilder::new().wallet(EthereumWallet::from(deployer)).connect_http(rpc.parse().expect("url")).erased();
    let client = network::connect(&Network::devnet(&rpc).expect("net")).await.expect("connect");
    (chain, rpc, provider, client)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let seed = RecoveryPhrase::parse(devnet::DEV_PHRASE).expect("phrase").to_seed(&SecretString::default());
    let (chain, rpc, provider, client) = dev_chain(&seed).await;
    let _ = ANVIL.set(chain.pid().to_string());
    let store = TenderToken::new(devnet::STORE_TOKEN, &provider);
    let mut report = serde_json::Map::new();

    // ---- A shop's open orders: one deposit address each, 1 in 100 paid.
    let sizes: &[usize] = if measuring { &[100, 1_000, 10_000] } else { &[100] };
    let shop_seed =
        RecoveryPhrase::parse(devnet::DEV_PHRASE).expect("phrase").to_seed(&SecretString::new("shop".into()));
    let mut shop = Merchant::new(shop_seed, "Bench Shop", 0);
    let price = U256::from(10u64).pow(U256::from(16)); // 0.01 STORE: 100 paid orders cost 1 of the 1 000 held
    let mut orders = Vec::new();
    let mut rows = Vec::new();
    println!(
        "| open orders | way | eth_calls per check | median ms | peak memory added (KiB) | CPU ms per check: Tender / anvil |"
    );
    println!("|---|---|---|---|---|---|");
    for &size in sizes {
        while orders.len() < size {
            let order = shop
                .new_order(&format!("B-{}", orders.len()), devnet::CHAIN_ID, Some(devnet::STORE_TOKEN), price)
                .expect("order");
            if orders.len() % 100 == 0 {
                store.transfer(order.deposit, price).send().await.expect("pay").get_receipt().await.expect("receipt");
            }
            orders.push(order);
        }
        let (iterations, naive_rounds) = match (measuring, size) {
            (false, _) => (1, 1),
            (true, 10_000) => (30, 2),
            (true, 1_000) => (50, 3),
            (true, _) => (100, 10),
        };
        let (times, peak, check) =
            measure(if measuring { 5 } else { 0 }, iterations, || check_orders(&client, &orders)).await;
        let check = check.expect("check");
        let (cpu_self, cpu_node) = *CPU.lock().expect("cpu");
        let paid = check.statuses.iter().filter(|s| s.state == OrderState::Paid).count();
        assert_eq!(paid, size.div_ceil(100), "1 in 100 orders paid");
        let wanted: Vec<Wanted> = orders.iter().map(|o| (o.deposit, o.token)).collect();
        let (naive_times, naive_peak, _) = measure(0, naive_rounds, || naive(&client, &wanted)).await;
        let mut row = json!({
            "size": size,
            "tender": { "requests": check.requests, "median_ms": median(times), "peak_kib": peak,
                        "cpu_ms": cpu_self, "node_cpu_ms": cpu_node },
            "naive": { "requests": size, "median_ms": median(naive_times), "peak_kib": naive_peak },
        });
        if measuring {
            let v = viem(&rpc, &wanted, iterations.min(20));
            row["viem_default"] = v["viem_default"].clone();
            row["viem_tuned"] = v["viem_tuned"].clone();
        }
        for (way, key) in [
            ("Tender", "tender"),
            ("viem, defaults", "viem_default"),
            ("viem, Tender's chunks", "viem_tuned"),
            ("naive", "naive"),
        ] {
            let r = &row[key];
            if !r.is_null() {
                let cpu = match (r["cpu_ms"].as_f64(), r["node_cpu_ms"].as_f64()) {
                    (Some(a), Some(b)) => format!("{a:.1} / {b:.1}"),
                    _ => String::new(),
                };
                println!(
                    "| {size} | {way} | {} | {:.2} | {} | {cpu} |",
                    r["requests"],
                    r["median_ms"].as_f64().unwrap_or(f64::NAN),
                    r["peak_kib"]
                );
            }
        }
        rows.push(row);
    }
    report.insert("orders".into(), rows.into());

    // ---- The chunk size of a 10 000-order check (a single request is refused by anvil, 2 MiB).
    if measuring {
        let wanted: Vec<Wanted> = orders.iter().map(|o| (o.deposit, o.token)).collect();
        println!(
            "\n| calls per eth_call (10 000 balances) | eth_calls | median ms | CPU ms per check: Tender / anvil |"
        );
        println!("|---|---|---|---|");
        let mut sweep = Vec::new();
        for max_calls in [500, 1_000, 2_000, 2_500, 3_500, 5_000, 10_000] {
            let options = SyncOptions { max_calls };
            let (times, _, snap) = measure(3, 20, || balance::read(&client, &wanted, options)).await;
            let requests = snap.expect("read").requests;
            let ms = median(times);
            let (cpu_self, cpu_node) = *CPU.lock().expect("cpu");
            println!("| {max_calls} | {requests} | {ms:.2} | {cpu_self:.1} / {cpu_node:.1} |");
            sweep.push(json!({ "max_calls": max_calls, "requests": requests, "median_ms": ms, "cpu_ms": cpu_self, "node_cpu_ms": cpu_node }));
        }
        report.insert("chunk_sweep".into(), sweep.into());
    }

    // ---- A wallet: 20 accounts × (ether + 500 tokens).
    let (n_accounts, n_tokens) = if measuring { (20, 500) } else { (2, 3) };
    let accounts: Vec<Address> = derive_accounts(&seed, AccountScheme::Bip44, 0, n_accounts)
        .expect("accounts")
        .iter()
        .map(|a| a.address)
        .collect();
    let mut tokens = vec![devnet::STORE_TOKEN, devnet::STABLE_TOKEN];
    while tokens.len() < n_tokens {
        let n = tokens.len();
        let holder = accounts[n % accounts.len()];
        let token = TenderToken::deploy(&provider, format!("Bench {n}"), format!("B{n}"), 18, holder, U256::from(n))
            .await
            .expect("deploy");
        tokens.push(*token.address());
    }
    let balances = accounts.len() * (tokens.len() + 1);
    let (iterations, naive_rounds) = if measuring { (30, 2) } else { (1, 1) };
    let (times, peak, snap) = measure(if measuring { 5 } else { 0 }, iterations, || {
        balance::sync(&client, &accounts, &tokens, SyncOptions::default())
    })
    .await;
    let snap = snap.expect("sync");
    let (cpu_self, cpu_node) = *CPU.lock().expect("cpu");
    assert!(snap.balances.len() == balances && snap.balances.iter().all(|b| b.amount.is_some()));
    let wanted: Vec<Wanted> = accounts
        .iter()
        .flat_map(|a| std::iter::once((*a, None)).chain(tokens.iter().map(move |t| (*a, Some(*t)))))
        .collect();
    let (naive_times, naive_peak, _) = measure(0, naive_rounds, || naive(&client, &wanted)).await;
    let mut wallet = json!({
        "accounts": n_accounts, "tokens": n_tokens, "balances": balances,
        "tender": { "requests": snap.requests, "median_ms": median(times), "peak_kib": peak,
                    "cpu_ms": cpu_self, "node_cpu_ms": cpu_node },
        "naive": { "requests": balances, "median_ms": median(naive_times), "peak_kib": naive_peak },
    });
    if measuring {
        let v = viem(&rpc, &wanted, 20);
        wallet["viem_default"] = v["viem_default"].clone();
        wallet["viem_tuned"] = v["viem_tuned"].clone();
    }
    println!(
        "\n| wallet: {n_accounts} accounts × ({n_tokens} tokens + ether) = {balances} | eth_calls | median ms | peak KiB |"
    );
    println!("|---|---|---|---|");
    for key in ["tender", "viem_default", "viem_tuned", "naive"] {
        let r = &wallet[key];
        if !r.is_null() {
            println!(
                "| {key} | {} | {:.2} | {} |",
                r["requests"],
                r["median_ms"].as_f64().unwrap_or(f64::NAN),
                r["peak_kib"]
            );
        }
    }
    report.insert("wallet".into(), wallet);

    // ---- History, on a dev chain of its own (mining a block costs anvil a state root, and the 500
    // tokens above made that slow): transfers to the accounts every 997 blocks (297 in the test),
    // then scans of 10 000 and 20 000 blocks for the two tokens a shopper holds. Not 100 000: anvil's
    // block production slows with the chain's height (the k-th thousand blocks takes about k × 0.9 s
    // here), so a 100 000-block dev chain would take over an hour to make; a scan is one eth_getLogs
    // per 2 000-block range, and the time per range is what the table shows.
    chain.stop();
    let (chain, _, provider, client) = dev_chain(&seed).await;
    let store = TenderToken::new(devnet::STORE_TOKEN, &provider);
    let tokens = [devnet::STORE_TOKEN, devnet::STABLE_TOKEN];
    let (total, range) = if measuring { (20_000, 2_000) } else { (1_200, 500) };
    let base = client.provider.get_block_number().await.expect("head");
    let mut sent = 0;
    while client.provider.get_block_number().await.expect("head") < base + total {
        store
            .transfer(accounts[sent % accounts.len()], U256::from(1))
            .send()
            .await
            .expect("send")
            .get_receipt()
            .await
            .expect("receipt");
        sent += 1;
        provider.anvil_mine(Some(if measuring { 996 } else { 296 }), None).await.expect("mine"); // no deadline: slow at height
    }
    let head = client.provider.get_block_number().await.expect("head");
    println!("\n| history scan | blocks | eth_getLogs | found | seconds | blocks per second | ms per range |");
    println!("|---|---|---|---|---|---|---|");
    let mut scans = Vec::new();
    for span in if measuring { vec![10_000, 20_000] } else { vec![total] } {
        let options = ScanOptions { max_range: range, initial_lookback: span - 1, native_blocks: false };
        let mut db = Db::open_in_memory().expect("db");
        let t = Instant::now();
        let scan = scan_received(&client, &mut db, &accounts, &tokens, options).await.expect("scan");
        let secs = t.elapsed().as_secs_f64();
        let blocks = head + 1 - scan.from_block.expect("scanned");
        assert!(scan.found > 0);
        let ranges = scan.requests - 1;
        println!(
            "| from the head back | {blocks} | {ranges} | {} | {secs:.3} | {:.0} | {:.2} |",
            scan.found,
            blocks as f64 / secs,
            secs * 1000.0 / f64::from(ranges)
        );
        scans.push(json!({ "blocks": blocks, "requests": scan.requests, "found": scan.found, "seconds": secs }));

        // Cut off part-way (the app closed, the network lost), then run again: it resumes from the
        // cursor saved with the last stored range and ends with the same transfers, none twice.
        let mut cut = Db::open_in_memory().expect("db");
        let stop = Duration::from_secs_f64(secs / 2.0);
        let partial = tokio::time::timeout(stop, scan_received(&client, &mut cut, &accounts, &tokens, options)).await;
        let cursor = accounts.iter().filter_map(|a| cut.scan_cursor(devnet::CHAIN_ID, *a).expect("cursor")).min();
        let resumed = scan_received(&client, &mut cut, &accounts, &tokens, options).await.expect("resume");
        if partial.is_err() {
            assert_eq!(resumed.from_block, cursor.or(scan.from_block), "resumed from its saved cursor");
        }
        let all = |db: &Db| {
            accounts.iter().map(|a| db.received(devnet::CHAIN_ID, *a).expect("received").len()).sum::<usize>()
        };
        assert_eq!(all(&cut), all(&db), "the same transfers, none twice");
    }
    report.insert("history".into(), scans.into());

    if measuring {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/results/scale.json");
        std::fs::create_dir_all(std::path::Path::new(path).parent().expect("dir")).expect("results dir");
        std::fs::write(path, serde_json::to_string_pretty(&report).expect("json") + "\n").expect("write");
        println!("\nwrote bench/results/scale.json");
    }
    chain.stop();
}
