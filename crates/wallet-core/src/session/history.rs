//! The history: sent and received, brought up to date from the chain (reading only).

use super::*;

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

/// One line of the history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryItem {
    /// Which way.
    pub direction: Direction,
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
    /// The payment, for a sent item paid on chain.
    pub payment: Option<PaymentRecord>,
    /// The authorization, for a sent item paid gasless (a shop's x402 checkout).
    pub authorization: Option<AuthorizationRecord>,
    /// The transfer, for a received item.
    pub received: Option<Received>,
    /// Why a received transfer is suspect (its sender imitates a known address, or it moved nothing).
    pub suspicion: Option<payee::Suspicion>,
    /// Hidden unless the person asks: zero-value transfers, and dust from imitating addresses.
    pub hidden: bool,
}

impl HistoryItem {
    /// Its block, once mined.
    pub fn block_number(&self) -> Option<u64> {
        match (&self.payment, &self.authorization, &self.received) {
            (Some(p), _, _) => p.block_number,
            (_, Some(a), _) => a.block_number,
            (_, _, r) => r.as_ref().map(|r| r.block_number),
        }
    }

    /// When it happened (Unix seconds): when a payment was signed; a received transfer's block time
    /// (unknown: its place by block only).
    pub fn time(&self) -> u64 {
        match (&self.payment, &self.authorization, &self.received) {
            (Some(p), _, _) => p.created_at,
            (_, Some(a), _) => a.created_at,
            (_, _, r) => r.as_ref().and_then(|r| r.block_time).unwrap_or(0),
        }
    }

    /// Whether money moved, by the chain's word: a received transfer, a payment confirmed, or one
    /// not confirmed whose payee the token says received something. Only these are shown as a debit
    /// or a credit: an outstanding payment has moved nothing so far, and one that failed, expired,
    /// was replaced or cancelled moved nothing at all.
    pub fn moved(&self) -> bool {
        self.received.is_some() || money_moved(self.payment.as_ref(), self.authorization.as_ref())
    }

    /// Until when a signed payment the chain has not decided could still move money, when that is
    /// known: a gasless authorization's `validBefore` (the chain's clock, Unix seconds).
    pub fn valid_until(&self) -> Option<u64> {
        open_until(self.authorization.as_ref())
    }

    /// Its status: a payment's, and `confirmed` for a received transfer.
    pub fn status(&self) -> PaymentStatus {
        match (&self.payment, &self.authorization) {
            (Some(p), _) => p.status,
            (_, Some(a)) => a.status,
            _ => PaymentStatus::Confirmed,
        }
    }
}

/// Whether the payment or authorization moved money by the chain's word (see [`HistoryItem::moved`]).
pub(super) fn money_moved(payment: Option<&PaymentRecord>, authorization: Option<&AuthorizationRecord>) -> bool {
    let (status, received) = match (payment, authorization) {
        (Some(p), _) => (p.status, p.received),
        (_, Some(a)) => (a.status, a.received),
        _ => return false,
    };
    status == PaymentStatus::Confirmed
        || (status == PaymentStatus::Unconfirmed && received.is_some_and(|r| !r.is_zero()))
}

/// Until when an authorization the chain has not decided stays valid (see [`HistoryItem::valid_until`]).
pub(super) fn open_until(authorization: Option<&AuthorizationRecord>) -> Option<u64> {
    authorization.filter(|a| a.status.is_unfinished()).map(|a| a.valid_before)
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
                catch_up(&client, db, &addresses, &token_addresses).await.map(|e| Notice::from(&e))
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
            for p in replace::collapse(payments) {
                let (symbol, decimals) = asset(p.token);
                items.push(HistoryItem {
                    direction: Direction::Sent,
                    account_index: account.index,
                    amount_display: format_amount(p.amount, decimals),
                    symbol,
                    decimals,
                    explorer: network.explorer_tx_url(&p.tx_hash),
                    payment: Some(p),
                    authorization: None,
                    received: None,
                    suspicion: None,
                    hidden: false,
                });
            }
            for a in db.authorizations(network.chain_id, account.address)? {
                let (symbol, decimals) = asset(Some(a.token));
                items.push(HistoryItem {
                    direction: Direction::Sent,
                    account_index: account.index,
                    amount_display: format_amount(a.amount, decimals),
                    symbol,
                    decimals,
                    explorer: a.tx_hash.and_then(|h| network.explorer_tx_url(&h)),
                    payment: None,
                    authorization: Some(a),
                    received: None,
                    suspicion: None,
                    hidden: false,
                });
            }
            for r in db.received(network.chain_id, account.address)? {
                let (symbol, decimals) = asset(r.token);
                items.push(HistoryItem {
                    direction: Direction::Received,
                    account_index: account.index,
                    amount_display: format_amount(r.amount, decimals),
                    symbol,
                    decimals,
                    explorer: network.explorer_tx_url(&r.tx_hash),
                    payment: None,
                    authorization: None,
                    suspicion: who.suspicion(&r),
                    hidden: who.hides(&r, decimals),
                    received: Some(r),
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
    if let Err(e) = scan_received(client, db, accounts, tokens, options).await {
        notice = Some(e);
    }
    notice
}
