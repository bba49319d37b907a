//! Issue 19: the chain decides when a payment is over. Each case was reproduced end to end on the
//! landed wallet, paying one order twice or showing a wrong outcome; each test here ends with the
//! payee holding exactly one order's amount and the payment stating the true state. A real anvil,
//! through the hostile proxy ([`crate::proxy`]) where a node misbehaves.

use std::time::Duration;

use alloy::primitives::Address;
use alloy::providers::Provider;
use tender_devtools::devnet;
use wallet_core::Error;
use wallet_core::chain::token::builtin_tokens;
use wallet_core::pay::payment::{self, Tracking, Warning};
use wallet_core::pay::request::parse;
use wallet_core::store::{Db, PaymentStatus};

use crate::DevChain;
use crate::payment::{dev_wallet, fast, store_balance, units};
use crate::proxy::Mode;

const STORE: &str = "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35";

impl DevChain {
    /// Turns anvil's automine on or off (off: transactions wait in its pool until [`DevChain::mine`]).
    pub(crate) async fn automine(&self, on: bool) {
        let _: serde_json::Value =
            self.provider_for(0).raw_request("evm_setAutomine".into(), (on,)).await.expect("evm_setAutomine");
    }

    /// Mines one block now.
    pub(crate) async fn mine(&self) {
        let _: serde_json::Value = self.provider_for(0).raw_request("evm_mine".into(), ()).await.expect("evm_mine");
    }
}

/// A dev wallet paying on a fresh chain: its first account, an empty database, the listed tokens.
struct Paying {
    chain: DevChain,
    wallet: wallet_core::Wallet,
    db: Db,
    tokens: Vec<wallet_core::chain::token::Token>,
    shopper: Address,
    _dir: tempfile::TempDir,
}

impl Paying {
    async fn start(through_proxy: bool, mining: tender_devtools::devnet::Mining) -> Self {
        let chain = DevChain::start_mining(through_proxy, mining).await;
        let dir = tempfile::tempdir().expect("tmp");
        let wallet = dev_wallet(dir.path());
        let shopper = wallet.info().accounts[0].address;
        let db = Db::open_in_memory().expect("db");
        Self { chain, wallet, db, tokens: builtin_tokens(devnet::CHAIN_ID), shopper, _dir: dir }
    }

    /// Through the hostile proxy, a block for each transaction.
    async fn through_proxy() -> Self {
        Self::start(true, tender_devtools::devnet::Mining::Auto).await
    }
}

/// Tracking that gives up quickly but keeps the real "replaced" delay.
fn brief() -> Tracking {
    Tracking { timeout: Duration::from_secs(2), replaced_after: payment::REPLACED_AFTER, ..fast() }
}

/// Case 1: a broadcast whose answer was lost is sent again, and the node answers with its own
/// wording for "I already have it". Tender matched three wordings and stored any other as refused
/// ("nothing was paid"), which the duplicate guard ignored: the order was paid again, twice. Now any
/// refusal is checked against the node (does it hold the transaction?) and is never final.
#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_then_any_wording_of_already_known_never_pays_twice() {
    let Paying { chain, wallet, mut db, tokens, shopper, _dir } = Paying::through_proxy().await;
    let (client, proxy) = (&chain.client, chain.proxy());
    chain.automine(false).await;
    // Besu, Erigon, Nethermind and a made-up one: none of them geth's "already known".
    let wordings = ["Known transaction", "existing tx with same hash", "AlreadyKnown", "transaction is in the pool"];
    for (i, words) in wordings.iter().enumerate() {
        let merchant = Address::repeat_byte(0x50 + i as u8);
        let uri = format!("ethereum:{STORE}/transfer?address={merchant}&uint256=2e18&order=L-{i}");
        let request = parse(&uri).expect("uri");
        let quote = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
        proxy.set(Mode::LoseBroadcastAnswer);
        let lost = payment::pay(client, &mut db, &wallet, 0, &quote, false, brief()).await;
        assert_eq!(lost.err().map(|e| e.code().as_str()), Some("rpc_unavailable"), "{words}");
        let hash = db.unfinished_payments(devnet::CHAIN_ID).expect("db")[0].tx_hash;

        // Sent again; the node words "I have it" its own way.
        proxy.set(Mode::RefuseWorded);
        proxy.set_wording(words);
        let again = payment::retry(client, &mut db, &hash, brief()).await.expect("the node holds it: not refused");
        assert_eq!((again.tx_hash, again.status), (hash, PaymentStatus::Pending), "{words}");

        // The till shows the same request again: resumed, the same signed bytes, never a second payment.
        proxy.set(Mode::Forward);
        let quote = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
        assert!(
            quote.warnings.iter().any(|w| matches!(w, Warning::ProbableDuplicate { tx_hash, .. } if *tx_hash == hash)),
            "{words}: {:?}",
            quote.warnings
        );
        let resumed = payment::pay(client, &mut db, &wallet, 0, &quote, false, brief()).await.expect("resumed");
        assert_eq!(resumed.tx_hash, hash, "{words}");
        chain.mine().await;
        let done = payment::refresh(client, &mut db, brief()).await.expect("refresh");
        assert_eq!(done.iter().map(|r| (r.tx_hash, r.status)).collect::<Vec<_>>(), [(hash, PaymentStatus::Confirmed)]);
        assert_eq!(store_balance(client, merchant).await, units(2), "{words}: paid exactly once");
    }
    chain.stop();
}

