//! The retailer's signed token list and the dev chain's second stablecoin, on a real anvil with the
//! demo shop in front of the official x402 packages. The list is signed by foundry's `cast wallet sign`
//! (the committed one, and a newer one signed here), checked by the wallet against the key Tender's
//! network data pins: a changed byte, another key or an older list is refused. tEUR, a plain ERC-20
//! with no signed payments of its own, is then the retailer's token, and a checkout in it is paid
//! without ETH through Permit2 after the shopper's own approval — every amount read back with `cast`.

use alloy::primitives::{Address, U256};
use tender_devtools::devnet::PLAIN_STABLE;
use tender_devtools::retailer::{TOKEN_LIST, TOKEN_LIST_SIGNATURE};
use wallet_core::error::{Blocker, Error};
use wallet_core::pay::permit2::PERMIT2;
use wallet_core::pay::warning::Warning;
use wallet_core::store::{PaymentStatus, TransferMethod};

use crate::DevChain;
use crate::cast::cast;
use crate::gasless::Checkout;
use crate::payment::fast;

/// Anvil's account 7: the dev chain's retailer, whose address the network data pins.
const RETAILER_KEY: &str = "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356";
/// Anvil's account 5: anyone else.
const OTHER_KEY: &str = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";

fn cast_sign(key: &str, bytes: &[u8]) -> String {
    cast(&["wallet", "sign", "--private-key", key, &alloy::hex::encode_prefixed(bytes)])
}

fn balance(rpc: &str, who: Address) -> String {
    let token = PLAIN_STABLE.address.to_checksum(None);
    let answer = cast(&["call", "--rpc-url", rpc, &token, "balanceOf(address)(uint256)", &who.to_checksum(None)]);
    answer.split(' ').next().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_retailers_signed_list_vouches_for_a_permit2_only_stablecoin_that_pays_without_eth() {
    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let euro = wallet_core::chain::token::Token {
        chain_id: tender_devtools::devnet::CHAIN_ID,
        address: PLAIN_STABLE.address,
        symbol: PLAIN_STABLE.symbol.into(),
        name: PLAIN_STABLE.name.into(),
        decimals: PLAIN_STABLE.decimals,
        featured: false,
        verified: false,
        list: None,
    };
    let amount = U256::from(12_500_000u64);
    let checkout = Checkout::start_with(&chain, euro, amount).await;
    let link = format!("{}permit2/0", checkout.gateway.url);
    let (_tmp, s) = crate::session::restored(&rpc).await;
    let me = s.account(0).await.expect("account").address;
    assert_eq!(balance(&rpc, me), "1000000000", "the dev chain funds 1 000 tEUR");

    // Before the list: tEUR is nobody's, and a checkout in it is refused with nothing signed.
    assert!(!s.tokens().await.expect("tokens").iter().any(|t| t.address == PLAIN_STABLE.address));
    let sheet = s.quote(&link, 0, None).await.expect("sheet");
    assert!(
        matches!(sheet.blockers.as_slice(), [Blocker::UnknownToken { address }] if *address == PLAIN_STABLE.address),
        "{:?}",
        sheet.blockers
    );

    // The committed list, signed by cast with the retailer's key, is taken; a changed byte, another
    // key's signature, a list for no signer are refused.
    let list = s.import_token_list(TOKEN_LIST, TOKEN_LIST_SIGNATURE).await.expect("the retailer's list");
    assert_eq!(
        (list.name.as_str(), list.version.to_string().as_str(), list.tokens.len()),
        ("Tender Store", "1.0.0", 1)
    );
    let mut tampered = TOKEN_LIST.to_vec();
    let at = tampered.windows(4).position(|w| w == b"tEUR").expect("the symbol");
    tampered[at + 3] = b'X';
    for (bytes, signature) in
        [(tampered.clone(), TOKEN_LIST_SIGNATURE.to_owned()), (TOKEN_LIST.to_vec(), cast_sign(OTHER_KEY, TOKEN_LIST))]
    {
        let refused = s.import_token_list(&bytes, &signature).await;
        assert!(matches!(refused, Err(Error::TokenListRefused { .. })), "{refused:?}");
    }
    let tokens = s.tokens().await.expect("tokens");
    let listed = tokens.iter().find(|t| t.address == PLAIN_STABLE.address).expect("tEUR is the retailer's now");
    assert_eq!((listed.verified, listed.list.as_deref(), listed.decimals), (true, Some("Tender Store"), 6));

    // A newer list, signed here with cast, replaces it; the older one cannot come back.
    let newer = String::from_utf8(TOKEN_LIST.to_vec()).expect("utf8").replace("\"minor\": 0", "\"minor\": 1");
    s.import_token_list(newer.as_bytes(), &cast_sign(RETAILER_KEY, newer.as_bytes())).await.expect("newer");
    let older = s.import_token_list(TOKEN_LIST, TOKEN_LIST_SIGNATURE).await;
    assert!(matches!(older, Err(Error::TokenListRefused { .. })), "{older:?}");
    assert_eq!(s.token_list().await.expect("in use").map(|l| l.version), Some("1.1.0".to_owned()));

    // What the chain says of tEUR: no signed payment of its own, Permit2 usable.
    let overview = s.token_overview(PLAIN_STABLE.address).await.expect("overview");
    assert_eq!((overview.eip3009, overview.eip2612, overview.permit2), (false, false, true));

    // The checkout: the one-time approval of Permit2 first (vouched for now: no warning), then paid
    // without ETH through Permit2, exactly once.
    let sheet = s.quote(&link, 0, None).await.expect("sheet");
    assert!(!sheet.warnings.iter().any(|w| matches!(w, Warning::UnverifiedToken { .. })), "{:?}", sheet.warnings);
    let [Blocker::ApprovalNeeded { token, symbol, amount: shown }] = sheet.blockers.as_slice() else {
        panic!("{:?}", sheet.blockers)
    };
    assert_eq!((*token, symbol.as_str(), shown.as_str()), (PLAIN_STABLE.address, "tEUR", "12.5"));
    let approval = s.approval(0, PLAIN_STABLE.address, "12.5").await.expect("approval sheet");
    let approved = s.approve(approval.id(), &approval.digest().to_string(), fast()).await.expect("approved");
    assert_eq!(approved.status, PaymentStatus::Confirmed, "{:?}", approved.error);
    let allowance = cast(&[
        "call",
        "--rpc-url",
        &rpc,
        &PLAIN_STABLE.address.to_checksum(None),
        "allowance(address,address)(uint256)",
        &me.to_checksum(None),
        &PERMIT2.to_checksum(None),
    ]);
    assert_eq!(allowance.split(' ').next(), Some("12500000"), "cast: Permit2 may move exactly this payment");
    let sheet = s.quote(&link, 0, None).await.expect("sheet");
    let q = sheet.gasless().cloned().unwrap_or_else(|| panic!("payable once approved: {:?}", sheet.blockers));
    assert_eq!((q.method, q.amount), (TransferMethod::Permit2, amount));
    let paid = s.pay(&q.id, &q.digest.to_string(), 0, false, fast()).await.expect("paid");
    assert_eq!(paid.status, PaymentStatus::Confirmed, "{:?} {:?}", paid.error, paid.notice);
    let deposit: Address = checkout.order(0).await["deposit"].as_str().expect("deposit").parse().expect("address");
    assert_eq!(balance(&rpc, deposit), "12500000", "cast: the shop got exactly 12.5 tEUR");
    assert_eq!(balance(&rpc, me), "987500000");
    chain.stop();
}
