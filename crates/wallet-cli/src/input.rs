//! Reading secrets: never from argv; from standard input, the environment, or a no-echo prompt.

use std::io::{IsTerminal, Read};

use wallet_core::{Error, RecoveryPhrase, Result, SecretString};
use zeroize::Zeroizing;

/// The variable that holds the wallet password.
pub(crate) const PASSWORD_ENV: &str = "TENDER_PASSWORD";
/// The variable that holds the new password for `wallet change-password`.
pub(crate) const NEW_PASSWORD_ENV: &str = "TENDER_NEW_PASSWORD";

fn io_error(context: &str, e: std::io::Error) -> Error {
    Error::Io { context: context.to_owned(), source: e }
}

/// Reads a recovery phrase from standard input (typed, piped, or a pasted numbered list).
pub(crate) fn phrase_from_stdin() -> Result<RecoveryPhrase> {
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Type or paste your recovery phrase, then press Ctrl-D:");
    }
    let mut text = Zeroizing::new(String::new());
    stdin.read_to_string(&mut text).map_err(|e| io_error("cannot read the phrase from standard input", e))?;
    RecoveryPhrase::parse(&text)
}

/// The BIP39 passphrase held by the environment variable `var`, or the empty passphrase.
pub(crate) fn passphrase_from_env(var: Option<&str>) -> Result<SecretString> {
    match var {
        None => Ok(SecretString::default()),
        Some(name) => std::env::var(name).map(SecretString::new).map_err(|_| Error::InputMissing {
            what: format!("--passphrase-env names {name}, which is not set (or not UTF-8)"),
        }),
    }
}

/// A password from `env`, or else a no-echo prompt on the terminal (twice when `confirm`).
pub(crate) fn password(env: &str, prompt: &str, confirm: bool) -> Result<SecretString> {
    if let Ok(value) = std::env::var(env) {
        return Ok(SecretString::new(value));
    }
    let first = SecretString::new(rpassword::prompt_password(prompt).map_err(|e| no_tty(env, e))?);
    if confirm {
        let again = SecretString::new(rpassword::prompt_password("Repeat it: ").map_err(|e| no_tty(env, e))?);
        if again.expose() != first.expose() {
            return Err(Error::PasswordsDiffer);
        }
    }
    Ok(first)
}

fn no_tty(env: &str, e: std::io::Error) -> Error {
    Error::InputMissing { what: format!("no terminal to ask for the password ({e}): set {env}") }
}
