use super::*;
use proptest::prelude::*;

const PAYEE: &str = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";
const USDT: &str = "0xdAC17F958D2ee523a2206206994597C13D831ec7";

fn addr(s: &str) -> Target {
    Target::Address(s.parse().expect("address"))
}

fn code(uri: &str) -> &'static str {
    parse(uri).err().map(|e| e.code().as_str()).unwrap_or("ok")
}

/// The examples of the EIP-681 text (https://eips.ethereum.org/EIPS/eip-681).
#[test]
fn eip681_specification_examples() {
    // The spec writes its first example with a mixed-case address that is NOT the EIP-55 form
    // (0xfb69…bb79Ce92… instead of 0xfB69…bB79Ce92…). A checksum exists to catch exactly that, so
    // Tender refuses it as written, and reads the correctly checksummed and the all-lowercase forms.
    assert_eq!(code("ethereum:0xfb6916095ca1df60bb79Ce92cE3Ea74c37c5d359?value=2.014e18"), "bad_address_checksum");
    for written in [PAYEE.to_owned(), PAYEE.to_lowercase()] {
        let r = parse(&format!("ethereum:{written}?value=2.014e18")).expect("ether");
        assert_eq!(r.recipient, Some(addr(PAYEE)));
        assert_eq!(r.amount, Some(U256::from(2_014_000_000_000_000_000u64)));
        assert_eq!((r.token.clone(), r.chain_id), (None, None));
    }
    let r = parse(
        "ethereum:0x89205a3a3b2a69de6dbf7f01ed13b2108b2c43e7/transfer?address=0x8e23ee67d1332ad560396262c48ffbb01f93d052&uint256=1",
    )
    .expect("token");
    assert_eq!(r.token, Some(addr("0x89205a3a3b2a69de6dbf7f01ed13b2108b2c43e7")));
    assert_eq!(
        r.recipient,
        Some(addr("0x8e23ee67d1332ad560396262c48ffbb01f93d052")),
        "payee is address=, not the token"
    );
    assert_eq!(r.amount, Some(U256::from(1)));
}

/// The wallet bugs the issue quotes: MetaMask Mobile read `uint256=1500000` of USDT (6 decimals) as
/// 1.5 million tokens; wallets paid the token contract; `@chainId` was ignored; `2.014e18` went
/// through floats.
#[test]
fn known_wallet_bugs_do_not_happen_here() {
    let r = parse(&format!("ethereum:{USDT}@1/transfer?address={PAYEE}&uint256=1500000")).expect("usdt");
    assert_eq!(r.amount, Some(U256::from(1_500_000u64)), "base units, exactly: 1.5 USDT");
    assert_eq!(r.token, Some(addr(USDT)));
    assert_ne!(r.recipient, r.token, "never pay the token contract");
    assert_eq!(r.chain_id, Some(1));
    assert_eq!(parse(&format!("ethereum:{PAYEE}@8453?value=1")).expect("base").chain_id, Some(8453));
    // 2.014e18 through f64 is 2013999999999999744 or similar; exact arithmetic gives the real number.
    assert_eq!(parse_number("2.014e18", "value").expect("n").to_string(), "2014000000000000000");
    assert_eq!(parse_number("1.23456789012345678901e20", "v").expect("n").to_string(), "123456789012345678901");
}

