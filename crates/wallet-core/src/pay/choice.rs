//! Choosing what a shop's x402 terms are paid with, and checking it on chain before anything is
//! signed (the gasless checkout's step 2, see [`crate::pay::gasless`]): an option Tender can pay
//! (`exact` or `upto`, this network, a token the wallet shows, enough of it), how its token moves
//! (EIP-3009, or Permit2 through the canonical x402 proxy), the token's signing domain, Permit2's
//! contracts and allowance (or the shop's sponsored approval), and the idempotency id.

use alloy::primitives::{Address, B256, U256, keccak256};

use crate::chain::network::ChainClient;
use crate::chain::reach::Reach;
use crate::chain::token::{IERC20Metadata, Token, format_amount};
use crate::error::{Blocker, Error, Result};
use crate::pay::clock::{QUOTE_TTL_SECS, now_secs};
use crate::pay::gasless::{GaslessQuote, IEip3009, token_domain};
use crate::pay::permit2;
use crate::pay::signed;
use crate::pay::warning::Warning;
use crate::pay::x402::{self, PaymentRequired, Requirement, VALIDITY_CAP_SECS};
use crate::store::TransferMethod;

/// How close an option came to being payable (the blocker shown is the closest option's).
fn static_check(req: &Requirement, chain_id: u64, tokens: &[Token]) -> std::result::Result<Token, (u8, Error)> {
    let unsupported = |scheme: String| Err((0, Error::Blocked(Blocker::SchemeUnsupported { scheme })));
    match (req.scheme.as_str(), req.transfer_method.as_deref()) {
        ("exact", None | Some("eip3009" | "permit2")) | ("upto", None | Some("permit2")) => {}
        (scheme, Some(method)) => return unsupported(format!("{scheme}, {method}")),
        (scheme, None) => return unsupported(scheme.to_owned()),
    }
    if req.chain_id != Some(chain_id) {
        return Err((
            1,
            Error::Blocked(Blocker::ChainMismatch { requested: req.chain_id.unwrap_or_default(), current: chain_id }),
        ));
    }
    let Some(token) = tokens.iter().find(|t| t.address == req.asset && t.chain_id == chain_id) else {
        return Err((2, Error::Blocked(Blocker::UnknownToken { address: req.asset })));
    };
    if req.pay_to == Address::ZERO || req.pay_to == req.asset {
        return Err((3, Error::Blocked(Blocker::BadPayee { payee: req.pay_to })));
    }
    if req.max_timeout_seconds == 0 || req.max_timeout_seconds > x402::MAX_TIMEOUT_SECS {
        return Err((3, Error::Blocked(Blocker::BadValidity { seconds: req.max_timeout_seconds })));
    }
    if req.amount.is_zero() {
        return Err((3, Error::Blocked(Blocker::AmountMissing)));
    }
    if req.scheme == "upto" && req.facilitator.is_none_or(|f| f == Address::ZERO) {
        return Err((3, Error::Blocked(Blocker::SchemeUnsupported { scheme: "upto, no facilitator named".into() })));
    }
    Ok(token.clone())
}

/// Whether the token has EIP-3009 authorizations: `authorizationState` answers for a fresh nonce.
async fn has_authorizations(client: &ChainClient, token: Address, from: Address) -> Result<bool> {
    let contract = IEip3009::new(token, &client.provider);
    match contract.authorizationState(from, keccak256(b"tender: is this nonce used?")).call().await {
        Ok(used) => Ok(!used),
        Err(alloy::contract::Error::TransportError(t)) if crate::chain::network::is_transport_failure(&t) => {
            Err(crate::chain::network::rpc_error(&client.endpoint, t))
        }
        Err(_) => Ok(false),
    }
}

/// How the chosen option's token moves: `upto` and an explicit `permit2` through Permit2; an explicit
/// `eip3009` by the token's authorizations (which it must have); unsaid, EIP-3009 when the token has
/// it, else Permit2 (the specification's order).
async fn transfer_method(
    client: &ChainClient,
    req: &Requirement,
    token: Address,
    from: Address,
) -> Result<TransferMethod> {
    if req.scheme == "upto" {
        return Ok(TransferMethod::Upto);
    }
    match req.transfer_method.as_deref() {
        Some("permit2") => Ok(TransferMethod::Permit2),
        Some(_) if has_authorizations(client, token, from).await? => Ok(TransferMethod::Eip3009),
        Some(_) => Err(Error::Blocked(Blocker::NoAuthorizations { address: token })),
        None if has_authorizations(client, token, from).await? => Ok(TransferMethod::Eip3009),
        None => Ok(TransferMethod::Permit2),
    }
}

