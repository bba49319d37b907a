//! Gasless checkout: paying a shop's x402 payment link with an EIP-3009 transfer authorization, or
//! through Permit2 (x402 `exact` with `assetTransferMethod: "permit2"`, and `upto`), so a shopper who
//! holds only the store token pays with no network fee (the shop's facilitator sends the transaction
//! and pays its fee). How the token moves is the quote's and the record's [`TransferMethod`]; Permit2's
//! own checks are in [`crate::pay::permit2`].
//!
//! 1. [`fetch_terms`] asks the shop's link; it must answer `402 Payment Required` with x402 terms
//!    ([`crate::pay::x402`]). Every call has a deadline and a size cap; a redirect to another origin
//!    is refused.
//! 2. [`prepare`](crate::pay::choice::prepare) chooses an option Tender can pay (`exact` or `upto`,
//!    this network, a token the wallet shows, enough of it), checks it on chain (EIP-3009: the token's
//!    authorizations and its EIP-712 domain, by ERC-5267 `eip712Domain()` or `DOMAIN_SEPARATOR()`;
//!    Permit2: the canonical contracts and the allowance or the shop's sponsored approval; a signed
//!    offer, when the shop signs them) and makes a [`GaslessQuote`] with an id and a digest, like an
//!    on-chain quote. No option payable: the error of the closest one (another chain, an unknown
//!    token, not enough) becomes the sheet's blocker.
//! 3. [`sign`] signs `TransferWithAuthorization` (or Permit2's `PermitWitnessTransferFrom`) with a
//!    random nonce, its window **on the chain's clock** ([`ChainClock`]): `validAfter` a minute before
//!    the latest block, `validBefore` the next block's time + the shop's timeout (at most
//!    [`VALIDITY_CAP_SECS`](x402::VALIDITY_CAP_SECS), a few minutes); a
//!    machine clock minutes wrong, or a chain idle for minutes, still pays. [`store`] keeps it
//!    **before it leaves the process**.
//! 4. [`send`] sends the stored header (the same bytes on every retry: one nonce settles once), then
//!    confirms **on chain** that the authorization was used and the exact amount reached the payee;
//!    the shop's word is only a hint. **A shop's refusal is not final**: the shop holds a valid
//!    authorization and may settle it later (the official facilitator answers a settlement still in
//!    flight with a new 402), so it stays outstanding (`rejected`), counts for the duplicate guard,
//!    and a new scan of the same checkout sends it again instead of signing another. Final is the
//!    chain's word, [`Network::confirmations`](crate::chain::network::Network::confirmations) deep:
//!    used (settled), or unused at a block whose time is past `validBefore` (`expired`). [`refresh`]
//!    does the same checks without sending anything.

use std::time::Duration;

use alloy::primitives::{Address, B256, U256, keccak256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::signers::SignerSync;
use alloy::sol;
use alloy::sol_types::{Eip712Domain, SolEvent, SolStruct, SolValue};

use crate::chain::network::ChainClient;
use crate::chain::reach::Reach;
use crate::chain::token::Token;
use crate::error::{CheckoutError, Error, Result};
use crate::pay::broadcast::{Tracking, received_in_logs};
use crate::pay::clock::{ChainClock, DUPLICATE_WINDOW_SECS, now_secs};
use crate::pay::permit2;
use crate::pay::warning::Warning;
use crate::pay::x402::{self, Authorization, PaymentRequired, VALID_AFTER_SLACK_SECS};
use crate::store::{AuthorizationRecord, Db, PaymentStatus, TransferMethod};
use crate::wallet::Wallet;

/// Longest wait to connect to a shop.
pub const SHOP_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest a shop's answer may take (its settlement waits for a block).
pub const SHOP_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest shop answer body read.
pub const MAX_SHOP_BODY: usize = 64 * 1024;
/// Most redirects followed, all within the link's own origin.
pub const MAX_REDIRECTS: usize = 3;

sol! {
    /// EIP-3009's typed authorization (the struct the token hashes).
    struct TransferWithAuthorization {
        address from;
        address to;
        uint256 value;
        uint256 validAfter;
        uint256 validBefore;
        bytes32 nonce;
    }

    #[sol(rpc)]
    interface IEip3009 {
        function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);
        event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
        event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);
        function eip712Domain() external view returns (
            bytes1 fields, string name, string version, uint256 chainId, address verifyingContract,
            bytes32 salt, uint256[] extensions);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
    }
}