#[test]
fn numbers_are_exact_or_refused() {
    let n = |t: &str| parse_number(t, "value").map(|v| v.to_string()).map_err(|e| e.code().as_str());
    assert_eq!(n("0"), Ok("0".into()));
    assert_eq!(n("-0"), Ok("0".into()));
    assert_eq!(n("+7"), Ok("7".into()));
    assert_eq!(n("1000e-3"), Ok("1".into()));
    assert_eq!(n("1.500e3"), Ok("1500".into()));
    assert_eq!(n("0.5e1"), Ok("5".into()));
    assert_eq!(n("1E2"), Ok("100".into()));
    assert_eq!(n("007"), Ok("7".into()));
    let max = U256::MAX.to_string();
    assert_eq!(n(&max), Ok(max.clone()));
    assert_eq!(n("5e-1"), Err("fractional_amount"));
    assert_eq!(n("1.5"), Err("fractional_amount"));
    assert_eq!(n("1e-100"), Err("fractional_amount"));
    assert_eq!(n("-1"), Err("negative_amount"));
    assert_eq!(n("-2.5e18"), Err("negative_amount"));
    assert_eq!(n("1e78"), Err("amount_overflow"));
    assert_eq!(
        n("115792089237316195423570985008687907853269984665640564039457584007913129639936"),
        Err("amount_overflow")
    );
    assert_eq!(n("1e999999"), Err("amount_overflow"));
    for bad in [
        "",
        "-",
        "e18",
        ".",
        "1.",
        ".5e",
        "1e",
        "1e+",
        "0x10",
        "1,5",
        "1 000",
        "1e1e1",
        "１",
        "1e9999999",
        "NaN",
        "inf",
    ] {
        assert_eq!(n(bad), Err("malformed_request"), "{bad:?}");
    }
    assert_eq!(n(".5e1"), Ok("5".into()));
}

#[test]
fn grammar_edge_cases() {
    assert_eq!(code(&format!("ethereum:pay-{PAYEE}?value=1")), "ok");
    assert_eq!(code(&format!("ETHEREUM:{PAYEE}")), "ok");
    assert_eq!(parse(&format!("ethereum:{PAYEE}")).expect("open amount").amount, None);
    assert_eq!(code(&format!("bitcoin:{PAYEE}")), "not_ethereum");
    assert_eq!(code("https://shop.example/pay"), "not_ethereum");
    assert_eq!(code("ethereum:"), "malformed_request");
    assert_eq!(code(&format!("ethereum:{PAYEE}@0")), "bad_chain_id");
    assert_eq!(code(&format!("ethereum:{PAYEE}@0x1")), "bad_chain_id");
    assert_eq!(code(&format!("ethereum:{PAYEE}@")), "bad_chain_id");
    assert_eq!(code(&format!("ethereum:{PAYEE}@99999999999999999999")), "bad_chain_id");
    assert_eq!(code("ethereum:0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d358"), "bad_address_checksum");
    assert_eq!(code("ethereum:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d35"), "invalid_address");
    assert_eq!(code(&format!("ethereum:{USDT}/approve?address={PAYEE}&uint256=1")), "unknown_function");
    assert_eq!(code(&format!("ethereum:{USDT}/transfer?uint256=1")), "missing_parameter");
    assert_eq!(code(&format!("ethereum:{USDT}/transfer?address={PAYEE}&uint256=1&value=5")), "ambiguous_request");
    assert_eq!(code(&format!("ethereum:{USDT}/transfer?address={PAYEE}&uint256=1&value=0")), "ok");
    assert_eq!(code(&format!("ethereum:{PAYEE}?value=1&value=2")), "duplicate_parameter");
    assert_eq!(code(&format!("ethereum:{PAYEE}?gas=1&gasLimit=2")), "duplicate_parameter");
    assert_eq!(code(&format!("ethereum:{PAYEE}?req-refund=1")), "unsupported_requirement");
    assert_eq!(code(&format!("ethereum:{PAYEE}?address={USDT}")), "malformed_request");
    assert_eq!(code(&format!("ethereum:{PAYEE}?value")), "malformed_request");
    assert_eq!(code(&format!("ethereum:{PAYEE}?label=%FF")), "malformed_request");
    assert_eq!(code(&format!("ethereum:{PAYEE}?unknown=whatever&value=1")), "ok");
    assert_eq!(code(&"x".repeat(MAX_REQUEST_LEN + 1)), "request_too_long");
    let r =
        parse(&format!("ethereum:{USDT}@1/transfer?address={PAYEE}&uint256=2e6&gas=65000&gasPrice=1e9")).expect("gas");
    assert_eq!((r.gas_limit, r.gas_price), (Some(U256::from(65_000)), Some(U256::from(1_000_000_000u64))));
}

