//! The payment-integrity audit's findings, each as a test that failed before its fix: a hostile or
//! failing node (the proxy in `proxy.rs`, in front of a real anvil) and hostile token contracts on
//! the dev chain (`contracts/src/HostileTokens.sol`) can never make Tender sign more than the
//! shopper approved, pay without consent, or pay twice.

use std::time::{Duration, Instant};

use alloy::primitives::{Address, U256};
use tender_devtools::devnet;
use wallet_core::chain::balance;
use wallet_core::chain::network::{self, Limits, Network};
use wallet_core::chain::token::builtin_tokens;
use wallet_core::pay::payment::{self, FeePolicy, Tracking, Warning};
use wallet_core::pay::request::parse;
use wallet_core::store::{Db, PaymentStatus};
use wallet_core::{Blocker, Error};

use crate::DevChain;
use crate::payment::{dev_wallet, fast, store_balance, units};
use crate::proxy::Mode;

const STORE: &str = "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35";

alloy::sol!(
    #[sol(rpc)]
    #[allow(missing_docs)]
    FalseToken,
    "../contracts/out/FalseToken.json"
);
alloy::sol!(
    #[sol(rpc)]
    #[allow(missing_docs)]
    SneakyToken,
    "../contracts/out/SneakyToken.json"
);
alloy::sol!(
    #[sol(rpc)]
    #[allow(missing_docs)]
    FeeToken,
    "../contracts/out/FeeToken.json"
);
alloy::sol!(
    #[sol(rpc)]
    #[allow(missing_docs)]
    PhishToken,
    "../contracts/out/PhishToken.json"
);

fn shown_safely(text: &str) {
    for bad in ['\n', '\r', '\u{2028}', '\u{2029}', '\u{202e}', '\u{2066}', '\u{3164}', '\u{200b}'] {
        assert!(!text.contains(bad), "{bad:?} reached the screen: {text:?}");
    }
    assert!(text.chars().count() <= 300, "{} characters reached the screen", text.chars().count());
}

/// Finding 1: against a node answering `eth_estimateGas` = 30 000 000 and fees of 10^16 wei, a
/// 0.001 ETH payment was signed allowing a fee of up to 1 080 000 ETH.
#[tokio::test(flavor = "multi_thread")]
async fn absurd_gas_and_fees_are_bounded_before_anything_is_signed() {
    let chain = DevChain::start(true).await;
    let (client, proxy) = (&chain.client, chain.proxy());
    let db = Db::open_in_memory().expect("db");
    let tokens = builtin_tokens(devnet::CHAIN_ID);
    let shopper: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".parse().expect("a");
    let m = Address::repeat_byte(0x42);
    let ether = parse(&format!("ethereum:{m}?value=1e15")).expect("uri");
    let token = parse(&format!("ethereum:{STORE}/transfer?address={m}&uint256=1e18")).expect("uri");
    let policy = FeePolicy::for_network(&client.network);

    proxy.set(Mode::AbsurdGas);
    let q = payment::quote(client, &db, shopper, &ether, None, &tokens).await.expect("quote");
    assert_eq!(q.tx.gas, payment::PLAIN_TRANSFER_GAS, "a plain transfer costs 21 000 gas, whatever the node says");
    let e = payment::quote(client, &db, shopper, &token, None, &tokens).await.expect_err("absurd gas");
    assert!(matches!(e, Error::Blocked(Blocker::GasTooHigh { gas: 30_000_000, .. })), "{e:?}");

    proxy.set(Mode::AbsurdFees);
    for request in [&ether, &token] {
        let e = payment::quote(client, &db, shopper, request, None, &tokens).await.expect_err("absurd fees");
        assert_eq!(e.code().as_str(), "fee_too_high", "{e}");
    }

    proxy.set(Mode::Forward);
    let q = payment::quote(client, &db, shopper, &ether, None, &tokens).await.expect("quote");
    assert!(q.max_network_fee <= policy.max_fee && q.tx.max_fee_per_gas <= Some(policy.max_fee_per_gas));
    assert!(q.tx.max_priority_fee_per_gas <= q.tx.max_fee_per_gas);
    assert!(q.warnings.is_empty(), "{:?}", q.warnings);
    // A fee that is a large share of a small payment is said before paying.
    let tiny = parse(&format!("ethereum:{m}?value=1000")).expect("uri");
    let q = payment::quote(client, &db, shopper, &tiny, None, &tokens).await.expect("quote");
    assert!(q.warnings.iter().any(|w| matches!(w, Warning::HighFee { percent } if *percent > 100)), "{:?}", q.warnings);
    // A quote whose fee was raised after it was shown is refused at signing (its digest breaks).
    let tmp = tempfile::tempdir().expect("tmp");
    let wallet = dev_wallet(tmp.path());
    let mut tampered = payment::quote(client, &db, shopper, &ether, None, &tokens).await.expect("quote");
    tampered.tx.max_fee_per_gas = Some(policy.max_fee_per_gas);
    assert!(matches!(payment::sign(&db, &wallet, 0, &tampered, false), Err(Error::QuoteMismatch)));
    // A quote past its validity is refused at signing, whatever else it says.
    let mut stale = payment::quote(client, &db, shopper, &ether, None, &tokens).await.expect("quote");
    stale.expires_at = stale.created_at.saturating_sub(1);
    assert!(matches!(payment::sign(&db, &wallet, 0, &stale, false), Err(Error::QuoteExpired)));
    chain.stop();
}

