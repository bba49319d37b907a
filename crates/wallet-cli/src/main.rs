//! `tender`: the scriptable face of Tender's wallet core.
//!
//! Secrets never come from the command line (where `ps` and shell history would see them): the
//! recovery phrase comes from standard input, passwords from `TENDER_PASSWORD` /
//! `TENDER_NEW_PASSWORD` or a no-echo prompt, a BIP39 passphrase from the variable `--passphrase-env`
//! names. `--json` makes every command print JSON; errors go to standard error (as
//! `{"error":{"code","message"}}` with `--json`) with exit status 1; usage errors exit with 2.

mod chain;
mod devnet;
mod input;
mod merchant;
mod nfts;
mod phrase;
mod privacy;
mod sign;
mod token;
mod uri;
mod wallet;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use wallet_core::StoreKind;

#[derive(Parser)]
#[command(name = "tender", version, about = "Tender wallet: recovery phrases, accounts, vault and signing")]
struct Cli {
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate or check recovery phrases.
    #[command(subcommand)]
    Phrase(phrase::PhraseCommand),
    /// Derive accounts from a recovery phrase read on standard input.
    Derive(phrase::DeriveArgs),
    /// Create, restore, inspect, re-key or delete the wallet in a data folder.
    #[command(subcommand)]
    Wallet(wallet::WalletCommand),
    /// Sign with an account of the wallet.
    #[command(subcommand)]
    Sign(sign::SignCommand),
    /// Show the wallet's balances (featured store token first), live or the last known ones offline.
    Balance(chain::BalanceArgs),
    /// Pay a payment request: prints exactly what will be signed and its digest; pays it with --yes --quote.
    Pay(chain::PayArgs),
    /// Sent payments with their status (checked on chain; nothing is sent) and received transfers.
    History(chain::HistoryArgs),
    /// Speed up a stuck payment: the same payment again, same nonce, a higher fee (prints the new fee;
    /// sends it with --yes --max-fee).
    #[command(name = "speed-up")]
    SpeedUp(chain::ReplaceArgs),
    /// Cancel a stuck payment: nothing sent to yourself with its nonce and a higher fee, so that it can
    /// never go through (prints the fee; sends it with --yes --max-fee).
    Cancel(chain::ReplaceArgs),
    /// What Permit2 may move of a token; approve it for an amount (what a shop paid through Permit2
    /// needs first), or revoke it with 0 (prints what will be signed; sends it with --yes --max-fee).
    Approve(token::ApproveArgs),
    /// What a token's contract says of itself (supply, decimals, proxy, owner, pause, which checkouts need
    /// no ETH), read from the chain alone, beside what the wallet lists.
    #[command(name = "token-info")]
    TokenInfo(token::TokenInfoArgs),
    /// The account's NFTs, found from the chain alone: the shop's collections with their metadata, what
    /// arrived unasked "unreviewed" (nothing of it read) until --show CONTRACT.
    Nfts(nfts::NftsArgs),
    /// Send one of the account's NFTs to an address (prints what will be signed; sends it with --yes
    /// --max-fee).
    #[command(name = "nft-send")]
    NftSend(nfts::NftSendArgs),
    /// What the wallet's reads tell the node: read each account separately (--separate on), spread in
    /// time (--spread on); without options, the setting.
    Privacy(privacy::PrivacyArgs),
    /// Hide a token from the balances (--show shows it again); without a token, the hidden ones.
    #[command(name = "token-hide")]
    TokenHide(token::TokenHideArgs),
    /// Take the retailer's signed token list for the network in use (checked offline against the key
    /// Tender pins for it); without a list, the one in use.
    #[command(name = "token-list")]
    TokenList(token::TokenListArgs),
    /// Add a token by its contract address (read from the chain, shown as unverified).
    #[command(name = "token-add")]
    TokenAdd(chain::TokenAddArgs),
    /// Save or show the network this wallet uses.
    #[command(subcommand)]
    Network(chain::NetworkCommand),
    /// Run the local dev chain (anvil with the store token) until interrupted; prints one JSON line.
    Devnet(devnet::DevnetArgs),
    /// Read payment requests (EIP-681 links and QR payloads).
    #[command(subcommand)]
    Uri(uri::UriCommand),
    /// Serve a merchant checkout page on localhost (an order, its QR code, "Paid" when paid); prints one JSON line.
    Merchant(merchant::MerchantArgs),
}

