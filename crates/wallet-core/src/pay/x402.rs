//! The x402 wire format (HTTP 402 payments, versions 1 and 2, the `exact` scheme on EVM networks):
//! what a shop's payment link is, what its `402 Payment Required` answer says, and the payment
//! payload Tender sends back. Pure: no network, no keys (see [`crate::pay::gasless`] for the flow).
//!
//! - Version 2: the answer's body is `{}`; the terms are in the `PAYMENT-REQUIRED` header (standard
//!   base64 of JSON: `x402Version`, `resource`, `accepts[]`). The payment goes back in the
//!   `PAYMENT-SIGNATURE` header, the settlement comes in `PAYMENT-RESPONSE`.
//! - Version 1: the terms are the JSON body (`maxAmountRequired`, `resource` and `description` per
//!   requirement); `X-PAYMENT` and `X-PAYMENT-RESPONSE` headers.
//!
//! The payload's `accepted` must be the chosen `accepts[]` entry **verbatim** (address case, number
//! types, `extra`), so each entry is kept as the raw JSON text it came as, beside its typed reading.
//! Everything the shop says is untrusted: sizes are capped, numbers bounded, texts sanitised.

use alloy::primitives::{Address, B256, U256};
use base64::Engine as _;
use serde_json::value::RawValue;

use crate::error::{CheckoutError, Error, Result};
use crate::text::displayable;

/// Longest payment link accepted (a QR code holds less).
pub const MAX_LINK_LEN: usize = 2048;
/// Largest encoded `PAYMENT-REQUIRED` / `PAYMENT-RESPONSE` header read.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// Most payment options read from one answer.
pub const MAX_ACCEPTS: usize = 16;
/// Longest a shop may ask an authorization to stay valid (`maxTimeoutSeconds`); more is absurd.
pub const MAX_TIMEOUT_SECS: u64 = 24 * 3600;
/// Longest an authorization Tender signs stays valid, whatever the shop asks (its
/// `maxTimeoutSeconds` is a ceiling, not a target): a few minutes, so that one the shop refused or
/// never answered for is decided (settled, or expired by the chain's clock) soon.
pub const VALIDITY_CAP_SECS: u64 = 300;
/// How far in the past `validAfter` is put (a block stamped "now" may not count as after it).
pub const VALID_AFTER_SLACK_SECS: u64 = 60;
/// Longest shop description shown.
pub const MAX_DESCRIPTION: usize = 160;

pub use crate::chain::reach::domain_of;

/// One way the shop accepts payment, as read (typed) and as written (raw, sent back verbatim).
#[derive(Debug, Clone)]
pub struct Requirement {
    /// The entry exactly as the shop wrote it.
    pub raw: Box<RawValue>,
    /// `exact`, or another scheme Tender does not pay.
    pub scheme: String,
    /// The network as written (`eip155:8453`, or a version-1 name such as `base`).
    pub network: String,
    /// The chain it names, when Tender knows the name.
    pub chain_id: Option<u64>,
    /// The amount in the asset's base units.
    pub amount: U256,
    /// The token contract.
    pub asset: Address,
    /// Who is paid.
    pub pay_to: Address,
    /// How long the shop gives the authorization (seconds).
    pub max_timeout_seconds: u64,
    /// The token's EIP-712 domain name, as the shop says it.
    pub domain_name: Option<String>,
    /// The token's EIP-712 domain version, as the shop says it.
    pub domain_version: Option<String>,
    /// Version 1 only: the description given with the requirement (sanitised).
    pub description: Option<String>,
    /// How the shop's facilitator moves the token (`extra.assetTransferMethod`): `eip3009`,
    /// `permit2`, or unsaid (EIP-3009 when the token has it, else Permit2).
    pub transfer_method: Option<String>,
    /// `upto`: the facilitator the shop names (`extra.facilitatorAddress`), the only one the
    /// signature lets settle.
    pub facilitator: Option<Address>,
}

