//! The local database (SQLite, bundled), one file a table: the last known balances (`balances`, so
//! they show at once and offline, with their age), the tokens a person added (`tokens`), every
//! transaction and authorization signed (`payments`, `authorizations`: stored before they leave),
//! the transfers received (`received`), the quotes shown (`quotes`) and tokens' holders replayed from
//! their logs (`token_holders`, `token_scans`), and the NFTs found for the accounts (`nfts`, `nft_scans`,
//! `nft_collections`, `nft_media`), and the tokens hidden from the balances (`hidden_tokens`). Rows are read by column name
//! (`row`). Public data only: no secret is ever stored here; the file is readable by its owner only.

use std::path::Path;

use alloy::primitives::Address;
use rusqlite::Connection;

use crate::error::{Error, Result};

mod authorizations;
mod balances;
mod holders;
mod nfts;
mod payments;
mod quotes;
mod received;
pub mod records;
mod row;
mod tokens;

pub use holders::HolderScan;
pub use nfts::{NftCollection, NftMedia, NftRecord, NftStandard, Review};
pub use records::{
    AuthorizationRecord, CachedBalance, PaymentKind, PaymentRecord, PaymentStatus, Received, Snapshot, Token,
    TransferMethod,
};

/// The database file in a data folder.
pub const DB_FILE: &str = "chain.sqlite";
const SCHEMA_VERSION: i64 = 12;

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
        if version < 8 {
            // Gasless payments through Permit2 (x402 `exact` and `upto`) beside EIP-3009's; the shop's
            // signed offer and receipt.
            conn.execute_batch(
                "BEGIN;
                 ALTER TABLE authorizations ADD COLUMN method TEXT NOT NULL DEFAULT 'eip3009';
                 ALTER TABLE authorizations ADD COLUMN offer TEXT;
                 ALTER TABLE authorizations ADD COLUMN offer_signer TEXT;
                 ALTER TABLE authorizations ADD COLUMN receipt TEXT;
                 ALTER TABLE authorizations ADD COLUMN receipt_said TEXT;
                 PRAGMA user_version = 8;
                 COMMIT;",
            )
            .map_err(db_err)?;
        }
        if version < 9 {
            // A token's overview: its holders replayed from its Transfer logs, and the replay's cursor.
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE token_holders (
                     chain_id INTEGER NOT NULL, token TEXT NOT NULL, holder TEXT NOT NULL, balance TEXT NOT NULL,
                     PRIMARY KEY (chain_id, token, holder));
                 CREATE INDEX token_holders_by_balance ON token_holders (chain_id, token, balance);
                 CREATE TABLE token_scans (
                     chain_id INTEGER NOT NULL, token TEXT NOT NULL, next_block INTEGER NOT NULL,
                     transfers INTEGER NOT NULL, supply TEXT NOT NULL, first_mint_block INTEGER,
                     first_mint_tx TEXT, first_mint_time INTEGER, inconsistent INTEGER NOT NULL,
                     PRIMARY KEY (chain_id, token));
                 PRAGMA user_version = 9;
                 COMMIT;",
            )
            .map_err(db_err)?;
        }
        if version < 10 {
            // NFTs: what the accounts were seen receiving, each account's scan, the collections and the
            // shopper's review of them, and each item's decoded metadata with its image as PNG; and the
            // tokens the shopper hid from the balances.
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE nfts (
                     chain_id INTEGER NOT NULL, account TEXT NOT NULL, contract TEXT NOT NULL, token_id TEXT NOT NULL,
                     standard TEXT NOT NULL, first_block INTEGER NOT NULL, amount TEXT,
                     PRIMARY KEY (chain_id, account, contract, token_id));
                 CREATE TABLE nft_scans (
                     chain_id INTEGER NOT NULL, account TEXT NOT NULL, next_block INTEGER NOT NULL,
                     PRIMARY KEY (chain_id, account));
                 CREATE TABLE nft_collections (
                     chain_id INTEGER NOT NULL, contract TEXT NOT NULL, standard TEXT NOT NULL, name TEXT, symbol TEXT,
                     review TEXT NOT NULL, PRIMARY KEY (chain_id, contract));
                 CREATE TABLE nft_media (
                     chain_id INTEGER NOT NULL, contract TEXT NOT NULL, token_id TEXT NOT NULL, meta TEXT NOT NULL,
                     image BLOB, PRIMARY KEY (chain_id, contract, token_id));
                 CREATE TABLE hidden_tokens (
                     chain_id INTEGER NOT NULL, address TEXT NOT NULL, PRIMARY KEY (chain_id, address));
                 PRAGMA user_version = 10;
                 COMMIT;",
            )
            .map_err(db_err)?;
        }
        if version < 11 {
            // The collections whose remote media (IPFS, web) the shopper allowed.
            conn.execute_batch(
                "BEGIN;
                 ALTER TABLE nft_collections ADD COLUMN remote INTEGER NOT NULL DEFAULT 0;
                 PRAGMA user_version = 11;
                 COMMIT;",
            )
            .map_err(db_err)?;
        }
        if version < 12 {
            // The retailer's signed token list in use on each network, and its tokens.
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE token_lists (
                     chain_id INTEGER PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, timestamp TEXT NOT NULL,
                     signer TEXT NOT NULL, imported_at INTEGER NOT NULL);
                 CREATE TABLE listed_tokens (
                     chain_id INTEGER NOT NULL, address TEXT NOT NULL, symbol TEXT NOT NULL, name TEXT NOT NULL,
                     decimals INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (chain_id, address));
                 PRAGMA user_version = 12;
                 COMMIT;",
            )
            .map_err(db_err)?;
        }
        Ok(Self { conn })
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::balance::Balance;
    use alloy::primitives::U256;

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
            list: None,
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
