//! The one answer to "may this request be paid, and what must the person see first": the sheet.
//! Both faces render it and decide nothing themselves.
//!
//! A sheet always shows the request (who asks for what, sanitised); then either a [`Quote`] that
//! can be paid, with its warnings and whether paying needs an explicit acknowledgement, or the
//! [`Blocker`]s that stop it, each with its data. Anything else that goes wrong while quoting (the
//! node is unreachable, the database failed) is an error, not a blocker: the sheet cannot be shown.

use alloy::primitives::Address;

use crate::error::{Error, Result};
use crate::pay::gasless::GaslessQuote;
use crate::pay::payee::PayeeFacts;
use crate::pay::payment::{Quote, Warning};
use crate::pay::request::{PaymentRequest, Target};
use crate::text::displayable;

/// Longest merchant name or order reference shown (the rest is cut with "…").
pub const MAX_SHOWN_TEXT: usize = 80;

/// The request as the sheet shows it: the merchant's own words, sanitised and cut, labelled as
/// theirs by the faces.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RequestSummary {
    /// The canonical `ethereum:` URI.
    pub uri: String,
    /// The merchant's name, as the request claims it (`label`).
    pub merchant: Option<String>,
    /// The merchant's message.
    pub message: Option<String>,
    /// The order reference.
    pub order: Option<String>,
    /// The payee as written (address or ENS name).
    pub payee: Option<String>,
    /// The chain the request is for.
    pub chain_id: Option<u64>,
    /// Its expiry (Unix seconds).
    pub expires: Option<u64>,
    /// A shop's payment link (gasless checkout): the shop's domain, from the link itself. This is who
    /// asks (its certificate vouches for it), unlike `merchant`, which a request says of itself.
    pub domain: Option<String>,
    /// The amount asked, in the asset's units, when the request names it and the asset is one
    /// Tender's network data knows (shown even when the request cannot be paid).
    pub amount_display: Option<String>,
    /// That asset's symbol.
    pub symbol: Option<String>,
    /// The name of the network the request is for, when Tender's data knows it.
    pub network: Option<String>,
}

impl RequestSummary {
    /// The summary of `request`.
    pub fn of(request: &PaymentRequest) -> Self {
        let data = request.chain_id.and_then(crate::chain::network::network_data);
        // The asset as Tender's data knows it: the native currency, or a listed token.
        let asset = data.and_then(|n| match &request.token {
            None => Some((n.native.symbol.clone(), n.native.decimals)),
            Some(Target::Address(a)) => {
                n.tokens.iter().find(|t| t.address == *a).map(|t| (t.symbol.clone(), t.decimals))
            }
            Some(Target::Ens(_)) => None,
        });
        let asked = request
            .amount
            .zip(asset)
            .map(|(amount, (symbol, decimals))| (crate::chain::token::format_amount(amount, decimals), symbol));
        Self {
            uri: request.to_uri(),
            merchant: request.label.as_deref().map(|t| displayable(t, MAX_SHOWN_TEXT)),
            message: request.message.as_deref().map(|t| displayable(t, MAX_SHOWN_TEXT * 2)),
            order: request.order.as_deref().map(|t| displayable(t, MAX_SHOWN_TEXT)),
            payee: request.recipient.as_ref().map(Target::to_string),
            chain_id: request.chain_id,
            expires: request.expires,
            domain: None,
            amount_display: asked.as_ref().map(|(amount, _)| amount.clone()),
            symbol: asked.map(|(_, symbol)| symbol),
            network: data.map(|n| n.name.clone()),
        }
    }

    /// The summary of a shop's payment link `url` saying `description` of the purchase (sanitised
    /// already), paying `payee` on `chain_id` when an option was chosen.
    pub fn of_checkout(
        url: &url::Url,
        description: Option<String>,
        payee: Option<Address>,
        chain_id: Option<u64>,
    ) -> Self {
        Self {
            uri: url.to_string(),
            merchant: None,
            message: description,
            order: None,
            payee: payee.map(|p| p.to_checksum(None)),
            chain_id,
            expires: None,
            domain: Some(crate::pay::x402::domain_of(url)),
            amount_display: None,
            symbol: None,
            network: chain_id.and_then(crate::chain::network::network_data).map(|n| n.name.clone()),
        }
    }
}

