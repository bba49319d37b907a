//! `tender phrase new|check` and `tender derive`.

use alloy::hex;
use clap::{Args, Subcommand};
use serde_json::json;
use wallet_core::keys::derivation::{AccountScheme, DerivationPath, address_of, derive_signing_key};
use wallet_core::keys::mnemonic::{language_from_name, language_name};
use wallet_core::{Error, RecoveryPhrase, Result};

use crate::Output;
use crate::input;

#[derive(Subcommand)]
pub(crate) enum PhraseCommand {
    /// Print a new recovery phrase from the OS random source.
    New {
        /// Number of words.
        #[arg(long, default_value_t = 12, value_parser = crate::parse_words)]
        words: usize,
        /// Word-list language (english, french, spanish, italian, portuguese, czech, japanese, korean,
        /// chinese-simplified, chinese-traditional).
        #[arg(long, default_value = "english")]
        lang: String,
    },
    /// Check a recovery phrase read on standard input: `valid`, or the error (exit status 1).
    Check,
}

pub(crate) fn run(cmd: PhraseCommand) -> Result<Output> {
    match cmd {
        PhraseCommand::New { words, lang } => {
            let phrase = RecoveryPhrase::generate(words, language_from_name(&lang)?)?;
            let text = phrase.to_phrase_string();
            Ok(Output::new(
                json!({ "phrase": text.expose(), "words": words, "language": language_name(phrase.language()) }),
                text.expose(),
            ))
        }
        PhraseCommand::Check => {
            let phrase = input::phrase_from_stdin()?;
            let language = language_name(phrase.language());
            Ok(Output::new(json!({ "valid": true, "words": phrase.word_count(), "language": language }), "valid"))
        }
    }
}

#[derive(Args)]
pub(crate) struct DeriveArgs {
    /// First account index.
    #[arg(long, default_value_t = 0)]
    index: u32,
    /// Number of accounts.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    count: u32,
    /// An explicit path, e.g. `m/44'/60'/0'/0/0`; a step written `{i}` (or `{i}'`) takes each account index.
    #[arg(long)]
    path: Option<String>,
    /// Account scheme when no --path is given.
    #[arg(long, default_value = "bip44")]
    scheme: AccountScheme,
    /// Name of the environment variable holding the BIP39 passphrase.
    #[arg(long)]
    passphrase_env: Option<String>,
    /// Also print each private key (hex). Anyone who sees it owns the account.
    #[arg(long)]
    show_private_key: bool,
}

fn path_for(args: &DeriveArgs, index: u32) -> Result<DerivationPath> {
    match &args.path {
        Some(template) if template.contains("{i}") => template.replace("{i}", &index.to_string()).parse(),
        Some(path) if args.count > 1 => Err(Error::InvalidPath {
            reason: format!("{path:?} names one account; write a step as {{i}} to derive --count {}", args.count),
        }),
        Some(path) => path.parse(),
        None => args.scheme.path(index),
    }
}

pub(crate) fn derive(args: DeriveArgs) -> Result<Output> {
    let phrase = input::phrase_from_stdin()?;
    let passphrase = input::passphrase_from_env(args.passphrase_env.as_deref())?;
    let seed = phrase.to_seed(&passphrase);
    let mut rows = Vec::new();
    let mut text = String::new();
    for index in args.index..args.index.saturating_add(args.count) {
        let path = path_for(&args, index)?;
        let key = derive_signing_key(&seed, &path)?;
        let address = address_of(&key).to_checksum(None);
        let mut row = json!({ "index": index, "path": path.to_string(), "address": address });
        text.push_str(&format!("{index}\t{path}\t{address}"));
        if args.show_private_key {
            let hex_key = zeroize::Zeroizing::new(hex::encode_prefixed(key.to_bytes()));
            row["private_key"] = json!(hex_key.as_str());
            text.push_str(&format!("\t{}", hex_key.as_str()));
        }
        text.push('\n');
        rows.push(row);
    }
    Ok(Output::new(serde_json::Value::Array(rows), text))
}
