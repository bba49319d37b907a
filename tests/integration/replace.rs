//! Stuck payments on a real anvil dev chain: a payment the node keeps pending (anvil with automatic
//! mining off, as a network whose blocks are full) is sped up or cancelled, and exactly one outcome
//! wins; one refused as underpriced (the base fee rose between the sheet and the confirmation) is sped
//! up; a speed-up the node refuses as "replacement transaction underpriced" leaves the payment open
//! to another try.

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use tender_devtools::devnet::STORE_TOKEN;
use wallet_core::Blocker;
use wallet_core::pay::payment::{Tracking, Warning};
use wallet_core::session::{Direction, Session};
use wallet_core::store::{PaymentKind, PaymentRecord, PaymentStatus};
use wallet_core::{Error, SecretString};

use crate::DevChain;
use crate::payment::{fast, store_balance, units};
use crate::session::{PASSWORD, dev_phrase, pw, session};

/// Follows a payment for a moment only: with mining off, it stays pending.
fn brief() -> Tracking {
    Tracking { timeout: std::time::Duration::from_millis(300), ..fast() }
}

async fn shopper(chain: &DevChain, dir: &std::path::Path) -> Session {
    let s = session(dir, &chain.devnet.info().rpc_url);
    s.restore(dev_phrase(), SecretString::default(), &pw(PASSWORD), 1, None, |_, _| {}).await.expect("restore");
    s
}

async fn automine(chain: &DevChain, on: bool) {
    let _: serde_json::Value =
        chain.client.provider.raw_request("evm_setAutomine".into(), (on,)).await.expect("automine");
}

async fn mine(chain: &DevChain) {
    let _: serde_json::Value =
        chain.client.provider.raw_request("evm_mine".into(), serde_json::json!([])).await.expect("mine");
}

/// Pays `uri` from account 0 and returns its receipt's transaction hash and status.
async fn pay(s: &Session, uri: &str, tracking: Tracking) -> wallet_core::Result<(B256, PaymentStatus)> {
    let sheet = s.quote(uri, 0, None).await?;
    let Some(quote) = sheet.on_chain().cloned() else { panic!("payable: {sheet:?}") };
    let receipt = s.pay(&quote.id, &quote.digest.to_string(), 0, false, tracking).await?;
    Ok((receipt.tx_hash.expect("a transaction"), receipt.status))
}

