//! The shop's signed offers and receipts (x402's `offer-receipt` extension, EIP-712 format): what a
//! shop commits to before it is paid, and what it confirms after, each signed so that the shopper
//! holds a proof of purchase a return desk can check without trusting Tender.
//!
//! - **Offers** come in the terms' `extensions["offer-receipt"].info.offers[]`. Tender matches the
//!   chosen option to an offer **by its fields** (scheme, network, asset, payee, amount, the resource
//!   URL), never by `acceptIndex`; verifies the EIP-712 signature (domain `x402 offer`, version `1`,
//!   chain 1, as the specification fixes); requires the signer to be the option's `payTo` or a key the
//!   shop's own origin publishes ([`published_signers`], `/.well-known/did.json`); and requires a
//!   `validUntil` still ahead by the **chain's** clock. Anything else is a blocker: nothing is signed.
//! - **Receipts** come in the settlement's `extensions["offer-receipt"].info.receipt`. Kept only
//!   when signed by the offer's signer for this payer, network and resource (and, when it names one,
//!   the settlement's transaction).
//!
//! JWS offers (`format: "jws"`) are not read yet: a shop that sends only those is paid without the
//! "signed by the shop" mark, never blocked by them.

use alloy::primitives::{Address, B256, U256};
use alloy::signers::Signature;
use alloy::sol_types::{Eip712Domain, SolStruct};
use serde_json::Value;

use crate::error::{Blocker, Error, Result};
use crate::pay::x402::Requirement;

/// The extension's name.
pub const OFFER_RECEIPT: &str = "offer-receipt";
/// Most offers read from one answer.
pub const MAX_OFFERS: usize = 16;
/// Longest text field of an offer or receipt read.
pub const MAX_FIELD: usize = 2048;

alloy::sol! {
    /// The specification's offer (version 1).
    #[derive(Debug)]
    struct Offer {
        uint256 version;
        string resourceUrl;
        string scheme;
        string network;
        string asset;
        string payTo;
        string amount;
        uint256 validUntil;
    }

    /// The specification's receipt (version 1).
    #[derive(Debug)]
    struct Receipt {
        uint256 version;
        string network;
        string resourceUrl;
        string payer;
        uint256 issuedAt;
        string transaction;
    }
}

fn domain(name: &'static str) -> Eip712Domain {
    Eip712Domain::new(Some(name.into()), Some("1".into()), Some(U256::from(1)), None, None)
}

/// A signed artifact, as read: its typed payload, its signature, and the object exactly as sent.
#[derive(Debug, Clone)]
pub struct Signed<T> {
    /// The payload.
    pub payload: T,
    /// Who signed it (recovered).
    pub signer: Address,
    /// The artifact as the shop wrote it (kept, exported).
    pub raw: String,
}

fn invalid(reason: &str) -> Error {
    Error::Blocked(Blocker::OfferInvalid { reason: reason.to_owned() })
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).filter(|s| s.len() <= MAX_FIELD).map(str::to_owned)
}

fn number(v: &Value, key: &str) -> Option<U256> {
    v.get(key).and_then(Value::as_u64).map(U256::from)
}

fn signature(v: &Value) -> Option<Signature> {
    let s = v.get("signature").and_then(Value::as_str)?;
    let bytes = alloy::hex::decode(s.strip_prefix("0x")?).ok()?;
    if bytes.len() != 65 {
        return None;
    }
    Signature::try_from(bytes.as_slice()).ok()
}

