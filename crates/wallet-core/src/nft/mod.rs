//! NFTs: the shop's receipts, loyalty cards and tickets, found from the chain alone ([`discover`]),
//! their metadata read locally ([`metadata`]) and their images made into pixels by the wallet
//! ([`render`]). What the shopper sees is a [`Gallery`]: the shop's own collections (listed in Tender's
//! network data) and those the shopper chose to see, with their media; everything else that arrived
//! unasked under "unreviewed", with no media loaded and none of its metadata read.

pub mod discover;
pub mod ipfs;
pub mod metadata;
pub mod remote;
pub mod render;

use alloy::primitives::{Address, U256};
use base64::Engine as _;

pub use crate::chain::network::CollectionData;
use crate::store::{NftCollection, NftMedia, NftRecord, NftStandard, Review};

/// Blocks per log query of the NFT scan.
pub const NFT_RANGE: u64 = 2_000;
/// Most ranges one look reads (a long-idle account catches up over several looks).
pub const NFT_RANGES_PER_LOOK: usize = 50;
/// Most time one look spends scanning.
pub const NFT_LOOK_BUDGET: std::time::Duration = std::time::Duration::from_secs(8);
/// Most items whose metadata one look reads and renders (the rest show "pending" until the next).
pub const NFT_MEDIA_PER_LOOK: usize = 200;
/// Most items whose remote media one look fetches.
pub const NFT_REMOTE_PER_LOOK: usize = 24;
/// Most time one look spends fetching remote media (an item under way is finished, within its own
/// deadline).
pub const NFT_REMOTE_BUDGET: std::time::Duration = std::time::Duration::from_secs(12);

/// One item as the faces show it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Collectible {
    /// The collection's contract.
    #[serde(serialize_with = "crate::keys::address::serialize_checksummed")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub contract: Address,
    /// The token id, in decimal.
    pub token_id: String,
    /// The collection's standard.
    pub standard: NftStandard,
    /// How many the account holds (1 for ERC-721), in decimal.
    pub amount: String,
    /// The collection's `name()` (its own words, sanitised), if it says one.
    pub collection: Option<String>,
    /// Whether the shopper sees its collection.
    pub review: Review,
    /// Whether the shopper allowed its collection's remote media to be fetched.
    pub remote_allowed: bool,
    /// The item's name, from its metadata (its collection's words): only for a collection shown.
    pub name: Option<String>,
    /// Its description (the collection's words), likewise.
    pub description: Option<String>,
    /// Its attributes (trait, value), likewise.
    pub attributes: Vec<(String, String)>,
    /// Its image: a PNG the wallet encoded itself, as a `data:image/png;base64,` URL.
    pub image: Option<String>,
    /// What became of its media: `shown`, `none`, `remote` (not fetched: not allowed), `unreachable: why`
    /// (its server did not answer; asked again), `not_loaded` (an unreviewed collection), `pending` (not
    /// read yet), or `refused: why`.
    pub media: String,
    /// The block it was first seen arriving in.
    pub first_block: u64,
}

/// An account's NFTs.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Gallery {
    /// The shop's collections and those the shopper chose to see.
    pub shown: Vec<Collectible>,
    /// What arrived unasked: no media, no metadata read.
    pub unreviewed: Vec<Collectible>,
    /// How many items of collections the shopper hid.
    pub hidden: u32,
    /// The scan has read the chain up to this block (`None`: never scanned).
    pub as_of_block: Option<u64>,
    /// Whether it was read from the chain just now (else: the last known, offline).
    pub live: bool,
    /// Whether the privacy setting keeps every remote media off.
    pub remote_media_off: bool,
}

/// The collections `chain_id`'s network data lists.
pub fn listed_collections(chain_id: u64) -> &'static [CollectionData] {
    crate::chain::network::network_data(chain_id).map_or(&[], |n| n.collections.as_slice())
}

/// The gallery of `items`, each with its collection (`None`: not classified yet, not shown) and stored
/// media.
pub fn gallery(
    items: &[(NftRecord, Option<NftCollection>, Option<NftMedia>)],
    as_of_block: Option<u64>,
    live: bool,
) -> Gallery {
    let mut out =
        Gallery { shown: Vec::new(), unreviewed: Vec::new(), hidden: 0, as_of_block, live, remote_media_off: false };
    for (record, collection, media) in items {
        let Some(collection) = collection else { continue };
        if record.amount.is_some_and(|a| a.is_zero()) {
            continue;
        }
        let shows = collection.review.shows_media();
        let media = if shows { media.clone() } else { None };
        let state = match (&media, shows) {
            (_, false) => "not_loaded".to_owned(),
            (Some(m), true) => m.state.clone(),
            (None, true) => "pending".to_owned(),
        };
        let media = media.unwrap_or_default();
        let item = Collectible {
            contract: record.contract,
            token_id: record.token_id.to_string(),
            standard: record.standard,
            amount: record.amount.unwrap_or(U256::from(1u8)).to_string(),
            collection: collection.name.clone(),
            review: collection.review,
            remote_allowed: collection.remote,
            name: media.name,
            description: media.description,
            attributes: media.attributes,
            image: media
                .image
                .map(|png| format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png))),
            media: state,
            first_block: record.first_block,
        };
        match collection.review {
            Review::Listed | Review::Shown => out.shown.push(item),
            Review::Unreviewed => out.unreviewed.push(item),
            Review::Hidden => out.hidden += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(contract: u8, id: u8) -> NftRecord {
        NftRecord {
            account: Address::repeat_byte(1),
            contract: Address::repeat_byte(contract),
            token_id: U256::from(id),
            standard: NftStandard::Erc721,
            first_block: 1,
            amount: Some(U256::from(1u8)),
        }
    }

    fn collection(contract: u8, review: Review) -> NftCollection {
        NftCollection {
            contract: Address::repeat_byte(contract),
            standard: NftStandard::Erc721,
            name: Some("C".into()),
            symbol: None,
            review,
            remote: false,
        }
    }

    /// An unreviewed collection's items carry no media even when some is stored; hidden ones are only
    /// counted; an item not classified as an NFT, or owned no more, is not shown.
    #[test]
    fn unreviewed_items_carry_no_media() {
        let media = NftMedia {
            name: Some("Claim your prize at evil.example".into()),
            image: Some(vec![1]),
            state: "shown".into(),
            ..NftMedia::default()
        };
        let mut gone = record(2, 9);
        gone.amount = Some(U256::ZERO);
        let items = vec![
            (record(2, 1), Some(collection(2, Review::Listed)), Some(media.clone())),
            (record(3, 1), Some(collection(3, Review::Unreviewed)), Some(media.clone())),
            (record(4, 1), Some(collection(4, Review::Hidden)), None),
            (record(5, 1), None, None),
            (gone, Some(collection(2, Review::Listed)), None),
        ];
        let g = gallery(&items, Some(10), true);
        assert_eq!(g.shown.len(), 1);
        assert!(g.shown[0].image.as_ref().is_some_and(|i| i.starts_with("data:image/png;base64,")));
        assert_eq!(g.unreviewed.len(), 1);
        let spam = &g.unreviewed[0];
        assert_eq!((spam.name.as_ref(), spam.image.as_ref(), spam.media.as_str()), (None, None, "not_loaded"));
        assert_eq!(g.hidden, 1);
    }
}
