//! Payment requests (EIP-681): what a checkout's QR code or "pay with wallet" link says.
//!
//! ```text
//! request  = "ethereum:" ["pay-"] target ["@" chain_id] ["/" function] ["?" parameters]
//! target   = 0x-address / ENS name (resolved when paying, where the network has ENS)
//! ethereum:0xPAYEE@1?value=2.014e18                                   pay 2.014 ETH (in wei)
//! ethereum:0xTOKEN@8453/transfer?address=0xPAYEE&uint256=1500000      pay 1.5 of a 6-decimal token
//! ```
//!
//! Every amount is converted **exactly** to an integer of base units (wei, or the token's smallest
//! unit): `2.014e18` is 2014000000000000000; anything that is not an exact non-negative integer below
//! 2^256 (`5e-1`, `-1`, `1e78`) is refused, never rounded. For an ERC-20 `transfer` the payee is the
//! `address` parameter and the target is the token contract, never the other way round.
//! A mixed-case address must carry a correct EIP-55 checksum. Duplicate parameters, unknown
//! functions, a `req-` parameter Tender does not understand, and an ERC-20 request that also sends
//! ether are refused as ambiguous.
//!
//! Merchant metadata Tender reads (beyond EIP-681; all optional, percent-encoded UTF-8):
//!
//! | key        | meaning                                                               |
//! |------------|-----------------------------------------------------------------------|
//! | `label`    | the merchant's name, shown on the confirmation sheet (as in BIP-21)   |
//! | `message`  | a note from the merchant, shown as text (as in BIP-21)                |
//! | `order`    | the merchant's order reference, kept with the payment in the history   |
//! | `expires`  | Unix time (seconds) after which the merchant no longer accepts it     |
//!
//! Other unknown keys are ignored, as EIP-681 allows, unless they start with `req-` (BIP-21's
//! "required" convention), which makes the request unpayable by a wallet that does not know them.

use std::fmt;

use alloy::primitives::{Address, U256};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::error::Error;
use crate::keys::address::parse_address;

/// Longest request accepted, in bytes (a version-40 QR code holds under 3 KB).
pub const MAX_REQUEST_LEN: usize = 4096;
/// Longest `label`, `message` or `order`, in characters.
pub const MAX_TEXT_CHARS: usize = 256;

pub use crate::error::RequestError;

/// An address, or an ENS name to be resolved on a network that has ENS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A hex address.
    Address(Address),
    /// An ENS name such as `shop.eth` (lower-cased).
    Ens(String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Address(a) => f.write_str(&a.to_checksum(None)),
            Target::Ens(name) => f.write_str(name),
        }
    }
}

impl serde::Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A parsed payment request. Amounts are base units; `None` means the request leaves it open.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct PaymentRequest {
    /// The chain it must be paid on (`@chain_id`); `None` means the wallet's current network.
    pub chain_id: Option<u64>,
    /// Who is paid: the target for ether, the `address` parameter for a token.
    pub recipient: Option<Target>,
    /// The ERC-20 contract, for a token payment.
    pub token: Option<Target>,
    /// The amount in base units (wei, or the token's smallest unit), as a decimal string in JSON.
    #[serde(serialize_with = "crate::text::serialize_opt_decimal")]
    pub amount: Option<U256>,
    /// Gas limit suggested by the merchant.
    #[serde(serialize_with = "crate::text::serialize_opt_decimal")]
    pub gas_limit: Option<U256>,
    /// Gas price suggested by the merchant (wei).
    #[serde(serialize_with = "crate::text::serialize_opt_decimal")]
    pub gas_price: Option<U256>,
    /// The merchant's name (`label`).
    pub label: Option<String>,
    /// A note from the merchant (`message`).
    pub message: Option<String>,
    /// The merchant's order reference (`order`).
    pub order: Option<String>,
    /// Unix time after which the merchant refuses the payment (`expires`).
    pub expires: Option<u64>,
}

