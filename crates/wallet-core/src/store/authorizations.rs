//! The `authorizations` table: every gasless (EIP-3009 or Permit2) authorization this wallet signed, stored
//! before it is sent to the shop.

use alloy::primitives::{Address, U256};
use rusqlite::params;

use super::{AuthorizationRecord, Db, PaymentStatus, TransferMethod, db_err, row};
use crate::error::Result;

impl Db {
    /// Stores a newly signed authorization. Fails if its nonce is already stored.
    pub fn insert_authorization(&self, a: &AuthorizationRecord) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO authorizations (nonce, chain_id, account, resource, domain, description, payee, token,
                     amount, valid_after, valid_before, version, header, status, created_at, signed_at_block, tx_hash,
                     block_number, error, received, quote_digest, method, offer, offer_signer, receipt, receipt_said)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
                     ?22, ?23, ?24, ?25, ?26)",
                params![
                    a.nonce.to_string(),
                    a.chain_id as i64,
                    a.account.to_checksum(None),
                    a.resource,
                    a.domain,
                    a.description,
                    a.payee.to_checksum(None),
                    a.token.to_checksum(None),
                    a.amount.to_string(),
                    a.valid_after as i64,
                    a.valid_before as i64,
                    i64::from(a.version),
                    a.header,
                    a.status.as_str(),
                    a.created_at as i64,
                    a.signed_at_block as i64,
                    a.tx_hash.map(|h| h.to_string()),
                    a.block_number.map(|b| b as i64),
                    a.error,
                    a.received.map(|r| r.to_string()),
                    a.quote_digest.to_string(),
                    a.method.as_str(),
                    a.offer,
                    a.offer_signer.map(|s| s.to_checksum(None)),
                    a.receipt,
                    a.receipt_said,
                ],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// Records an authorization's new status.
    pub fn update_authorization(&self, a: &AuthorizationRecord) -> Result<()> {
        self.conn
            .execute(
                "UPDATE authorizations SET status = ?2, tx_hash = ?3, block_number = ?4, error = ?5, received = ?6,
                     receipt = ?7, receipt_said = ?8
                 WHERE nonce = ?1",
                params![
                    a.nonce.to_string(),
                    a.status.as_str(),
                    a.tx_hash.map(|h| h.to_string()),
                    a.block_number.map(|b| b as i64),
                    a.error,
                    a.received.map(|r| r.to_string()),
                    a.receipt,
                    a.receipt_said,
                ],
            )
            .map_err(db_err)?;
        Ok(())
    }

    fn authorizations_where(&self, clause: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<AuthorizationRecord>> {
        let sql = format!(
            "SELECT nonce, chain_id, account, resource, domain, description, payee, token, amount, valid_after,
                    valid_before, version, header, status, created_at, signed_at_block, tx_hash, block_number, error,
                    received, quote_digest, method, offer, offer_signer, receipt, receipt_said
             FROM authorizations WHERE {clause} ORDER BY created_at DESC, nonce"
        );
        row::select(&self.conn, "authorization", &sql, args, |r| {
            Ok(AuthorizationRecord {
                nonce: r.parsed("nonce")?,
                chain_id: r.u64("chain_id")?,
                account: r.parsed("account")?,
                resource: r.get("resource")?,
                domain: r.get("domain")?,
                description: r.get("description")?,
                payee: r.parsed("payee")?,
                token: r.parsed("token")?,
                amount: r.parsed("amount")?,
                valid_after: r.u64("valid_after")?,
                valid_before: r.u64("valid_before")?,
                version: r.get("version")?,
                header: r.get("header")?,
                status: r.named("status", PaymentStatus::parse)?,
                created_at: r.u64("created_at")?,
                signed_at_block: r.u64("signed_at_block")?,
                tx_hash: r.parsed_opt("tx_hash")?,
                block_number: r.u64_opt("block_number")?,
                error: r.get("error")?,
                received: r.parsed_opt("received")?,
                quote_digest: r.parsed("quote_digest")?,
                method: r.named("method", TransferMethod::parse)?,
                offer: r.get("offer")?,
                offer_signer: r.parsed_opt("offer_signer")?,
                receipt: r.get("receipt")?,
                receipt_said: r.get("receipt_said")?,
            })
        })
    }

    /// The authorization with `nonce`.
    pub fn authorization(&self, nonce: &alloy::primitives::B256) -> Result<Option<AuthorizationRecord>> {
        Ok(self.authorizations_where("nonce = ?1", &[&nonce.to_string()])?.into_iter().next())
    }

    /// The newest authorization on `chain_id` for the same checkout (`resource`, payee, token and
    /// amount) since `since`, from any account, that paid or may still pay.
    pub fn duplicate_authorization(
        &self,
        chain_id: u64,
        resource: &str,
        payee: Address,
        token: Address,
        amount: U256,
        since: u64,
    ) -> Result<Option<AuthorizationRecord>> {
        let found = self.authorizations_where(
            &format!(
                "chain_id = ?1 AND resource = ?2 AND payee = ?3 AND token = ?4 AND amount = ?5
                 AND ((created_at >= ?6 AND status IN {}) OR status IN {})",
                PaymentStatus::MAY_HAVE_PAID_SQL,
                PaymentStatus::UNFINISHED_SQL
            ),
            &[
                &(chain_id as i64),
                &resource,
                &payee.to_checksum(None),
                &token.to_checksum(None),
                &amount.to_string(),
                &(since as i64),
            ],
        )?;
        Ok(found.into_iter().next())
    }

    /// Authorizations on `chain_id` that are not final yet (signed or sent, not settled, not expired,
    /// or refused by the shop while still valid: a shop may still settle what it refused).
    pub fn unfinished_authorizations(&self, chain_id: u64) -> Result<Vec<AuthorizationRecord>> {
        self.authorizations_where(
            &format!("chain_id = ?1 AND status IN {}", PaymentStatus::UNFINISHED_SQL),
            &[&(chain_id as i64)],
        )
    }

    /// Every authorization from `account` on `chain_id`, newest first.
    pub fn authorizations(&self, chain_id: u64, account: Address) -> Result<Vec<AuthorizationRecord>> {
        self.authorizations_where("chain_id = ?1 AND account = ?2", &[&(chain_id as i64), &account.to_checksum(None)])
    }
}