/// Where the wallet lives; shared by every command that opens one.
#[derive(Args, Clone)]
pub(crate) struct WalletLocation {
    /// The wallet's data folder.
    #[arg(long, env = "TENDER_DATA_DIR")]
    pub(crate) data_dir: PathBuf,
    /// Where a new wallet's encrypted vault goes: the OS keyring (the default), or (explicitly) a 0600
    /// file in the data folder. An existing wallet is opened where it was created; --store, if given,
    /// must say the same.
    #[arg(long, value_parser = parse_store)]
    pub(crate) store: Option<StoreKind>,
}

impl WalletLocation {
    /// Where a new wallet's vault goes.
    pub(crate) fn new_store(&self) -> StoreKind {
        self.store.unwrap_or(StoreKind::Keyring)
    }

    /// Refuses a `--store` that differs from the one the wallet records (with the way out).
    pub(crate) fn check_store(&self) -> wallet_core::Result<()> {
        if let Some(requested) = self.store {
            let actual = wallet_core::Wallet::read_info(&self.data_dir)?.store;
            if actual != requested {
                return Err(wallet_core::Error::StoreMismatch { actual, requested });
            }
        }
        Ok(())
    }

    /// The wallet of the data folder, in the store it records.
    pub(crate) fn open(&self) -> wallet_core::Result<wallet_core::Wallet> {
        match self.store {
            None => wallet_core::Wallet::open_recorded(&self.data_dir),
            Some(store) => wallet_core::Wallet::open(&self.data_dir, store),
        }
    }
}

/// A new phrase's word count: 12 (the default) or 24.
pub(crate) fn parse_words(s: &str) -> Result<usize, String> {
    match s {
        "12" => Ok(12),
        "24" => Ok(24),
        other => Err(format!("{other} words: choose 12 or 24")),
    }
}

fn parse_store(s: &str) -> Result<StoreKind, String> {
    s.parse()
}

/// What a command prints: JSON, and the same for people.
pub(crate) struct Output {
    json: serde_json::Value,
    text: String,
}

impl Output {
    pub(crate) fn new(json: serde_json::Value, text: impl Into<String>) -> Self {
        Self { json, text: text.into() }
    }
}

/// The error as printed. A mistyped phrase word is reported by its position only unless standard
/// error is a terminal: the "did you mean" suggestions are most likely the real word of the phrase,
/// and a redirected standard error ends up in logs and CI output.
fn shown(err: &wallet_core::Error) -> String {
    use std::io::IsTerminal;
    match err {
        wallet_core::Error::UnknownWord { .. } if std::io::stderr().is_terminal() => err.to_string(),
        wallet_core::Error::UnknownWord { index, .. } => {
            format!("word {} is not a recovery-phrase word: check it against your written phrase", index + 1)
        }
        other => other.to_string(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Phrase(cmd) => phrase::run(cmd).map(Some),
        Command::Derive(args) => phrase::derive(args).map(Some),
        Command::Wallet(cmd) => wallet::run(cmd, cli.json).map(Some),
        Command::Sign(cmd) => sign::run(cmd).map(Some),
        Command::Devnet(args) => devnet::run(args).map(|()| None),
        Command::Balance(args) => chain::balance(args).map(Some),
        Command::Pay(args) => chain::pay(args).map(Some),
        Command::History(args) => chain::history(args).map(Some),
        Command::SpeedUp(args) => chain::replace(args, wallet_core::store::PaymentKind::SpeedUp).map(Some),
        Command::Cancel(args) => chain::replace(args, wallet_core::store::PaymentKind::Cancel).map(Some),
        Command::Network(cmd) => chain::network_command(cmd).map(Some),
        Command::Approve(args) => token::approve(args).map(Some),
        Command::TokenInfo(args) => token::token_info(args).map(Some),
        Command::Nfts(args) => nfts::nfts(args).map(Some),
        Command::TokenHide(args) => token::token_hide(args).map(Some),
        Command::TokenList(args) => token::token_list(args).map(Some),
        Command::NftSend(args) => nfts::nft_send(args).map(Some),
        Command::Privacy(args) => privacy::privacy(args).map(Some),
        Command::TokenAdd(args) => chain::token_add(args).map(Some),
        Command::Uri(cmd) => uri::run(cmd).map(Some),
        Command::Merchant(args) => merchant::run(args).map(|()| None),
    };
    match result {
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some(out)) => {
            if cli.json {
                println!("{}", out.json);
            } else {
                println!("{}", out.text.trim_end());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            let message = shown(&err);
            if cli.json {
                eprintln!("{}", serde_json::json!({ "error": { "code": err.code(), "message": message } }));
            } else {
                eprintln!("error: {message}");
            }
            ExitCode::FAILURE
        }
    }
}
