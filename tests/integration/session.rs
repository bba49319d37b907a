//! The core's session (what both faces call), on a real anvil dev chain: restore with discovery
//! progress, lock and unlock, portfolio from the cache then live, the one payment verdict (each
//! blocker and warning a dev chain can produce), paying by quote id exactly once, history, receive
//! requests, deleting only with the password.

use alloy::primitives::{Address, U256};
use tender_devtools::devnet::{self, STORE_TOKEN};
use wallet_core::chain::choice::NetworkChoice;
use wallet_core::pay::payment::Warning;
use wallet_core::pay::verdict::Blocker;
use wallet_core::session::{Direction, Session, SessionOptions};
use wallet_core::store::PaymentStatus;
use wallet_core::vault::{KdfParams, VaultSecret};
use wallet_core::{Error, RecoveryPhrase, SecretString, StoreKind};

use crate::DevChain;
use crate::hostile::{FalseToken, FeeToken};
use crate::payment::fast;

pub(crate) const PASSWORD: &str = "correct horse battery";
const PAYEE: &str = "0x4242424242424242424242424242424242424242";

pub(crate) fn session(dir: &std::path::Path, rpc_url: &str) -> Session {
    Session::new(
        dir,
        SessionOptions {
            new_store: StoreKind::File,
            kdf: KdfParams::INSECURE_TEST_ONLY,
            network: Some(NetworkChoice::Devnet { rpc_url: rpc_url.to_owned() }),
        },
    )
}

/// A session on `rpc_url` in a fresh folder, the dev phrase restored (unlocked); the folder lives as long
/// as the first value.
pub(crate) async fn restored(rpc_url: &str) -> (tempfile::TempDir, Session) {
    let tmp = tempfile::tempdir().expect("tmp");
    let s = session(tmp.path(), rpc_url);
    s.restore(dev_phrase(), SecretString::default(), &pw(PASSWORD), 1, None, |_, _| {}).await.expect("restore");
    (tmp, s)
}

pub(crate) fn pw(text: &str) -> SecretString {
    SecretString::new(text.to_owned())
}

