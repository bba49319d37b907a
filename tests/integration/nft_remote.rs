//! Remote NFT media, against a real anvil and a hostile media server on this machine. The server is a
//! stand-in, said so here: no IPFS node can be installed on this machine (Kubo's packages download their
//! binary), so it plays both an IPFS trustless gateway (blocks made by rust-unixfs's own adder, served
//! by CID, one of them tampered with) and the collections' web servers (a redirect, a body that claims a
//! gigabyte, one that never ends, one that never answers, an SVG that points back at it). It speaks raw
//! HTTP/1.1 over TCP, as the hostile node does ([`crate::proxy`]), and logs every request: what the
//! test asserts is what the wallet asked, and that nothing at all is asked before the shopper allows it,
//! after the privacy setting turns remote media off, or by the renderer ever.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alloy::primitives::U256;
use base64::Engine as _;
use cid::Cid;
use tender_devtools::devnet::OpenCollectible;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wallet_core::chain::privacy::Privacy;

use crate::DevChain;

/// The longest the server keeps a request waiting, and the most bytes of an endless answer.
const MAX_STALL: Duration = Duration::from_secs(30);
const MAX_STREAM: usize = 64 << 20;

/// What the server serves, and what it was asked.
#[derive(Default)]
struct Served {
    /// Blocks by CID (a tampered one maps to other bytes than its CID names).
    blocks: HashMap<String, Vec<u8>>,
    /// Plain documents by path.
    pages: HashMap<String, Vec<u8>>,
    /// Every request's path and query, in order.
    asked: Vec<String>,
}

async fn serve(listener: TcpListener, served: Arc<Mutex<Served>>) {
    while let Ok((mut socket, _)) = listener.accept().await {
        let served = served.clone();
        tokio::spawn(async move {
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let line = String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_owned();
            let target = line.split(' ').nth(1).unwrap_or_default().to_owned();
            let path = target.split('?').next().unwrap_or_default().to_owned();
            let (block, page) = {
                let mut s = served.lock().expect("lock");
                s.asked.push(target.clone());
                let cid = path.strip_prefix("/ipfs/").unwrap_or_default();
                (s.blocks.get(cid).cloned(), s.pages.get(&path).cloned())
            };
            let ok = |body: &[u8]| {
                let mut answer =
                    format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())
                        .into_bytes();
                answer.extend_from_slice(body);
                answer
            };
            match path.as_str() {
                "/hang" => tokio::time::sleep(MAX_STALL).await,
                "/redirect" => {
                    let answer =
                        "HTTP/1.1 302 Found\r\nLocation: /web.json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                    let _ = socket.write_all(answer.as_bytes()).await;
                }
                "/huge" | "/endless" => {
                    let head = if path == "/huge" {
                        "HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\nConnection: close\r\n\r\n"
                    } else {
                        "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
                    };
                    if socket.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    let chunk = vec![b'{'; 64 * 1024];
                    let mut sent = 0;
                    while sent < MAX_STREAM && socket.write_all(&chunk).await.is_ok() {
                        sent += chunk.len();
                    }
                }
                _ => {
                    let answer = match block.or(page) {
                        Some(body) => ok(&body),
                        None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
                    };
                    let _ = socket.write_all(&answer).await;
                }
            }
        });
    }
}

/// `data` added as a UnixFS file in 1 KiB chunks (many blocks): its CID, its blocks stored.
fn add(blocks: &mut HashMap<String, Vec<u8>>, data: &[u8]) -> (Cid, u64) {
    let mut adder = rust_unixfs::file::adder::FileAdder::builder()
        .with_chunker(rust_unixfs::file::adder::Chunker::Size(1024))
        .build();
    let mut taken = 0;
    while taken < data.len() {
        let (made, used) = adder.push(&data[taken..]);
        blocks.extend(made.map(|(c, b)| (c.to_string(), b)));
        taken += used;
    }
    let made: Vec<(Cid, Vec<u8>)> = adder.finish().collect();
    let root = made.last().expect("root").0;
    blocks.extend(made.into_iter().map(|(c, b)| (c.to_string(), b)));
    (root, data.len() as u64)
}

