//! A node's answer to the balance multicall (`aggregate3`): decoding never panics; a wrong count is
//! an error; a balance is read only from exactly one 32-byte word.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::chain::balance::{decode_aggregate3, decode_balance};

fuzz_target!(|data: &[u8]| {
    let Some((&calls, raw)) = data.split_first() else { return };
    let calls = usize::from(calls % 16);
    if let Ok((_, results)) = decode_aggregate3(raw, calls) {
        assert_eq!(results.len(), calls);
        for r in &results {
            if decode_balance(r).is_some() {
                assert!(r.success && r.returnData.len() == 32);
            }
        }
    }
});