/// Why a request cannot be paid from here. Shown on the sheet; the pay button stays off.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Blocker {
    /// The request is for another chain than the wallet's network.
    ChainMismatch {
        /// The chain it names.
        requested: u64,
        /// The network in use.
        current: u64,
    },
    /// The merchant's deadline has passed.
    RequestExpired {
        /// When (Unix seconds).
        expired_at: u64,
    },
    /// Not enough of an asset (the amount, or the fee in the native currency).
    InsufficientFunds {
        /// The asset.
        symbol: String,
        /// Needed, in its units.
        needed: String,
        /// Held, in its units.
        available: String,
    },
    /// The request leaves the amount open and none was given.
    AmountMissing,
    /// The amount given differs from the request's.
    AmountConflict,
    /// An ENS name that resolves to nothing.
    EnsNotFound {
        /// The name.
        name: String,
    },
    /// An ENS name on a network without ENS.
    EnsUnsupported {
        /// The name.
        name: String,
        /// Which part of the request it is (`payee`, `token`).
        what: &'static str,
    },
    /// The token contract is not a usable ERC-20 token.
    NotAToken {
        /// The contract.
        #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        address: Address,
        /// What failed (the contract's answers are untrusted: sanitised).
        reason: String,
    },
    /// The network fee is above Tender's ceiling for this network.
    FeeTooHigh {
        /// The fee asked.
        fee: String,
        /// The ceiling.
        ceiling: String,
        /// Its currency.
        symbol: String,
    },
    /// The node asks for far more gas than such a payment takes.
    GasTooHigh {
        /// The node's estimate.
        gas: u64,
        /// Tender's bound.
        limit: u64,
    },
    /// The token said it would not make this transfer.
    TokenRefused,
    /// The transfer would fail; the reason is the node's or the token's (sanitised, labelled).
    WouldFail {
        /// Their words.
        reason: String,
    },
    /// An on-chain token payment needs the native currency for its fee, and the account holds the
    /// token but not enough of that (a gasless checkout would not need it).
    NeedsNativeForFee {
        /// The native currency.
        symbol: String,
        /// The most the fee can be, in its units.
        needed: String,
        /// What the account holds, in its units.
        available: String,
    },
    /// The shop offers only schemes Tender does not pay.
    SchemeUnsupported {
        /// The scheme (sanitised).
        scheme: String,
    },
    /// The shop asks for a token the wallet does not show.
    UnknownToken {
        /// The token.
        #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        address: Address,
    },
    /// The token has no EIP-3009 transfer authorizations (no gasless payment).
    NoAuthorizations {
        /// The token.
        #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        address: Address,
    },
    /// The token's signing domain on chain differs from what the shop says.
    DomainMismatch {
        /// What differs.
        reason: String,
    },
    /// The shop names a payee that cannot be paid (nobody, or the token itself).
    BadPayee {
        /// The payee.
        #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
        #[cfg_attr(feature = "specta", specta(type = String))]
        payee: Address,
    },
    /// The shop asks for an authorization valid for an absurd time.
    BadValidity {
        /// The time asked (seconds).
        seconds: u64,
    },
}