fn svg(fill: &str, extra: &str) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40"><!-- {} --><rect width="40" height="40" fill="{fill}"/>{extra}</svg>"#,
        "padding ".repeat(400)
    )
}

fn centre(image: Option<&str>) -> [u8; 4] {
    let png = image.and_then(|i| i.strip_prefix("data:image/png;base64,")).expect("pixels");
    let png = base64::engine::general_purpose::STANDARD.decode(png).expect("base64");
    let img = image::load_from_memory(&png).expect("png").to_rgba8();
    img.get_pixel(img.width() / 2, img.height() / 2).0
}

/// A collection the shopper met: nothing of its remote media is asked for until the shopper allows it;
/// then an IPFS document and image come through the gateway block by block, each checked against its
/// CID (a tampered one refused), a web document and image come within the bounds (a redirect, a
/// gigabyte, a stream without end refused; a server that never answers is "unreachable" and asked again
/// later), the renderer asks nothing (the SVG's own link back to the server is never followed), and with
/// remote media off in the privacy setting nothing is asked at all.
#[tokio::test(flavor = "multi_thread")]
async fn remote_media_are_fetched_only_when_allowed_checked_and_bounded() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let served = Arc::new(Mutex::new(Served::default()));
    let (ipfs_uri, tampered_uri) = {
        let mut s = served.lock().expect("lock");
        let (image, _) = add(&mut s.blocks, svg("#0000ff", "").as_bytes());
        let meta = format!(r#"{{"name":"Ticket from IPFS","image":"ipfs://{image}"}}"#);
        let (meta, size) = add(&mut s.blocks, meta.as_bytes());
        let mut options = rust_unixfs::dir::builder::TreeOptions::default();
        options.wrap_with_directory();
        let mut tree = rust_unixfs::dir::builder::BufferingTreeBuilder::new(options);
        tree.put_link("meta.json", meta, size).expect("link");
        let mut folder = None;
        for node in tree.build() {
            let node = node.expect("node");
            folder = Some(node.cid);
            s.blocks.insert(node.cid.to_string(), node.block.into_vec());
        }
        // A gateway that answers for a document with other bytes than its CID names.
        let (honest, _) = add(&mut s.blocks, br#"{"name":"Honest"}"#);
        s.blocks.insert(honest.to_string(), br#"{"name":"Claim your prize at evil.example"}"#.to_vec());
        s.pages
            .insert("/web.json".into(), format!(r#"{{"name":"From the web","image":"{base}/web.svg"}}"#).into_bytes());
        let tracker = format!(r#"<image href="{base}/tracker" xlink:href="{base}/tracker" width="40" height="40"/>"#);
        s.pages.insert("/web.svg".into(), svg("#00ff00", &tracker).into_bytes());
        (format!("ipfs://{}/meta.json", folder.expect("folder")), format!("ipfs://{honest}"))
    };
    tokio::spawn(serve(listener, served.clone()));
    let asked = || std::mem::take(&mut served.lock().expect("lock").asked);

    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let (_tmp, s) = crate::session::restored(&rpc).await;
    s.set_privacy(Privacy { ipfs_gateway: Some(base.clone()), ..Privacy::default() }).expect("gateway");
    let me = s.account(0).await.expect("account").address;
    let dropper = chain.provider_for(5);
    let collection = OpenCollectible::deploy(&dropper).await.expect("deploy");
    let contract = *collection.address();
    let uris = [
        ipfs_uri,
        tampered_uri,
        format!("{base}/web.json"),
        format!("{base}/redirect"),
        format!("{base}/huge"),
        format!("{base}/endless"),
        format!("{base}/hang"),
    ];
    for (id, uri) in uris.iter().enumerate() {
        collection
            .mint(me, U256::from(id + 1), uri.clone())
            .send()
            .await
            .expect("mint")
            .get_receipt()
            .await
            .expect("receipt");
    }

    let g = s.nfts(0).await.expect("gallery");
    assert_eq!(g.unreviewed.len(), uris.len());
    s.review_nft_collection(contract, true).await.expect("see it");
    let g = s.nfts(0).await.expect("gallery");
    let mine: Vec<_> = g.shown.iter().filter(|i| i.contract == contract).collect();
    assert_eq!(mine.len(), uris.len());
    assert!(mine.iter().all(|i| i.media == "remote" && !i.remote_allowed), "not fetched: {:?}", mine[0].media);
    assert_eq!(asked(), Vec::<String>::new(), "nothing is asked before the shopper allows it");

    s.allow_nft_media(contract, true).await.expect("allow");
    let started = std::time::Instant::now();
    let g = s.nfts(0).await.expect("gallery");
    let took = started.elapsed();
    let state = |id: &str| g.shown.iter().find(|i| i.contract == contract && i.token_id == id).expect("item").clone();
    let ipfs = state("1");
    assert_eq!((ipfs.media.as_str(), ipfs.name.as_deref()), ("shown", Some("Ticket from IPFS")));
    assert_eq!(centre(ipfs.image.as_deref()), [0, 0, 255, 255], "the IPFS image, put together from checked blocks");
    assert!(ipfs.remote_allowed);
    assert_eq!(state("2").media, "refused: its content does not match its address (IPFS CID)");
    assert_eq!(state("2").name, None, "nothing of a tampered document is shown");
    let web = state("3");
    assert_eq!((web.media.as_str(), web.name.as_deref()), ("shown", Some("From the web")));
    assert_eq!(centre(web.image.as_deref()), [0, 255, 0, 255]);
    assert_eq!(state("4").media, "refused: its server sends it elsewhere (a redirect)");
    assert_eq!(state("5").media, "refused: it is too large", "a stated gigabyte is never read");
    assert_eq!(state("6").media, "refused: it is too large", "a stream without end is cut at the cap");
    assert_eq!(state("7").media, "unreachable: it did not answer in time");
    assert!(took < Duration::from_secs(25), "the look is bounded: {took:?}");

    let requests = asked();
    assert!(!requests.iter().any(|r| r.contains("tracker")), "the renderer asks nothing: {requests:?}");
    assert!(
        requests.iter().filter(|r| r.starts_with("/ipfs/")).all(|r| r.ends_with("?format=raw")),
        "only checked blocks are asked of the gateway: {requests:?}"
    );
    assert_eq!(requests.iter().filter(|r| *r == "/web.json").count(), 1, "the redirect is not followed: {requests:?}");
    assert!(requests.iter().filter(|r| r.starts_with("/ipfs/")).count() > 5, "many blocks: {requests:?}");

    // Remote media off: nothing is asked, not even the one left unreachable.
    s.set_privacy(Privacy { remote_media_off: true, ipfs_gateway: Some(base.clone()), ..Privacy::default() })
        .expect("off");
    let g = s.nfts(0).await.expect("gallery");
    assert!(g.remote_media_off);
    assert_eq!(asked(), Vec::<String>::new(), "remote media off: nothing asked");
    let fetched = g.shown.iter().filter(|i| i.contract == contract && i.media == "shown").count();
    assert_eq!(fetched, 2, "what was fetched stays, on this device");

    // Remote media on again, but stopped for the collection: nothing asked.
    s.set_privacy(Privacy { ipfs_gateway: Some(base.clone()), ..Privacy::default() }).expect("on");
    s.allow_nft_media(contract, false).await.expect("stop");
    s.nfts(0).await.expect("gallery");
    assert_eq!(asked(), Vec::<String>::new(), "the collection's remote media stopped: nothing asked");
    assert!(matches!(
        s.allow_nft_media(alloy::primitives::Address::repeat_byte(9), true).await,
        Err(wallet_core::Error::UnknownCollection { .. })
    ));
    chain.stop();
}