/// A shop's `402 Payment Required` terms.
#[derive(Debug, Clone)]
pub struct PaymentRequired {
    /// 1 or 2.
    pub version: u8,
    /// Version 2: the `resource` object as written (echoed in the payload).
    pub resource_raw: Option<Box<RawValue>>,
    /// What the shop says the purchase is (sanitised and cut).
    pub description: Option<String>,
    /// The payment options, in the shop's order.
    pub accepts: Vec<Requirement>,
    /// Version 2: the extensions the shop declares (`extensions`), as written: echoed in the payload.
    pub extensions_raw: Option<Box<RawValue>>,
    /// What Tender reads of them.
    pub extensions: Extensions,
}

/// Name of the idempotency extension.
pub const PAYMENT_IDENTIFIER: &str = "payment-identifier";
/// Name of the sponsored-approval extension (an EIP-2612 permit for Permit2 in the payload).
pub const EIP2612_GAS_SPONSORING: &str = "eip2612GasSponsoring";
/// Name of the extension where the shop's facilitator sends the shopper's signed `approve`.
pub const ERC20_APPROVAL_GAS_SPONSORING: &str = "erc20ApprovalGasSponsoring";

/// The extensions a shop declares that change what Tender sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extensions {
    /// `payment-identifier` is declared: `Some(required)`.
    pub payment_identifier: Option<bool>,
    /// `eip2612GasSponsoring` is declared: the shop's facilitator submits a permit for Permit2.
    pub eip2612_sponsoring: bool,
    /// `erc20ApprovalGasSponsoring` is declared (Tender does not use it: it would hand a signed
    /// transaction to the shop).
    pub erc20_sponsoring: bool,
}

impl Extensions {
    fn read(raw: &RawValue) -> Result<Self> {
        let v: serde_json::Value = serde_json::from_str(raw.get()).map_err(|_| bad("its extensions are not JSON"))?;
        let Some(map) = v.as_object() else { return Err(bad("its extensions are not an object")) };
        let payment_identifier = map.get(PAYMENT_IDENTIFIER).map(|e| {
            e.get("info").and_then(|i| i.get("required")).and_then(serde_json::Value::as_bool).unwrap_or(false)
        });
        Ok(Self {
            payment_identifier,
            eip2612_sponsoring: map.contains_key(EIP2612_GAS_SPONSORING),
            erc20_sponsoring: map.contains_key(ERC20_APPROVAL_GAS_SPONSORING),
        })
    }
}

/// Version-1 network names (the official packages' list) and their chains.
const V1_NETWORKS: &[(&str, u64)] = &[
    ("abstract", 2741),
    ("abstract-testnet", 11124),
    ("base-sepolia", 84532),
    ("base", 8453),
    ("avalanche-fuji", 43113),
    ("avalanche", 43114),
    ("iotex", 4689),
    ("sei", 1329),
    ("sei-testnet", 1328),
    ("polygon", 137),
    ("polygon-amoy", 80002),
    ("peaq", 3338),
    ("story", 1514),
    ("educhain", 41923),
    ("skale-base-sepolia", 324705682),
];

/// The chain a network identifier names: CAIP-2 `eip155:<id>`, or a version-1 name.
pub fn chain_of(network: &str) -> Option<u64> {
    if let Some(id) = network.strip_prefix("eip155:") {
        if id.is_empty() || id.len() > 19 || !id.bytes().all(|b| b.is_ascii_digit()) || id.starts_with('0') {
            return None;
        }
        return id.parse().ok();
    }
    V1_NETWORKS.iter().find(|(n, _)| *n == network).map(|(_, id)| *id)
}

fn bad(reason: impl Into<String>) -> Error {
    CheckoutError::BadAnswer { reason: reason.into() }.into()
}

/// Decodes standard base64 (with or without padding), at most [`MAX_HEADER_BYTES`] long.
pub fn decode_base64(text: &str) -> Result<Vec<u8>> {
    let text = text.trim();
    if text.len() > MAX_HEADER_BYTES {
        return Err(bad("its payment header is too large"));
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine.decode(text).map_err(|_| bad("its payment header is not base64"))
}

/// Standard base64 with padding, as the official packages write it.
pub fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn text_field(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key).and_then(serde_json::Value::as_str).map(str::to_owned)
}

