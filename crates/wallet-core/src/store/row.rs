//! A stored row, read by column name: what does not decode is the database's fault, named by table
//! and column.

use rusqlite::types::FromSql;

use crate::error::{Error, Result};

/// One row of `table`.
pub(super) struct Row<'a, 'r> {
    pub(super) row: &'a rusqlite::Row<'r>,
    pub(super) table: &'static str,
}

impl Row<'_, '_> {
    fn corrupt(&self, column: &str) -> Error {
        Error::Database { detail: format!("bad stored {} {column}", self.table) }
    }

    /// Column `column` as SQLite gives it.
    pub(super) fn get<T: FromSql>(&self, column: &str) -> Result<T> {
        self.row.get(column).map_err(super::db_err)
    }

    /// A non-negative integer column.
    pub(super) fn u64(&self, column: &str) -> Result<u64> {
        u64::try_from(self.get::<i64>(column)?).map_err(|_| self.corrupt(column))
    }

    /// A non-negative integer column that may be empty.
    pub(super) fn u64_opt(&self, column: &str) -> Result<Option<u64>> {
        self.get::<Option<i64>>(column)?.map(|v| u64::try_from(v).map_err(|_| self.corrupt(column))).transpose()
    }

    /// A text column holding a value written with `Display` (an address, a hash, an amount).
    pub(super) fn parsed<T: std::str::FromStr>(&self, column: &str) -> Result<T> {
        self.get::<String>(column)?.parse().map_err(|_| self.corrupt(column))
    }

    /// The same, for a column that may be empty.
    pub(super) fn parsed_opt<T: std::str::FromStr>(&self, column: &str) -> Result<Option<T>> {
        self.get::<Option<String>>(column)?.map(|t| t.parse().map_err(|_| self.corrupt(column))).transpose()
    }

    /// A token column: the empty text is the network's own currency.
    pub(super) fn token(&self, column: &str) -> Result<Option<alloy::primitives::Address>> {
        let text = self.get::<String>(column)?;
        if text.is_empty() { Ok(None) } else { text.parse().map(Some).map_err(|_| self.corrupt(column)) }
    }

    /// A text column holding one of a closed set of names (a status, a kind), read with `parse`.
    pub(super) fn named<T>(&self, column: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
        parse(&self.get::<String>(column)?).ok_or_else(|| self.corrupt(column))
    }
}

/// Every row `sql` selects with `args`, each decoded by `decode`.
pub(super) fn select<T>(
    conn: &rusqlite::Connection,
    table: &'static str,
    sql: &str,
    args: &[&dyn rusqlite::ToSql],
    decode: impl Fn(&Row<'_, '_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql).map_err(super::db_err)?;
    let mut rows = stmt.query(args).map_err(super::db_err)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(super::db_err)? {
        out.push(decode(&Row { row, table })?);
    }
    Ok(out)
}
