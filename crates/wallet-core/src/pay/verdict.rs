//! The one answer to "may this request be paid, and what must the person see first": the sheet.
//! Both faces render it and decide nothing themselves.
//!
//! A sheet always shows the request (who asks for what, sanitised); then either an [`Offer`] that
//! can be paid, with its warnings and whether paying needs an explicit acknowledgement, or the
//! [`Blocker`]s that stop it, each with its data. Anything else that goes wrong while quoting (the
//! node is unreachable, the database failed) is an error, not a blocker: the sheet cannot be shown.

use alloy::primitives::Address;

pub use crate::error::Blocker;
use crate::error::{Error, Result};
use crate::pay::gasless::GaslessQuote;
use crate::pay::offer::Offer;
use crate::pay::payee::PayeeFacts;
use crate::pay::payment::Quote;
use crate::pay::request::{PaymentRequest, Target};
use crate::pay::warning::Warning;
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
    /// The token the request names (its address or ENS name, as written); `null` when it asks for
    /// the network's own currency (or is a shop's link).
    pub token: Option<String>,
    /// The decimals of the asset asked for, when Tender's network data knows it (an amount typed for
    /// an open request is read with these).
    pub decimals: Option<u8>,
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
        let decimals = asset.as_ref().map(|(_, d)| *d);
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
            token: request.token.as_ref().map(Target::to_string),
            decimals,
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
            token: None,
            decimals: None,
            network: chain_id.and_then(crate::chain::network::network_data).map(|n| n.name.clone()),
        }
    }
}

/// The confirmation sheet: the request, and the verdict on it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sheet {
    /// Who asks for what.
    pub request: RequestSummary,
    /// What would be signed, by kind, when it can be paid.
    pub offer: Option<Offer>,
    /// Why it cannot be paid (empty when there is an offer).
    pub blockers: Vec<Blocker>,
    /// What to read before confirming.
    pub warnings: Vec<Warning>,
    /// Paying needs an explicit acknowledgement (a probable duplicate, a lookalike payee).
    pub needs_ack: bool,
    /// What this wallet knows of the payee (paid before, or a first payment), when it can be paid.
    pub payee: Option<PayeeFacts>,
}

impl Sheet {
    /// The verdict on what asks to be paid (`request`, as summarised) given what quoting it gave:
    /// an offer to pay, or the blocker of a refusal. Errors that are not about the request (the node
    /// is unreachable, the database failed) are returned as they are: no sheet can be shown.
    pub fn verdict(request: RequestSummary, quoted: Result<Offer>) -> Result<Self> {
        match quoted {
            Ok(offer) => Ok(Sheet {
                request,
                needs_ack: offer.warnings().iter().any(Warning::needs_ack),
                warnings: offer.warnings().to_vec(),
                offer: Some(offer),
                blockers: Vec::new(),
                payee: None,
            }),
            Err(Error::Blocked(b)) => Ok(Sheet {
                request,
                offer: None,
                blockers: vec![b],
                warnings: Vec::new(),
                needs_ack: false,
                payee: None,
            }),
            Err(e) => Err(e),
        }
    }

    /// Adds what the wallet that dealt with `who` knows of the payee (the offer was judged already:
    /// [`crate::pay::payee::judge`]).
    pub fn with_payee_facts(mut self, who: &crate::pay::payee::Counterparties) -> Self {
        let shop_order = self.request.order.is_some() || self.request.domain.is_some();
        self.payee = self.offer.as_ref().map(|o| {
            let mut facts = who.facts(o.payee());
            facts.first_payment_caution = facts.paid_before == 0 && !facts.own_account && !shop_order;
            facts
        });
        self
    }

    /// The offer, when it is a transaction to send.
    pub fn on_chain(&self) -> Option<&Quote> {
        match &self.offer {
            Some(Offer::OnChain(q)) => Some(q),
            _ => None,
        }
    }

    /// The offer, when it is a gasless checkout.
    pub fn gasless(&self) -> Option<&GaslessQuote> {
        match &self.offer {
            Some(Offer::Gasless(q)) => Some(q),
            _ => None,
        }
    }