/// Exactly what a gasless payment will sign, and for whom. Public data only.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct GaslessQuote {
    /// This quote's id (random).
    pub id: String,
    /// Keccak-256 over everything signed or shown (see [`GaslessQuote::compute_digest`]).
    pub digest: B256,
    /// When it was made (Unix seconds).
    pub created_at: u64,
    /// Until when it may be paid.
    pub expires_at: u64,
    /// The chain.
    pub chain_id: u64,
    /// The network's name.
    pub network: String,
    /// The paying account.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub from: Address,
    /// Who is paid (the shop's `payTo`).
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub payee: Address,
    /// The token.
    pub token: Token,
    /// Its symbol.
    pub symbol: String,
    /// The amount in base units.
    #[serde(with = "crate::text::decimal")]
    pub amount: U256,
    /// The amount in the token's units, exact.
    pub amount_display: String,
    /// The shop's payment link.
    pub resource: String,
    /// The shop's domain: who asks.
    pub domain: String,
    /// What the shop says the purchase is (its words, sanitised).
    pub description: Option<String>,
    /// How long the authorization will be valid (seconds, capped).
    pub validity_secs: u64,
    /// Warnings to show before confirming.
    pub warnings: Vec<Warning>,
    /// The x402 version the shop speaks.
    pub version: u8,
    /// The shop's network identifier, as written.
    pub x402_network: String,
    /// The chosen option, verbatim.
    pub accepted: String,
    /// The shop's `resource` object, verbatim (version 2).
    pub resource_info: Option<String>,
    /// The token's EIP-712 domain name (checked against the token; empty when nothing is signed
    /// for the token's own domain).
    pub domain_name: String,
    /// Its version.
    pub domain_version: String,
    /// How the token moves: EIP-3009, or Permit2 (`exact`, or `upto`: `amount` is then the most the
    /// shop may charge).
    pub method: TransferMethod,
    /// `upto`: the shop's facilitator, the only one the signature lets settle.
    pub facilitator: Option<Address>,
    /// Permit2 without an allowance yet, when the shop sponsors the approval: the token's EIP-2612
    /// nonce for the payer (a permit for Permit2, for exactly this payment's amount, goes with it).
    pub sponsored_approval: Option<U256>,
    /// The idempotency id sent with the payment (`payment-identifier`), when the shop takes one.
    pub payment_id: Option<String>,
    /// The shop's declared extensions, verbatim (echoed in the payment).
    pub extensions: Option<String>,
    /// The shop's signed offer for this option, as sent, when it signs its offers (checked:
    /// [`crate::pay::signed`]).
    pub offer: Option<String>,
    /// Who signed it: the payee, or a key the shop's origin publishes.
    pub offer_signer: Option<Address>,
}

impl GaslessQuote {
    /// The digest of everything signed or shown: chain, accounts, token, amount, the shop's link and
    /// chosen option, the token's domain, the validity, the quote's id and expiry, how the token
    /// moves (and through whom), the sponsored approval, the idempotency id and the extensions.
    pub fn compute_digest(&self) -> B256 {
        let encoded = (
            (self.chain_id, self.from, self.payee, self.token.address, self.amount),
            (self.resource.clone(), self.domain.clone(), self.accepted.clone(), u64::from(self.version)),
            (self.domain_name.clone(), self.domain_version.clone(), self.validity_secs, self.expires_at),
            (self.id.clone(), self.description.clone().unwrap_or_default()),
            (
                self.method.as_str().to_owned(),
                self.facilitator.unwrap_or_default(),
                self.sponsored_approval.map(|n| n.saturating_add(U256::from(1))).unwrap_or_default(),
                self.payment_id.clone().unwrap_or_default(),
                self.extensions.clone().unwrap_or_default(),
            ),
            (self.offer.clone().unwrap_or_default(), self.offer_signer.unwrap_or_default()),
        )
            .abi_encode();
        keccak256(encoded)
    }

    fn check_payable(&self, now: u64) -> Result<()> {
        if now > self.expires_at {
            return Err(Error::QuoteExpired);
        }
        if self.compute_digest() != self.digest {
            return Err(Error::QuoteMismatch);
        }
        Ok(())
    }

    fn eip712_domain(&self) -> Eip712Domain {
        token_domain(&self.domain_name, &self.domain_version, self.chain_id, self.token.address)
    }
}

