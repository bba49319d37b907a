//! Paying: the sheet (quote and verdict), paying by quote id and digest, sending again, speeding up,
//! cancelling, and revoking a gasless authorization.

use super::*;
use crate::pay::verdict::RequestSummary;

/// A payment's outcome, as shown.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Receipt {
    /// Where the payment stands (the chain's word, as stored).
    pub status: PaymentStatus,
    /// Its transaction (a gasless payment's once the shop settled it).
    pub tx_hash: Option<B256>,
    /// The block it was mined in.
    pub block_number: Option<u64>,
    /// What went wrong (a refusal, a failure), from the stored record.
    pub error: Option<String>,
    /// What was paid, by kind, as stored.
    pub paid: Paid,
    /// Symbol of what was paid.
    pub symbol: String,
    /// Its decimals.
    pub decimals: u8,
    /// Exact display amount.
    pub amount_display: String,
    /// Explorer link.
    pub explorer: Option<String>,
    /// Why it is not settled yet (the network or the shop could not be reached, or refused so far).
    pub notice: Option<Notice>,
}

impl Receipt {
    /// The receipt of `paid` on `network`, in `symbol` with `decimals`.
    pub(super) fn new(paid: Paid, network: &Network, symbol: String, decimals: u8, notice: Option<Notice>) -> Self {
        Receipt {
            status: paid.status(),
            tx_hash: paid.tx_hash(),
            block_number: paid.block_number(),
            error: paid.error().map(str::to_owned),
            amount_display: format_amount(paid.amount(), decimals),
            explorer: paid.tx_hash().and_then(|h| network.explorer_tx_url(&h)),
            paid,
            symbol,
            decimals,
            notice,
        }
    }

    /// Whether money moved, by the chain's word ([`Paid::moved`]).
    pub fn moved(&self) -> bool {
        self.paid.moved()
    }

    /// Until when the signed payment stays valid while undecided ([`Paid::valid_until`]).
    pub fn valid_until(&self) -> Option<u64> {
        self.paid.valid_until()
    }

    /// The stored payment, when paid on chain.
    pub fn payment(&self) -> Option<&PaymentRecord> {
        match &self.paid {
            Paid::OnChain(p) => Some(p),
            Paid::Gasless(_) => None,
        }
    }

    /// The stored authorization, when paid gasless.
    pub fn authorization(&self) -> Option<&AuthorizationRecord> {
        match &self.paid {
            Paid::Gasless(a) => Some(a),
            Paid::OnChain(_) => None,
        }
    }
}

impl Session {
    // ----- paying -----

    /// The confirmation sheet for paying `uri` (an `ethereum:` link or QR text) from account
    /// `index`; `amount` (base units) fills in a request that leaves it open. A payable quote is
    /// kept (in memory by its id, and in the database by its digest, for a later process) until it
    /// expires, it is paid, the wallet locks or the network changes.
    ///
    /// A shop's payment link (`https://`, x402) is a gasless checkout: its terms are asked, an option
    /// Tender can pay is chosen and checked on chain, and the sheet's `gasless` quote says what the
    /// authorization will sign (the shop pays the network fee).
    pub async fn quote(&self, text: &str, index: u32, amount: Option<U256>) -> Result<Sheet> {
        match link::parse_link(text)? {
            Link::Ethereum(uri) => self.quote_request(&uri, index, amount).await,
            Link::Checkout(url) => self.quote_checkout(&url, index).await,
        }
    }

