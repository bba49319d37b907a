//! The records the database stores: payments, balances as last seen, received transfers, tokens.
//! Public data only. The modules that produce them (`chain`, `pay`) re-export the ones they return.

use alloy::primitives::{Address, B256, U256};

/// Where a payment stands.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Signed and stored; not known to have reached the network.
    Signed,
    /// Broadcast; no receipt yet.
    Pending,
    /// Mined and successful.
    Confirmed,
    /// Mined and reverted: nothing was paid (the fee was).
    Failed,
    /// Its nonce was used by another transaction.
    Replaced,
    /// Refused so far (by the node for a transaction, by the shop for a gasless authorization): **not
    /// final**. The signed payment stays valid (another node may hold it, the shop may settle it
    /// later), so it is outstanding: it counts for the duplicate guard, a new scan of the same request
    /// resumes it (the same signed bytes), and every refresh checks it until the chain decides
    /// (mined, its nonce used by another transaction, or its authorization expired by the chain's
    /// clock).
    Rejected,
    /// Mined and successful, but the token did not report the transfer to the payee as sent
    /// (no `Transfer` log, or another amount): not confirmed as paid.
    Unconfirmed,
    /// A gasless payment whose authorization's validity passed unused: nothing was paid, and it can
    /// never be (final).
    Expired,
    /// The person cancelled it: a cancellation with the same nonce was mined instead, so nothing was
    /// paid (only the cancellation's network fee was spent). Final.
    Cancelled,
}

impl PaymentStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Signed => "signed",
            PaymentStatus::Pending => "pending",
            PaymentStatus::Confirmed => "confirmed",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Replaced => "replaced",
            PaymentStatus::Rejected => "rejected",
            PaymentStatus::Unconfirmed => "unconfirmed",
            PaymentStatus::Expired => "expired",
            PaymentStatus::Cancelled => "cancelled",
        }
    }

    /// Whether the chain has not decided it yet: signed, sent, or refused so far (a refusal is never
    /// final while the signed payment could still move money). Outstanding payments are checked on
    /// every refresh, resumed (never signed again) and counted by the duplicate guard.
    pub fn is_unfinished(self) -> bool {
        matches!(self, PaymentStatus::Signed | PaymentStatus::Pending | PaymentStatus::Rejected)
    }

    /// Whether it paid, or may still pay (what the duplicate guard and the payee facts count).
    pub fn may_have_paid(self) -> bool {
        self.is_unfinished() || matches!(self, PaymentStatus::Confirmed | PaymentStatus::Unconfirmed)
    }

    /// The statuses of [`PaymentStatus::may_have_paid`], as stored (for SQL `IN` lists).
    pub(crate) const MAY_HAVE_PAID_SQL: &'static str = "('signed', 'pending', 'rejected', 'confirmed', 'unconfirmed')";
    /// The statuses of [`PaymentStatus::is_unfinished`], as stored.
    pub(crate) const UNFINISHED_SQL: &'static str = "('signed', 'pending', 'rejected')";

    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "signed" => PaymentStatus::Signed,
            "pending" => PaymentStatus::Pending,
            "confirmed" => PaymentStatus::Confirmed,
            "failed" => PaymentStatus::Failed,
            "replaced" => PaymentStatus::Replaced,
            "rejected" => PaymentStatus::Rejected,
            "unconfirmed" => PaymentStatus::Unconfirmed,
            "expired" => PaymentStatus::Expired,
            "cancelled" => PaymentStatus::Cancelled,
            _ => return None,
        })
    }
}

/// What a signed transaction of a payment is: the payment itself, or one of the person's
/// replacements of it while it was stuck (the same nonce, a higher fee). Only one transaction of a
/// nonce can ever be mined, so a payment and its replacements are one payment with one outcome.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKind {
    /// The payment as first signed.
    #[default]
    Payment,
    /// The same transaction with a higher fee (speed-up).
    SpeedUp,
    /// A transaction of nothing to the payer's own account (cancellation).
    Cancel,
    /// A transaction revoking a gasless payment's authorization (EIP-3009 `cancelAuthorization`);
    /// `replaces` holds the authorization's nonce. Shown through that authorization only.
    CancelAuthorization,
    /// The shopper's own approval of Permit2 (ERC-20 `approve`): `payee` is Permit2, `amount` the
    /// allowance set (zero: revoked). Moves no money: only its network fee is spent.
    Approval,
    /// An NFT sent to someone (`safeTransferFrom`): `payee` is the recipient, `token` the collection,
    /// `amount` how many; the token id is in its own signed bytes. Moves no money: only its network
    /// fee is spent.
    NftTransfer,
}

impl PaymentKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PaymentKind::Payment => "payment",
            PaymentKind::SpeedUp => "speed_up",
            PaymentKind::Cancel => "cancel",
            PaymentKind::CancelAuthorization => "cancel_authorization",
            PaymentKind::Approval => "approval",
            PaymentKind::NftTransfer => "nft_transfer",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "payment" => PaymentKind::Payment,
            "speed_up" => PaymentKind::SpeedUp,
            "cancel" => PaymentKind::Cancel,
            "cancel_authorization" => PaymentKind::CancelAuthorization,
            "approval" => PaymentKind::Approval,
            "nft_transfer" => PaymentKind::NftTransfer,
            _ => return None,
        })
    }
}