pub(crate) fn dev_phrase() -> RecoveryPhrase {
    RecoveryPhrase::parse(devnet::DEV_PHRASE).expect("phrase")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_session_runs_a_wallet_from_restore_to_payment_history_and_removal() {
    let chain = DevChain::start(false).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let s = session(tmp.path(), &chain.devnet.info().rpc_url);
    assert!(s.status().await.expect("status").wallet.is_none());

    let mut progress = Vec::new();
    let restored = s
        .restore(dev_phrase(), SecretString::default(), &pw(PASSWORD), 1, None, |scanned, used| {
            progress.push((scanned, used));
        })
        .await
        .expect("restore");
    assert_eq!(restored.discovery.as_ref().map(|d| d.accounts), Some(10), "anvil funds accounts 0-9");
    assert_eq!(restored.wallet.accounts.len(), 10);
    assert!(!progress.is_empty() && progress.windows(2).all(|w| w[0].0 <= w[1].0), "{progress:?}");
    assert!(matches!(
        s.restore(dev_phrase(), SecretString::default(), &pw(PASSWORD), 1, None, |_, _| {}).await,
        Err(Error::WalletExists { .. })
    ));

    let status = s.status().await.expect("status");
    assert!(status.unlocked && status.wallet.is_some());
    assert_eq!(status.network.map(|n| n.chain_id), Some(31337));
    assert!(s.lock().await);
    assert!(!s.lock().await, "locking twice is a no-op");
    assert!(matches!(s.unlock(&pw("not my password")).await, Err(Error::WrongPassword)));
    s.unlock(&pw(PASSWORD)).await.expect("unlock");

    // Portfolio: the cache (empty: never read), then live, the store token first.
    let cached = s.cached_portfolios(Some(0)).await.expect("cached");
    assert!(!cached.live && cached.accounts[0].holdings.iter().all(|h| h.fetched_at.is_none()));
    let live = s.portfolios_live(Some(0)).await.expect("live");
    assert_eq!((live.live, live.requests), (true, 1));
    let symbols: Vec<&str> = live.accounts[0].holdings.iter().map(|h| h.symbol.as_str()).collect();
    assert_eq!(symbols, ["STORE", "ETH", "tUSD"]);
    assert_eq!(live.accounts[0].holdings[0].display, "1000");
    let all = s.portfolios_live(None).await.expect("every account");
    assert_eq!(all.accounts.len(), 10, "one request for all accounts too");
    assert_eq!(all.requests, 1);

    // Quote → the verdict → pay by id, exactly once.
    let uri = format!("ethereum:{STORE_TOKEN}@31337/transfer?address={PAYEE}&uint256=5e18&order=S-1");
    let sheet = s.quote(&uri, 0, None).await.expect("sheet");
    assert!(sheet.payable() && sheet.warnings.is_empty() && !sheet.needs_ack, "{sheet:?}");
    let quote = sheet.on_chain().cloned().expect("quote");
    let wrong = format!("0x{}", "00".repeat(32));
    assert!(matches!(s.pay(&quote.id, &wrong, 0, false, fast()).await, Err(Error::QuoteMismatch)));
    let sheet = s.quote(&uri, 0, None).await.expect("sheet");
    let quote = sheet.on_chain().cloned().expect("quote");
    let receipt = s.pay(&quote.id, &quote.digest.to_string(), 0, false, fast()).await.expect("pay");
    assert_eq!(
        (receipt.status, receipt.symbol.as_str(), receipt.amount_display.as_str()),
        (PaymentStatus::Confirmed, "STORE", "5")
    );
    assert!(
        matches!(s.pay(&quote.id, &quote.digest.to_string(), 0, false, fast()).await, Err(Error::UnknownQuote)),
        "a quote pays once"
    );

    // The same order again: a warning that needs an acknowledgement, from any account.
    let again = s.quote(&uri, 1, None).await.expect("sheet");
    assert!(again.needs_ack && matches!(again.warnings.as_slice(), [Warning::ProbableDuplicate { .. }]), "{again:?}");
    let q = again.on_chain().cloned().expect("quote");
    assert!(matches!(
        s.pay(&q.id, &q.digest.to_string(), 1, false, fast()).await,
        Err(Error::ProbableDuplicate { .. })
    ));

    // Locking forgets the quotes shown.
    let sheet = s.quote(&format!("ethereum:{PAYEE}@31337?value=1e15"), 0, None).await.expect("sheet");
    let q = sheet.on_chain().cloned().expect("quote");
    s.lock().await;
    s.unlock(&pw(PASSWORD)).await.expect("unlock");
    assert!(matches!(s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await, Err(Error::UnknownQuote)));

    // History: the payment sent, and what the dev chain gave the account.
    let history = s.history(Some(0)).await.expect("history");
    assert!(history.notice.is_none(), "{:?}", history.notice);
    let sent: Vec<_> = history.items.iter().filter(|i| i.direction() == Direction::Sent).collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].payment().map(|p| p.status), Some(PaymentStatus::Confirmed));
    assert_eq!((sent[0].symbol.as_str(), sent[0].amount_display.as_str()), ("STORE", "5"));
    assert!(history.items.iter().any(|i| i.direction() == Direction::Received), "funded with STORE and tUSD");
    // Received transfers carry their block's date (shown as the date, as sent ones are).
    let now = wallet_core::pay::payment::now_secs();
    for r in history.items.iter().filter_map(|i| i.received()) {
        assert!(r.block_time.is_some_and(|t| t > now - 3600 && t <= now + 60), "{r:?}");
    }

    // A request to be paid.
    let r = s.receive_request(2, Some(STORE_TOKEN), Some("2.5")).await.expect("request");
    let parsed = wallet_core::pay::request::parse(&r.uri).expect("parses");
    assert_eq!(parsed.amount, Some(U256::from(25u64) * U256::from(10u64).pow(U256::from(17))));
    assert!(matches!(s.receive_request(2, Some(STORE_TOKEN), Some("0")).await, Err(Error::InvalidAmount { .. })));
    assert!(matches!(
        s.receive_request(2, Some(Address::repeat_byte(7)), None).await,
        Err(Error::Blocked(Blocker::NotAToken { .. }))
    ));

    // Removal needs the confirmation and the password; a refusal deletes nothing.
    assert!(matches!(s.delete(&pw(PASSWORD), false).await, Err(Error::ConfirmationRequired { .. })));
    assert!(matches!(s.delete(&pw("not my password"), true).await, Err(Error::WrongPassword)));
    assert!(s.status().await.expect("status").wallet.is_some(), "nothing was deleted");
    s.delete(&pw(PASSWORD), true).await.expect("delete");
    assert!(s.status().await.expect("status").wallet.is_none());
    chain.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_verdict_names_each_blocker_and_warning_a_dev_chain_can_produce() {
    let chain = DevChain::start(false).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let s = session(tmp.path(), &chain.devnet.info().rpc_url);
    let secret = VaultSecret { phrase: dev_phrase(), passphrase: SecretString::default() };
    s.create(secret, &pw(PASSWORD), 1, None).await.expect("create");
    let blockers = |sheet: &wallet_core::pay::verdict::Sheet| {
        assert!(sheet.on_chain().is_none() && !sheet.payable(), "{sheet:?}");
        sheet.blockers.clone()
    };

    let sheet = s.quote(&format!("ethereum:{PAYEE}@1?value=1e15"), 0, None).await.expect("sheet");
    assert_eq!(blockers(&sheet), [Blocker::ChainMismatch { requested: 1, current: 31337 }]);
    let sheet = s.quote(&format!("ethereum:{PAYEE}@31337?value=1e15&expires=1"), 0, None).await.expect("sheet");
    assert_eq!(blockers(&sheet), [Blocker::RequestExpired { expired_at: 1 }]);
    let sheet = s.quote(&format!("ethereum:{PAYEE}@31337?value=1e30"), 0, None).await.expect("sheet");
    assert!(matches!(blockers(&sheet).as_slice(), [Blocker::InsufficientFunds { symbol, .. }] if symbol == "ETH"));
    let sheet = s.quote(&format!("ethereum:{PAYEE}@31337"), 0, None).await.expect("sheet");
    assert_eq!(blockers(&sheet), [Blocker::AmountMissing]);
    let sheet = s.quote("ethereum:shop.eth@31337?value=1e15", 0, None).await.expect("sheet");
    assert!(matches!(blockers(&sheet).as_slice(), [Blocker::EnsUnsupported { name, .. }] if name == "shop.eth"));
    let sheet =
        s.quote(&format!("ethereum:{PAYEE}@31337/transfer?address={PAYEE}&uint256=1"), 0, None).await.expect("sheet");
    assert!(matches!(blockers(&sheet).as_slice(), [Blocker::NotAToken { .. }]), "an account without code");
    let falsy = FalseToken::deploy(chain.provider_for(0)).await.expect("deploy");
    let uri = format!("ethereum:{}@31337/transfer?address={PAYEE}&uint256=1e18", falsy.address());
    assert_eq!(blockers(&s.quote(&uri, 0, None).await.expect("sheet")), [Blocker::TokenRefused]);
    // The merchant's words are the request's own: shown sanitised, even on a blocked sheet.
    let sheet =
        s.quote(&format!("ethereum:{PAYEE}@1?value=1&label=Corner%E2%80%AEShop%0A"), 0, None).await.expect("sheet");
    assert_eq!(sheet.request.merchant.as_deref(), Some("CornerShop"));

    // Warnings: an unlisted token, a fee that is a large share of a tiny ether payment.
    let fee_token = FeeToken::deploy(chain.provider_for(0)).await.expect("deploy");
    let uri = format!("ethereum:{}@31337/transfer?address={PAYEE}&uint256=1e18", fee_token.address());
    let sheet = s.quote(&uri, 0, None).await.expect("sheet");
    assert!(sheet.payable() && !sheet.needs_ack);
    assert!(matches!(sheet.warnings.as_slice(), [Warning::UnverifiedToken { .. }]), "{:?}", sheet.warnings);
    let sheet = s.quote(&format!("ethereum:{PAYEE}@31337?value=1000"), 0, None).await.expect("sheet");
    assert!(
        matches!(sheet.warnings.as_slice(), [Warning::HighFee { percent }] if *percent > 100),
        "{:?}",
        sheet.warnings
    );

    // An unreachable node is an error, not a blocker: there is no sheet to show.
    let elsewhere = tempfile::tempdir().expect("tmp");
    let down = session(elsewhere.path(), "http://127.0.0.1:9");
    let secret = VaultSecret { phrase: dev_phrase(), passphrase: SecretString::default() };
    down.create(secret, &pw(PASSWORD), 1, None).await.expect("create offline");
    let e = down.quote(&format!("ethereum:{PAYEE}@31337?value=1"), 0, None).await.expect_err("no node");
    assert!(matches!(e, Error::RpcUnavailable { .. }), "{e}");
    chain.stop();
}

