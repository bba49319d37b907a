//! The encrypted vault: the one place the recovery phrase is stored.
//!
//! Format version 1, all integers big-endian:
//!
//! | bytes  | field                                                        |
//! |--------|--------------------------------------------------------------|
//! | 0..4   | magic `TNDV`                                                 |
//! | 4      | format version (1)                                           |
//! | 5      | KDF id (1 = Argon2id, version 0x13)                          |
//! | 6..10  | Argon2 memory, KiB                                           |
//! | 10..14 | Argon2 iterations                                            |
//! | 14..18 | Argon2 lanes                                                 |
//! | 18..34 | salt (random, 16 bytes)                                      |
//! | 34..58 | nonce (random, 24 bytes)                                     |
//! | 58..   | XChaCha20-Poly1305 ciphertext of the payload, 16-byte tag    |
//!
//! The whole header (bytes 0..58) is the AEAD's associated data, so no parameter can be changed
//! without the tag failing. The KDF parameters are bounded before any work is done, so a tampered
//! header cannot make Tender allocate gigabytes. The payload (kind 1 = BIP39 entropy, language,
//! entropy, passphrase) is zero-padded to a multiple of 64 bytes so its length does not tell the
//! word count or the passphrase length.

pub mod atomic;
pub mod keyring;
pub mod password;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::keys::mnemonic::{Language, RecoveryPhrase};
use crate::secret::SecretString;

const MAGIC: &[u8; 4] = b"TNDV";
/// The format version this code writes.
pub const FORMAT_VERSION: u8 = 1;
const KDF_ARGON2ID: u8 = 1;
const HEADER_LEN: usize = 58;
const TAG_LEN: usize = 16;
const PAYLOAD_BIP39: u8 = 1;
const PAD_TO: usize = 64;
/// The longest BIP39 passphrase a vault stores, in bytes.
pub const MAX_PASSPHRASE: usize = 1024;

/// Argon2id cost parameters, stored beside the ciphertext.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Iterations.
    pub iterations: u32,
    /// Parallel lanes.
    pub lanes: u32,
}

impl KdfParams {
    /// Tender's default: 128 MiB, 6 passes, 1 lane: about half a second on a desktop core (see
    /// BENCHMARKS.md), and a memory size phones allow an app.
    pub const DEFAULT: KdfParams = KdfParams { memory_kib: 128 * 1024, iterations: 6, lanes: 1 };
    /// Phones' parameters: 64 MiB, 3 passes, 1 lane (RFC 9106's second recommended option in memory
    /// and passes). A quarter of the default's work: about 0.11 s on a desktop core, about 0.5 s
    /// modelled for a low-end phone (BENCHMARKS.md "A phone's unlock"), where the default would take
    /// about 2 s and hold 128 MiB against the system's memory killer.
    pub const MOBILE: KdfParams = KdfParams { memory_kib: 64 * 1024, iterations: 3, lanes: 1 };
    /// What this build seals new vaults with: [`Self::MOBILE`] on Android and iOS, else
    /// [`Self::DEFAULT`]. A vault keeps the parameters it was sealed with wherever it is opened.
    pub const FOR_THIS_DEVICE: KdfParams =
        if cfg!(any(target_os = "android", target_os = "ios")) { Self::MOBILE } else { Self::DEFAULT };
    /// The cheapest parameters Argon2 accepts. **Tests only**: a vault sealed with these falls to a
    /// password guesser in no time.
    pub const INSECURE_TEST_ONLY: KdfParams = KdfParams { memory_kib: 8, iterations: 1, lanes: 1 };
    /// Largest memory a vault may ask for (256 MiB, twice the default): a bigger value means the
    /// header was tampered with.
    pub const MAX_MEMORY_KIB: u32 = 256 * 1024;
    /// Largest iteration count a vault may ask for.
    pub const MAX_ITERATIONS: u32 = 12;
    /// Largest lane count a vault may ask for.
    pub const MAX_LANES: u32 = 16;
    /// Largest total work (memory in KiB × passes) a vault may ask for: twice the default's, so a
    /// tampered header can at most double the time of one attempt (about a second here), never make
    /// it a minute.
    pub const MAX_WORK: u64 = 2 * 128 * 1024 * 6;