impl Blocker {
    /// The blocker an error of quoting stands for; `None` for an error that is not about this
    /// request (unreachable node, database), which the caller reports as an error.
    pub fn from_error(e: &Error) -> Option<Self> {
        Some(match e {
            Error::ChainMismatch { requested, current } => {
                Blocker::ChainMismatch { requested: *requested, current: *current }
            }
            Error::RequestExpired { expired_at } => Blocker::RequestExpired { expired_at: *expired_at },
            Error::InsufficientFunds { symbol, needed, available } => Blocker::InsufficientFunds {
                symbol: symbol.clone(),
                needed: needed.clone(),
                available: available.clone(),
            },
            Error::AmountMissing => Blocker::AmountMissing,
            Error::AmountConflict => Blocker::AmountConflict,
            Error::EnsNotFound { name } => Blocker::EnsNotFound { name: name.clone() },
            Error::EnsUnsupported { name, what } => Blocker::EnsUnsupported { name: name.clone(), what },
            Error::NotAToken { address, reason } => Blocker::NotAToken { address: *address, reason: reason.clone() },
            Error::FeeTooHigh { fee, ceiling, symbol } => {
                Blocker::FeeTooHigh { fee: fee.clone(), ceiling: ceiling.clone(), symbol: symbol.clone() }
            }
            Error::GasTooHigh { gas, limit } => Blocker::GasTooHigh { gas: *gas, limit: *limit },
            Error::TokenRefused => Blocker::TokenRefused,
            Error::WouldFail { reason } => Blocker::WouldFail { reason: reason.clone() },
            Error::NeedsNativeForFee { symbol, needed, available } => Blocker::NeedsNativeForFee {
                symbol: symbol.clone(),
                needed: needed.clone(),
                available: available.clone(),
            },
            Error::SchemeUnsupported { scheme } => Blocker::SchemeUnsupported { scheme: scheme.clone() },
            Error::UnknownToken { address } => Blocker::UnknownToken { address: *address },
            Error::NoAuthorizations { address } => Blocker::NoAuthorizations { address: *address },
            Error::DomainMismatch { reason } => Blocker::DomainMismatch { reason: reason.clone() },
            Error::BadPayee { payee } => Blocker::BadPayee { payee: *payee },
            Error::BadValidity { seconds } => Blocker::BadValidity { seconds: *seconds },
            _ => return None,
        })
    }

    /// The stable code of the error it stands for (`chain_mismatch`, `fee_too_high`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Blocker::ChainMismatch { .. } => "chain_mismatch",
            Blocker::RequestExpired { .. } => "request_expired",
            Blocker::InsufficientFunds { .. } => "insufficient_funds",
            Blocker::AmountMissing => "amount_missing",
            Blocker::AmountConflict => "amount_conflict",
            Blocker::EnsNotFound { .. } => "ens_not_found",
            Blocker::EnsUnsupported { .. } => "ens_unsupported",
            Blocker::NotAToken { .. } => "not_a_token",
            Blocker::FeeTooHigh { .. } => "fee_too_high",
            Blocker::GasTooHigh { .. } => "gas_too_high",
            Blocker::TokenRefused => "token_refused",
            Blocker::WouldFail { .. } => "would_fail",
            Blocker::NeedsNativeForFee { .. } => "needs_native_for_fee",
            Blocker::SchemeUnsupported { .. } => "scheme_unsupported",
            Blocker::UnknownToken { .. } => "unknown_token",
            Blocker::NoAuthorizations { .. } => "no_authorizations",
            Blocker::DomainMismatch { .. } => "domain_mismatch",
            Blocker::BadPayee { .. } => "bad_payee",
            Blocker::BadValidity { .. } => "bad_validity",
        }
    }
}

