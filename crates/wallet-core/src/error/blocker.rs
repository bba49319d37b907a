//! The refusals of a payment: what stops a request from being paid from here.

use alloy::primitives::Address;

use super::ErrorCode;

/// Why a request cannot be paid from here: shown on the sheet (the pay button stays off), and the
/// error [`Error::Blocked`](super::Error::Blocked) where no sheet is shown. Each refusal is written
/// here once, with its data and its words.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Blocker {
    /// The request is for another chain than the wallet's network.
    #[error("this request is for chain {requested}, but the wallet is on chain {current}: switch network to pay it")]
    ChainMismatch {
        /// The chain it names.
        requested: u64,
        /// The network in use.
        current: u64,
    },
    /// The merchant's deadline has passed.
    #[error("this payment request expired (at {expired_at}); ask the merchant for a new one")]
    RequestExpired {
        /// When (Unix seconds).
        expired_at: u64,
    },
    /// Not enough of an asset (the amount, or the fee in the native currency).
    #[error("not enough {symbol}: {needed} needed, {available} available")]
    InsufficientFunds {
        /// The asset.
        symbol: String,
        /// Needed, in its units.
        needed: String,
        /// Held, in its units.
        available: String,
    },
    /// The request leaves the amount open and none was given.
    #[error("the request does not say how much to pay: enter the amount")]
    AmountMissing,
    /// The amount given differs from the request's.
    #[error("the amount entered differs from the amount in the request")]
    AmountConflict,
    /// An ENS name that resolves to nothing.
    #[error("the ENS name {name:?} does not resolve to an address: check the name or ask for an address")]
    EnsNotFound {
        /// The name.
        name: String,
    },
    /// An ENS name on a network without ENS.
    #[error(
        "the {what} is the ENS name {name:?}; Tender cannot resolve ENS names on this network yet: ask for an address"
    )]
    EnsUnsupported {
        /// The name.
        name: String,
        /// Which part of the request it is (`payee`, `token`).
        what: &'static str,
    },
    /// The token contract is not a usable ERC-20 token.
    #[error("{address} is not a usable token: {reason}")]
    NotAToken {
        /// The contract.
        #[serde(serialize_with = "crate::text::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        address: Address,
        /// What failed (the contract's answers are untrusted: sanitised).
        reason: String,
    },
    /// The network fee is above Tender's ceiling for this network.
    #[error(
        "the network fee would be up to {fee} {symbol}, above the {ceiling} {symbol} Tender allows on this network: nothing was signed; try again later"
    )]
    FeeTooHigh {
        /// The fee asked.
        fee: String,
        /// The ceiling.
        ceiling: String,
        /// Its currency.
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
    /// The token said it would not make this transfer.
    #[error("the token refused this transfer: nothing was signed")]
    TokenRefused,
    /// The token's contract says other decimals than the wallet lists: the amount shown could be off by
    /// powers of ten, so nothing is signed until the listing is put right.
    #[error("{symbol}'s contract says it has {on_chain} decimals, not the {listed} listed: nothing was signed")]
    DecimalsMismatch {
        /// The token as listed.
        symbol: String,
        /// The decimals the wallet lists (and would show the amount with).
        listed: u8,
        /// What its contract says.
        on_chain: u8,
    },
    /// The transfer would fail; the reason is the node's or the token's (sanitised, labelled).
    #[error("this payment would fail; the network said: \u{201c}{reason}\u{201d}")]
    WouldFail {
        /// Their words.
        reason: String,
    },
    /// An on-chain token payment needs the native currency for its fee, and the account holds the
    /// token but not enough of that (a gasless checkout would not need it).
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
    /// The shop offers only schemes Tender does not pay.
    #[error("this shop asks for a kind of payment Tender does not make ({scheme:?}); pay another way")]
    SchemeUnsupported {
        /// The scheme (sanitised).
        scheme: String,
    },
    /// The shop asks for a token the wallet does not show.
    #[error("this shop asks for a token this wallet does not know ({address}); Tender pays only tokens it shows")]
    UnknownToken {
        /// The token.
        #[serde(serialize_with = "crate::text::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        address: Address,
    },
    /// The token has no EIP-3009 transfer authorizations (no gasless payment).
    #[error("the token {address} cannot pay without a network fee (it has no transfer authorizations)")]
    NoAuthorizations {
        /// The token.
        #[serde(serialize_with = "crate::text::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        address: Address,
    },
    /// The token's signing domain on chain differs from what the shop says.
    #[error("the shop's details of the token do not match the token itself ({reason}); nothing was signed")]
    DomainMismatch {
        /// What differs.
        reason: String,
    },
    /// The shop names a payee that cannot be paid (nobody, or the token itself).
    #[error("this shop asks to pay {payee}, which cannot receive a payment; nothing was signed")]
    BadPayee {
        /// The payee.
        #[serde(serialize_with = "crate::text::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        payee: Address,
    },
    /// The shop asks for an authorization valid for an absurd time.
    #[error("this shop asks for a payment valid for {seconds} s, which Tender refuses")]
    BadValidity {
        /// The time asked (seconds).
        seconds: u64,
    },
    /// Permit2 or the x402 payment contract is not the canonical one on this network.
    #[error("this network's payment contracts are not the ones Tender trusts ({reason}); nothing was signed")]
    #[serde(rename = "permit2_unavailable")]
    Permit2Unavailable {
        /// What is wrong.
        reason: String,
    },
    /// The shop signs its offers, and this one does not hold: another signer, other terms, expired.
    #[error("the shop's signed offer does not hold ({reason}); nothing was signed")]
    OfferInvalid {
        /// What is wrong.
        reason: String,
    },
    /// Paying this token without a fee needs a one-time approval of Permit2 first, and the shop does
    /// not sponsor it.
    #[error(
        "paying {symbol} at this shop needs a one-time approval first (letting Permit2 move up to {amount} {symbol} for you), and this shop does not send it for you; nothing was signed"
    )]
    ApprovalNeeded {
        /// The token's contract (what the approval is sent to).
        #[serde(serialize_with = "crate::text::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        token: Address,
        /// The token.
        symbol: String,
        /// This payment's amount, in the token's units (what the approval would allow).
        amount: String,
    },
}