/// A whole number of base units written as a decimal string (never a JSON number, which loses
/// precision past 2^53, never hex, never a fraction).
fn units(v: &serde_json::Value, key: &str) -> Result<U256> {
    let s = v.get(key).and_then(serde_json::Value::as_str).ok_or_else(|| bad(format!("no {key}")))?;
    if s.is_empty() || s.len() > 78 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(format!("its {key} is not a whole number")));
    }
    U256::from_str_radix(s, 10).map_err(|_| bad(format!("its {key} is too large")))
}

fn address(v: &serde_json::Value, key: &str) -> Result<Address> {
    let s = v.get(key).and_then(serde_json::Value::as_str).ok_or_else(|| bad(format!("no {key}")))?;
    crate::keys::address::parse_address(s).map_err(|_| bad(format!("its {key} is not an address")))
}

fn requirement(raw: Box<RawValue>, version: u8) -> Result<Requirement> {
    let v: serde_json::Value = serde_json::from_str(raw.get()).map_err(|_| bad("a payment option is not JSON"))?;
    if !v.is_object() {
        return Err(bad("a payment option is not an object"));
    }
    let scheme = text_field(&v, "scheme").ok_or_else(|| bad("no scheme"))?;
    let network = text_field(&v, "network").ok_or_else(|| bad("no network"))?;
    let amount = units(&v, if version == 1 { "maxAmountRequired" } else { "amount" })?;
    let asset = address(&v, "asset")?;
    let pay_to = address(&v, "payTo")?;
    let max_timeout_seconds = v
        .get("maxTimeoutSeconds")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| bad("its maxTimeoutSeconds is not a whole number"))?;
    let extra = v.get("extra");
    let extra_text = |key: &str| extra.and_then(|e| e.get(key)).and_then(serde_json::Value::as_str).map(str::to_owned);
    Ok(Requirement {
        scheme: displayable(&scheme, 32),
        chain_id: chain_of(&network),
        network: displayable(&network, 64),
        amount,
        asset,
        pay_to,
        max_timeout_seconds,
        domain_name: extra_text("name"),
        domain_version: extra_text("version"),
        description: text_field(&v, "description").map(|d| displayable(&d, MAX_DESCRIPTION)),
        transfer_method: extra_text("assetTransferMethod").map(|m| displayable(&m, 32)),
        facilitator: match extra.and_then(|e| e.get("facilitatorAddress")) {
            None => None,
            Some(_) => Some(address(extra.unwrap_or(&serde_json::Value::Null), "facilitatorAddress")?),
        },
        raw,
    })
}

#[derive(serde::Deserialize)]
struct Envelope {
    #[serde(rename = "x402Version")]
    version: serde_json::Value,
    #[serde(default)]
    resource: Option<Box<RawValue>>,
    #[serde(default)]
    accepts: Vec<Box<RawValue>>,
    #[serde(default)]
    extensions: Option<Box<RawValue>>,
}