    fn to_argon2(self) -> Result<Argon2<'static>> {
        let corrupt = |reason: String| Error::VaultCorrupt { reason };
        if self.memory_kib > Self::MAX_MEMORY_KIB
            || self.iterations > Self::MAX_ITERATIONS
            || self.lanes > Self::MAX_LANES
            || u64::from(self.memory_kib) * u64::from(self.iterations) > Self::MAX_WORK
        {
            return Err(corrupt(format!("KDF parameters out of range: {self:?}")));
        }
        let params = Params::new(self.memory_kib, self.iterations, self.lanes, Some(32))
            .map_err(|e| corrupt(format!("KDF parameters rejected: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What the vault protects: the phrase and the optional BIP39 passphrase.
pub struct VaultSecret {
    /// The recovery phrase.
    pub phrase: RecoveryPhrase,
    /// The BIP39 passphrase ("25th word"); empty for none.
    pub passphrase: SecretString,
}

impl std::fmt::Debug for VaultSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultSecret(<redacted>)")
    }
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    getrandom::getrandom(&mut out).map_err(Error::Random)?;
    Ok(out)
}

/// A password as the KDF sees it: Unicode NFC, so "Café" typed with a precomposed "é" or with "e" and
/// a combining accent (as some keyboards and platforms produce) is one password.
fn normalized(password: &SecretString) -> Zeroizing<String> {
    use unicode_normalization::UnicodeNormalization;
    Zeroizing::new(password.expose().nfc().collect())
}

fn derive_key(password: &str, salt: &[u8], params: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let mut key = Zeroizing::new([0u8; 32]);
    params
        .to_argon2()?
        .hash_password_into(password.as_bytes(), salt, key.as_mut())
        .map_err(|e| Error::VaultCorrupt { reason: format!("KDF failed: {e}") })?;
    Ok(key)
}

fn language_code(language: Language) -> u8 {
    Language::ALL.iter().position(|l| *l == language).map_or(0, |i| i as u8)
}

fn encode_payload(secret: &VaultSecret) -> Result<Zeroizing<Vec<u8>>> {
    let entropy = secret.phrase.entropy();
    let pass = secret.passphrase.expose().as_bytes();
    if pass.len() > MAX_PASSPHRASE {
        return Err(Error::PassphraseTooLong { max: MAX_PASSPHRASE });
    }
    let mut out = Zeroizing::new(Vec::with_capacity(PAD_TO * 2));
    out.push(PAYLOAD_BIP39);
    out.push(language_code(secret.phrase.language()));
    out.push(entropy.len() as u8);
    out.extend_from_slice(entropy.expose());
    out.extend_from_slice(&(pass.len() as u16).to_be_bytes());
    out.extend_from_slice(pass);
    let padded = out.len().div_ceil(PAD_TO) * PAD_TO;
    out.resize(padded, 0);
    Ok(out)
}

fn decode_payload(bytes: &[u8]) -> Result<VaultSecret> {
    let corrupt = |reason: &str| Error::VaultCorrupt { reason: reason.to_owned() };
    let [kind, lang, len, rest @ ..] = bytes else { return Err(corrupt("payload too short")) };
    if *kind != PAYLOAD_BIP39 {
        return Err(corrupt("unknown payload kind"));
    }
    let language = *Language::ALL.get(usize::from(*lang)).ok_or_else(|| corrupt("unknown language"))?;
    let len = usize::from(*len);
    let entropy = rest.get(..len).ok_or_else(|| corrupt("payload truncated"))?;
    let phrase = RecoveryPhrase::from_entropy(language, entropy).map_err(|_| corrupt("bad entropy length"))?;
    let rest = &rest[len..];
    let pass_len = rest
        .get(..2)
        .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
        .ok_or_else(|| corrupt("payload truncated"))?;
    let pass = rest.get(2..2 + pass_len).ok_or_else(|| corrupt("payload truncated"))?;
    if rest[2 + pass_len..].iter().any(|b| *b != 0) {
        return Err(corrupt("bad padding"));
    }
    let passphrase = std::str::from_utf8(pass).map_err(|_| corrupt("passphrase is not UTF-8"))?;
    Ok(VaultSecret { phrase, passphrase: SecretString::from(passphrase) })
}

/// Encrypts `secret` under `password` with fresh salt and nonce.
pub fn seal(secret: &VaultSecret, password: &SecretString, params: KdfParams) -> Result<Vec<u8>> {
    let salt: [u8; 16] = random()?;
    let nonce: [u8; 24] = random()?;
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.push(FORMAT_VERSION);
    header.push(KDF_ARGON2ID);
    header.extend_from_slice(&params.memory_kib.to_be_bytes());
    header.extend_from_slice(&params.iterations.to_be_bytes());
    header.extend_from_slice(&params.lanes.to_be_bytes());
    header.extend_from_slice(&salt);
    header.extend_from_slice(&nonce);
    debug_assert_eq!(header.len(), HEADER_LEN);

    let key = derive_key(&normalized(password), &salt, params)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let payload = encode_payload(secret)?;
    let ciphertext = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: &payload, aad: &header })
        .map_err(|_| Error::VaultCorrupt { reason: "encryption failed".into() })?;
    header.extend_from_slice(&ciphertext);
    Ok(header)
}