/// The history's lines sent to `payee`.
async fn sent_to(s: &Session, payee: Address) -> Vec<PaymentRecord> {
    let history = s.history(Some(0)).await.expect("history");
    history
        .items
        .into_iter()
        .filter(|i| i.direction() == Direction::Sent)
        .filter_map(|i| i.payment().cloned())
        .filter(|p| p.payee == payee)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stuck_payment_sped_up_is_paid_exactly_once() {
    let chain = DevChain::start(false).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let s = shopper(&chain, tmp.path()).await;
    let payee = Address::repeat_byte(0x51);
    let uri = format!("ethereum:{STORE_TOKEN}@31337/transfer?address={payee}&uint256=5e18&order=STUCK-1");

    automine(&chain, false).await;
    let (original, status) = pay(&s, &uri, brief()).await.expect("pay");
    assert_eq!(status, PaymentStatus::Pending, "the node holds it, no block comes");
    let sent = chain.client.provider.get_transaction_by_hash(original).await.expect("tx").expect("in the pool");

    let quote = s.replacement(original, PaymentKind::SpeedUp).await.expect("speed-up sheet");
    assert_eq!((quote.tx.nonce, quote.tx.to, quote.tx.value), (0, Some(STORE_TOKEN), U256::ZERO), "the same payment");
    let old_cap = U256::from(alloy::consensus::Transaction::max_fee_per_gas(&sent));
    let new_cap = quote.tx.max_fee_per_gas.expect("1559");
    assert!(new_cap * U256::from(100u8) >= old_cap * U256::from(125u8), "{new_cap} over {old_cap}");
    assert_ne!(quote.max_network_fee_display, quote.previous_max_network_fee_display);
    assert!(matches!(s.replace(&quote.id, &B256::ZERO.to_string(), brief()).await, Err(Error::QuoteMismatch)));

    let quote = s.replacement(original, PaymentKind::SpeedUp).await.expect("speed-up sheet");
    let receipt = s.replace(&quote.id, &quote.digest.to_string(), brief()).await.expect("speed up");
    assert_eq!(receipt.status, PaymentStatus::Pending);
    let faster = receipt.tx_hash.expect("hash");
    assert_ne!(faster, original);
    assert!(
        matches!(s.replace(&quote.id, &quote.digest.to_string(), brief()).await, Err(Error::UnknownQuote)),
        "a replacement is confirmed once"
    );
    let lines = sent_to(&s, payee).await;
    assert_eq!(lines.len(), 1, "one payment, however many transactions: {lines:?}");
    assert_eq!(
        (lines[0].kind, lines[0].status, lines[0].tx_hash),
        (PaymentKind::SpeedUp, PaymentStatus::Pending, faster)
    );

    let before = store_balance(&chain.client, payee).await;
    mine(&chain).await;
    let lines = sent_to(&s, payee).await;
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (lines[0].kind, lines[0].status, lines[0].tx_hash),
        (PaymentKind::SpeedUp, PaymentStatus::Confirmed, faster)
    );
    assert_eq!(store_balance(&chain.client, payee).await, before + units(5), "paid exactly once");
    assert!(chain.client.provider.get_transaction_receipt(original).await.expect("receipt").is_none());
    assert_eq!(chain.client.provider.get_transaction_count(lines[0].account).await.expect("nonce"), 1);

    // Settled: no more speeding up or cancelling; paying the order again is a probable duplicate.
    automine(&chain, true).await;
    assert!(matches!(s.replacement(original, PaymentKind::Cancel).await, Err(Error::PaymentSettled)));
    assert!(matches!(s.replacement(faster, PaymentKind::SpeedUp).await, Err(Error::PaymentSettled)));
    let again = s.quote(&uri, 0, None).await.expect("sheet");
    assert!(
        again.warnings.iter().any(|w| matches!(w, Warning::ProbableDuplicate { tx_hash, .. } if *tx_hash == faster)),
        "{:?}",
        again.warnings
    );
    assert_eq!(again.payee.as_ref().map(|p| p.paid_before), Some(1), "one payment, counted once");
    chain.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stuck_payment_cancelled_pays_nothing_and_can_be_paid_again() {
    let chain = DevChain::start(false).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let s = shopper(&chain, tmp.path()).await;
    let payee = Address::repeat_byte(0x52);
    let uri = format!("ethereum:{STORE_TOKEN}@31337/transfer?address={payee}&uint256=7e18&order=STUCK-2");

    automine(&chain, false).await;
    let (original, _) = pay(&s, &uri, brief()).await.expect("pay");
    let quote = s.replacement(original, PaymentKind::Cancel).await.expect("cancel sheet");
    let me = quote.from;
    assert_eq!((quote.tx.to, quote.tx.value, quote.tx.gas), (Some(me), U256::ZERO, 21_000), "nothing, to myself");
    assert!(quote.tx.input.is_empty());
    let receipt = s.replace(&quote.id, &quote.digest.to_string(), brief()).await.expect("cancel");
    assert_eq!(receipt.status, PaymentStatus::Pending);
    mine(&chain).await;

    let lines = sent_to(&s, payee).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(
        (lines[0].status, lines[0].kind, lines[0].payee),
        (PaymentStatus::Cancelled, PaymentKind::Cancel, payee)
    );
    assert_eq!(store_balance(&chain.client, payee).await, U256::ZERO, "nothing was paid");
    assert!(chain.client.provider.get_transaction_receipt(original).await.expect("receipt").is_none());

    // Not paid, so not a duplicate: the order can be paid.
    automine(&chain, true).await;
    let again = s.quote(&uri, 0, None).await.expect("sheet");
    assert!(again.warnings.is_empty() && !again.needs_ack, "{:?}", again.warnings);
    assert_eq!(again.payee.as_ref().map(|p| p.paid_before), Some(0), "a cancelled payment paid nothing");
    let (_, status) = pay(&s, &uri, fast()).await.expect("pay again");
    assert_eq!(status, PaymentStatus::Confirmed);
    assert_eq!(store_balance(&chain.client, payee).await, units(7));
    chain.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_refused_as_underpriced_is_sped_up_and_a_refused_speed_up_can_be_tried_again() {
    let chain = DevChain::start(false).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let s = shopper(&chain, tmp.path()).await;
    let payee = Address::repeat_byte(0x53);
    let uri = format!("ethereum:{STORE_TOKEN}@31337/transfer?address={payee}&uint256=3e18");

    // The network's base fee jumps between the sheet and the confirmation: the node refuses it.
    let sheet = s.quote(&uri, 0, None).await.expect("sheet");
    let quote = sheet.on_chain().cloned().expect("quote");
    let cap = quote.tx.max_fee_per_gas.expect("1559");
    let _: serde_json::Value = chain
        .client
        .provider
        .raw_request("anvil_setNextBlockBaseFeePerGas".into(), (cap * U256::from(3u8),))
        .await
        .expect("base fee");
    let refused = s.pay(&quote.id, &quote.digest.to_string(), 0, false, fast()).await.expect("a receipt");
    assert_eq!(refused.status, PaymentStatus::Rejected, "refused so far: outstanding");
    assert_eq!(refused.notice.as_ref().map(|n| n.code.as_str()), Some("rejected"));
    let reason = refused.error.unwrap_or_default();
    assert!(reason.contains("base fee"), "{reason}");
    let lines = sent_to(&s, payee).await;
    assert_eq!(lines[0].status, PaymentStatus::Rejected);
    let original = lines[0].tx_hash;
    // Refused so far is not final (the signed bytes stay valid): it can be cancelled too.
    s.replacement(original, PaymentKind::Cancel).await.expect("a refused payment can be cancelled");

    // Sped up: at least what the network asks now.
    let speed = s.replacement(original, PaymentKind::SpeedUp).await.expect("speed-up sheet");
    assert!(speed.tx.max_fee_per_gas.expect("1559") > cap * U256::from(3u8));

    // Meanwhile the same account pays from elsewhere (another device with the same phrase), at a
    // far higher fee and the same nonce: the node refuses Tender's speed-up as underpriced.
    automine(&chain, false).await;
    let elsewhere = alloy::rpc::types::TransactionRequest::default()
        .to(Address::repeat_byte(0x99))
        .value(U256::from(1u8))
        .nonce(0)
        .gas_limit(21_000)
        .max_fee_per_gas(u128::try_from(cap).expect("fits") * 40)
        .max_priority_fee_per_gas(u128::try_from(cap).expect("fits") * 20);
    let other = *chain.provider_for(0).send_transaction(elsewhere).await.expect("elsewhere").tx_hash();
    let refused = s.replace(&speed.id, &speed.digest.to_string(), brief()).await;
    let Err(Error::ReplacementRefused { reason }) = refused else { panic!("{refused:?}") };
    assert!(reason.contains("underpriced"), "{reason}");
    let members = {
        let lines = sent_to(&s, payee).await;
        assert_eq!(lines.len(), 1);
        lines
    };
    assert_eq!(members[0].status, PaymentStatus::Rejected);
    // The buttons stay: another try, with a higher fee again.
    let again = s.replacement(original, PaymentKind::SpeedUp).await.expect("another try");
    assert!(again.tx.max_fee_per_gas > speed.tx.max_fee_per_gas);

    // The other device's transaction is mined: this payment can never be, and says so.
    mine(&chain).await;
    assert!(chain.client.provider.get_transaction_receipt(other).await.expect("receipt").is_some());
    assert!(matches!(s.replacement(original, PaymentKind::SpeedUp).await, Err(Error::PaymentSettled)));
    assert_eq!(store_balance(&chain.client, payee).await, U256::ZERO);
    chain.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn after_the_request_expires_only_a_cancellation_and_never_over_the_fee_ceiling() {
    let chain = DevChain::start(false).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let s = shopper(&chain, tmp.path()).await;
    let payee = Address::repeat_byte(0x54);
    let expires = wallet_core::pay::payment::now_secs() + 3;
    let uri = format!("ethereum:{STORE_TOKEN}@31337/transfer?address={payee}&uint256=1e18&expires={expires}");
    automine(&chain, false).await;
    let (original, status) = pay(&s, &uri, brief()).await.expect("pay");
    assert_eq!(status, PaymentStatus::Pending);
    while wallet_core::pay::payment::now_secs() <= expires {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    // The shop no longer takes the payment: speeding it up is refused; cancelling it is what is left.
    assert!(matches!(
        s.replacement(original, PaymentKind::SpeedUp).await,
        Err(Error::Blocked(Blocker::RequestExpired { .. }))
    ));
    s.replacement(original, PaymentKind::Cancel).await.expect("a cancellation is still possible");
    // A network asking more than the dev chain's ceiling (500 gwei per gas): nothing is quoted.
    let _: serde_json::Value = chain
        .client
        .provider
        .raw_request("anvil_setNextBlockBaseFeePerGas".into(), (U256::from(600u64) * U256::from(1_000_000_000u64),))
        .await
        .expect("base fee");
    assert!(matches!(
        s.replacement(original, PaymentKind::Cancel).await,
        Err(Error::Blocked(Blocker::FeeTooHigh { .. }))
    ));
    chain.stop();
}

/// A stuck approval of Permit2 sped up: whichever of its transactions is mined, the token's
/// `Approval` event decides it (the transaction's own bytes say it is an `approve`, not a transfer,
/// so no transfer is looked for), and it stays one approval line, never money moved.
#[tokio::test(flavor = "multi_thread")]
async fn a_stuck_approval_sped_up_is_decided_as_an_approval() {
    let chain = DevChain::start(false).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let s = shopper(&chain, tmp.path()).await;
    automine(&chain, false).await;
    let q = s.approval(0, STORE_TOKEN, "7").await.expect("approval sheet");
    let sent = s.approve(q.id(), &q.digest().to_string(), brief()).await.expect("approval sent");
    assert_eq!(sent.status, PaymentStatus::Pending, "the node holds it, no block comes");
    let original = sent.tx_hash.expect("hash");
    let quote = s.replacement(original, PaymentKind::SpeedUp).await.expect("speed-up sheet");
    let faster = s.replace(&quote.id, &quote.digest.to_string(), brief()).await.expect("sped up");
    let faster = faster.tx_hash.expect("hash");
    assert_ne!(faster, original);
    mine(&chain).await;
    automine(&chain, true).await;

    let history = s.history(Some(0)).await.expect("history");
    let lines: Vec<&PaymentRecord> = history.items.iter().filter_map(|i| i.payment()).collect();
    assert_eq!(lines.len(), 1, "one approval, however many transactions: {lines:?}");
    let line = lines[0];
    assert_eq!(
        (line.kind, line.status, line.tx_hash, line.received),
        (PaymentKind::Approval, PaymentStatus::Confirmed, faster, Some(units(7))),
        "{:?}",
        line.error
    );
    assert!(history.items.iter().filter(|i| i.direction() == Direction::Sent).all(|i| !i.moved()), "no money moved");
    assert_eq!(s.permit2_allowance(0, STORE_TOKEN).await.expect("allowance").display, "7");
    chain.stop();
}