    /// As [`Session::quote`], for a request that leaves the amount open (a bare address, a transfer
    /// without an amount): `amount` is the decimal number the person typed, in the asset's units (the
    /// native currency's, or the token's decimals as the token says). A shop's checkout names its own
    /// amount: [`Error::Blocked(Blocker::AmountConflict)`].
    pub async fn quote_amount(&self, text: &str, index: u32, amount: &str) -> Result<Sheet> {
        let Link::Ethereum(uri) = link::parse_link(text)? else { return Err(Error::Blocked(Blocker::AmountConflict)) };
        let request = crate::pay::request::parse(uri.trim())?;
        let decimals = match &request.token {
            None => self.network().await?.native.decimals,
            Some(Target::Address(a)) => match self.tokens().await?.iter().find(|t| t.address == *a) {
                Some(known) => known.decimals,
                None => token::read_token(&self.client().await?, *a).await?.decimals,
            },
            // The token's decimals are known only once its name is resolved: the sheet asks anyway.
            Some(Target::Ens(_)) => return Err(Error::InvalidAmount { decimals: 18 }),
        };
        let units = token::parse_amount(amount, decimals).ok_or(Error::InvalidAmount { decimals })?;
        if units.is_zero() {
            return Err(Error::InvalidAmount { decimals });
        }
        self.quote_request(&uri, index, Some(units)).await
    }

    pub(super) fn keep(&self, kept: Kept, id: &str) {
        let mut quotes = lock(&self.quotes);
        let now = payment::now_secs();
        quotes.retain(|_, k| k.expires_at() >= now);
        while quotes.len() >= MAX_QUOTES {
            let oldest = quotes.iter().min_by_key(|(_, k)| k.created_at()).map(|(id, _)| id.clone());
            match oldest {
                Some(id) => quotes.remove(&id),
                None => break,
            };
        }
        quotes.insert(id.to_owned(), kept);
    }

    /// The client of the network in use, checked to be chain `chain_id` (what was quoted is paid on
    /// the chain it was quoted for) and to still answer as that chain.
    pub(super) async fn client_on(&self, chain_id: u64) -> Result<ChainClient> {
        let client = self.client().await?;
        if chain_id != client.network.chain_id {
            return Err(Error::Blocked(Blocker::ChainMismatch {
                requested: chain_id,
                current: client.network.chain_id,
            }));
        }
        client.check_chain().await?;
        Ok(client)
    }

    /// A client for the network, or the error that says why not (the next call tries anew).
    pub(super) async fn reachable_client(&self) -> Result<ChainClient> {
        match self.client().await {
            Ok(c) => Ok(c),
            Err(e) => {
                self.drop_client().await;
                Err(e)
            }
        }
    }

    pub(super) async fn quote_checkout(&self, url: &url::Url, index: u32) -> Result<Sheet> {
        let from = self.account(index).await?.address;
        let client = self.reachable_client().await?;
        let tokens = self.tokens().await?;
        // No lock at all while the shop and the node are asked.
        let terms = gasless::fetch_terms(url, crate::chain::reach::Reach::on(&client.network)).await?;
        let quoted = crate::pay::choice::prepare(&client, from, url, &terms, &tokens).await;
        let request = match &quoted {
            Ok(q) => RequestSummary::of_checkout(url, q.description.clone(), Some(q.payee), Some(q.chain_id)),
            Err(_) => RequestSummary::of_checkout(url, terms.description.clone(), None, None),
        };
        self.sheet(request, quoted.map(Into::into), &client, &tokens).await
    }

    pub(super) async fn quote_request(&self, uri: &str, index: u32, amount: Option<U256>) -> Result<Sheet> {
        let request = crate::pay::request::parse(uri.trim())?;
        let from = self.account(index).await?.address;
        let client = self.reachable_client().await?;
        let tokens = self.tokens().await?;
        // What the wallet knows of this account's payments (for the nonce), read before the network
        // is asked: no database lock meanwhile.
        let sent = {
            let db = self.db().await?;
            db.payments(client.network.chain_id, from)?
        };
        let quoted = payment::prepare(&client, from, &request, amount, &tokens, &sent).await;
        let mut summary = RequestSummary::of(&request);
        if request.token.is_none() {
            // The network's own currency: its decimals are this network's, whatever the request's chain.
            summary.decimals.get_or_insert(client.network.native.decimals);
        }
        self.sheet(summary, quoted.map(Into::into), &client, &tokens).await
    }