/// The EIP-712 offers among `extensions` (the terms' declared extensions, as written), in the shop's
/// order: `None` when the shop declares no signed offers; JWS offers are left out.
pub fn offers(extensions: Option<&str>) -> Result<Option<Vec<Signed<Offer>>>> {
    let Some(text_) = extensions else { return Ok(None) };
    let v: Value = serde_json::from_str(text_).map_err(|_| invalid("its extensions are not JSON"))?;
    let Some(list) = v.get(OFFER_RECEIPT).and_then(|e| e.get("info")).and_then(|i| i.get("offers")) else {
        return Ok(None);
    };
    let Some(list) = list.as_array() else { return Err(invalid("its offers are not a list")) };
    if list.len() > MAX_OFFERS {
        return Err(invalid("it sends too many offers"));
    }
    let mut out = Vec::new();
    for o in list.iter().filter(|o| o.get("format").and_then(Value::as_str) == Some("eip712")) {
        let p = o.get("payload").ok_or_else(|| invalid("an offer has no payload"))?;
        let field = |k: &str| text(p, k).ok_or_else(|| invalid("an offer lacks a field"));
        let payload = Offer {
            version: number(p, "version").ok_or_else(|| invalid("an offer has no version"))?,
            resourceUrl: field("resourceUrl")?,
            scheme: field("scheme")?,
            network: field("network")?,
            asset: field("asset")?,
            payTo: field("payTo")?,
            amount: field("amount")?,
            validUntil: number(p, "validUntil").unwrap_or_default(),
        };
        let sig = signature(o).ok_or_else(|| invalid("an offer's signature is not one"))?;
        let signer = sig
            .recover_address_from_prehash(&payload.eip712_signing_hash(&domain("x402 offer")))
            .map_err(|_| invalid("an offer's signature is not one"))?;
        out.push(Signed { payload, signer, raw: o.to_string() });
    }
    Ok(Some(out))
}

fn same_address(text_: &str, address: Address) -> bool {
    crate::keys::address::parse_address(text_).is_ok_and(|a| a == address)
        || text_.parse::<Address>().is_ok_and(|a| a == address)
}

/// Whether `offer` is for exactly `req` at `resource_url` on `chain_id`: every field compared, none
/// taken from an index.
pub fn matches(offer: &Offer, req: &Requirement, resource_url: &str, chain_id: u64) -> bool {
    offer.version == U256::from(1)
        && offer.scheme == req.scheme
        && offer.network == format!("eip155:{chain_id}")
        && same_address(&offer.asset, req.asset)
        && same_address(&offer.payTo, req.pay_to)
        && U256::from_str_radix(&offer.amount, 10).is_ok_and(|a| a == req.amount)
        && offer.resourceUrl == resource_url
}

/// The offer for `req`, checked: it must exist among `offers` (matched by fields), be valid at
/// `chain_now` (the latest block's time) and be signed by the payee or by one of `published` (the
/// shop's own published keys). A shop that signs offers but none for this option, or a bad one, is
/// a blocker.
pub fn checked_offer(
    offers: Vec<Signed<Offer>>,
    req: &Requirement,
    resource_url: &str,
    chain_id: u64,
    chain_now: u64,
    published: &[Address],
) -> Result<Signed<Offer>> {
    let Some(offer) = offers.into_iter().find(|o| matches(&o.payload, req, resource_url, chain_id)) else {
        return Err(invalid("the shop's signed offer does not match what it asks"));
    };
    let until = offer.payload.validUntil;
    if !until.is_zero() && until < U256::from(chain_now) {
        return Err(invalid("the shop's signed offer has expired"));
    }
    if offer.signer != req.pay_to && !published.contains(&offer.signer) {
        return Err(invalid("the offer is signed by a key the shop does not publish"));
    }
    Ok(offer)
}

/// The receipt a settlement answer's JSON carries (`extensions["offer-receipt"].info.receipt`), as
/// sent, when it is not absurdly large.
pub fn receipt_in(settlement: &Value) -> Option<String> {
    let r = settlement.get("extensions")?.get(OFFER_RECEIPT)?.get("info")?.get("receipt")?;
    Some(r.to_string()).filter(|t| t.len() <= 8 * MAX_FIELD)
}

