//! Why a payment request or a shop's payment link cannot be paid.

use super::ErrorCode;

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
    pub fn code(&self) -> ErrorCode {
        match self {
            RequestError::NotEthereum => ErrorCode::NotEthereum,
            RequestError::TooLong => ErrorCode::RequestTooLong,
            RequestError::Malformed(_) => ErrorCode::MalformedRequest,
            RequestError::BadAddress { .. } => ErrorCode::InvalidAddress,
            RequestError::BadChecksum { .. } => ErrorCode::BadAddressChecksum,
            RequestError::FractionalAmount { .. } => ErrorCode::FractionalAmount,
            RequestError::NegativeAmount { .. } => ErrorCode::NegativeAmount,
            RequestError::AmountOverflow { .. } => ErrorCode::AmountOverflow,
            RequestError::UnknownFunction { .. } => ErrorCode::UnknownFunction,
            RequestError::MissingParameter(_) => ErrorCode::MissingParameter,
            RequestError::DuplicateParameter(_) => ErrorCode::DuplicateParameter,
            RequestError::UnsupportedRequirement(_) => ErrorCode::UnsupportedRequirement,
            RequestError::Ambiguous => ErrorCode::AmbiguousRequest,
            RequestError::BadChainId(_) => ErrorCode::BadChainId,
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
    /// The link leads into the shopper's own network or this device, which a shop's link never does.
    #[error(
        "this link leads to {domain}, inside your own network or this device, not to a shop on the internet; Tender does not follow it"
    )]
    PrivateAddress {
        /// The link's host.
        domain: String,
    },
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
    pub fn code(&self) -> ErrorCode {
        match self {
            CheckoutError::NotAPaymentLink => ErrorCode::NotAPaymentLink,
            CheckoutError::InsecureLink => ErrorCode::InsecureLink,
            CheckoutError::PrivateAddress { .. } => ErrorCode::PrivateShopAddress,
            CheckoutError::ShopUnreachable { .. } => ErrorCode::ShopUnreachable,
            CheckoutError::BadAnswer { .. } => ErrorCode::BadShopAnswer,
            CheckoutError::Redirected => ErrorCode::ShopRedirected,
            CheckoutError::NoPaymentAsked { .. } => ErrorCode::NoPaymentAsked,
            CheckoutError::ShopRefused { .. } => ErrorCode::ShopRefused,
        }
    }
}
