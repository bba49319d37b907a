//! `tender wallet …`: create, restore, info, change-password, add-account, label, show-phrase, delete.

use std::io::IsTerminal;

use clap::Subcommand;
use serde_json::json;
use wallet_core::keys::mnemonic::language_from_name;
use wallet_core::session::{Session, SessionOptions};
use wallet_core::vault::VaultSecret;
use wallet_core::{Error, RecoveryPhrase, Result, StoreKind, Wallet, WalletInfo};

use crate::chain::runtime;
use crate::input::{self, NEW_PASSWORD_ENV, PASSWORD_ENV};
use crate::{Output, WalletLocation};

#[derive(Subcommand)]
pub(crate) enum WalletCommand {
    /// Create a wallet with a new recovery phrase, printed once for you to write down.
    Create {
        #[command(flatten)]
        at: WalletLocation,
        /// Number of words.
        #[arg(long, default_value_t = 12, value_parser = crate::parse_words)]
        words: usize,
        /// Word-list language.
        #[arg(long, default_value = "english")]
        lang: String,
        /// Name of the environment variable holding an optional BIP39 passphrase.
        #[arg(long)]
        passphrase_env: Option<String>,
    },
    /// Restore a wallet from a recovery phrase read on standard input.
    Restore {
        #[command(flatten)]
        at: WalletLocation,
        /// Name of the environment variable holding the BIP39 passphrase, if the wallet had one.
        #[arg(long)]
        passphrase_env: Option<String>,
        /// Number of accounts to set up (at least; discovery may find more).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
        accounts: u32,
        /// The network to look for used accounts on (skipped, with a notice, when unreachable or absent).
        #[command(flatten)]
        net: crate::chain::NetworkArgs,
    },
    /// Show the wallet's accounts (no password needed).
    Info {
        #[command(flatten)]
        at: WalletLocation,
    },
    /// Re-encrypt the vault under a new password (TENDER_NEW_PASSWORD or a prompt).
    ChangePassword {
        #[command(flatten)]
        at: WalletLocation,
    },
    /// Set a new password for a wallet whose password is forgotten: its recovery phrase, read on standard
    /// input, proves it is yours (another wallet's phrase changes nothing); the new password from
    /// TENDER_NEW_PASSWORD or a prompt.
    ResetPassword {
        #[command(flatten)]
        at: WalletLocation,
        /// Name of the environment variable holding the BIP39 passphrase, if the wallet has one.
        #[arg(long)]
        passphrase_env: Option<String>,
    },
    /// Add the next account.
    AddAccount {
        #[command(flatten)]
        at: WalletLocation,
        /// Its name.
        #[arg(long)]
        label: Option<String>,
    },
    /// Rename an account.
    Label {
        #[command(flatten)]
        at: WalletLocation,
        /// The account index.
        #[arg(long)]
        index: u32,
        /// The new name.
        label: String,
    },
    /// Print the recovery phrase (asks for the password).
    ShowPhrase {
        #[command(flatten)]
        at: WalletLocation,
    },
    /// Delete the wallet from this device. Only the recovery phrase can bring it back.
    Delete {
        #[command(flatten)]
        at: WalletLocation,
        /// Confirm: you have the recovery phrase written down.
        #[arg(long)]
        yes: bool,
    },
}

fn store_note(at: &WalletLocation) {
    if at.new_store() == StoreKind::File {
        eprintln!(
            "note: --store file keeps the encrypted vault in {} (readable by you only); the OS keyring is safer where there is one",
            at.data_dir.join(wallet_core::vault::keyring::FileStore::FILE_NAME).display()
        );
    }
}

fn summary(info: &WalletInfo, dir: &std::path::Path) -> String {
    let mut text = format!("Wallet in {} (vault in the {}).\n", dir.display(), info.store);
    for a in &info.accounts {
        text.push_str(&format!("  {}  {}  {}\n", a.index, a.address.to_checksum(None), a.label));
    }
    text
}

fn numbered(words: &[&str]) -> String {
    let half = words.len().div_ceil(2);
    (0..half)
        .map(|i| {
            let right = words.get(i + half).map(|w| format!("{:>3}. {w}", i + half + 1)).unwrap_or_default();
            format!("{:>3}. {:<12}{right}\n", i + 1, words[i])
        })
        .collect()
}

fn open(at: &WalletLocation) -> Result<Wallet> {
    at.open()
}

/// The session of the wallet at `at` (its recorded store; `--store`, if given, must match it).
fn session(at: &WalletLocation) -> Result<Session> {
    at.check_store()?;
    Ok(Session::new(&at.data_dir, SessionOptions::default()))
}