/// The shop's receipt `r` (as [`receipt_in`] read it), when it is an EIP-712 receipt signed by
/// `signer` for `payer`, on `chain_id`, for `resource_url`, naming no transaction or `transaction`.
/// Anything else is not kept (`None`).
pub fn checked_receipt(
    r: &Value,
    signer: Address,
    payer: Address,
    chain_id: u64,
    resource_url: &str,
    transaction: Option<B256>,
) -> Option<Signed<Receipt>> {
    if r.get("format").and_then(Value::as_str) != Some("eip712") {
        return None;
    }
    let p = r.get("payload")?;
    let payload = Receipt {
        version: number(p, "version")?,
        network: text(p, "network")?,
        resourceUrl: text(p, "resourceUrl")?,
        payer: text(p, "payer")?,
        issuedAt: number(p, "issuedAt")?,
        transaction: text(p, "transaction").unwrap_or_default(),
    };
    let recovered =
        signature(r)?.recover_address_from_prehash(&payload.eip712_signing_hash(&domain("x402 receipt"))).ok()?;
    let names_tx = |t: &str| t.is_empty() || transaction.is_some_and(|tx| t.parse::<B256>().is_ok_and(|h| h == tx));
    let ok = recovered == signer
        && payload.version == U256::from(1)
        && payload.network == format!("eip155:{chain_id}")
        && same_address(&payload.payer, payer)
        && payload.resourceUrl == resource_url
        && names_tx(&payload.transaction);
    ok.then(|| Signed { payload, signer: recovered, raw: r.to_string() })
}