impl PaymentRequest {
    /// Whether this asks for an ERC-20 token rather than ether.
    pub fn is_token(&self) -> bool {
        self.token.is_some()
    }

    /// Whether the merchant's deadline has passed at Unix time `now`.
    pub fn is_expired(&self, now: u64) -> bool {
        self.expires.is_some_and(|e| now > e)
    }

    /// The canonical `ethereum:` URI of this request (what Tender's "receive" QR codes carry).
    /// Parsing it gives this request back.
    pub fn to_uri(&self) -> String {
        let mut out = String::from("ethereum:");
        let mut params: Vec<(&str, String)> = Vec::new();
        // EIP-681's optional "pay-" prefix is stripped once when parsing; a target that itself starts
        // with "pay-" (an ENS name) needs it written, or it would not parse back to itself.
        let first = self.token.as_ref().or(self.recipient.as_ref()).map(Target::to_string).unwrap_or_default();
        if first.starts_with("pay-") {
            out.push_str("pay-");
        }
        match (&self.token, &self.recipient) {
            (Some(token), recipient) => {
                out.push_str(&token.to_string());
                push_chain(&mut out, self.chain_id);
                out.push_str("/transfer");
                if let Some(r) = recipient {
                    params.push(("address", r.to_string()));
                }
                if let Some(a) = self.amount {
                    params.push(("uint256", a.to_string()));
                }
            }
            (None, recipient) => {
                if let Some(r) = recipient {
                    out.push_str(&r.to_string());
                }
                push_chain(&mut out, self.chain_id);
                if let Some(a) = self.amount {
                    params.push(("value", a.to_string()));
                }
            }
        }
        if let Some(g) = self.gas_limit {
            params.push(("gasLimit", g.to_string()));
        }
        if let Some(g) = self.gas_price {
            params.push(("gasPrice", g.to_string()));
        }
        for (key, value) in [("label", &self.label), ("message", &self.message), ("order", &self.order)] {
            if let Some(v) = value {
                params.push((key, utf8_percent_encode(v, COMPONENT).to_string()));
            }
        }
        if let Some(e) = self.expires {
            params.push(("expires", e.to_string()));
        }
        for (i, (k, v)) in params.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(k);
            out.push('=');
            out.push_str(v);
        }
        out
    }
}

fn push_chain(out: &mut String, chain_id: Option<u64>) {
    if let Some(id) = chain_id {
        out.push('@');
        out.push_str(&id.to_string());
    }
}

/// Characters percent-encoded in a parameter value: everything but unreserved ones.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn malformed(reason: impl Into<String>) -> RequestError {
    RequestError::Malformed(reason.into())
}