impl Blocker {
    /// Its stable code (`chain_mismatch`, `fee_too_high`, …).
    pub fn code(&self) -> ErrorCode {
        match self {
            Blocker::ChainMismatch { .. } => ErrorCode::ChainMismatch,
            Blocker::RequestExpired { .. } => ErrorCode::RequestExpired,
            Blocker::InsufficientFunds { .. } => ErrorCode::InsufficientFunds,
            Blocker::AmountMissing => ErrorCode::AmountMissing,
            Blocker::AmountConflict => ErrorCode::AmountConflict,
            Blocker::EnsNotFound { .. } => ErrorCode::EnsNotFound,
            Blocker::EnsUnsupported { .. } => ErrorCode::EnsUnsupported,
            Blocker::NotAToken { .. } => ErrorCode::NotAToken,
            Blocker::FeeTooHigh { .. } => ErrorCode::FeeTooHigh,
            Blocker::GasTooHigh { .. } => ErrorCode::GasTooHigh,
            Blocker::TokenRefused => ErrorCode::TokenRefused,
            Blocker::DecimalsMismatch { .. } => ErrorCode::DecimalsMismatch,
            Blocker::WouldFail { .. } => ErrorCode::WouldFail,
            Blocker::NeedsNativeForFee { .. } => ErrorCode::NeedsNativeForFee,
            Blocker::SchemeUnsupported { .. } => ErrorCode::SchemeUnsupported,
            Blocker::UnknownToken { .. } => ErrorCode::UnknownToken,
            Blocker::NoAuthorizations { .. } => ErrorCode::NoAuthorizations,
            Blocker::DomainMismatch { .. } => ErrorCode::DomainMismatch,
            Blocker::BadPayee { .. } => ErrorCode::BadPayee,
            Blocker::BadValidity { .. } => ErrorCode::BadValidity,
            Blocker::Permit2Unavailable { .. } => ErrorCode::Permit2Unavailable,
            Blocker::ApprovalNeeded { .. } => ErrorCode::ApprovalNeeded,
            Blocker::OfferInvalid { .. } => ErrorCode::OfferInvalid,
        }
    }

    /// The values a face needs to word it (see [`super::Error::params`]).
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Blocker::ChainMismatch { requested, current } => {
                vec![("requested", requested.to_string()), ("current", current.to_string())]
            }
            Blocker::RequestExpired { expired_at } => vec![("expired_at", expired_at.to_string())],
            Blocker::EnsUnsupported { name, .. } | Blocker::EnsNotFound { name } => vec![("name", name.clone())],
            Blocker::InsufficientFunds { symbol, needed, available }
            | Blocker::NeedsNativeForFee { symbol, needed, available } => {
                vec![("symbol", symbol.clone()), ("needed", needed.clone()), ("available", available.clone())]
            }
            Blocker::WouldFail { reason }
            | Blocker::DomainMismatch { reason }
            | Blocker::Permit2Unavailable { reason }
            | Blocker::OfferInvalid { reason } => vec![("reason", reason.clone())],
            Blocker::ApprovalNeeded { token, symbol, amount } => {
                vec![("token", token.to_checksum(None)), ("symbol", symbol.clone()), ("amount", amount.clone())]
            }
            Blocker::FeeTooHigh { fee, ceiling, symbol } => {
                vec![("fee", fee.clone()), ("ceiling", ceiling.clone()), ("symbol", symbol.clone())]
            }
            Blocker::GasTooHigh { gas, limit } => vec![("gas", gas.to_string()), ("limit", limit.to_string())],
            Blocker::NotAToken { address, .. }
            | Blocker::UnknownToken { address }
            | Blocker::NoAuthorizations { address } => {
                vec![("address", address.to_checksum(None))]
            }
            Blocker::SchemeUnsupported { scheme } => vec![("scheme", scheme.clone())],
            Blocker::DecimalsMismatch { symbol, listed, on_chain } => {
                vec![("symbol", symbol.clone()), ("listed", listed.to_string()), ("on_chain", on_chain.to_string())]
            }
            Blocker::BadPayee { payee } => vec![("payee", payee.to_checksum(None))],
            Blocker::BadValidity { seconds } => vec![("seconds", seconds.to_string())],
            Blocker::AmountMissing | Blocker::AmountConflict | Blocker::TokenRefused => Vec::new(),
        }
    }
}