/// Finding 2: a rejection left the payment `signed`, and merely opening the history re-broadcast it
/// later, without asking and without an expiry check. Issue 19: a refusal is not final either (the
/// signed bytes stay valid): the payment stays outstanding, reading the history still sends nothing,
/// and the person's "send again" sends the same bytes.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_payment_is_outstanding_and_reading_the_history_never_pays() {
    let chain = DevChain::start(true).await;
    let (client, proxy) = (&chain.client, chain.proxy());
    let tmp = tempfile::tempdir().expect("tmp");
    let wallet = dev_wallet(tmp.path());
    let mut db = Db::open_in_memory().expect("db");
    let tokens = builtin_tokens(devnet::CHAIN_ID);
    let shopper = wallet.info().accounts[0].address;
    let merchant = Address::repeat_byte(0x31);
    let token_list: Vec<Address> = tokens.iter().map(|t| t.address).collect();

    let request = parse(&format!("ethereum:{STORE}/transfer?address={merchant}&uint256=3e18")).expect("uri");
    let quote = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    proxy.set(Mode::RejectBroadcast);
    let refused = payment::pay(client, &mut db, &wallet, 0, &quote, false, fast()).await.expect_err("refused");
    let Error::Rejected { reason } = &refused else { panic!("{refused:?}") };
    assert!(reason.contains("insufficient funds"), "{reason}");
    assert!(refused.to_string().contains("the network said"), "labelled as the node's words: {refused}");
    let stored = db.payments(devnet::CHAIN_ID, shopper).expect("db");
    assert_eq!((stored.len(), stored[0].status), (1, PaymentStatus::Rejected));

    proxy.set(Mode::Forward);
    let before = proxy.broadcasts();
    assert_eq!(
        wallet_core::session::catch_up(client, &mut db, &[shopper], &token_list).await.map(|e| e.to_string()),
        None
    );
    assert_eq!(proxy.broadcasts(), before, "the history does not send a refused payment");
    assert_eq!(store_balance(client, merchant).await, U256::ZERO);
    assert_eq!(db.payment(&stored[0].tx_hash).expect("db").expect("kept").status, PaymentStatus::Rejected);
    let sent = payment::retry(client, &mut db, &stored[0].tx_hash, fast()).await.expect("sent on the person's word");
    assert_eq!((sent.tx_hash, sent.status), (stored[0].tx_hash, PaymentStatus::Confirmed), "the same bytes");
    assert_eq!(store_balance(client, merchant).await, units(3));

    // Node unreachable: the payment is saved, not sent; the history does not send it; the person does.
    let order = parse(&format!("ethereum:{STORE}/transfer?address={merchant}&uint256=2e18&order=Z-9")).expect("uri");
    let quote = payment::quote(client, &db, shopper, &order, None, &tokens).await.expect("quote");
    proxy.set(Mode::DropBroadcast);
    let started = Instant::now();
    let e = payment::pay(client, &mut db, &wallet, 0, &quote, false, fast()).await.expect_err("down");
    assert_eq!(e.code().as_str(), "rpc_unavailable");
    assert!(started.elapsed() < Duration::from_secs(10), "retried only within its short window");
    let waiting = db.unfinished_payments(devnet::CHAIN_ID).expect("db");
    assert_eq!((waiting.len(), waiting[0].status), (1, PaymentStatus::Signed));
    proxy.set(Mode::Forward);
    let before = proxy.broadcasts();
    wallet_core::session::catch_up(client, &mut db, &[shopper], &token_list).await;
    assert_eq!(proxy.broadcasts(), before, "reading the history sent nothing");
    assert_eq!(store_balance(client, merchant).await, units(3), "and paid nothing");
    let sent = payment::retry(client, &mut db, &waiting[0].tx_hash, fast()).await.expect("sent on the person's word");
    assert_eq!((sent.tx_hash, sent.status), (waiting[0].tx_hash, PaymentStatus::Confirmed));
    assert_eq!(store_balance(client, merchant).await, units(5));

    // Past the request's expiry, nothing is sent any more, even on the person's word.
    let soon = wallet_core::pay::payment::now_secs() + 2;
    let expiring =
        parse(&format!("ethereum:{STORE}/transfer?address={merchant}&uint256=1e18&expires={soon}")).expect("uri");
    let quote = payment::quote(client, &db, shopper, &expiring, None, &tokens).await.expect("quote");
    proxy.set(Mode::DropBroadcast);
    payment::pay(client, &mut db, &wallet, 0, &quote, false, fast()).await.expect_err("down");
    proxy.set(Mode::Forward);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let hash = db.unfinished_payments(devnet::CHAIN_ID).expect("db")[0].tx_hash;
    let before = proxy.broadcasts();
    assert_eq!(
        payment::retry(client, &mut db, &hash, fast()).await.err().map(|e| e.code().as_str()),
        Some("request_expired")
    );
    assert_eq!(proxy.broadcasts(), before);
    chain.stop();
}

