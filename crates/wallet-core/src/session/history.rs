//! The history: sent and received, brought up to date from the chain (reading only).

use super::*;
use crate::chain::privacy::Privacy;

/// Which way a history item went.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A payment this wallet made.
    Sent,
    /// A transfer one of its accounts received.
    Received,
}

/// What a history line is: a payment this wallet made (by its kind), or a transfer it received.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "direction", rename_all = "snake_case")]
pub enum Entry {
    /// A payment this wallet made.
    Sent(Paid),
    /// A transfer one of its accounts received, and what the wallet makes of it.
    Received {
        /// The transfer.
        transfer: Received,
        /// Why it is suspect (its sender imitates a known address, or it moved nothing).
        suspicion: Option<payee::Suspicion>,
        /// Hidden unless the person asks: zero-value transfers, and dust from imitating addresses.
        hidden: bool,
    },
}

/// One line of the history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryItem {
    /// What it is.
    pub entry: Entry,
    /// The account it belongs to.
    pub account_index: u32,
    /// Symbol of the asset (the contract, checksummed, for a token the wallet does not list).
    pub symbol: String,
    /// Its decimals (0 for an unlisted token: the amount is then shown in base units).
    pub decimals: u8,
    /// Exact display amount.
    pub amount_display: String,
    /// Explorer link, where the network has one.
    pub explorer: Option<String>,
}

impl HistoryItem {
    /// Which way it went.
    pub fn direction(&self) -> Direction {
        match self.entry {
            Entry::Sent(_) => Direction::Sent,
            Entry::Received { .. } => Direction::Received,
        }
    }

    /// What was paid, for a sent item.
    pub fn paid(&self) -> Option<&Paid> {
        match &self.entry {
            Entry::Sent(paid) => Some(paid),
            Entry::Received { .. } => None,
        }
    }

    /// The payment, for a sent item paid on chain.
    pub fn payment(&self) -> Option<&PaymentRecord> {
        match self.paid() {
            Some(Paid::OnChain(p)) => Some(p),
            _ => None,
        }
    }

    /// The authorization, for a sent item paid gasless (a shop's x402 checkout).
    pub fn authorization(&self) -> Option<&AuthorizationRecord> {
        match self.paid() {
            Some(Paid::Gasless(a)) => Some(a),
            _ => None,
        }
    }

    /// The transfer, for a received item.
    pub fn received(&self) -> Option<&Received> {
        match &self.entry {
            Entry::Received { transfer, .. } => Some(transfer),
            Entry::Sent(_) => None,
        }
    }

    /// Why a received transfer is suspect.
    pub fn suspicion(&self) -> Option<&payee::Suspicion> {
        match &self.entry {
            Entry::Received { suspicion, .. } => suspicion.as_ref(),
            Entry::Sent(_) => None,
        }
    }

    /// Hidden unless the person asks (zero-value transfers, dust from imitating addresses).
    pub fn hidden(&self) -> bool {
        matches!(self.entry, Entry::Received { hidden: true, .. })
    }

    /// The token it moved (or an approval was for), or `None` for the network's own currency.
    pub fn token(&self) -> Option<Address> {
        match &self.entry {
            Entry::Sent(paid) => paid.token(),
            Entry::Received { transfer, .. } => transfer.token,
        }
    }

    /// Its block, once mined.
    pub fn block_number(&self) -> Option<u64> {
        match &self.entry {
            Entry::Sent(paid) => paid.block_number(),
            Entry::Received { transfer, .. } => Some(transfer.block_number),
        }
    }

    /// When it happened (Unix seconds): when a payment was signed; a received transfer's block time
    /// (unknown: its place by block only).
    pub fn time(&self) -> u64 {
        match &self.entry {
            Entry::Sent(paid) => paid.created_at(),
            Entry::Received { transfer, .. } => transfer.block_time.unwrap_or(0),
        }
    }

    /// Whether money moved, by the chain's word: a received transfer, or a payment that moved
    /// money ([`Paid::moved`]). Only these are shown as a debit or a credit.
    pub fn moved(&self) -> bool {
        self.paid().is_none_or(Paid::moved)
    }

    /// Until when a signed payment the chain has not decided could still move money, when that is
    /// known ([`Paid::valid_until`]).
    pub fn valid_until(&self) -> Option<u64> {
        self.paid().and_then(Paid::valid_until)
    }

    /// Its status: a payment's, and `confirmed` for a received transfer.
    pub fn status(&self) -> PaymentStatus {
        self.paid().map_or(PaymentStatus::Confirmed, Paid::status)
    }
}

/// The history of some accounts, newest first.
#[derive(Debug, Clone)]
pub struct History {
    /// The network.
    pub network: Network,
    /// Items, newest first whatever their state.
    pub items: Vec<HistoryItem>,
    /// Why it may be incomplete (offline, a bad answer).
    pub notice: Option<Notice>,
}

impl Session {
    // ----- history -----