fn terms(json: &[u8], want_version: Option<u8>) -> Result<PaymentRequired> {
    let envelope: Envelope = serde_json::from_slice(json).map_err(|_| bad("its payment terms are not valid JSON"))?;
    let version = match envelope.version.as_u64() {
        Some(1) => 1,
        Some(2) => 2,
        _ => return Err(bad("it speaks an x402 version Tender does not know")),
    };
    if want_version.is_some_and(|w| w != version) {
        return Err(bad("its payment terms name another x402 version"));
    }
    if envelope.accepts.is_empty() {
        return Err(bad("it offers no way to pay"));
    }
    if envelope.accepts.len() > MAX_ACCEPTS {
        return Err(bad("it offers too many ways to pay"));
    }
    let accepts = envelope.accepts.into_iter().map(|raw| requirement(raw, version)).collect::<Result<Vec<_>>>()?;
    let (resource_raw, description) = match (version, envelope.resource) {
        (2, Some(raw)) => {
            let v: serde_json::Value = serde_json::from_str(raw.get()).map_err(|_| bad("its resource is not JSON"))?;
            let description = text_field(&v, "description").filter(|d| !d.trim().is_empty());
            (Some(raw), description.map(|d| displayable(&d, MAX_DESCRIPTION)))
        }
        (2, None) => return Err(bad("it names no resource")),
        _ => (None, accepts.iter().find_map(|a| a.description.clone()).filter(|d| !d.trim().is_empty())),
    };
    let (extensions_raw, extensions) = match (version, envelope.extensions) {
        (2, Some(raw)) if raw.get() != "null" => {
            let read = Extensions::read(&raw)?;
            (Some(raw), read)
        }
        _ => (None, Extensions::default()),
    };
    Ok(PaymentRequired { version, resource_raw, description, accepts, extensions_raw, extensions })
}

/// The terms of a version-2 answer, from its `PAYMENT-REQUIRED` header.
pub fn decode_payment_required(header: &str) -> Result<PaymentRequired> {
    terms(&decode_base64(header)?, Some(2))
}

/// The terms of a version-1 answer, from its JSON body.
pub fn decode_payment_required_v1(body: &[u8]) -> Result<PaymentRequired> {
    terms(body, Some(1))
}

/// An EIP-3009 `TransferWithAuthorization`, as the payload writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The payer.
    pub from: Address,
    /// The payee.
    pub to: Address,
    /// The amount in base units.
    pub value: U256,
    /// Valid strictly after (Unix seconds).
    pub valid_after: u64,
    /// Valid strictly before (Unix seconds).
    pub valid_before: u64,
    /// The random nonce: what makes it usable once.
    pub nonce: B256,
}

#[derive(serde::Serialize)]
struct WireAuthorization {
    from: String,
    to: String,
    value: String,
    #[serde(rename = "validAfter")]
    valid_after: String,
    #[serde(rename = "validBefore")]
    valid_before: String,
    nonce: String,
}

#[derive(serde::Serialize)]
struct ExactPayload {
    signature: String,
    authorization: WireAuthorization,
}

#[derive(serde::Serialize)]
struct PayloadV2<'a> {
    #[serde(rename = "x402Version")]
    version: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a RawValue>,
    accepted: &'a RawValue,
    payload: &'a serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    extensions: Option<&'a serde_json::Value>,
}

#[derive(serde::Serialize)]
struct PayloadV1<'a> {
    #[serde(rename = "x402Version")]
    version: u8,
    scheme: &'a str,
    network: &'a str,
    payload: &'a serde_json::Value,
}

/// The `exact` scheme's EIP-3009 payload: `authorization` signed with the 65-byte `signature`
/// (v = 27/28).
pub fn eip3009_payload(authorization: &Authorization, signature: &[u8; 65]) -> Result<serde_json::Value> {
    let payload = ExactPayload {
        signature: format!("0x{}", alloy::hex::encode(signature)),
        authorization: WireAuthorization {
            from: authorization.from.to_checksum(None),
            to: authorization.to.to_checksum(None),
            value: authorization.value.to_string(),
            valid_after: authorization.valid_after.to_string(),
            valid_before: authorization.valid_before.to_string(),
            nonce: authorization.nonce.to_string(),
        },
    };
    serde_json::to_value(payload).map_err(|e| Error::Internal { detail: format!("encoding the payment: {e}") })
}

/// The payment header's value (base64 JSON): the scheme's `payload`, paying the option `accepted`
/// (verbatim) of a version-`version` answer, with the `extensions` echoed (version 2).
pub fn encode_payment(
    version: u8,
    resource: Option<&RawValue>,
    accepted: &RawValue,
    network: &str,
    payload: &serde_json::Value,
    extensions: Option<&serde_json::Value>,
) -> Result<String> {
    let json = match version {
        1 => serde_json::to_vec(&PayloadV1 { version, scheme: "exact", network, payload }),
        _ => serde_json::to_vec(&PayloadV2 { version, resource, accepted, payload, extensions }),
    }
    .map_err(|e| Error::Internal { detail: format!("encoding the payment: {e}") })?;
    Ok(encode_base64(&json))
}

