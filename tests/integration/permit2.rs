//! Gasless checkout through Permit2 (x402 `exact` with `assetTransferMethod: "permit2"`, and `upto`)
//! against the official packages: `@x402/express` with the official `@x402/evm` facilitator (exact and
//! upto) and `@x402/extensions`' declarations (`payment-identifier`, `eip2612GasSponsoring`), in
//! tools/x402-shop.mjs, on a real anvil with Uniswap's published Permit2 and the x402 proxies at their
//! canonical addresses. Every outcome is read on chain with foundry's `cast`. The shopper holds no ether
//! except where an on-chain approval is the point (sent by cast, as another wallet would).

use alloy::primitives::{Address, B256, U256};
use wallet_core::error::Blocker;
use wallet_core::pay::permit2::{self, PERMIT2, UPTO_PROXY};
use wallet_core::store::{Db, PaymentStatus, TransferMethod};

use crate::DevChain;
use crate::gasless::{Checkout, cast, on_chain, shopper, units};
use crate::payment::fast;
use tender_devtools::devnet::{self, STORE_TOKEN};

/// anvil's dev account 1 (public key of the public dev phrase): pays ether for the approvals cast sends.
const DEV_KEY_1: &str = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

/// The shopper's STORE allowance for Permit2, as cast reads it.
fn allowance(rpc: &str, owner: Address) -> String {
    let (token, owner, spender) = (STORE_TOKEN.to_checksum(None), owner.to_checksum(None), PERMIT2.to_checksum(None));
    cast(&["call", "--rpc-url", rpc, &token, "allowance(address,address)(uint256)", &owner, &spender])
}

/// Whether Permit2 marks `nonce` of `owner` used, as cast reads its bitmap.
fn nonce_used(rpc: &str, owner: Address, nonce: B256) -> bool {
    let nonce: U256 = U256::from_be_bytes(nonce.0);
    let word = cast(&[
        "call",
        "--rpc-url",
        rpc,
        &PERMIT2.to_checksum(None),
        "nonceBitmap(address,uint256)(uint256)",
        &owner.to_checksum(None),
        &(nonce >> 8usize).to_string(),
    ]);
    let word: U256 = U256::from_str_radix(&word, 10).expect("a number");
    word.bit((nonce & U256::from(0xff)).to::<usize>())
}

/// The shopper's own on-chain approval of Permit2 for `amount` (its key, its ether: given by dev
/// account 1 first), sent by cast as any other wallet would.
fn approve(rpc: &str, s_key: &str, owner: Address, amount: U256) {
    let owner = owner.to_checksum(None);
    crate::cast::cast(&["send", "--rpc-url", rpc, "--private-key", DEV_KEY_1, &owner, "--value", "10000000000000000"]);
    crate::cast::cast(&[
        "send",
        "--rpc-url",
        rpc,
        "--private-key",
        s_key,
        &STORE_TOKEN.to_checksum(None),
        "approve(address,uint256)",
        &PERMIT2.to_checksum(None),
        &amount.to_string(),
    ]);
}

/// A fresh wallet (random phrase, file store) on the dev chain, unlocked, whose first account holds
/// `store` STORE and no ether; with that account's private key (hex), for cast to send what another
/// wallet of the same shopper would.
async fn shopper_with_key(
    chain: &DevChain,
    dir: &std::path::Path,
    store: U256,
) -> (wallet_core::session::Session, Address, String) {
    use wallet_core::chain::choice::NetworkChoice;
    use wallet_core::keys::derivation::AccountScheme;
    use wallet_core::session::{Session, SessionOptions};
    let phrase = wallet_core::RecoveryPhrase::generate(12, wallet_core::Language::English).expect("phrase");
    let seed = phrase.to_seed(&wallet_core::SecretString::default());
    let signer =
        wallet_core::keys::signer::signer_at(&seed, &AccountScheme::Bip44.path(0).expect("path")).expect("signer");
    let key = alloy::hex::encode_prefixed(signer.to_bytes());
    let s = Session::new(
        dir,
        SessionOptions {
            new_store: wallet_core::StoreKind::File,
            kdf: wallet_core::vault::KdfParams::INSECURE_TEST_ONLY,
            network: Some(NetworkChoice::Devnet { rpc_url: chain.devnet.info().rpc_url.clone() }),
        },
    );
    let pw = wallet_core::SecretString::new(crate::gasless::PASSWORD.to_owned());
    let restored =
        s.restore(phrase, wallet_core::SecretString::default(), &pw, 1, None, |_, _| {}).await.expect("restore");
    let me = restored.wallet.accounts[0].address;
    assert_eq!(me, signer.address());
    chain.send_store(0, me, store).await;
    (s, me, key)
}