/// A session whose wallet lives in the OS keyring, used and dropped inside a current-thread runtime
/// (the `tender` command's). The CLI's real-keyring tests (`wallet_lifecycle_with_the_real_os_keyring`)
/// caught a panic in the keyring's D-Bus client there ("cannot start a runtime from within a
/// runtime", when the last reference to its connection was dropped in the runtime); this test runs
/// the same uses, though it did not reproduce that drop order deterministically. Needs the Secret
/// Service `scripts/test.sh` provides; skipped without a session bus.
#[test]
fn a_keyring_wallet_session_is_used_and_dropped_inside_a_current_thread_runtime() {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        eprintln!("skipping: no D-Bus session bus, so no Secret Service (scripts/test.sh provides one)");
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let options =
            SessionOptions { new_store: StoreKind::Keyring, kdf: KdfParams::INSECURE_TEST_ONLY, network: None };
        let s = Session::new(tmp.path(), options);
        let restored = s
            .restore(dev_phrase(), SecretString::default(), &pw(PASSWORD), 1, None, |_, _| {})
            .await
            .expect("restore into the keyring (no network: discovery skipped)");
        assert_eq!(restored.wallet.store, StoreKind::Keyring);
        assert!(restored.notice.is_some());
        drop(s);
        let s = Session::new(tmp.path(), SessionOptions::default());
        assert!(matches!(s.unlock(&pw("not my password")).await, Err(Error::WrongPassword)));
        s.unlock(&pw(PASSWORD)).await.expect("unlock from the keyring");
        drop(s);
        let s = Session::new(tmp.path(), SessionOptions::default());
        s.delete(&pw(PASSWORD), true).await.expect("delete");
    });
}

