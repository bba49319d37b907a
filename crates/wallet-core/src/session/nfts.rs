//! An account's NFTs ([`crate::nft`]): found from the chain's logs from where the last look stopped,
//! owned as the contracts say now, the shop's collections shown with their media and the rest kept
//! "unreviewed" until the shopper chooses.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::nft::{self, Gallery, NFT_LOOK_BUDGET, NFT_MEDIA_PER_LOOK, NFT_RANGE, NFT_RANGES_PER_LOOK, discover};
use crate::store::{NftCollection, NftRecord, NftStandard, Review};
use alloy::providers::Provider as _;

impl Session {
    /// The NFTs of account `index`: read from the chain (the scan moves on from where it stopped, what
    /// is owned is confirmed, the shown collections' new items get their media), else — the node not
    /// answering — the last known ones, `live: false`.
    ///
    /// The database is never held while the node is asked.
    pub async fn nfts(&self, index: u32) -> Result<Gallery> {
        let account = self.account(index).await?.address;
        let refreshed = match self.reachable_client().await {
            Ok(client) => self.refresh_nfts(&client, account).await,
            Err(e) => Err(e),
        };
        match refreshed {
            Ok(()) => self.stored_gallery(account, true).await,
            Err(e @ (Error::RpcUnavailable { .. } | Error::BadRpcResponse { .. })) => {
                self.drop_client().await;
                let gallery = self.stored_gallery(account, false).await?;
                if gallery.as_of_block.is_none() { Err(e) } else { Ok(gallery) }
            }
            Err(e) => Err(e),
        }
    }

    /// The shopper's choice for the collection `contract`, met before: see its items (with their media;
    /// the shop's own collections are seen as listed), or hide them.
    pub async fn review_nft_collection(&self, contract: Address, show: bool) -> Result<()> {
        let chain_id = self.network().await?.chain_id;
        let listed = nft::listed_collections(chain_id).iter().any(|c| c.address == contract);
        let review = match (show, listed) {
            (false, _) => Review::Hidden,
            (true, true) => Review::Listed,
            (true, false) => Review::Shown,
        };
        if self.db().await?.review_nft_collection(chain_id, contract, review)? {
            Ok(())
        } else {
            Err(Error::UnknownCollection { address: contract })
        }
    }

    /// The shopper's choice for the remote media (IPFS, web) of the collection `contract`: fetch them
    /// from the next look on (each item's server learns that it is looked at), or stop fetching (what
    /// was fetched stays: it is on this device). The privacy setting's "no remote media" overrides it.
    pub async fn allow_nft_media(&self, contract: Address, allow: bool) -> Result<()> {
        let chain_id = self.network().await?.chain_id;
        if self.db().await?.allow_nft_remote(chain_id, contract, allow)? {
            Ok(())
        } else {
            Err(Error::UnknownCollection { address: contract })
        }
    }

    /// The sheet for sending `amount` (ERC-721: 1) of the NFT `token_id` of `contract` from account
    /// `index` to `to` (an address): what it sends, to whom, and its network fee at most, kept by its id
    /// until confirmed with [`Session::send_nft`]. Only items of the account's gallery are offered.
    pub async fn nft_transfer(
        &self,
        index: u32,
        contract: Address,
        token_id: U256,
        to: &str,
        amount: U256,
    ) -> Result<crate::pay::nft_send::NftTransferQuote> {
        let from = self.account(index).await?.address;
        let to = crate::keys::address::parse_address(to)?;
        let chain_id = self.network().await?.chain_id;
        let (standard, own) = {
            let db = self.db().await?;
            let standard = db
                .nfts(chain_id, from)?
                .into_iter()
                .find(|r| r.contract == contract && r.token_id == token_id)
                .map(|r| r.standard)
                .ok_or(Error::UnknownCollection { address: contract })?;
            (standard, db.payments(chain_id, from)?)
        };
        let item = crate::pay::nft_send::NftItem { contract, token_id, standard, amount };
        let client = self.reachable_client().await?;
        // No lock while the node is asked.
        let quote = crate::pay::nft_send::quote(&client, from, item, to, &own).await?;
        self.keep(Kept::NftTransfer(Box::new(quote.clone())), quote.id());
        Ok(quote)
    }