/// The token's domain as the shop gives it, checked against the token; a blocker when the shop gives
/// none.
async fn checked_domain(client: &ChainClient, req: &Requirement, token: Address) -> Result<(String, String)> {
    let (Some(name), Some(version)) = (req.domain_name.clone(), req.domain_version.clone()) else {
        return Err(Error::Blocked(Blocker::DomainMismatch {
            reason: "the shop gives no signing domain for the token".into(),
        }));
    };
    check_domain(client, token, &name, &version).await?;
    Ok((name, version))
}

/// For a Permit2 payment: nothing when Permit2 may already move the amount; the token's EIP-2612
/// nonce when it may not and the shop sponsors the approval (a permit the shop's facilitator submits);
/// otherwise the one-time approval is needed first, and that is the sheet's blocker.
async fn permit2_approval(
    client: &ChainClient,
    terms: &PaymentRequired,
    req: &Requirement,
    token: &Token,
    from: Address,
) -> Result<(Option<U256>, Option<(String, String)>)> {
    if permit2::allowance(client, token.address, from).await? >= req.amount {
        return Ok((None, None));
    }
    let needed = || {
        Error::Blocked(Blocker::ApprovalNeeded {
            token: token.address,
            symbol: token.symbol.clone(),
            amount: format_amount(req.amount, token.decimals),
        })
    };
    if !terms.extensions.eip2612_sponsoring {
        return Err(needed());
    }
    let Some(nonce) = permit2::permit_nonce(client, token.address, from).await? else { return Err(needed()) };
    let domain = checked_domain(client, req, token.address).await?;
    Ok((Some(nonce), Some(domain)))
}

