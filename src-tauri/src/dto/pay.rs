//! Paying, as the UI shows it: the sheet, the receipt and the history, each mapped from the core's
//! types here and only here. The kinds of payment are unions (`kind`, `direction`): a new kind is one
//! more variant of [`PaidBy`] and [`SentVia`], and TypeScript then asks every screen to show it.

use serde::Serialize;
use specta::Type;
use wallet_core::chain::token::format_amount;
use wallet_core::pay::offer::{Actions, Offer, Paid};
use wallet_core::pay::payee::{PayeeFacts, Suspicion};
use wallet_core::pay::verdict::{Blocker, RequestSummary, Sheet};
use wallet_core::pay::warning::Warning;
use wallet_core::session::Entry;
use wallet_core::store::{PaymentKind, PaymentStatus, Token, TransferMethod};

use crate::error::CommandError;

/// What is paid: the network's own currency, or a token.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AssetView {
    /// The network's own currency (ETH, POL, …).
    Native {
        /// Its symbol.
        symbol: String,
        /// Its decimals.
        decimals: u8,
    },
    /// An ERC-20 token.
    Token {
        /// The contract (EIP-55).
        address: String,
        /// Its symbol, as its contract gives it (sanitised).
        symbol: String,
        /// Its name, as its contract gives it (sanitised).
        name: String,
        /// Its decimals.
        decimals: u8,
        /// Listed by Tender's network data; else added by the person, and shown as unverified
        /// wherever it appears (the sheet too).
        verified: bool,
    },
}

impl AssetView {
    fn of(token: Option<&Token>, symbol: &str, native_decimals: u8) -> Self {
        match token {
            None => AssetView::Native { symbol: symbol.to_owned(), decimals: native_decimals },
            Some(t) => AssetView::Token {
                address: t.address.to_checksum(None),
                symbol: symbol.to_owned(),
                name: t.name.clone(),
                decimals: t.decimals,
                verified: t.verified,
            },
        }
    }
}

/// How an offer is paid, with what only that kind has.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PaidBy {
    /// A transaction from this account: it pays the network fee, in the network's own currency.
    OnChain {
        /// Highest possible network fee, exact, in the native currency.
        max_fee_display: String,
        /// The native currency's symbol.
        native_symbol: String,
        /// Everything leaving the account at most (amount plus fee), when both are in the native
        /// currency; `null` for a token payment (two currencies have no total).
        max_total_native_display: Option<String>,
    },
    /// A shop's gasless checkout: an authorization the shop settles, paying the network fee.
    Gasless {
        /// The shop's domain, from its link (who asks).
        domain: String,
        /// How the token moves; `upto`: the amount is the most the shop may charge.
        method: TransferMethod,
        /// Permit2's one-time approval goes with this payment, sponsored by the shop (for this
        /// payment's amount only).
        sponsored_approval: bool,
        /// The shop signed this offer, and it holds (checked before anything is signed).
        offer_signed: bool,
    },
}

/// Exactly what will be signed.
#[derive(Debug, Clone, Serialize, Type)]
pub struct QuoteView {
    /// The quote's id: `payment_pay` pays this quote and no other.
    pub id: String,
    /// The digest of every signed field, checked again at pay time.
    pub digest: String,
    /// Until when it may be paid (Unix seconds); after that, review again.
    pub expires_at: u64,
    /// The paying account.
    pub from: String,
    /// Who is paid (EIP-55).
    pub payee: String,
    /// The ENS name it came from.
    pub payee_name: Option<String>,
    /// What is paid.
    pub asset: AssetView,
    /// Base units.
    pub amount: String,
    /// Exact display amount.
    pub amount_display: String,
    /// Network name.
    pub network: String,
    /// Network key (`devnet`, `ethereum`, …; `chain-N` for another chain): the UI names some itself.
    pub network_key: String,
    /// How it is paid, and who pays the network fee.
    pub paid_by: PaidBy,
}

/// The key the network data gives chain `chain_id` (`chain-N` when it has none).
fn network_key(chain_id: u64) -> String {
    wallet_core::chain::network::network_data(chain_id).map_or_else(|| format!("chain-{chain_id}"), |n| n.key.clone())
}

