//! The local database (SQLite, bundled): the last known balances, so they show instantly and offline
//! with their age, and the tokens a person added. Public data only: no secret is ever stored here.

use std::path::Path;

use alloy::primitives::{Address, U256};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};

pub mod records;

pub use records::{
    AuthorizationRecord, CachedBalance, PaymentKind, PaymentRecord, PaymentStatus, Received, Snapshot, Token,
};

/// The database file in a data folder.
pub const DB_FILE: &str = "chain.sqlite";
const SCHEMA_VERSION: i64 = 7;

/// A quote as the database keeps it (shown, not yet paid): found again by its digest, dropped once
/// expired. Implemented by the payment quote.
pub trait StoredQuote: serde::Serialize + serde::de::DeserializeOwned {
    /// The digest of everything it signs.
    fn digest(&self) -> alloy::primitives::B256;
    /// When it was made (Unix seconds).
    fn created_at(&self) -> u64;
    /// Until when it may be paid (Unix seconds).
    fn expires_at(&self) -> u64;
}

/// The local database.
pub struct Db {
    conn: Connection,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").finish_non_exhaustive()
    }
}

fn db_err(e: rusqlite::Error) -> Error {
    // Kept as the error's source (`std::error::Error::source`), not flattened to text.
    Error::Sqlite(e)
}

fn token_key(token: Option<Address>) -> String {
    token.map(|t| t.to_checksum(None)).unwrap_or_default()
}

impl Db {
    /// Opens (creating or migrating) the database at `path`.
    ///
    /// The file (and SQLite's `-wal` and `-shm` files, which take its mode) is readable by its owner
    /// only: it lists every address, payment and raw transaction of the wallet.
    pub fn open(path: &Path) -> Result<Self> {
        crate::vault::atomic::ensure_private_file(path)?;
        Self::init(Connection::open(path).map_err(db_err)?)
    }