/// A payment Tender signed: everything needed to re-send the same bytes and to show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PaymentRecord {
    /// The chain.
    pub chain_id: u64,
    /// The paying account.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub account: Address,
    /// The canonical request paid.
    pub request_uri: String,
    /// The merchant's order reference.
    pub order: Option<String>,
    /// Who was paid.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub payee: Address,
    /// The token, or `None` for the native currency.
    pub token: Option<Address>,
    /// The amount in base units.
    #[serde(serialize_with = "crate::text::serialize_decimal")]
    pub amount: U256,
    /// The transaction's nonce.
    pub nonce: u64,
    /// The transaction hash.
    pub tx_hash: alloy::primitives::B256,
    /// The signed transaction (public once broadcast; kept to re-send the same bytes).
    #[serde(skip)]
    pub raw_tx: alloy::primitives::Bytes,
    /// Where it stands.
    pub status: PaymentStatus,
    /// When it was signed (Unix seconds).
    pub created_at: u64,
    /// The block it was mined in.
    pub block_number: Option<u64>,
    /// What went wrong, for a failed, rejected, replaced or unconfirmed payment.
    pub error: Option<String>,
    /// The request's own expiry: no retry after it.
    pub expires_at: Option<u64>,
    /// For a mined token payment: what the token's `Transfer` logs say the payee received.
    #[serde(serialize_with = "crate::text::serialize_opt_decimal")]
    pub received: Option<U256>,
    /// The digest of the quote that was signed.
    pub quote_digest: Option<alloy::primitives::B256>,
    /// The payment itself, or a speed-up or cancellation of it.
    pub kind: PaymentKind,
    /// For a speed-up or cancellation: the transaction hash of the payment it replaces (as first
    /// signed).
    pub replaces: Option<alloy::primitives::B256>,
    /// When Tender first saw this transaction's nonce used by another transaction, deep enough,
    /// while this one stayed unknown (Unix seconds): it is called replaced only once that has held
    /// for [`crate::pay::payment::REPLACED_AFTER`] across refreshes (a lagging node is not the chain).
    #[serde(skip)]
    pub replaced_seen_at: Option<u64>,
}

#[cfg(test)]
impl PaymentRecord {
    /// A record for unit tests: `amount` wei of ether from account `0x0101…` to `payee`, nonce
    /// `nonce`, signed at 1000, not mined, no signed bytes.
    pub(crate) fn for_tests(nonce: u64, status: PaymentStatus, payee: Address, amount: U256) -> Self {
        Self {
            chain_id: 31337,
            account: Address::repeat_byte(1),
            request_uri: String::new(),
            order: None,
            payee,
            token: None,
            amount,
            nonce,
            tx_hash: B256::repeat_byte(nonce as u8 + 1),
            raw_tx: alloy::primitives::Bytes::new(),
            status,
            created_at: 1000,
            block_number: None,
            error: None,
            expires_at: None,
            received: None,
            quote_digest: None,
            kind: PaymentKind::Payment,
            replaces: None,
            replaced_seen_at: None,
        }
    }
}

/// A gasless payment (x402, EIP-3009): the authorization Tender signed for a shop, stored before it
/// left the process, with everything needed to send the same bytes again and to show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuthorizationRecord {
    /// The authorization's random nonce: its identity (usable once on chain).
    pub nonce: B256,
    /// The chain.
    pub chain_id: u64,
    /// The paying account.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub account: Address,
    /// The shop's payment link.
    pub resource: String,
    /// The shop's domain (who asked).
    pub domain: String,
    /// What the shop said the purchase is (sanitised).
    pub description: Option<String>,
    /// Who is paid.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub payee: Address,
    /// The token.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub token: Address,
    /// The amount in base units.
    #[serde(serialize_with = "crate::text::serialize_decimal")]
    pub amount: U256,
    /// Valid strictly after (Unix seconds).
    pub valid_after: u64,
    /// Valid strictly before (Unix seconds): unused by then, it is expired.
    pub valid_before: u64,
    /// The x402 version spoken (1 or 2).
    pub version: u8,
    /// The payment header's value, exactly as sent (and sent again).
    #[serde(skip)]
    pub header: String,
    /// Where it stands.
    pub status: PaymentStatus,
    /// When it was signed (Unix seconds).
    pub created_at: u64,
    /// The chain's head when it was signed: its settlement cannot be older.
    pub signed_at_block: u64,
    /// The settlement's transaction, once seen on chain.
    pub tx_hash: Option<B256>,
    /// The block it was settled in.
    pub block_number: Option<u64>,
    /// What went wrong (the shop's words, sanitised and labelled, or Tender's).
    pub error: Option<String>,
    /// What the token's `Transfer` logs say the payee received in the settlement.
    #[serde(serialize_with = "crate::text::serialize_opt_decimal")]
    pub received: Option<U256>,
    /// The digest of the quote that was signed.
    pub quote_digest: B256,
    /// How the token moves (what the chain is asked about the nonce).
    pub method: TransferMethod,
    /// The shop's signed offer this payment accepted, as sent (checked before signing).
    #[serde(skip)]
    pub offer: Option<String>,
    /// Who signed the offer (the receipt must be signed by the same key).
    #[serde(serialize_with = "crate::text::serialize_opt_checksummed")]
    pub offer_signer: Option<Address>,
    /// The shop's signed receipt, as sent, once checked.
    #[serde(skip)]
    pub receipt: Option<String>,
    /// The receipt the shop's answer carried, kept as sent until the chain decides the payment (it
    /// is checked then, against the settlement's transaction, and becomes `receipt` if it holds).
    #[serde(skip)]
    pub receipt_said: Option<String>,
}