impl From<&Offer> for QuoteView {
    fn from(offer: &Offer) -> Self {
        let (network, payee_name, paid_by, native_decimals) = match offer {
            Offer::OnChain(q) => {
                // The native currency's decimals, from the network's own data (18 where it has none).
                let native_decimals =
                    wallet_core::chain::network::network_data(q.chain_id).map_or(18, |n| n.native.decimals);
                let paid_by = PaidBy::OnChain {
                    max_fee_display: q.max_network_fee_display.clone(),
                    native_symbol: q.native_symbol.clone(),
                    max_total_native_display: q
                        .token
                        .is_none()
                        .then(|| format_amount(q.max_total_native, native_decimals)),
                };
                (q.network.clone(), q.payee_name.clone(), paid_by, native_decimals)
            }
            Offer::Gasless(q) => {
                let paid_by = PaidBy::Gasless {
                    domain: q.domain.clone(),
                    method: q.method,
                    sponsored_approval: q.sponsored_approval.is_some(),
                    offer_signed: q.offer.is_some(),
                };
                (q.network.clone(), None, paid_by, 18)
            }
        };
        QuoteView {
            id: offer.id().to_owned(),
            digest: offer.digest().to_string(),
            expires_at: offer.expires_at(),
            from: offer.from().to_checksum(None),
            payee: offer.payee().to_checksum(None),
            payee_name,
            asset: AssetView::of(offer.token(), offer.symbol(), native_decimals),
            amount: offer.amount().to_string(),
            amount_display: offer.amount_display().to_owned(),
            network,
            network_key: network_key(offer.chain_id()),
            paid_by,
        }
    }
}

/// A warning to read before confirming, and whether paying needs it ticked.
#[derive(Debug, Clone, Serialize, Type)]
pub struct WarningView {
    /// The warning, with its data (the UI words it).
    pub warning: Warning,
    /// Paying needs an explicit tick for it (a probable duplicate, a lookalike payee).
    pub needs_ack: bool,
}

/// The confirmation sheet.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PaySheet {
    /// The request as parsed, shown even when it cannot be paid (the merchant's words sanitised).
    pub request: RequestSummary,
    /// The quote, when the request can be paid from this account.
    pub quote: Option<QuoteView>,
    /// Warnings to read before confirming, each with its data and whether it needs a tick.
    pub warnings: Vec<WarningView>,
    /// Why it cannot be paid (chain mismatch, expired, insufficient funds, …): the pay button
    /// stays off while there is one.
    pub blockers: Vec<Blocker>,
    /// Whether the pay button may be on, once every warning that needs a tick has one.
    pub payable: bool,
    /// What this wallet knows of the payee: paid before, or a first payment.
    pub payee: Option<PayeeFacts>,
}

impl From<Sheet> for PaySheet {
    fn from(sheet: Sheet) -> Self {
        PaySheet {
            payable: sheet.payable(),
            quote: sheet.offer.as_ref().map(QuoteView::from),
            request: sheet.request,
            warnings: sheet
                .warnings
                .into_iter()
                .map(|w| WarningView { needs_ack: w.needs_ack(), warning: w })
                .collect(),
            blockers: sheet.blockers,
            payee: sheet.payee,
        }
    }
}

/// How a sent payment was paid, with what only that kind has.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SentVia {
    /// A transaction from this account.
    OnChain {
        /// Which of the payment's transactions this is about: the payment, its speed-up or its
        /// cancellation (the one that decided it, or the newest under way).
        step: PaymentKind,
        /// The name the request gave itself (its `label`: a claim, sanitised).
        merchant: Option<String>,
        /// The merchant's order reference.
        order: Option<String>,
    },
    /// The shopper's own approval of Permit2 (or its revocation): no money moved, only its network
    /// fee; the amount shown is the allowance it set.
    Approval {
        /// Who may move the token (EIP-55): the canonical Permit2.
        spender: String,
    },
    /// An NFT sent to someone (no money moved, only its network fee; the amount shown is how many).
    NftTransfer {
        /// The collection's contract (EIP-55).
        contract: String,
        /// The token id, in decimal.
        token_id: String,
    },
    /// A shop's gasless checkout (the shop pays the network fee).
    Gasless {
        /// The shop's domain: who was paid.
        domain: String,
        /// The token's contract (EIP-55): what an approval of Permit2 is for.
        token: String,
        /// What the shop said the purchase was (its words, sanitised).
        description: Option<String>,
        /// Until when the authorization could still move money while the chain has not decided it
        /// (its `validBefore`, on the chain's clock; Unix seconds).
        valid_until: Option<u64>,
        /// How the token moved.
        method: TransferMethod,
        /// `upto`: the most the shopper authorized, exact, in the token's units (the amount shown is
        /// what the chain says was charged, once decided).
        authorized_display: Option<String>,
        /// The shop signed the offer that was paid.
        offer_signed: bool,
        /// The shop's signed receipt is kept (checked): `payment_proof` exports it.
        receipt_signed: bool,
    },
}