impl From<Blocker> for Error {
    /// The error a blocker stands for (the command line reports a blocked request as its error).
    fn from(b: Blocker) -> Self {
        match b {
            Blocker::ChainMismatch { requested, current } => Error::ChainMismatch { requested, current },
            Blocker::RequestExpired { expired_at } => Error::RequestExpired { expired_at },
            Blocker::InsufficientFunds { symbol, needed, available } => {
                Error::InsufficientFunds { symbol, needed, available }
            }
            Blocker::AmountMissing => Error::AmountMissing,
            Blocker::AmountConflict => Error::AmountConflict,
            Blocker::EnsNotFound { name } => Error::EnsNotFound { name },
            Blocker::EnsUnsupported { name, what } => Error::EnsUnsupported { name, what },
            Blocker::NotAToken { address, reason } => Error::NotAToken { address, reason },
            Blocker::FeeTooHigh { fee, ceiling, symbol } => Error::FeeTooHigh { fee, ceiling, symbol },
            Blocker::GasTooHigh { gas, limit } => Error::GasTooHigh { gas, limit },
            Blocker::TokenRefused => Error::TokenRefused,
            Blocker::WouldFail { reason } => Error::WouldFail { reason },
            Blocker::NeedsNativeForFee { symbol, needed, available } => {
                Error::NeedsNativeForFee { symbol, needed, available }
            }
            Blocker::SchemeUnsupported { scheme } => Error::SchemeUnsupported { scheme },
            Blocker::UnknownToken { address } => Error::UnknownToken { address },
            Blocker::NoAuthorizations { address } => Error::NoAuthorizations { address },
            Blocker::DomainMismatch { reason } => Error::DomainMismatch { reason },
            Blocker::BadPayee { payee } => Error::BadPayee { payee },
            Blocker::BadValidity { seconds } => Error::BadValidity { seconds },
        }
    }
}

/// The confirmation sheet: the request, and the verdict on it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sheet {
    /// Who asks for what.
    pub request: RequestSummary,
    /// What would be signed, when it can be paid on chain.
    pub quote: Option<Quote>,
    /// What would be signed, when it can be paid gasless (a shop's x402 link; the shop pays the
    /// network fee).
    pub gasless: Option<GaslessQuote>,
    /// Why it cannot be paid (empty when `quote` is set).
    pub blockers: Vec<Blocker>,
    /// What to read before confirming.
    pub warnings: Vec<Warning>,
    /// Paying needs an explicit acknowledgement (a probable duplicate, a lookalike payee).
    pub needs_ack: bool,
    /// What this wallet knows of the payee (paid before, or a first payment), when it can be paid.
    pub payee: Option<PayeeFacts>,
}

impl Sheet {
    /// The verdict on `request` given what quoting it gave: a payable quote, or the blockers of a
    /// refusal. Errors that are not about the request are returned as they are.
    pub fn verdict(request: &PaymentRequest, quoted: Result<Quote>) -> Result<Self> {
        let summary = RequestSummary::of(request);
        match quoted {
            Ok(quote) => {
                let needs_ack = quote.warnings.iter().any(Warning::needs_ack);
                Ok(Sheet {
                    request: summary,
                    warnings: quote.warnings.clone(),
                    quote: Some(quote),
                    gasless: None,
                    blockers: Vec::new(),
                    needs_ack,
                    payee: None,
                })
            }
            Err(e) => Self::blocked(summary, e),
        }
    }

    /// The verdict on the shop's payment link `url` (terms saying `description`) given what quoting
    /// it gave.
    pub fn checkout_verdict(url: &url::Url, description: Option<String>, quoted: Result<GaslessQuote>) -> Result<Self> {
        match quoted {
            Ok(quote) => {
                let summary = RequestSummary::of_checkout(
                    url,
                    quote.description.clone(),
                    Some(quote.payee),
                    Some(quote.chain_id),
                );
                Ok(Sheet {
                    request: summary,
                    needs_ack: quote.warnings.iter().any(Warning::needs_ack),
                    warnings: quote.warnings.clone(),
                    quote: None,
                    gasless: Some(quote),
                    blockers: Vec::new(),
                    payee: None,
                })
            }
            Err(e) => Self::blocked(RequestSummary::of_checkout(url, description, None, None), e),
        }
    }

    fn blocked(request: RequestSummary, e: Error) -> Result<Self> {
        match Blocker::from_error(&e) {
            Some(b) => Ok(Sheet {
                request,
                quote: None,
                gasless: None,
                blockers: vec![b],
                warnings: Vec::new(),
                needs_ack: false,
                payee: None,
            }),
            None => Err(e),
        }
    }