/// `a` with every hex digit but its first four and last four changed: the kind of address a
/// poisoner makes to imitate `a`.
fn imitation(a: Address) -> Address {
    let mut bytes = a.0.0;
    for b in &mut bytes[2..18] {
        *b ^= 0x5a;
    }
    Address::from(bytes)
}

/// Address poisoning, end to end on anvil: the wallet pays a shop; an attacker whose address looks
/// like the shop's sends the wallet nothing and dust; the history labels and hides both; a request
/// to pay the attacker is warned and refused without the explicit tick; the genuine shop stays clean
/// and is known as paid before.
#[tokio::test(flavor = "multi_thread")]
async fn a_lookalike_payee_is_warned_and_its_dust_hidden() {
    use alloy::providers::Provider;
    use wallet_core::pay::payee::Suspicion;
    let chain = DevChain::start(false).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let s = session(tmp.path(), &chain.devnet.info().rpc_url);
    let secret = VaultSecret { phrase: dev_phrase(), passphrase: SecretString::default() };
    s.create(secret, &pw(PASSWORD), 1, None).await.expect("create");
    let me = s.account(0).await.expect("account").address;
    // The attacker is dev account 7 (not one of this wallet's); the shop's address is made to look
    // like it (the other way round from a real attack, where the attacker searches for a lookalike
    // of the shop: the outcome is the same pair).
    let attacker = crate::dev_signer(7).address();
    let shop = imitation(attacker);
    let pay_uri = |to: Address| format!("ethereum:{STORE_TOKEN}@31337/transfer?address={to}&uint256=5e18");

    // A first payment to the shop is marked as such; paying it makes the shop known.
    let sheet = s.quote(&pay_uri(shop), 0, None).await.expect("sheet");
    let facts = sheet.payee.clone().expect("payee facts");
    assert_eq!((facts.paid_before, facts.last_paid_at, facts.own_account), (0, None, false));
    assert!(facts.first_payment_caution, "an address given without an order: its first payment is pointed out");
    assert!(sheet.warnings.is_empty() && !sheet.needs_ack, "{:?}", sheet.warnings);
    // The same payee asked for by a shop's order (issue 21: a shop that makes an address per order had
    // every order flagged as a first payment): the fact stands, the caution does not.
    let order = s.quote(&format!("{}&order=A-17", pay_uri(shop)), 0, None).await.expect("sheet");
    let facts = order.payee.clone().expect("payee facts");
    assert_eq!(order.request.order.as_deref(), Some("A-17"));
    assert_eq!((facts.paid_before, facts.first_payment_caution), (0, false));
    let q = sheet.on_chain().cloned().expect("quote");
    s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("pay the shop");

    // The poison: a transfer of nothing and one of dust, from the lookalike.
    chain.send_store(1, attacker, U256::from(10u8)).await;
    let token = tender_devtools::devnet::TenderToken::new(STORE_TOKEN, chain.provider_for(7));
    for amount in [0u8, 1] {
        token.transfer(me, U256::from(amount)).send().await.expect("send").get_receipt().await.expect("receipt");
    }
    let history = s.history(Some(0)).await.expect("history");
    let poison: Vec<_> = history.items.iter().filter(|i| i.received().is_some_and(|r| r.from == attacker)).collect();
    assert_eq!(poison.len(), 2, "both transfers are in the history");
    for item in &poison {
        assert_eq!(item.suspicion(), Some(&Suspicion::Lookalike { looks_like: shop }), "{item:?}");
        assert!(item.hidden(), "nothing and dust from a lookalike are hidden by default");
    }
    let funding: Vec<_> = history
        .items
        .iter()
        .filter(|i| i.direction() == Direction::Received && i.received().is_some_and(|r| r.from != attacker))
        .collect();
    assert!(
        !funding.is_empty() && funding.iter().all(|i| i.suspicion().is_none() && !i.hidden()),
        "the dev chain's funding is clean"
    );

    // The genuine shop again: no warning (the dust never made the attacker known), paid before.
    let sheet = s.quote(&pay_uri(shop), 0, None).await.expect("sheet");
    assert!(!sheet.warnings.iter().any(|w| matches!(w, Warning::LookalikePayee { .. })), "{:?}", sheet.warnings);
    assert_eq!(sheet.payee.as_ref().map(|f| f.paid_before), Some(1));

    // The lookalike: a warning that needs the tick, refused without it, paid with it.
    let sheet = s.quote(&pay_uri(attacker), 0, None).await.expect("sheet");
    assert!(sheet.needs_ack, "{sheet:?}");
    assert_eq!(sheet.warnings, [Warning::LookalikePayee { looks_like: shop }]);
    assert_eq!(sheet.payee.as_ref().map(|f| f.paid_before), Some(0));
    let q = sheet.on_chain().cloned().expect("quote");
    let balance = chain.client.provider.get_balance(me).await.expect("balance");
    assert!(matches!(
        s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await,
        Err(Error::LookalikePayee { looks_like }) if looks_like == shop
    ));
    assert_eq!(chain.client.provider.get_balance(me).await.expect("balance"), balance, "nothing was sent");
    let sheet = s.quote(&pay_uri(attacker), 0, None).await.expect("sheet");
    let q = sheet.on_chain().cloned().expect("quote");
    let receipt = s.pay(&q.id, &q.digest.to_string(), 0, true, fast()).await.expect("paid, ticked");
    assert_eq!(receipt.status, PaymentStatus::Confirmed);
    chain.stop();
}

