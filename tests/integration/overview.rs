//! A token's overview read from the chain alone, on a real anvil dev chain, every number checked with
//! foundry's `cast`: the store token's facts and the payments it takes; a contract that says it is an
//! EIP-1967 proxy (its slots written with `anvil_setStorageAt`, as an upgradeable token's are); and a
//! listed token whose contract says other decimals and another symbol (another token's code placed at
//! its address with `anvil_setCode`), flagged, never used.

use alloy::primitives::{Address, U256, address};
use alloy::providers::Provider;
use tender_devtools::devnet::{STABLE_TOKEN, STORE_TOKEN};
use wallet_core::chain::overview::{self, EIP1967_ADMIN, EIP1967_IMPLEMENTATION, Mismatch};

use crate::DevChain;
use crate::cast::cast;

/// Permit2's address and the domain separator it answers with on `chain_id`.
fn permit2(chain_id: u64) -> (Address, alloy::primitives::B256) {
    use wallet_core::pay::permit2::{PERMIT2, domain};
    (PERMIT2, domain(chain_id).separator())
}

fn listed(chain_id: u64, address: Address) -> wallet_core::chain::token::Token {
    wallet_core::chain::token::builtin_tokens(chain_id).into_iter().find(|t| t.address == address).expect("listed")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_overview_is_what_the_chain_says_checked_with_cast() {
    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let client = &chain.client;
    let chain_id = client.network.chain_id;
    let store = listed(chain_id, STORE_TOKEN);
    let o = overview::read(client, &store, permit2(chain_id)).await.expect("overview");
    let token = STORE_TOKEN.to_checksum(None);
    let supply = cast(&["call", "--rpc-url", &rpc, &token, "totalSupply()(uint256)"]);
    assert_eq!(o.total_supply.map(|s| s.to_string()), supply.split(' ').next().map(str::to_owned), "cast's supply");
    let name = cast(&["call", "--rpc-url", &rpc, &token, "name()(string)"]);
    assert_eq!(o.name.as_deref().map(|n| format!("\"{n}\"")), Some(name));
    assert_eq!((o.symbol.as_deref(), o.decimals), (Some("STORE"), Some(18)));
    assert!(o.eip3009 && o.eip2612 && o.permit2, "the store token takes every gasless checkout: {o:?}");
    assert_eq!((o.owner, o.admin, o.paused, o.implementation, o.proxy_admin), (None, None, None, None, None));
    assert!(o.mismatches.is_empty(), "{:?}", o.mismatches);
    assert!(o.block >= client.provider.get_block_number().await.expect("block") - 1);

    // A contract that says it is an EIP-1967 proxy: its implementation and admin are shown.
    let implementation = address!("1111111111111111111111111111111111111111");
    let admin = address!("2222222222222222222222222222222222222222");
    for (slot, who) in [(EIP1967_IMPLEMENTATION, implementation), (EIP1967_ADMIN, admin)] {
        let _: bool = client
            .provider
            .raw_request("anvil_setStorageAt".into(), (STABLE_TOKEN, slot, who.into_word()))
            .await
            .expect("set storage");
    }
    let stable = listed(chain_id, STABLE_TOKEN);
    let o = overview::read(client, &stable, permit2(chain_id)).await.expect("overview");
    assert_eq!((o.implementation, o.proxy_admin), (Some(implementation), Some(admin)));
    let slot =
        cast(&["storage", "--rpc-url", &rpc, &STABLE_TOKEN.to_checksum(None), &EIP1967_IMPLEMENTATION.to_string()]);
    assert_eq!(slot, implementation.into_word().to_string(), "cast reads the same slot");

    // The stablecoin's code at the store token's address: it says 6 decimals (its code's), and the
    // wallet's list says 18. Flagged, not used: the listed token stays as listed.
    let code = client.provider.get_code_at(STABLE_TOKEN).await.expect("code");
    let _: () = client.provider.raw_request("anvil_setCode".into(), (STORE_TOKEN, code)).await.expect("set code");
    let o = overview::read(client, &store, permit2(chain_id)).await.expect("overview");
    assert_eq!(o.decimals, Some(6));
    assert!(o.mismatches.contains(&Mismatch::Decimals { listed: 18, on_chain: 6 }), "{:?}", o.mismatches);
    assert_eq!(o.token.decimals, 18, "the listed decimals are what the wallet keeps using");
    assert_eq!(o.total_supply, Some(U256::from_str_radix(supply.split(' ').next().expect("n"), 10).expect("n")));
    chain.stop();
}

/// The store token's holders replayed from its own Transfer logs: every holder's balance equals what
/// cast reads, the sum is the supply, the first mint is the first Transfer log; a new transfer is
/// replayed alone on the next look.
#[tokio::test(flavor = "multi_thread")]
async fn holders_replayed_from_the_logs_are_what_cast_reads() {
    let chain = DevChain::start(false).await;
    let rpc = chain.devnet.info().rpc_url.clone();
    let client = &chain.client;
    let token = STORE_TOKEN.to_checksum(None);
    let tmp = tempfile::tempdir().expect("tmp");
    // The session's look, as both faces make it (no wallet needed: the token's logs only).
    let s = crate::session::session(tmp.path(), &rpc);
    let h = s.token_holders(STORE_TOKEN).await.expect("holders");
    assert!(h.complete && !h.inconsistent, "{h:?}");
    let supply = cast(&["call", "--rpc-url", &rpc, &token, "totalSupply()(uint256)"]);
    let supply = supply.split(' ').next().expect("n").to_owned();
    assert_eq!((h.supply_by_logs.to_string(), h.total_supply.map(|s| s.to_string())), (supply.clone(), Some(supply)));
    assert!(h.count >= 1 && !h.top.is_empty());
    for (holder, amount) in &h.top {
        let held = cast(&["call", "--rpc-url", &rpc, &token, "balanceOf(address)(uint256)", &holder.to_checksum(None)]);
        assert_eq!(held.split(' ').next(), Some(amount.to_string().as_str()), "{holder}");
    }
    let (block, tx, time) = h.first_mint.expect("a first mint");
    // The replay starts where the token's code first appears: its constructor minted in that block.
    let head = client.provider.get_block_number().await.expect("head");
    assert_eq!(wallet_core::chain::holders::deployment_block(client, STORE_TOKEN, head).await, block);
    let code_before = cast(&["code", "--rpc-url", &rpc, "--block", &block.saturating_sub(1).to_string(), &token]);
    assert!(block == 0 || code_before == "0x", "no code before block {block}: {code_before}");
    let mined = cast(&["receipt", "--rpc-url", &rpc, &tx.to_string(), "blockNumber"]);
    assert_eq!(mined, block.to_string());
    assert!(time.is_some());
    if block > 0 {
        let earlier = cast(&[
            "logs",
            "--rpc-url",
            &rpc,
            "--from-block",
            "0",
            "--to-block",
            &(block - 1).to_string(),
            "--address",
            &token,
        ]);
        assert!(earlier.trim().is_empty() || earlier.trim() == "[]", "no Transfer before the first mint: {earlier}");
    }

    // One more transfer, to a new holder: the next look replays it alone.
    let newcomer = Address::repeat_byte(0x5c);
    chain.send_store(0, newcomer, U256::from(7u8)).await;
    let again = s.token_holders(STORE_TOKEN).await.expect("holders again");
    assert_eq!((again.count, again.transfers), (h.count + 1, h.transfers + 1));
    assert!(again.as_of_block > h.as_of_block && !again.inconsistent);
    chain.stop();
}

/// The signed payments the network data lists for the dev chain's tokens are what their contracts take,
/// read from the chain (the preset networks' are checked against their issuers' sources, `vectors.rs`).
#[tokio::test(flavor = "multi_thread")]
async fn the_listed_signed_payments_are_what_the_contracts_take() {
    use wallet_core::chain::network::SignedPayment;
    let chain = DevChain::start(false).await;
    let client = &chain.client;
    let chain_id = client.network.chain_id;
    let data = wallet_core::chain::network::network_data(chain_id).expect("dev data");
    assert!(!data.tokens.is_empty());
    for t in &data.tokens {
        let o = overview::read(client, &listed(chain_id, t.address), permit2(chain_id)).await.expect("overview");
        assert_eq!(o.eip3009, t.payments.contains(&SignedPayment::Eip3009), "{}", t.symbol);
        assert_eq!(o.eip2612, t.payments.contains(&SignedPayment::Eip2612), "{}", t.symbol);
        assert!(o.permit2, "{}: any ERC-20 through Permit2", t.symbol);
    }
    chain.stop();
}

/// A listed token whose contract now says other decimals (another token's code placed at its address):
/// the payment sheet is blocked with both numbers, nothing quoted to sign, instead of showing an amount
/// off by twelve powers of ten (on the token's screen it was already flagged; issue 23).
#[tokio::test(flavor = "multi_thread")]
async fn a_sheet_is_blocked_when_the_contract_says_other_decimals_than_listed() {
    use wallet_core::pay::verdict::Blocker;
    let chain = DevChain::start(false).await;
    let client = &chain.client;
    let (_tmp, s) = crate::session::restored(&chain.devnet.info().rpc_url).await;
    let uri = format!(
        "ethereum:{STORE_TOKEN}@31337/transfer?address=0x4242424242424242424242424242424242424242&uint256=1e18"
    );
    let sheet = s.quote(&uri, 0, None).await.expect("sheet");
    assert!(sheet.offer.is_some() && sheet.blockers.is_empty(), "payable as listed: {:?}", sheet.blockers);
    let code = client.provider.get_code_at(STABLE_TOKEN).await.expect("code");
    let _: () = client.provider.raw_request("anvil_setCode".into(), (STORE_TOKEN, code)).await.expect("set code");
    let sheet = s.quote(&uri, 0, None).await.expect("sheet");
    assert!(sheet.offer.is_none());
    assert_eq!(
        sheet.blockers,
        [Blocker::DecimalsMismatch { symbol: "STORE".into(), listed: 18, on_chain: 6 }],
        "{:?}",
        sheet.blockers
    );
    chain.stop();
}

/// Hiding a token (issue 23's "receive, pay, hide"): it leaves the balances, is listed as hidden, is still
/// known (a shop may still ask for it) and comes back when shown again; the store's own token is always
/// shown.
#[tokio::test(flavor = "multi_thread")]
async fn a_hidden_token_leaves_the_balances_and_comes_back() {
    let chain = DevChain::start(false).await;
    let (_tmp, s) = crate::session::restored(&chain.devnet.info().rpc_url).await;
    let symbols = |p: &wallet_core::session::Portfolios| -> Vec<String> {
        p.accounts[0].holdings.iter().map(|h| h.symbol.clone()).collect()
    };
    assert_eq!(symbols(&s.portfolios_live(Some(0)).await.expect("live")), ["STORE", "ETH", "tUSD"]);
    s.hide_token(STABLE_TOKEN, true).await.expect("hide");
    assert_eq!(symbols(&s.portfolios_live(Some(0)).await.expect("live")), ["STORE", "ETH"]);
    assert_eq!(symbols(&s.cached_portfolios(Some(0)).await.expect("cached")), ["STORE", "ETH"]);
    let hidden: Vec<_> = s.hidden_tokens().await.expect("hidden").into_iter().map(|t| t.symbol).collect();
    assert_eq!(hidden, ["tUSD"]);
    assert!(s.tokens().await.expect("tokens").iter().any(|t| t.address == STABLE_TOKEN), "still known");
    assert!(s.hide_token(STORE_TOKEN, true).await.is_err(), "the store's own token stays");
    s.hide_token(STABLE_TOKEN, false).await.expect("show");
    assert_eq!(symbols(&s.portfolios_live(Some(0)).await.expect("live")), ["STORE", "ETH", "tUSD"]);
    chain.stop();
}
