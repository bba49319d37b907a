//! The NFT tables: what the accounts were seen receiving (`nfts`, with what the chain last said they
//! own), how far each account's NFT scan has come (`nft_scans`), each collection and whether the shopper
//! reviewed it (`nft_collections`), and each item's metadata as the wallet decoded it, its image already
//! rasterised to PNG (`nft_media`). Token ids are kept as decimal text.

use alloy::primitives::{Address, U256};
use rusqlite::params;

use super::{Db, db_err, row};
use crate::error::Result;

/// Which NFT standard a collection follows (as its logs and its ERC-165 answer say).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NftStandard {
    /// ERC-721: one owner per token id.
    Erc721,
    /// ERC-1155: an amount per owner and id.
    Erc1155,
}

impl NftStandard {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Erc721 => "erc721",
            Self::Erc1155 => "erc1155",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "erc721" => Some(Self::Erc721),
            "erc1155" => Some(Self::Erc1155),
            _ => None,
        }
    }
}

/// An NFT an account was seen receiving, and what the chain last said it owns of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NftRecord {
    /// The account.
    pub account: Address,
    /// The collection's contract.
    pub contract: Address,
    /// The token id.
    pub token_id: U256,
    /// The collection's standard.
    pub standard: NftStandard,
    /// The block it was first seen arriving in.
    pub first_block: u64,
    /// What the account owns of it, as last confirmed (`None`: not confirmed yet).
    pub amount: Option<U256>,
}

/// Whether the shopper sees a collection's items.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    /// Listed by Tender's network data (the shop's own collections): shown.
    Listed,
    /// Arrived unasked; shown only under "unreviewed", with no media loaded.
    Unreviewed,
    /// The shopper chose to see it.
    Shown,
    /// The shopper chose to hide it.
    Hidden,
}

impl Review {
    fn as_str(self) -> &'static str {
        match self {
            Self::Listed => "listed",
            Self::Unreviewed => "unreviewed",
            Self::Shown => "shown",
            Self::Hidden => "hidden",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::Listed, Self::Unreviewed, Self::Shown, Self::Hidden].into_iter().find(|r| r.as_str() == text)
    }

    /// Whether its items' media may be loaded and shown in the gallery.
    pub fn shows_media(self) -> bool {
        matches!(self, Self::Listed | Self::Shown)
    }
}

/// A collection as the wallet knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NftCollection {
    /// Its contract.
    pub contract: Address,
    /// Its standard.
    pub standard: NftStandard,
    /// Its `name()`, sanitised (its own words).
    pub name: Option<String>,
    /// Its `symbol()`, sanitised.
    pub symbol: Option<String>,
    /// Whether the shopper sees it.
    pub review: Review,
    /// Whether the shopper allowed its remote media (IPFS, web) to be fetched.
    pub remote: bool,
}

/// An item's metadata as the wallet decoded it: outside text, already sanitised and cut, and the image
/// as PNG pixels the wallet encoded itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct NftMedia {
    /// Its name.
    pub name: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// Its attributes (trait, value).
    pub attributes: Vec<(String, String)>,
    /// The image, re-encoded as PNG by the wallet.
    #[serde(skip)]
    pub image: Option<Vec<u8>>,
    /// What became of the image (and the metadata): `shown`, `none`, `remote`, or `refused: why`.
    pub state: String,
}

impl Db {
    /// Where account `account`'s NFT scan stands: the next block to read (`None`: never scanned).
    pub fn nft_cursor(&self, chain_id: u64, account: Address) -> Result<Option<u64>> {
        let rows = row::select(
            &self.conn,
            "nft_scans",
            "SELECT next_block FROM nft_scans WHERE chain_id = ?1 AND account = ?2",
            &[&(chain_id as i64), &account.to_checksum(None)],
            |r| r.u64("next_block"),
        )?;
        Ok(rows.into_iter().next())
    }

    /// Stores what one scanned range saw arriving at `accounts` and moves their cursors past it, in one
    /// transaction. A sighting already stored keeps its first block.
    pub fn store_nft_range(
        &self,
        chain_id: u64,
        accounts: &[Address],
        seen: &[(Address, Address, U256, NftStandard, u64)],
        next_block: u64,
    ) -> Result<()> {
        self.atomically(|db| {
            for (account, contract, id, standard, block) in seen {
                db.conn
                    .execute(
                        "INSERT OR IGNORE INTO nfts (chain_id, account, contract, token_id, standard, first_block, amount)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)",
                        params![
                            chain_id as i64,
                            account.to_checksum(None),
                            contract.to_checksum(None),
                            id.to_string(),
                            standard.as_str(),
                            *block as i64
                        ],
                    )
                    .map_err(db_err)?;
            }
            for account in accounts {
                db.conn
                    .execute(
                        "INSERT INTO nft_scans (chain_id, account, next_block) VALUES (?1, ?2, ?3)
                         ON CONFLICT (chain_id, account) DO UPDATE SET next_block = MAX(next_block, excluded.next_block)",
                        params![chain_id as i64, account.to_checksum(None), next_block as i64],
                    )
                    .map_err(db_err)?;
            }
            Ok(())
        })
    }

