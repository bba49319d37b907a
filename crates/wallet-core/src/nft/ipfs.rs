//! `ipfs://` content, checked against its CID. A gateway is anyone's server: it may serve other bytes
//! than the ones the address names. So the wallet never asks a gateway for "the file": it asks for
//! **blocks** (the trustless gateway's `?format=raw`), checks each block's hash against the CID that
//! named it (the root's from the URI, every other one from a block already checked), and walks the
//! UnixFS file itself (rust-unixfs): folders resolved segment by segment, a file's blocks read in
//! order. One byte changed anywhere and nothing is shown. The number of blocks, the size of each and
//! of the whole are bounded before anything is read whole.

use std::future::Future;

use cid::Cid;
use rust_unixfs::MaybeResolved;
use rust_unixfs::file::visit::IdleFileVisit;

/// The `raw` codec: the block is the content.
const RAW: u64 = 0x55;
/// The `dag-pb` codec: a UnixFS node (a file's root or inner node, a folder).
const DAG_PB: u64 = 0x70;
/// The largest block read (IPFS's own limit for a block is 1 MiB; its default chunk is 256 KiB).
pub const MAX_BLOCK_BYTES: usize = 1024 * 1024;
/// Most blocks one piece of content may take (a 4 MiB image in 256 KiB chunks takes 17).
pub const MAX_BLOCKS: usize = 64;
/// Most folder levels in a path.
const MAX_SEGMENTS: usize = 8;

/// Why remote content was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// It could not be reached now (no answer in time, no connection, a server error): asked again on a
    /// later look.
    Later(String),
    /// It is refused for good (tampered, too large, a redirect, not a picture…).
    Refused(String),
}

impl Failure {
    /// The state an item's media is left in: `unreachable: why` (asked again later) or `refused: why`.
    pub fn state(&self) -> String {
        match self {
            Self::Later(why) => format!("unreachable: {why}"),
            Self::Refused(why) => format!("refused: {why}"),
        }
    }
}

fn refused(why: &str) -> Failure {
    Failure::Refused(why.to_owned())
}

/// An `ipfs://` address: the root CID and the path under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpfsPath {
    /// The content (or folder) the address names.
    pub root: Cid,
    /// The names to follow from it, folder by folder.
    pub segments: Vec<String>,
}

impl std::fmt::Display for IpfsPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ipfs://{}", self.root)?;
        self.segments.iter().try_for_each(|s| write!(f, "/{s}"))
    }
}

/// Reads `ipfs://CID[/path]` (also the older `ipfs://ipfs/CID/…`); `None` for anything else, or a CID
/// that does not parse.
pub fn parse(uri: &str) -> Option<IpfsPath> {
    let uri = uri.trim();
    let rest = uri.get(..7).filter(|s| s.eq_ignore_ascii_case("ipfs://")).map(|_| &uri[7..])?;
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let rest = rest.strip_prefix("ipfs/").unwrap_or(rest);
    let mut parts = rest.split('/');
    let root = Cid::try_from(parts.next()?).ok()?;
    let segments: Vec<String> = parts
        .filter(|s| !s.is_empty())
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    if segments.len() > MAX_SEGMENTS || segments.iter().any(|s| s == "." || s == ".." || s.contains('/')) {
        return None;
    }
    Some(IpfsPath { root, segments })
}

/// Whether `block` is the one `cid` names: its hash, by the CID's own hash function, is the CID's.
pub fn verify(cid: &Cid, block: &[u8]) -> Result<(), Failure> {
    use multihash_codetable::MultihashDigest as _;
    if cid.codec() != RAW && cid.codec() != DAG_PB {
        return Err(refused("content of a kind the wallet does not read"));
    }
    // The identity "hash" is the content itself: nothing to check it by.
    let code = cid.hash().code();
    let table = match multihash_codetable::Code::try_from(code) {
        Ok(t) if code != 0 => t,
        _ => return Err(refused("its hash function is not one the wallet checks")),
    };
    if table.digest(block) == *cid.hash() {
        Ok(())
    } else {
        Err(refused("its content does not match its address (IPFS CID)"))
    }
}