    /// Adds what the wallet that dealt with `who` knows of the payee (the quote was judged already:
    /// [`crate::pay::payee::judge`]).
    pub fn with_payee_facts(mut self, who: &crate::pay::payee::Counterparties) -> Self {
        let payee = self.quote.as_ref().map(|q| q.payee).or(self.gasless.as_ref().map(|g| g.payee));
        self.payee = payee.map(|p| who.facts(p));
        self
    }

    /// Whether the pay button may be on.
    pub fn payable(&self) -> bool {
        (self.quote.is_some() || self.gasless.is_some()) && self.blockers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_blocking_error() -> Vec<Error> {
        vec![
            Error::ChainMismatch { requested: 1, current: 31337 },
            Error::RequestExpired { expired_at: 5 },
            Error::InsufficientFunds { symbol: "ETH".into(), needed: "2".into(), available: "1".into() },
            Error::AmountMissing,
            Error::AmountConflict,
            Error::EnsNotFound { name: "shop.eth".into() },
            Error::EnsUnsupported { name: "shop.eth".into(), what: "payee" },
            Error::NotAToken { address: Address::repeat_byte(1), reason: "no code".into() },
            Error::FeeTooHigh { fee: "1".into(), ceiling: "0.05".into(), symbol: "ETH".into() },
            Error::GasTooHigh { gas: 30_000_000, limit: 150_000 },
            Error::TokenRefused,
            Error::WouldFail { reason: "paused".into() },
            Error::NeedsNativeForFee { symbol: "ETH".into(), needed: "0.002".into(), available: "0".into() },
            Error::SchemeUnsupported { scheme: "upto".into() },
            Error::UnknownToken { address: Address::repeat_byte(2) },
            Error::NoAuthorizations { address: Address::repeat_byte(3) },
            Error::DomainMismatch { reason: "name".into() },
            Error::BadPayee { payee: Address::ZERO },
            Error::BadValidity { seconds: 999_999 },
        ]
    }

    #[test]
    fn each_blocking_error_is_a_blocker_with_its_data_and_back() {
        let errors = every_blocking_error();
        let mut codes: Vec<&str> = Vec::new();
        for e in errors {
            let code = e.code();
            let message = e.to_string();
            let blocker = Blocker::from_error(&e).unwrap_or_else(|| panic!("{code} is a blocker"));
            assert_eq!(blocker.code(), code);
            let back = Error::from(blocker);
            assert_eq!((back.code(), back.to_string()), (code, message), "nothing is lost on the way");
            codes.push(code);
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 19, "one blocker per kind");
    }

    #[test]
    fn errors_about_the_network_or_the_device_are_not_blockers() {
        for e in [
            Error::RpcUnavailable { detail: "down".into() },
            Error::BadRpcResponse { detail: "odd".into() },
            Error::Database { detail: "full".into() },
            Error::Locked,
        ] {
            assert!(Blocker::from_error(&e).is_none(), "{e}");
            let request = crate::pay::request::parse("ethereum:0x4242424242424242424242424242424242424242?value=1")
                .expect("request");
            assert!(Sheet::verdict(&request, Err(e)).is_err(), "no sheet to show");
        }
    }

    #[test]
    fn a_blocked_sheet_still_shows_who_asks_and_pays_nothing() {
        let request = crate::pay::request::parse(
            "ethereum:0x4242424242424242424242424242424242424242@1?value=1&label=Corner%20Shop&order=A-1",
        )
        .expect("request");
        let sheet = Sheet::verdict(&request, Err(Error::ChainMismatch { requested: 1, current: 8453 })).expect("sheet");
        assert!(!sheet.payable() && sheet.quote.is_none() && !sheet.needs_ack);
        assert_eq!(sheet.blockers, [Blocker::ChainMismatch { requested: 1, current: 8453 }]);
        assert_eq!(
            (sheet.request.merchant.as_deref(), sheet.request.order.as_deref()),
            (Some("Corner Shop"), Some("A-1"))
        );
        let json = serde_json::to_value(&sheet.blockers[0]).expect("json");
        assert_eq!(json, serde_json::json!({ "kind": "chain_mismatch", "requested": 1, "current": 8453 }));
    }
}
