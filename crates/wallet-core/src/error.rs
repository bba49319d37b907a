//! The one error type of the wallet core.
//!
//! Every variant is something a shopper (or the UI on their behalf) can act on, and its text says how.
//! No variant carries a secret: an unknown word is reported by its position, never by what was typed.
//! [`Error::code`] gives a stable machine-readable code for the UI and the CLI's JSON output.

use std::path::PathBuf;

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
    /// A payment request for another chain than the wallet's network: switch, or do not pay.
    #[error("this request is for chain {requested}, but the wallet is on chain {current}: switch network to pay it")]
    ChainMismatch {
        /// The chain the request names.
        requested: u64,
        /// The network in use.
        current: u64,
    },
    /// The merchant's deadline has passed.
    #[error("this payment request expired (at {expired_at}); ask the merchant for a new one")]
    RequestExpired {
        /// The deadline, Unix seconds.
        expired_at: u64,
    },
    /// A request without an amount, and none was given.
    #[error("the request does not say how much to pay: enter the amount")]
    AmountMissing,
    /// The amount given differs from the amount the merchant asked for.
    #[error("the amount entered differs from the amount in the request")]
    AmountConflict,
    /// An ENS name where Tender needs an address.
    #[error(
        "the {what} is the ENS name {name:?}; Tender cannot resolve ENS names on this network yet: ask for an address"
    )]
    EnsUnsupported {
        /// The name.
        name: String,
        /// Which part of the request.
        what: &'static str,
    },
    /// An ENS name that resolves to no address.
    #[error("the ENS name {name:?} does not resolve to an address: check the name or ask for an address")]
    EnsNotFound {
        /// The name.
        name: String,
    },
    /// Not enough funds for the payment and its fee.
    #[error("not enough {symbol}: {needed} needed, {available} available")]
    InsufficientFunds {
        /// The asset short.
        symbol: String,
        /// What is needed, in its units.
        needed: String,
        /// What the account holds.
        available: String,
    },
    /// The shop asks for an on-chain token payment, whose network fee is paid in the native
    /// currency, and the account holds the token but not enough of that (a gasless checkout would
    /// not need it).
    #[error(
        "this shop asks for an on-chain payment, which needs up to {needed} {symbol} for the network fee, and this account has {available} {symbol}; a shop that offers \u{201c}pay with no fee\u{201d} needs none"
    )]
    NeedsNativeForFee {
        /// The native currency.
        symbol: String,
        /// The most the fee can be, in its units.
        needed: String,
        /// What the account holds, in its units.
        available: String,
    },
    /// The shop offers only payment schemes Tender does not use.
    #[error("this shop asks for a kind of payment Tender does not make ({scheme:?}); pay another way")]
    SchemeUnsupported {
        /// The scheme named (sanitised).
        scheme: String,
    },
    /// The shop asks for a token this wallet does not show on this network.
    #[error("this shop asks for a token this wallet does not know ({address}); Tender pays only tokens it shows")]
    UnknownToken {
        /// The token contract.
        address: alloy::primitives::Address,
    },
    /// The token cannot pay without a network fee (no EIP-3009 `transferWithAuthorization`).
    #[error("the token {address} cannot pay without a network fee (it has no transfer authorizations)")]
    NoAuthorizations {
        /// The token contract.
        address: alloy::primitives::Address,
    },
    /// The token's signing domain on chain is not the one the shop gave: what would be signed is not
    /// what the token checks.
    #[error("the shop's details of the token do not match the token itself ({reason}); nothing was signed")]
    DomainMismatch {
        /// What differs.
        reason: String,
    },
    /// The shop names an impossible payee (nobody, or the token contract itself).
    #[error("this shop asks to pay {payee}, which cannot receive a payment; nothing was signed")]
    BadPayee {
        /// The payee named.
        payee: alloy::primitives::Address,
    },
    /// The shop asks for an authorization valid for an absurd time.
    #[error("this shop asks for a payment valid for {seconds} s, which Tender refuses")]
    BadValidity {
        /// The time asked.
        seconds: u64,
    },
    /// The node says the transaction would fail.
    #[error("this payment would fail; the network said: \u{201c}{reason}\u{201d}")]
    WouldFail {
        /// What the node said (untrusted: sanitised and cut).
        reason: String,
    },
    /// The token answered that it would not make this transfer (`transfer` returned false).
    #[error("the token refused this transfer: nothing was signed")]
    TokenRefused,
    /// The network fee is above what Tender signs on this network.
    #[error(
        "the network fee would be up to {fee} {symbol}, above the {ceiling} {symbol} Tender allows on this network: nothing was signed; try again later"
    )]
    FeeTooHigh {
        /// The fee asked (or the fee per gas).
        fee: String,
        /// Tender's ceiling.
        ceiling: String,
        /// The fee's currency.
        symbol: String,
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
    /// The node asks for far more gas than such a payment takes.
    #[error("this payment would need {gas} gas, more than the {limit} such a payment ever takes: nothing was signed")]
    GasTooHigh {
        /// The node's estimate.
        gas: u64,
        /// Tender's bound.
        limit: u64,
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
    /// A contract that is not a usable ERC-20 token.
    #[error("{address} is not a usable token: {reason}")]
    NotAToken {
        /// The contract.
        address: alloy::primitives::Address,
        /// What failed.
        reason: String,
    },
    /// SQLite failed (the database file, its disk, a lock).
    #[error("local database: {0}")]
    Sqlite(#[from] rusqlite::Error),
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

/// Why a payment request was refused. Each has a stable [`RequestError::code`]; wrapped by
/// [`Error::PaymentRequest`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// Not an `ethereum:` link at all.
    #[error("this is not an Ethereum payment request (it must start with \"ethereum:\")")]
    NotEthereum,
    /// Longer than any QR code holds.
    #[error("the payment request is too long")]
    TooLong,
    /// The grammar is broken somewhere.
    #[error("the payment request is malformed: {0}")]
    Malformed(String),
    /// An address that is not one.
    #[error("the {field} is not a valid address: {reason}")]
    BadAddress {
        /// Which address (payee, token).
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A mixed-case address with a wrong EIP-55 checksum: a character was probably altered.
    #[error("the {field} address has a wrong checksum: it may have been altered; do not pay")]
    BadChecksum {
        /// Which address.
        field: &'static str,
    },
    /// An amount that is not a whole number of base units.
    #[error("the {field} {text:?} is not a whole number of base units; refusing to round it")]
    FractionalAmount {
        /// Which parameter.
        field: String,
        /// What it said.
        text: String,
    },
    /// A negative amount.
    #[error("the {field} is negative")]
    NegativeAmount {
        /// Which parameter.
        field: String,
    },
    /// An amount of 2^256 or more.
    #[error("the {field} is too large")]
    AmountOverflow {
        /// Which parameter.
        field: String,
    },
    /// A function other than ERC-20 `transfer`.
    #[error("the request asks to call {name:?}; Tender pays only plain transfers and ERC-20 \"transfer\"")]
    UnknownFunction {
        /// The function named.
        name: String,
    },
    /// A parameter the request needs is absent.
    #[error("the request lacks the {0:?} parameter")]
    MissingParameter(&'static str),
    /// A parameter given twice.
    #[error("the parameter {0:?} is given twice")]
    DuplicateParameter(String),
    /// A `req-` parameter Tender does not understand.
    #[error("the request requires {0:?}, which Tender does not support")]
    UnsupportedRequirement(String),
    /// An ERC-20 transfer that also sends ether: which one is the payment?
    #[error("the request is ambiguous: a token transfer that also sends ether")]
    Ambiguous,
    /// A chain id that is not a positive decimal number.
    #[error("the chain id {0:?} is not valid")]
    BadChainId(String),
}

impl RequestError {
    /// A stable code for programs.
    pub fn code(&self) -> &'static str {
        match self {
            RequestError::NotEthereum => "not_ethereum",
            RequestError::TooLong => "request_too_long",
            RequestError::Malformed(_) => "malformed_request",
            RequestError::BadAddress { .. } => "invalid_address",
            RequestError::BadChecksum { .. } => "bad_address_checksum",
            RequestError::FractionalAmount { .. } => "fractional_amount",
            RequestError::NegativeAmount { .. } => "negative_amount",
            RequestError::AmountOverflow { .. } => "amount_overflow",
            RequestError::UnknownFunction { .. } => "unknown_function",
            RequestError::MissingParameter(_) => "missing_parameter",
            RequestError::DuplicateParameter(_) => "duplicate_parameter",
            RequestError::UnsupportedRequirement(_) => "unsupported_requirement",
            RequestError::Ambiguous => "ambiguous_request",
            RequestError::BadChainId(_) => "bad_chain_id",
        }
    }
}

/// Why a shop's payment link (x402) cannot be paid, before any sheet can be shown, or why the shop
/// did not take a payment. Each has a stable [`CheckoutError::code`]; wrapped by [`Error::Checkout`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckoutError {
    /// Neither an `ethereum:` request nor a shop's `https://` payment link.
    #[error("this is not a payment link: Tender pays \"ethereum:\" requests and shops' https:// payment links")]
    NotAPaymentLink,
    /// A plain `http://` link to another machine: anyone on the way could change it.
    #[error("this payment link is not secure (http://): ask the shop for its https:// link")]
    InsecureLink,
    /// The shop could not be reached, or was too slow.
    #[error("the shop {domain} could not be reached: {detail}")]
    ShopUnreachable {
        /// The shop's domain.
        domain: String,
        /// What failed (timeout, refused connection).
        detail: String,
    },
    /// The shop's answer is not a payment request Tender can read.
    #[error("the shop's answer is not a valid payment request: {reason}")]
    BadAnswer {
        /// What is wrong with it.
        reason: String,
    },
    /// The shop sent Tender to another site.
    #[error("the shop's link leads to another site; Tender does not follow it")]
    Redirected,
    /// The link does not ask for a payment (the shop answered without `402 Payment Required`).
    #[error("this link does not ask for a payment (the shop answered {status})")]
    NoPaymentAsked {
        /// The HTTP status it answered.
        status: u16,
    },
    /// The shop did not take the payment.
    #[error("the shop did not take the payment; the shop said: \u{201c}{reason}\u{201d}")]
    ShopRefused {
        /// Its words (untrusted: sanitised and cut).
        reason: String,
    },
}

impl CheckoutError {
    /// A stable code for programs.
    pub fn code(&self) -> &'static str {
        match self {
            CheckoutError::NotAPaymentLink => "not_a_payment_link",
            CheckoutError::InsecureLink => "insecure_link",
            CheckoutError::ShopUnreachable { .. } => "shop_unreachable",
            CheckoutError::BadAnswer { .. } => "bad_shop_answer",
            CheckoutError::Redirected => "shop_redirected",
            CheckoutError::NoPaymentAsked { .. } => "no_payment_asked",
            CheckoutError::ShopRefused { .. } => "shop_refused",
        }
    }
}

/// Declares [`ErrorCode`]: every code an error carries across a boundary (the CLI's JSON, the app's
/// IPC, the UI's translations), each variant named after its code.
macro_rules! error_codes {
    ($($variant:ident = $code:literal,)*) => {
        /// Every stable error code: the core's ([`Error::code`], [`RequestError::code`]) and those of
        /// the faces' own flows (`no_phrase`, `quiz_failed`, `invalid_setting`, `internal`). The UI
        /// gets it as a union type and has a text for each one in every language.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(#[doc = $code] $variant,)*
        }

        impl ErrorCode {
            /// Every code.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as text.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }

            /// The code written `code`.
            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.as_str() == code)
            }
        }
    };
}