/// Finding 3: no timeouts and no size caps: a stalled node hung `tender balance` forever; a 1.5 GB
/// answer took 3 GB of memory.
#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_or_flooding_node_costs_seconds_and_megabytes_not_forever() {
    let chain = DevChain::start(true).await;
    let proxy = chain.proxy();
    let limits = Limits {
        connect_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(2),
        max_response_bytes: 1 << 20,
    };
    let client = network::connect_with(&Network::devnet(&proxy.url).expect("network"), limits).await.expect("connect");
    let accounts: Vec<Address> = vec!["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".parse().expect("a")];
    for (mode, says) in
        [(Mode::Stall, "no answer in time"), (Mode::HugeBody, "larger than"), (Mode::EndlessBody, "larger than")]
    {
        proxy.set(mode);
        let started = Instant::now();
        let e = balance::sync(&client, &accounts, &[devnet::STORE_TOKEN], balance::SyncOptions::default())
            .await
            .expect_err("no balances from this node");
        assert_eq!(e.code().as_str(), "rpc_unavailable", "{mode:?}: {e}");
        assert!(e.to_string().contains(says), "{mode:?}: {e}");
        assert!(started.elapsed() < Duration::from_secs(6), "{mode:?} took {:?}", started.elapsed());
    }
    chain.stop();
}

/// Finding 4: a node's error body (1.8 MB) and a token's revert reason and symbol (bidi overrides,
/// line breaks, "Tender security notice: type your 12 words at …") reached the shopper verbatim.
#[tokio::test(flavor = "multi_thread")]
async fn outside_text_is_shown_sanitized_short_and_labelled_as_theirs() {
    let chain = DevChain::start(true).await;
    let (client, proxy) = (&chain.client, chain.proxy());
    let db = Db::open_in_memory().expect("db");
    let shopper: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".parse().expect("a");
    let m = Address::repeat_byte(0x42);
    let tokens = builtin_tokens(devnet::CHAIN_ID);
    proxy.set(Mode::PhishingError);
    let request = parse(&format!("ethereum:{STORE}/transfer?address={m}&uint256=1e18")).expect("uri");
    let e = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect_err("refused");
    let text = e.to_string();
    assert!(text.starts_with("this payment would fail; the network said: \u{201c}"), "{text}");
    shown_safely(&text);
    proxy.set(Mode::Forward);

    let phish = PhishToken::deploy(chain.provider_for(0)).await.expect("deploy");
    let read = wallet_core::chain::token::read_token(client, *phish.address()).await.expect("read");
    shown_safely(&read.symbol);
    assert!(read.symbol.starts_with("USDC") && !read.verified, "{read:?}");
    let request = parse(&format!("ethereum:{}/transfer?address={m}&uint256=1e18", phish.address())).expect("uri");
    let e = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect_err("reverts");
    assert_eq!(e.code().as_str(), "would_fail");
    let text = e.to_string();
    assert!(text.contains("the network said") && text.contains("Tender security notice"), "{text}");
    shown_safely(&text);
    chain.stop();
}