    /// Signs exactly the NFT transfer `quote_id` that was shown (its `digest` passed back), stores it,
    /// sends it and follows it until the chain decides or `tracking` times out. Used once.
    pub async fn send_nft(&self, quote_id: &str, digest: &str, tracking: Tracking) -> Result<Receipt> {
        let kept = lock(&self.quotes).remove(quote_id).ok_or(Error::UnknownQuote)?;
        let Kept::NftTransfer(quote) = kept else { return Err(Error::QuoteMismatch) };
        if quote.digest().to_string() != digest.trim().to_ascii_lowercase() {
            return Err(Error::QuoteMismatch);
        }
        let client = self.client_on(quote.transaction.chain_id).await?;
        let signed = self.with_unlocked(|w| crate::pay::nft_send::sign(w, &quote)).await?;
        let symbol = format!("#{}", quote.item.token_id);
        self.send_own(&client, signed, tracking, symbol, 0).await
    }

    async fn stored_gallery(&self, account: Address, live: bool) -> Result<Gallery> {
        let chain_id = self.network().await?.chain_id;
        let db = self.db().await?;
        let mut items = Vec::new();
        for record in db.nfts(chain_id, account)? {
            let collection = db.nft_collection(chain_id, record.contract)?;
            let media = db.nft_media(chain_id, record.contract, record.token_id)?;
            items.push((record, collection, media));
        }
        let cursor = db.nft_cursor(chain_id, account)?;
        let mut gallery = nft::gallery(&items, cursor.map(|c| c.saturating_sub(1)), live);
        gallery.remote_media_off = self.privacy()?.remote_media_off;
        Ok(gallery)
    }

    async fn refresh_nfts(&self, client: &ChainClient, account: Address) -> Result<()> {
        let chain_id = client.network.chain_id;
        let head = client.provider.get_block_number().await.map_err(|e| client.rpc_error(e))?;
        // The scan, range by range from the cursor.
        let stored = self.db().await?.nft_cursor(chain_id, account)?;
        let mut next = stored.unwrap_or_else(|| {
            head.saturating_sub(crate::chain::history::ScanOptions::for_chain(chain_id).initial_lookback)
        });
        let started = std::time::Instant::now();
        let mut ranges = 0;
        while next <= head && ranges < NFT_RANGES_PER_LOOK && started.elapsed() < NFT_LOOK_BUDGET {
            let to = head.min(next.saturating_add(NFT_RANGE - 1));
            let (seen, _) = discover::fetch_range(client, &[account], next, to).await?;
            self.db().await?.store_nft_range(chain_id, &[account], &seen, to + 1)?;
            next = to + 1;
            ranges += 1;
        }
        let records = self.db().await?.nfts(chain_id, account)?;
        self.classify_collections(client, account, &records).await?;
        // What is owned now, of the items of collections.
        let records = self.db().await?.nfts(chain_id, account)?;
        let items: Vec<_> = records.iter().map(|r| (r.contract, r.token_id, r.standard)).collect();
        let owned = discover::owned(client, account, &items).await?;
        self.db().await?.confirm_nfts(chain_id, account, &owned)?;
        self.load_media(client, account).await
    }