impl SentVia {
    /// How `paid` was sent, its amounts in a token of `decimals`.
    fn of(paid: &Paid, decimals: u8) -> Self {
        match paid {
            Paid::OnChain(p) if p.kind == PaymentKind::Approval => {
                SentVia::Approval { spender: p.payee.to_checksum(None) }
            }
            Paid::OnChain(p) if p.kind == PaymentKind::NftTransfer => match wallet_core::pay::nft_call::call_of(p) {
                Some((_, item)) => SentVia::NftTransfer {
                    contract: item.contract.to_checksum(None),
                    token_id: item.token_id.to_string(),
                },
                // A cancelled transfer's deciding bytes send nothing: the collection only.
                None => SentVia::NftTransfer {
                    contract: p.token.map(|t| t.to_checksum(None)).unwrap_or_default(),
                    token_id: String::new(),
                },
            },
            Paid::OnChain(p) => SentVia::OnChain {
                step: p.kind,
                merchant: wallet_core::pay::request::parse(&p.request_uri)
                    .ok()
                    .and_then(|r| RequestSummary::of(&r).merchant),
                order: p.order.clone(),
            },
            Paid::Gasless(a) => SentVia::Gasless {
                domain: a.domain.clone(),
                token: a.token.to_checksum(None),
                description: a.description.clone(),
                valid_until: paid.valid_until(),
                method: a.method,
                authorized_display: (a.method == TransferMethod::Upto).then(|| format_amount(a.amount, decimals)),
                offer_signed: a.offer.is_some(),
                receipt_signed: a.receipt.is_some(),
            },
        }
    }
}

/// Only the node's or the shop's own words (a refusal) are passed on; the UI words every status.
fn their_words(paid: &Paid) -> Option<String> {
    paid.error().filter(|_| paid.status() == PaymentStatus::Rejected).map(str::to_owned)
}

/// A payment's outcome.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Receipt {
    /// Where it stands.
    pub status: PaymentStatus,
    /// What `payment_resend`, `payment_replacement` take: the transaction hash, or a gasless
    /// payment's authorization nonce.
    pub id: String,
    /// Who is paid (EIP-55).
    pub counterparty: String,
    /// The token's contract (EIP-55), or `null` for the network's own currency.
    pub token: Option<String>,
    /// When it was signed (Unix seconds).
    pub time: u64,
    /// Transaction hash (a gasless payment's once the shop settled it).
    pub tx_hash: Option<String>,
    /// Explorer link, where the network has one.
    pub explorer: Option<String>,
    /// What went wrong, in the network's or the shop's words (sanitised).
    pub error: Option<String>,
    /// Why it is not settled yet (the network or the shop could not be reached, or refused).
    pub notice: Option<CommandError>,
    /// Amount and symbol, for the receipt.
    pub amount_display: String,
    /// Symbol.
    pub symbol: String,
    /// Block it was mined in.
    pub block_number: Option<u64>,
    /// Whether money moved, by the chain's word (only then is it shown as spent).
    pub moved: bool,
    /// How it was paid.
    pub via: SentVia,
    /// What the person may do with it now (the core decides).
    pub actions: Actions,
}

impl From<wallet_core::session::Receipt> for Receipt {
    fn from(r: wallet_core::session::Receipt) -> Self {
        Receipt {
            status: r.status,
            id: r.paid.id().to_string(),
            counterparty: r.paid.payee().to_checksum(None),
            token: r.paid.token().map(|t| t.to_checksum(None)),
            time: r.paid.created_at(),
            tx_hash: r.tx_hash.map(|h| h.to_string()),
            explorer: r.explorer,
            error: their_words(&r.paid),
            notice: r.notice.as_ref().map(CommandError::from),
            amount_display: r.amount_display,
            symbol: r.symbol,
            block_number: r.block_number,
            moved: r.paid.moved(),
            via: SentVia::of(&r.paid, r.decimals),
            actions: r.paid.actions(),
        }
    }
}