/// Defect 11: a frozen node (it takes requests and never answers) kept "Refreshing…" on screen for
/// as long as the transport's deadlines allowed, one request after another. The live read has its
/// own deadline: then the last known balances come back, marked offline.
#[tokio::test(flavor = "multi_thread")]
async fn a_frozen_node_gives_the_last_known_balances_within_the_deadline() {
    use std::time::{Duration, Instant};
    let chain = DevChain::start(true).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let s = session(tmp.path(), &chain.proxy().url);
    s.restore(dev_phrase(), SecretString::default(), &pw(PASSWORD), 1, None, |_, _| {}).await.expect("restore");
    let live = s.portfolios_live(Some(0)).await.expect("live");
    assert!(live.live && live.offline.is_none());

    chain.proxy().set(crate::proxy::Mode::Stall);
    let started = Instant::now();
    // Meanwhile the screen paints the cache at once: the live read does not hold the database
    // while it waits for the node (it did, so the cached balances waited for the deadline too).
    let (frozen, (cached, cached_took)) = tokio::join!(s.portfolios_live(Some(0)), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let t = Instant::now();
        (s.cached_portfolios(Some(0)).await.expect("cached"), t.elapsed())
    });
    let frozen = frozen.expect("the cache, not an error");
    let took = started.elapsed();
    assert!(cached_took < Duration::from_secs(1), "the cache waited {cached_took:?} for the node");
    assert_eq!(cached.accounts[0].holdings[0].display, "1000");
    // The transport alone gives up on a request after 20 s; the screen must not wait that long.
    assert!(took < Duration::from_secs(13), "took {took:?}");
    assert!(!frozen.live);
    assert_eq!(frozen.offline.as_ref().map(|n| n.code.as_str()), Some("rpc_unavailable"));
    assert_eq!(frozen.accounts[0].holdings[0].display, "1000", "the last known balance");
    assert!(frozen.accounts[0].holdings[0].fetched_at.is_some(), "with its age");
    chain.stop();
}

