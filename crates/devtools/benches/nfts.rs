//! NFT discovery at scale (issue 23), beside the history scan, on one anvil dev chain: 1 000 NFTs minted to
//! one account, one every 20 blocks over 20 000 blocks (each with its own on-chain `data:` metadata and
//! SVG image), and one store-token transfer to it every 200 blocks. Measured:
//!
//! - discovery (`nft::discover::fetch_range`): the ERC-721/1155/2309 logs of 20 000 blocks in 2 000-block
//!   ranges, beside the history scan of the same blocks (`history::scan_received`);
//! - ownership of the 1 000 confirmed (`nft::discover::owned`: `ownerOf` in JSON-RPC batches of 500);
//! - metadata and images: the 1 000 `tokenURI`s read in batches, each decoded and its SVG rasterised to
//!   a PNG (`nft::metadata::read`);
//! - an `ipfs://` image of 4 MiB (the largest read) put together from its 256 KiB blocks, each checked
//!   against its CID (`nft::ipfs::content`, blocks from memory: the check's own cost, no network).
//!
//! `cargo bench -p tender-devtools --bench nfts` measures; run as a test (`cargo test --all-targets`) it
//! checks every path once at a small size (30 NFTs over 600 blocks).

use std::time::Instant;

use alloy::network::EthereumWallet;
use alloy::primitives::U256;
use alloy::providers::ext::AnvilApi;
use alloy::providers::{Provider, ProviderBuilder};
use base64::Engine as _;
use tender_devtools::devnet::{self, Devnet, OpenCollectible, TenderToken};
use wallet_core::chain::history::{ScanOptions, scan_received};
use wallet_core::chain::network::{self, Network};
use wallet_core::nft::{discover, metadata};
use wallet_core::store::{Db, NftStandard};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let (nfts, every) = if measuring { (1_000u64, 20u64) } else { (30, 20) };
    let chain = Devnet::start(devnet::default_anvil_path()).await.expect("devnet (run scripts/setup.sh)");
    let rpc = chain.info().rpc_url.clone();
    let funder: alloy::signers::local::PrivateKeySigner =
        "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6".parse().expect("dev key 9"); // anvil's dev account 9 (public)
    let provider = ProviderBuilder::new().wallet(EthereumWallet::from(funder)).connect_http(rpc.parse().expect("url"));
    let client = network::connect(&Network::devnet(&rpc).expect("net")).await.expect("connect");
    let owner = chain.info().tokens[0].address; // any address: the store token's own, holding nothing else
    let owner = alloy::primitives::Address::from_word(alloy::primitives::keccak256(owner.as_slice()));
    let collection = *OpenCollectible::deploy(&provider).await.expect("deploy").address();
    let open = OpenCollectible::new(collection, &provider);
    let store = TenderToken::new(devnet::STORE_TOKEN, &provider);
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let start = client.provider.get_block_number().await.expect("head");
    let t = Instant::now();
    for i in 0..nfts {
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320"><rect width="320" height="320" rx="24" fill="#0f766e"/><circle cx="{}" cy="160" r="40" fill="#f59e0b"/></svg>"##,
            40 + i % 240
        );
        let doc = format!(r#"{{"name":"Card #{i}","image":"data:image/svg+xml;base64,{}"}}"#, b64(svg.as_bytes()));
        let uri = format!("data:application/json;base64,{}", b64(doc.as_bytes()));
        open.mint(owner, U256::from(i), uri).send().await.expect("mint").get_receipt().await.expect("receipt");
        if i % 10 == 0 {
            store.transfer(owner, U256::from(1u8)).send().await.expect("send").get_receipt().await.expect("receipt");
        }
        provider.anvil_mine(Some(every - 1 - u64::from(i % 10 == 0)), None).await.expect("mine");
    }
    let head = client.provider.get_block_number().await.expect("head");
    let blocks = head - start;
    println!("chain: {nfts} NFTs over {blocks} blocks, made in {:.0} s", t.elapsed().as_secs_f64());

    // Discovery, range by range, as the session's look reads it.
    let t = Instant::now();
    let (mut seen, mut requests) = (Vec::new(), 0);
    let mut from = start;
    while from <= head {
        let to = head.min(from + wallet_core::nft::NFT_RANGE - 1);
        let (s, r) = discover::fetch_range(&client, &[owner], from, to).await.expect("discover");
        seen.extend(s);
        requests += r;
        from = to + 1;
    }
    let discovery = t.elapsed().as_secs_f64();
    assert_eq!(seen.len() as u64, nfts, "every mint found");

    // The history scan of the same blocks, beside it.
    let mut db = Db::open_in_memory().expect("db");
    let options = ScanOptions { max_range: 2_000, initial_lookback: blocks, native_blocks: false };
    let t = Instant::now();
    let scan = scan_received(&client, &mut db, &[owner], &[devnet::STORE_TOKEN], options).await.expect("scan");
    let history = t.elapsed().as_secs_f64();
    assert!(scan.found > 0);

    // Ownership, in batched requests.
    let items: Vec<_> = seen.iter().map(|(_, c, id, s, _)| (*c, *id, *s)).collect();
    assert!(items.iter().all(|i| i.2 == NftStandard::Erc721));
    let t = Instant::now();
    let owned = discover::owned(&client, owner, &items).await.expect("owned");
    let ownership = t.elapsed().as_secs_f64();
    assert!(owned.iter().all(|(_, _, a)| *a == U256::from(1u8)) && owned.len() == items.len());

    // Metadata and images: every tokenURI read in batches, decoded and rasterised.
    let t = Instant::now();
    let uris = discover::uris(&client, &items).await.expect("uris");
    let read_uris = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let media: Vec<_> = uris.iter().map(|u| metadata::read(u.as_deref().expect("uri"))).collect();
    let render = t.elapsed().as_secs_f64();
    assert!(media.iter().all(|m| m.state == "shown" && m.image.is_some()));
    let png_bytes: usize = media.iter().filter_map(|m| m.image.as_ref().map(Vec::len)).sum();

    println!("\n| step ({nfts} NFTs, {blocks} blocks) | requests | seconds | per item or range |");
    println!("|---|---|---|---|");
    let ranges = blocks.div_ceil(wallet_core::nft::NFT_RANGE);
    println!(
        "| NFT discovery (2 log queries per range) | {requests} | {discovery:.3} | {:.1} ms per range |",
        discovery * 1000.0 / ranges as f64
    );
    println!(
        "| history scan, same blocks (store token) | {} | {history:.3} | {:.1} ms per range |",
        scan.requests,
        history * 1000.0 / ranges as f64
    );
    println!(
        "| ownership (`ownerOf`, batches of 500) | {} | {ownership:.3} | {:.3} ms per item |",
        items.len().div_ceil(500),
        ownership * 1000.0 / nfts as f64
    );
    println!(
        "| tokenURIs (batches of 500) | {} | {read_uris:.3} | {:.3} ms per item |",
        items.len().div_ceil(500),
        read_uris * 1000.0 / nfts as f64
    );
    println!(
        "| decode + rasterise (resvg, 384 px PNG) | 0 | {render:.3} | {:.2} ms per item, {} bytes of PNG per item |",
        render * 1000.0 / nfts as f64,
        png_bytes / nfts as usize
    );
    let (checked, blocks_read) = ipfs_check().await;
    println!(
        "| IPFS image of 4 MiB, {blocks_read} blocks, each checked against its CID | 0 | {checked:.3} | {:.1} ms per MiB |",
        checked * 1000.0 / 4.0
    );
    chain.stop();
}

