//! The one error shape the UI sees: a stable `code` to branch on and a `message` to show.

use serde::Serialize;
use wallet_core::Error;

/// An error as the UI receives it (`{ code, message }`). Codes are [`Error::code`]'s, plus a few of
/// the shell's own (`no_wallet`, `no_quote`, `internal`).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CommandError {
    /// Stable, snake_case: `wrong_password`, `unknown_word`, `insufficient_funds`, `rpc_unavailable`, …
    pub code: String,
    /// A sentence a shopper can act on. Never holds a secret.
    pub message: String,
}

impl CommandError {
    /// An error of the shell itself.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into() }
    }

    /// No wallet on this device yet.
    pub fn no_wallet() -> Self {
        Self::new("no_wallet", "there is no wallet on this device yet: create or restore one")
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        Self { code: e.code().into(), message: e.to_string() }
    }
}

impl From<wallet_core::payment_request::RequestError> for CommandError {
    fn from(e: wallet_core::payment_request::RequestError) -> Self {
        Error::from(e).into()
    }
}

/// What every command returns.
pub type CmdResult<T> = Result<T, CommandError>;
