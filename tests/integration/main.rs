//! Cross-crate tests of the wallet core: public test vectors (copied into `tests/vectors/` with their
//! sources) and cross-checks against an independent implementation, foundry's `cast`.
//! One test binary for all of them keeps link time down.

mod cast;
mod chain;
mod devnet;
mod payment;
mod proxy;
mod vectors;

use std::path::PathBuf;

/// A vector file from `tests/vectors/`.
pub(crate) fn vector(name: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The value at a JSON pointer, as a string.
pub(crate) fn s<'a>(v: &'a serde_json::Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(|x| x.as_str()).unwrap_or_else(|| panic!("no string at {pointer} in {v}"))
}
