//! The `balances` table: the last known balance of each account and asset, with its block.

use alloy::primitives::Address;
use rusqlite::{OptionalExtension, params};

use super::{CachedBalance, Db, Snapshot, db_err, row, token_key};
use crate::error::Result;

impl Db {
    /// Stores the balances of `snapshot` read at time `now`, except where a newer block is already
    /// stored, and except balances that could not be read. Returns how many rows changed.
    pub fn store_snapshot(&mut self, snapshot: &Snapshot, now: u64) -> Result<usize> {
        let tx = self.conn.transaction().map_err(db_err)?;
        let mut changed = 0;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO balances (chain_id, account, token, amount, block_number, fetched_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (chain_id, account, token) DO UPDATE SET
                         amount = excluded.amount, block_number = excluded.block_number, fetched_at = excluded.fetched_at
                     WHERE excluded.block_number >= balances.block_number",
                )
                .map_err(db_err)?;
            for b in &snapshot.balances {
                let Some(amount) = b.amount else { continue };
                changed += stmt
                    .execute(params![
                        snapshot.chain_id as i64,
                        b.account.to_checksum(None),
                        token_key(b.token),
                        amount.to_string(),
                        snapshot.block_number as i64,
                        now as i64
                    ])
                    .map_err(db_err)?;
            }
        }
        tx.commit().map_err(db_err)?;
        Ok(changed)
    }

    /// The last known balances of `accounts` on `chain_id`.
    pub fn cached_balances(&self, chain_id: u64, accounts: &[Address]) -> Result<Vec<CachedBalance>> {
        let mut out = Vec::new();
        for account in accounts {
            out.extend(row::select(
                &self.conn,
                "balance",
                "SELECT token, amount, block_number, fetched_at FROM balances
                 WHERE chain_id = ?1 AND account = ?2 ORDER BY token",
                &[&(chain_id as i64), &account.to_checksum(None)],
                |r| {
                    Ok(CachedBalance {
                        account: *account,
                        token: r.token("token")?,
                        amount: r.parsed("amount")?,
                        block_number: r.u64("block_number")?,
                        fetched_at: r.u64("fetched_at")?,
                    })
                },
            )?);
        }
        Ok(out)
    }

    /// The block of the newest stored balance on `chain_id`, if any.
    pub fn latest_block(&self, chain_id: u64) -> Result<Option<u64>> {
        self.conn
            .query_row("SELECT MAX(block_number) FROM balances WHERE chain_id = ?1", params![chain_id as i64], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .optional()
            .map(|v| v.flatten().map(|b| b as u64))
            .map_err(db_err)
    }
}