    /// The history of account `index` (all with `None`), brought up to date with the network when
    /// it answers: unfinished payments are checked against the chain (reading only: **nothing is
    /// ever sent** by looking at the history) and received transfers are scanned for.
    pub async fn history(&self, index: Option<u32>) -> Result<History> {
        let accounts = self.accounts_named(index).await?;
        let own = self.own_addresses().await?;
        let network = self.network().await?;
        let client = self.client().await;
        let mut db = self.db().await?;
        let db = &mut *db;
        let tokens = token::known_tokens(db, network.chain_id)?;
        let notice = match client {
            Ok(client) => {
                let addresses: Vec<_> = accounts.iter().map(|a| a.address).collect();
                let token_addresses: Vec<_> = tokens.iter().map(|t| t.address).collect();
                let privacy = self.privacy()?;
                catch_up_with(&client, db, &addresses, &token_addresses, privacy).await.map(|e| Notice::from(&e))
            }
            Err(e @ Error::ChainIdMismatch { .. }) => return Err(e),
            Err(e) => {
                self.drop_client().await;
                Some(Notice::from(&e))
            }
        };
        let asset = |t: Option<Address>| asset_of(&network, &tokens, t);
        let who = counterparties(db, &network, &tokens, &own)?;
        let mut items = Vec::new();
        for account in &accounts {
            // A payment and its speed-ups or cancellation are one payment: one line.
            // A revocation of a gasless authorization shows through that authorization only.
            let payments = db.payments(network.chain_id, account.address)?;
            let payments = payments.into_iter().filter(|p| p.kind != PaymentKind::CancelAuthorization).collect();
            let paid = replace::collapse(payments).into_iter().map(Paid::from);
            let authorized = db.authorizations(network.chain_id, account.address)?.into_iter().map(Paid::from);
            for paid in paid.chain(authorized) {
                // An NFT sent is shown by its collection and id (read back from its own bytes).
                let nft = match &paid {
                    Paid::OnChain(p) => crate::pay::nft_call::call_of(p),
                    Paid::Gasless(_) => None,
                };
                let (symbol, decimals) = match nft {
                    Some((_, item)) => {
                        let collection = db.nft_collection(network.chain_id, item.contract)?.and_then(|c| c.name);
                        (
                            format!(
                                "{} #{}",
                                collection.unwrap_or_else(|| item.contract.to_checksum(None)),
                                item.token_id
                            ),
                            0,
                        )
                    }
                    None => asset(paid.token()),
                };
                items.push(HistoryItem {
                    account_index: account.index,
                    amount_display: format_amount(paid.amount(), decimals),
                    symbol,
                    decimals,
                    explorer: paid.tx_hash().and_then(|h| network.explorer_tx_url(&h)),
                    entry: Entry::Sent(paid),
                });
            }
            for r in db.received(network.chain_id, account.address)? {
                let (symbol, decimals) = asset(r.token);
                items.push(HistoryItem {
                    account_index: account.index,
                    amount_display: format_amount(r.amount, decimals),
                    symbol,
                    decimals,
                    explorer: network.explorer_tx_url(&r.tx_hash),
                    entry: Entry::Received {
                        suspicion: who.suspicion(&r),
                        hidden: who.hides(&r, decimals),
                        transfer: r,
                    },
                });
            }
        }
        // Newest first, whatever the state: by when it was signed or received (then by block).
        items.sort_by_key(|i| std::cmp::Reverse((i.time(), i.block_number().unwrap_or(u64::MAX))));
        Ok(History { network, items, notice })
    }
}

/// Brings the stored history up to date: checks unfinished payments against the chain (reading only:
/// **nothing is ever sent** as a side effect of looking at the history), then scans for transfers
/// received. Returns why part of it failed (offline, a bad answer), in which case what is stored
/// stays as it was.
pub async fn catch_up(client: &ChainClient, db: &mut Db, accounts: &[Address], tokens: &[Address]) -> Option<Error> {
    catch_up_with(client, db, accounts, tokens, Privacy::default()).await
}

/// [`catch_up`], the received transfers of each group of accounts `privacy` reads together scanned in
/// requests of their own.
pub async fn catch_up_with(
    client: &ChainClient,
    db: &mut Db,
    accounts: &[Address],
    tokens: &[Address],
    privacy: Privacy,
) -> Option<Error> {
    // One look at each outstanding payment, no waiting; "replaced" still needs to have held for
    // the full [`payment::REPLACED_AFTER`] across refreshes.
    let quick = Tracking {
        poll: Duration::from_millis(200),
        timeout: Duration::ZERO,
        replaced_after: payment::REPLACED_AFTER,
        retry_for: Duration::ZERO,
    };
    let mut notice = None;
    if let Err(e) = payment::refresh(client, db, quick).await {
        notice = Some(e);
    }
    if let Err(e) = gasless::refresh(client, db).await {
        notice = Some(e);
    }
    let options = ScanOptions::for_chain(client.network.chain_id);
    for (n, group) in privacy.groups(accounts).into_iter().enumerate() {
        if n > 0 {
            privacy.pause().await;
        }
        if let Err(e) = scan_received(client, db, &group, tokens, options).await {
            notice = Some(e);
        }
    }
    notice
}
