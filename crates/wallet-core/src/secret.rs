//! Wrappers for secret material: passwords, passphrases, raw key bytes.
//!
//! Every type here zeroizes its memory on drop, prints `<redacted>` under `Debug`, and has no
//! `Display` or `Serialize`, so leaking one through a log line or a JSON response is a compile error.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

/// A secret string (a wallet password or a BIP39 passphrase).
#[derive(Clone, Default)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// Wraps `value`; the caller's `String` moves in and is zeroized with the wrapper.
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// The secret text.
    ///
    /// # Security
    /// The returned slice must not be logged, displayed or copied into a non-zeroizing buffer.
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self::new(value.to_owned())
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

/// Secret bytes (entropy, a seed, a decrypted vault payload, a derived key).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    /// Wraps `value`; it is zeroized with the wrapper.
    pub fn new(value: Vec<u8>) -> Self {
        Self(Zeroizing::new(value))
    }

    /// Copies `value` into a new zeroizing buffer.
    pub fn copy_from(value: &[u8]) -> Self {
        Self::new(value.to_vec())
    }

    /// The secret bytes.
    ///
    /// # Security
    /// The returned slice must not be logged or copied into a non-zeroizing buffer.
    pub fn expose(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes(<redacted {} bytes>)", self.0.len())
    }
}

/// A BIP32 master seed (64 bytes from BIP39; BIP32 allows 16 to 64), zeroized on drop.
pub struct Seed(Zeroizing<Vec<u8>>);

impl Seed {
    /// Copies `bytes` (16 to 64 of them, as BIP32 requires) and zeroizes the caller's copy.
    /// Returns `None` for any other length.
    pub fn from_bytes(bytes: &mut [u8]) -> Option<Self> {
        let seed = (16..=64).contains(&bytes.len()).then(|| Self(Zeroizing::new(bytes.to_vec())));
        bytes.zeroize();
        seed
    }

    /// The seed bytes.
    ///
    /// # Security
    /// Anyone holding these bytes controls every account of the wallet.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Seed(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_secret() {
        let s = SecretString::from("hunter2-correct-horse");
        let b = SecretBytes::copy_from(b"\x01\x02supersecret");
        let mut raw = [7u8; 64];
        let seed = Seed::from_bytes(&mut raw).expect("64 bytes");
        assert_eq!(raw, [0u8; 64], "caller's copy of the seed is wiped");
        assert!(Seed::from_bytes(&mut [1u8; 15]).is_none() && Seed::from_bytes(&mut [1u8; 65]).is_none());
        for text in [format!("{s:?}"), format!("{b:?}"), format!("{seed:?}")] {
            assert!(text.contains("redacted"), "{text}");
            assert!(!text.contains("hunter2") && !text.contains("supersecret") && !text.contains('7'));
        }
    }

    #[test]
    fn different_secrets_compare_unequal() {
        assert_ne!(SecretBytes::copy_from(b"a"), SecretBytes::copy_from(b"b"));
        assert_eq!(SecretBytes::copy_from(b"a"), SecretBytes::copy_from(b"a"));
    }
}
