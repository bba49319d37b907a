//! Vault bytes from the keyring or the data folder (damaged or crafted): the header is refused or
//! accepted within the KDF bounds, never panics, never asks for unbounded work; a payload that
//! does not decode is an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::vault::{self, KdfParams};

fuzz_target!(|data: &[u8]| {
    if let Ok(header) = vault::read_header(data) {
        let k = header.kdf;
        assert!(k.memory_kib <= KdfParams::MAX_MEMORY_KIB && k.iterations <= KdfParams::MAX_ITERATIONS);
        assert!(u64::from(k.memory_kib) * u64::from(k.iterations) <= KdfParams::MAX_WORK);
    }
    let _ = vault::decode_payload_untrusted(data);
});