/// What speeding up or cancelling a stuck payment will sign: its new network fee at most. Confirmed
/// with `payment_replace` by `id` and `digest`, once.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ReplacementView {
    /// The quote's id.
    pub id: String,
    /// Its digest (passed back to confirm exactly this).
    pub digest: String,
    /// A speed-up or a cancellation.
    pub kind: PaymentKind,
    /// The most the new network fee can be, exact, in the native currency.
    pub max_fee_display: String,
    /// The most it could be before.
    pub previous_max_fee_display: String,
    /// The native currency's symbol.
    pub native_symbol: String,
    /// Until when it may be confirmed (Unix seconds).
    pub expires_at: u64,
}

impl From<wallet_core::pay::replace::ReplacementQuote> for ReplacementView {
    fn from(q: wallet_core::pay::replace::ReplacementQuote) -> Self {
        ReplacementView {
            id: q.id,
            digest: q.digest.to_string(),
            kind: q.kind,
            max_fee_display: q.max_network_fee_display,
            previous_max_fee_display: q.previous_max_network_fee_display,
            native_symbol: q.native_symbol,
            expires_at: q.expires_at,
        }
    }
}

/// What letting Permit2 move a token (or revoking it) will sign: the allowance it sets and its network
/// fee at most. Confirmed with `approval_confirm` by `id` and `digest`, once.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ApprovalView {
    /// The quote's id.
    pub id: String,
    /// Its digest (passed back to confirm exactly this).
    pub digest: String,
    /// The token's symbol.
    pub symbol: String,
    /// Who may move it: the canonical Permit2 (EIP-55).
    pub spender: String,
    /// The allowance it sets, exact, in the token's units (`0`: revoked).
    pub amount_display: String,
    /// The allowance now.
    pub current_display: String,
    /// It revokes the approval.
    pub revokes: bool,
    /// The most its network fee can be, exact, in the native currency.
    pub max_fee_display: String,
    /// The native currency's symbol.
    pub native_symbol: String,
    /// Until when it may be confirmed (Unix seconds).
    pub expires_at: u64,
}

impl From<wallet_core::pay::approve::ApprovalQuote> for ApprovalView {
    fn from(q: wallet_core::pay::approve::ApprovalQuote) -> Self {
        ApprovalView {
            id: q.id().to_owned(),
            digest: q.digest().to_string(),
            revokes: q.revokes(),
            symbol: q.sets.symbol,
            spender: q.sets.spender.to_checksum(None),
            amount_display: q.sets.display,
            current_display: q.current_display,
            max_fee_display: q.transaction.max_network_fee_display,
            native_symbol: q.transaction.native_symbol,
            expires_at: q.transaction.expires_at,
        }
    }
}

/// What sending an NFT will sign: the item, the recipient, its network fee at most. Confirmed with
/// `nft_send_confirm` by `id` and `digest`, once.
#[derive(Debug, Clone, Serialize, Type)]
pub struct NftSendView {
    /// The quote's id.
    pub id: String,
    /// Its digest (passed back to confirm exactly this).
    pub digest: String,
    /// The collection's contract (EIP-55).
    pub contract: String,
    /// The token id, in decimal.
    pub token_id: String,
    /// How many are sent.
    pub amount: String,
    /// The recipient (EIP-55).
    pub to: String,
    /// The most its network fee can be, exact, in the native currency.
    pub max_fee_display: String,
    /// The native currency's symbol.
    pub native_symbol: String,
    /// Until when it may be confirmed (Unix seconds).
    pub expires_at: u64,
}

impl From<wallet_core::pay::nft_send::NftTransferQuote> for NftSendView {
    fn from(q: wallet_core::pay::nft_send::NftTransferQuote) -> Self {
        NftSendView {
            id: q.id().to_owned(),
            digest: q.digest().to_string(),
            contract: q.item.contract.to_checksum(None),
            token_id: q.item.token_id.to_string(),
            amount: q.item.amount.to_string(),
            to: q.to.to_checksum(None),
            max_fee_display: q.transaction.max_network_fee_display,
            native_symbol: q.transaction.native_symbol,
            expires_at: q.transaction.expires_at,
        }
    }
}

/// A token hidden from the balances.
#[derive(Debug, Clone, Serialize, Type)]
pub struct HiddenToken {
    /// Its contract (EIP-55).
    pub token: String,
    /// Its symbol.
    pub symbol: String,
    /// Its name.
    pub name: String,
}