/// A bare address (or a transfer without an amount) is a request whose amount the person types: the
/// sheet says the amount is missing, then the amount typed (in the asset's own units) is quoted and
/// paid as any request.
#[tokio::test(flavor = "multi_thread")]
async fn an_open_amount_request_is_quoted_with_the_amount_typed() {
    let chain = DevChain::start(false).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let s = session(tmp.path(), &chain.devnet.info().rpc_url);
    s.restore(dev_phrase(), SecretString::default(), &pw(PASSWORD), 1, None, |_, _| {}).await.expect("restore");
    let bare = format!("ethereum:{PAYEE}@31337");
    let open = s.quote(&bare, 0, None).await.expect("sheet");
    assert!(matches!(open.blockers.as_slice(), [Blocker::AmountMissing]), "{:?}", open.blockers);
    let sheet = s.quote_amount(&bare, 0, " 0.25 ").await.expect("sheet");
    let quote = sheet.on_chain().cloned().expect("payable");
    assert_eq!(
        (quote.amount, quote.symbol.as_str()),
        (U256::from(25u64) * U256::from(10u64).pow(U256::from(16)), "ETH")
    );
    let receipt = s.pay(&quote.id, &quote.digest.to_string(), 0, false, fast()).await.expect("pay");
    assert_eq!(receipt.status, PaymentStatus::Confirmed);

    let transfer = format!("ethereum:{STORE_TOKEN}@31337/transfer?address={PAYEE}");
    let q = s.quote_amount(&transfer, 0, "2.5").await.expect("sheet").on_chain().cloned().expect("payable");
    assert_eq!((q.amount_display.as_str(), q.symbol.as_str()), ("2.5", "STORE"), "in the token's own decimals");
    for bad in ["abc", "0", "-1", "1e3", "0.0000000000000000001"] {
        assert!(matches!(s.quote_amount(&bare, 0, bad).await, Err(Error::InvalidAmount { decimals: 18 })), "{bad}");
    }
    // Found on the way: a receive request for "-1" was made (alloy's parse_units read it as minus one).
    assert!(matches!(s.receive_request(0, None, Some("-1")).await, Err(Error::InvalidAmount { .. })));
    let fixed = format!("ethereum:{PAYEE}@31337?value=1e15");
    assert!(
        matches!(s.quote_amount(&fixed, 0, "2").await.map(|s| s.blockers), Ok(b) if matches!(b.as_slice(), [Blocker::AmountConflict]))
    );
    chain.stop();
}