#[test]
fn ens_names_and_merchant_metadata() {
    let r = parse("ethereum:Shop.ETH@1?value=1e16&label=Caf%C3%A9%20Zo%C3%A9&message=Table%207%0Athanks&order=A-1029&expires=1893456000")
        .expect("ens");
    assert_eq!(r.recipient, Some(Target::Ens("shop.eth".into())));
    assert_eq!(r.label.as_deref(), Some("Café Zoé"));
    assert_eq!(r.message.as_deref(), Some("Table 7 thanks"), "control characters are neutralised");
    let spoof = parse(&format!("ethereum:{PAYEE}?label=Good%E2%80%AEShop")).expect("bidi");
    assert_eq!(spoof.label.as_deref(), Some("GoodShop"), "bidi overrides removed");
    assert_eq!(r.order.as_deref(), Some("A-1029"));
    assert!(!r.is_expired(1_893_456_000) && r.is_expired(1_893_456_001));
    assert_eq!(code("ethereum:not an address"), "invalid_address");
    assert_eq!(code("ethereum:shop..eth"), "invalid_address");
    assert_eq!(code(&format!("ethereum:{PAYEE}?expires=tomorrow")), "malformed_request");
    assert_eq!(code(&format!("ethereum:{PAYEE}?label={}", "a".repeat(MAX_TEXT_CHARS + 1))), "malformed_request");
}

/// Audit findings: `value=1&Value=1000` and `%76alue=` were not duplicate keys; `Pay-shop.eth` and
/// `pay-shop.eth` named different payees; `to_uri()` of an ENS name starting with `pay-` did not
/// parse back to it; a Cyrillic "ѕhop.eth" passed as a name.
#[test]
fn one_request_one_reading() {
    assert_eq!(code(&format!("ethereum:{PAYEE}?value=1&Value=1000")), "duplicate_parameter");
    assert_eq!(code(&format!("ethereum:{PAYEE}?value=1&VALUE=1000")), "duplicate_parameter");
    assert_eq!(code(&format!("ethereum:{PAYEE}?%76alue=1000")), "malformed_request");
    assert_eq!(code(&format!("ethereum:{PAYEE}?value=1&%76alue=1000")), "malformed_request");
    assert_eq!(code(&format!("ethereum:{PAYEE}?=1")), "malformed_request");
    let upper = parse("ethereum:Pay-shop.eth?value=1").expect("name");
    let lower = parse("ethereum:pay-shop.eth?value=1").expect("name");
    assert_eq!(upper.recipient, Some(Target::Ens("shop.eth".into())), "EIP-681's pay- prefix, any case of the name");
    assert_eq!(upper, lower);
    let named = PaymentRequest { recipient: Some(Target::Ens("pay-shop.eth".into())), ..PaymentRequest::default() };
    assert_eq!(named.to_uri(), "ethereum:pay-pay-shop.eth");
    assert_eq!(parse(&named.to_uri()).expect("round trip"), named);
    assert_eq!(parse("ethereum:pay-pay-Shop.eth").expect("name").recipient, Some(Target::Ens("pay-shop.eth".into())));
    // ENSIP-15: a Latin name with one Cyrillic letter is refused; a whole-script name is normalised.
    assert_eq!(code("ethereum:\u{0455}hop.eth?value=1"), "invalid_address");
    assert_eq!(code("ethereum:sh\u{200d}op.eth?value=1"), "invalid_address", "invisible characters");
    assert_eq!(
        parse("ethereum:CAF\u{c9}.eth?value=1").expect("name").recipient,
        Some(Target::Ens("caf\u{e9}.eth".into()))
    );
    // Found by the eip681 fuzzer: "'" normalises to "’" (three bytes), so a name just under the
    // length bound grew past it and its canonical form no longer parsed.
    let near_limit = format!("ethereum:{}'{}.eth", "a".repeat(120), "b".repeat(130));
    if let Ok(request) = parse(&near_limit) {
        assert_eq!(parse(&request.to_uri()).expect("parses back"), request);
    }
    // Found by the eip681 fuzzer: a name whose normal form is not its own normal form (here with "¾",
    // mapped to "3⁄4", and apostrophes): it parsed once and never again.
    let unstable = include_str!("../../../../fuzz/corpus/eip681/regression-unstable-normal-form");
    if let Ok(request) = parse(unstable) {
        assert_eq!(parse(&request.to_uri()).expect("parses back"), request);
    }
    let name = format!("ethereum:{}'b.eth", "a".repeat(10));
    let request = parse(&name).expect("an apostrophe is allowed");
    assert_eq!(request.recipient, Some(Target::Ens(format!("{}\u{2019}b.eth", "a".repeat(10)))));
    assert_eq!(parse(&request.to_uri()).expect("round trip"), request);
    // Found by the eip681 fuzzer: a soft hyphen before "0X…" is ignored by ENSIP-15, so the name
    // normalised to "0xaplabal.aa", which reads back as a broken address. A name that looks like an
    // address is refused.
    let lookalike = include_str!("../../../../fuzz/corpus/eip681/regression-name-normalised-to-0x");
    assert_eq!(lookalike, "ethereum:\u{ad}0XAplabAl.AA");
    assert!(matches!(parse(lookalike), Err(RequestError::BadAddress { .. })), "{:?}", parse(lookalike));
    assert!(matches!(parse("ethereum:0x\u{ad}ab.eth"), Err(RequestError::BadAddress { .. })));
}

