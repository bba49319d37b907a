//! The one error type of the wallet core.
//!
//! Every variant is something a shopper (or the UI on their behalf) can act on, and its text says how.
//! No variant carries a secret: an unknown word is reported by its position, never by what was typed.
//! [`Error::code`] gives its stable [`ErrorCode`] for the UI and the CLI's JSON output.

use std::path::PathBuf;

mod blocker;
mod code;
mod request;

pub use crate::store_kind::StoreKind;
pub use blocker::Blocker;
pub use code::ErrorCode;
pub use request::{CheckoutError, RequestError};

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the wallet core.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A word of a recovery phrase is not in the word list. `index` is 0-based; the message counts from 1.
    #[error("word {} is not a recovery-phrase word{}", .index + 1, suggestion_text(.suggestions))]
    UnknownWord {
        /// Position of the word, from 0.
        index: usize,
        /// Up to 3 nearest words of the detected word list, best first.
        suggestions: Vec<String>,
    },
    /// A recovery phrase with a word count BIP39 does not allow.
    #[error("a recovery phrase has 12, 15, 18, 21 or 24 words; this one has {count}")]
    BadWordCount {
        /// The number of words found.
        count: usize,
    },
    /// Every word is valid, but the last word does not match the others (BIP39 checksum).
    #[error("these words do not form a valid recovery phrase (checksum mismatch): check each word and the order")]
    BadChecksum,
    /// A word-list language this build does not know.
    #[error("unknown language {name:?}; use one of: {}", .known.join(", "))]
    UnknownLanguage {
        /// The name asked for.
        name: String,
        /// The word lists this build has.
        known: Vec<&'static str>,
    },
    /// A derivation path that cannot be parsed or used.
    #[error("invalid derivation path: {reason}")]
    InvalidPath {
        /// What is wrong, in words.
        reason: String,
    },
    /// BIP32 derivation produced an invalid key (probability below 2^-127 per step).
    #[error("key derivation failed: {0}")]
    Derivation(#[from] bip32::Error),
    /// The password does not open the vault.
    #[error("wrong password")]
    WrongPassword,
    /// The operation needs the wallet unlocked.
    #[error("the wallet is locked: unlock it with your password first")]
    Locked,
    /// Too many wrong passwords in a row: wait before trying again.
    #[error("too many wrong passwords: try again in {retry_after_secs} s")]
    TooManyAttempts {
        /// Seconds until the next attempt is accepted.
        retry_after_secs: u64,
    },
    /// A new password that is too weak to protect a wallet.
    #[error("password too weak: {reason}")]
    WeakPassword {
        /// What to change.
        reason: String,
    },
    /// A new password typed twice, differently.
    #[error("the two passwords differ: type the same password twice")]
    PasswordsDiffer,
    /// A BIP39 passphrase longer than the vault stores.
    #[error("the passphrase is too long: at most {max} bytes")]
    PassphraseTooLong {
        /// The limit in bytes.
        max: usize,
    },
    /// Something the operation needs was not given (a password with no terminal to ask on, a
    /// variable named for a passphrase that is not set).
    #[error("{what}")]
    InputMissing {
        /// What is missing and how to give it.
        what: String,
    },
    /// An amount that is not a positive number with at most the asset's decimals.
    #[error("enter an amount above zero, with at most {decimals} decimals")]
    InvalidAmount {
        /// The asset's decimals.
        decimals: u8,
    },
    /// A destructive operation that the person has not confirmed.
    #[error("{what}")]
    ConfirmationRequired {
        /// What to confirm and how.
        what: String,
    },
    /// The stored vault does not decode: it is damaged or was tampered with. It is left untouched.
    #[error(
        "the wallet vault is damaged or was tampered with ({reason}); it was left untouched: restore from your recovery phrase into a new data folder"
    )]
    VaultCorrupt {
        /// What failed to decode.
        reason: String,
    },
    /// A vault written by a newer Tender.
    #[error("this wallet vault has format version {version}, which this version of Tender cannot read: update Tender")]
    UnsupportedVaultVersion {
        /// The version found.
        version: u8,
    },
    /// The wallet metadata file does not decode.
    #[error("the wallet file {path} is damaged ({reason}); it was left untouched")]
    MetadataCorrupt {
        /// The metadata file.
        path: PathBuf,
        /// What failed to decode.
        reason: String,
    },
    /// A wallet (or the remains of one) already lives in this data folder.
    #[error("a wallet already exists in {path}; delete it first or choose another data folder")]
    WalletExists {
        /// The data folder.
        path: PathBuf,
    },
    /// No wallet in this data folder.
    #[error("no wallet in {path}: create or restore one first")]
    NoWallet {
        /// The data folder.
        path: PathBuf,
    },
    /// The wallet's metadata exists but its encrypted vault is gone from the store.
    #[error("the wallet's encrypted vault is missing from the {store}; restore from your recovery phrase")]
    VaultMissing {
        /// Where the vault should have been.
        store: StoreKind,
    },
    /// The wallet keeps its vault in one store, and another was asked for.
    #[error("this wallet keeps its vault in the {actual}, not the {requested}; pass --store {}", .actual.as_str())]
    StoreMismatch {
        /// Where the vault is.
        actual: StoreKind,
        /// What the caller asked for.
        requested: StoreKind,
    },
    /// No OS keyring can be reached.
    #[error(
        "no OS keyring is reachable ({detail}); start your desktop's keyring, or choose the file store to keep the encrypted vault in the data folder"
    )]
    KeyringUnavailable {
        /// What the platform said.
        detail: String,
    },
    /// The OS keyring is there but locked, or access was refused.
    #[error("the OS keyring is locked or refused access ({detail}); unlock it and try again")]
    KeyringLocked {
        /// What the platform said.
        detail: String,
    },
    /// Any other failure of the OS keyring.
    #[error("the OS keyring failed: {detail}")]
    Keyring {
        /// What the platform said.
        detail: String,
    },
    /// Text that is not an Ethereum address.
    #[error("invalid address: {reason}")]
    InvalidAddress {
        /// What is wrong.
        reason: String,
    },
    /// A mixed-case address whose EIP-55 checksum is wrong: probably a typo.
    #[error("the address checksum does not match: a character is probably mistyped; copy the address again")]
    BadAddressChecksum,
    /// An account index the wallet does not have.
    #[error("no account with index {index}")]
    UnknownAccount {
        /// The index asked for.
        index: u32,
    },
    /// An NFT collection this wallet has not met.
    #[error("no collection at {address} among this wallet's NFTs")]
    UnknownCollection {
        /// The contract asked for.
        address: alloy::primitives::Address,
    },
    /// A retailer's token list that is not taken.
    #[error("this token list is refused: {reason}")]
    TokenListRefused {
        /// Why.
        reason: String,
    },
    /// An IPFS gateway address that cannot be used.
    #[error("invalid IPFS gateway: {reason}")]
    InvalidGateway {
        /// What is wrong.
        reason: String,
    },
    /// A label that cannot be stored.
    #[error("invalid account label: {reason}")]
    InvalidLabel {
        /// What is wrong.
        reason: String,
    },
    /// EIP-712 typed data that cannot be parsed or hashed.
    #[error("invalid typed data: {reason}")]
    InvalidTypedData {
        /// What is wrong.
        reason: String,
    },
    /// A transaction request that cannot be signed as given.
    #[error("invalid transaction: {reason}")]
    InvalidTransaction {
        /// What is wrong.
        reason: String,
    },
    /// A payment request (EIP-681 link or QR code) that Tender refuses; see its own code.
    #[error(transparent)]
    PaymentRequest(#[from] RequestError),
    /// A shop's payment link (x402) that Tender cannot pay; see its own code.
    #[error(transparent)]
    Checkout(#[from] CheckoutError),
    /// A network description that cannot be used.
    #[error("invalid network: {reason}")]
    InvalidNetwork {
        /// What is wrong.
        reason: String,
    },
    /// The endpoint serves another chain than the network says: refuse to use it.
    #[error("the RPC endpoint serves chain {got}, not chain {expected}: check the network settings")]
    ChainIdMismatch {
        /// The configured chain id.
        expected: u64,
        /// What the endpoint reported.
        got: u64,
    },
    /// No endpoint of the network answered.
    #[error("the network cannot be reached ({detail})")]
    RpcUnavailable {
        /// What failed (credentials redacted).
        detail: String,
    },
    /// The endpoint answered something that cannot be right.
    #[error("the network sent an invalid answer: {detail}")]
    BadRpcResponse {
        /// What was wrong (credentials redacted).
        detail: String,
    },
    /// The network fees signed on this network in the last hour, with this payment's, would pass
    /// Tender's hourly bound: many small payments cannot drain the ether.
    #[error(
        "network fees of up to {spent} {symbol} were signed in the last hour; this payment would pass Tender's bound of {ceiling} {symbol} an hour: nothing was signed"
    )]
    FeeBudgetExceeded {
        /// What was signed already, in the native currency's units.
        spent: String,
        /// The bound.
        ceiling: String,
        /// The fee's currency.
        symbol: String,
    },
    /// The node refused the signed payment. Not final: nothing is paid so far, but the signed payment
    /// stays valid (another node may have it) until the chain decides, and Tender watches it.
    #[error(
        "the network refused this payment for now: nothing has been paid so far, but the signed payment stays valid until the network uses its place in line, and Tender watches it; the network said: \u{201c}{reason}\u{201d}"
    )]
    Rejected {
        /// What the node said (untrusted: sanitised and cut).
        reason: String,
    },
    /// The quote shown is no longer valid: look at the payment again.
    #[error("this quote has expired: review the payment again before paying")]
    QuoteExpired,
    /// No quote shown has this id: it was paid, it expired, or the wallet locked since.
    #[error("review the payment again before paying")]
    UnknownQuote,
    /// What would be paid differs from the quote that was shown.
    #[error("this is not the quote that was shown: review the payment again before paying")]
    QuoteMismatch,
    /// No stored payment has this transaction hash.
    #[error("no payment with transaction {tx_hash} in this wallet")]
    UnknownPayment {
        /// The hash asked for.
        tx_hash: alloy::primitives::B256,
    },
    /// An earlier payment from this account is signed but not on the network (refused, or never
    /// sent): a new payment would wait behind it, so it is sent again or cancelled first.
    #[error(
        "an earlier payment from this account ({tx_hash}) is signed but not on the network yet: send it again or cancel it before paying anything else"
    )]
    EarlierPaymentOutstanding {
        /// The earlier payment's transaction.
        tx_hash: alloy::primitives::B256,
    },
    /// The node reports transactions of this account waiting that this wallet did not sign (another
    /// device with the same phrase, or a node that lies): a payment signed now could wait behind
    /// them for ever.
    #[error(
        "the network reports {count} transaction(s) from this account waiting that this wallet did not sign: pay once they are through, or use another network endpoint"
    )]
    ForeignPending {
        /// How many.
        count: u64,
    },
    /// The payment is decided on chain (mined, or its nonce used): too late to speed it up or cancel it.
    #[error("this payment is already settled on the network: it can no longer be sped up or cancelled")]
    PaymentSettled,
    /// The node refused a speed-up or cancellation (too small a raise, for one): the payment stands as
    /// it was, and another try offers more.
    #[error("the network refused the replacement: the payment is still as it was (the network said: {reason})")]
    ReplacementRefused {
        /// The node's words, sanitised and cut.
        reason: String,
    },
    /// Permit2 may already move exactly the amount an approval (or a revocation) would set: there is
    /// nothing to sign.
    #[error("Permit2 may already move exactly {amount} {symbol} from this account: nothing to change")]
    AllowanceUnchanged {
        /// The token.
        symbol: String,
        /// The allowance, in the token's units.
        amount: String,
    },
    /// What this request pays (same payee, token, amount and order) was already paid, or is being
    /// paid, from this wallet.
    #[error("this was already paid from this wallet (transaction {tx_hash}); confirm explicitly to pay it again")]
    ProbableDuplicate {
        /// The earlier payment.
        tx_hash: alloy::primitives::B256,
    },
    /// This shop's checkout (same link, payee, token and amount) was already paid, or is being
    /// paid, from this wallet.
    #[error("this checkout was already paid from this wallet; confirm explicitly to pay it again")]
    DuplicateCheckout {
        /// The earlier authorization's nonce.
        nonce: alloy::primitives::B256,
    },
    /// The payee looks like an address this wallet knows (the same first and last digits) and is
    /// not it: the mark of address poisoning. Paying it needs an explicit confirmation.
    #[error(
        "the payee looks like {looks_like}, an address this wallet knows, and is not it; confirm explicitly to pay it"
    )]
    LookalikePayee {
        /// The known address it imitates.
        looks_like: alloy::primitives::Address,
    },
    /// SQLite failed (the database file, its disk, a lock).
    #[error("local database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Why this request cannot be paid from here: what a sheet shows as its blocker, reported as an
    /// error where no sheet is shown (the command line, a payment confirmed after the sheet).
    #[error(transparent)]
    Blocked(#[from] Blocker),
    /// Something inside Tender failed that the person cannot act on (encoding a message, starting
    /// the HTTP client): a defect to report.
    #[error("internal error: {detail}")]
    Internal {
        /// What failed.
        detail: String,
    },
    /// A recovery phrase (with its passphrase) that is not this wallet's, given to set a new password.
    #[error(
        "this recovery phrase is not this wallet's (or its passphrase differs): nothing was changed; check each word, and the passphrase if the wallet has one"
    )]
    PhraseNotThisWallet,
    /// The local database failed.
    #[error("local database: {detail}")]
    Database {
        /// What failed.
        detail: String,
    },
    /// The local dev chain could not be started or set up.
    #[error("dev chain: {reason}")]
    Devnet {
        /// What failed.
        reason: String,
    },
    /// The signer failed.
    #[error("signing failed: {0}")]
    Signing(#[from] alloy::signers::Error),
    /// The OS random source failed.
    #[error("the system random number generator failed: {0}")]
    Random(#[from] getrandom::Error),
    /// A file-system operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

fn suggestion_text(suggestions: &[String]) -> String {
    if suggestions.is_empty() { String::new() } else { format!("; did you mean {}?", suggestions.join(", ")) }
}

impl Error {
    /// A stable code for programs (the UI, the CLI's JSON), independent of the wording.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::UnknownWord { .. } => ErrorCode::UnknownWord,
            Error::BadWordCount { .. } => ErrorCode::BadWordCount,
            Error::BadChecksum => ErrorCode::BadChecksum,
            Error::UnknownLanguage { .. } => ErrorCode::UnknownLanguage,
            Error::InvalidPath { .. } => ErrorCode::InvalidPath,
            Error::Derivation(_) => ErrorCode::DerivationFailed,
            Error::WrongPassword => ErrorCode::WrongPassword,
            Error::Locked => ErrorCode::Locked,
            Error::TooManyAttempts { .. } => ErrorCode::TooManyAttempts,
            Error::WeakPassword { .. } => ErrorCode::WeakPassword,
            Error::PasswordsDiffer => ErrorCode::PasswordsDiffer,
            Error::PassphraseTooLong { .. } => ErrorCode::PassphraseTooLong,
            Error::InputMissing { .. } => ErrorCode::InputMissing,
            Error::InvalidAmount { .. } => ErrorCode::InvalidAmount,
            Error::ConfirmationRequired { .. } => ErrorCode::ConfirmationRequired,
            Error::VaultCorrupt { .. } => ErrorCode::VaultCorrupt,
            Error::UnsupportedVaultVersion { .. } => ErrorCode::UnsupportedVaultVersion,
            Error::MetadataCorrupt { .. } => ErrorCode::MetadataCorrupt,
            Error::WalletExists { .. } => ErrorCode::WalletExists,
            Error::NoWallet { .. } => ErrorCode::NoWallet,
            Error::VaultMissing { .. } => ErrorCode::VaultMissing,
            Error::StoreMismatch { .. } => ErrorCode::StoreMismatch,
            Error::KeyringUnavailable { .. } => ErrorCode::KeyringUnavailable,
            Error::KeyringLocked { .. } => ErrorCode::KeyringLocked,
            Error::Keyring { .. } => ErrorCode::KeyringFailed,
            Error::InvalidAddress { .. } => ErrorCode::InvalidAddress,
            Error::BadAddressChecksum => ErrorCode::BadAddressChecksum,
            Error::UnknownAccount { .. } => ErrorCode::UnknownAccount,
            Error::UnknownCollection { .. } => ErrorCode::UnknownCollection,
            Error::InvalidLabel { .. } => ErrorCode::InvalidLabel,
            Error::InvalidGateway { .. } => ErrorCode::InvalidGateway,
            Error::TokenListRefused { .. } => ErrorCode::TokenListRefused,
            Error::InvalidTypedData { .. } => ErrorCode::InvalidTypedData,
            Error::InvalidTransaction { .. } => ErrorCode::InvalidTransaction,
            Error::PaymentRequest(e) => e.code(),
            Error::Checkout(e) => e.code(),
            Error::Blocked(b) => b.code(),
            Error::Internal { .. } => ErrorCode::Internal,
            Error::PhraseNotThisWallet => ErrorCode::PhraseNotThisWallet,
            Error::DuplicateCheckout { .. } => ErrorCode::DuplicateCheckout,
            Error::InvalidNetwork { .. } => ErrorCode::InvalidNetwork,
            Error::ChainIdMismatch { .. } => ErrorCode::ChainIdMismatch,
            Error::RpcUnavailable { .. } => ErrorCode::RpcUnavailable,
            Error::BadRpcResponse { .. } => ErrorCode::BadRpcResponse,
            Error::FeeBudgetExceeded { .. } => ErrorCode::FeeBudgetExceeded,
            Error::Rejected { .. } => ErrorCode::Rejected,
            Error::QuoteExpired => ErrorCode::QuoteExpired,
            Error::QuoteMismatch => ErrorCode::QuoteMismatch,
            Error::UnknownQuote => ErrorCode::NoQuote,
            Error::UnknownPayment { .. } => ErrorCode::UnknownPayment,
            Error::PaymentSettled => ErrorCode::PaymentSettled,
            Error::EarlierPaymentOutstanding { .. } => ErrorCode::EarlierPaymentOutstanding,
            Error::ForeignPending { .. } => ErrorCode::ForeignPending,
            Error::ReplacementRefused { .. } => ErrorCode::ReplacementRefused,
            Error::AllowanceUnchanged { .. } => ErrorCode::AllowanceUnchanged,
            Error::ProbableDuplicate { .. } => ErrorCode::ProbableDuplicate,
            Error::LookalikePayee { .. } => ErrorCode::LookalikePayee,
            Error::Database { .. } | Error::Sqlite(_) => ErrorCode::Database,
            Error::Devnet { .. } => ErrorCode::DevnetFailed,
            Error::Signing(_) => ErrorCode::SigningFailed,
            Error::Random(_) => ErrorCode::RandomFailed,
            Error::Io { .. } => ErrorCode::Io,
        }
    }

    /// The values a face needs to word this error in the person's language (beside its code), by
    /// name. Public data only; the node's or a contract's words (`reason`) are sanitised already.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Error::UnknownWord { index, .. } => vec![("position", (index + 1).to_string())],
            Error::BadWordCount { count } => vec![("count", count.to_string())],
            Error::TooManyAttempts { retry_after_secs } => vec![("seconds", retry_after_secs.to_string())],
            Error::PassphraseTooLong { max } => vec![("max", max.to_string())],
            Error::InvalidAmount { decimals } => vec![("decimals", decimals.to_string())],
            Error::UnknownAccount { index } => vec![("index", index.to_string())],
            Error::ChainIdMismatch { expected, got } => {
                vec![("expected", expected.to_string()), ("got", got.to_string())]
            }
            Error::EarlierPaymentOutstanding { tx_hash } => vec![("tx_hash", tx_hash.to_string())],
            Error::ForeignPending { count } => vec![("count", count.to_string())],
            Error::AllowanceUnchanged { symbol, amount } => {
                vec![("symbol", symbol.clone()), ("amount", amount.clone())]
            }
            Error::Rejected { reason } | Error::ReplacementRefused { reason } => vec![("reason", reason.clone())],
            Error::FeeBudgetExceeded { spent, ceiling, symbol } => {
                vec![("spent", spent.clone()), ("ceiling", ceiling.clone()), ("symbol", symbol.clone())]
            }
            Error::LookalikePayee { looks_like } => vec![("looks_like", looks_like.to_checksum(None))],
            Error::Blocked(b) => b.params(),
            Error::Checkout(CheckoutError::ShopUnreachable { domain, detail }) => {
                vec![("domain", domain.clone()), ("detail", detail.clone())]
            }
            Error::Checkout(CheckoutError::BadAnswer { reason } | CheckoutError::ShopRefused { reason }) => {
                vec![("reason", reason.clone())]
            }
            Error::Checkout(CheckoutError::NoPaymentAsked { status }) => vec![("status", status.to_string())],
            Error::Checkout(CheckoutError::PrivateAddress { domain }) => vec![("domain", domain.clone())],
            Error::StoreMismatch { actual, .. } => vec![("store", actual.as_str().to_owned())],
            _ => Vec::new(),
        }
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_errors_are_kept_as_sources() {
        use std::error::Error as _;
        let e = Error::from(rusqlite::Error::InvalidQuery);
        assert_eq!(e.code(), ErrorCode::Database);
        assert!(e.source().is_some_and(|s| s.downcast_ref::<rusqlite::Error>().is_some()));
        let io = Error::io("reading wallet.json", std::io::Error::other("disk"));
        assert!(io.source().is_some());
    }

    #[test]
    fn every_code_is_its_own_text_once() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).expect("json");
            assert_eq!(json, code.as_str(), "the serialised name is the code");
        }
        let mut all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), ErrorCode::ALL.len());
        assert_eq!(Error::UnknownQuote.code(), ErrorCode::NoQuote);
        assert_eq!(Error::from(Blocker::AmountMissing).code(), ErrorCode::AmountMissing);
    }

    #[test]
    fn messages_tell_the_person_what_to_do() {
        let e = Error::UnknownWord { index: 2, suggestions: vec!["abandon".into(), "ability".into()] };
        assert_eq!(e.to_string(), "word 3 is not a recovery-phrase word; did you mean abandon, ability?");
        assert_eq!(e.code(), ErrorCode::UnknownWord);
        assert_eq!(
            Error::BadWordCount { count: 11 }.to_string(),
            "a recovery phrase has 12, 15, 18, 21 or 24 words; this one has 11"
        );
        let e = Error::StoreMismatch { actual: StoreKind::File, requested: StoreKind::Keyring };
        assert_eq!(
            e.to_string(),
            "this wallet keeps its vault in the data folder, not the OS keyring; pass --store file"
        );
    }
}
