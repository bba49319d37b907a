//! EIP-681 payment requests (QR codes, pasted and deep links: the most hostile input there is):
//! parsing never panics, and whatever parses survives its own canonical form: `to_uri()` parses back
//! to the same request, and is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::pay::request::parse;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(request) = parse(text) else { return };
    let uri = request.to_uri();
    let again = parse(&uri).unwrap_or_else(|e| panic!("{text:?} → {uri:?} does not parse back: {e}"));
    assert_eq!(again, request, "{text:?} → {uri:?}");
    assert_eq!(again.to_uri(), uri, "the canonical form is a fixed point");
});
