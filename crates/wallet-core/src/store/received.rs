//! The `received` and `scan_cursors` tables: transfers the accounts received, and where the next
//! scan of the chain starts.

use alloy::primitives::Address;
use rusqlite::{OptionalExtension, params};

use super::{Db, Received, db_err, row, token_key};
use crate::error::Result;

impl Db {
    /// Where the next history scan of `account` starts.
    pub fn scan_cursor(&self, chain_id: u64, account: Address) -> Result<Option<u64>> {
        self.conn
            .query_row(
                "SELECT next_block FROM scan_cursors WHERE chain_id = ?1 AND account = ?2",
                params![chain_id as i64, account.to_checksum(None)],
                |r| r.get::<_, i64>(0),
            )
            .optional()
            .map(|v| v.map(|b| b as u64))
            .map_err(db_err)
    }

    /// Stores received transfers and moves the cursors of `accounts` to `next_block`, atomically.
    /// Returns how many transfers were new.
    pub fn store_received(
        &mut self,
        chain_id: u64,
        accounts: &[Address],
        items: &[Received],
        next_block: u64,
    ) -> Result<usize> {
        let tx = self.conn.transaction().map_err(db_err)?;
        let mut added = 0;
        for r in items {
            added += tx
                .execute(
                    "INSERT OR IGNORE INTO received (chain_id, account, tx_hash, log_index, token, sender, amount, block_number,
                                                     block_time)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        chain_id as i64,
                        r.account.to_checksum(None),
                        r.tx_hash.to_string(),
                        r.log_index as i64,
                        token_key(r.token),
                        r.from.to_checksum(None),
                        r.amount.to_string(),
                        r.block_number as i64,
                        r.block_time.map(|t| t as i64),
                    ],
                )
                .map_err(db_err)?;
        }
        for a in accounts {
            tx.execute(
                "INSERT INTO scan_cursors (chain_id, account, next_block) VALUES (?1, ?2, ?3)
                 ON CONFLICT (chain_id, account) DO UPDATE SET next_block = MAX(next_block, excluded.next_block)",
                params![chain_id as i64, a.to_checksum(None), next_block as i64],
            )
            .map_err(db_err)?;
        }
        crate::vault::atomic::crash_point("history.cursor");
        tx.commit().map_err(db_err)?;
        Ok(added)
    }

    /// What `account` received on `chain_id`, newest first.
    pub fn received(&self, chain_id: u64, account: Address) -> Result<Vec<Received>> {
        row::select(
            &self.conn,
            "transfer",
            "SELECT tx_hash, log_index, token, sender, amount, block_number, block_time FROM received
             WHERE chain_id = ?1 AND account = ?2 ORDER BY block_number DESC, log_index DESC",
            &[&(chain_id as i64), &account.to_checksum(None)],
            |r| {
                Ok(Received {
                    chain_id,
                    account,
                    token: r.token("token")?,
                    from: r.parsed("sender")?,
                    amount: r.parsed("amount")?,
                    tx_hash: r.parsed("tx_hash")?,
                    log_index: r.u64("log_index")?,
                    block_number: r.u64("block_number")?,
                    block_time: r.u64_opt("block_time")?,
                })
            },
        )
    }
}