    /// Every NFT seen arriving at `account` and not confirmed gone, oldest first.
    pub fn nfts(&self, chain_id: u64, account: Address) -> Result<Vec<NftRecord>> {
        row::select(
            &self.conn,
            "nfts",
            "SELECT account, contract, token_id, standard, first_block, amount FROM nfts
             WHERE chain_id = ?1 AND account = ?2 ORDER BY first_block, contract, length(token_id), token_id",
            &[&(chain_id as i64), &account.to_checksum(None)],
            |r| {
                Ok(NftRecord {
                    account: r.parsed("account")?,
                    contract: r.parsed("contract")?,
                    token_id: r.parsed("token_id")?,
                    standard: r.named("standard", NftStandard::parse)?,
                    first_block: r.u64("first_block")?,
                    amount: r.parsed_opt("amount")?,
                })
            },
        )
    }

    /// Stores what the chain says `account` owns of each item. One it owns none of stays, with zero (not
    /// shown, asked again on each look): a node's word is never the end of a sighting.
    pub fn confirm_nfts(&self, chain_id: u64, account: Address, owned: &[(Address, U256, U256)]) -> Result<()> {
        self.atomically(|db| {
            for (contract, id, amount) in owned {
                db.conn
                    .execute(
                        "UPDATE nfts SET amount = ?5
                         WHERE chain_id = ?1 AND account = ?2 AND contract = ?3 AND token_id = ?4",
                        params![
                            chain_id as i64,
                            account.to_checksum(None),
                            contract.to_checksum(None),
                            id.to_string(),
                            amount.to_string()
                        ],
                    )
                    .map_err(db_err)?;
            }
            Ok(())
        })
    }

    /// Forgets sightings of contracts that said they are no NFT collection (an ERC-20 whose `Transfer`
    /// indexes its value has four topics too).
    pub fn forget_nfts(&self, chain_id: u64, account: Address, items: &[(Address, U256, U256)]) -> Result<()> {
        self.atomically(|db| {
            for (contract, id, _) in items {
                db.conn
                    .execute(
                        "DELETE FROM nfts WHERE chain_id = ?1 AND account = ?2 AND contract = ?3 AND token_id = ?4",
                        params![chain_id as i64, account.to_checksum(None), contract.to_checksum(None), id.to_string()],
                    )
                    .map_err(db_err)?;
            }
            Ok(())
        })
    }

    /// The collection at `contract`, if the wallet has met it.
    pub fn nft_collection(&self, chain_id: u64, contract: Address) -> Result<Option<NftCollection>> {
        let rows = row::select(
            &self.conn,
            "nft_collections",
            "SELECT contract, standard, name, symbol, review, remote FROM nft_collections WHERE chain_id = ?1 AND contract = ?2",
            &[&(chain_id as i64), &contract.to_checksum(None)],
            |r| {
                Ok(NftCollection {
                    contract: r.parsed("contract")?,
                    standard: r.named("standard", NftStandard::parse)?,
                    name: r.get("name")?,
                    symbol: r.get("symbol")?,
                    review: r.named("review", Review::parse)?,
                    remote: r.u64("remote")? != 0,
                })
            },
        )?;
        Ok(rows.into_iter().next())
    }

    /// Allows (or stops) fetching the remote media of a collection met before.
    pub fn allow_nft_remote(&self, chain_id: u64, contract: Address, allow: bool) -> Result<bool> {
        let changed = self
            .conn
            .execute(
                "UPDATE nft_collections SET remote = ?3 WHERE chain_id = ?1 AND contract = ?2",
                params![chain_id as i64, contract.to_checksum(None), i64::from(allow)],
            )
            .map_err(db_err)?;
        Ok(changed > 0)
    }

    /// Stores a collection as the wallet met it (a stored review and remote choice are kept).
    pub fn store_nft_collection(&self, chain_id: u64, c: &NftCollection) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO nft_collections (chain_id, contract, standard, name, symbol, review) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (chain_id, contract) DO UPDATE SET standard = excluded.standard, name = excluded.name,
                 symbol = excluded.symbol",
                params![
                    chain_id as i64,
                    c.contract.to_checksum(None),
                    c.standard.as_str(),
                    c.name,
                    c.symbol,
                    c.review.as_str()
                ],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// The shopper's choice for a collection met before: see it, or hide it.
    pub fn review_nft_collection(&self, chain_id: u64, contract: Address, review: Review) -> Result<bool> {
        let changed = self
            .conn
            .execute(
                "UPDATE nft_collections SET review = ?3 WHERE chain_id = ?1 AND contract = ?2",
                params![chain_id as i64, contract.to_checksum(None), review.as_str()],
            )
            .map_err(db_err)?;
        Ok(changed > 0)
    }

