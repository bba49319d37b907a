//! What a scanned QR code or a pasted text holds, decided once for both faces: an EIP-681
//! `ethereum:` request, a bare address (a payment to it), or a shop's payment link (x402, `https://`).

use crate::error::{CheckoutError, Result};
use crate::pay::x402::MAX_LINK_LEN;

/// What a scanned or pasted text asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// An EIP-681 `ethereum:` request (an on-chain payment).
    Ethereum(String),
    /// A shop's payment resource (`https://`, or `http://` on this machine only).
    Checkout(url::Url),
}

/// Reads a scanned or pasted `text`: an `ethereum:` request, a bare address (a payment to it, the
/// amount left open), or a shop's payment link. A link must be
/// `https://` (plain `http://` only to this machine), without a user name or password in it (they
/// make `https://shop.example@evil.example` look like the shop). Anything else is refused.
pub fn parse_link(text: &str) -> Result<Link> {
    let text = text.trim();
    // `get`, not `[..9]`: the ninth byte may be inside a character (found by fuzzing).
    if text.get(..9).is_some_and(|scheme| scheme.eq_ignore_ascii_case("ethereum:")) {
        return Ok(Link::Ethereum(text.to_owned()));
    }
    // A bare address (`0x` and 40 hex digits): a request to pay it, the amount left open. Its
    // checksum is checked with the request.
    if text.len() == 42 && text.starts_with("0x") && text[2..].bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(Link::Ethereum(format!("ethereum:{text}")));
    }
    if text.len() > MAX_LINK_LEN {
        return Err(CheckoutError::NotAPaymentLink.into());
    }
    let Ok(url) = url::Url::parse(text) else {
        return Err(CheckoutError::NotAPaymentLink.into());
    };
    match url.scheme() {
        "https" if url.host().is_some() => {}
        "http" if crate::chain::network::is_loopback(&url) => {}
        "http" if url.host().is_some() => return Err(CheckoutError::InsecureLink.into()),
        _ => return Err(CheckoutError::NotAPaymentLink.into()),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(CheckoutError::NotAPaymentLink.into());
    }
    Ok(Link::Checkout(url))
}
