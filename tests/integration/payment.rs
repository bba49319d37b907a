//! Paying checkout requests on a real anvil dev chain, including the faults: a lost answer after
//! broadcast (retry sends the same hash, no second transfer), a node down before broadcast, a
//! reverted payment, insufficient funds, chain mismatch, duplicates, hostile RPC answers.

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use tender_devtools::devnet::{self, TenderToken};
use wallet_core::Blocker;
use wallet_core::chain::balance::{self, SyncOptions};
use wallet_core::chain::network::ChainClient;
use wallet_core::chain::token::builtin_tokens;
use wallet_core::pay::payment::{self, Tracking, Warning};
use wallet_core::pay::request::parse;
use wallet_core::store::{Db, PaymentStatus};
use wallet_core::vault::keyring::MemoryStore;
use wallet_core::vault::{KdfParams, VaultSecret};
use wallet_core::{Error, RecoveryPhrase, StoreKind, Wallet, WalletOptions};

use crate::DevChain;
use crate::proxy::Mode;

const STORE: &str = "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35";

pub(crate) fn fast() -> Tracking {
    Tracking {
        poll: std::time::Duration::from_millis(50),
        timeout: std::time::Duration::from_secs(10),
        replaced_after: std::time::Duration::from_secs(1),
        retry_for: std::time::Duration::from_secs(1),
    }
}

pub(crate) fn dev_wallet(dir: &std::path::Path) -> Wallet {
    let secret =
        VaultSecret { phrase: RecoveryPhrase::parse(devnet::DEV_PHRASE).expect("phrase"), passphrase: "".into() };
    let options = WalletOptions {
        store: StoreKind::Memory,
        kdf: KdfParams::INSECURE_TEST_ONLY,
        accounts: 3,
        ..WalletOptions::default()
    };
    Wallet::create_in(dir, Box::new(MemoryStore::new()), secret, &"correct horse battery".into(), &options)
        .expect("wallet")
}

pub(crate) async fn store_balance(client: &ChainClient, who: Address) -> U256 {
    TenderToken::new(devnet::STORE_TOKEN, &client.provider).balanceOf(who).call().await.expect("balance")
}