    /// An item's decoded metadata, if stored.
    pub fn nft_media(&self, chain_id: u64, contract: Address, id: U256) -> Result<Option<NftMedia>> {
        let rows = row::select(
            &self.conn,
            "nft_media",
            "SELECT meta, image FROM nft_media WHERE chain_id = ?1 AND contract = ?2 AND token_id = ?3",
            &[&(chain_id as i64), &contract.to_checksum(None), &id.to_string()],
            |r| {
                let mut media: NftMedia = serde_json::from_str(&r.get::<String>("meta")?)
                    .map_err(|_| crate::Error::Database { detail: "bad stored nft_media meta".into() })?;
                media.image = r.get("image")?;
                Ok(media)
            },
        )?;
        Ok(rows.into_iter().next())
    }

    /// Stores an item's decoded metadata.
    pub fn store_nft_media(&self, chain_id: u64, contract: Address, id: U256, media: &NftMedia) -> Result<()> {
        let meta = serde_json::to_string(media).map_err(|e| crate::Error::Database { detail: e.to_string() })?;
        self.conn
            .execute(
                "INSERT OR REPLACE INTO nft_media (chain_id, contract, token_id, meta, image) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![chain_id as i64, contract.to_checksum(None), id.to_string(), meta, media.image],
            )
            .map_err(db_err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sighting is stored once, its cursor only moves forward, an item confirmed gone stays with zero
    /// (only a contract that is no collection is forgotten), and a shopper's review survives the
    /// collection being met again.
    #[test]
    fn nfts_are_seen_confirmed_and_reviewed() {
        let db = Db::open_in_memory().expect("db");
        let (me, c) = (Address::repeat_byte(1), Address::repeat_byte(7));
        let seen =
            [(me, c, U256::from(5u8), NftStandard::Erc721, 10), (me, c, U256::from(6u8), NftStandard::Erc721, 11)];
        db.store_nft_range(1, &[me], &seen, 20).expect("store");
        db.store_nft_range(1, &[me], &seen[..1], 15).expect("store again");
        assert_eq!(db.nft_cursor(1, me).expect("cursor"), Some(20), "never backwards");
        let items = db.nfts(1, me).expect("items");
        assert_eq!(items.len(), 2);
        assert_eq!((items[0].first_block, items[0].amount), (10, None));
        db.confirm_nfts(1, me, &[(c, U256::from(5u8), U256::from(1u8)), (c, U256::from(6u8), U256::ZERO)])
            .expect("confirm");
        let items = db.nfts(1, me).expect("items");
        assert_eq!(items.len(), 2, "the one owned no more stays, with zero: asked again next look");
        assert_eq!((items[0].amount, items[1].amount), (Some(U256::from(1u8)), Some(U256::ZERO)));
        db.forget_nfts(1, me, &[(c, U256::from(6u8), U256::ZERO)]).expect("forget");
        assert_eq!(db.nfts(1, me).expect("items").len(), 1, "a contract that is no collection is forgotten");

        let collection = NftCollection {
            contract: c,
            standard: NftStandard::Erc721,
            name: None,
            symbol: None,
            review: Review::Unreviewed,
            remote: false,
        };
        db.store_nft_collection(1, &collection).expect("collection");
        assert!(db.review_nft_collection(1, c, Review::Shown).expect("review"));
        db.store_nft_collection(1, &NftCollection { name: Some("X".into()), ..collection.clone() }).expect("again");
        let stored = db.nft_collection(1, c).expect("read").expect("stored");
        assert_eq!((stored.review, stored.name.as_deref()), (Review::Shown, Some("X")));
        assert!(!db.review_nft_collection(1, Address::ZERO, Review::Shown).expect("none"), "never met: nothing");
        assert!(db.allow_nft_remote(1, c, true).expect("allow"));
        db.store_nft_collection(1, &NftCollection { name: Some("Y".into()), ..collection.clone() }).expect("met again");
        assert!(db.nft_collection(1, c).expect("read").expect("stored").remote, "the shopper's choice is kept");
        assert!(!db.allow_nft_remote(1, Address::ZERO, true).expect("none"));

        let media = NftMedia {
            name: Some("Card".into()),
            image: Some(vec![1, 2, 3]),
            state: "shown".into(),
            ..Default::default()
        };
        db.store_nft_media(1, c, U256::from(5u8), &media).expect("media");
        assert_eq!(db.nft_media(1, c, U256::from(5u8)).expect("read"), Some(media));
    }
}