/// The stored payment header of authorization `nonce` (what was sent, and is sent again).
fn stored_header(dir: &std::path::Path, nonce: B256) -> String {
    let db = Db::open(&dir.join(wallet_core::store::DB_FILE)).expect("db");
    db.authorization(&nonce).expect("read").expect("stored").header
}

/// A dev chain, the demo merchant's checkout in front of the official packages, and a shopper
/// holding 100 STORE and no ether (with its key, for what cast sends as another wallet would).
struct Shopping {
    chain: DevChain,
    rpc: String,
    checkout: Checkout,
    s: wallet_core::session::Session,
    me: Address,
    key: String,
    gateway: String,
    tmp: tempfile::TempDir,
}

impl Shopping {
    /// The Permit2 checkout `link` paid while the shop refuses it for want of an allowance: approved on
    /// chain for the sheet, withdrawn between the sheet and the payment (another wallet of the
    /// shopper's, say), so the official facilitator answers 412. The refused (outstanding) receipt.
    async fn refused_for_want_of_an_allowance(&self, link: &str, amount: U256) -> wallet_core::session::Receipt {
        approve(&self.rpc, &self.key, self.me, amount);
        let sheet = self.s.quote(link, 0, None).await.expect("sheet");
        let q = sheet.gasless().cloned().unwrap_or_else(|| panic!("payable once approved: {:?}", sheet.blockers));
        assert_eq!((q.method, q.sponsored_approval), (TransferMethod::Permit2, None));
        approve(&self.rpc, &self.key, self.me, U256::ZERO);
        let refused = self.s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("stored and sent");
        assert_eq!(refused.status, PaymentStatus::Rejected, "the shop's refusal is not final");
        assert!(
            refused.error.as_deref().is_some_and(|e| e.contains("permit2_allowance_required")),
            "{:?}",
            refused.error
        );
        refused
    }