/// Seconds to read a 4 MiB file (kubo's default 256 KiB chunks, raw leaves) from in-memory blocks, each
/// checked against its CID, and how many blocks it took.
async fn ipfs_check() -> (f64, usize) {
    use std::collections::HashMap;
    let data: Vec<u8> = (0..4u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let mut adder = rust_unixfs::file::adder::FileAdder::default();
    let mut blocks = HashMap::new();
    let mut taken = 0;
    while taken < data.len() {
        let (made, used) = adder.push(&data[taken..]);
        blocks.extend(made);
        taken += used;
    }
    let made: Vec<_> = adder.finish().collect();
    let root = made.last().expect("root").0;
    blocks.extend(made);
    let path = wallet_core::nft::ipfs::parse(&format!("ipfs://{root}")).expect("path");
    let read = std::sync::atomic::AtomicUsize::new(0);
    let t = Instant::now();
    let content = wallet_core::nft::ipfs::content(&path, 4 << 20, |cid| {
        read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let block = blocks.get(&cid).cloned();
        async move { block.ok_or_else(|| wallet_core::nft::ipfs::Failure::Later("missing".into())) }
    })
    .await
    .expect("content");
    let seconds = t.elapsed().as_secs_f64();
    assert_eq!(content, data);
    (seconds, read.into_inner())
}
