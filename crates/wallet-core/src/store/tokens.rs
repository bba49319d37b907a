//! The `custom_tokens` table: the tokens a person added themselves (unverified); `hidden_tokens`, the
//! tokens they hid from their balances (still known: a shop may still ask for one); and the retailer's
//! signed token list in use (`token_lists`, its tokens in `listed_tokens`).

use alloy::primitives::Address;
use rusqlite::params;

use super::{Db, Token, db_err, row};
use crate::error::Result;

impl Db {
    /// Remembers a token the person added.
    pub fn add_custom_token(&self, token: &Token, now: u64) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO custom_tokens (chain_id, address, symbol, name, decimals, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    token.chain_id as i64,
                    token.address.to_checksum(None),
                    token.symbol,
                    token.name,
                    token.decimals,
                    now as i64
                ],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// The tokens the person added on `chain_id` (unverified), oldest first.
    pub fn custom_tokens(&self, chain_id: u64) -> Result<Vec<Token>> {
        row::select(
            &self.conn,
            "token",
            "SELECT address, symbol, name, decimals FROM custom_tokens WHERE chain_id = ?1 ORDER BY added_at, address",
            &[&(chain_id as i64)],
            |r| token(r, chain_id, None),
        )
    }

    /// The retailer's list in use on `chain_id`: its name, version (`major.minor.patch`), timestamp and
    /// signer, as stored.
    pub fn token_list(&self, chain_id: u64) -> Result<Option<(String, String, String, Address)>> {
        let rows = row::select(
            &self.conn,
            "token_lists",
            "SELECT name, version, timestamp, signer FROM token_lists WHERE chain_id = ?1",
            &[&(chain_id as i64)],
            |r| Ok((r.get("name")?, r.get("version")?, r.get("timestamp")?, r.parsed("signer")?)),
        )?;
        Ok(rows.into_iter().next())
    }

    /// Puts a checked list in place of the one in use on `chain_id`, in one transaction.
    pub fn store_token_list(
        &self,
        chain_id: u64,
        (name, version, timestamp, signer): (&str, &str, &str, Address),
        tokens: &[Token],
        now: u64,
    ) -> Result<()> {
        self.atomically(|db| {
            let c = &db.conn;
            c.execute("DELETE FROM listed_tokens WHERE chain_id = ?1", params![chain_id as i64]).map_err(db_err)?;
            c.execute(
                "INSERT OR REPLACE INTO token_lists (chain_id, name, version, timestamp, signer, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![chain_id as i64, name, version, timestamp, signer.to_checksum(None), now as i64],
            )
            .map_err(db_err)?;
            for (n, t) in tokens.iter().enumerate() {
                c.execute(
                    "INSERT OR REPLACE INTO listed_tokens (chain_id, address, symbol, name, decimals, position)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![chain_id as i64, t.address.to_checksum(None), t.symbol, t.name, t.decimals, n as i64],
                )
                .map_err(db_err)?;
            }
            Ok(())
        })
    }

    /// The tokens of the retailer's list in use on `chain_id`, in the list's order.
    pub fn listed_tokens(&self, chain_id: u64) -> Result<Vec<Token>> {
        let Some((list, ..)) = self.token_list(chain_id)? else { return Ok(Vec::new()) };
        row::select(
            &self.conn,
            "listed_tokens",
            "SELECT address, symbol, name, decimals FROM listed_tokens WHERE chain_id = ?1 ORDER BY position",
            &[&(chain_id as i64)],
            |r| token(r, chain_id, Some(&list)),
        )
    }

    /// Hides `token` from the balances on `chain_id` (`hidden: false` shows it again).
    pub fn hide_token(&self, chain_id: u64, token: Address, hidden: bool) -> Result<()> {
        let sql = if hidden {
            "INSERT OR IGNORE INTO hidden_tokens (chain_id, address) VALUES (?1, ?2)"
        } else {
            "DELETE FROM hidden_tokens WHERE chain_id = ?1 AND address = ?2"
        };
        self.conn.execute(sql, params![chain_id as i64, token.to_checksum(None)]).map_err(db_err)?;
        Ok(())
    }

    /// The tokens hidden from the balances on `chain_id`.
    pub fn hidden_tokens(&self, chain_id: u64) -> Result<Vec<Address>> {
        row::select(
            &self.conn,
            "hidden_tokens",
            "SELECT address FROM hidden_tokens WHERE chain_id = ?1 ORDER BY address",
            &[&(chain_id as i64)],
            |r| r.parsed("address"),
        )
    }
}

/// A token row: one the person added (`list: None`, unverified), or one of the retailer's list `list`.
fn token(r: &row::Row<'_, '_>, chain_id: u64, list: Option<&str>) -> Result<Token> {
    Ok(Token {
        chain_id,
        address: r.parsed("address")?,
        symbol: r.get("symbol")?,
        name: r.get("name")?,
        decimals: r.get("decimals")?,
        featured: false,
        verified: list.is_some(),
        list: list.map(str::to_owned),
    })
}