    /// Meets the collections of `records` not met before: listed ones are shown, any other that says
    /// (ERC-165) it is the collection its logs claim is unreviewed; a contract that says it is not is no
    /// collection, and its sightings leave. One whose answer the node did not give is asked next look.
    async fn classify_collections(&self, client: &ChainClient, account: Address, records: &[NftRecord]) -> Result<()> {
        let chain_id = client.network.chain_id;
        let mut new: BTreeMap<Address, NftStandard> = BTreeMap::new();
        {
            let db = self.db().await?;
            for r in records {
                if db.nft_collection(chain_id, r.contract)?.is_none() {
                    new.entry(r.contract).or_insert(r.standard);
                }
            }
        }
        if new.is_empty() {
            return Ok(());
        }
        let (classified, not_nfts) = discover::classify(client, &new).await?;
        let contracts: BTreeSet<Address> = classified.keys().copied().collect();
        let names = discover::names(client, &contracts).await?;
        let listed = nft::listed_collections(chain_id);
        let db = self.db().await?;
        for ((contract, standard), (name, symbol)) in classified.iter().zip(names) {
            let listing = listed.iter().find(|c| c.address == *contract && c.standard == *standard);
            let review = if listing.is_some() { Review::Listed } else { Review::Unreviewed };
            let name = listing.map(|l| l.name.clone()).or(name);
            db.store_nft_collection(
                chain_id,
                &NftCollection { contract: *contract, standard: *standard, name, symbol, review, remote: false },
            )?;
        }
        let not_nfts: Vec<_> = records
            .iter()
            .filter(|r| not_nfts.contains(&r.contract))
            .map(|r| (r.contract, r.token_id, U256::ZERO))
            .collect();
        db.forget_nfts(chain_id, account, &not_nfts)
    }

    /// Reads and renders the metadata of shown items that have none stored (at most
    /// [`nft::NFT_MEDIA_PER_LOOK`] a look), and fetches the remote media of the collections the shopper
    /// allowed (unless the privacy setting keeps them off): items not fetched yet, or whose server did
    /// not answer last time, within [`nft::NFT_REMOTE_PER_LOOK`] and [`nft::NFT_REMOTE_BUDGET`].
    /// Unreviewed and hidden collections' items are never read.
    async fn load_media(&self, client: &ChainClient, account: Address) -> Result<()> {
        let chain_id = client.network.chain_id;
        let privacy = self.privacy()?;
        let mut local = Vec::new();
        let mut remote = Vec::new();
        {
            let db = self.db().await?;
            for r in db.nfts(chain_id, account)? {
                let Some(collection) = db.nft_collection(chain_id, r.contract)? else { continue };
                if !collection.review.shows_media() || r.amount.is_none_or(|a| a.is_zero()) {
                    continue;
                }
                let stored = db.nft_media(chain_id, r.contract, r.token_id)?;
                let fetch = collection.remote && !privacy.remote_media_off;
                let item = (r.contract, r.token_id, r.standard);
                match stored {
                    None if fetch => remote.push(item),
                    None => local.push(item),
                    Some(m) if fetch && (m.state == "remote" || m.state.starts_with("unreachable")) => {
                        remote.push(item)
                    }
                    Some(_) => {}
                }
            }
        }
        local.truncate(NFT_MEDIA_PER_LOOK);
        remote.truncate(nft::NFT_REMOTE_PER_LOOK);
        if !local.is_empty() {
            let uris = discover::uris(client, &local).await?;
            // Decoding and rasterising is CPU work: off the async workers.
            let media = blocking(|| {
                uris.iter()
                    .map(|u| u.as_deref().map_or_else(nft::metadata::unsaid, nft::metadata::read))
                    .collect::<Vec<_>>()
            });
            let db = self.db().await?;
            for ((contract, id, _), m) in local.iter().zip(media) {
                db.store_nft_media(chain_id, *contract, *id, &m)?;
            }
        }
        if remote.is_empty() {
            return Ok(());
        }
        let uris = discover::uris(client, &remote).await?;
        let reach = crate::chain::reach::Reach::on(&client.network);
        let fetcher = nft::remote::Fetcher::new(privacy.ipfs_gateway.as_deref(), reach, nft::remote::FETCH_TIMEOUT)?;
        let started = std::time::Instant::now();
        // One item at a time, so that a server that hangs holds up no more than the budget. The
        // database is not held while a server is asked.
        for ((contract, id, _), uri) in remote.iter().zip(uris) {
            if started.elapsed() >= nft::NFT_REMOTE_BUDGET {
                break;
            }
            let media = match uri {
                Some(uri) => nft::metadata::load(&uri, &fetcher).await,
                None => nft::metadata::unsaid(),
            };
            self.db().await?.store_nft_media(chain_id, *contract, *id, &media)?;
        }
        Ok(())
    }
}