impl From<Token> for HiddenToken {
    fn from(t: Token) -> Self {
        HiddenToken { token: t.address.to_checksum(None), symbol: t.symbol, name: t.name }
    }
}

/// What Permit2 may move of a token from an account, by the token's word now.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AllowanceView {
    /// The token (EIP-55).
    pub token: String,
    /// Its symbol.
    pub symbol: String,
    /// Who may move it: the canonical Permit2 (EIP-55).
    pub spender: String,
    /// How much, exact, in the token's units.
    pub display: String,
    /// None at all.
    pub none: bool,
}

impl From<wallet_core::pay::approve::Allowance> for AllowanceView {
    fn from(a: wallet_core::pay::approve::Allowance) -> Self {
        AllowanceView {
            token: a.token.to_checksum(None),
            none: a.amount.is_zero(),
            symbol: a.symbol,
            spender: a.spender.to_checksum(None),
            display: a.display,
        }
    }
}

/// A token's overview: what its contract says of itself (read from the chain in one batch), beside
/// what the wallet lists. Addresses EIP-55; amounts exact, in the listed decimals.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TokenOverviewView {
    /// The contract.
    pub token: String,
    /// Listed by Tender's network data (else added by the person: unverified).
    pub verified: bool,
    /// The block it was read at.
    pub block: u64,
    /// Its name, as its contract says (sanitised).
    pub name: Option<String>,
    /// Its symbol, as its contract says (sanitised).
    pub symbol: Option<String>,
    /// Its decimals, as its contract says.
    pub decimals: Option<u8>,
    /// Its total supply, exact, in the listed decimals.
    pub total_supply_display: Option<String>,
    /// The implementation behind it, when it is an EIP-1967 proxy (its code can be replaced).
    pub implementation: Option<String>,
    /// The EIP-1967 proxy admin.
    pub proxy_admin: Option<String>,
    /// Its `owner()`.
    pub owner: Option<String>,
    /// AccessControl's first default admin.
    pub admin: Option<String>,
    /// Whether it is paused, when it can be.
    pub paused: Option<bool>,
    /// It takes EIP-3009 authorizations: a shop's gasless checkout, no approval, no ETH.
    pub eip3009: bool,
    /// It takes EIP-2612 permits: a shop may send the Permit2 approval for the shopper.
    pub eip2612: bool,
    /// Permit2 is usable on this network: any shop paid through it, after a one-time approval.
    pub permit2: bool,
    /// What its contract says that differs from what the wallet lists.
    pub mismatches: Vec<wallet_core::chain::overview::Mismatch>,
}

impl From<wallet_core::chain::overview::TokenOverview> for TokenOverviewView {
    fn from(o: wallet_core::chain::overview::TokenOverview) -> Self {
        let address = |a: Option<alloy::primitives::Address>| a.map(|a| a.to_checksum(None));
        TokenOverviewView {
            token: o.token.address.to_checksum(None),
            verified: o.token.verified,
            block: o.block,
            total_supply_display: o.total_supply.map(|s| format_amount(s, o.token.decimals)),
            name: o.name,
            symbol: o.symbol,
            decimals: o.decimals,
            implementation: address(o.implementation),
            proxy_admin: address(o.proxy_admin),
            owner: address(o.owner),
            admin: address(o.admin),
            paused: o.paused,
            eip3009: o.eip3009,
            eip2612: o.eip2612,
            permit2: o.permit2,
            mismatches: o.mismatches,
        }
    }
}

/// One of a token's largest holders.
#[derive(Debug, Clone, Serialize, Type)]
pub struct HolderView {
    /// Who (EIP-55).
    pub holder: String,
    /// How much, exact, in the token's units.
    pub amount_display: String,
}

/// What a token's own Transfer logs say, replayed by the wallet (no indexer).
#[derive(Debug, Clone, Serialize, Type)]
pub struct HoldersView {
    /// The figures are as of this block.
    pub as_of_block: u64,
    /// The replay reached the chain's head (else it catches up over later looks).
    pub complete: bool,
    /// How many addresses hold some.
    pub count: u64,
    /// The largest holders, largest first.
    pub top: Vec<HolderView>,
    /// Transfers replayed.
    pub transfers: u64,
    /// The first mint's block, transaction and date (Unix seconds, the node's word).
    pub first_mint_block: Option<u64>,
    /// Its transaction.
    pub first_mint_tx: Option<String>,
    /// Its block's time.
    pub first_mint_time: Option<u64>,
    /// The logs do not add up to the token's supply: the figures are approximate.
    pub inconsistent: bool,
}

