//! Privacy the shopper can see (issue 23): with "read each account separately" on, a logging proxy in
//! front of a real anvil sees no request that carries two of the shopper's addresses — from restoring the
//! wallet (account discovery) to balances, history and NFTs of every account. With it off, the same
//! balances are one request carrying them all: the proxy sees the link, so this test can tell.

use wallet_core::SecretString;
use wallet_core::chain::privacy::Privacy;

use crate::DevChain;
use crate::session::{PASSWORD, dev_phrase, pw, session};

/// How many of `own` (lowercase hex, no `0x`) one request names.
fn named(request: &str, own: &[String]) -> usize {
    let lower = request.to_lowercase();
    own.iter().filter(|a| lower.contains(a.as_str())).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn with_separate_reads_no_request_carries_two_of_the_shoppers_addresses() {
    let chain = DevChain::start(true).await;
    let proxy = chain.proxy();
    let tmp = tempfile::tempdir().expect("tmp");
    let s = session(tmp.path(), &proxy.url);
    s.set_privacy(Privacy { separate_accounts: true, ..Privacy::default() }).expect("privacy");
    let restored =
        s.restore(dev_phrase(), SecretString::default(), &pw(PASSWORD), 1, None, |_, _| {}).await.expect("restore");
    assert_eq!(restored.wallet.accounts.len(), 10, "discovery found the ten funded accounts, one by one");
    let own: Vec<String> = restored.wallet.accounts.iter().map(|a| alloy::hex::encode(a.address.as_slice())).collect();

    let live = s.portfolios_live(None).await.expect("balances");
    assert!(live.live);
    assert_eq!(live.requests, 10, "one request per account");
    s.history(None).await.expect("history");
    for i in 0..3 {
        s.nfts(i).await.expect("nfts");
    }
    let requests = proxy.take_requests();
    assert!(requests.len() > 30, "{} requests", requests.len());
    for r in &requests {
        assert!(named(r, &own) <= 1, "a request links the shopper's accounts: {}", &r[..r.len().min(300)]);
    }
    for a in &own {
        assert!(requests.iter().any(|r| r.to_lowercase().contains(a.as_str())), "{a} was never read");
    }

    // Off: the balances of all ten are one request, and the proxy sees them together.
    s.set_privacy(Privacy::default()).expect("privacy");
    let live = s.portfolios_live(None).await.expect("balances");
    assert_eq!(live.requests, 1);
    let requests = proxy.take_requests();
    assert!(requests.iter().any(|r| named(r, &own) == own.len()), "together, one request names every account");
    chain.stop();
}