/// The EVM addresses a shop's own origin publishes as its signing keys, from its did:web document
/// (`/.well-known/did.json`): each verification method's `blockchainAccountId` (`eip155:<chain>:<address>`)
/// or `ethereumAddress`. Read from `text`, the document as fetched.
pub fn published_signers(text_: &str) -> Vec<Address> {
    let Ok(v) = serde_json::from_str::<Value>(text_) else { return Vec::new() };
    let Some(methods) = v.get("verificationMethod").and_then(Value::as_array) else { return Vec::new() };
    methods
        .iter()
        .take(MAX_OFFERS)
        .filter_map(|m| {
            let account = m.get("blockchainAccountId").and_then(Value::as_str).and_then(|a| {
                let mut parts = a.split(':');
                (parts.next() == Some("eip155")).then_some(())?;
                parts.next()?;
                parts.next()
            });
            account.or_else(|| m.get("ethereumAddress").and_then(Value::as_str))?.parse::<Address>().ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::signers::SignerSync;
    use alloy::signers::local::PrivateKeySigner;

    fn req(pay_to: Address) -> Requirement {
        let raw = serde_json::value::RawValue::from_string("{}".into()).expect("raw");
        Requirement {
            raw,
            scheme: "exact".into(),
            network: "eip155:31337".into(),
            chain_id: Some(31337),
            amount: U256::from(1000),
            asset: Address::repeat_byte(0x70),
            pay_to,
            max_timeout_seconds: 60,
            domain_name: None,
            domain_version: None,
            description: None,
            transfer_method: None,
            facilitator: None,
        }
    }

    fn signed_offer(key: &PrivateKeySigner, pay_to: Address, amount: &str, valid_until: u64) -> String {
        let payload = Offer {
            version: U256::from(1),
            resourceUrl: "https://shop.example/pay/1".into(),
            scheme: "exact".into(),
            network: "eip155:31337".into(),
            asset: Address::repeat_byte(0x70).to_checksum(None),
            payTo: pay_to.to_checksum(None),
            amount: amount.into(),
            validUntil: U256::from(valid_until),
        };
        let sig = key.sign_hash_sync(&payload.eip712_signing_hash(&domain("x402 offer"))).expect("sign");
        serde_json::json!({ OFFER_RECEIPT: { "info": { "offers": [{
            "format": "eip712", "acceptIndex": 0, "signature": format!("0x{}", alloy::hex::encode(sig.as_bytes())),
            "payload": { "version": 1, "resourceUrl": payload.resourceUrl, "scheme": payload.scheme,
                "network": payload.network, "asset": payload.asset, "payTo": payload.payTo,
                "amount": payload.amount, "validUntil": valid_until }
        }]}}})
        .to_string()
    }

    /// A good offer passes; a stranger's key, another amount or an expired offer are blockers.
    #[test]
    fn an_offer_is_checked_by_signer_fields_and_the_chains_clock() {
        let shop = PrivateKeySigner::random();
        let url = "https://shop.example/pay/1";
        let check = |ext: String, published: &[Address]| {
            checked_offer(
                offers(Some(&ext)).expect("read").expect("some"),
                &req(shop.address()),
                url,
                31337,
                1000,
                published,
            )
        };
        let good = check(signed_offer(&shop, shop.address(), "1000", 2000), &[]).expect("good");
        assert_eq!(good.signer, shop.address());
        let stranger = PrivateKeySigner::random();
        let e = check(signed_offer(&stranger, shop.address(), "1000", 2000), &[]).expect_err("stranger");
        assert!(e.to_string().contains("does not publish"), "{e}");
        check(signed_offer(&stranger, shop.address(), "1000", 2000), &[stranger.address()]).expect("published key");
        let e = check(signed_offer(&shop, shop.address(), "999", 2000), &[]).expect_err("amount");
        assert!(e.to_string().contains("does not match"), "{e}");
        let e = check(signed_offer(&shop, shop.address(), "1000", 999), &[]).expect_err("expired");
        assert!(e.to_string().contains("expired"), "{e}");
        check(signed_offer(&shop, shop.address(), "1000", 0), &[]).expect("no expiry");
    }

    /// An offer and a receipt made by the official package (`tests/vectors/x402-offer-receipt/`): the
    /// signer recovered is the key that signed them.
    #[test]
    fn the_official_packages_offer_and_receipt_recover_their_signer() {
        let signer: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8".parse().expect("address");
        let offers = offers(Some(include_str!("../../../../tests/vectors/x402-offer-receipt/official-offers.json")))
            .expect("read")
            .expect("declared");
        assert_eq!(offers.len(), 1);
        assert_eq!(offers[0].signer, signer);
        let answer: Value = serde_json::from_str(include_str!(
            "../../../../tests/vectors/x402-offer-receipt/official-settlement-receipt.json"
        ))
        .expect("json");
        let settlement: Value = serde_json::from_str(&receipt_in(&answer).expect("a receipt")).expect("json");
        let tx = B256::repeat_byte(0xab);
        let url = "https://shop.example/pay/1";
        let kept = checked_receipt(&settlement, signer, signer, 31337, url, Some(tx)).expect("the receipt holds");
        assert_eq!(kept.payload.transaction, tx.to_string());
        assert!(
            checked_receipt(&settlement, Address::repeat_byte(3), signer, 31337, url, Some(tx)).is_none(),
            "signer"
        );
        assert!(checked_receipt(&settlement, signer, Address::repeat_byte(3), 31337, url, Some(tx)).is_none(), "payer");
        assert!(checked_receipt(&settlement, signer, signer, 8453, url, Some(tx)).is_none(), "network");
        assert!(checked_receipt(&settlement, signer, signer, 31337, url, Some(B256::ZERO)).is_none(), "transaction");
    }

    #[test]
    fn published_signers_are_read_from_a_did_document() {
        let a = Address::repeat_byte(0xab);
        let doc = serde_json::json!({ "id": "did:web:shop.example", "verificationMethod": [
            { "id": "#k1", "type": "EcdsaSecp256k1RecoveryMethod2020", "blockchainAccountId": format!("eip155:1:{a}") },
            { "id": "#k2", "blockchainAccountId": "solana:x:y" },
        ]});
        assert_eq!(published_signers(&doc.to_string()), vec![a]);
        assert!(published_signers("not json").is_empty());
    }
}