    /// The sheet of what quoting gave, whatever its kind: an offer is judged (a probable duplicate,
    /// the payee against everyone this wallet dealt with), kept by its id and stored by its digest.
    async fn sheet(
        &self,
        request: RequestSummary,
        quoted: Result<Offer>,
        client: &ChainClient,
        tokens: &[Token],
    ) -> Result<Sheet> {
        let own = self.own_addresses().await?;
        let (quoted, who) = match quoted {
            Ok(mut offer) => {
                let db = self.db().await?;
                let db = &*db;
                offer.add_duplicate_warning(db)?;
                let who = counterparties(db, &client.network, tokens, &own)?;
                payee::judge(&who, offer.payee(), offer.warnings_mut());
                offer.save(db, payment::now_secs())?;
                (Ok(offer), Some(who))
            }
            Err(e) => (Err(e), None),
        };
        let mut sheet = Sheet::verdict(request, quoted)?;
        if let Some(who) = &who {
            sheet = sheet.with_payee_facts(who);
        }
        if let Some(offer) = &sheet.offer {
            self.keep(Kept::Offer(offer.clone()), offer.id());
        }
        Ok(sheet)
    }

    /// The offer shown earlier (perhaps by another process) with `digest` (or its first 16 hex
    /// digits), for exactly `text` (the request or the shop's link it was shown for) and account
    /// `index`. Unknown or expired: [`Error::QuoteExpired`]; for another request, link, account or
    /// kind: [`Error::QuoteMismatch`].
    pub async fn stored_offer(&self, digest: &str, text: &str, index: u32) -> Result<Offer> {
        let from = self.account(index).await?.address;
        let network = self.network().await?;
        let stored = {
            let db = self.db().await?;
            Offer::stored(&db, digest)?.ok_or(Error::QuoteExpired)?
        };
        let same_request = match (link::parse_link(text)?, &stored) {
            (Link::Checkout(url), Offer::Gasless(q)) => q.resource == url.as_str(),
            (Link::Ethereum(uri), Offer::OnChain(q)) => {
                let request = crate::pay::request::parse(&uri)?;
                // The amount is the request's own; only an open-amount request takes the quote's.
                let canonical = PaymentRequest {
                    chain_id: Some(network.chain_id),
                    amount: request.amount.or(Some(q.amount)),
                    ..request
                };
                q.request_uri == canonical.to_uri()
            }
            // A digest of another kind of payment: not the one shown.
            _ => false,
        };
        if !same_request || stored.from() != from || stored.chain_id() != network.chain_id {
            return Err(Error::QuoteMismatch);
        }
        Ok(stored)
    }

    /// Pays exactly the quote `quote_id` a sheet showed, whose `digest` the face passes back (what
    /// the person saw is what is signed), from account `index`. Used once: a second confirmation
    /// finds nothing to pay. A probable duplicate and a lookalike payee each need `acknowledged`
    /// (`true` acknowledges every warning the sheet showed).
    pub async fn pay(
        &self,
        quote_id: &str,
        digest: &str,
        index: u32,
        acknowledged: impl Into<Acknowledged>,
        tracking: Tracking,
    ) -> Result<Receipt> {
        let kept = lock(&self.quotes).remove(quote_id).ok_or(Error::UnknownQuote)?;
        match kept {
            Kept::Offer(offer) if offer.digest().to_string() == digest.trim().to_ascii_lowercase() => {
                self.pay_offer(&offer, index, acknowledged, tracking).await
            }
            // A replacement is confirmed with `replace`.
            _ => Err(Error::QuoteMismatch),
        }
    }