/// Parses an EIP-681 payment request (see the module documentation).
pub fn parse(uri: &str) -> Result<PaymentRequest, RequestError> {
    let uri = uri.trim();
    if uri.len() > MAX_REQUEST_LEN {
        return Err(RequestError::TooLong);
    }
    let (scheme, rest) = uri.split_once(':').ok_or(RequestError::NotEthereum)?;
    if !scheme.eq_ignore_ascii_case("ethereum") {
        return Err(RequestError::NotEthereum);
    }
    // EIP-681's optional "pay-" prefix, in any case (as the scheme): "Pay-shop.eth" and
    // "pay-shop.eth" are one payee, shop.eth. A name that really starts with "pay-" is written
    // "pay-pay-…" (as `to_uri` does).
    let rest = match rest.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("pay-") => &rest[4..],
        _ => rest,
    };
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let (target_and_chain, function) = match path.split_once('/') {
        Some((t, f)) => (t, Some(f)),
        None => (path, None),
    };
    let (target_text, chain_text) = match target_and_chain.split_once('@') {
        Some((t, c)) => (t, Some(c)),
        None => (target_and_chain, None),
    };
    let target = parse_target(target_text, "payee")?;
    let chain_id = chain_text.map(parse_chain_id).transpose()?;

    let mut request = PaymentRequest { chain_id, ..PaymentRequest::default() };
    let mut seen: Vec<String> = Vec::new();
    let mut value = None;
    let mut transfer_to = None;
    let mut transfer_amount = None;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').ok_or_else(|| malformed("a parameter has no value"))?;
        // Keys are plain ASCII names: a percent-encoded or odd key ("%76alue") would be read as
        // "value" by some wallets and ignored by others, so it is refused rather than guessed at.
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(malformed("a parameter name is not a plain name"));
        }
        let text = percent_decode_str(raw).decode_utf8().map_err(|_| malformed(format!("{key} is not UTF-8")))?;
        // "value=1&Value=1000": one of them would be paid, depending on the reader. Names that differ
        // only in case count as the same name.
        let folded = key.to_ascii_lowercase();
        if seen.contains(&folded) {
            return Err(RequestError::DuplicateParameter(key.to_owned()));
        }
        seen.push(folded);
        match key {
            "value" => value = Some(parse_number(&text, key)?),
            "gas" | "gasLimit" => {
                if request.gas_limit.is_some() {
                    return Err(RequestError::DuplicateParameter("gasLimit".into()));
                }
                request.gas_limit = Some(parse_number(&text, key)?);
            }
            "gasPrice" => request.gas_price = Some(parse_number(&text, key)?),
            "address" => transfer_to = parse_target(&text, "payee")?,
            "uint256" => transfer_amount = Some(parse_number(&text, key)?),
            "label" => request.label = Some(parse_text(&text, key)?),
            "message" => request.message = Some(parse_text(&text, key)?),
            "order" => request.order = Some(parse_text(&text, key)?),
            "expires" => {
                request.expires = Some(text.parse().map_err(|_| malformed("expires must be a Unix time in seconds"))?);
            }
            other if other.starts_with("req-") => return Err(RequestError::UnsupportedRequirement(other.to_owned())),
            _ => {} // EIP-681: unknown parameters are ignored.
        }
    }

    match function {
        None | Some("") => {
            if transfer_to.is_some() || transfer_amount.is_some() {
                return Err(malformed("\"address\" and \"uint256\" belong to a /transfer request"));
            }
            request.recipient = target;
            request.amount = value;
            if request.recipient.is_none() {
                return Err(malformed("no payee address"));
            }
        }
        Some("transfer") => {
            if value.is_some_and(|v| !v.is_zero()) {
                return Err(RequestError::Ambiguous);
            }
            request.token = Some(target.ok_or_else(|| malformed("no token contract address"))?);
            request.recipient = Some(transfer_to.ok_or(RequestError::MissingParameter("address"))?);
            request.amount = transfer_amount;
        }
        Some(name) => return Err(RequestError::UnknownFunction { name: name.to_owned() }),
    }
    Ok(request)
}

fn parse_target(text: &str, field: &'static str) -> Result<Option<Target>, RequestError> {
    if text.is_empty() {
        return Ok(None);
    }
    if text.starts_with("0x") || text.starts_with("0X") {
        return match parse_address(text) {
            Ok(a) => Ok(Some(Target::Address(a))),
            Err(Error::BadAddressChecksum) => Err(RequestError::BadChecksum { field }),
            Err(e) => Err(RequestError::BadAddress { field, reason: e.to_string() }),
        };
    }
    // An ENS name, normalised as ENSIP-15 says (case folded, so "Pay-shop.eth" and "pay-shop.eth" are
    // one payee; mixed scripts such as a Cyrillic "ѕ" in a Latin name, invisible and disallowed
    // characters refused). What is resolved and shown is the normalised name.
    let not_a_name = || RequestError::BadAddress {
        field,
        reason: format!("{:?} is neither an address nor a valid ENS name", crate::text::displayable(text, 64)),
    };
    // Only text that could be a name reaches the normaliser (its tables load once, on first use).
    // The same bound applies to the normalised name, which can be longer (ENSIP-15 maps "'" to "’",
    // three bytes): so what parses once parses again (a fuzzer found the difference).
    if text.len() > MAX_NAME_BYTES || !text.contains('.') {
        return Err(not_a_name());
    }
    let name = ens_normalizer().normalize(text).map_err(|_| not_a_name())?;
    // A normal form must be its own normal form. The normaliser maps some characters to text it then
    // refuses ("¾" to "3⁄4"; found by the eip681 fuzzer): such a name could never be paid twice the
    // same way, so it is refused at once.
    let stable = ens_normalizer().normalize(&name).is_ok_and(|again| again == name);
    // A name whose normal form starts like an address ("\u{ad}0XAb.cd" → "0xab.cd"; found by the
    // eip681 fuzzer) would be read back as a broken address, and it looks like one to a shopper:
    // refused.
    let valid = stable
        && !name.starts_with("0x")
        && name.len() <= MAX_NAME_BYTES
        && name.contains('.')
        && name.split('.').all(|l| !l.is_empty());
    if !valid {
        return Err(not_a_name());
    }
    Ok(Some(Target::Ens(name)))
}

