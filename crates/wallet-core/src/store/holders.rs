//! The `token_holders` and `token_scans` tables: a token's holders replayed from its own `Transfer`
//! logs (its overview's "what the logs say"), and how far that replay has come. Balances are kept as
//! 78-digit zero-padded decimals, so the database orders them as numbers.

use std::collections::HashMap;

use alloy::primitives::{Address, B256, U256};
use rusqlite::params;

use super::{Db, db_err, row};
use crate::error::Result;

/// Where the replay of a token's transfers stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolderScan {
    /// The next block to read.
    pub next_block: u64,
    /// Transfers replayed so far.
    pub transfers: u64,
    /// Minted minus burned so far (transfers from and to the zero address): what the holders hold.
    pub supply: U256,
    /// The first mint seen: its block, transaction and the block's time.
    pub first_mint: Option<(u64, B256, Option<u64>)>,
    /// A transfer moved more than its sender held by the logs (a token that changes balances without
    /// `Transfer` events, or logs a node left out): the figures are then approximate.
    pub inconsistent: bool,
}

fn padded(v: U256) -> String {
    format!("{v:0>78}")
}

impl Db {
    /// Where the replay of `token`'s transfers stands (`None`: not started).
    pub fn holder_scan(&self, chain_id: u64, token: Address) -> Result<Option<HolderScan>> {
        let rows = row::select(
            &self.conn,
            "token_scans",
            "SELECT next_block, transfers, supply, first_mint_block, first_mint_tx, first_mint_time, inconsistent
             FROM token_scans WHERE chain_id = ?1 AND token = ?2",
            &[&(chain_id as i64), &token.to_checksum(None)],
            |r| {
                let first_block = r.u64_opt("first_mint_block")?;
                let first_tx: Option<B256> = r.parsed_opt("first_mint_tx")?;
                Ok(HolderScan {
                    next_block: r.u64("next_block")?,
                    transfers: r.u64("transfers")?,
                    supply: r.parsed("supply")?,
                    first_mint: first_block
                        .zip(first_tx)
                        .map(|(b, t)| Ok::<_, crate::Error>((b, t, r.u64_opt("first_mint_time")?)))
                        .transpose()?,
                    inconsistent: r.get::<i64>("inconsistent")? != 0,
                })
            },
        )?;
        Ok(rows.into_iter().next())
    }

    /// The stored balances of `holders` in `token` (those not stored hold nothing).
    pub fn holder_balances(
        &self,
        chain_id: u64,
        token: Address,
        holders: &[Address],
    ) -> Result<HashMap<Address, U256>> {
        let mut out = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT balance FROM token_holders WHERE chain_id = ?1 AND token = ?2 AND holder = ?3")
            .map_err(db_err)?;
        for h in holders {
            let found: Option<String> = stmt
                .query_row(params![chain_id as i64, token.to_checksum(None), h.to_checksum(None)], |r| r.get(0))
                .map(Some)
                .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })
                .map_err(db_err)?;
            let balance = match found {
                Some(text) => text
                    .parse()
                    .map_err(|_| crate::Error::Database { detail: "bad stored token_holders balance".into() })?,
                None => U256::ZERO,
            };
            out.insert(*h, balance);
        }
        Ok(out)
    }

    /// Stores one replayed range of `token`: the new balances of the holders it changed (a zero
    /// balance removes the holder) and where the replay now stands, in one transaction.
    pub fn store_holders(
        &self,
        chain_id: u64,
        token: Address,
        changed: &HashMap<Address, U256>,
        scan: &HolderScan,
    ) -> Result<()> {
        self.atomically(|db| {
            let token = token.to_checksum(None);
            for (holder, balance) in changed {
                if balance.is_zero() {
                    db.conn
                        .execute(
                            "DELETE FROM token_holders WHERE chain_id = ?1 AND token = ?2 AND holder = ?3",
                            params![chain_id as i64, token, holder.to_checksum(None)],
                        )
                        .map_err(db_err)?;
                } else {
                    db.conn
                        .execute(
                            "INSERT OR REPLACE INTO token_holders (chain_id, token, holder, balance) VALUES (?1, ?2, ?3, ?4)",
                            params![chain_id as i64, token, holder.to_checksum(None), padded(*balance)],
                        )
                        .map_err(db_err)?;
                }
            }
            let (first_block, first_tx, first_time) = match scan.first_mint {
                Some((b, t, time)) => (Some(b as i64), Some(t.to_string()), time.map(|t| t as i64)),
                None => (None, None, None),
            };
            db.conn
                .execute(
                    "INSERT OR REPLACE INTO token_scans (chain_id, token, next_block, transfers, supply, first_mint_block,
                     first_mint_tx, first_mint_time, inconsistent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        chain_id as i64,
                        token,
                        scan.next_block as i64,
                        scan.transfers as i64,
                        scan.supply.to_string(),
                        first_block,
                        first_tx,
                        first_time,
                        i64::from(scan.inconsistent)
                    ],
                )
                .map_err(db_err)?;
            Ok(())
        })
    }

    /// How many hold `token`, and the `top` largest holders, largest first.
    pub fn top_holders(&self, chain_id: u64, token: Address, top: usize) -> Result<(u64, Vec<(Address, U256)>)> {
        let args: [&dyn rusqlite::ToSql; 2] = [&(chain_id as i64), &token.to_checksum(None)];
        let count: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM token_holders WHERE chain_id = ?1 AND token = ?2", args, |r| r.get(0))
            .map_err(db_err)?;
        let largest = row::select(
            &self.conn,
            "token_holders",
            "SELECT holder, balance FROM token_holders WHERE chain_id = ?1 AND token = ?2 ORDER BY balance DESC, holder LIMIT ?3",
            &[&(chain_id as i64), &token.to_checksum(None), &(top as i64)],
            |r| Ok((r.parsed("holder")?, r.parsed("balance")?)),
        )?;
        Ok((u64::try_from(count).unwrap_or(0), largest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Balances are ordered as numbers (zero-padded text), a zero balance leaves, the scan's state is
    /// kept whole.
    #[test]
    fn holders_are_ordered_by_amount_and_a_zero_balance_leaves() {
        let db = Db::open_in_memory().expect("db");
        let token = Address::repeat_byte(7);
        let (a, b, c) = (Address::repeat_byte(1), Address::repeat_byte(2), Address::repeat_byte(3));
        let changed: HashMap<Address, U256> =
            [(a, U256::from(9u8)), (b, U256::from(10u8)), (c, U256::from(100_000u32))].into_iter().collect();
        let scan = HolderScan {
            next_block: 5,
            transfers: 3,
            supply: U256::from(100_019u32),
            first_mint: Some((1, B256::repeat_byte(9), Some(1_700_000_000))),
            inconsistent: false,
        };
        db.store_holders(1, token, &changed, &scan).expect("store");
        assert_eq!(db.holder_scan(1, token).expect("scan"), Some(scan.clone()));
        let (count, top) = db.top_holders(1, token, 2).expect("top");
        assert_eq!((count, top), (3, vec![(c, U256::from(100_000u32)), (b, U256::from(10u8))]), "100000 > 10 > 9");
        let gone: HashMap<Address, U256> = [(c, U256::ZERO)].into_iter().collect();
        db.store_holders(1, token, &gone, &HolderScan { next_block: 6, ..scan }).expect("store");
        assert_eq!(db.top_holders(1, token, 5).expect("top").0, 2);
        assert_eq!(db.holder_balances(1, token, &[a, c]).expect("balances")[&c], U256::ZERO);
        assert_eq!(db.holder_scan(1, Address::ZERO).expect("scan"), None);
    }
}