/// Case 1, second half: a node serving a receipt with status 0 before the transaction is mined
/// (invented, or from a fork it left) made the payment "failed" for good, which the duplicate guard
/// ignores. A receipt now counts only once the block at its height, read on its own, holds the
/// transaction.
#[tokio::test(flavor = "multi_thread")]
async fn a_failed_receipt_served_early_is_not_the_chains_word() {
    let Paying { chain, wallet, mut db, tokens, shopper, _dir } = Paying::through_proxy().await;
    let (client, proxy) = (&chain.client, chain.proxy());
    let merchant = Address::repeat_byte(0x61);
    let request = parse(&format!("ethereum:{STORE}/transfer?address={merchant}&uint256=3e18&order=F-1")).expect("uri");
    let quote = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    chain.automine(false).await;
    proxy.set(Mode::FakeFailedReceipt);
    let sent = payment::pay(client, &mut db, &wallet, 0, &quote, false, brief()).await.expect("sent");
    assert_eq!(sent.status, PaymentStatus::Pending, "a receipt the chain does not hold decides nothing");
    assert_eq!(payment::refresh(client, &mut db, brief()).await.expect("refresh")[0].status, PaymentStatus::Pending);

    // Scanned again meanwhile: the same payment, resumed.
    let again = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    let resumed = payment::pay(client, &mut db, &wallet, 0, &again, false, brief()).await.expect("resumed");
    assert_eq!(resumed.tx_hash, sent.tx_hash);

    proxy.set(Mode::Forward);
    chain.mine().await;
    let done = payment::refresh(client, &mut db, brief()).await.expect("refresh");
    assert_eq!((done.len(), done[0].status), (1, PaymentStatus::Confirmed));
    assert_eq!(store_balance(client, merchant).await, units(3), "paid exactly once");
    chain.stop();
}