    /// Pays `offer` from account `index`, by its kind (see [`Session::pay`]; the command line pays
    /// an offer an earlier run showed, [`Session::stored_offer`]).
    pub async fn pay_offer(
        &self,
        offer: &Offer,
        index: u32,
        acknowledged: impl Into<Acknowledged>,
        tracking: Tracking,
    ) -> Result<Receipt> {
        let client = self.client_on(offer.chain_id()).await?;
        let acknowledged = acknowledged.into();
        payee::require_acknowledged(offer.warnings(), acknowledged.lookalike)?;
        match offer {
            Offer::OnChain(q) => self.pay_quote(&client, q, index, acknowledged, tracking).await,
            Offer::Gasless(q) => self.pay_checkout(&client, q, index, acknowledged, tracking).await,
        }
    }

    /// Pays the gasless `quote` from account `index` on `client`'s chain (checked): an unfinished
    /// authorization for the same checkout is sent again (never signed anew); otherwise a new one is
    /// signed under the wallet's lock only, stored, then sent to the shop, and the result confirmed on
    /// chain. A shop that cannot be reached leaves it stored and sent-or-not, with a notice; sending it
    /// again sends the same authorization, which can settle only once.
    async fn pay_checkout(
        &self,
        client: &ChainClient,
        quote: &GaslessQuote,
        index: u32,
        acknowledged: Acknowledged,
        tracking: Tracking,
    ) -> Result<Receipt> {
        let earlier = {
            let db = self.db().await?;
            gasless::unfinished_earlier(&db, quote)?
        };
        let record = match earlier {
            Some(r) => r,
            None => {
                // The authorization's window is on the chain's clock, read now.
                let clock = payment::chain_clock(client).await?;
                let signed = self
                    .with_unlocked(|w| {
                        let account = w.info().accounts.into_iter().find(|a| a.index == index);
                        if account.map(|a| a.address) != Some(quote.from) {
                            return Err(Error::UnknownAccount { index });
                        }
                        gasless::sign(w, index, quote, clock)
                    })
                    .await?;
                let db = self.db().await?;
                gasless::store(&db, signed, acknowledged.duplicate)?
            }
        };
        let mut db = self.db().await?;
        let db = &mut *db;
        let (record, problem) = gasless::send(client, db, record, tracking).await?;
        let notice = problem.as_ref().map(Notice::from);
        Ok(Receipt::new(record.into(), &client.network, quote.symbol.clone(), quote.token.decimals, notice))
    }

    /// Pays `quote` from account `index` on `client`'s chain (checked): signs under the wallet's
    /// lock only, stores the signed bytes, then sends and confirms them. A node that cannot be
    /// reached, or refuses so far, leaves the payment stored and outstanding, with a notice (the
    /// history offers to send it again).
    async fn pay_quote(
        &self,
        client: &ChainClient,
        quote: &Quote,
        index: u32,
        acknowledged: Acknowledged,
        tracking: Tracking,
    ) -> Result<Receipt> {
        let signed = self
            .with_unlocked(|w| {
                let account = w.info().accounts.into_iter().find(|a| a.index == index);
                if account.map(|a| a.address) != Some(quote.from) {
                    return Err(Error::UnknownAccount { index });
                }
                payment::sign_detached(w, index, quote)
            })
            .await?;
        let mut db = self.db().await?;
        let db = &mut *db;
        let record = payment::store(db, signed, acknowledged.duplicate)?;
        // Not reached, or refused so far: the receipt says where the signed payment stands (stored,
        // outstanding) and why, never that nothing can happen any more.
        let (record, notice) = match payment::send(client, db, record.clone(), tracking).await {
            Ok(r) => (r, None),
            Err(e @ (Error::RpcUnavailable { .. } | Error::BadRpcResponse { .. } | Error::Rejected { .. })) => {
                (db.payment(&record.tx_hash)?.unwrap_or(record), Some(Notice::from(&e)))
            }
            Err(e) => return Err(e),
        };
        let decimals = quote.token.as_ref().map_or(client.network.native.decimals, |t| t.decimals);
        Ok(Receipt::new(record.into(), &client.network, quote.symbol.clone(), decimals, notice))
    }