pub(crate) fn run(cmd: WalletCommand, json_mode: bool) -> Result<Output> {
    match cmd {
        WalletCommand::Create { at, words, lang, passphrase_env } => {
            if Wallet::exists(&at.data_dir) {
                return Err(Error::WalletExists { path: at.data_dir.clone() });
            }
            let passphrase = input::passphrase_from_env(passphrase_env.as_deref())?;
            let password = input::password(PASSWORD_ENV, "Choose a wallet password: ", true)?;
            let phrase = RecoveryPhrase::generate(words, language_from_name(&lang)?)?;
            let text_phrase = phrase.to_phrase_string();
            let list = numbered(&phrase.words());
            store_note(&at);
            let session = Session::new(&at.data_dir, SessionOptions::default());
            let info = runtime()?.block_on(session.create(
                VaultSecret { phrase, passphrase },
                &password,
                1,
                Some(at.new_store()),
            ))?;
            let text = format!(
                "Write down these {words} words, in order, and keep them offline.\nThey are the only way to recover this wallet; Tender will not show them again unless you ask with your password.\n\n{list}\n{}",
                summary(&info, &at.data_dir)
            );
            Ok(Output::new(json!({ "phrase": text_phrase.expose(), "wallet": info }), text))
        }
        WalletCommand::Restore { at, passphrase_env, accounts, net } => {
            if Wallet::exists(&at.data_dir) {
                return Err(Error::WalletExists { path: at.data_dir.clone() });
            }
            let phrase = input::phrase_from_stdin()?;
            let passphrase = input::passphrase_from_env(passphrase_env.as_deref())?;
            let password = input::password(PASSWORD_ENV, "Choose a wallet password: ", true)?;
            store_note(&at);
            let restored = runtime()?.block_on(async {
                let session = crate::chain::session(&at.data_dir, Some(at.new_store()), &net).await?;
                session.restore(phrase, passphrase, &password, accounts, Some(at.new_store()), |_, _| {}).await
            })?;
            let notice = restored.notice.as_ref().map(|n| match n.code {
                wallet_core::ErrorCode::InputMissing => {
                    "account discovery skipped: no network given (--rpc or --network)".to_owned()
                }
                _ => format!("account discovery skipped: {}", n.message),
            });
            let info = restored.wallet;
            let mut text = format!("Restored.\n{}", summary(&info, &at.data_dir));
            if let Some(n) = &notice {
                text.push_str(&format!("note: {n}\n"));
            }
            Ok(Output::new(json!({ "wallet": info, "discovery": restored.discovery, "notice": notice }), text))
        }
        WalletCommand::Info { at } => {
            let info = open(&at)?.info();
            Ok(Output::new(json!({ "wallet": info }), summary(&info, &at.data_dir)))
        }
        WalletCommand::ChangePassword { at } => {
            let s = session(&at)?;
            let old = input::password(PASSWORD_ENV, "Current password: ", false)?;
            let new = input::password(NEW_PASSWORD_ENV, "New password: ", true)?;
            runtime()?.block_on(s.change_password(&old, &new))?;
            Ok(Output::new(json!({ "changed": true }), "Password changed."))
        }
        WalletCommand::ResetPassword { at, passphrase_env } => {
            let s = session(&at)?;
            let phrase = input::phrase_from_stdin()?;
            let passphrase = input::passphrase_from_env(passphrase_env.as_deref())?;
            let new = input::password(NEW_PASSWORD_ENV, "New password: ", true)?;
            runtime()?.block_on(s.reset_password(phrase, passphrase, &new))?;
            Ok(Output::new(json!({ "reset": true }), "New password set: the recovery phrase is this wallet's."))
        }
        WalletCommand::AddAccount { at, label } => {
            let s = session(&at)?;
            let rt = runtime()?;
            rt.block_on(s.unlock(&input::password(PASSWORD_ENV, "Wallet password: ", false)?))?;
            let account = rt.block_on(s.add_account(label.as_deref()))?;
            let text = format!("{}  {}  {}", account.index, account.address.to_checksum(None), account.label);
            Ok(Output::new(json!({ "account": account }), text))
        }
        WalletCommand::Label { at, index, label } => {
            let info = runtime()?.block_on(session(&at)?.rename_account(index, &label))?;
            Ok(Output::new(json!({ "wallet": info }), summary(&info, &at.data_dir)))
        }
        WalletCommand::ShowPhrase { at } => {
            let s = session(&at)?;
            let password = input::password(PASSWORD_ENV, "Wallet password: ", false)?;
            let phrase = runtime()?.block_on(s.reveal_phrase(&password))?;
            Ok(Output::new(json!({ "phrase": phrase.expose() }), phrase.expose()))
        }
        WalletCommand::Delete { at, yes } => {
            let s = session(&at)?;
            if !yes {
                let hint =
                    if json_mode || !std::io::stdin().is_terminal() { "pass --yes" } else { "run again with --yes" };
                return Err(Error::ConfirmationRequired {
                    what: format!("deleting needs confirmation that the recovery phrase is written down: {hint}"),
                });
            }
            // The password proves it is the owner deleting it, as in the app (the session asks it).
            let password = input::password(PASSWORD_ENV, "Wallet password (to delete the wallet): ", false)?;
            runtime()?.block_on(s.delete(&password, true))?;
            Ok(Output::new(json!({ "deleted": true }), "Wallet deleted from this device."))
        }
    }
}