/// Case 2: reading the history while the node lags a few seconds behind the one that mined the
/// payment (its receipt and the transaction unknown, the account's count already past it) marked
/// the payment "replaced" for good after 2 s; paying the order again paid twice. "Replaced" now
/// needs the nonce used by another transaction for [`payment::REPLACED_AFTER`] across refreshes.
#[tokio::test(flavor = "multi_thread")]
async fn a_lagging_node_never_makes_a_mined_payment_replaced() {
    let Paying { chain, wallet, mut db, tokens, shopper, _dir } = Paying::through_proxy().await;
    let (client, proxy) = (&chain.client, chain.proxy());
    let token_list: Vec<Address> = tokens.iter().map(|t| t.address).collect();
    let merchant = Address::repeat_byte(0x62);
    let request = parse(&format!("ethereum:{STORE}/transfer?address={merchant}&uint256=4e18&order=G-1")).expect("uri");
    let quote = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    proxy.set(Mode::HideTransactions);
    let sent = payment::pay(client, &mut db, &wallet, 0, &quote, false, brief()).await.expect("sent");
    assert_eq!(sent.status, PaymentStatus::Pending);
    // The history, read twice over four seconds of lag.
    for _ in 0..2 {
        assert_eq!(
            wallet_core::session::catch_up(client, &mut db, &[shopper], &token_list).await.map(|e| e.code()),
            None
        );
        assert_eq!(db.payment(&sent.tx_hash).expect("db").expect("kept").status, PaymentStatus::Pending);
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    let again = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    assert!(
        matches!(payment::pay(client, &mut db, &wallet, 0, &again, false, brief()).await, Ok(r) if r.tx_hash == sent.tx_hash)
    );
    proxy.set(Mode::Forward);
    let done = payment::refresh(client, &mut db, brief()).await.expect("refresh");
    assert_eq!(done[0].status, PaymentStatus::Confirmed);
    assert_eq!(store_balance(client, merchant).await, units(4), "paid exactly once");
    chain.stop();
}

/// Case 4: the nonce was the node's word alone. A node that does not see the wallet's own waiting
/// payment made the next one take the same nonce (the first shop was never paid); a "future" nonce
/// left a payment waiting for ever; a nonce below the mined one was reported "replaced" though
/// nothing was sent. Now the wallet's own knowledge bounds the node's count.
#[tokio::test(flavor = "multi_thread")]
async fn the_nonce_is_the_chains_checked_against_what_the_wallet_knows() {
    let Paying { chain, wallet, mut db, tokens, shopper, _dir } = Paying::through_proxy().await;
    let (client, proxy) = (&chain.client, chain.proxy());
    let (first, second) = (Address::repeat_byte(0x71), Address::repeat_byte(0x72));
    let pay_to =
        |who: Address, n: u64| parse(&format!("ethereum:{STORE}/transfer?address={who}&uint256={n}e18")).expect("uri");

    chain.automine(false).await;
    proxy.set(Mode::HidePending);
    let q1 = payment::quote(client, &db, shopper, &pay_to(first, 1), None, &tokens).await.expect("quote");
    let p1 = payment::pay(client, &mut db, &wallet, 0, &q1, false, brief()).await.expect("sent");
    assert_eq!(p1.status, PaymentStatus::Pending);
    let q2 = payment::quote(client, &db, shopper, &pay_to(second, 2), None, &tokens).await.expect("quote");
    assert_eq!(q2.tx.nonce, q1.tx.nonce + 1, "never the waiting payment's nonce again");
    let p2 = payment::pay(client, &mut db, &wallet, 0, &q2, false, brief()).await.expect("sent");
    proxy.set(Mode::Forward);
    chain.mine().await;
    let done = payment::refresh(client, &mut db, brief()).await.expect("refresh");
    for p in [&p1, &p2] {
        assert_eq!(done.iter().find(|r| r.tx_hash == p.tx_hash).map(|r| r.status), Some(PaymentStatus::Confirmed));
    }
    assert_eq!((store_balance(client, first).await, store_balance(client, second).await), (units(1), units(2)));
    chain.automine(true).await;

    // A node claiming three waiting transactions nobody here signed: nothing is signed behind them.
    proxy.set(Mode::FutureNonce);
    let e = payment::quote(client, &db, shopper, &pay_to(first, 1), None, &tokens).await.expect_err("future nonce");
    assert!(matches!(e, Error::ForeignPending { count: 3 }), "{e:?}");
    // A node one transaction behind what the wallet saw mined.
    proxy.set(Mode::LowNonce);
    let e = payment::quote(client, &db, shopper, &pay_to(first, 1), None, &tokens).await.expect_err("low nonce");
    assert_eq!(e.code().as_str(), "rpc_unavailable", "{e}");
    proxy.set(Mode::Forward);
    assert_eq!(db.payments(devnet::CHAIN_ID, shopper).expect("db").len(), 2, "nothing else was signed");
    assert!(db.payments(devnet::CHAIN_ID, shopper).expect("db").iter().all(|p| p.status == PaymentStatus::Confirmed));
    chain.stop();
}

/// A refusal is not final: a payment the node refused ("insufficient funds") stays outstanding,
/// counts for the duplicate guard however old, blocks nothing silently (a new payment behind it is
/// refused with the reason), and is decided by the chain: here, sent again once funds arrived.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_payment_stays_outstanding_until_the_chain_decides() {
    let Paying { chain, wallet, mut db, tokens, shopper, _dir } = Paying::through_proxy().await;
    let (client, proxy) = (&chain.client, chain.proxy());
    let merchant = Address::repeat_byte(0x73);
    let request = parse(&format!("ethereum:{STORE}/transfer?address={merchant}&uint256=5e18&order=R-1")).expect("uri");
    let quote = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    proxy.set(Mode::RejectBroadcast);
    let refused = payment::pay(client, &mut db, &wallet, 0, &quote, false, brief()).await.expect_err("refused");
    assert_eq!(refused.code().as_str(), "rejected");
    assert!(refused.to_string().contains("so far"), "never 'nothing was paid': {refused}");
    let stored = db.payments(devnet::CHAIN_ID, shopper).expect("db");
    assert_eq!((stored.len(), stored[0].status), (1, PaymentStatus::Rejected));
    assert!(stored[0].status.is_unfinished() && stored[0].status.may_have_paid());

    proxy.set(Mode::Forward);
    // Another payment would wait behind it: refused, naming it.
    let other =
        parse(&format!("ethereum:{STORE}/transfer?address={}&uint256=1e18", Address::repeat_byte(0x74))).expect("uri");
    let e = payment::quote(client, &db, shopper, &other, None, &tokens).await.expect_err("behind an outstanding one");
    assert!(matches!(e, Error::EarlierPaymentOutstanding { tx_hash } if tx_hash == stored[0].tx_hash), "{e:?}");
    // The same request again: the duplicate guard resumes it, the same bytes; the chain decides.
    let again = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    assert!(
        again.warnings.iter().any(|w| matches!(w, Warning::ProbableDuplicate { status: PaymentStatus::Rejected, .. }))
    );
    let paid = payment::pay(client, &mut db, &wallet, 0, &again, false, brief()).await.expect("resumed");
    assert_eq!((paid.tx_hash, paid.status), (stored[0].tx_hash, PaymentStatus::Confirmed));
    assert_eq!(store_balance(client, merchant).await, units(5));
    // Decided: the next payment goes.
    payment::quote(client, &db, shopper, &other, None, &tokens).await.expect("nothing outstanding now");
    chain.stop();
}