    /// Sends a stored payment that did not go out once more, on the person's word: the very same
    /// signed bytes (it can never pay twice); refused once its request has expired. `tx_hash` may
    /// also be a gasless payment's authorization nonce: its same authorization is sent to the shop
    /// again.
    pub async fn resend(&self, tx_hash: B256, tracking: Tracking) -> Result<Receipt> {
        let client = self.client().await?;
        client.check_chain().await?;
        let mut db = self.db().await?;
        let db = &mut *db;
        if db.payment(&tx_hash)?.is_none() && db.authorization(&tx_hash)?.is_some() {
            let (record, problem) = gasless::retry(&client, db, &tx_hash, tracking).await?;
            let tokens = token::known_tokens(db, client.network.chain_id)?;
            let (symbol, decimals) = asset_of(&client.network, &tokens, Some(record.token));
            let notice = problem.as_ref().map(Notice::from);
            return Ok(Receipt::new(record.into(), &client.network, symbol, decimals, notice));
        }
        let (record, notice) = match payment::retry(&client, db, &tx_hash, tracking).await {
            Ok(r) => (r, None),
            Err(e @ (Error::RpcUnavailable { .. } | Error::BadRpcResponse { .. } | Error::Rejected { .. })) => {
                (db.payment(&tx_hash)?.ok_or(Error::UnknownPayment { tx_hash })?, Some(Notice::from(&e)))
            }
            Err(e) => return Err(e),
        };
        let tokens = token::known_tokens(db, client.network.chain_id)?;
        let (symbol, decimals) = asset_of(&client.network, &tokens, record.token);
        Ok(Receipt::new(record.into(), &client.network, symbol, decimals, notice))
    }

    /// The sheet for speeding up (`kind` [`PaymentKind::SpeedUp`]) or cancelling
    /// ([`PaymentKind::Cancel`]) the stuck payment with transaction `tx_hash` (any of its
    /// transactions): the new fee at most, kept by its id until confirmed with [`Session::replace`]
    /// (or it expires, or the wallet locks). Refused once the payment is settled.
    pub async fn replacement(&self, tx_hash: B256, kind: PaymentKind) -> Result<ReplacementQuote> {
        if kind == PaymentKind::CancelAuthorization {
            return self.revocation(tx_hash).await;
        }
        let members = {
            let db = self.db().await?;
            replace::group(&db, &tx_hash)?
        };
        let client = self.client().await?;
        // No lock while the node is asked.
        let quote = replace::quote(&client, &members, kind).await?;
        self.keep(Kept::Replacement(Box::new(quote.clone())), &quote.id);
        Ok(quote)
    }