/// The parsed, not yet decrypted, header of a vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VaultHeader {
    /// Format version.
    pub version: u8,
    /// KDF parameters.
    pub kdf: KdfParams,
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Reads the header of `bytes` without decrypting.
pub fn read_header(bytes: &[u8]) -> Result<VaultHeader> {
    let corrupt = |reason: &str| Error::VaultCorrupt { reason: reason.to_owned() };
    if bytes.len() < 5 || &bytes[..4] != MAGIC {
        return Err(corrupt("not a Tender vault"));
    }
    if bytes[4] != FORMAT_VERSION {
        return Err(Error::UnsupportedVaultVersion { version: bytes[4] });
    }
    if bytes.len() < HEADER_LEN + TAG_LEN + PAD_TO {
        return Err(corrupt("vault truncated"));
    }
    if !(bytes.len() - HEADER_LEN - TAG_LEN).is_multiple_of(PAD_TO) {
        return Err(corrupt("vault length is wrong"));
    }
    if bytes[5] != KDF_ARGON2ID {
        return Err(corrupt("unknown key-derivation function"));
    }
    let kdf = KdfParams { memory_kib: u32_at(bytes, 6), iterations: u32_at(bytes, 10), lanes: u32_at(bytes, 14) };
    kdf.to_argon2()?;
    Ok(VaultHeader { version: bytes[4], kdf })
}

/// Decodes a decrypted vault payload (the fuzz target `vault` drives it with arbitrary bytes, which
/// a decryption with the right key would never give: it must refuse them, never panic).
#[doc(hidden)]
pub fn decode_payload_untrusted(payload: &[u8]) -> Result<VaultSecret> {
    decode_payload(payload)
}