impl From<wallet_core::chain::holders::Holders> for HoldersView {
    fn from(h: wallet_core::chain::holders::Holders) -> Self {
        let decimals = h.token.decimals;
        HoldersView {
            as_of_block: h.as_of_block,
            complete: h.complete,
            count: h.count,
            top: h
                .top
                .iter()
                .map(|(holder, amount)| HolderView {
                    holder: holder.to_checksum(None),
                    amount_display: format_amount(*amount, decimals),
                })
                .collect(),
            transfers: h.transfers,
            first_mint_block: h.first_mint.map(|m| m.0),
            first_mint_tx: h.first_mint.map(|m| m.1.to_string()),
            first_mint_time: h.first_mint.and_then(|m| m.2),
            inconsistent: h.inconsistent,
        }
    }
}

/// What a history line is: a payment made (by its kind), or a transfer received.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "direction", rename_all = "snake_case")]
pub enum EntryView {
    /// A payment this wallet made.
    Sent {
        /// How it was paid.
        via: SentVia,
        /// What the person may do with it now.
        actions: Actions,
    },
    /// A transfer one of its accounts received.
    Received {
        /// Why it is suspect (its sender imitates a known address, or it moved nothing): never offer
        /// its sender as a payee.
        suspicion: Option<Suspicion>,
    },
}

/// One line of the history.
#[derive(Debug, Clone, Serialize, Type)]
pub struct HistoryItem {
    /// What it is.
    pub entry: EntryView,
    /// Where it stands (received items are `confirmed`).
    pub status: PaymentStatus,
    /// Exact display amount.
    pub amount_display: String,
    /// Symbol.
    pub symbol: String,
    /// The token's contract (EIP-55), or `null` for the network's own currency.
    pub token: Option<String>,
    /// The other side (EIP-55).
    pub counterparty: String,
    /// What `payment_resend` takes (the transaction hash, or a gasless payment's authorization
    /// nonce); unique per direction.
    pub id: String,
    /// Transaction hash, once known.
    pub tx_hash: Option<String>,
    /// Hidden unless the person asks (zero-value transfers, dust from imitating addresses).
    pub hidden: bool,
    /// Explorer link.
    pub explorer: Option<String>,
    /// Block number, once mined.
    pub block_number: Option<u64>,
    /// When it was made (sent items) or its block was (received items; the node's word), Unix seconds.
    pub time: Option<u64>,
    /// What went wrong, in the network's or the shop's words (a refusal).
    pub error: Option<String>,
    /// Whether money moved, by the chain's word: only then is it shown as a debit or a credit.
    pub moved: bool,
}

impl From<wallet_core::session::HistoryItem> for HistoryItem {
    fn from(i: wallet_core::session::HistoryItem) -> Self {
        let (status, moved, hidden, block_number) = (i.status(), i.moved(), i.hidden(), i.block_number());
        let token = i.token().map(|t| t.to_checksum(None));
        let (entry, counterparty, id, tx_hash, time, error) = match &i.entry {
            Entry::Sent(paid) => (
                EntryView::Sent { via: SentVia::of(paid, i.decimals), actions: paid.actions() },
                paid.payee(),
                paid.id(),
                paid.tx_hash(),
                Some(paid.created_at()),
                their_words(paid),
            ),
            Entry::Received { transfer, suspicion, .. } => (
                EntryView::Received { suspicion: suspicion.clone() },
                transfer.from,
                transfer.tx_hash,
                Some(transfer.tx_hash),
                transfer.block_time,
                None,
            ),
        };
        HistoryItem {
            entry,
            status,
            amount_display: i.amount_display,
            symbol: i.symbol,
            token,
            counterparty: counterparty.to_checksum(None),
            id: id.to_string(),
            tx_hash: tx_hash.map(|h| h.to_string()),
            hidden,
            explorer: i.explorer,
            block_number,
            time,
            error,
            moved,
        }
    }
}

/// The history of one account.
#[derive(Debug, Clone, Serialize, Type)]
pub struct History {
    /// Newest first.
    pub items: Vec<HistoryItem>,
    /// Why it may be incomplete (offline).
    pub notice: Option<CommandError>,
}