pub(crate) fn units(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

#[tokio::test(flavor = "multi_thread")]
async fn pays_token_and_ether_requests_exactly_once() {
    let chain = DevChain::start(false).await;
    let client = &chain.client;
    let tmp = tempfile::tempdir().expect("tmp");
    let wallet = dev_wallet(tmp.path());
    let mut db = Db::open_in_memory().expect("db");
    let tokens = builtin_tokens(devnet::CHAIN_ID);
    let shopper = wallet.info().accounts[0].address;
    let merchant = Address::repeat_byte(0x42);

    let request = parse(&format!(
        "ethereum:{STORE}@31337/transfer?address={merchant}&uint256=12.5e18&label=Corner%20Shop&order=A-17"
    ))
    .expect("uri");
    let quote = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    assert_eq!((quote.payee, quote.amount_display.as_str(), quote.symbol.as_str()), (merchant, "12.5", "STORE"));
    assert_eq!(quote.tx.to, Some(devnet::STORE_TOKEN), "the transaction calls the token...");
    assert_eq!(quote.tx.value, U256::ZERO, "...sends no ether...");
    assert!(quote.tx.input.len() == 68 && quote.tx.input[16..36] == merchant.0[..], "...and pays the merchant");
    assert!(quote.warnings.is_empty() && quote.max_network_fee > U256::ZERO);
    assert_eq!((quote.merchant.as_deref(), quote.order.as_deref()), (Some("Corner Shop"), Some("A-17")));

    let before = store_balance(client, shopper).await;
    let paid = payment::pay(client, &mut db, &wallet, 0, &quote, false, fast()).await.expect("pay");
    assert_eq!(paid.status, PaymentStatus::Confirmed);
    assert_eq!(store_balance(client, merchant).await, units(25) / U256::from(2));
    assert_eq!(store_balance(client, shopper).await, before - units(25) / U256::from(2));
    assert_eq!(db.payment(&paid.tx_hash).expect("db").expect("stored").status, PaymentStatus::Confirmed);

    // The same request again: flagged, refused without an explicit override.
    let again = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    assert!(
        matches!(again.warnings.as_slice(), [Warning::ProbableDuplicate { tx_hash, .. }] if *tx_hash == paid.tx_hash)
    );
    assert!(matches!(
        payment::pay(client, &mut db, &wallet, 0, &again, false, fast()).await,
        Err(Error::ProbableDuplicate { .. })
    ));
    assert_eq!(store_balance(client, merchant).await, units(25) / U256::from(2), "no second transfer");
    let second =
        payment::pay(client, &mut db, &wallet, 0, &again, true, fast()).await.expect("explicit second payment");
    assert_ne!(second.tx_hash, paid.tx_hash);
    assert_eq!(store_balance(client, merchant).await, units(25));

    // Ether, with an exact scientific-notation amount.
    let ether = parse(&format!("ethereum:{merchant}@31337?value=1.5e18")).expect("uri");
    let q = payment::quote(client, &db, shopper, &ether, None, &tokens).await.expect("quote");
    assert_eq!((q.tx.to, q.tx.value, q.tx.input.len()), (Some(merchant), units(3) / U256::from(2), 0));
    payment::pay(client, &mut db, &wallet, 0, &q, false, fast()).await.expect("pay ether");
    assert_eq!(client.provider.get_balance(merchant).await.expect("bal"), units(3) / U256::from(2));
    chain.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn refuses_what_cannot_be_paid_as_asked() {
    let chain = DevChain::start(false).await;
    let client = &chain.client;
    let db = Db::open_in_memory().expect("db");
    let tokens = builtin_tokens(devnet::CHAIN_ID);
    let shopper: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".parse().expect("a");
    let poor: Address = "0x976EA74026E726554dB657fA54763abd0C3a0aa9".parse().expect("account 6: ether, no tokens");
    let m = Address::repeat_byte(0x42);
    let code = |r: Result<payment::Quote, Error>| r.err().map(|e| e.code().as_str()).unwrap_or("ok");
    let q = |uri: String, from: Address| {
        let (client, db, tokens) = (&client, &db, &tokens);
        async move { payment::quote(client, db, from, &parse(&uri).expect("uri"), None, tokens).await }
    };
    assert_eq!(code(q(format!("ethereum:{STORE}@1/transfer?address={m}&uint256=1"), shopper).await), "chain_mismatch");
    assert_eq!(
        code(q(format!("ethereum:{STORE}/transfer?address={m}&uint256=1e30"), shopper).await),
        "insufficient_funds"
    );
    assert_eq!(code(q(format!("ethereum:{STORE}/transfer?address={m}&uint256=1"), poor).await), "insufficient_funds");
    assert_eq!(code(q(format!("ethereum:{m}?value=1e30"), shopper).await), "insufficient_funds");
    assert_eq!(code(q(format!("ethereum:{m}?value=1&expires=1000"), shopper).await), "request_expired");
    assert_eq!(code(q("ethereum:shop.eth?value=1".into(), shopper).await), "ens_unsupported");
    assert_eq!(code(q(format!("ethereum:{m}"), shopper).await), "amount_missing");
    assert_eq!(code(q(format!("ethereum:{m}@31337/transfer?address={m}&uint256=1"), shopper).await), "not_a_token");
    // Tokens but no ether for the network fee: refused, naming the fee currency.
    let token_only = Address::repeat_byte(0x0d);
    chain.send_store(0, token_only, units(5)).await;
    match payment::quote(
        client,
        &db,
        token_only,
        &parse(&format!("ethereum:{STORE}/transfer?address={m}&uint256=1e18")).expect("uri"),
        None,
        &tokens,
    )
    .await
    {
        // Said plainly: the shop asks for an on-chain payment, whose fee needs ETH (not "insufficient funds").
        Err(Error::Blocked(Blocker::NeedsNativeForFee { symbol, available, .. })) => {
            assert_eq!((symbol.as_str(), available.as_str()), ("ETH", "0"), "the fee is what is missing")
        }
        other => panic!("expected: needs ETH for the fee, got {other:?}"),
    }
    // A token not on the list: its decimals are read from the chain and it is flagged unverified.
    let unlisted: Vec<_> = tokens.iter().filter(|t| t.symbol != "tUSD").cloned().collect();
    let quote = payment::quote(
        client,
        &db,
        shopper,
        &parse(&format!("ethereum:{}/transfer?address={m}&uint256=2500000", devnet::STABLE_TOKEN)).expect("uri"),
        None,
        &unlisted,
    )
    .await
    .expect("quote");
    assert_eq!((quote.amount_display.as_str(), quote.symbol.as_str()), ("2.5", "tUSD"));
    assert!(matches!(quote.warnings.as_slice(), [Warning::UnverifiedToken { .. }]));
    assert!(quote.token.as_ref().is_some_and(|t| !t.verified && t.decimals == 6));
    chain.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_broadcast_answer_is_retried_with_the_same_transaction() {
    let chain = DevChain::start(true).await;
    let (client, proxy) = (&chain.client, chain.proxy());
    let tmp = tempfile::tempdir().expect("tmp");
    let wallet = dev_wallet(tmp.path());
    let mut db = Db::open_in_memory().expect("db");
    let tokens = builtin_tokens(devnet::CHAIN_ID);
    let shopper = wallet.info().accounts[1].address;
    let merchant = Address::repeat_byte(0x77);
    let request = parse(&format!("ethereum:{STORE}/transfer?address={merchant}&uint256=3e18")).expect("uri");

    // The node receives the transaction, but its answer is lost: a transport failure, retried on its
    // own within a short window, and the receipt shows the very transaction went through.
    let quote = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    proxy.set(Mode::LoseBroadcastAnswer);
    let sent = payment::pay(client, &mut db, &wallet, 1, &quote, false, fast()).await.expect("confirmed on chain");
    let stored = db.payments(devnet::CHAIN_ID, shopper).expect("db");
    assert_eq!(stored.len(), 1, "signed and stored before broadcast, once");
    let hash = stored[0].tx_hash;
    assert_eq!((sent.tx_hash, sent.status), (hash, PaymentStatus::Confirmed));
    assert_eq!(store_balance(client, merchant).await, units(3), "paid exactly once");
    proxy.set(Mode::Forward);
    assert!(payment::resume(client, &mut db, fast()).await.expect("resume").is_empty(), "nothing left to send");
    // Paying the request again finds the payment instead of paying twice.
    let again = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    assert!(
        matches!(payment::pay(client, &mut db, &wallet, 1, &again, false, fast()).await, Err(Error::ProbableDuplicate { tx_hash }) if tx_hash == hash)
    );

    // Node down before the broadcast: the signed transaction waits in the database, then goes out.
    let request2 = parse(&format!("ethereum:{STORE}/transfer?address={merchant}&uint256=1e18&order=B-2")).expect("uri");
    let quote2 = payment::quote(client, &db, shopper, &request2, None, &tokens).await.expect("quote");
    proxy.set(Mode::DropBroadcast);
    assert!(payment::pay(client, &mut db, &wallet, 1, &quote2, false, fast()).await.is_err());
    let waiting = db.unfinished_payments(devnet::CHAIN_ID).expect("db");
    assert_eq!((waiting.len(), waiting[0].status), (1, PaymentStatus::Signed));
    // Meanwhile, paying the same request again resumes the stored transaction (same hash).
    proxy.set(Mode::Forward);
    let quote3 = payment::quote(client, &db, shopper, &request2, None, &tokens).await.expect("quote");
    let done = payment::pay(client, &mut db, &wallet, 1, &quote3, false, fast()).await.expect("resumed via pay");
    assert_eq!((done.tx_hash, done.status), (waiting[0].tx_hash, PaymentStatus::Confirmed));
    assert_eq!(store_balance(client, merchant).await, units(4));
    chain.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_that_reverts_on_chain_is_reported_failed() {
    let chain = DevChain::start(false).await;
    let client = &chain.client;
    let tmp = tempfile::tempdir().expect("tmp");
    let wallet = dev_wallet(tmp.path());
    let mut db = Db::open_in_memory().expect("db");
    let shopper_signer = wallet.signer(2).expect("signer");
    let shopper = shopper_signer.address();
    let merchant = Address::repeat_byte(0x55);
    let request = parse(&format!("ethereum:{STORE}/transfer?address={merchant}&uint256=600e18")).expect("uri");
    let quote =
        payment::quote(client, &db, shopper, &request, None, &builtin_tokens(devnet::CHAIN_ID)).await.expect("quote");

    // Before the payment lands, the shopper's tokens move elsewhere without using the shopper's nonce
    // (an EIP-3009 authorization submitted by a relayer), so the quoted transfer now reverts.
    let provider = chain.provider_for(1);
    let store = TenderToken::new(devnet::STORE_TOKEN, &provider);
    let json = serde_json::json!({
        "types": {"EIP712Domain": [{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                  "TransferWithAuthorization": [{"name":"from","type":"address"},{"name":"to","type":"address"},{"name":"value","type":"uint256"},{"name":"validAfter","type":"uint256"},{"name":"validBefore","type":"uint256"},{"name":"nonce","type":"bytes32"}]},
        "primaryType": "TransferWithAuthorization",
        "domain": {"name": "Store Credit", "version": "1", "chainId": 31337, "verifyingContract": STORE},
        "message": {"from": shopper, "to": Address::repeat_byte(0x99), "value": units(900).to_string(), "validAfter": "0", "validBefore": "99999999999", "nonce": B256::repeat_byte(1)},
    });
    let sig = wallet_core::keys::signer::sign_typed_data(
        &shopper_signer,
        &wallet_core::keys::signer::parse_typed_data(&json.to_string()).expect("typed"),
    )
    .expect("sign");
    store
        .transferWithAuthorization(
            shopper,
            Address::repeat_byte(0x99),
            units(900),
            U256::ZERO,
            U256::from(99_999_999_999u64),
            B256::repeat_byte(1),
            27 + sig.v() as u8,
            sig.r().into(),
            sig.s().into(),
        )
        .send()
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");

    let result = payment::pay(client, &mut db, &wallet, 2, &quote, false, fast()).await.expect("tracked");
    assert_eq!(result.status, PaymentStatus::Failed);
    assert!(result.error.as_deref().is_some_and(|e| e.contains("reverted")));
    assert_eq!(store_balance(client, merchant).await, U256::ZERO, "nothing was paid");
    chain.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_rpc_answers_are_errors_and_the_cache_stays() {
    let chain = DevChain::start(true).await;
    let (client, proxy) = (&chain.client, chain.proxy());
    let accounts: Vec<Address> = vec!["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".parse().expect("a")];
    let tokens = [devnet::STORE_TOKEN];
    let mut db = Db::open_in_memory().expect("db");
    let good = balance::refresh(Ok(client), devnet::CHAIN_ID, &mut db, &accounts, &tokens, 10).await.expect("live");
    assert!(good.live);
    for (mode, expected) in [
        (Mode::GarbageCalls, "bad_rpc_response"),
        (Mode::AbsurdCalls, "bad_rpc_response"),
        (Mode::Down, "rpc_unavailable"),
    ] {
        proxy.set(mode);
        let direct = balance::sync(client, &accounts, &tokens, SyncOptions::default()).await;
        let e = direct.expect_err("a bad answer");
        assert_eq!(e.code().as_str(), expected, "{mode:?}");
        // Issue 19: an unreadable answer is "the network sent an invalid answer", with none of its body.
        assert!(!e.to_string().contains("support") && !e.to_string().contains("jsonrpc"), "{mode:?}: {e}");
        let shown =
            balance::refresh(Ok(client), devnet::CHAIN_ID, &mut db, &accounts, &tokens, 20).await.expect("cached");
        assert!(!shown.live, "{mode:?}");
        assert_eq!(shown.balances, good.balances, "{mode:?}: the last good balances stay");
    }
    chain.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_merchant_sees_exactly_one_payment_per_order() {
    use tender_devtools::merchant::{Merchant, OrderState, check_orders};
    let chain = DevChain::start(false).await;
    let client = &chain.client;
    let tmp = tempfile::tempdir().expect("tmp");
    let wallet = dev_wallet(tmp.path());
    let mut db = Db::open_in_memory().expect("db");
    let tokens = builtin_tokens(devnet::CHAIN_ID);
    let shopper = wallet.info().accounts[0].address;

    let shop_seed = RecoveryPhrase::generate(12, wallet_core::Language::English).expect("phrase").to_seed(&"".into());
    let mut shop = Merchant::new(shop_seed, "Corner Shop", 0);
    let orders = vec![
        shop.new_order("A-1", devnet::CHAIN_ID, Some(devnet::STORE_TOKEN), units(10)).expect("order"),
        shop.new_order("A-2", devnet::CHAIN_ID, Some(devnet::STORE_TOKEN), units(10))
            .expect("same amount, other order"),
        shop.new_order("A-3", devnet::CHAIN_ID, Some(devnet::STABLE_TOKEN), U256::from(4_990_000u64)).expect("order"),
        shop.new_order("A-4", devnet::CHAIN_ID, None, units(1) / U256::from(4)).expect("ether order"),
    ];
    let mut deposits: Vec<_> = orders.iter().map(|o| o.deposit).collect();
    deposits.dedup();
    assert_eq!(deposits.len(), 4, "one deposit address per order");
    let states = |s: Vec<tender_devtools::merchant::OrderStatus>| s.iter().map(|o| o.state).collect::<Vec<_>>();
    let first = check_orders(client, &orders).await.expect("check");
    assert_eq!(first.requests, 1, "one eth_call for all the orders");
    assert_eq!(states(first.statuses), [OrderState::Unpaid; 4]);

    // The shopper pays orders 2, 3 and 4 from their QR links; order 1 gets half first.
    for order in &orders[1..] {
        let request = parse(&order.uri()).expect("order link parses");
        let quote = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
        assert_eq!(quote.payee, order.deposit);
        payment::pay(client, &mut db, &wallet, 0, &quote, false, fast()).await.expect("pay");
    }
    let half = parse(&format!("ethereum:{STORE}/transfer?address={}&uint256=5e18", orders[0].deposit)).expect("uri");
    let quote = payment::quote(client, &db, shopper, &half, None, &tokens).await.expect("quote");
    payment::pay(client, &mut db, &wallet, 0, &quote, false, fast()).await.expect("pay half");
    let status = check_orders(client, &orders).await.expect("check").statuses;
    assert_eq!(states(status.clone()), [OrderState::Underpaid, OrderState::Paid, OrderState::Paid, OrderState::Paid]);
    assert_eq!(status[0].received, units(5));
    assert_eq!(status[1].received, units(10), "exactly the amount, no more");
    assert!(status.iter().all(|s| s.block_number == status[0].block_number));
    chain.stop();
}

/// ENS where the network has it. The dev chain has no ENS contracts, so the test places a mock
/// Universal Resolver (contracts/src/MockUniversalResolver.sol, same interface and errors) at the
/// canonical address, and runs the real resolution path (alloy's ENS client) against it.
#[tokio::test(flavor = "multi_thread")]
async fn ens_names_resolve_where_the_network_has_ens() {
    use alloy::providers::ext::AnvilApi;
    let chain = DevChain::start(false).await;
    let mut client = chain.client.clone();
    let db = Db::open_in_memory().expect("db");
    let shopper: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".parse().expect("a");
    let request = parse("ethereum:Shop.eth?value=1e15").expect("uri");

    let without = payment::quote(&client, &db, shopper, &request, None, &[]).await;
    assert_eq!(
        without.err().map(|e| e.code().as_str()),
        Some("ens_unsupported"),
        "no ENS on this network: a clear error"
    );

    let artifact: serde_json::Value =
        serde_json::from_str(include_str!("../../contracts/out/MockUniversalResolver.json")).expect("artifact");
    let code: alloy::primitives::Bytes =
        artifact["deployedBytecode"]["object"].as_str().expect("code").parse().expect("hex");
    let shop = Address::repeat_byte(0x5e);
    client.provider.anvil_set_code(alloy::ens::UNIVERSAL_RESOLVER_ADDRESS, code).await.expect("code");
    let node = alloy::ens::namehash("shop.eth");
    let slot = alloy::primitives::keccak256([node.as_slice(), &[0u8; 32]].concat());
    client
        .provider
        .anvil_set_storage_at(alloy::ens::UNIVERSAL_RESOLVER_ADDRESS, slot.into(), shop.into_word())
        .await
        .expect("storage");
    client.network.ens = true;

    let quote = payment::quote(&client, &db, shopper, &request, None, &[]).await.expect("resolved");
    assert_eq!((quote.payee, quote.payee_name.as_deref()), (shop, Some("shop.eth")));
    assert_eq!(quote.tx.to, Some(shop));
    let unknown =
        payment::quote(&client, &db, shopper, &parse("ethereum:nobody.eth?value=1").expect("uri"), None, &[]).await;
    assert_eq!(unknown.err().map(|e| e.code().as_str()), Some("ens_not_found"));
    chain.stop();
}

/// A signed payment that never made it out, whose nonce another transaction then used: on resume it
/// is reported replaced (not paid), and nothing is paid twice.
#[tokio::test(flavor = "multi_thread")]
async fn a_payment_whose_nonce_was_used_elsewhere_is_reported_replaced() {
    let chain = DevChain::start(true).await;
    let (client, proxy) = (&chain.client, chain.proxy());
    let tmp = tempfile::tempdir().expect("tmp");
    let wallet = dev_wallet(tmp.path());
    let mut db = Db::open_in_memory().expect("db");
    let merchant = Address::repeat_byte(0x66);
    let shopper = wallet.info().accounts[2].address;
    let request = parse(&format!("ethereum:{STORE}/transfer?address={merchant}&uint256=2e18")).expect("uri");
    let quote =
        payment::quote(client, &db, shopper, &request, None, &builtin_tokens(devnet::CHAIN_ID)).await.expect("quote");
    proxy.set(Mode::DropBroadcast);
    assert!(payment::pay(client, &mut db, &wallet, 2, &quote, false, fast()).await.is_err());

    // Another wallet holding the same phrase spends that nonce first.
    let provider = chain.provider_for(2);
    let other = alloy::rpc::types::TransactionRequest::default()
        .to(Address::repeat_byte(0x01))
        .value(U256::from(1))
        .nonce(quote.tx.nonce);
    provider.send_transaction(other).await.expect("send").get_receipt().await.expect("receipt");

    proxy.set(Mode::Forward);
    // Sent again: the node refuses it (its nonce is used). Not final on one look: the chain decides
    // once the nonce has stayed used by another transaction for `replaced_after`.
    let refused = payment::resume(client, &mut db, fast()).await.expect_err("the node refuses it");
    assert_eq!(refused.code().as_str(), "rejected");
    let hash = db.payments(devnet::CHAIN_ID, shopper).expect("db")[0].tx_hash;
    assert_eq!(db.payment(&hash).expect("db").expect("kept").status, PaymentStatus::Rejected);
    tokio::time::sleep(fast().replaced_after + std::time::Duration::from_millis(1100)).await;
    let resumed = payment::refresh(client, &mut db, fast()).await.expect("refresh");
    assert_eq!(resumed.len(), 1);
    assert_eq!(resumed[0].status, PaymentStatus::Replaced);
    assert!(resumed[0].error.as_deref().is_some_and(|e| e.contains("same nonce")));
    assert_eq!(store_balance(client, merchant).await, U256::ZERO, "the replaced payment paid nothing");
    assert!(db.unfinished_payments(devnet::CHAIN_ID).expect("db").is_empty());
    chain.stop();
}