/// The URL the shop's offers name: the terms' `resource.url` (version 2), else the link itself.
fn resource_url(terms: &PaymentRequired, url: &url::Url) -> String {
    terms
        .resource_raw
        .as_ref()
        .and_then(|r| serde_json::from_str::<serde_json::Value>(r.get()).ok())
        .and_then(|v| v.get("url").and_then(serde_json::Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| url.to_string())
}

/// The shop's signed offer for `req`, checked ([`signed::checked_offer`]) when it signs its offers: by
/// the chain's clock, and against the payee or the keys the shop's own origin publishes (asked only
/// when the signer is not the payee).
async fn signed_offer(
    client: &ChainClient,
    url: &url::Url,
    terms: &PaymentRequired,
    req: &Requirement,
) -> Result<Option<signed::Signed<signed::Offer>>> {
    let Some(list) = signed::offers(terms.extensions_raw.as_ref().map(|r| r.get()))? else { return Ok(None) };
    if list.is_empty() {
        return Ok(None);
    }
    let clock = crate::pay::clock::chain_clock(client).await?;
    let published = if list.iter().any(|o| o.signer != req.pay_to) {
        let did = url.join("/.well-known/did.json").map_err(|_| Error::Internal { detail: "a did URL".into() })?;
        match crate::pay::gasless::fetch_text(&did, Reach::on(&client.network)).await {
            Ok(Some(text)) => signed::published_signers(&text),
            _ => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let offer =
        signed::checked_offer(list, req, &resource_url(terms, url), client.network.chain_id, clock.latest, &published)?;
    Ok(Some(offer))
}

/// A fresh idempotency id for `payment-identifier` (`pay_` and 32 random hex digits).
fn new_payment_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).map_err(Error::Random)?;
    Ok(format!("pay_{}", alloy::hex::encode(bytes)))
}

/// Checks the shop's domain (`name`, `version`) against the token's own: ERC-5267 `eip712Domain()`
/// field by field, else the token's `DOMAIN_SEPARATOR()` against the one these values make.
async fn check_domain(client: &ChainClient, token: Address, name: &str, version: &str) -> Result<()> {
    let chain_id = client.network.chain_id;
    let contract = IEip3009::new(token, &client.provider);
    let mismatch = |reason: &str| Err(Error::Blocked(Blocker::DomainMismatch { reason: reason.to_owned() }));
    match contract.eip712Domain().call().await {
        Ok(d) => {
            if d.name != name {
                return mismatch("its name");
            }
            if d.version != version {
                return mismatch("its version");
            }
            if d.chainId != U256::from(chain_id) {
                return mismatch("its chain");
            }
            if d.verifyingContract != token {
                return mismatch("its contract");
            }
            Ok(())
        }
        Err(alloy::contract::Error::TransportError(t)) if crate::chain::network::is_transport_failure(&t) => {
            Err(crate::chain::network::rpc_error(&client.endpoint, t))
        }
        Err(_) => {
            let expected = token_domain(name, version, chain_id, token).separator();
            match contract.DOMAIN_SEPARATOR().call().await {
                Ok(separator) if separator == expected => Ok(()),
                Ok(_) => mismatch("its domain separator"),
                Err(e) => match client.contract_error(e) {
                    e @ Error::RpcUnavailable { .. } => Err(e),
                    _ => mismatch("the token does not say its signing domain"),
                },
            }
        }
    }
}

/// The quote for paying the shop at `url`, whose terms are `terms`, from `from` (see the module
/// documentation). Reads the chain; touches no database.
pub async fn prepare(
    client: &ChainClient,
    from: Address,
    url: &url::Url,
    terms: &PaymentRequired,
    known_tokens: &[Token],
) -> Result<GaslessQuote> {
    let chain_id = client.network.chain_id;
    let mut closest: Option<(u8, Error)> = None;
    let mut candidates = Vec::new();
    for req in &terms.accepts {
        match static_check(req, chain_id, known_tokens) {
            Ok(token) => candidates.push((req, token)),
            Err((rank, e)) => {
                if closest.as_ref().is_none_or(|(r, _)| rank > *r) {
                    closest = Some((rank, e));
                }
            }
        }
    }
    // Among the options Tender could pay, the first the account holds enough for.
    let mut short = None;
    let mut chosen = None;
    for (req, token) in candidates {
        let held = IERC20Metadata::new(token.address, &client.provider)
            .balanceOf(from)
            .call()
            .await
            .map_err(|e| client.contract_error(e))?;
        if held >= req.amount {
            chosen = Some((req, token));
            break;
        }
        short.get_or_insert(Error::Blocked(Blocker::InsufficientFunds {
            symbol: token.symbol.clone(),
            needed: format_amount(req.amount, token.decimals),
            available: format_amount(held, token.decimals),
        }));
    }
    let Some((req, token)) = chosen else {
        return Err(short
            .or(closest.map(|(_, e)| e))
            .unwrap_or(Error::Blocked(Blocker::SchemeUnsupported { scheme: String::new() })));
    };
    // The amount is shown with the listed decimals: the contract must say the same.
    crate::chain::token::check_decimals(client, &token).await?;
    let method = transfer_method(client, req, token.address, from).await?;
    let facilitator = req.facilitator.filter(|_| method == TransferMethod::Upto);
    let (sponsored_approval, (name, version)) = match method {
        TransferMethod::Eip3009 => (None, checked_domain(client, req, token.address).await?),
        TransferMethod::Permit2 | TransferMethod::Upto => {
            let scheme = match facilitator {
                Some(facilitator) => permit2::Scheme::Upto { facilitator },
                None => permit2::Scheme::Exact,
            };
            permit2::check_contracts(client, scheme).await?;
            let (nonce, domain) = permit2_approval(client, terms, req, &token, from).await?;
            (nonce, domain.unwrap_or_default())
        }
    };
    let payment_id = match terms.extensions.payment_identifier {
        Some(_) => Some(new_payment_id()?),
        None => None,
    };
    let offer = signed_offer(client, url, terms, req).await?;
    let created_at = now_secs();
    let mut warnings = Vec::new();
    if !token.verified {
        warnings.push(Warning::UnverifiedToken { token: token.address.to_checksum(None) });
    }
    let mut quote = GaslessQuote {
        id: crate::pay::clock::new_quote_id()?,
        digest: B256::ZERO,
        created_at,
        expires_at: created_at + QUOTE_TTL_SECS,
        chain_id,
        network: client.network.name.clone(),
        from,
        payee: req.pay_to,
        symbol: token.symbol.clone(),
        amount: req.amount,
        amount_display: format_amount(req.amount, token.decimals),
        token,
        resource: url.to_string(),
        domain: x402::domain_of(url),
        description: terms.description.clone(),
        validity_secs: req.max_timeout_seconds.min(VALIDITY_CAP_SECS),
        warnings,
        version: terms.version,
        x402_network: req.network.clone(),
        accepted: req.raw.get().to_owned(),
        resource_info: terms.resource_raw.as_ref().map(|r| r.get().to_owned()),
        domain_name: name,
        domain_version: version,
        method,
        facilitator,
        sponsored_approval,
        payment_id,
        extensions: terms.extensions_raw.as_ref().map(|r| r.get().to_owned()),
        offer_signer: offer.as_ref().map(|o| o.signer),
        offer: offer.map(|o| o.raw),
    };
    quote.digest = quote.compute_digest();
    Ok(quote)
}
