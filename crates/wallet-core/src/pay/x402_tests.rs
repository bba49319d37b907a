//! The x402 wire format, against answers the official packages (`@x402/express` 2.27 with
//! `@x402/evm`) wrote, and against every malformed or hostile form Tender must refuse.

use super::*;
use crate::pay::link::{Link, parse_link};

/// A `PAYMENT-REQUIRED` header exactly as `@x402/express` 2.27 sent it (tools/x402-shop.mjs, dev chain).
const OFFICIAL_V2: &str = "eyJ4NDAyVmVyc2lvbiI6MiwiZXJyb3IiOiJQYXltZW50IHJlcXVpcmVkIiwicmVzb3VyY2UiOnsidXJsIjoiaHR0cDovLzEyNy4wLjAuMTo0MDI3OS9wYXkvMCIsImRlc2NyaXB0aW9uIjoiWW91ciBvcmRlciBhdCBDb3JuZXIgU2hvcCIsIm1pbWVUeXBlIjoiYXBwbGljYXRpb24vanNvbiJ9LCJhY2NlcHRzIjpbeyJzY2hlbWUiOiJleGFjdCIsIm5ldHdvcmsiOiJlaXAxNTU6MzEzMzciLCJhbW91bnQiOiIxMjUwMDAwMDAwMDAwMDAwMDAwMCIsImFzc2V0IjoiMHg3MDBiNkE2MGNlN0VhYUVBNTZGMDY1NzUzZDhkY0I5NjUzZGJBRDM1IiwicGF5VG8iOiIweDI0NzVBQTE3NGI4ZkJmYjlEZDcwNDA0NzI4MDgxODRDMjQ4NjA4OUMiLCJtYXhUaW1lb3V0U2Vjb25kcyI6MzAwLCJleHRyYSI6eyJuYW1lIjoiU3RvcmUgQ3JlZGl0IiwidmVyc2lvbiI6IjEifX1dfQ==";

const ACCEPTED: &str = r#"{"scheme":"exact","network":"eip155:31337","amount":"12500000000000000000","asset":"0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35","payTo":"0x2475AA174b8fBfb9Dd7040472808184C2486089C","maxTimeoutSeconds":300,"extra":{"name":"Store Credit","version":"1"}}"#;

/// A version-1 body in the official packages' shape (`maxAmountRequired`, per-option resource).
const V1_BODY: &str = r#"{"x402Version":1,"error":"X-PAYMENT header is required","accepts":[{"scheme":"exact","network":"base-sepolia","maxAmountRequired":"10000","resource":"https://shop.example/pay/7","description":"Order 7","mimeType":"application/json","payTo":"0x209693Bc6afc0C5328bA36FaF03C514EF312287C","maxTimeoutSeconds":60,"asset":"0x036CbD53842c5426634e7929541eC2318f3dCF7e","outputSchema":{},"extra":{"name":"USDC","version":"2"}}]}"#;

fn code(e: &Error) -> &'static str {
    e.code().as_str()
}