    /// Whether the pay button may be on (once every warning that needs it is acknowledged).
    pub fn payable(&self) -> bool {
        self.offer.is_some() && self.blockers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_blocking_error() -> Vec<Error> {
        vec![
            Error::Blocked(Blocker::ChainMismatch { requested: 1, current: 31337 }),
            Error::Blocked(Blocker::RequestExpired { expired_at: 5 }),
            Error::Blocked(Blocker::InsufficientFunds {
                symbol: "ETH".into(),
                needed: "2".into(),
                available: "1".into(),
            }),
            Error::Blocked(Blocker::AmountMissing),
            Error::Blocked(Blocker::AmountConflict),
            Error::Blocked(Blocker::EnsNotFound { name: "shop.eth".into() }),
            Error::Blocked(Blocker::EnsUnsupported { name: "shop.eth".into(), what: "payee" }),
            Error::Blocked(Blocker::NotAToken { address: Address::repeat_byte(1), reason: "no code".into() }),
            Error::Blocked(Blocker::FeeTooHigh { fee: "1".into(), ceiling: "0.05".into(), symbol: "ETH".into() }),
            Error::Blocked(Blocker::GasTooHigh { gas: 30_000_000, limit: 150_000 }),
            Error::Blocked(Blocker::TokenRefused),
            Error::Blocked(Blocker::WouldFail { reason: "paused".into() }),
            Error::Blocked(Blocker::NeedsNativeForFee {
                symbol: "ETH".into(),
                needed: "0.002".into(),
                available: "0".into(),
            }),
            Error::Blocked(Blocker::SchemeUnsupported { scheme: "upto".into() }),
            Error::Blocked(Blocker::UnknownToken { address: Address::repeat_byte(2) }),
            Error::Blocked(Blocker::NoAuthorizations { address: Address::repeat_byte(3) }),
            Error::Blocked(Blocker::DomainMismatch { reason: "name".into() }),
            Error::Blocked(Blocker::BadPayee { payee: Address::ZERO }),
            Error::Blocked(Blocker::BadValidity { seconds: 999_999 }),
        ]
    }

    fn summary() -> RequestSummary {
        let request =
            crate::pay::request::parse("ethereum:0x4242424242424242424242424242424242424242?value=1").expect("request");
        RequestSummary::of(&request)
    }

    #[test]
    fn each_blocking_error_is_a_blocker_on_the_sheet_with_its_code_and_words() {
        let mut codes = Vec::new();
        for e in every_blocking_error() {
            let (code, message, params) = (e.code(), e.to_string(), e.params());
            let sheet = Sheet::verdict(summary(), Err(e)).expect("a sheet");
            let [blocker] = sheet.blockers.as_slice() else { panic!("{code} is one blocker") };
            assert_eq!((blocker.code(), blocker.to_string(), blocker.params()), (code, message, params));
            assert!(!sheet.payable() && sheet.offer.is_none());
            codes.push(code);
        }
        codes.sort_unstable_by_key(|c| c.as_str());
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
            assert!(Sheet::verdict(summary(), Err(e)).is_err(), "no sheet to show");
        }
    }

    #[test]
    fn a_blocked_sheet_still_shows_who_asks_and_pays_nothing() {
        let request = crate::pay::request::parse(
            "ethereum:0x4242424242424242424242424242424242424242@1?value=1&label=Corner%20Shop&order=A-1",
        )
        .expect("request");
        let sheet = Sheet::verdict(
            RequestSummary::of(&request),
            Err(Error::Blocked(Blocker::ChainMismatch { requested: 1, current: 8453 })),
        )
        .expect("sheet");
        assert!(!sheet.payable() && sheet.offer.is_none() && !sheet.needs_ack);
        assert_eq!(sheet.blockers, [Blocker::ChainMismatch { requested: 1, current: 8453 }]);
        assert_eq!(
            (sheet.request.merchant.as_deref(), sheet.request.order.as_deref()),
            (Some("Corner Shop"), Some("A-1"))
        );
        let json = serde_json::to_value(&sheet.blockers[0]).expect("json");
        assert_eq!(json, serde_json::json!({ "kind": "chain_mismatch", "requested": 1, "current": 8453 }));
    }
}