error_codes! {
    NotEthereum = "not_ethereum",
    RequestTooLong = "request_too_long",
    MalformedRequest = "malformed_request",
    InvalidAddress = "invalid_address",
    BadAddressChecksum = "bad_address_checksum",
    FractionalAmount = "fractional_amount",
    NegativeAmount = "negative_amount",
    AmountOverflow = "amount_overflow",
    UnknownFunction = "unknown_function",
    MissingParameter = "missing_parameter",
    DuplicateParameter = "duplicate_parameter",
    UnsupportedRequirement = "unsupported_requirement",
    AmbiguousRequest = "ambiguous_request",
    BadChainId = "bad_chain_id",
    NotAPaymentLink = "not_a_payment_link",
    InsecureLink = "insecure_link",
    ShopUnreachable = "shop_unreachable",
    BadShopAnswer = "bad_shop_answer",
    ShopRedirected = "shop_redirected",
    NoPaymentAsked = "no_payment_asked",
    ShopRefused = "shop_refused",
    NeedsNativeForFee = "needs_native_for_fee",
    SchemeUnsupported = "scheme_unsupported",
    UnknownToken = "unknown_token",
    NoAuthorizations = "no_authorizations",
    DomainMismatch = "domain_mismatch",
    BadPayee = "bad_payee",
    BadValidity = "bad_validity",
    DuplicateCheckout = "duplicate_checkout",
    UnknownWord = "unknown_word",
    BadWordCount = "bad_word_count",
    BadChecksum = "bad_checksum",
    UnknownLanguage = "unknown_language",
    InvalidPath = "invalid_path",
    DerivationFailed = "derivation_failed",
    WrongPassword = "wrong_password",
    Locked = "locked",
    TooManyAttempts = "too_many_attempts",
    WeakPassword = "weak_password",
    PasswordsDiffer = "passwords_differ",
    PassphraseTooLong = "passphrase_too_long",
    InputMissing = "input_missing",
    InvalidAmount = "invalid_amount",
    ConfirmationRequired = "confirmation_required",
    VaultCorrupt = "vault_corrupt",
    UnsupportedVaultVersion = "unsupported_vault_version",
    MetadataCorrupt = "metadata_corrupt",
    WalletExists = "wallet_exists",
    NoWallet = "no_wallet",
    VaultMissing = "vault_missing",
    StoreMismatch = "store_mismatch",
    KeyringUnavailable = "keyring_unavailable",
    KeyringLocked = "keyring_locked",
    KeyringFailed = "keyring_failed",
    UnknownAccount = "unknown_account",
    InvalidLabel = "invalid_label",
    InvalidTypedData = "invalid_typed_data",
    InvalidTransaction = "invalid_transaction",
    InvalidNetwork = "invalid_network",
    ChainIdMismatch = "chain_id_mismatch",
    RpcUnavailable = "rpc_unavailable",
    BadRpcResponse = "bad_rpc_response",
    NotAToken = "not_a_token",
    ChainMismatch = "chain_mismatch",
    RequestExpired = "request_expired",
    AmountMissing = "amount_missing",
    AmountConflict = "amount_conflict",
    EnsUnsupported = "ens_unsupported",
    EnsNotFound = "ens_not_found",
    InsufficientFunds = "insufficient_funds",
    WouldFail = "would_fail",
    TokenRefused = "token_refused",
    FeeTooHigh = "fee_too_high",
    GasTooHigh = "gas_too_high",
    FeeBudgetExceeded = "fee_budget_exceeded",
    Rejected = "rejected",
    QuoteExpired = "quote_expired",
    QuoteMismatch = "quote_mismatch",
    NoQuote = "no_quote",
    UnknownPayment = "unknown_payment",
    PaymentSettled = "payment_settled",
    EarlierPaymentOutstanding = "earlier_payment_outstanding",
    ForeignPending = "foreign_pending",
    ReplacementRefused = "replacement_refused",
    ProbableDuplicate = "probable_duplicate",
    LookalikePayee = "lookalike_payee",
    Database = "database",
    DevnetFailed = "devnet_failed",
    SigningFailed = "signing_failed",
    RandomFailed = "random_failed",
    Io = "io",
    NoPhrase = "no_phrase",
    QuizFailed = "quiz_failed",
    InvalidSetting = "invalid_setting",
    Internal = "internal",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a wallet keeps its encrypted vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The OS keyring (Secret Service, Keychain, Credential Manager, Android keystore).
    Keyring,
    /// A 0600 file in the data folder, for machines without a keyring.
    File,
    /// Process memory, for tests.
    Memory,
}

