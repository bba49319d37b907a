//! What a new password must be to protect a vault: long enough, and not among the first a thief would
//! try (zxcvbn's estimate, the same that the app's strength meter shows).

use crate::error::{Error, Result};
use crate::secret::SecretString;

/// The shortest password accepted for a new vault.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The lowest [`password_strength`] a new password may have: 0 and 1 are guessed within about a
/// million tries ("password", "Password1", "qwertyuiop", a name and a year).
pub const MIN_PASSWORD_STRENGTH: u8 = 2;

/// How hard `password` is to guess, from 0 (within a thousand tries) to 4 (more than ten billion),
/// by zxcvbn (common passwords, dictionary words, names, keyboard patterns, dates, repeats and
/// sequences, and this app's own words); 0 under [`MIN_PASSWORD_CHARS`] characters.
pub fn password_strength(password: &SecretString) -> u8 {
    let text = password.expose();
    if text.chars().count() < MIN_PASSWORD_CHARS || text.trim().is_empty() {
        return 0;
    }
    // Past this length every estimate is at its highest; zxcvbn's cost grows with the length.
    let cut: String = text.chars().take(100).collect();
    let cut = zeroize::Zeroizing::new(cut);
    u8::from(zxcvbn::zxcvbn(&cut, &["tender", "wallet", "store", "shop", "crypto"]).score())
}

/// Rejects passwords too weak to protect a vault: too short, or too easy to guess
/// ([`password_strength`] under [`MIN_PASSWORD_STRENGTH`]).
pub fn check_password(password: &SecretString) -> Result<()> {
    if password.expose().chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::WeakPassword { reason: format!("use at least {MIN_PASSWORD_CHARS} characters") });
    }
    if password.expose().trim().is_empty() {
        return Err(Error::WeakPassword { reason: "a password of spaces only is not a password".into() });
    }
    if password_strength(password) < MIN_PASSWORD_STRENGTH {
        return Err(Error::WeakPassword {
            reason: "it is among the first a thief would try: add unusual words or characters".into(),
        });
    }
    Ok(())
}