    async fn start() -> Self {
        let chain = DevChain::start(false).await;
        let rpc = chain.devnet.info().rpc_url.clone();
        let checkout = Checkout::start(&chain).await;
        let tmp = tempfile::tempdir().expect("tmp");
        let (s, me, key) = shopper_with_key(&chain, tmp.path(), units(100)).await;
        let gateway = checkout.gateway.url.clone();
        Self { chain, rpc, checkout, s, me, key, gateway, tmp }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn permit2_pays_the_official_facilitator_sponsored_or_after_the_shoppers_approval() {
    let Shopping { chain: _chain, rpc, checkout, s, me, key: _key, gateway, tmp } = Shopping::start().await;
    let amount = units(25) / U256::from(2u8);

    // The demo shop's page offers each kind beside the EIP-3009 link, each with its own code.
    let page = reqwest::get(&checkout.shop_url).await.expect("page").text().await.expect("text");
    for kind in ["permit2-sponsored", "permit2", "upto", "signed"] {
        assert!(page.contains(&format!("{gateway}{kind}/0")), "{kind} is offered on the demo page");
    }

    // No allowance and no sponsorship: the sheet says the one-time approval is needed; nothing signed.
    let sheet = s.quote(&format!("{gateway}permit2/0"), 0, None).await.expect("sheet");
    let [Blocker::ApprovalNeeded { token, symbol, amount: shown }] = sheet.blockers.as_slice() else {
        panic!("{:?}", sheet.blockers)
    };
    assert_eq!((*token, symbol.as_str(), shown.as_str()), (STORE_TOKEN, "STORE", "12.5"));
    assert!(sheet.gasless().is_none());

    // The shop sponsors the approval: an EIP-2612 permit for Permit2, for this amount only, goes with
    // the payment, and the shopper with no ether pays.
    let sheet = s.quote(&format!("{gateway}permit2-sponsored/0"), 0, None).await.expect("sheet");
    let q = sheet.gasless().cloned().unwrap_or_else(|| panic!("payable: {:?}", sheet.blockers));
    assert_eq!((q.method, q.amount), (TransferMethod::Permit2, amount));
    assert!(q.sponsored_approval.is_some() && q.payment_id.as_deref().is_some_and(|id| id.starts_with("pay_")));
    let receipt = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("paid");
    assert_eq!(receipt.status, PaymentStatus::Confirmed, "{:?} {:?}", receipt.error, receipt.notice);
    let a = receipt.authorization().cloned().expect("authorization");
    assert_eq!((a.method, a.received), (TransferMethod::Permit2, Some(amount)));
    let deposit: Address = checkout.order(0).await["deposit"].as_str().expect("deposit").parse().expect("address");
    assert_eq!(on_chain(&rpc, me), ((units(100) - amount).to_string(), "0".into()), "no ether, exactly the amount");
    assert_eq!(on_chain(&rpc, deposit).0, amount.to_string());
    assert!(nonce_used(&rpc, me, a.nonce), "Permit2's bitmap says the nonce is used");
    assert_eq!(allowance(&rpc, me), "0", "the sponsored approval allowed this payment and nothing more");

    // The payment-identifier: the same stored header again gets the shop's first answer, pays nothing
    // more; the id with other bytes is a conflict (409).
    let header = stored_header(tmp.path(), a.nonce);
    let http = reqwest::Client::new();
    let again = http.get(format!("{gateway}permit2-sponsored/0")).header("PAYMENT-SIGNATURE", &header).send().await;
    assert_eq!(again.expect("answer").status().as_u16(), 200, "the cached answer");
    let decoded = wallet_core::pay::x402::decode_base64(&header).expect("base64");
    let mut other: serde_json::Value = serde_json::from_slice(&decoded).expect("json");
    other["payload"]["signature"] = format!("0x{}", "11".repeat(65)).into();
    let other = wallet_core::pay::x402::encode_base64(other.to_string().as_bytes());
    let conflict = http.get(format!("{gateway}permit2-sponsored/0")).header("PAYMENT-SIGNATURE", other).send().await;
    assert_eq!(conflict.expect("answer").status().as_u16(), 409);
    assert_eq!(on_chain(&rpc, deposit).0, amount.to_string(), "paid once");
}

/// The one-time approval made on chain by the shopper: then `exact` through Permit2 pays. An approval
/// withdrawn after signing gets the official facilitator's 412 (`permit2_allowance_required`): the
/// payment stays outstanding, not failed, and offers the approval; once approved again from Tender the
/// same bytes are accepted, once.
#[tokio::test(flavor = "multi_thread")]
async fn permit2_after_an_onchain_approval_and_a_412_is_paid_once_with_the_same_bytes() {
    let shopping = Shopping::start().await;
    let amount = units(25) / U256::from(2u8);
    let link = format!("{}permit2/0", shopping.gateway);
    let refused = shopping.refused_for_want_of_an_allowance(&link, amount).await;
    let Shopping { chain: _chain, rpc, checkout, s, me, key: _key, gateway: _gateway, tmp } = shopping;
    let nonce = refused.authorization().expect("authorization").nonce;
    let header = stored_header(tmp.path(), nonce);
    let deposit: Address = checkout.order(0).await["deposit"].as_str().expect("deposit").parse().expect("address");
    assert_eq!(on_chain(&rpc, deposit).0, "0");

    // The refusal offers the approval; made from Tender (this payment's amount), then a new scan of
    // the same checkout signs nothing new: the outstanding payment is sent again.
    assert!(refused.paid.actions().approve, "the shop refused for want of an allowance");
    let q = s.approval(0, STORE_TOKEN, "12.5").await.expect("approval sheet");
    let approved = s.approve(q.id(), &q.digest().to_string(), fast()).await.expect("approved");
    assert_eq!(approved.status, PaymentStatus::Confirmed);
    assert_eq!(allowance(&rpc, me), amount.to_string());
    let sheet = s.quote(&link, 0, None).await.expect("sheet again");
    assert!(!sheet.warnings.is_empty(), "the earlier, outstanding payment is shown: {:?}", sheet.warnings);
    let receipt = s.resend(nonce, fast()).await.expect("resent");
    assert_eq!(receipt.status, PaymentStatus::Confirmed, "{:?} {:?}", receipt.error, receipt.notice);
    assert_eq!(stored_header(tmp.path(), nonce), header, "the same signed bytes");
    assert_eq!(on_chain(&rpc, deposit).0, amount.to_string());
    assert!(nonce_used(&rpc, me, nonce));
    // A third send pays nothing more.
    let third = s.resend(nonce, fast()).await.expect("settled already");
    assert_eq!(third.status, PaymentStatus::Confirmed);
    assert_eq!(on_chain(&rpc, deposit).0, amount.to_string(), "paid once");
}

/// The one-time approval sent from Tender itself (no sponsorship): the blocked sheet names the token
/// and amount; without ether the approval says what its fee needs; with it, Permit2 is approved for
/// exactly this payment (cast reads the allowance), the sheet quoted again pays, and the allowance is
/// used up. A limit the shopper types is approved as typed, read back on the token's screen, and
/// revoked (`approve(Permit2, 0)`). Each approval is its own history line, never money moved; a quote
/// is confirmed once, by its digest.
#[tokio::test(flavor = "multi_thread")]
async fn the_shoppers_own_approval_from_tender_lets_permit2_pay_and_is_revocable() {
    use wallet_core::error::Error;
    use wallet_core::store::PaymentKind;
    let Shopping { chain: _chain, rpc, checkout, s, me, key: _key, gateway, tmp: _tmp } = Shopping::start().await;
    let amount = units(25) / U256::from(2u8);
    let link = format!("{gateway}permit2/0");
    let sheet = s.quote(&link, 0, None).await.expect("sheet");
    let [Blocker::ApprovalNeeded { token, amount: shown, .. }] = sheet.blockers.as_slice() else {
        panic!("{:?}", sheet.blockers)
    };
    let (token, shown) = (*token, shown.clone());

    // No ether: what the approval's fee needs, nothing signed.
    let no_ether = s.approval(0, token, &shown).await.map(|_| ());
    assert_eq!(no_ether.err().map(|e| e.code().as_str()), Some("needs_native_for_fee"));
    crate::cast::cast(&[
        "send",
        "--rpc-url",
        &rpc,
        "--private-key",
        DEV_KEY_1,
        &me.to_checksum(None),
        "--value",
        "1ether",
    ]);
    let unchanged = s.approval(0, token, "0").await.map(|_| ());
    assert!(matches!(unchanged, Err(Error::AllowanceUnchanged { .. })), "{unchanged:?}");
    let bad = s.approval(0, token, "12.5.0").await.map(|_| ());
    assert_eq!(bad.err().map(|e| e.code().as_str()), Some("invalid_amount"));

    // This payment's amount, exactly.
    let q = s.approval(0, token, &shown).await.expect("approval quote");
    assert_eq!(
        (q.sets.spender, q.sets.amount, q.sets.display.as_str(), q.current_display.as_str()),
        (PERMIT2, amount, "12.5", "0")
    );
    let tampered = s.approve(q.id(), &B256::repeat_byte(1).to_string(), fast()).await.map(|_| ());
    assert_eq!(tampered.err().map(|e| e.code().as_str()), Some("quote_mismatch"));
    let q = s.approval(0, token, &shown).await.expect("approval quote again");
    let receipt = s.approve(q.id(), &q.digest().to_string(), fast()).await.expect("approved");
    assert_eq!(receipt.status, PaymentStatus::Confirmed, "{:?} {:?}", receipt.error, receipt.notice);
    assert!(!receipt.moved(), "an approval moves no money");
    let record = receipt.payment().cloned().expect("a transaction");
    assert_eq!((record.kind, record.payee, record.received), (PaymentKind::Approval, PERMIT2, Some(amount)));
    assert_eq!(allowance(&rpc, me), amount.to_string(), "cast: Permit2 may move exactly this payment");
    let again = s.approve(q.id(), &q.digest().to_string(), fast()).await.map(|_| ());
    assert_eq!(again.err().map(|e| e.code().as_str()), Some("no_quote"), "a quote is confirmed once");

    // The sheet quoted again pays through Permit2 (the shop's facilitator), and uses the allowance up.
    let sheet = s.quote(&link, 0, None).await.expect("sheet");
    let pay = sheet.gasless().cloned().unwrap_or_else(|| panic!("payable once approved: {:?}", sheet.blockers));
    assert_eq!((pay.method, pay.sponsored_approval), (TransferMethod::Permit2, None));
    let paid = s.pay(&pay.id, &pay.digest.to_string(), 0, false, fast()).await.expect("paid");
    assert_eq!(paid.status, PaymentStatus::Confirmed, "{:?} {:?}", paid.error, paid.notice);
    let deposit: Address = checkout.order(0).await["deposit"].as_str().expect("deposit").parse().expect("address");
    assert_eq!(on_chain(&rpc, deposit).0, amount.to_string());
    assert_eq!(allowance(&rpc, me), "0", "the approval allowed this payment and nothing more");

    // A limit the shopper typed, read back as the token's screen shows it, then revoked.
    let limit = s.approval(0, token, "30").await.expect("a limit");
    s.approve(limit.id(), &limit.digest().to_string(), fast()).await.expect("approved");
    assert_eq!(allowance(&rpc, me), units(30).to_string());
    let shown = s.permit2_allowance(0, token).await.expect("allowance");
    assert_eq!((shown.spender, shown.display.as_str(), shown.symbol.as_str()), (PERMIT2, "30", "STORE"));
    let revoke = s.approval(0, token, "0").await.expect("revocation");
    assert!(revoke.revokes() && revoke.current_display == "30");
    let revoked = s.approve(revoke.id(), &revoke.digest().to_string(), fast()).await.expect("revoked");
    assert_eq!(
        (revoked.status, revoked.payment().map(|p| p.received)),
        (PaymentStatus::Confirmed, Some(Some(U256::ZERO)))
    );
    assert_eq!(allowance(&rpc, me), "0", "cast: revoked");
    assert_eq!(s.permit2_allowance(0, token).await.expect("allowance").display, "0");

    // The history: three approvals, each its own line, none money moved; the payment moved 12.5.
    let history = s.history(Some(0)).await.expect("history");
    let approvals: Vec<_> =
        history.items.iter().filter(|i| i.payment().is_some_and(|p| p.kind == PaymentKind::Approval)).collect();
    let shown: Vec<_> = approvals.iter().map(|i| (i.amount_display.as_str(), i.moved(), i.status())).collect();
    assert_eq!(
        shown,
        [
            ("0", false, PaymentStatus::Confirmed),
            ("30", false, PaymentStatus::Confirmed),
            ("12.5", false, PaymentStatus::Confirmed)
        ]
    );
    assert!(history.items.iter().any(|i| i.authorization().is_some() && i.moved() && i.amount_display == "12.5"));
    let csv = history.to_csv().expect("csv");
    assert_eq!(csv.lines().filter(|l| l.contains(",approval,")).count(), 3, "{csv}");
    assert!(csv.lines().filter(|l| l.contains(",approval,")).all(|l| l.contains(",false,")), "{csv}");
    assert_eq!(on_chain(&rpc, me).0, (units(100) - amount).to_string(), "only the payment moved STORE");
}

/// An outstanding Permit2 authorization (the shop refused it: the allowance was withdrawn meanwhile)
/// is revoked by invalidating its nonce at Permit2, from the shopper's account: cast reads the bit
/// set, the authorization is cancelled (nothing paid, never shown as spent), and once approved again
/// the same stored bytes pay nothing.
#[tokio::test(flavor = "multi_thread")]
async fn an_outstanding_permit2_authorization_is_revoked_by_invalidating_its_nonce() {
    use wallet_core::store::PaymentKind;
    let shopping = Shopping::start().await;
    let amount = units(25) / U256::from(2u8);
    let link = format!("{}permit2/0", shopping.gateway);
    let refused = shopping.refused_for_want_of_an_allowance(&link, amount).await;
    let Shopping { chain: _chain, rpc, checkout, s, me, key, gateway: _gateway, tmp } = shopping;
    assert!(refused.paid.actions().revoke, "an outstanding Permit2 authorization may be revoked");
    let nonce = refused.authorization().expect("authorization").nonce;

    let quote = s.replacement(nonce, PaymentKind::CancelAuthorization).await.expect("revocation sheet");
    assert_eq!((quote.kind, quote.tx.to), (PaymentKind::CancelAuthorization, Some(PERMIT2)));
    let tampered = s.replace(&quote.id, &B256::repeat_byte(2).to_string(), fast()).await.map(|_| ());
    assert_eq!(tampered.err().map(|e| e.code().as_str()), Some("quote_mismatch"));
    let quote = s.replacement(nonce, PaymentKind::CancelAuthorization).await.expect("revocation sheet again");
    let revoked = s.replace(&quote.id, &quote.digest.to_string(), fast()).await.expect("revoked");
    assert_eq!(revoked.status, PaymentStatus::Cancelled, "{:?} {:?}", revoked.error, revoked.notice);
    assert!(!revoked.moved());
    assert!(nonce_used(&rpc, me, nonce), "cast: Permit2's bitmap has the nonce's bit set");

    // Approved again, the same bytes sent again pay nothing: the nonce is spent.
    approve(&rpc, &key, me, amount);
    let header = stored_header(tmp.path(), nonce);
    let http = reqwest::Client::new();
    let late = http.get(&link).header("PAYMENT-SIGNATURE", &header).send().await.expect("answer");
    assert_ne!(late.status().as_u16(), 200, "the shop cannot settle a revoked authorization");
    let again = s.resend(nonce, fast()).await.expect("decided");
    assert_eq!(again.status, PaymentStatus::Cancelled);
    let deposit: Address = checkout.order(0).await["deposit"].as_str().expect("deposit").parse().expect("address");
    assert_eq!(on_chain(&rpc, deposit).0, "0", "nothing paid");
    assert_eq!(on_chain(&rpc, me).0, units(100).to_string());
    let history = s.history(Some(0)).await.expect("history");
    let line = history.items.iter().find(|i| i.authorization().is_some()).expect("the authorization's line");
    assert_eq!((line.status(), line.moved()), (PaymentStatus::Cancelled, false));
}

/// `upto`: the shopper authorizes a maximum; the till charges less (75 %), the receipt says what was
/// charged, from the chain. The proxy refuses, on chain, to settle more than was signed.
#[tokio::test(flavor = "multi_thread")]
async fn upto_is_charged_what_the_till_says_and_never_more_than_authorized() {
    let Shopping { chain: _chain, rpc, checkout, s, me, key, gateway, tmp: _tmp } = Shopping::start().await;
    let maximum = units(25) / U256::from(2u8);
    approve(&rpc, &key, me, maximum);

    let sheet = s.quote(&format!("{gateway}upto/0"), 0, None).await.expect("sheet");
    let q = sheet.gasless().cloned().unwrap_or_else(|| panic!("payable: {:?}", sheet.blockers));
    let facilitator: Address = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f".parse().expect("anvil's dev account 8");
    assert_eq!((q.method, q.amount, q.facilitator), (TransferMethod::Upto, maximum, Some(facilitator)));
    let receipt = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("paid");
    assert_eq!(receipt.status, PaymentStatus::Confirmed, "{:?} {:?}", receipt.error, receipt.notice);
    let a = receipt.authorization().cloned().expect("authorization");
    let charged = maximum * U256::from(75u8) / U256::from(100u8);
    assert_eq!((a.amount, a.received), (maximum, Some(charged)), "authorized, and charged");
    assert_eq!(receipt.amount_display, "9.375", "money shown is money moved: what was charged");
    assert!(!receipt.paid.actions().revoke, "no EIP-3009 revocation for a Permit2 authorization");
    let deposit: Address = checkout.order(0).await["deposit"].as_str().expect("deposit").parse().expect("address");
    assert_eq!(on_chain(&rpc, deposit).0, charged.to_string(), "cast: the payee got what was charged");
    assert_eq!(on_chain(&rpc, me).0, (units(100) - charged).to_string());

    // Settling above the maximum is impossible on chain, whoever tries: a fresh authorization for
    // 1 STORE, submitted by the named facilitator for 2.
    let signer = alloy::signers::local::PrivateKeySigner::from_bytes(&key.parse().expect("key")).expect("signer");
    let auth = permit2::Authorization {
        from: me,
        token: STORE_TOKEN,
        amount: units(1),
        nonce: permit2::random_nonce().expect("nonce"),
        deadline: u64::MAX / 2,
        to: deposit,
        valid_after: 0,
        scheme: permit2::Scheme::Upto { facilitator },
    };
    approve(&rpc, &key, me, units(10));
    let signature =
        alloy::signers::SignerSync::sign_hash_sync(&signer, &auth.signing_hash(devnet::CHAIN_ID)).expect("sign");
    let settle = |amount: U256| {
        crate::cast::try_cast(&[
            "send",
            "--rpc-url",
            &rpc,
            "--private-key",
            devnet::FACILITATOR_KEY,
            &UPTO_PROXY.to_checksum(None),
            "settle(((address,uint256),uint256,uint256),uint256,address,(address,address,uint256),bytes)",
            &format!("(({},{}),{},{})", STORE_TOKEN, auth.amount, auth.nonce, auth.deadline),
            &amount.to_string(),
            &me.to_checksum(None),
            &format!("({},{},0)", deposit, facilitator),
            &alloy::hex::encode_prefixed(signature.as_bytes()),
        ])
    };
    let above = settle(units(2));
    assert!(above.is_err(), "settled above the maximum: {above:?}");
    assert_eq!(on_chain(&rpc, deposit).0, charged.to_string(), "nothing more moved");
    settle(units(1)).expect("the maximum itself settles");
    assert_eq!(on_chain(&rpc, deposit).0, (charged + units(1)).to_string());
}

/// The shop signs its offer and its receipt (the official offer-receipt extension, EIP-712, its key
/// published at its own `/.well-known/did.json`): the sheet carries the checked offer, the payment keeps
/// the checked receipt. The same terms tampered (another amount
/// in the offer, or re-signed by a stranger) are blocked, and nothing is signed or stored.
#[tokio::test(flavor = "multi_thread")]
async fn a_signed_offer_is_checked_and_the_signed_receipt_kept_and_tampering_is_blocked() {
    use alloy::sol_types::SolStruct;
    let Shopping { chain: _chain, rpc: _rpc, checkout: _checkout, s, me, key: _key, gateway, tmp } =
        Shopping::start().await;
    let shop_key: Address = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f".parse().expect("anvil's dev account 8");

    let sheet = s.quote(&format!("{gateway}signed/0"), 0, None).await.expect("sheet");
    let q = sheet.gasless().cloned().unwrap_or_else(|| panic!("payable: {:?}", sheet.blockers));
    assert_eq!(q.offer_signer, Some(shop_key), "signed by the key the shop's origin publishes");
    let receipt = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("paid");
    assert_eq!(receipt.status, PaymentStatus::Confirmed, "{:?} {:?}", receipt.error, receipt.notice);
    let a = receipt.authorization().cloned().expect("authorization");
    let kept: serde_json::Value =
        serde_json::from_str(a.receipt.as_deref().expect("the receipt is kept")).expect("json");
    assert_eq!(kept["payload"]["payer"].as_str().map(str::to_lowercase), Some(me.to_string().to_lowercase()));
    // Privacy-minimal (no transaction named), or naming the settlement's own.
    let named = kept["payload"]["transaction"].as_str().unwrap_or_default();
    assert!(named.is_empty() || Some(named) == receipt.tx_hash.map(|t| t.to_string()).as_deref(), "{named}");

    // The proof a return desk can check: the offer and the receipt as the shop signed them, the
    // transaction, the signer.
    let proof = s.payment_proof(a.nonce).await.expect("proof");
    let offer: serde_json::Value = serde_json::from_str(q.offer.as_deref().expect("offer")).expect("json");
    assert_eq!(proof["offer"], offer);
    assert_eq!(proof["receipt"], kept);
    assert_eq!(proof["verify"]["signer"], shop_key.to_checksum(None));
    assert_eq!(proof["payment"]["transaction"].as_str(), receipt.tx_hash.map(|t| t.to_string()).as_deref());
    // Saved as a file (what the app's "Save as a file" does): the same document, named after the payment.
    let saved = s.save_payment_proof(a.nonce, &tmp.path().join("downloads")).await.expect("saved");
    assert!(saved.file_name().is_some_and(|n| n.to_string_lossy().starts_with("tender-proof-")), "{saved:?}");
    let read: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved).expect("read")).expect("json");
    assert_eq!(read, proof);