/// Finding 9: the chain id was checked only at connect; a node that switches chains mid-session
/// would have been handed a signature for a quote made on the other chain.
#[tokio::test(flavor = "multi_thread")]
async fn the_chain_id_is_checked_again_before_signing() {
    let chain = DevChain::start(true).await;
    let (client, proxy) = (&chain.client, chain.proxy());
    let tmp = tempfile::tempdir().expect("tmp");
    let wallet = dev_wallet(tmp.path());
    let mut db = Db::open_in_memory().expect("db");
    let m = Address::repeat_byte(0x43);
    let request = parse(&format!("ethereum:{m}?value=1e15")).expect("uri");
    let quote = payment::quote(client, &db, wallet.info().accounts[0].address, &request, None, &[]).await.expect("q");
    proxy.set(Mode::OtherChain);
    let e = payment::pay(client, &mut db, &wallet, 0, &quote, false, fast()).await.expect_err("refused");
    assert!(matches!(e, Error::ChainIdMismatch { expected: devnet::CHAIN_ID, got: 1 }), "{e:?}");
    assert!(db.payments(devnet::CHAIN_ID, quote.from).expect("db").is_empty(), "nothing was signed");
    assert_eq!(proxy.broadcasts(), 0);
    chain.stop();
}

/// Finding 9: a mined payment could be marked "replaced" when a load-balanced node's receipt lagged.
#[tokio::test(flavor = "multi_thread")]
async fn a_lagging_receipt_never_makes_a_mined_payment_replaced() {
    let chain = DevChain::start(true).await;
    let (client, proxy) = (&chain.client, chain.proxy());
    let tmp = tempfile::tempdir().expect("tmp");
    let wallet = dev_wallet(tmp.path());
    let mut db = Db::open_in_memory().expect("db");
    let m = Address::repeat_byte(0x44);
    let request = parse(&format!("ethereum:{m}?value=1e15")).expect("uri");
    let quote = payment::quote(client, &db, wallet.info().accounts[1].address, &request, None, &[]).await.expect("q");
    proxy.set(Mode::HideReceipts);
    let tracking = Tracking { timeout: Duration::from_secs(3), replaced_after: Duration::from_millis(500), ..fast() };
    let record = payment::pay(client, &mut db, &wallet, 1, &quote, false, tracking).await.expect("sent");
    assert_eq!(record.status, PaymentStatus::Pending, "mined, receipt not served yet: still pending, never replaced");
    proxy.set(Mode::Forward);
    let done = payment::refresh(client, &mut db, tracking).await.expect("refresh");
    assert_eq!((done.len(), done[0].status), (1, PaymentStatus::Confirmed));
    chain.stop();
}

/// Finding 6: a token payment counted as paid on the receipt's status alone.
#[tokio::test(flavor = "multi_thread")]
async fn token_payments_are_confirmed_by_the_tokens_own_transfer_log() {
    let chain = DevChain::start(false).await;
    let client = &chain.client;
    let tmp = tempfile::tempdir().expect("tmp");
    let wallet = dev_wallet(tmp.path());
    let mut db = Db::open_in_memory().expect("db");
    let shopper = wallet.info().accounts[0].address;
    let m = Address::repeat_byte(0x45);
    let provider = chain.provider_for(0);
    async fn quote_for(
        client: &network::ChainClient,
        db: &Db,
        shopper: Address,
        m: Address,
        token: Address,
        amount: &str,
    ) -> wallet_core::Result<payment::Quote> {
        let request = parse(&format!("ethereum:{token}/transfer?address={m}&uint256={amount}")).expect("uri");
        payment::quote(client, db, shopper, &request, None, &[]).await
    }

    let falsy = FalseToken::deploy(&provider).await.expect("deploy");
    let sneaky = SneakyToken::deploy(&provider).await.expect("deploy");
    let fee = FeeToken::deploy(&provider).await.expect("deploy");

    // `transfer` returns false: caught by the simulation, nothing signed.
    assert_eq!(
        quote_for(client, &db, shopper, m, *falsy.address(), "1e18").await.err().map(|e| e.code().as_str()),
        Some("token_refused")
    );

    // True in the simulation, false for real: the receipt succeeds, but no Transfer log says so.
    let q = quote_for(client, &db, shopper, m, *sneaky.address(), "1e18").await.expect("the simulation says yes");
    let record = payment::pay(client, &mut db, &wallet, 0, &q, false, fast()).await.expect("mined");
    assert_eq!((record.status, record.received), (PaymentStatus::Unconfirmed, Some(U256::ZERO)));
    assert!(record.error.as_deref().is_some_and(|e| e.contains("not confirmed")), "{:?}", record.error);
    assert_eq!(sneaky.balanceOf(m).call().await.expect("balance"), U256::ZERO);

    // A fee on transfer: the payee received 99 of the 100 sent, and that is what is shown.
    let q = quote_for(client, &db, shopper, m, *fee.address(), "100e18").await.expect("quote");
    let record = payment::pay(client, &mut db, &wallet, 0, &q, false, fast()).await.expect("mined");
    assert_eq!((record.status, record.received), (PaymentStatus::Unconfirmed, Some(units(99))));
    assert!(record.error.as_deref().is_some_and(|e| e.contains("99000000000000000000")), "{:?}", record.error);
    let stored = db.payment(&record.tx_hash).expect("db").expect("stored");
    assert_eq!((stored.status, stored.received), (PaymentStatus::Unconfirmed, Some(units(99))));

    // The real store token: confirmed by its log.
    let q = quote_for(client, &db, shopper, m, devnet::STORE_TOKEN, "1e18").await.expect("quote");
    let record = payment::pay(client, &mut db, &wallet, 0, &q, false, fast()).await.expect("paid");
    assert_eq!((record.status, record.received), (PaymentStatus::Confirmed, Some(units(1))));
    chain.stop();
}