#[cfg(test)]
impl AuthorizationRecord {
    /// A stored authorization for unit tests: 100 base units of token `0x70…70` from `0x01…01` to
    /// `0x42…42` at `https://shop.example/pay/1`, signed and not sent.
    pub(crate) fn sample(method: TransferMethod, status: PaymentStatus) -> Self {
        Self {
            nonce: B256::repeat_byte(9),
            chain_id: 31337,
            account: Address::repeat_byte(1),
            resource: "https://shop.example/pay/1".into(),
            domain: "shop.example".into(),
            description: None,
            payee: Address::repeat_byte(0x42),
            token: Address::repeat_byte(0x70),
            amount: U256::from(100),
            valid_after: 0,
            valid_before: 10,
            version: 2,
            header: String::new(),
            status,
            created_at: 1,
            signed_at_block: 1,
            tx_hash: None,
            block_number: None,
            error: None,
            received: None,
            quote_digest: B256::ZERO,
            method,
            offer: None,
            offer_signer: None,
            receipt: None,
            receipt_said: None,
        }
    }
}

/// How a gasless payment's token moves.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferMethod {
    /// The token's own EIP-3009 `transferWithAuthorization`: exactly the amount.
    #[serde(rename = "eip3009")]
    Eip3009,
    /// Permit2's witness transfer through the x402 `exact` proxy: exactly the amount.
    #[serde(rename = "permit2")]
    Permit2,
    /// Permit2's witness transfer through the x402 `upto` proxy: the shop charges at most the
    /// amount (what it charged is `received`).
    Upto,
}

impl TransferMethod {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eip3009 => "eip3009",
            Self::Permit2 => "permit2",
            Self::Upto => "upto",
        }
    }

    /// From its stored form.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Eip3009, Self::Permit2, Self::Upto].into_iter().find(|m| m.as_str() == s)
    }
}

/// A balance as last seen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CachedBalance {
    /// The account.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub account: Address,
    /// The token, or `None` for the native currency.
    pub token: Option<Address>,
    /// The amount in base units.
    #[serde(serialize_with = "crate::text::serialize_decimal")]
    pub amount: U256,
    /// The block it was read at.
    pub block_number: u64,
    /// When it was read (Unix seconds).
    pub fetched_at: u64,
}

/// One balance: of `account`, in `token` (`None`: the native currency).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Balance {
    /// The account.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub account: Address,
    /// The token contract, or `None` for the native currency.
    pub token: Option<Address>,
    /// The amount in base units; `None` when the token's contract did not answer properly.
    #[serde(serialize_with = "crate::text::serialize_opt_decimal")]
    pub amount: Option<U256>,
}

/// Balances as of one block.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Snapshot {
    /// The chain.
    pub chain_id: u64,
    /// The block all balances were read at.
    pub block_number: u64,
    /// Native first for each account, then tokens in the order asked.
    pub balances: Vec<Balance>,
    /// JSON-RPC requests (HTTP round trips) this sync took.
    pub requests: u32,
}

/// A transfer one of the accounts received.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Received {
    /// The chain.
    pub chain_id: u64,
    /// Our account.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub account: Address,
    /// The token, or `None` for ether.
    pub token: Option<Address>,
    /// Who sent it.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    pub from: Address,
    /// The amount in base units.
    #[serde(serialize_with = "crate::text::serialize_decimal")]
    pub amount: U256,
    /// The transaction.
    pub tx_hash: B256,
    /// The log's index in its block (for ether: `u32::MAX` + the transaction's index).
    pub log_index: u64,
    /// The block.
    pub block_number: u64,
    /// When the block was made (Unix seconds, as the node says: shown as the date, never trusted for
    /// anything else), when known.
    pub block_time: Option<u64>,
}

/// A token Tender shows.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Token {
    /// The chain it lives on.
    pub chain_id: u64,
    /// The contract.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub address: Address,
    /// Symbol, e.g. `USDC`.
    pub symbol: String,
    /// Name.
    pub name: String,
    /// Decimals (amounts are integers of 10^-decimals tokens).
    pub decimals: u8,
    /// The store's own token, shown first.
    pub featured: bool,
    /// From Tender's list or the retailer's signed list (true), or added by the person (false: shown as
    /// unverified).
    pub verified: bool,
    /// The retailer's signed list that vouches for it (its name), when it is not on Tender's own list.
    #[serde(default)]
    pub list: Option<String>,
}
