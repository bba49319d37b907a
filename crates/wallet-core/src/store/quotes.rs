//! The `quotes` table: quotes shown and not paid yet, by digest, until they expire.

use alloy::primitives::B256;
use rusqlite::params;

use super::{Db, db_err};
use crate::error::Result;

impl Db {
    /// Keeps a quote that was shown (the CLI pays it later by its digest): `body` is what the
    /// payment layer wrote of it. Expired quotes are dropped on the way.
    pub fn save_quote(&self, digest: B256, created_at: u64, expires_at: u64, body: &str, now: u64) -> Result<()> {
        self.conn.execute("DELETE FROM quotes WHERE expires_at < ?1", params![now as i64]).map_err(db_err)?;
        self.conn
            .execute(
                "INSERT OR REPLACE INTO quotes (digest, created_at, expires_at, quote) VALUES (?1, ?2, ?3, ?4)",
                params![digest.to_string(), created_at as i64, expires_at as i64, body],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// What was kept of the quote shown with `digest` (full, or its first 8 or more hex digits), if
    /// one is kept under it and no other shares the prefix.
    pub fn quote(&self, digest: &str) -> Result<Option<String>> {
        let prefix = digest.trim().to_ascii_lowercase();
        let prefix = if prefix.starts_with("0x") { prefix } else { format!("0x{prefix}") };
        if prefix.len() < 10 || !prefix[2..].bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let mut stmt =
            self.conn.prepare_cached("SELECT quote FROM quotes WHERE substr(digest, 1, ?1) = ?2").map_err(db_err)?;
        let found: Vec<String> = stmt
            .query_map(params![prefix.len() as i64, prefix], |r| r.get(0))
            .map_err(db_err)?
            .collect::<std::result::Result<_, _>>()
            .map_err(db_err)?;
        Ok(match <[String; 1]>::try_from(found) {
            Ok([one]) => Some(one),
            Err(_) => None,
        })
    }
}
