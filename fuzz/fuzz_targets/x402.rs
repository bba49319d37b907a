//! A shop's x402 answers (the `PAYMENT-REQUIRED` header, a version-1 body, the `PAYMENT-RESPONSE`
//! header) and payment links: never a panic; what is read is bounded (options, text) and what is kept
//! of each option is the shop's text verbatim, so that a payment built from it echoes it exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::pay::link::parse_link;
use wallet_core::pay::x402::{
    self, Authorization, MAX_ACCEPTS, MAX_DESCRIPTION, decode_payment_required, decode_payment_required_v1,
    decode_settlement, encode_base64,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = parse_link(&text);
    let _ = decode_settlement(&text);
    let _ = x402::refusal_reason(Some(&text), data);
    // The bytes as JSON terms: as a version-1 body, and base64-wrapped as a version-2 header.
    for terms in [
        decode_payment_required_v1(data),
        decode_payment_required(&encode_base64(data)),
        decode_payment_required(&text),
    ] {
        let Ok(terms) = terms else { continue };
        assert!(!terms.accepts.is_empty() && terms.accepts.len() <= MAX_ACCEPTS);
        assert!(terms.description.as_ref().is_none_or(|d| d.chars().count() <= MAX_DESCRIPTION));
        for option in &terms.accepts {
            let a = Authorization {
                from: option.pay_to,
                to: option.pay_to,
                value: option.amount,
                valid_after: 0,
                valid_before: option.max_timeout_seconds,
                nonce: Default::default(),
            };
            let payload = x402::eip3009_payload(&a, &[0u8; 65]).expect("a payload encodes");
            // The shop's declared extensions echo with Tender's additions, never losing theirs.
            let additions =
                serde_json::json!({ x402::PAYMENT_IDENTIFIER: { "info": { "id": "pay_0123456789abcdef" } } });
            let declared = terms.extensions_raw.as_deref().map(|r| r.get());
            let extensions = x402::echo_extensions(declared, additions).expect("declared extensions echo");
            if let (Some(declared), Some(echoed)) = (declared, &extensions) {
                let declared: serde_json::Value = serde_json::from_str(declared).expect("read as JSON");
                for (key, value) in declared.as_object().expect("an object") {
                    if !value.is_object() {
                        assert_eq!(echoed.get(key), Some(value), "a declared extension is echoed as written");
                    }
                }
            }
            let header = x402::encode_payment(
                terms.version,
                terms.resource_raw.as_deref(),
                &option.raw,
                &option.network,
                &payload,
                extensions.as_ref(),
            )
            .expect("a payment from read terms encodes");
            if terms.version == 2 {
                let json = String::from_utf8(
                    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, header).expect("base64"),
                )
                .expect("utf-8");
                assert!(json.contains(option.raw.get()), "the option is echoed verbatim");
            }
        }
    }
});
