//! The commands the UI calls, grouped by domain and named `<domain>_<verb>`. Each one parses its
//! input, makes one call into `wallet_core` (or a short sequence under one lock), and maps errors to
//! [`crate::error::CommandError`].

pub mod accounts;
pub mod history;
pub mod onboarding;
pub mod payment;
pub mod settings;
pub mod sync;
pub mod wallet;

use wallet_core::Error;

use crate::error::CommandError;
use crate::state::AppState;

/// The account `index` of the open wallet, or the matching error.
pub(crate) async fn account(state: &AppState, index: u32) -> Result<wallet_core::AccountInfo, CommandError> {
    let mut slot = state.wallet.lock().await;
    let wallet = state.open_wallet(&mut slot)?.ok_or_else(CommandError::no_wallet)?;
    wallet.info().accounts.into_iter().find(|a| a.index == index).ok_or_else(|| Error::UnknownAccount { index }.into())
}

/// A password from the UI, wrapped at once so it zeroizes on drop.
pub(crate) fn secret(text: String) -> wallet_core::SecretString {
    wallet_core::SecretString::new(text)
}