/// Issue 19, case 6: the history listed refused and expired attempts as money spent ("Sent −12,5
/// STORE" beside the real payments) and grouped lines by outcome. Now only money that moved by the
/// chain's word is a debit or a credit, newest first whatever the state, and the confirmed debits and
/// credits add up to the balance's movement on chain.
#[tokio::test(flavor = "multi_thread")]
async fn the_history_adds_up_to_the_balances_movement() {
    use alloy::providers::Provider;
    use wallet_core::chain::token::parse_amount;
    let chain = DevChain::start(true).await;
    let proxy = chain.proxy();
    let tmp = tempfile::tempdir().expect("tmp");
    let s = session(tmp.path(), &proxy.url);
    let phrase = RecoveryPhrase::generate(12, wallet_core::Language::English).expect("phrase");
    let restored =
        s.restore(phrase, SecretString::default(), &pw(PASSWORD), 1, None, |_, _| {}).await.expect("restore");
    let me = restored.wallet.accounts[0].address;
    let units = |n: u64| U256::from(n) * U256::from(10u64).pow(U256::from(18));
    chain.send_store(0, me, units(100)).await;
    let gas = alloy::rpc::types::TransactionRequest::default().to(me).value(units(1));
    chain.provider_for(0).send_transaction(gas).await.expect("send").get_receipt().await.expect("receipt");
    let pay = |payee: Address, n: u64| format!("ethereum:{STORE_TOKEN}@31337/transfer?address={payee}&uint256={n}e18");

    // Paid: 10 STORE.
    let sheet = s.quote(&pay(Address::repeat_byte(0x81), 10), 0, None).await.expect("sheet");
    let q = sheet.on_chain().cloned().expect("quote");
    let paid = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("paid");
    assert_eq!(paid.status, PaymentStatus::Confirmed);
    assert!(paid.moved());
    // Refused by the node: nothing moved, outstanding.
    let sheet = s.quote(&pay(Address::repeat_byte(0x82), 7), 0, None).await.expect("sheet");
    let q = sheet.on_chain().cloned().expect("quote");
    proxy.set(crate::proxy::Mode::RejectBroadcast);
    let refused = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("a receipt");
    proxy.set(crate::proxy::Mode::Forward);
    assert_eq!(refused.status, PaymentStatus::Rejected);
    assert!(!refused.moved(), "refused so far: nothing moved");

    let h = s.history(Some(0)).await.expect("history");
    let store: Vec<_> = h.items.iter().filter(|i| i.symbol == "STORE").collect();
    assert_eq!(store.len(), 3, "received, paid, refused");
    let times: Vec<u64> = h.items.iter().map(|i| i.time()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first whatever the state: {times:?}");
    assert_eq!(store[0].status(), PaymentStatus::Rejected, "the newest, though not decided");
    let mut movement = U256::ZERO;
    let mut debits = U256::ZERO;
    for item in store.iter().filter(|i| i.moved()) {
        let amount = parse_amount(&item.amount_display, item.decimals).expect("amount");
        match item.direction() {
            Direction::Received => movement += amount,
            Direction::Sent => debits += amount,
        }
    }
    let balance = crate::payment::store_balance(&chain.client, me).await;
    assert_eq!(movement - debits, balance, "the history's debits and credits are the chain's movement");
    assert_eq!(balance, units(90));
    assert!(store.iter().any(|i| !i.moved() && i.status() == PaymentStatus::Rejected));
    chain.stop();
}