/// Counts and checks the blocks of one piece of content.
struct Checked<F> {
    get: F,
    read: usize,
}

impl<F, Fut> Checked<F>
where
    F: FnMut(Cid) -> Fut,
    Fut: Future<Output = Result<Vec<u8>, Failure>>,
{
    async fn block(&mut self, cid: Cid) -> Result<Vec<u8>, Failure> {
        self.read += 1;
        if self.read > MAX_BLOCKS {
            return Err(refused("it is made of too many pieces"));
        }
        let block = (self.get)(cid).await?;
        if block.len() > MAX_BLOCK_BYTES {
            return Err(refused("a piece of it is too large"));
        }
        verify(&cid, &block)?;
        Ok(block)
    }
}

/// The content at `path`, at most `limit` bytes, each block asked of `get` (which need not be trusted:
/// every block is checked here) and the file put together from checked blocks only.
pub async fn content<F, Fut>(path: &IpfsPath, limit: usize, get: F) -> Result<Vec<u8>, Failure>
where
    F: FnMut(Cid) -> Fut,
    Fut: Future<Output = Result<Vec<u8>, Failure>>,
{
    let too_large = || refused("it is too large");
    let mut blocks = Checked { get, read: 0 };
    let mut cid = path.root;
    for segment in &path.segments {
        if cid.codec() != DAG_PB {
            return Err(refused("its path goes on under a file"));
        }
        let folder = blocks.block(cid).await?;
        cid = match rust_unixfs::resolve(&folder, segment, &mut None) {
            Ok(MaybeResolved::Found(next)) => next,
            Ok(MaybeResolved::NotFound) => return Err(refused("its folder has no such file")),
            Ok(MaybeResolved::NeedToLoadMore(_)) => return Err(refused("it is in a sharded folder")),
            Err(_) => return Err(refused("its path goes through something that is not a folder")),
        };
    }
    let root = blocks.block(cid).await?;
    if cid.codec() == RAW {
        return if root.len() > limit { Err(too_large()) } else { Ok(root) };
    }
    let (first, size, _, mut visit) = IdleFileVisit::default().start(&root).map_err(|_| refused("it is not a file"))?;
    if size > limit as u64 {
        return Err(too_large());
    }
    let mut out = first.to_vec();
    while let Some(walk) = visit {
        let next = *walk.pending_links().0;
        let block = blocks.block(next).await?;
        let (bytes, rest) = walk.continue_walk(&block, &mut None).map_err(|_| refused("a piece of it is damaged"))?;
        if out.len() + bytes.len() > limit {
            return Err(too_large());
        }
        out.extend_from_slice(bytes);
        visit = rest;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// "hello world" as `ipfs add` stores it (CIDv0: a dag-pb UnixFS file node holding the bytes) and as a
    /// raw CIDv1 block; both CIDs are the public ones (IPFS documentation and many projects' tests,
    /// e.g. `Qmf412jQ…` in js-ipfs's own examples), the dag-pb node written out by hand from the
    /// UnixFS and dag-pb specifications, not by the library under test.
    fn hello_world() -> HashMap<Cid, Vec<u8>> {
        let mut node = vec![0x0a, 0x11, 0x08, 0x02, 0x12, 0x0b];
        node.extend_from_slice(b"hello world");
        node.extend_from_slice(&[0x18, 0x0b]);
        HashMap::from([
            (Cid::try_from("Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD").expect("v0"), node),
            (
                Cid::try_from("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e").expect("v1"),
                b"hello world".to_vec(),
            ),
        ])
    }

    async fn read(blocks: &HashMap<Cid, Vec<u8>>, uri: &str, limit: usize) -> Result<Vec<u8>, Failure> {
        let path = parse(uri).ok_or_else(|| refused("unparsed"))?;
        content(&path, limit, |cid| {
            let block = blocks.get(&cid).cloned();
            async move { block.ok_or_else(|| Failure::Later("no such block".into())) }
        })
        .await
    }

    #[test]
    fn addresses_are_read_in_both_forms_and_nothing_else() {
        let p = parse("ipfs://ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG/readme%20me?x=1").expect("old form");
        assert_eq!(p.segments, ["readme me"]);
        assert_eq!(p.to_string(), "ipfs://QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG/readme me");
        assert!(parse("IPFS://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e").is_some());
        for bad in
            ["ipfs://nope", "https://x/ipfs/Qm", "ipfs://Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD/../x", ""]
        {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }

    /// The public vectors read back as "hello world"; a block whose bytes differ by one from what its CID
    /// names is refused, as is content over the limit.
    #[tokio::test]
    async fn content_is_checked_against_its_cid() {
        let mut blocks = hello_world();
        for uri in [
            "ipfs://Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD",
            "ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
        ] {
            assert_eq!(read(&blocks, uri, 1024).await.expect(uri), b"hello world");
            assert_eq!(read(&blocks, uri, 5).await, Err(refused("it is too large")), "{uri}");
        }
        for block in blocks.values_mut() {
            let last = block.len() - 1;
            block[last] ^= 1;
        }
        for uri in [
            "ipfs://Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD",
            "ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
        ] {
            assert_eq!(
                read(&blocks, uri, 1024).await,
                Err(refused("its content does not match its address (IPFS CID)")),
                "{uri}"
            );
        }
    }

    /// A file of many blocks in a folder (built by rust-unixfs's own adder and directory builder, in
    /// 1 KiB chunks): found by its name, put together block by block; one inner block swapped for
    /// another valid block is refused; a file larger than the limit is refused from its root alone.
    #[tokio::test]
    async fn a_file_of_many_blocks_in_a_folder_is_walked_and_checked() {
        use rust_unixfs::dir::builder::{BufferingTreeBuilder, TreeOptions};
        use rust_unixfs::file::adder::{Chunker, FileAdder};
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let mut adder = FileAdder::builder().with_chunker(Chunker::Size(1024)).build();
        let mut blocks = HashMap::new();
        let mut taken = 0;
        while taken < data.len() {
            let (made, used) = adder.push(&data[taken..]);
            blocks.extend(made);
            taken += used;
        }
        let made: Vec<_> = adder.finish().collect();
        let (file, _) = made.last().cloned().expect("root");
        let size = data.len() as u64;
        blocks.extend(made);
        let mut options = TreeOptions::default();
        options.wrap_with_directory();
        let mut tree = BufferingTreeBuilder::new(options);
        tree.put_link("art/card.bin", file, size).expect("link");
        let mut folder = None;
        for node in tree.build() {
            let node = node.expect("node");
            folder = Some(node.cid);
            blocks.insert(node.cid, node.block.into_vec());
        }
        let folder = folder.expect("folder");
        assert!(blocks.len() > 10, "many blocks: {}", blocks.len());

        let uri = format!("ipfs://{folder}/art/card.bin");
        assert_eq!(read(&blocks, &uri, 1 << 20).await.expect("read"), data);
        assert_eq!(read(&blocks, &format!("ipfs://{file}"), 1 << 20).await.expect("by its own cid"), data);
        assert_eq!(
            read(&blocks, &format!("ipfs://{folder}/art/nope"), 1 << 20).await,
            Err(refused("its folder has no such file"))
        );
        assert_eq!(read(&blocks, &uri, 9_999).await, Err(refused("it is too large")));

        // A gateway that answers one leaf's CID with another leaf's (valid) bytes.
        let leaves: Vec<Cid> = blocks.keys().filter(|c| c.codec() == RAW).copied().collect();
        let (a, b) = (leaves[0], leaves[1]);
        let other = blocks[&b].clone();
        blocks.insert(a, other);
        assert_eq!(
            read(&blocks, &uri, 1 << 20).await,
            Err(refused("its content does not match its address (IPFS CID)"))
        );
    }
}