    // The official terms, tampered and served from elsewhere.
    let official = reqwest::get(format!("{gateway}signed/0")).await.expect("402");
    let header = official.headers()["PAYMENT-REQUIRED"].to_str().expect("header").to_owned();
    let terms: serde_json::Value =
        serde_json::from_slice(&wallet_core::pay::x402::decode_base64(&header).expect("base64")).expect("json");
    let mut other_amount = terms.clone();
    other_amount["extensions"]["offer-receipt"]["info"]["offers"][0]["payload"]["amount"] = "1".into();
    let mut stranger = terms.clone();
    let offer = &terms["extensions"]["offer-receipt"]["info"]["offers"][0]["payload"];
    let payload = wallet_core::pay::signed::Offer {
        version: U256::from(1),
        resourceUrl: offer["resourceUrl"].as_str().expect("url").into(),
        scheme: offer["scheme"].as_str().expect("scheme").into(),
        network: offer["network"].as_str().expect("network").into(),
        asset: offer["asset"].as_str().expect("asset").into(),
        payTo: offer["payTo"].as_str().expect("payTo").into(),
        amount: offer["amount"].as_str().expect("amount").into(),
        validUntil: U256::from(offer["validUntil"].as_u64().expect("validUntil")),
    };
    let domain = alloy::sol_types::Eip712Domain::new(
        Some("x402 offer".into()),
        Some("1".into()),
        Some(U256::from(1)),
        None,
        None,
    );
    let key = alloy::signers::local::PrivateKeySigner::random();
    let sig = alloy::signers::SignerSync::sign_hash_sync(&key, &payload.eip712_signing_hash(&domain)).expect("sign");
    stranger["extensions"]["offer-receipt"]["info"]["offers"][0]["signature"] =
        format!("0x{}", alloy::hex::encode(sig.as_bytes())).into();
    let served = [other_amount, stranger].map(|t| wallet_core::pay::x402::encode_base64(t.to_string().as_bytes()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}/", listener.local_addr().expect("addr"));
    let app = axum::Router::new().route(
        "/{case}",
        axum::routing::get(move |axum::extract::Path(case): axum::extract::Path<usize>| {
            let header = served[case].clone();
            async move { (axum::http::StatusCode::PAYMENT_REQUIRED, [("PAYMENT-REQUIRED", header)], "{}") }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    for (case, why) in [(0, "does not match"), (1, "does not publish")] {
        let sheet = s.quote(&format!("{base}{case}"), 0, None).await.expect("sheet");
        let [Blocker::OfferInvalid { reason }] = sheet.blockers.as_slice() else {
            panic!("{case}: {:?}", sheet.blockers)
        };
        assert!(reason.contains(why), "{case}: {reason}");
        assert!(sheet.gasless().is_none(), "nothing to sign");
    }
}

/// A shop that answers the payment with 409 (payment-identifier: another payment under this
/// checkout's id): shown as such, in the shop's own terms, and not final — the signed authorization
/// stays outstanding for the chain to decide, nothing moved.
#[tokio::test(flavor = "multi_thread")]
async fn a_409_for_the_payment_identifier_is_shown_as_such_and_is_not_final() {
    let chain = DevChain::start(false).await;
    let tmp = tempfile::tempdir().expect("tmp");
    let (s, _me) = shopper(&chain, tmp.path(), units(100)).await;
    let pay_to = Address::repeat_byte(0x51);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}/", listener.local_addr().expect("addr"));
    let terms = serde_json::json!({
        "x402Version": 2,
        "resource": { "url": format!("{base}pay/1"), "description": "Order 1" },
        "accepts": [{ "scheme": "exact", "network": "eip155:31337", "amount": "1000000000000000000",
            "asset": STORE_TOKEN.to_checksum(None), "payTo": pay_to.to_checksum(None), "maxTimeoutSeconds": 60,
            "extra": { "name": "Store Credit", "version": "1" } }],
        "extensions": { "payment-identifier": { "info": { "required": true } } }
    });
    let header = wallet_core::pay::x402::encode_base64(terms.to_string().as_bytes());
    let app = axum::Router::new().route(
        "/pay/1",
        axum::routing::get(move |headers: axum::http::HeaderMap| {
            let header = header.clone();
            async move {
                use axum::response::IntoResponse;
                let paid = headers.get("PAYMENT-SIGNATURE").and_then(|h| h.to_str().ok()).map(str::to_owned);
                match paid {
                    // The payment carries the id the shop declared as required.
                    Some(p) => {
                        let json = wallet_core::pay::x402::decode_base64(&p).expect("base64");
                        let v: serde_json::Value = serde_json::from_slice(&json).expect("json");
                        let id = v["extensions"]["payment-identifier"]["info"]["id"].as_str().unwrap_or_default();
                        assert!(id.starts_with("pay_") && id.len() >= 16, "{id}");
                        assert_eq!(
                            v["extensions"]["payment-identifier"]["info"]["required"], true,
                            "echoed as written"
                        );
                        (axum::http::StatusCode::CONFLICT, "{}").into_response()
                    }
                    None => {
                        (axum::http::StatusCode::PAYMENT_REQUIRED, [("PAYMENT-REQUIRED", header)], "{}").into_response()
                    }
                }
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    let sheet = s.quote(&format!("{base}pay/1"), 0, None).await.expect("sheet");
    let q = sheet.gasless().cloned().unwrap_or_else(|| panic!("payable: {:?}", sheet.blockers));
    let receipt = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("sent");
    assert_eq!(receipt.status, PaymentStatus::Rejected, "not final: the chain decides");
    assert!(
        receipt.error.as_deref().is_some_and(|e| e.contains("other terms for this checkout")),
        "{:?}",
        receipt.error
    );
    assert!(!receipt.moved());
    assert!(receipt.paid.actions().resend, "it can be sent again, the same bytes");
}

/// Before anything is signed, Permit2 and the scheme's proxy must be the canonical ones on this
/// chain: Permit2's code made for another domain, another proxy's code at the address, or none there
/// is a blocker, and nothing is signed.
#[tokio::test(flavor = "multi_thread")]
async fn permit2_or_its_proxy_not_the_canonical_one_is_a_blocker() {
    use alloy::providers::Provider;
    use alloy::providers::ext::AnvilApi;
    use wallet_core::pay::permit2::EXACT_PROXY;
    let Shopping { chain, rpc, checkout: _checkout, s, me, key, gateway, tmp: _tmp } = Shopping::start().await;
    approve(&rpc, &key, me, units(100));
    let provider = &chain.client.provider;
    let proxy_code = provider.get_code_at(EXACT_PROXY).await.expect("code");
    let upto_code = provider.get_code_at(UPTO_PROXY).await.expect("code");
    let cases = [
        (PERMIT2, devnet::permit2_runtime(1).expect("code"), "not Permit2 for this network"),
        (EXACT_PROXY, upto_code, "not the canonical one"),
        (EXACT_PROXY, Default::default(), "not deployed"),
    ];
    for (address, code, why) in cases {
        provider.anvil_set_code(address, code).await.expect("set code");
        let sheet = s.quote(&format!("{gateway}permit2/0"), 0, None).await.expect("sheet");
        let [Blocker::Permit2Unavailable { reason }] = sheet.blockers.as_slice() else {
            panic!("{why}: {:?}", sheet.blockers)
        };
        assert!(reason.contains(why), "{why}: {reason}");
        assert!(sheet.gasless().is_none(), "nothing to sign");
        // Put back as the dev chain places them.
        provider.anvil_set_code(PERMIT2, devnet::permit2_runtime(devnet::CHAIN_ID).expect("code")).await.expect("set");
        provider.anvil_set_code(EXACT_PROXY, proxy_code.clone()).await.expect("set");
    }
    let sheet = s.quote(&format!("{gateway}permit2/0"), 0, None).await.expect("sheet");
    assert!(sheet.gasless().is_some(), "payable again: {:?}", sheet.blockers);
}
