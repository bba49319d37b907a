//! A token's own screen: its overview, what Permit2 may move of it now, the shopper's own approval of
//! Permit2 for it (what a shop paid through Permit2 needs first, when it does not send that approval
//! itself) and its revocation.

use super::*;
use crate::pay::approve::{self, Allowance, ApprovalQuote};

impl Session {
    /// The listed token `token` of this network (an approval is offered for those only).
    async fn listed_token(&self, token: Address) -> Result<Token> {
        self.tokens()
            .await?
            .into_iter()
            .find(|t| t.address == token)
            .ok_or(Error::Blocked(Blocker::UnknownToken { address: token }))
    }

    /// The overview of the listed token `token` ([`crate::chain::overview`]): what its contract says of
    /// itself, read from the chain in one batch, checked against what the wallet lists.
    pub async fn token_overview(&self, token: Address) -> Result<crate::chain::overview::TokenOverview> {
        let token = self.listed_token(token).await?;
        let client = self.reachable_client().await?;
        let permit2 = crate::pay::permit2::domain(client.network.chain_id).separator();
        crate::chain::overview::read(&client, &token, (crate::pay::permit2::PERMIT2, permit2)).await
    }

    /// What `token`'s own `Transfer` logs say ([`crate::chain::holders`]): how many hold it, the largest
    /// holders, the first mint, checked against its supply. Replayed by the wallet from where the last
    /// look stopped, at most [`crate::chain::holders::RANGES_PER_LOOK`] ranges a look (a large token catches up over
    /// several looks, shown "as of block N").
    ///
    /// The database is held only to read where the replay stands and to store each range, never
    /// while the node is asked; a look stops after [`crate::chain::holders::LOOK_BUDGET`] too.
    pub async fn token_holders(&self, token: Address) -> Result<crate::chain::holders::Holders> {
        use crate::chain::holders;
        use crate::store::HolderScan;
        let token = self.listed_token(token).await?;
        let client = self.reachable_client().await?;
        let chain_id = client.network.chain_id;
        let deep = holders::deep_head(&client).await?;
        let stored = self.db().await?.holder_scan(chain_id, token.address)?;
        let mut scan = match stored {
            Some(scan) => scan,
            None => HolderScan {
                next_block: holders::deployment_block(&client, token.address, deep).await,
                ..HolderScan::default()
            },
        };
        let started = std::time::Instant::now();
        let mut ranges = 0;
        while scan.next_block <= deep && ranges < holders::RANGES_PER_LOOK && started.elapsed() < holders::LOOK_BUDGET {
            let to = deep.min(scan.next_block.saturating_add(holders::HOLDER_RANGE - 1));
            let range =
                holders::fetch_range(&client, token.address, scan.next_block, to, scan.first_mint.is_none()).await?;
            let db = self.db().await?;
            // Another look may have stored this range meanwhile: continue from what is stored.
            if let Some(now) = db.holder_scan(chain_id, token.address)?
                && now.next_block != scan.next_block
            {
                scan = now;
                continue;
            }
            holders::store_range(&db, chain_id, token.address, &mut scan, &range)?;
            ranges += 1;
        }
        let stored = holders::stored(&*self.db().await?, chain_id, &token)?;
        let supply = holders::supply_at(&client, token.address, stored.0.next_block.saturating_sub(1)).await;
        Ok(holders::summary(&token, stored, supply, deep))
    }

    /// What Permit2 may move of `token` from account `index` now (the token's screen shows it, and
    /// offers to revoke it). Read from the chain.
    pub async fn permit2_allowance(&self, index: u32, token: Address) -> Result<Allowance> {
        let from = self.account(index).await?.address;
        let token = self.listed_token(token).await?;
        let client = self.reachable_client().await?;
        let amount = crate::pay::permit2::allowance(&client, token.address, from).await?;
        Ok(Allowance::of(&token, amount))
    }

    /// The sheet for letting Permit2 move up to `amount` of `token` (a decimal in the token's units,
    /// as the person typed or chose it: this payment's amount by default; `0` revokes) from account
    /// `index`: the allowance it sets and its network fee at most, kept by its id until confirmed with
    /// [`Session::approve`]. It needs the native currency for its fee
    /// ([`Error::Blocked(Blocker::NeedsNativeForFee)`] otherwise).
    pub async fn approval(&self, index: u32, token: Address, amount: &str) -> Result<ApprovalQuote> {
        let from = self.account(index).await?.address;
        let token = self.listed_token(token).await?;
        let decimals = token.decimals;
        let amount = token::parse_amount(amount, decimals).ok_or(Error::InvalidAmount { decimals })?;
        let client = self.reachable_client().await?;
        let own = {
            let db = self.db().await?;
            db.payments(client.network.chain_id, from)?
        };
        // No lock while the node is asked.
        let quote = approve::quote(&client, from, &token, amount, &own).await?;
        self.keep(Kept::Approval(Box::new(quote.clone())), quote.id());
        Ok(quote)
    }

    /// Signs exactly the approval `quote_id` that was shown (its `digest` passed back), stores it,
    /// sends it and follows it until the chain decides or `tracking` times out. Used once. A node's
    /// refusal or silence leaves it stored and outstanding, like any payment (the receipt's notice
    /// says so; it is sent again with the same bytes).
    pub async fn approve(&self, quote_id: &str, digest: &str, tracking: Tracking) -> Result<Receipt> {
        let kept = lock(&self.quotes).remove(quote_id).ok_or(Error::UnknownQuote)?;
        let Kept::Approval(quote) = kept else { return Err(Error::QuoteMismatch) };
        if quote.digest().to_string() != digest.trim().to_ascii_lowercase() {
            return Err(Error::QuoteMismatch);
        }
        let client = self.client_on(quote.transaction.chain_id).await?;
        let signed = self.with_unlocked(|w| approve::sign(w, &quote)).await?;
        self.send_own(&client, signed, tracking, quote.sets.symbol.clone(), quote.sets.decimals).await
    }

    /// Stores a transaction of the shopper's own that is no payment to a shop (an approval, an NFT
    /// sent), sends it and follows it until the chain decides or `tracking` times out. A node's refusal
    /// or silence leaves it stored and outstanding, like any payment (the receipt's notice says so).
    pub(super) async fn send_own(
        &self,
        client: &ChainClient,
        signed: PaymentRecord,
        tracking: Tracking,
        symbol: String,
        decimals: u8,
    ) -> Result<Receipt> {
        let mut db = self.db().await?;
        let db = &mut *db;
        // Stored before it leaves, within the hourly fee bound, like a speed-up or a cancellation.
        replace::store(db, &signed)?;
        let notice = match payment::send(client, db, signed.clone(), tracking).await {
            Ok(_) => None,
            Err(e @ (Error::RpcUnavailable { .. } | Error::BadRpcResponse { .. } | Error::Rejected { .. })) => {
                Some(Notice::from(&e))
            }
            Err(e) => return Err(e),
        };
        let record = db.payment(&signed.tx_hash)?.ok_or(Error::UnknownPayment { tx_hash: signed.tx_hash })?;
        Ok(Receipt::new(record.into(), &client.network, symbol, decimals, notice))
    }
}