    /// A database in memory (tests, or a wallet that must not touch the disk).
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory().map_err(db_err)?)
    }

    fn init(conn: Connection) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(db_err)?;
        let _ = conn.pragma_update(None, "journal_mode", "WAL");
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(db_err)?;
        if version > SCHEMA_VERSION {
            return Err(Error::Database { detail: format!("written by a newer Tender (schema {version})") });
        }
        if version < 1 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE balances (
                     chain_id INTEGER NOT NULL, account TEXT NOT NULL, token TEXT NOT NULL,
                     amount TEXT NOT NULL, block_number INTEGER NOT NULL, fetched_at INTEGER NOT NULL,
                     PRIMARY KEY (chain_id, account, token));
                 CREATE TABLE custom_tokens (
                     chain_id INTEGER NOT NULL, address TEXT NOT NULL, symbol TEXT NOT NULL, name TEXT NOT NULL,
                     decimals INTEGER NOT NULL, added_at INTEGER NOT NULL, PRIMARY KEY (chain_id, address));
                 PRAGMA user_version = 1;
                 COMMIT;",
            )
            .map_err(db_err)?;
        }
        if version < 2 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE payments (
                     tx_hash TEXT PRIMARY KEY, chain_id INTEGER NOT NULL, account TEXT NOT NULL,
                     request_uri TEXT NOT NULL, order_ref TEXT, payee TEXT NOT NULL, token TEXT NOT NULL,
                     amount TEXT NOT NULL, nonce INTEGER NOT NULL, raw_tx BLOB NOT NULL, status TEXT NOT NULL,
                     created_at INTEGER NOT NULL, block_number INTEGER, error TEXT);
                 CREATE INDEX payments_by_request ON payments (chain_id, account, request_uri, created_at);
                 PRAGMA user_version = 2;
                 COMMIT;",
            )
            .map_err(db_err)?;
        }
        if version < 3 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE received (
                     chain_id INTEGER NOT NULL, account TEXT NOT NULL, tx_hash TEXT NOT NULL, log_index INTEGER NOT NULL,
                     token TEXT NOT NULL, sender TEXT NOT NULL, amount TEXT NOT NULL, block_number INTEGER NOT NULL,
                     PRIMARY KEY (chain_id, tx_hash, log_index, account));
                 CREATE TABLE scan_cursors (
                     chain_id INTEGER NOT NULL, account TEXT NOT NULL, next_block INTEGER NOT NULL,
                     PRIMARY KEY (chain_id, account));
                 PRAGMA user_version = 3;
                 COMMIT;",
            )
            .map_err(db_err)?;
        }
        if version < 4 {
            conn.execute_batch(
                "BEGIN;
                 ALTER TABLE payments ADD COLUMN expires_at INTEGER;
                 ALTER TABLE payments ADD COLUMN received TEXT;
                 ALTER TABLE payments ADD COLUMN quote_digest TEXT;
                 CREATE INDEX payments_by_what ON payments (chain_id, payee, token, amount, created_at);
                 CREATE TABLE quotes (
                     digest TEXT PRIMARY KEY, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
                     quote TEXT NOT NULL);
                 PRAGMA user_version = 4;
                 COMMIT;",
            )
            .map_err(db_err)?;
        }
        if version < 5 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE authorizations (
                     nonce TEXT PRIMARY KEY, chain_id INTEGER NOT NULL, account TEXT NOT NULL,
                     resource TEXT NOT NULL, domain TEXT NOT NULL, description TEXT, payee TEXT NOT NULL,
                     token TEXT NOT NULL, amount TEXT NOT NULL, valid_after INTEGER NOT NULL,
                     valid_before INTEGER NOT NULL, version INTEGER NOT NULL, header TEXT NOT NULL,
                     status TEXT NOT NULL, created_at INTEGER NOT NULL, signed_at_block INTEGER NOT NULL,
                     tx_hash TEXT, block_number INTEGER, error TEXT, received TEXT, quote_digest TEXT NOT NULL);
                 CREATE INDEX authorizations_by_what ON authorizations (chain_id, resource, payee, token, amount, created_at);
                 PRAGMA user_version = 5;
                 COMMIT;",
            )
            .map_err(db_err)?;
        }
        if version < 6 {
            // Speed-ups and cancellations: transactions of one payment share its nonce. Received
            // transfers get their block's date.
            conn.execute_batch(
                "BEGIN;
                 ALTER TABLE payments ADD COLUMN kind TEXT NOT NULL DEFAULT 'payment';
                 ALTER TABLE payments ADD COLUMN replaces TEXT;
                 ALTER TABLE received ADD COLUMN block_time INTEGER;
                 CREATE INDEX payments_by_nonce ON payments (chain_id, account, nonce);
                 PRAGMA user_version = 6;
                 COMMIT;",
            )
            .map_err(db_err)?;
        }
        if version < 7 {
            // The chain decides: a transaction whose nonce another one used is called replaced only
            // after that has held across refreshes.
            conn.execute_batch(
                "BEGIN;
                 ALTER TABLE payments ADD COLUMN replaced_seen_at INTEGER;
                 PRAGMA user_version = 7;
                 COMMIT;",
            )
            .map_err(db_err)?;
        }
        Ok(Self { conn })
    }

    /// Keeps a quote that was shown (the CLI pays it later by its digest). Expired quotes are
    /// dropped on the way.
    pub fn save_quote<Q: StoredQuote>(&self, quote: &Q, now: u64) -> Result<()> {
        let json = serde_json::to_string(quote).map_err(|e| Error::Database { detail: e.to_string() })?;
        self.conn.execute("DELETE FROM quotes WHERE expires_at < ?1", params![now as i64]).map_err(db_err)?;
        self.conn
            .execute(
                "INSERT OR REPLACE INTO quotes (digest, created_at, expires_at, quote) VALUES (?1, ?2, ?3, ?4)",
                params![quote.digest().to_string(), quote.created_at() as i64, quote.expires_at() as i64, json],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// The quote shown with `digest` (full, or its first 8 or more hex digits), if kept.
    pub fn quote<Q: StoredQuote>(&self, digest: &str) -> Result<Option<Q>> {
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
        match found.as_slice() {
            [one] => serde_json::from_str(one).map(Some).map_err(|e| Error::Database { detail: e.to_string() }),
            _ => Ok(None),
        }
    }

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
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT token, amount, block_number, fetched_at FROM balances
                 WHERE chain_id = ?1 AND account = ?2 ORDER BY token",
            )
            .map_err(db_err)?;
        let mut out = Vec::new();
        for account in accounts {
            let rows = stmt
                .query_map(params![chain_id as i64, account.to_checksum(None)], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
                })
                .map_err(db_err)?;
            for row in rows {
                let (token, amount, block, fetched) = row.map_err(db_err)?;
                let corrupt = |what: &str| Error::Database { detail: format!("bad cached {what}") };
                let token = if token.is_empty() { None } else { Some(token.parse().map_err(|_| corrupt("token"))?) };
                let amount = amount.parse().map_err(|_| corrupt("amount"))?;
                out.push(CachedBalance {
                    account: *account,
                    token,
                    amount,
                    block_number: block as u64,
                    fetched_at: fetched as u64,
                });
            }
        }
        Ok(out)
    }

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
        let mut stmt = self
            .conn
            .prepare_cached("SELECT address, symbol, name, decimals FROM custom_tokens WHERE chain_id = ?1 ORDER BY added_at, address")
            .map_err(db_err)?;
        let rows = stmt
            .query_map(params![chain_id as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, u8>(3)?))
            })
            .map_err(db_err)?;
        let mut out = Vec::new();
        for row in rows {
            let (address, symbol, name, decimals) = row.map_err(db_err)?;
            let address = address.parse().map_err(|_| Error::Database { detail: "bad token address".into() })?;
            out.push(Token { chain_id, address, symbol, name, decimals, featured: false, verified: false });
        }
        Ok(out)
    }

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

    /// Runs `f` in one write transaction taken at once (`BEGIN IMMEDIATE`): another process's
    /// check-then-insert (the duplicate guard's) waits for it, so two processes paying the same
    /// request never both pass the guard.
    pub fn atomically<T>(&self, f: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(db_err)?;
        match f(self) {
            Ok(value) => {
                self.conn.execute_batch("COMMIT").map_err(db_err)?;
                Ok(value)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
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
        let mut stmt = self.conn.prepare_cached(&sql).map_err(db_err)?;
        let rows = stmt
            .query_map(args, |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, i64>(8)?,
                    r.get::<_, Vec<u8>>(9)?,
                    r.get::<_, String>(10)?,
                    r.get::<_, i64>(11)?,
                    r.get::<_, Option<i64>>(12)?,
                    r.get::<_, Option<String>>(13)?,
                    (r.get::<_, Option<i64>>(14)?, r.get::<_, Option<String>>(15)?, r.get::<_, Option<String>>(16)?),
                    (r.get::<_, String>(17)?, r.get::<_, Option<String>>(18)?, r.get::<_, Option<i64>>(19)?),
                ))
            })
            .map_err(db_err)?;
        let corrupt = |what: &str| Error::Database { detail: format!("bad stored payment {what}") };
        let mut out = Vec::new();
        for row in rows {
            let (
                hash,
                chain,
                account,
                uri,
                order,
                payee,
                token,
                amount,
                nonce,
                raw,
                status,
                created,
                block,
                error,
                more,
                replacement,
            ) = row.map_err(db_err)?;
            let (expires, received, digest) = more;
            let (kind, replaces, replaced_seen_at) = replacement;
            out.push(PaymentRecord {
                chain_id: chain as u64,
                account: account.parse().map_err(|_| corrupt("account"))?,
                request_uri: uri,
                order,
                payee: payee.parse().map_err(|_| corrupt("payee"))?,
                token: if token.is_empty() { None } else { Some(token.parse().map_err(|_| corrupt("token"))?) },
                amount: amount.parse().map_err(|_| corrupt("amount"))?,
                nonce: nonce as u64,
                tx_hash: hash.parse().map_err(|_| corrupt("hash"))?,
                raw_tx: raw.into(),
                status: PaymentStatus::parse(&status).ok_or_else(|| corrupt("status"))?,
                created_at: created as u64,
                block_number: block.map(|b| b as u64),
                error,
                expires_at: expires.map(|e| e as u64),
                received: received.map(|r| r.parse().map_err(|_| corrupt("received"))).transpose()?,
                quote_digest: digest.map(|d| d.parse().map_err(|_| corrupt("digest"))).transpose()?,
                kind: PaymentKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
                replaces: replaces.map(|h| h.parse().map_err(|_| corrupt("replaces"))).transpose()?,
                replaced_seen_at: replaced_seen_at.map(|t| t as u64),
            });
        }
        Ok(out)
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
                 AND ((created_at >= ?6 AND status IN {}) OR status IN {})",
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

    /// Stores a newly signed authorization. Fails if its nonce is already stored.
    pub fn insert_authorization(&self, a: &AuthorizationRecord) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO authorizations (nonce, chain_id, account, resource, domain, description, payee, token,
                     amount, valid_after, valid_before, version, header, status, created_at, signed_at_block, tx_hash,
                     block_number, error, received, quote_digest)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
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
                ],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// Records an authorization's new status.
    pub fn update_authorization(&self, a: &AuthorizationRecord) -> Result<()> {
        self.conn
            .execute(
                "UPDATE authorizations SET status = ?2, tx_hash = ?3, block_number = ?4, error = ?5, received = ?6
                 WHERE nonce = ?1",
                params![
                    a.nonce.to_string(),
                    a.status.as_str(),
                    a.tx_hash.map(|h| h.to_string()),
                    a.block_number.map(|b| b as i64),
                    a.error,
                    a.received.map(|r| r.to_string()),
                ],
            )
            .map_err(db_err)?;
        Ok(())
    }

    fn authorizations_where(&self, clause: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<AuthorizationRecord>> {
        let sql = format!(
            "SELECT nonce, chain_id, account, resource, domain, description, payee, token, amount, valid_after,
                    valid_before, version, header, status, created_at, signed_at_block, tx_hash, block_number, error,
                    received, quote_digest
             FROM authorizations WHERE {clause} ORDER BY created_at DESC, nonce"
        );
        let corrupt = |what: &str| Error::Database { detail: format!("bad stored authorization {what}") };
        let mut stmt = self.conn.prepare_cached(&sql).map_err(db_err)?;
        let mut rows = stmt.query(args).map_err(db_err)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(db_err)? {
            let text = |i: usize| r.get::<_, String>(i).map_err(db_err);
            let opt = |i: usize| r.get::<_, Option<String>>(i).map_err(db_err);
            let int = |i: usize| r.get::<_, i64>(i).map_err(db_err);
            out.push(AuthorizationRecord {
                nonce: text(0)?.parse().map_err(|_| corrupt("nonce"))?,
                chain_id: int(1)? as u64,
                account: text(2)?.parse().map_err(|_| corrupt("account"))?,
                resource: text(3)?,
                domain: text(4)?,
                description: opt(5)?,
                payee: text(6)?.parse().map_err(|_| corrupt("payee"))?,
                token: text(7)?.parse().map_err(|_| corrupt("token"))?,
                amount: text(8)?.parse().map_err(|_| corrupt("amount"))?,
                valid_after: int(9)? as u64,
                valid_before: int(10)? as u64,
                version: u8::try_from(int(11)?).map_err(|_| corrupt("version"))?,
                header: text(12)?,
                status: PaymentStatus::parse(&text(13)?).ok_or_else(|| corrupt("status"))?,
                created_at: int(14)? as u64,
                signed_at_block: int(15)? as u64,
                tx_hash: opt(16)?.map(|h| h.parse().map_err(|_| corrupt("hash"))).transpose()?,
                block_number: r.get::<_, Option<i64>>(17).map_err(db_err)?.map(|b| b as u64),
                error: opt(18)?,
                received: opt(19)?.map(|v| v.parse().map_err(|_| corrupt("received"))).transpose()?,
                quote_digest: text(20)?.parse().map_err(|_| corrupt("digest"))?,
            });
        }
        Ok(out)
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
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT tx_hash, log_index, token, sender, amount, block_number, block_time FROM received
                 WHERE chain_id = ?1 AND account = ?2 ORDER BY block_number DESC, log_index DESC",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map(params![chain_id as i64, account.to_checksum(None)], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                ))
            })
            .map_err(db_err)?;
        let corrupt = |w: &str| Error::Database { detail: format!("bad stored transfer {w}") };
        let mut out = Vec::new();
        for row in rows {
            let (hash, index, token, sender, amount, block, time) = row.map_err(db_err)?;
            out.push(Received {
                chain_id,
                account,
                token: if token.is_empty() { None } else { Some(token.parse().map_err(|_| corrupt("token"))?) },
                from: sender.parse().map_err(|_| corrupt("sender"))?,
                amount: amount.parse().map_err(|_| corrupt("amount"))?,
                tx_hash: hash.parse().map_err(|_| corrupt("hash"))?,
                log_index: index as u64,
                block_number: block as u64,
                block_time: time.map(|t| t as u64),
            });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::balance::Balance;

    fn snap(block: u64, amount: u64) -> Snapshot {
        let a: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".parse().expect("a");
        let t: Address = "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35".parse().expect("t");
        Snapshot {
            chain_id: 31337,
            block_number: block,
            balances: vec![
                Balance { account: a, token: None, amount: Some(U256::from(amount)) },
                Balance { account: a, token: Some(t), amount: Some(U256::from(amount * 2)) },
                Balance { account: a, token: Some(Address::ZERO), amount: None },
            ],
            requests: 1,
        }
    }

    /// From the audit: the duplicate guard's check and its insert were two statements, so two
    /// processes paying the same request at once could both find nothing and both insert. In one
    /// `atomically` the second waits for the first to commit, then finds its record.
    #[test]
    fn a_check_then_insert_is_atomic_across_connections() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join(DB_FILE);
        let record = |n: u8| PaymentRecord {
            order: Some("A-1".into()),
            request_uri: "ethereum:0x42".into(),
            ..PaymentRecord::for_tests(u64::from(n), PaymentStatus::Signed, Address::repeat_byte(0x42), U256::from(5u8))
        };
        let guarded = |db: &Db, r: PaymentRecord, pause: std::time::Duration| {
            db.atomically(|db| {
                let earlier = db.duplicate_payment(r.chain_id, r.payee, r.token, r.amount, r.order.as_deref(), 0)?;
                std::thread::sleep(pause);
                if earlier.is_none() {
                    db.insert_payment(&r)?;
                }
                Ok(earlier.is_none())
            })
        };
        Db::open(&path).expect("create");
        std::thread::scope(|scope| {
            let a = scope
                .spawn(|| guarded(&Db::open(&path).expect("db"), record(1), std::time::Duration::from_millis(300)));
            std::thread::sleep(std::time::Duration::from_millis(50));
            let b = scope.spawn(|| guarded(&Db::open(&path).expect("db"), record(2), std::time::Duration::ZERO));
            let inserted = [a.join().expect("a").expect("a"), b.join().expect("b").expect("b")];
            assert_eq!(inserted, [true, false], "the second found the first's record");
        });
        let db = Db::open(&path).expect("db");
        assert_eq!(db.payments(31337, Address::repeat_byte(1)).expect("read").len(), 1, "one payment, not two");
    }

    #[test]
    fn newer_balances_are_never_replaced_by_older_ones() {
        let mut db = Db::open_in_memory().expect("db");
        assert_eq!(db.store_snapshot(&snap(10, 5), 100).expect("store"), 2, "unreadable balances are not stored");
        assert_eq!(db.store_snapshot(&snap(9, 7), 101).expect("store"), 0, "an older block changes nothing");
        let a = snap(0, 0).balances[0].account;
        let cached = db.cached_balances(31337, &[a]).expect("read");
        assert_eq!(cached.len(), 2);
        assert!(cached.iter().all(|c| c.block_number == 10 && c.fetched_at == 100));
        assert_eq!(cached[0].token, None);
        assert_eq!(cached[0].amount, U256::from(5));
        assert_eq!(db.store_snapshot(&snap(11, 8), 102).expect("store"), 2);
        assert_eq!(db.cached_balances(31337, &[a]).expect("read")[0].amount, U256::from(8));
        assert_eq!(db.latest_block(31337).expect("latest"), Some(11));
        assert!(db.cached_balances(1, &[a]).expect("other chain").is_empty());
    }

    #[test]
    fn survives_reopening_and_refuses_a_newer_schema() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join(DB_FILE);
        let mut db = Db::open(&path).expect("open");
        db.store_snapshot(&snap(3, 1), 1).expect("store");
        let token = Token {
            chain_id: 31337,
            address: Address::repeat_byte(7),
            symbol: "X".into(),
            name: "X".into(),
            decimals: 6,
            featured: false,
            verified: false,
        };
        db.add_custom_token(&token, 5).expect("token");
        drop(db);
        let db = Db::open(&path).expect("reopen");
        assert_eq!(db.latest_block(31337).expect("latest"), Some(3));
        assert_eq!(db.custom_tokens(31337).expect("tokens"), vec![token]);
        db.conn.execute_batch("PRAGMA user_version = 99").expect("bump");
        drop(db);
        assert!(matches!(Db::open(&path), Err(Error::Database { .. })));
    }
}
