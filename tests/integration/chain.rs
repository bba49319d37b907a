//! The chain layer against a real anvil dev chain: connecting (chain-id check), one-round-trip
//! balance sync (Multicall3), chunking at one block, the JSON-RPC batch fallback, hostile "tokens",
//! and the cache when the RPC is down.

use alloy::primitives::{Address, U256};
use wallet_core::Error;
use wallet_core::balance::{self, SyncOptions};
use wallet_core::db::Db;
use wallet_core::devnet::{self, Devnet, TenderToken};
use wallet_core::network::{self, Network};

fn dev_accounts(n: usize) -> Vec<Address> {
    // anvil's accounts 0..n (public dev keys).
    [
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
        "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
        "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
        "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    ][..n]
        .iter()
        .map(|a| a.parse().expect("address"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_reads_every_balance_in_one_request_and_falls_back_without_multicall() {
    let chain = Devnet::start(devnet::default_anvil_path()).await.expect("devnet");
    let url = chain.info().rpc_url.clone();

    // The chain-id check: the same endpoint configured as another chain is refused.
    let mut wrong = Network::devnet(&url).expect("network");
    wrong.chain_id = 8453;
    assert!(matches!(network::connect(&wrong).await, Err(Error::ChainIdMismatch { expected: 8453, got: 31337 })));
    let dead = Network::devnet("http://127.0.0.1:9").expect("network");
    assert!(matches!(network::connect(&dead).await, Err(Error::RpcUnavailable { .. })));

    let client = network::connect(&Network::devnet(&url).expect("network")).await.expect("connect");
    let accounts = dev_accounts(6);
    // Two real tokens, an account (no code: empty answer) and Multicall3 (no balanceOf: reverts).
    let tokens = [devnet::STORE_TOKEN, devnet::STABLE_TOKEN, accounts[5], devnet::MULTICALL3];
    let snap = balance::sync(&client, &accounts[..5], &tokens, SyncOptions::default()).await.expect("sync");
    assert_eq!(snap.requests, 1, "one round trip");
    assert_eq!(snap.balances.len(), 5 * 5);
    for (i, account) in accounts[..5].iter().enumerate() {
        let row = &snap.balances[i * 5..i * 5 + 5];
        assert!(row.iter().all(|b| b.account == *account));
        assert!(row[0].token.is_none() && row[0].amount.expect("eth") > U256::ZERO);
        assert_eq!(row[1].amount, Some(U256::from(1000u64) * U256::from(10u64).pow(U256::from(18))), "STORE");
        assert_eq!(row[2].amount, Some(U256::from(1_000_000_000u64)), "tUSD: 1000 with 6 decimals");
        assert_eq!((row[3].amount, row[4].amount), (None, None), "a bad token fails alone");
    }

    // Chunked: 3 calls per aggregate3, all pinned to the first chunk's block.
    let chunked = balance::sync(&client, &accounts[..5], &tokens, SyncOptions { max_calls: 4 }).await.expect("chunked");
    assert_eq!(chunked.requests, 9, "25 balances / 3 per request");
    assert_eq!((chunked.balances.clone(), chunked.block_number), (snap.balances.clone(), snap.block_number));

    // No Multicall3 on the network: one JSON-RPC batch gives the same balances.
    let mut plain = client.clone();
    plain.network.multicall3 = None;
    let batched = balance::sync(&plain, &accounts[..5], &tokens, SyncOptions::default()).await.expect("batch");
    assert_eq!(batched.balances, snap.balances);
    // A network that claims Multicall3 at an address without code: detected, batch used.
    let mut claimed = client.clone();
    claimed.network.multicall3 = Some(Address::repeat_byte(0x11));
    let fallback = balance::sync(&claimed, &accounts[..5], &tokens, SyncOptions::default()).await.expect("fallback");
    assert_eq!(fallback.balances, snap.balances);

    // Refresh stores; with the RPC gone, the cached balances come back with their age and the reason.
    let mut db = Db::open_in_memory().expect("db");
    let live = balance::refresh(Ok(&client), devnet::CHAIN_ID, &mut db, &accounts[..2], &tokens[..2], 1000)
        .await
        .expect("refresh");
    assert!(live.live && live.error.is_none());
    assert_eq!(live.balances.len(), 6);
    chain.stop();
    let offline = balance::refresh(Ok(&client), devnet::CHAIN_ID, &mut db, &accounts[..2], &tokens[..2], 1060)
        .await
        .expect("offline");
    assert!(!offline.live);
    assert_eq!(offline.error_code, Some("rpc_unavailable"));
    assert_eq!(offline.balances, live.balances, "the last known balances, with fetched_at = 1000");
    assert!(offline.balances.iter().all(|b| b.fetched_at == 1000));
}

#[tokio::test(flavor = "multi_thread")]
async fn discovery_finds_token_only_accounts_and_stops_after_twenty_unused() {
    use alloy::network::EthereumWallet;
    use alloy::providers::ProviderBuilder;
    use wallet_core::derivation::{AccountScheme, derive_accounts};
    use wallet_core::discovery::discover;
    use wallet_core::{RecoveryPhrase, SecretString};

    let chain = Devnet::start(devnet::default_anvil_path()).await.expect("devnet");
    let client = network::connect(&Network::devnet(&chain.info().rpc_url).expect("net")).await.expect("connect");
    let seed = RecoveryPhrase::parse(devnet::DEV_PHRASE).expect("phrase").to_seed(&SecretString::default());
    let tokens = [devnet::STORE_TOKEN, devnet::STABLE_TOKEN];

    // anvil gives accounts 0-9 ether: 10 used, then 20 unused end the scan.
    let mut progress = Vec::new();
    let found =
        discover(&client, &seed, AccountScheme::Bip44, &tokens, 1000, |scanned, used| progress.push((scanned, used)))
            .await
            .expect("discover");
    assert_eq!(found.used, (0..10).collect::<Vec<_>>());
    assert_eq!((found.accounts, found.scanned), (10, 40));
    assert_eq!(found.requests, 4, "two requests per window of 20");
    assert_eq!(progress, [(20, 10), (40, 10)]);

    // Account 25 receives only STORE (no ether, no nonce): it is found, and the scan goes on past it.
    let a25 = derive_accounts(&seed, AccountScheme::Bip44, 25, 1).expect("derive")[0].address;
    let sender = wallet_core::signer::signer_at(&seed, &AccountScheme::Bip44.path(0).expect("p")).expect("signer");
    let provider = ProviderBuilder::new()
        .wallet(EthereumWallet::from(sender))
        .connect_http(chain.info().rpc_url.parse().expect("url"));
    TenderToken::new(devnet::STORE_TOKEN, &provider)
        .transfer(a25, U256::from(1))
        .send()
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    let found = discover(&client, &seed, AccountScheme::Bip44, &tokens, 1000, |_, _| {}).await.expect("discover");
    assert_eq!(found.used.last(), Some(&25));
    assert_eq!((found.accounts, found.scanned), (26, 60));
    let capped = discover(&client, &seed, AccountScheme::Bip44, &tokens, 5, |_, _| {}).await.expect("capped");
    assert_eq!((capped.accounts, capped.scanned), (5, 5));
    chain.stop();
}