/// The same rules on a chain with 12 s blocks, Ethereum's pace: a payment waits for its block and is
/// decided by it, never by how long the wallet waited.
#[tokio::test(flavor = "multi_thread")]
async fn on_a_chain_with_12_second_blocks_a_payment_is_decided_by_its_block() {
    let Paying { chain, wallet, mut db, tokens, shopper, _dir } =
        Paying::start(false, tender_devtools::devnet::Mining::Every(12)).await;
    let client = &chain.client;
    let merchant = Address::repeat_byte(0x75);
    let request = parse(&format!("ethereum:{STORE}/transfer?address={merchant}&uint256=6e18&order=S-1")).expect("uri");
    let quote = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    // The wallet gives up waiting long before the block: still pending, never "failed" or "replaced".
    let sent = payment::pay(client, &mut db, &wallet, 0, &quote, false, brief()).await.expect("sent");
    assert_eq!(sent.status, PaymentStatus::Pending);
    let again = payment::quote(client, &db, shopper, &request, None, &tokens).await.expect("quote");
    let resumed = payment::pay(client, &mut db, &wallet, 0, &again, false, brief()).await.expect("resumed");
    assert_eq!(resumed.tx_hash, sent.tx_hash, "the same payment, never a second");
    let tracking = Tracking { timeout: Duration::from_secs(30), ..brief() };
    let done = payment::retry(client, &mut db, &sent.tx_hash, tracking).await.expect("followed");
    assert_eq!(done.status, PaymentStatus::Confirmed);
    assert_eq!(store_balance(client, merchant).await, units(6), "paid exactly once");
    chain.stop();
}
