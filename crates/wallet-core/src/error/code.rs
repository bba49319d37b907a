//! Every stable error code, declared once.

/// Declares [`ErrorCode`]: every code an error carries across a boundary (the CLI's JSON, the app's
/// IPC, the UI's translations), each variant named after its code.
macro_rules! error_codes {
    ($($variant:ident = $code:literal,)*) => {
        /// Every stable error code: the core's ([`Error::code`], [`RequestError::code`]) and those of
        /// the faces' own flows (`no_phrase`, `quiz_failed`, `invalid_setting`, `internal`). The UI
        /// gets it as a union type and has a text for each one in every language.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[non_exhaustive]
        pub enum ErrorCode {
            // Each named by its literal code (serde and the TypeScript bindings alike).
            $(#[doc = $code] #[serde(rename = $code)] $variant,)*
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
    PrivateShopAddress = "private_shop_address",
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
    Permit2Unavailable = "permit2_unavailable",
    ApprovalNeeded = "approval_needed",
    OfferInvalid = "offer_invalid",
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
    PhraseNotThisWallet = "phrase_not_this_wallet",
    NoWallet = "no_wallet",
    VaultMissing = "vault_missing",
    StoreMismatch = "store_mismatch",
    KeyringUnavailable = "keyring_unavailable",
    KeyringLocked = "keyring_locked",
    KeyringFailed = "keyring_failed",
    UnknownAccount = "unknown_account",
    UnknownCollection = "unknown_collection",
    InvalidLabel = "invalid_label",
    InvalidGateway = "invalid_gateway",
    TokenListRefused = "token_list_refused",
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
    DecimalsMismatch = "decimals_mismatch",
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
    AllowanceUnchanged = "allowance_unchanged",
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
