//! The one error shape the UI sees: a stable `code` to branch on and a `message` to show.

use serde::Serialize;
use wallet_core::{Error, ErrorCode};

/// An error as the UI receives it: a typed `code` (the UI words it in the person's language), and
/// the English detail for support (never shown as the message).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CommandError {
    /// Stable: `wrong_password`, `unknown_word`, `insufficient_funds`, `rpc_unavailable`, …
    pub code: ErrorCode,
    /// The detail, in English, for support. Never holds a secret.
    pub message: String,
    /// The values the UI's wording of `code` uses (`seconds`, `symbol`, `needed`, …).
    pub params: std::collections::BTreeMap<String, String>,
}

impl CommandError {
    /// An error of the shell's own flows (the backup quiz, settings).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), params: Default::default() }
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        let params = e.params().into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        Self { code: e.code(), message: e.to_string(), params }
    }
}

impl From<&wallet_core::session::Notice> for CommandError {
    fn from(n: &wallet_core::session::Notice) -> Self {
        let params = n.params.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        Self { code: n.code, message: n.message.clone(), params }
    }
}

impl From<wallet_core::pay::request::RequestError> for CommandError {
    fn from(e: wallet_core::pay::request::RequestError) -> Self {
        Error::from(e).into()
    }
}

/// What every command returns.
pub type CmdResult<T> = Result<T, CommandError>;