    /// Signs exactly the replacement `quote_id` that was shown (its `digest` passed back), stores it,
    /// sends it and follows it: the receipt is the payment's, as one (whichever of its transactions
    /// decided it). Used once. A node's refusal ("replacement transaction underpriced") is an error
    /// and leaves the payment as it was: it can be tried again, with a higher fee.
    pub async fn replace(&self, quote_id: &str, digest: &str, tracking: Tracking) -> Result<Receipt> {
        let kept = lock(&self.quotes).remove(quote_id).ok_or(Error::UnknownQuote)?;
        let Kept::Replacement(quote) = kept else { return Err(Error::QuoteMismatch) };
        if quote.digest.to_string() != digest.trim().to_ascii_lowercase() {
            return Err(Error::QuoteMismatch);
        }
        if quote.kind == PaymentKind::CancelAuthorization {
            return self.revoke(&quote, tracking).await;
        }
        let client = self.client_on(quote.chain_id).await?;
        let root = {
            let db = self.db().await?;
            let db = &*db;
            let members = replace::group(db, &quote.payment)?;
            let live = members.iter().any(|r| r.status.is_unfinished());
            // Decided since the sheet, or (a cancellation) nothing left out there to cancel.
            if !replace::replaceable(&members) || (quote.kind == PaymentKind::Cancel && !live) {
                return Err(Error::PaymentSettled);
            }
            members.into_iter().next().ok_or(Error::UnknownPayment { tx_hash: quote.payment })?
        };
        let signed = self.with_unlocked(|w| replace::sign(w, &root, &quote)).await?;
        let mut db = self.db().await?;
        let db = &mut *db;
        replace::store(db, &signed)?;
        let notice = match payment::send(&client, db, signed, tracking).await {
            Ok(_) => None,
            Err(e @ (Error::RpcUnavailable { .. } | Error::BadRpcResponse { .. })) => Some(Notice::from(&e)),
            Err(Error::Rejected { reason }) => return Err(Error::ReplacementRefused { reason }),
            Err(e) => return Err(e),
        };
        let view = replace::collapse(replace::group(db, &root.tx_hash)?)
            .into_iter()
            .next()
            .ok_or(Error::UnknownPayment { tx_hash: root.tx_hash })?;
        let tokens = token::known_tokens(db, client.network.chain_id)?;
        let (symbol, decimals) = asset_of(&client.network, &tokens, view.token);
        Ok(Receipt::new(view.into(), &client.network, symbol, decimals, notice))
    }

    /// The sheet for revoking the outstanding gasless authorization `nonce` (EIP-3009
    /// `cancelAuthorization`, from the shopper's account: it needs the native currency for its fee),
    /// kept by its id until confirmed with [`Session::replace`]. Refused once the chain decided the
    /// authorization, or without the fee's currency ([`Error::Blocked(Blocker::NeedsNativeForFee)`]).
    pub(super) async fn revocation(&self, nonce: B256) -> Result<ReplacementQuote> {
        let client = self.client().await?;
        let (record, own) = {
            let db = self.db().await?;
            let db = &*db;
            let record = db.authorization(&nonce)?.ok_or(Error::UnknownPayment { tx_hash: nonce })?;
            let own = db.payments(client.network.chain_id, record.account)?;
            (record, own)
        };
        // Decided meanwhile (settled, expired)? Then there is nothing to revoke.
        let record = {
            let mut db = self.db().await?;
            gasless::check(&client, &mut db, &record.nonce).await?
        };
        let quote = revoke::quote(&client, &record, &own).await?;
        self.keep(Kept::Replacement(Box::new(quote.clone())), &quote.id);
        Ok(quote)
    }

    /// Signs the revocation `quote` (its digest checked by the caller), stores it, sends it and
    /// follows it; the receipt is the authorization's, as the chain then says.
    pub(super) async fn revoke(&self, quote: &ReplacementQuote, tracking: Tracking) -> Result<Receipt> {
        let client = self.client_on(quote.chain_id).await?;
        let record = {
            let mut db = self.db().await?;
            gasless::check(&client, &mut db, &quote.payment).await?
        };
        if !record.status.is_unfinished() {
            return Err(Error::PaymentSettled);
        }
        let signed = self.with_unlocked(|w| revoke::sign(w, &record, quote)).await?;
        let mut db = self.db().await?;
        let db = &mut *db;
        // Stored before it leaves, within the hourly fee bound, like a speed-up or a cancellation.
        replace::store(db, &signed)?;
        let notice = match payment::send(&client, db, signed, tracking).await {
            Ok(_) => None,
            Err(e @ (Error::RpcUnavailable { .. } | Error::BadRpcResponse { .. } | Error::Rejected { .. })) => {
                Some(Notice::from(&e))
            }
            Err(e) => return Err(e),
        };
        let record = gasless::check(&client, db, &quote.payment).await?;
        let tokens = token::known_tokens(db, client.network.chain_id)?;
        let (symbol, decimals) = asset_of(&client.network, &tokens, Some(record.token));
        Ok(Receipt::new(record.into(), &client.network, symbol, decimals, notice))
    }
}
