//! The commands the UI calls, grouped by domain and named `<domain>_<verb>`. Each one parses its
//! input, makes one call into the core's session, and maps errors to
//! [`crate::error::CommandError`].

pub mod accounts;
pub mod history;
pub mod nfts;
pub mod onboarding;
pub mod payment;
pub mod settings;
pub mod sync;
pub mod wallet;

/// A password from the UI, wrapped at once so it zeroizes on drop.
pub(crate) fn secret(text: String) -> wallet_core::SecretString {
    wallet_core::SecretString::new(text)
}
