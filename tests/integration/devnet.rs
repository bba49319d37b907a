//! The dev chain on a real anvil: fixed addresses, funding, Multicall3, and the token's EIP-2612
//! permit and EIP-3009 authorizations, signed by Tender's own EIP-712 code. Plus the artifact check.

use std::process::Command;

use alloy::network::EthereumWallet;
use alloy::primitives::{B256, U256};
use alloy::providers::{Provider, ProviderBuilder};
use tender_devtools::devnet::{self, Devnet, TenderToken};
use wallet_core::keys::signer::{self};

use crate::dev_signer;

fn typed(
    primary: &str,
    fields: &str,
    domain: &serde_json::Value,
    message: serde_json::Value,
) -> alloy::dyn_abi::TypedData {
    let json = serde_json::json!({
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"}, {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
            primary: serde_json::from_str::<serde_json::Value>(fields).expect("fields"),
        },
        "primaryType": primary,
        "domain": domain,
        "message": message,
    });
    signer::parse_typed_data(&json.to_string()).expect("typed data")
}

#[tokio::test(flavor = "multi_thread")]
async fn devnet_has_the_tokens_and_they_support_permit_and_eip3009() {
    let chain = Devnet::start(devnet::default_anvil_path()).await.expect("devnet (run scripts/setup.sh)");
    let info = chain.info().clone();
    let json = serde_json::to_value(&info).expect("json");
    let symbols: Vec<_> = json["tokens"].as_object().expect("tokens").keys().cloned().collect();
    assert_eq!(symbols, ["STORE", "tUSD"], "the store token first");
    assert_eq!(json["chain_id"], 31337);
    assert!(info.rpc_url.starts_with("http://127.0.0.1:"));

    let shopper = dev_signer(0);
    let merchant = dev_signer(1);
    let relayer = dev_signer(7);
    let provider = ProviderBuilder::new()
        .wallet(EthereumWallet::from(relayer.clone()))
        .connect_http(info.rpc_url.parse().expect("url"));
    assert_eq!(provider.get_chain_id().await.expect("chain id"), devnet::CHAIN_ID);
    assert!(!provider.get_code_at(devnet::MULTICALL3).await.expect("code").is_empty());
    assert_eq!(
        provider.get_transaction_count(shopper.address()).await.expect("nonce"),
        0,
        "shopper accounts stay unused"
    );

    for t in &devnet::TOKENS {
        let token = TenderToken::new(t.address, &provider);
        assert_eq!(token.symbol().call().await.expect("symbol"), t.symbol);
        assert_eq!(token.decimals().call().await.expect("decimals"), t.decimals);
        let unit = U256::from(10u64).pow(U256::from(t.decimals));
        for i in 0..devnet::FUNDED_ACCOUNTS as u32 {
            assert_eq!(token.balanceOf(dev_signer(i).address()).call().await.expect("bal"), U256::from(1000) * unit);
        }
        assert_eq!(token.balanceOf(dev_signer(5).address()).call().await.expect("bal"), U256::ZERO);
    }

    let store = TenderToken::new(devnet::STORE_TOKEN, &provider);
    let domain = serde_json::json!({"name": "Store Credit", "version": "1", "chainId": 31337, "verifyingContract": devnet::STORE_TOKEN});

    // EIP-2612: the shopper signs a permit; the relayer submits it; the allowance appears.
    let value = U256::from(25u64) * U256::from(10u64).pow(U256::from(18));
    let permit = typed(
        "Permit",
        r#"[{"name":"owner","type":"address"},{"name":"spender","type":"address"},{"name":"value","type":"uint256"},{"name":"nonce","type":"uint256"},{"name":"deadline","type":"uint256"}]"#,
        &domain,
        serde_json::json!({"owner": shopper.address(), "spender": merchant.address(), "value": value.to_string(), "nonce": "0", "deadline": "99999999999"}),
    );
    let sig = signer::sign_typed_data(&shopper, &permit).expect("sign permit");
    store
        .permit(
            shopper.address(),
            merchant.address(),
            value,
            U256::from(99_999_999_999u64),
            27 + sig.v() as u8,
            sig.r().into(),
            sig.s().into(),
        )
        .send()
        .await
        .expect("send permit")
        .get_receipt()
        .await
        .expect("receipt");
    assert_eq!(store.allowance(shopper.address(), merchant.address()).call().await.expect("allowance"), value);

    // EIP-3009: the shopper authorizes a payment; anyone submits it once; a replay is refused.
    let nonce = B256::repeat_byte(0x42);
    let amount = U256::from(7u64) * U256::from(10u64).pow(U256::from(18));
    let auth = typed(
        "TransferWithAuthorization",
        r#"[{"name":"from","type":"address"},{"name":"to","type":"address"},{"name":"value","type":"uint256"},{"name":"validAfter","type":"uint256"},{"name":"validBefore","type":"uint256"},{"name":"nonce","type":"bytes32"}]"#,
        &domain,
        serde_json::json!({"from": shopper.address(), "to": merchant.address(), "value": amount.to_string(), "validAfter": "0", "validBefore": "99999999999", "nonce": nonce}),
    );
    let sig = signer::sign_typed_data(&shopper, &auth).expect("sign authorization");
    let before = store.balanceOf(merchant.address()).call().await.expect("bal");
    let call = store.transferWithAuthorization(
        shopper.address(),
        merchant.address(),
        amount,
        U256::ZERO,
        U256::from(99_999_999_999u64),
        nonce,
        27 + sig.v() as u8,
        sig.r().into(),
        sig.s().into(),
    );
    call.send().await.expect("send").get_receipt().await.expect("receipt");
    assert_eq!(store.balanceOf(merchant.address()).call().await.expect("bal"), before + amount);
    assert!(store.authorizationState(shopper.address(), nonce).call().await.expect("state"));
    assert!(call.call().await.is_err(), "an authorization cannot be used twice");
    // receiveWithAuthorization may only be submitted by the payee.
    let receive = store.receiveWithAuthorization(
        shopper.address(),
        merchant.address(),
        amount,
        U256::ZERO,
        U256::from(99_999_999_999u64),
        B256::repeat_byte(0x43),
        27,
        B256::ZERO,
        B256::ZERO,
    );
    assert!(receive.call().await.is_err(), "a third party cannot submit receiveWithAuthorization");
    chain.stop();
}