impl StoreKind {
    /// The name used on the command line and in files.
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::Keyring => "keyring",
            StoreKind::File => "file",
            StoreKind::Memory => "memory",
        }
    }
}

impl std::fmt::Display for StoreKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StoreKind::Keyring => "OS keyring",
            StoreKind::File => "data folder",
            StoreKind::Memory => "memory store",
        })
    }
}

impl std::str::FromStr for StoreKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "keyring" => Ok(StoreKind::Keyring),
            "file" => Ok(StoreKind::File),
            other => Err(format!("unknown store {other:?}: use keyring or file")),
        }
    }
}

fn suggestion_text(suggestions: &[String]) -> String {
    if suggestions.is_empty() { String::new() } else { format!("; did you mean {}?", suggestions.join(", ")) }
}

impl Error {
    /// A stable code for programs (the UI, the CLI's JSON), independent of the wording.
    pub fn code(&self) -> &'static str {
        match self {
            Error::UnknownWord { .. } => "unknown_word",
            Error::BadWordCount { .. } => "bad_word_count",
            Error::BadChecksum => "bad_checksum",
            Error::UnknownLanguage { .. } => "unknown_language",
            Error::InvalidPath { .. } => "invalid_path",
            Error::Derivation(_) => "derivation_failed",
            Error::WrongPassword => "wrong_password",
            Error::Locked => "locked",
            Error::TooManyAttempts { .. } => "too_many_attempts",
            Error::WeakPassword { .. } => "weak_password",
            Error::PasswordsDiffer => "passwords_differ",
            Error::PassphraseTooLong { .. } => "passphrase_too_long",
            Error::InputMissing { .. } => "input_missing",
            Error::InvalidAmount { .. } => "invalid_amount",
            Error::ConfirmationRequired { .. } => "confirmation_required",
            Error::VaultCorrupt { .. } => "vault_corrupt",
            Error::UnsupportedVaultVersion { .. } => "unsupported_vault_version",
            Error::MetadataCorrupt { .. } => "metadata_corrupt",
            Error::WalletExists { .. } => "wallet_exists",
            Error::NoWallet { .. } => "no_wallet",
            Error::VaultMissing { .. } => "vault_missing",
            Error::StoreMismatch { .. } => "store_mismatch",
            Error::KeyringUnavailable { .. } => "keyring_unavailable",
            Error::KeyringLocked { .. } => "keyring_locked",
            Error::Keyring { .. } => "keyring_failed",
            Error::InvalidAddress { .. } => "invalid_address",
            Error::BadAddressChecksum => "bad_address_checksum",
            Error::UnknownAccount { .. } => "unknown_account",
            Error::InvalidLabel { .. } => "invalid_label",
            Error::InvalidTypedData { .. } => "invalid_typed_data",
            Error::InvalidTransaction { .. } => "invalid_transaction",
            Error::PaymentRequest(e) => e.code(),
            Error::Checkout(e) => e.code(),
            Error::NeedsNativeForFee { .. } => "needs_native_for_fee",
            Error::SchemeUnsupported { .. } => "scheme_unsupported",
            Error::UnknownToken { .. } => "unknown_token",
            Error::NoAuthorizations { .. } => "no_authorizations",
            Error::DomainMismatch { .. } => "domain_mismatch",
            Error::BadPayee { .. } => "bad_payee",
            Error::BadValidity { .. } => "bad_validity",
            Error::DuplicateCheckout { .. } => "duplicate_checkout",
            Error::InvalidNetwork { .. } => "invalid_network",
            Error::ChainIdMismatch { .. } => "chain_id_mismatch",
            Error::RpcUnavailable { .. } => "rpc_unavailable",
            Error::BadRpcResponse { .. } => "bad_rpc_response",
            Error::NotAToken { .. } => "not_a_token",
            Error::ChainMismatch { .. } => "chain_mismatch",
            Error::RequestExpired { .. } => "request_expired",
            Error::AmountMissing => "amount_missing",
            Error::AmountConflict => "amount_conflict",
            Error::EnsUnsupported { .. } => "ens_unsupported",
            Error::EnsNotFound { .. } => "ens_not_found",
            Error::InsufficientFunds { .. } => "insufficient_funds",
            Error::WouldFail { .. } => "would_fail",
            Error::TokenRefused => "token_refused",
            Error::FeeTooHigh { .. } => "fee_too_high",
            Error::GasTooHigh { .. } => "gas_too_high",
            Error::FeeBudgetExceeded { .. } => "fee_budget_exceeded",
            Error::Rejected { .. } => "rejected",
            Error::QuoteExpired => "quote_expired",
            Error::QuoteMismatch => "quote_mismatch",
            Error::UnknownQuote => "no_quote",
            Error::UnknownPayment { .. } => "unknown_payment",
            Error::PaymentSettled => "payment_settled",
            Error::EarlierPaymentOutstanding { .. } => "earlier_payment_outstanding",
            Error::ForeignPending { .. } => "foreign_pending",
            Error::ReplacementRefused { .. } => "replacement_refused",
            Error::ProbableDuplicate { .. } => "probable_duplicate",
            Error::LookalikePayee { .. } => "lookalike_payee",
            Error::Database { .. } | Error::Sqlite(_) => "database",
            Error::Devnet { .. } => "devnet_failed",
            Error::Signing(_) => "signing_failed",
            Error::Random(_) => "random_failed",
            Error::Io { .. } => "io",
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
            Error::ChainMismatch { requested, current } => {
                vec![("requested", requested.to_string()), ("current", current.to_string())]
            }
            Error::RequestExpired { expired_at } => vec![("expired_at", expired_at.to_string())],
            Error::EarlierPaymentOutstanding { tx_hash } => vec![("tx_hash", tx_hash.to_string())],
            Error::ForeignPending { count } => vec![("count", count.to_string())],
            Error::EnsUnsupported { name, .. } | Error::EnsNotFound { name } => vec![("name", name.clone())],
            Error::InsufficientFunds { symbol, needed, available } => {
                vec![("symbol", symbol.clone()), ("needed", needed.clone()), ("available", available.clone())]
            }
            Error::WouldFail { reason } | Error::Rejected { reason } | Error::ReplacementRefused { reason } => {
                vec![("reason", reason.clone())]
            }
            Error::FeeTooHigh { fee, ceiling, symbol } => {
                vec![("fee", fee.clone()), ("ceiling", ceiling.clone()), ("symbol", symbol.clone())]
            }
            Error::GasTooHigh { gas, limit } => vec![("gas", gas.to_string()), ("limit", limit.to_string())],
            Error::FeeBudgetExceeded { spent, ceiling, symbol } => {
                vec![("spent", spent.clone()), ("ceiling", ceiling.clone()), ("symbol", symbol.clone())]
            }
            Error::NotAToken { address, .. }
            | Error::UnknownToken { address }
            | Error::NoAuthorizations { address } => vec![("address", address.to_checksum(None))],
            Error::NeedsNativeForFee { symbol, needed, available } => {
                vec![("symbol", symbol.clone()), ("needed", needed.clone()), ("available", available.clone())]
            }
            Error::SchemeUnsupported { scheme } => vec![("scheme", scheme.clone())],
            Error::DomainMismatch { reason } => vec![("reason", reason.clone())],
            Error::BadPayee { payee } => vec![("payee", payee.to_checksum(None))],
            Error::LookalikePayee { looks_like } => vec![("looks_like", looks_like.to_checksum(None))],
            Error::BadValidity { seconds } => vec![("seconds", seconds.to_string())],
            Error::Checkout(CheckoutError::ShopUnreachable { domain, detail }) => {
                vec![("domain", domain.clone()), ("detail", detail.clone())]
            }
            Error::Checkout(CheckoutError::BadAnswer { reason } | CheckoutError::ShopRefused { reason }) => {
                vec![("reason", reason.clone())]
            }
            Error::Checkout(CheckoutError::NoPaymentAsked { status }) => vec![("status", status.to_string())],
            Error::StoreMismatch { actual, .. } => vec![("store", actual.as_str().to_owned())],
            _ => Vec::new(),
        }
    }

    /// [`Error::code`] as an [`ErrorCode`].
    pub fn error_code(&self) -> ErrorCode {
        // Every code `code` returns is declared (checked by `every_code_is_declared_once`).
        ErrorCode::parse(self.code()).unwrap_or(ErrorCode::Internal)
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
        assert_eq!(e.code(), "database");
        assert!(e.source().is_some_and(|s| s.downcast_ref::<rusqlite::Error>().is_some()));
        let io = Error::io("reading wallet.json", std::io::Error::other("disk"));
        assert!(io.source().is_some());
    }

    #[test]
    fn every_code_is_declared_once() {
        let source = include_str!("error.rs");
        let returned: Vec<&str> = source
            .lines()
            .map(str::trim)
            .filter(|l| ["Error::", "RequestError::", "CheckoutError::"].iter().any(|p| l.starts_with(p)))
            .filter_map(|l| l.split_once("=> \"").map(|(_, rest)| rest))
            .filter_map(|rest| rest.strip_suffix("\","))
            .collect();
        assert!(returned.len() > 60, "{returned:?}");
        for code in &returned {
            assert!(ErrorCode::parse(code).is_some(), "{code} is not in ErrorCode");
        }
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).expect("json");
            assert_eq!(json, code.as_str(), "the serialised name is the code");
        }
        let mut all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), ErrorCode::ALL.len());
        assert_eq!(Error::UnknownQuote.error_code(), ErrorCode::NoQuote);
    }

    #[test]
    fn messages_tell_the_person_what_to_do() {
        let e = Error::UnknownWord { index: 2, suggestions: vec!["abandon".into(), "ability".into()] };
        assert_eq!(e.to_string(), "word 3 is not a recovery-phrase word; did you mean abandon, ability?");
        assert_eq!(e.code(), "unknown_word");
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