/// The shop's declared `extensions` with Tender's additions: what the shop wrote stays as written
/// (a field it set is never overwritten, none is deleted); `additions` only fills what is absent.
pub fn echo_extensions(declared: Option<&str>, additions: serde_json::Value) -> Result<Option<serde_json::Value>> {
    fn merge(into: &mut serde_json::Value, add: serde_json::Value) {
        if let (Some(target), serde_json::Value::Object(add)) = (into.as_object_mut(), add) {
            for (key, value) in add {
                match target.get_mut(&key) {
                    Some(existing) if existing.is_object() && value.is_object() => merge(existing, value),
                    Some(_) => {}
                    None => {
                        target.insert(key, value);
                    }
                }
            }
        }
    }
    let mut echoed = match declared {
        Some(text) => serde_json::from_str(text).map_err(|_| bad("its extensions are not JSON"))?,
        None if additions.as_object().is_some_and(|m| m.is_empty()) => return Ok(None),
        None => serde_json::Value::Object(Default::default()),
    };
    merge(&mut echoed, additions);
    Ok(Some(echoed))
}

/// The header a payment goes in, for `version`.
pub fn payment_header(version: u8) -> &'static str {
    if version == 1 { "X-PAYMENT" } else { "PAYMENT-SIGNATURE" }
}

/// The header the settlement comes back in, for `version`.
pub fn response_header(version: u8) -> &'static str {
    if version == 1 { "X-PAYMENT-RESPONSE" } else { "PAYMENT-RESPONSE" }
}

/// What the shop says of the settlement (its word only: Tender checks the chain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    /// Whether it says it settled.
    pub success: bool,
    /// The transaction it names, if it is one.
    pub transaction: Option<B256>,
    /// Its reason for a failure (sanitised and cut).
    pub error: Option<String>,
}

/// The settlement header's JSON, as the shop wrote it (for what extensions add to it), when it is
/// JSON.
pub fn settlement_json(header: &str) -> Option<serde_json::Value> {
    serde_json::from_slice(&decode_base64(header).ok()?).ok()
}

/// The shop's settlement, from its `PAYMENT-RESPONSE` (or `X-PAYMENT-RESPONSE`) header.
pub fn decode_settlement(header: &str) -> Result<Settlement> {
    let json = decode_base64(header)?;
    let v: serde_json::Value = serde_json::from_slice(&json).map_err(|_| bad("its settlement is not JSON"))?;
    let success =
        v.get("success").and_then(serde_json::Value::as_bool).ok_or_else(|| bad("its settlement says nothing"))?;
    let transaction = text_field(&v, "transaction").and_then(|t| t.parse::<B256>().ok());
    let error = text_field(&v, "errorReason")
        .or_else(|| text_field(&v, "errorMessage"))
        .map(|e| displayable(&e, crate::chain::transport::MAX_BODY_IN_ERROR));
    Ok(Settlement { success, transaction, error })
}

/// The shop's reason for refusing a payment, from a `402` answer to it (version 2: the header's
/// `error`; version 1: the body's), sanitised and cut.
pub fn refusal_reason(header: Option<&str>, body: &[u8]) -> Option<String> {
    let from_json = |json: &[u8]| {
        serde_json::from_slice::<serde_json::Value>(json)
            .ok()
            .and_then(|v| text_field(&v, "error"))
            .map(|e| displayable(&e, crate::chain::transport::MAX_BODY_IN_ERROR))
    };
    header.and_then(|h| decode_base64(h).ok()).and_then(|j| from_json(&j)).or_else(|| from_json(body))
}

#[cfg(test)]
#[path = "x402_tests.rs"]
mod tests;
