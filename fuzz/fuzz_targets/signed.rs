//! A shop's signed offers and receipts (x402 offer-receipt) and its did:web document: never a panic;
//! at most MAX_OFFERS offers are read, each signer is recovered from its own payload, and a receipt
//! is kept only when it holds for the signer, payer, network and resource it is checked against.
#![no_main]

use alloy::primitives::{Address, B256};
use libfuzzer_sys::fuzz_target;
use wallet_core::pay::signed::{MAX_OFFERS, checked_receipt, offers, published_signers, receipt_in};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(Some(list)) = offers(Some(&text)) {
        assert!(list.len() <= MAX_OFFERS);
        for o in &list {
            let again: serde_json::Value = serde_json::from_str(&o.raw).expect("an offer is kept as JSON");
            assert!(again.is_object());
        }
    }
    // Wrapped the way a shop nests them, too.
    let wrapped = format!(r#"{{"offer-receipt":{{"info":{{"offers":[{text}]}}}}}}"#);
    let _ = offers(Some(&wrapped));
    assert!(published_signers(&text).len() <= MAX_OFFERS);
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
        // The receipt an answer carries, kept as sent, reads back as JSON.
        if let Some(r) = receipt_in(&v) {
            assert!(serde_json::from_str::<serde_json::Value>(&r).is_ok());
        }
        let kept = checked_receipt(
            &v,
            Address::repeat_byte(1),
            Address::repeat_byte(2),
            31337,
            "https://shop.example/",
            Some(B256::ZERO),
        );
        if let Some(r) = kept {
            assert_eq!(r.signer, Address::repeat_byte(1), "kept only for its signer");
        }
    }
});