#[test]
fn committed_contract_artifacts_match_the_sources() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new("node").arg(root.join("contracts/build.mjs")).arg("--check").output().expect("node");
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

/// A dev chain leaves nothing on disk: anvil wrote each state it no longer kept in memory to
/// ~/.foundry/anvil/tmp (about 150 KB a block) and left it there when stopped; the scale benchmark's
/// chains filled the disk with 52 GB of them.
#[tokio::test(flavor = "multi_thread")]
async fn a_dev_chain_leaves_no_states_on_disk() {
    use alloy::providers::ext::AnvilApi;
    let states = std::path::PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".foundry/anvil/tmp");
    let listing = || -> std::collections::BTreeSet<std::ffi::OsString> {
        std::fs::read_dir(&states)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.file_name())).collect())
            .unwrap_or_default()
    };
    let chain = crate::DevChain::start(false).await;
    let before = listing();
    chain.client.provider.anvil_mine(Some(600), None).await.expect("mine");
    let written: Vec<_> = listing().difference(&before).cloned().collect();
    chain.stop();
    assert!(written.is_empty(), "anvil wrote states to {}: {written:?}", states.display());
}

/// The demo's dev chain makes a block every couple of seconds, like a real network, so that its
/// clock moves on while nobody pays (an automine chain's stands still: see `decides.rs`).
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_chain_makes_a_block_every_two_seconds() {
    let chain = Devnet::start_mining(devnet::default_anvil_path(), devnet::DEMO_MINING).await.expect("devnet");
    let provider = ProviderBuilder::new().connect_http(chain.info().rpc_url.parse().expect("url"));
    let first = provider.get_block_number().await.expect("head");
    tokio::time::sleep(std::time::Duration::from_millis(4500)).await;
    let later = provider.get_block_number().await.expect("head");
    assert!((first + 2..=first + 3).contains(&later), "blocks {first} then {later} after 4.5 s");
    chain.stop();
}