/// The longest ENS name read, in bytes, before and after normalisation (DNS allows 253).
const MAX_NAME_BYTES: usize = 255;

/// The ENSIP-15 normaliser, built once (building it parses the standard's tables: milliseconds).
fn ens_normalizer() -> &'static ens_normalize_rs::EnsNameNormalizer {
    static NORMALIZER: std::sync::OnceLock<ens_normalize_rs::EnsNameNormalizer> = std::sync::OnceLock::new();
    NORMALIZER.get_or_init(ens_normalize_rs::EnsNameNormalizer::default)
}

fn parse_chain_id(text: &str) -> Result<u64, RequestError> {
    let bad = || RequestError::BadChainId(text.to_owned());
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    text.parse::<u64>().ok().filter(|id| *id != 0).ok_or_else(bad)
}

fn parse_text(text: &str, key: &str) -> Result<String, RequestError> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(malformed(format!("{key} is longer than {MAX_TEXT_CHARS} characters")));
    }
    // Control characters could fake line breaks on the confirmation sheet, bidi overrides could
    // make one merchant name read as another.
    Ok(crate::text::displayable(text, MAX_TEXT_CHARS))
}

/// Parses an EIP-681 number (`[+-] digits [. digits] [e [+-] digits]`) into an exact integer.
pub fn parse_number(text: &str, field: &str) -> Result<U256, RequestError> {
    let bad = || malformed(format!("{field} {text:?} is not a number"));
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int_part.is_empty() && frac_part.is_empty() || !all_digits(int_part) || !all_digits(frac_part) {
        return Err(bad());
    }
    if mantissa.ends_with('.') {
        return Err(bad());
    }
    let exponent: i64 = match exponent {
        None => 0,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !all_digits(digits) || digits.len() > 6 {
                return Err(bad());
            }
            e.parse().map_err(|_| bad())?
        }
    };
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Ok(U256::ZERO); // Zero in any notation (including "-0").
    }
    if negative {
        return Err(RequestError::NegativeAmount { field: field.to_owned() });
    }
    let scale = exponent - frac_part.len() as i64;
    let integer_digits = if scale >= 0 {
        if digits.len() as i64 + scale > 78 {
            return Err(RequestError::AmountOverflow { field: field.to_owned() });
        }
        format!("{digits}{}", "0".repeat(scale as usize))
    } else {
        let cut = (-scale) as usize;
        let (keep, dropped) = digits.split_at(digits.len().saturating_sub(cut));
        if cut > digits.len() || dropped.bytes().any(|b| b != b'0') {
            return Err(RequestError::FractionalAmount { field: field.to_owned(), text: text.to_owned() });
        }
        if keep.is_empty() { "0".to_owned() } else { keep.to_owned() }
    };
    U256::from_str_radix(&integer_digits, 10).map_err(|_| RequestError::AmountOverflow { field: field.to_owned() })
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