/// Finding 5: the duplicate guard keyed on (account, exact URI, 6 h): the same order paid from a
/// second account, re-issued with another `expires`, or paid again after 6 h got no warning.
#[tokio::test(flavor = "multi_thread")]
async fn the_duplicate_guard_keys_on_what_is_paid_across_accounts() {
    let chain = DevChain::start(false).await;
    let client = &chain.client;
    let tmp = tempfile::tempdir().expect("tmp");
    let wallet = dev_wallet(tmp.path());
    let mut db = Db::open_in_memory().expect("db");
    let tokens = builtin_tokens(devnet::CHAIN_ID);
    let (first, second) = (wallet.info().accounts[0].address, wallet.info().accounts[1].address);
    let m = Address::repeat_byte(0x46);
    let later = wallet_core::pay::payment::now_secs() + 3600;
    let order = format!("ethereum:{STORE}/transfer?address={m}&uint256=5e18&order=ORD-1&expires={later}");
    let q = payment::quote(client, &db, first, &parse(&order).expect("uri"), None, &tokens).await.expect("q");
    let paid = payment::pay(client, &mut db, &wallet, 0, &q, false, fast()).await.expect("paid");
    let is_duplicate = |q: &payment::Quote| {
        q.warnings.iter().any(|w| matches!(w, Warning::ProbableDuplicate { tx_hash, .. } if *tx_hash == paid.tx_hash))
    };
    let reissued = order.replace(&later.to_string(), &(later + 600).to_string()).replace("order=", "label=Shop&order=");
    for (uri, from) in [(&order, second), (&reissued, first), (&reissued, second)] {
        let q = payment::quote(client, &db, from, &parse(uri).expect("uri"), None, &tokens).await.expect("q");
        assert!(is_duplicate(&q), "{uri} from {from}");
        assert!(matches!(
            payment::pay(client, &mut db, &wallet, if from == first { 0 } else { 1 }, &q, false, fast()).await,
            Err(Error::ProbableDuplicate { .. })
        ));
    }
    let other_amount = order.replace("5e18", "6e18");
    let q = payment::quote(client, &db, second, &parse(&other_amount).expect("uri"), None, &tokens).await.expect("q");
    assert!(!is_duplicate(&q), "another amount is another payment");
    // An order paid a week ago still counts (an order is paid once); a plain request a week ago not.
    let mut old = db.payment(&paid.tx_hash).expect("db").expect("stored");
    old.tx_hash = alloy::primitives::B256::repeat_byte(0x77);
    old.created_at -= 7 * 24 * 3600;
    old.order = Some("ORD-OLD".into());
    db.insert_payment(&old).expect("old payment");
    let old_order = order.replace("ORD-1", "ORD-OLD");
    let q = payment::quote(client, &db, second, &parse(&old_order).expect("uri"), None, &tokens).await.expect("q");
    assert!(q.warnings.iter().any(|w| matches!(w, Warning::ProbableDuplicate { .. })), "{:?}", q.warnings);
    chain.stop();
}