/// The EIP-712 signing hash of `authorization` for the token `token` named `name`, version
/// `version`, on `chain_id` (what the token recovers the signer from).
pub fn signing_hash(authorization: &Authorization, name: &str, version: &str, chain_id: u64, token: Address) -> B256 {
    typed(authorization).eip712_signing_hash(&token_domain(name, version, chain_id, token))
}

/// A token's EIP-712 domain as EIP-3009 tokens declare it: name, version, chain id, the token itself.
pub(crate) fn token_domain(name: &str, version: &str, chain_id: u64, token: Address) -> Eip712Domain {
    Eip712Domain::new(
        Some(name.to_owned().into()),
        Some(version.to_owned().into()),
        Some(U256::from(chain_id)),
        Some(token),
        None,
    )
}

fn typed(a: &Authorization) -> TransferWithAuthorization {
    TransferWithAuthorization {
        from: a.from,
        to: a.to,
        value: a.value,
        validAfter: U256::from(a.valid_after),
        validBefore: U256::from(a.valid_before),
        nonce: a.nonce,
    }
}

// ----- talking to the shop -----

/// A shop's answer, read within the caps.
struct Answer {
    status: u16,
    payment_required: Option<String>,
    payment_response: Option<String>,
    body: Vec<u8>,
}

fn shop_client(origin: url::Origin, timeout: Duration, reach: Reach) -> Result<reqwest::Client> {
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS || attempt.url().origin() != origin {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    crate::chain::reach::restrict(reqwest::Client::builder(), reach)
        .connect_timeout(SHOP_CONNECT_TIMEOUT)
        .timeout(timeout)
        .redirect(policy)
        .build()
        .map_err(|e| Error::Internal { detail: format!("the HTTP client: {e}") })
}

fn unreachable_shop(url: &url::Url, e: &reqwest::Error) -> Error {
    // The resolver refused a name that leads inside a private network.
    if crate::chain::reach::refused_private(e) {
        return CheckoutError::PrivateAddress { domain: x402::domain_of(url) }.into();
    }
    let domain = x402::domain_of(url);
    let detail = if e.is_timeout() {
        "it did not answer in time".to_owned()
    } else if e.is_connect() {
        "no connection".to_owned()
    } else {
        "the connection failed".to_owned()
    };
    CheckoutError::ShopUnreachable { domain: domain.to_owned(), detail }.into()
}

fn header_text(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// GETs `url` (with the payment header, when given), within the deadlines and caps.
async fn get(url: &url::Url, payment: Option<(&str, &str)>, timeout: Duration, reach: Reach) -> Result<Answer> {
    crate::chain::reach::check_host(url, reach)?;
    let client = shop_client(url.origin(), timeout, reach)?;
    let mut request = client.get(url.clone()).header(reqwest::header::ACCEPT, "application/json");
    if let Some((name, value)) = payment {
        request = request.header(name, value);
    }
    let mut resp = request.send().await.map_err(|e| unreachable_shop(url, &e))?;
    let status = resp.status().as_u16();
    if resp.status().is_redirection() {
        return Err(CheckoutError::Redirected.into());
    }
    let too_large = || Error::from(CheckoutError::BadAnswer { reason: "its answer is too large".into() });
    if resp.content_length().is_some_and(|n| n > MAX_SHOP_BODY as u64) {
        return Err(too_large());
    }
    let payment_required = header_text(resp.headers(), "PAYMENT-REQUIRED");
    let payment_response = header_text(resp.headers(), x402::response_header(2))
        .or_else(|| header_text(resp.headers(), x402::response_header(1)));
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| unreachable_shop(url, &e))? {
        if body.len() + chunk.len() > MAX_SHOP_BODY {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer { status, payment_required, payment_response, body })
}

/// A small document of the shop's (its `did.json`): the body of a `200` answer, `None` otherwise.
pub(crate) async fn fetch_text(url: &url::Url, reach: Reach) -> Result<Option<String>> {
    let answer = get(url, None, Duration::from_secs(10), reach).await?;
    Ok((answer.status == 200).then(|| String::from_utf8_lossy(&answer.body).into_owned()))
}

/// Asks the shop's link for its payment terms: it must answer `402 Payment Required` (version 2 in
/// the `PAYMENT-REQUIRED` header, version 1 in the body). The shop is reached only where `reach`
/// allows ([`crate::chain::reach`]).
pub async fn fetch_terms(url: &url::Url, reach: Reach) -> Result<PaymentRequired> {
    fetch_terms_within(url, SHOP_TIMEOUT, reach).await
}

/// [`fetch_terms`], giving the shop at most `timeout` for its whole answer.
pub async fn fetch_terms_within(url: &url::Url, timeout: Duration, reach: Reach) -> Result<PaymentRequired> {
    let answer = get(url, None, timeout, reach).await?;
    if answer.status != 402 {
        return Err(CheckoutError::NoPaymentAsked { status: answer.status }.into());
    }
    match &answer.payment_required {
        Some(header) => x402::decode_payment_required(header),
        None => x402::decode_payment_required_v1(&answer.body),
    }
}

// ----- choosing and checking: [`crate::pay::choice`] -----

/// The earlier authorization for the same checkout, within the duplicate window.
fn earlier(db: &Db, quote: &GaslessQuote, now: u64) -> Result<Option<AuthorizationRecord>> {
    db.duplicate_authorization(
        quote.chain_id,
        &quote.resource,
        quote.payee,
        quote.token.address,
        quote.amount,
        now.saturating_sub(DUPLICATE_WINDOW_SECS),
    )
}

/// Adds the duplicate-checkout warning (needs an explicit acknowledgement) when this wallet paid,
/// or is paying, the same checkout recently. Shown, not signed: the digest does not change.
pub fn add_duplicate_warning(db: &Db, quote: &mut GaslessQuote) -> Result<()> {
    if let Some(e) = earlier(db, quote, quote.created_at)? {
        quote.warnings.retain(|w| !matches!(w, Warning::DuplicateCheckout { .. }));
        quote.warnings.push(Warning::DuplicateCheckout {
            nonce: e.nonce,
            paid_at: e.created_at,
            status: e.status,
            account: e.account,
        });
    }
    Ok(())
}

/// The outstanding authorization for the same checkout (signed, sent, or refused so far by the
/// shop), if any: it is sent again, never signed anew.
pub fn unfinished_earlier(db: &Db, quote: &GaslessQuote) -> Result<Option<AuthorizationRecord>> {
    Ok(earlier(db, quote, now_secs())?.filter(|e| e.status.is_unfinished()))
}

// ----- signing and storing -----

/// Signs `quote` with account `index` of the unlocked `wallet`: a `TransferWithAuthorization` with a
/// fresh random nonce, its window on the chain's `clock` (read just before): valid from a minute
/// before the latest block to the quote's validity past the next block's time. The settlement is
/// searched from the clock's head. No network call; not stored yet.
pub fn sign(wallet: &Wallet, index: u32, quote: &GaslessQuote, clock: ChainClock) -> Result<AuthorizationRecord> {
    let now = now_secs();
    quote.check_payable(now)?;
    let signer = wallet.signer(index)?;
    if signer.address() != quote.from {
        return Err(Error::UnknownAccount { index });
    }
    let valid_after = clock.latest.saturating_sub(VALID_AFTER_SLACK_SECS);
    // Usable strictly before this second (EIP-3009's `validBefore`; Permit2's deadline is the last
    // second it is usable, one before).
    let valid_before = clock.next + quote.validity_secs;
    let hex = |signature: alloy::signers::Signature| format!("0x{}", alloy::hex::encode(signature.as_bytes()));
    let mut additions = serde_json::Map::new();
    let (nonce, payload) = match quote.method {
        TransferMethod::Eip3009 => {
            let mut nonce = [0u8; 32];
            getrandom::getrandom(&mut nonce).map_err(Error::Random)?;
            let authorization = Authorization {
                from: quote.from,
                to: quote.payee,
                value: quote.amount,
                valid_after,
                valid_before,
                nonce: B256::from(nonce),
            };
            let hash = typed(&authorization).eip712_signing_hash(&quote.eip712_domain());
            let bytes: [u8; 65] = signer.sign_hash_sync(&hash)?.as_bytes();
            (authorization.nonce, x402::eip3009_payload(&authorization, &bytes)?)
        }
        TransferMethod::Permit2 | TransferMethod::Upto => {
            let scheme = match (quote.method, quote.facilitator) {
                (TransferMethod::Upto, Some(facilitator)) => permit2::Scheme::Upto { facilitator },
                (TransferMethod::Upto, None) => {
                    return Err(Error::Internal { detail: "an upto quote without its facilitator".into() });
                }
                _ => permit2::Scheme::Exact,
            };
            let authorization = permit2::Authorization {
                from: quote.from,
                token: quote.token.address,
                amount: quote.amount,
                nonce: permit2::random_nonce()?,
                deadline: valid_before - 1,
                to: quote.payee,
                valid_after,
                scheme,
            };
            let signature = signer.sign_hash_sync(&authorization.signing_hash(quote.chain_id))?;
            if let Some(permit_nonce) = quote.sponsored_approval {
                // The shop's facilitator submits this permit before the payment: Permit2 may then move
                // this payment's amount, no more, until the payment's own deadline.
                let hash = permit2::permit_signing_hash(
                    &quote.eip712_domain(),
                    quote.from,
                    quote.amount,
                    permit_nonce,
                    authorization.deadline,
                );
                let permit = signer.sign_hash_sync(&hash)?;
                additions.insert(
                    x402::EIP2612_GAS_SPONSORING.to_owned(),
                    serde_json::json!({ "info": {
                        "from": quote.from.to_checksum(None),
                        "asset": quote.token.address.to_checksum(None),
                        "spender": permit2::PERMIT2.to_checksum(None),
                        "amount": quote.amount.to_string(),
                        "nonce": permit_nonce.to_string(),
                        "deadline": authorization.deadline.to_string(),
                        "signature": hex(permit),
                        "version": "1",
                    }}),
                );
            }
            let payload = serde_json::json!({
                "signature": hex(signature),
                "permit2Authorization": authorization.to_wire(),
            });
            (B256::from(authorization.nonce), payload)
        }
    };
    drop(signer);
    if let Some(id) = &quote.payment_id {
        additions.insert(x402::PAYMENT_IDENTIFIER.to_owned(), serde_json::json!({ "info": { "id": id } }));
    }
    let extensions = x402::echo_extensions(quote.extensions.as_deref(), serde_json::Value::Object(additions))?;
    let accepted: Box<serde_json::value::RawValue> = serde_json::from_str(&quote.accepted)
        .map_err(|_| Error::Database { detail: "the stored payment option is not JSON".into() })?;
    let resource: Option<Box<serde_json::value::RawValue>> = match &quote.resource_info {
        Some(r) => Some(
            serde_json::from_str(r)
                .map_err(|_| Error::Database { detail: "the stored resource is not JSON".into() })?,
        ),
        None => None,
    };
    let header = x402::encode_payment(
        quote.version,
        resource.as_deref(),
        &accepted,
        &quote.x402_network,
        &payload,
        extensions.as_ref(),
    )?;
    Ok(AuthorizationRecord {
        nonce,
        chain_id: quote.chain_id,
        account: quote.from,
        resource: quote.resource.clone(),
        domain: quote.domain.clone(),
        description: quote.description.clone(),
        payee: quote.payee,
        token: quote.token.address,
        amount: quote.amount,
        valid_after,
        valid_before,
        version: quote.version,
        header,
        status: PaymentStatus::Signed,
        created_at: now,
        signed_at_block: clock.head,
        tx_hash: None,
        block_number: None,
        error: None,
        received: None,
        quote_digest: quote.digest,
        method: quote.method,
        offer: quote.offer.clone(),
        offer_signer: quote.offer_signer,
        receipt: None,
        receipt_said: None,
    })
}

/// Stores a freshly signed authorization before it leaves the process. The same checkout paid
/// recently needs `allow_duplicate`; one still unfinished is returned instead, to be sent again.
pub fn store(db: &Db, record: AuthorizationRecord, allow_duplicate: bool) -> Result<AuthorizationRecord> {
    // The check and the insert are one transaction (two processes never both pass the guard).
    let stored = db.atomically(|db| {
        let earlier = db.duplicate_authorization(
            record.chain_id,
            &record.resource,
            record.payee,
            record.token,
            record.amount,
            record.created_at.saturating_sub(DUPLICATE_WINDOW_SECS),
        )?;
        if let Some(earlier) = earlier {
            if earlier.status.is_unfinished() {
                return Ok(earlier);
            }
            if !allow_duplicate {
                return Err(Error::DuplicateCheckout { nonce: earlier.nonce });
            }
        }
        db.insert_authorization(&record)?;
        Ok(record)
    })?;
    crate::vault::atomic::crash_point("authorization.signed");
    Ok(stored)
}

// ----- sending and confirming -----

/// What the chain says of an authorization.
enum OnChain {
    /// Used, in this transaction and block, paying the payee this much.
    Used { tx_hash: B256, block: Option<u64>, received: U256 },
    /// Unused, and its validity has passed by the chain's clock: it never will be.
    Expired,
    /// Revoked by the shopper (`cancelAuthorization`, in this transaction and block): never paid.
    Revoked { tx_hash: B256, block: Option<u64> },
    /// Unused, still valid.
    Open,
}

/// Whether an authorization valid before `valid_before`, unused at a block dated `block_time`, has
/// expired for good: the block is past its validity, and is dated believably (a node dating a block
/// far ahead of this device's clock could otherwise end a still-valid authorization's watch, and let
/// the same checkout be paid twice).
fn expired(block_time: u64, valid_before: u64, machine: u64) -> bool {
    block_time >= valid_before && crate::pay::clock::plausible(block_time, machine)
}

async fn on_chain(client: &ChainClient, record: &AuthorizationRecord) -> Result<OnChain> {
    let rpc = |e| crate::chain::network::rpc_error(&client.endpoint, e);
    let contract = IEip3009::new(record.token, &client.provider);
    // The chain's word is a block deep enough: a node's latest block may still be reorganised away.
    let head = client.provider.get_block_number().await.map_err(rpc)?;
    let deep = head.saturating_sub(client.network.confirmations.max(1) - 1);
    let used = match record.method {
        TransferMethod::Eip3009 => contract
            .authorizationState(record.account, record.nonce)
            .block(deep.into())
            .call()
            .await
            .map_err(|e| client.contract_error(e))?,
        TransferMethod::Permit2 | TransferMethod::Upto => {
            permit2::nonce_used(client, record.account, record.nonce.into(), deep).await?
        }
    };
    if !used {
        // Unused at a block whose time is past `validBefore`: no later block can use it.
        let block = client.provider.get_block_by_number(deep.into()).await.map_err(rpc)?;
        let chain_now = block.map(|b| b.header.timestamp).unwrap_or_default();
        return Ok(if expired(chain_now, record.valid_before, now_secs()) { OnChain::Expired } else { OnChain::Open });
    }
    // It was used while valid: within its validity's worth of blocks after signing (at four blocks a
    // second, the fastest chains'), never the whole chain since, which nodes refuse to scan.
    let span = record.valid_before.saturating_sub(record.created_at).saturating_mul(4).saturating_add(64);
    let range = (record.signed_at_block, deep.min(record.signed_at_block.saturating_add(span)));
    if record.method != TransferMethod::Eip3009 {
        // Permit2 logs nothing of the nonce: the settlement is the transfer to the payee that went
        // through the scheme's proxy. A nonce used otherwise (invalidated) paid nothing.
        let proxy = if record.method == TransferMethod::Upto { permit2::UPTO_PROXY } else { permit2::EXACT_PROXY };
        let found = permit2::settlement(client, record.token, record.account, record.payee, proxy, range).await?;
        if found.is_none()
            && let Some((tx_hash, block)) =
                permit2::invalidation(client, record.account, record.nonce.into(), range).await?
        {
            // The shopper invalidated the nonce before a shop used it.
            return Ok(OnChain::Revoked { tx_hash, block });
        }
        let (tx_hash, block, received) = found.unwrap_or((B256::ZERO, None, U256::ZERO));
        return Ok(OnChain::Used { tx_hash, block, received });
    }
    let filter = Filter::new()
        .address(record.token)
        .event_signature(IEip3009::AuthorizationUsed::SIGNATURE_HASH)
        .topic1(record.account.into_word())
        .topic2(record.nonce)
        .from_block(range.0)
        .to_block(range.1);
    let logs = client.provider.get_logs(&filter).await.map_err(rpc)?;
    if logs.is_empty() {
        // Not used by a transfer: revoked by the shopper?
        let revoked = client
            .provider
            .get_logs(&filter.clone().event_signature(IEip3009::AuthorizationCanceled::SIGNATURE_HASH))
            .await
            .map_err(rpc)?;
        if let Some(l) = revoked.first() {
            return Ok(OnChain::Revoked { tx_hash: l.transaction_hash.unwrap_or_default(), block: l.block_number });
        }
    }
    let Some(tx_hash) = logs.iter().find_map(|l| l.transaction_hash) else {
        // Used, but not by a transaction Tender can see (a node that prunes logs): paid, unconfirmed.
        return Ok(OnChain::Used { tx_hash: B256::ZERO, block: None, received: U256::ZERO });
    };
    let receipt = client.provider.get_transaction_receipt(tx_hash).await.map_err(rpc)?;
    let (block, received) = match receipt {
        Some(r) if r.status() => {
            (r.block_number, received_in_logs(r.inner.logs(), record.token, record.account, record.payee))
        }
        Some(r) => (r.block_number, U256::ZERO),
        None => (None, U256::ZERO),
    };
    Ok(OnChain::Used { tx_hash, block, received })
}

fn settle(db: &Db, mut record: AuthorizationRecord, state: OnChain, chain_id: u64) -> Result<AuthorizationRecord> {
    match state {
        OnChain::Open => return Ok(record),
        OnChain::Expired => {
            record.status = PaymentStatus::Expired;
            record.error.get_or_insert_with(|| "the authorization expired unused: nothing was paid".into());
        }
        OnChain::Revoked { tx_hash, block } => {
            record.status = PaymentStatus::Cancelled;
            record.tx_hash = (tx_hash != B256::ZERO).then_some(tx_hash);
            record.block_number = block;
            record.error = Some("you revoked the authorization before the shop used it: nothing was paid".into());
        }
        OnChain::Used { tx_hash, block, received } => {
            record.tx_hash = (tx_hash != B256::ZERO).then_some(tx_hash);
            record.block_number = block;
            record.received = Some(received);
            // `upto`: the shop charges what it says at the till, never more than was authorized.
            let charged_within =
                record.method == TransferMethod::Upto && !received.is_zero() && received <= record.amount;
            if received == record.amount || charged_within {
                record.status = PaymentStatus::Confirmed;
                record.error = None;
                check_receipt(&mut record, chain_id);
            } else {
                record.status = PaymentStatus::Unconfirmed;
                record.error = Some(format!(
                    "the authorization was used, but the payee received {received} base units, not {}: the payment is not confirmed",
                    record.amount
                ));
            }
        }
    }
    db.update_authorization(&record)?;
    Ok(record)
}

/// Sends the stored authorization to its shop (the same header every time) and confirms the result
/// on chain. Returns the record as it now stands, and the reason it is not settled yet when the shop
/// could not be reached or did not take it (the record then says so too).
pub async fn send(
    client: &ChainClient,
    db: &mut Db,
    record: AuthorizationRecord,
    tracking: Tracking,
) -> Result<(AuthorizationRecord, Option<Error>)> {
    // Settled already (a lost answer, a crash after sending): nothing to send.
    match on_chain(client, &record).await? {
        OnChain::Open => {}
        state => return Ok((settle(db, record, state, client.network.chain_id)?, None)),
    }
    let url = url::Url::parse(&record.resource).map_err(|_| Error::Database { detail: "bad stored link".into() })?;
    let header = x402::payment_header(record.version);
    let answer = get(&url, Some((header, &record.header)), SHOP_TIMEOUT, Reach::on(&client.network)).await;
    crate::vault::atomic::crash_point("authorization.sent");
    let mut record = record;
    // The signed receipt the shop's answer may carry, kept as sent: checked when the chain settles
    // the payment, now or at a later look.
    if let Some(a) = answer.as_ref().ok().filter(|a| (200..300).contains(&a.status)) {
        let said = a.payment_response.as_deref().and_then(x402::settlement_json);
        if let Some(receipt) = said.as_ref().and_then(crate::pay::signed::receipt_in) {
            record.receipt_said = Some(receipt);
        }
    }
    let problem = match answer {
        Err(e) => {
            // It may have reached the shop: from here on it counts as sent.
            Some(e)
        }
        Ok(a) if (200..300).contains(&a.status) => {
            let said = a.payment_response.as_deref().map(x402::decode_settlement);
            match said {
                Some(Ok(s)) if !s.success => Some(
                    CheckoutError::ShopRefused { reason: s.error.unwrap_or_else(|| "no reason given".into()) }.into(),
                ),
                _ => None,
            }
        }
        Ok(a) if a.status == 402 || a.status == 412 => {
            let reason = x402::refusal_reason(a.payment_required.as_deref(), &a.body)
                .unwrap_or_else(|| "it asked for payment again".into());
            Some(CheckoutError::ShopRefused { reason }.into())
        }
        // payment-identifier: the shop holds another payment under this checkout's id (other terms).
        Ok(a) if a.status == 409 => Some(
            CheckoutError::ShopRefused {
                reason: "it already has a payment with other terms for this checkout (HTTP 409)".into(),
            }
            .into(),
        ),
        Ok(a) => Some(CheckoutError::ShopRefused { reason: format!("it answered HTTP {}", a.status) }.into()),
    };
    // Whatever the shop said, the chain decides. Its settlement waits for a block, so a success is
    // usually visible at once; allow the node a moment to catch up.
    let started = std::time::Instant::now();
    loop {
        match on_chain(client, &record).await? {
            OnChain::Open => {}
            state => return Ok((settle(db, record, state, client.network.chain_id)?, None)),
        }
        if problem.is_some() || started.elapsed() >= tracking.timeout.min(Duration::from_secs(10)) {
            break;
        }
        tokio::time::sleep(tracking.poll).await;
    }
    match &problem {
        Some(Error::Checkout(CheckoutError::ShopRefused { reason })) => {
            // The shop's own words (sanitised); the faces label them as the shop's.
            record.status = PaymentStatus::Rejected;
            record.error = Some(reason.clone());
        }
        _ => record.status = PaymentStatus::Pending,
    }
    db.update_authorization(&record)?;
    let problem = problem.or(Some(Error::Checkout(CheckoutError::ShopUnreachable {
        domain: record.domain.clone(),
        detail: "it has not settled the payment yet".into(),
    })));
    Ok((record, problem))
}

/// Keeps, with a payment the chain has settled, the receipt its shop's answer carried
/// (`receipt_said`) when the shop signed the offer and the receipt holds
/// ([`crate::pay::signed::checked_receipt`]): same signer, this payer, network and resource, and no
/// transaction or the settlement's own. Whenever the chain decides, at the answer or a later look.
fn check_receipt(record: &mut AuthorizationRecord, chain_id: u64) {
    if record.status != PaymentStatus::Confirmed || record.receipt.is_some() {
        return;
    }
    let (Some(signer), Some(said), Some(offer)) =
        (record.offer_signer, record.receipt_said.as_deref(), record.offer.as_deref())
    else {
        return;
    };
    let Ok(said) = serde_json::from_str::<serde_json::Value>(said) else { return };
    let resource = serde_json::from_str::<serde_json::Value>(offer)
        .ok()
        .and_then(|o| o.pointer("/payload/resourceUrl").and_then(serde_json::Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| record.resource.clone());
    let checked =
        crate::pay::signed::checked_receipt(&said, signer, record.account, chain_id, &resource, record.tx_hash);
    record.receipt = checked.map(|r| r.raw);
}

/// Sends the stored authorization `nonce` again, on the person's word: the same header (it can
/// never pay twice). Nothing to send once settled or expired.
pub async fn retry(
    client: &ChainClient,
    db: &mut Db,
    nonce: &B256,
    tracking: Tracking,
) -> Result<(AuthorizationRecord, Option<Error>)> {
    let record = db.authorization(nonce)?.ok_or(Error::UnknownPayment { tx_hash: *nonce })?;
    if !record.status.is_unfinished() {
        return Ok((record, None));
    }
    send(client, db, record, tracking).await
}

/// Reads what the chain says of the authorization `nonce` now and records it (reading only).
pub async fn check(client: &ChainClient, db: &mut Db, nonce: &B256) -> Result<AuthorizationRecord> {
    let record = db.authorization(nonce)?.ok_or(Error::UnknownPayment { tx_hash: *nonce })?;
    if !record.status.is_unfinished() {
        return Ok(record);
    }
    let state = on_chain(client, &record).await?;
    settle(db, record, state, client.network.chain_id)
}

/// Updates unfinished authorizations from the chain, **without sending anything**.
pub async fn refresh(client: &ChainClient, db: &mut Db) -> Result<Vec<AuthorizationRecord>> {
    let mut out = Vec::new();
    for record in db.unfinished_authorizations(client.network.chain_id)? {
        let state = on_chain(client, &record).await?;
        out.push(settle(db, record, state, client.network.chain_id)?);
    }
    Ok(out)
}

#[cfg(test)]
#[path = "gasless_tests.rs"]
mod tests;