fn v2_with(accepts: &str) -> String {
    encode_base64(
        format!(r#"{{"x402Version":2,"resource":{{"url":"https://shop.example/pay/1"}},"accepts":[{accepts}]}}"#)
            .as_bytes(),
    )
}

#[test]
fn the_official_v2_answer_reads_as_written() {
    let terms = decode_payment_required(OFFICIAL_V2).expect("terms");
    assert_eq!(terms.version, 2);
    assert_eq!(terms.description.as_deref(), Some("Your order at Corner Shop"));
    let [r] = terms.accepts.as_slice() else { panic!("one option") };
    assert_eq!((r.scheme.as_str(), r.network.as_str(), r.chain_id), ("exact", "eip155:31337", Some(31337)));
    assert_eq!(r.amount, U256::from(12_500_000_000_000_000_000u128));
    assert_eq!(r.asset.to_checksum(None), "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35");
    assert_eq!(r.pay_to.to_checksum(None), "0x2475AA174b8fBfb9Dd7040472808184C2486089C");
    assert_eq!(r.max_timeout_seconds, 300);
    assert_eq!((r.domain_name.as_deref(), r.domain_version.as_deref()), (Some("Store Credit"), Some("1")));
    assert_eq!(r.raw.get(), ACCEPTED, "the option is kept byte for byte");
}

#[test]
fn the_payload_echoes_the_option_verbatim_and_writes_numbers_as_strings() {
    let terms = decode_payment_required(OFFICIAL_V2).expect("terms");
    let option = &terms.accepts[0];
    let authorization = Authorization {
        from: "0x818EA47643E9CA264FAfE16905A2D4C94AfA91E4".parse().expect("from"),
        to: option.pay_to,
        value: option.amount,
        valid_after: 1_796_185_783,
        valid_before: 1_796_186_143,
        nonce: B256::repeat_byte(0xab),
    };
    let mut signature = [7u8; 65];
    signature[64] = 28;
    let header = encode_payment(
        2,
        terms.resource_raw.as_deref(),
        &option.raw,
        &option.network,
        &eip3009_payload(&authorization, &signature).expect("payload"),
        None,
    )
    .expect("encode");
    let json = base64::engine::general_purpose::STANDARD.decode(&header).expect("standard base64, padded");
    let text = String::from_utf8(json).expect("utf-8");
    assert!(text.contains(&format!(r#""accepted":{ACCEPTED}"#)), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["x402Version"], 2);
    assert_eq!(v["resource"]["url"], "http://127.0.0.1:40279/pay/0");
    let auth = &v["payload"]["authorization"];
    assert_eq!(auth["value"], "12500000000000000000");
    assert_eq!(auth["validAfter"], "1796185783");
    assert_eq!(auth["validBefore"], "1796186143");
    assert_eq!(auth["nonce"], format!("0x{}", "ab".repeat(32)));
    assert_eq!(auth["to"], "0x2475AA174b8fBfb9Dd7040472808184C2486089C");
    let sig = v["payload"]["signature"].as_str().expect("signature");
    assert!(sig.len() == 132 && sig.ends_with("1c"), "65 bytes, v = 28: {sig}");
}

#[test]
fn version_1_reads_from_the_body_and_pays_in_its_own_shape() {
    let terms = decode_payment_required_v1(V1_BODY.as_bytes()).expect("terms");
    assert_eq!(terms.version, 1);
    assert!(terms.resource_raw.is_none());
    assert_eq!(terms.description.as_deref(), Some("Order 7"));
    let r = &terms.accepts[0];
    assert_eq!((r.chain_id, r.amount, r.max_timeout_seconds), (Some(84532), U256::from(10_000u64), 60));
    let a = Authorization {
        from: Address::repeat_byte(1),
        to: r.pay_to,
        value: r.amount,
        valid_after: 1,
        valid_before: 2,
        nonce: B256::ZERO,
    };
    let payload = eip3009_payload(&a, &[0u8; 65]).expect("payload");
    let header = encode_payment(1, None, &r.raw, &r.network, &payload, None).expect("encode");
    let v: serde_json::Value =
        serde_json::from_slice(&base64::engine::general_purpose::STANDARD.decode(header).expect("b64")).expect("json");
    assert_eq!(
        (v["x402Version"].as_u64(), v["scheme"].as_str(), v["network"].as_str()),
        (Some(1), Some("exact"), Some("base-sepolia"))
    );
    assert!(v.get("accepted").is_none());
    assert_eq!(v["payload"]["authorization"]["value"], "10000");
    assert_eq!((payment_header(1), response_header(1)), ("X-PAYMENT", "X-PAYMENT-RESPONSE"));
    assert_eq!((payment_header(2), response_header(2)), ("PAYMENT-SIGNATURE", "PAYMENT-RESPONSE"));
}

#[test]
fn a_header_in_one_version_that_says_another_is_refused() {
    let v1_in_header = encode_base64(V1_BODY.as_bytes());
    assert_eq!(code(&decode_payment_required(&v1_in_header).expect_err("v1 in a v2 header")), "bad_shop_answer");
    assert_eq!(
        code(&decode_payment_required_v1(b"{\"x402Version\":3,\"accepts\":[]}").expect_err("v3")),
        "bad_shop_answer"
    );
}

#[test]
fn malformed_answers_are_refused_with_a_reason() {
    let cases: Vec<(String, &str)> = vec![
        ("not base64 at all!".into(), "not base64"),
        (encode_base64(b"{not json"), "not valid JSON"),
        (encode_base64(br#"{"x402Version":2,"resource":{"url":"x"},"accepts":[]}"#), "no way to pay"),
        (encode_base64(br#"{"x402Version":2,"accepts":[{}]}"#), "no scheme"),
        (
            v2_with(&ACCEPTED.replace(r#""amount":"12500000000000000000""#, r#""amount":12500000000000000000"#)),
            "amount",
        ),
        (v2_with(&ACCEPTED.replace("12500000000000000000", "1.5")), "whole number"),
        (v2_with(&ACCEPTED.replace("12500000000000000000", "0x10")), "whole number"),
        (v2_with(&ACCEPTED.replace("12500000000000000000", &"9".repeat(79))), "amount"),
        (v2_with(&ACCEPTED.replace("12500000000000000000", &"9".repeat(78))), "too large"),
        (
            v2_with(
                &ACCEPTED.replace(
                    "0x2475AA174b8fBfb9Dd7040472808184C2486089C",
                    "0x2475aa174b8fbfb9dd7040472808184c2486089C",
                ),
            ),
            "payTo",
        ),
        (v2_with(&ACCEPTED.replace(r#""maxTimeoutSeconds":300"#, r#""maxTimeoutSeconds":-1"#)), "maxTimeoutSeconds"),
        (v2_with(&vec![ACCEPTED; MAX_ACCEPTS + 1].join(",")), "too many"),
        (encode_base64(format!(r#"{{"x402Version":2,"accepts":[{ACCEPTED}]}}"#).as_bytes()), "no resource"),
        ("A".repeat(MAX_HEADER_BYTES + 4), "too large"),
    ];
    for (header, why) in cases {
        let e = decode_payment_required(&header).expect_err(why);
        assert_eq!(code(&e), "bad_shop_answer", "{why}");
        assert!(e.to_string().contains(why), "{why}: {e}");
    }
}

#[test]
fn unpadded_base64_is_read_too_and_the_url_safe_alphabet_is_not() {
    let unpadded = OFFICIAL_V2.trim_end_matches('=');
    assert_eq!(decode_payment_required(unpadded).expect("unpadded").accepts.len(), 1);
    let url_safe = base64::engine::general_purpose::URL_SAFE.encode(format!(
        r#"{{"x402Version":2,"resource":{{"url":"https://a.example/?x=>>>"}},"accepts":[{ACCEPTED}]}}"#
    ));
    assert!(url_safe.contains('-') || url_safe.contains('_'), "the sample must use the URL-safe characters");
    assert!(decode_payment_required(&url_safe).is_err());
}

#[test]
fn the_shops_words_are_sanitised_and_cut() {
    let long = format!("Order\u{202e}gnp.exe {}", "x".repeat(500));
    let header = encode_base64(
        serde_json::json!({"x402Version": 2, "resource": {"url": "https://a.example/", "description": long},
            "accepts": [serde_json::from_str::<serde_json::Value>(ACCEPTED).expect("json")]})
        .to_string()
        .as_bytes(),
    );
    let d = decode_payment_required(&header).expect("terms").description.expect("description");
    assert!(!d.contains('\u{202e}'), "no bidi override: {d:?}");
    assert!(d.chars().count() <= MAX_DESCRIPTION && d.ends_with('…'), "{d}");
}

#[test]
fn networks_are_caip2_or_known_version_1_names() {
    assert_eq!(chain_of("eip155:8453"), Some(8453));
    assert_eq!(chain_of("base"), Some(8453));
    assert_eq!(chain_of("base-sepolia"), Some(84532));
    for bad in ["eip155:", "eip155:0x1", "eip155:01", "eip155:-1", "eip155:99999999999999999999", "solana:abc", "Base"]
    {
        assert_eq!(chain_of(bad), None, "{bad}");
    }
}

#[test]
fn links_are_https_or_loopback_http_and_nothing_else() {
    for ok in [
        "https://shop.example/pay/1",
        "  https://shop.example:8443/p?q=1 ",
        "http://127.0.0.1:4000/pay/0",
        "http://localhost:3000/x",
        "http://[::1]:80/",
    ] {
        assert!(matches!(parse_link(ok), Ok(Link::Checkout(_))), "{ok}");
    }
    assert!(matches!(parse_link("ethereum:0x4242424242424242424242424242424242424242"), Ok(Link::Ethereum(_))));
    assert!(matches!(parse_link("ETHEREUM:0x4242424242424242424242424242424242424242"), Ok(Link::Ethereum(_))));
    // A bare address is a request to pay it, in the core for both faces (the app accepted it and
    // `tender pay 0x…` refused it).
    assert_eq!(
        parse_link(" 0x4242424242424242424242424242424242424242 ").ok(),
        Some(Link::Ethereum("ethereum:0x4242424242424242424242424242424242424242".into()))
    );
    assert!(parse_link("0x42424242424242424242424242424242424242").is_err(), "39 hex digits");
    assert!(parse_link("0x42424242424242424242424242424242424242zz").is_err());
    for (bad, want) in [
        ("http://shop.example/pay/1", "insecure_link"),
        ("http://192.168.1.10/pay", "insecure_link"),
        ("https://shop.example@evil.example/pay", "not_a_payment_link"),
        ("https://user:pw@shop.example/", "not_a_payment_link"),
        ("ftp://shop.example/", "not_a_payment_link"),
        ("javascript:alert(1)", "not_a_payment_link"),
        ("bitcoin:bc1qxyz", "not_a_payment_link"),
        ("hello", "not_a_payment_link"),
        ("", "not_a_payment_link"),
    ] {
        assert_eq!(code(&parse_link(bad).expect_err(bad)), want, "{bad}");
    }
    // Found by fuzzing: a character across the ninth byte panicked the `ethereum:` check.
    for tricky in ["eqKzdWNj\u{fffd}XNz", "ethereu\u{e9}:0x42", "\u{fffd}\u{fffd}\u{fffd}"] {
        assert_eq!(code(&parse_link(tricky).expect_err(tricky)), "not_a_payment_link", "{tricky:?}");
    }
    let long = format!("https://shop.example/{}", "a".repeat(MAX_LINK_LEN));
    assert_eq!(code(&parse_link(&long).expect_err("long")), "not_a_payment_link");
}

#[test]
fn the_domain_shown_is_the_links_host_and_port() {
    let d = |u: &str| domain_of(&url::Url::parse(u).expect("url"));
    assert_eq!(d("https://Shop.Example/pay"), "shop.example");
    assert_eq!(d("https://shop.example:443/pay"), "shop.example", "the default port is not shown");
    assert_eq!(d("http://127.0.0.1:4000/pay"), "127.0.0.1:4000");
    assert_eq!(
        d("https://xn--80ak6aa92e.com/"),
        "xn--80ak6aa92e.com",
        "punycode stays punycode: no look-alike letters"
    );
    assert_eq!(d("https://аррӏе.com/"), "xn--80ak6aa92e.com", "a Cyrillic look-alike is shown as what it is");
}

#[test]
fn settlements_and_refusals_are_read_as_the_shops_words() {
    let ok = encode_base64(br#"{"success":true,"transaction":"0xf81fe6b83d479f16af063c4aa4ff03b2b06798eab7e360a0f58aa442b8748e22","network":"eip155:31337","payer":"0x818EA47643E9CA264FAfE16905A2D4C94AfA91E4"}"#);
    let s = decode_settlement(&ok).expect("settlement");
    assert!(s.success && s.transaction.is_some() && s.error.is_none());
    let failed = encode_base64(br#"{"success":false,"errorReason":"invalid_exact_evm_payload_signature\u0007","transaction":"","network":"eip155:31337"}"#);
    let s = decode_settlement(&failed).expect("settlement");
    assert!(!s.success && s.transaction.is_none());
    assert_eq!(s.error.as_deref(), Some("invalid_exact_evm_payload_signature"));
    assert!(decode_settlement(&encode_base64(b"[]")).is_err());
    let again = encode_base64(br#"{"x402Version":2,"error":"insufficient_funds","accepts":[]}"#);
    assert_eq!(refusal_reason(Some(&again), b"{}").as_deref(), Some("insufficient_funds"));
    assert_eq!(refusal_reason(None, br#"{"error":"expired"}"#).as_deref(), Some("expired"));
    assert_eq!(refusal_reason(None, b"<html>"), None);
}