#[test]
fn json_shape_for_the_cli() {
    let r = parse(&format!("ethereum:{USDT}@1/transfer?address={}&uint256=1500000", PAYEE.to_lowercase())).expect("r");
    let v = serde_json::to_value(&r).expect("json");
    assert_eq!(v["chain_id"], 1);
    assert_eq!(v["recipient"], PAYEE);
    assert_eq!(v["token"], USDT);
    assert_eq!(v["amount"], "1500000");
    let v = serde_json::to_value(parse(&format!("ethereum:{PAYEE}")).expect("r")).expect("json");
    assert!(v["chain_id"].is_null() && v["token"].is_null() && v["amount"].is_null());
}

fn arb_address() -> impl Strategy<Value = Address> {
    any::<[u8; 20]>().prop_map(Address::from)
}

fn arb_request() -> impl Strategy<Value = PaymentRequest> {
    (
        proptest::option::of(1u64..u64::MAX),
        arb_address(),
        proptest::option::of(arb_address()),
        proptest::option::of(any::<[u8; 32]>().prop_map(U256::from_be_bytes)),
        proptest::option::of(any::<u64>().prop_map(U256::from)),
        proptest::option::of("\\PC{0,40}"),
        proptest::option::of("[A-Za-z0-9 #/-]{0,20}"),
        proptest::option::of(any::<u64>()),
    )
        .prop_map(|(chain_id, payee, token, amount, gas_limit, label, order, expires)| PaymentRequest {
            chain_id,
            recipient: Some(Target::Address(payee)),
            token: token.map(Target::Address),
            amount,
            gas_limit,
            gas_price: None,
            label: label.map(|l: String| crate::text::displayable(&l, MAX_TEXT_CHARS)),
            message: None,
            order: order.map(|o: String| crate::text::displayable(&o, MAX_TEXT_CHARS)),
            expires,
        })
}

proptest! {
    #[test]
    fn format_then_parse_gives_the_same_request(request in arb_request()) {
        let uri = request.to_uri();
        prop_assert_eq!(parse(&uri).expect("round trip"), request, "{}", uri);
    }

    #[test]
    fn exact_numbers_round_trip_in_scientific_notation(n in any::<u128>(), zeros in 0usize..30) {
        let text = format!("{n}{}", "0".repeat(zeros));
        let expected = U256::from(n) * U256::from(10u64).pow(U256::from(zeros));
        prop_assert_eq!(parse_number(&format!("{n}e{zeros}"), "v").expect("sci"), expected);
        prop_assert_eq!(parse_number(&text, "v").expect("plain"), expected);
        if text.len() > 1 {
            let (int, frac) = text.split_at(1);
            prop_assert_eq!(parse_number(&format!("{int}.{frac}e{}", frac.len()), "v").expect("dotted"), expected);
        }
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(text in "ethereum:\\PC{0,120}") {
        let _ = parse(&text);
    }
}
