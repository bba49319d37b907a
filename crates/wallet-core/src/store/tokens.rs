//! The `custom_tokens` table: the tokens a person added themselves (unverified).

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
            |r| {
                Ok(Token {
                    chain_id,
                    address: r.parsed("address")?,
                    symbol: r.get("symbol")?,
                    name: r.get("name")?,
                    decimals: r.get("decimals")?,
                    featured: false,
                    verified: false,
                })
            },
        )
    }
}