/// Decrypts a vault. A wrong password and a tampered ciphertext both fail the AEAD tag and are
/// reported as [`Error::WrongPassword`] (they cannot be told apart); a damaged header is
/// [`Error::VaultCorrupt`].
pub fn open(bytes: &[u8], password: &SecretString) -> Result<VaultSecret> {
    let header = read_header(bytes)?;
    let nfc = normalized(password);
    let decrypt = |pw: &str| -> Result<Zeroizing<Vec<u8>>> {
        let key = derive_key(pw, &bytes[18..34], header.kdf)?;
        let cipher = XChaCha20Poly1305::new(key.as_ref().into());
        cipher
            .decrypt(
                XNonce::from_slice(&bytes[34..HEADER_LEN]),
                Payload { msg: &bytes[HEADER_LEN..], aad: &bytes[..HEADER_LEN] },
            )
            .map(Zeroizing::new)
            .map_err(|_| Error::WrongPassword)
    };
    let payload = match decrypt(&nfc) {
        // A vault sealed before passwords were normalised, with a password typed in another form.
        Err(Error::WrongPassword) if nfc.as_str() != password.expose() => decrypt(password.expose())?,
        other => other?,
    };
    decode_payload(&payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const FAST: KdfParams = KdfParams::INSECURE_TEST_ONLY;

    fn secret(words: usize, passphrase: &str) -> VaultSecret {
        VaultSecret {
            phrase: RecoveryPhrase::generate(words, Language::English).expect("phrase"),
            passphrase: SecretString::from(passphrase),
        }
    }

    #[test]
    fn round_trip_and_wrong_password() {
        let s = secret(24, "TREZOR");
        let sealed = seal(&s, &"correct horse".into(), FAST).expect("seal");
        let back = open(&sealed, &"correct horse".into()).expect("open");
        assert_eq!(back.phrase.entropy(), s.phrase.entropy());
        assert_eq!(back.passphrase.expose(), "TREZOR");
        assert!(matches!(open(&sealed, &"correct horsf".into()), Err(Error::WrongPassword)));
        assert_eq!(read_header(&sealed).expect("header").kdf, FAST);
    }

    #[test]
    fn length_hides_word_count_and_passphrase() {
        let a = seal(&secret(12, ""), &"pw".into(), FAST).expect("a");
        let b = seal(&secret(24, "short passphrase"), &"pw".into(), FAST).expect("b");
        assert_eq!(a.len(), b.len());
    }

    #[test]
    fn same_secret_seals_differently_each_time() {
        let s = secret(12, "");
        let a = seal(&s, &"pw".into(), FAST).expect("a");
        let b = seal(&s, &"pw".into(), FAST).expect("b");
        assert_ne!(a, b);
    }

    #[test]
    fn every_flipped_bit_is_an_error_never_a_wrong_phrase() {
        let s = secret(12, "pass");
        let sealed = seal(&s, &"pw".into(), FAST).expect("seal");
        for i in 0..sealed.len() {
            for bit in [0x01u8, 0x80] {
                let mut bad = sealed.clone();
                bad[i] ^= bit;
                match open(&bad, &"pw".into()) {
                    Err(Error::WrongPassword | Error::VaultCorrupt { .. } | Error::UnsupportedVaultVersion { .. }) => {}
                    Err(other) => panic!("byte {i}: unexpected error {other}"),
                    Ok(_) => panic!("byte {i} bit {bit:#x}: tampered vault opened"),
                }
            }
        }
        for len in 0..sealed.len() {
            assert!(open(&sealed[..len], &"pw".into()).is_err(), "truncated to {len}");
        }
    }

    #[test]
    fn hostile_kdf_parameters_are_refused_before_any_work() {
        let mut sealed = seal(&secret(12, ""), &"pw".into(), FAST).expect("seal");
        sealed[6..10].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(read_header(&sealed), Err(Error::VaultCorrupt { .. })));
        // Audit finding: a header asking for 1 GiB × 64 passes took a minute per attempt.
        for (memory, passes) in [(1024 * 1024u32, 64u32), (256 * 1024, 12), (200 * 1024, 8)] {
            let mut tampered = seal(&secret(12, ""), &"pw".into(), FAST).expect("seal");
            tampered[6..10].copy_from_slice(&memory.to_be_bytes());
            tampered[10..14].copy_from_slice(&passes.to_be_bytes());
            let started = std::time::Instant::now();
            assert!(matches!(open(&tampered, &"pw".into()), Err(Error::VaultCorrupt { .. })), "{memory} × {passes}");
            assert!(started.elapsed() < std::time::Duration::from_millis(100), "refused before any work");
        }
        let mut sealed2 = seal(&secret(12, ""), &"pw".into(), FAST).expect("seal");
        sealed2[4] = 9;
        assert!(matches!(open(&sealed2, &"pw".into()), Err(Error::UnsupportedVaultVersion { version: 9 })));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn seal_open_round_trip(entropy in proptest::collection::vec(any::<u8>(), 16..=16), pass in "\\PC{0,40}", pw in "\\PC{0,20}") {
            let s = VaultSecret { phrase: RecoveryPhrase::from_entropy(Language::French, &entropy).expect("e"), passphrase: SecretString::from(pass.as_str()) };
            let sealed = seal(&s, &SecretString::from(pw.as_str()), FAST).expect("seal");
            let back = open(&sealed, &SecretString::from(pw.as_str())).expect("open");
            prop_assert_eq!(back.phrase.entropy(), s.phrase.entropy());
            prop_assert_eq!(back.phrase.language(), Language::French);
            prop_assert_eq!(back.passphrase.expose(), pass.as_str());
        }

        #[test]
        fn open_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = open(&bytes, &"pw".into());
        }
    }
}
