//! The `payments` table: every transaction this wallet signed (payments, speed-ups, cancellations,
//! revocations), with its raw bytes, stored before it leaves the process.

use alloy::primitives::{Address, U256};
use rusqlite::params;

use super::{Db, PaymentKind, PaymentRecord, PaymentStatus, db_err, row, token_key};
use crate::error::Result;

impl Db {
    /// Stores a newly signed payment. Fails if the hash is already stored (never two records of one
    /// transaction).
    pub fn insert_payment(&self, p: &PaymentRecord) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO payments (tx_hash, chain_id, account, request_uri, order_ref, payee, token, amount, nonce,
                                       raw_tx, status, created_at, block_number, error, expires_at, received,
                                       quote_digest, kind, replaces, replaced_seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
                params![
                    p.tx_hash.to_string(),
                    p.chain_id as i64,
                    p.account.to_checksum(None),
                    p.request_uri,
                    p.order,
                    p.payee.to_checksum(None),
                    token_key(p.token),
                    p.amount.to_string(),
                    p.nonce as i64,
                    p.raw_tx.to_vec(),
                    p.status.as_str(),
                    p.created_at as i64,
                    p.block_number.map(|b| b as i64),
                    p.error,
                    p.expires_at.map(|e| e as i64),
                    p.received.map(|r| r.to_string()),
                    p.quote_digest.map(|d| d.to_string()),
                    p.kind.as_str(),
                    p.replaces.map(|h| h.to_string()),
                    p.replaced_seen_at.map(|t| t as i64),
                ],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// Records a payment's new status.
    pub fn update_payment(&self, p: &PaymentRecord) -> Result<()> {
        self.conn
            .execute(
                "UPDATE payments SET status = ?2, block_number = ?3, error = ?4, received = ?5, replaced_seen_at = ?6
                 WHERE tx_hash = ?1",
                params![
                    p.tx_hash.to_string(),
                    p.status.as_str(),
                    p.block_number.map(|b| b as i64),
                    p.error,
                    p.received.map(|r| r.to_string()),
                    p.replaced_seen_at.map(|t| t as i64),
                ],
            )
            .map_err(db_err)?;
        Ok(())
    }

    fn payments_where(&self, clause: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<PaymentRecord>> {
        let sql = format!(
            "SELECT tx_hash, chain_id, account, request_uri, order_ref, payee, token, amount, nonce, raw_tx, status,
                    created_at, block_number, error, expires_at, received, quote_digest, kind, replaces,
                    replaced_seen_at
             FROM payments WHERE {clause} ORDER BY created_at DESC, nonce DESC"
        );
        row::select(&self.conn, "payment", &sql, args, |r| {
            Ok(PaymentRecord {
                chain_id: r.u64("chain_id")?,
                account: r.parsed("account")?,
                request_uri: r.get("request_uri")?,
                order: r.get("order_ref")?,
                payee: r.parsed("payee")?,
                token: r.token("token")?,
                amount: r.parsed("amount")?,
                nonce: r.u64("nonce")?,
                tx_hash: r.parsed("tx_hash")?,
                raw_tx: r.get::<Vec<u8>>("raw_tx")?.into(),
                status: r.named("status", PaymentStatus::parse)?,
                created_at: r.u64("created_at")?,
                block_number: r.u64_opt("block_number")?,
                error: r.get("error")?,
                expires_at: r.u64_opt("expires_at")?,
                received: r.parsed_opt("received")?,
                quote_digest: r.parsed_opt("quote_digest")?,
                kind: r.named("kind", PaymentKind::parse)?,
                replaces: r.parsed_opt("replaces")?,
                replaced_seen_at: r.u64_opt("replaced_seen_at")?,
            })
        })
    }

    /// The payment with hash `tx_hash`.
    pub fn payment(&self, tx_hash: &alloy::primitives::B256) -> Result<Option<PaymentRecord>> {
        Ok(self.payments_where("tx_hash = ?1", &[&tx_hash.to_string()])?.into_iter().next())
    }

    /// The newest payment on `chain_id` of `amount` of `token` to `payee` for `order` (none: a
    /// payment without an order) since `since`, from any account, that paid or may still pay.
    pub fn duplicate_payment(
        &self,
        chain_id: u64,
        payee: Address,
        token: Option<Address>,
        amount: U256,
        order: Option<&str>,
        since: u64,
    ) -> Result<Option<PaymentRecord>> {
        let found = self.payments_where(
            &format!(
                "chain_id = ?1 AND payee = ?2 AND token = ?3 AND amount = ?4 AND order_ref IS ?5
                 AND kind != 'approval' AND ((created_at >= ?6 AND status IN {}) OR status IN {})",
                PaymentStatus::MAY_HAVE_PAID_SQL,
                PaymentStatus::UNFINISHED_SQL
            ),
            &[
                &(chain_id as i64),
                &payee.to_checksum(None),
                &token_key(token),
                &amount.to_string(),
                &order,
                &(since as i64),
            ],
        )?;
        Ok(found.into_iter().next())
    }

    /// Every transaction stored with nonce `nonce` of `account` on `chain_id`: a payment and its
    /// speed-ups and cancellations (only one of them can be mined). Newest first.
    pub fn payments_with_nonce(&self, chain_id: u64, account: Address, nonce: u64) -> Result<Vec<PaymentRecord>> {
        self.payments_where(
            "chain_id = ?1 AND account = ?2 AND nonce = ?3",
            &[&(chain_id as i64), &account.to_checksum(None), &(nonce as i64)],
        )
    }

    /// Payments on `chain_id` that are not final yet (to re-send and track).
    pub fn unfinished_payments(&self, chain_id: u64) -> Result<Vec<PaymentRecord>> {
        self.payments_where(
            &format!("chain_id = ?1 AND status IN {}", PaymentStatus::UNFINISHED_SQL),
            &[&(chain_id as i64)],
        )
    }

    /// Every transaction signed on `chain_id` since `since` (Unix seconds), from any account: payments,
    /// speed-ups and cancellations.
    pub fn payments_signed_since(&self, chain_id: u64, since: u64) -> Result<Vec<PaymentRecord>> {
        self.payments_where("chain_id = ?1 AND created_at >= ?2", &[&(chain_id as i64), &(since as i64)])
    }

    /// Every payment from `account` on `chain_id`, newest first.
    pub fn payments(&self, chain_id: u64, account: Address) -> Result<Vec<PaymentRecord>> {
        self.payments_where("chain_id = ?1 AND account = ?2", &[&(chain_id as i64), &account.to_checksum(None)])
    }
}
