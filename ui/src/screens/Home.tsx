// Balances: painted from the cache at once, then live; refreshed when the chain has a new block
// (the core's watcher sends `NewBlock`), never on a fixed timer.
import { useEffect, useLayoutEffect, useState } from "preact/hooks";
import { commands, events, type BalanceRow, type Collectible, type HiddenToken, type HistoryItem, type HoldersView, type Portfolio, type TokenOverviewView } from "../api";
import { signedAmount, whoText } from "./Receipt";
import { TokenApprovals } from "./Approval";
import { accountName, said, sayError, type Said } from "../messages";
import type { Session } from "../session";
import { t } from "../i18n";
import { age, formatUnixTime, shortAddress } from "../time";
import { localAmount } from "../format";
import { networkName } from "../networks";
import { useLoaded } from "./useLoaded";
import { Collectibles, NftScreen } from "./Collectibles";

export function Home(props: { session: Session; first?: Portfolio | null }) {
  const { account } = props.session;
  // The balances the unlock brought (read while the key was derived): painted without a call.
  const given = props.first?.account.index === account ? props.first : null;
  const [portfolio, setPortfolio] = useState<Portfolio | null>(given);
  const [error, setError] = useState<Said | null>(null);
  const [busy, setBusy] = useState(false);
  // The collectibles are read once the balances' live read has answered: nothing competes with it.
  const [settled, setSettled] = useState(false);
  const [, setTick] = useState(0);
  // A token opened from the balances: its own screen (balance, contract, approvals).
  const [opened, setOpened] = useState<string | null>(null);
  // An NFT opened from the collectibles: its own page.
  const [nft, setNft] = useState<Collectible | null>(null);

  const refresh = async () => {
    setBusy(true);
    try {
      setPortfolio(await commands.balancesRefresh(account));
      setError(null);
    } catch (e) {
      setError(sayError(e));
    } finally {
      setBusy(false);
      setSettled(true);
    }
  };

  useEffect(() => {
    let alive = true;
    if (!given) {
      // Another account's balances (or none) are on screen: this one's cache replaces them, a live
      // read already shown stays.
      commands.balancesCached(account)
        .then((p) => alive && setPortfolio((cur) => (cur?.account.index === account ? cur : p)))
        .catch((e) => setError(sayError(e)));
    }
    // The live read starts once the first frame is out: nothing competes with painting the cache.
    let timer = 0;
    const frame = requestAnimationFrame(() => { timer = window.setTimeout(() => { if (alive) refresh(); }, 0); });
    const unlisten = events.newBlock.listen(() => { if (alive) refresh(); });
    const clock = setInterval(() => setTick((n) => n + 1), 1000);
    return () => {
      alive = false;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      unlisten.then((stop) => stop());
      clearInterval(clock);
    };
  }, [account]);

  const shown = portfolio != null;
  // Right after the balances enter the document (a layout effect runs before the browser paints).
  useLayoutEffect(() => { if (shown) performance.mark("tender:balances-shown"); }, [shown]);

  if (!portfolio) return <section aria-busy="true"><h1 class="sr-only">{t("navHome")}</h1><p>{error ? said(error) : t("loading")}</p></section>;
  const [featured, ...rest] = portfolio.rows.filter((r) => r.featured).concat(portfolio.rows.filter((r) => !r.featured));
  const token = opened ? portfolio.rows.find((r) => r.token === opened) : undefined;
  if (nft) return <NftScreen item={nft} account={account} nativeSymbol={portfolio.rows.find((r) => r.token == null)?.symbol ?? "ETH"} onBack={() => setNft(null)} />;
  if (token?.token) return <TokenScreen account={account} row={token} onBack={() => setOpened(null)} go={props.session.go} onHidden={() => { setOpened(null); refresh(); }} />;
  const open = (r: BalanceRow) => r.token && setOpened(r.token);
  const featuredBody = featured && (
    <>
      <span class="token-icon" aria-hidden="true">{featured.symbol.slice(0, 1)}</span>
      <div>
        <div class="muted">{featured.name}</div>
        <div class="big"><span class="amount" data-amount={featured.display}>{localAmount(featured.display)}</span> {featured.symbol}</div>
      </div>
    </>
  );
  return (
    <section class="home">
      <h1 class="sr-only">{t("navHome")}</h1>
      {portfolio.offline && (
        <div class="banner warn" role="status" id="offline-banner">
          <strong>{t("offline")}</strong> {t("offlineText", { age: age(portfolio.synced_at) })}
        </div>
      )}
      {error && <div class="banner error" role="alert">{said(error)}</div>}
      <div class="account-line">
        <span>{accountName(portfolio.account)}</span>
        <code title={portfolio.account.address}>{shortAddress(portfolio.account.address)}</code>
        <span class="muted">{networkName(portfolio.network.key, portfolio.network.name)}</span>
      </div>
      {/* A token opens its own screen (its approvals); the network's own currency has none. */}
      {featured && (featured.token
        ? <button class={`card featured open-token${featured.featured ? "" : " plain"}`} id="featured-balance" data-symbol={featured.symbol} onClick={() => open(featured)}>{featuredBody}</button>
        : <article class={`card featured${featured.featured ? "" : " plain"}`} id="featured-balance" data-symbol={featured.symbol}>{featuredBody}</article>)}
      <ul class="balances" id="balances">
        {rest.map((r) => {
          const body = (
            <>
              <span class="token-icon small" aria-hidden="true">{r.symbol.slice(0, 1)}</span>
              <span class="name">{r.name}{!r.verified && <span class="tag">{t("unverified")}</span>}</span>
              <span class="amount" data-amount={r.display}>{localAmount(r.display)} {r.symbol}</span>
            </>
          );
          return <li data-symbol={r.symbol}>{r.token ? <button class="balance-row open-token" onClick={() => open(r)}>{body}</button> : body}</li>;
        })}
      </ul>
      <HiddenTokens version={portfolio.rows.length} onShown={refresh} />
      <div class="row spread">
        <span class="muted small" id="synced">{t("synced", { age: age(portfolio.synced_at) })}</span>
        <button id="refresh" class="ghost" disabled={busy} onClick={refresh} aria-label={t("refresh")}>{busy ? t("refreshing") : t("refresh")}</button>
      </div>
      <div class="row">
        <button id="home-pay" class="primary" onClick={() => props.session.go("pay")}>{t("scanToPay")}</button>
        <button id="home-receive" onClick={() => props.session.go("receive")}>{t("navReceive")}</button>
      </div>
      {settled && <Collectibles account={account} onOpen={setNft} />}
    </section>
  );
}

/** A token's own screen: its balance, what its contract says of itself (read from the chain alone), and what may move it without a payment signed now (Permit2's approval, revocable). */
export function TokenScreen(props: { account: number; row: BalanceRow; onBack: () => void; go: Session["go"]; onHidden?: () => void }) {
  const { row } = props;
  const [hideError, setHideError] = useState<Said | null>(null);
  const hide = async () => {
    try {
      await commands.tokenHide(row.token!, true);
      props.onHidden?.();
    } catch (e) {
      setHideError(sayError(e));
    }
  };
  return (
    <section class="token-screen" id="token-screen" data-symbol={row.symbol}>
      <h1>{row.name}{!row.verified && <span class="tag">{t("unverified")}</span>}</h1>
      <p class="big" id="token-balance"><span class="amount" data-amount={row.display}>{localAmount(row.display)}</span> {row.symbol}</p>
      <dl class="details"><dt>{t("contract")}</dt><dd><code class="wrap" id="token-contract">{row.token}</code></dd></dl>
      {row.token && <TokenFacts token={row.token} symbol={row.symbol} verified={row.verified} listedBy={row.listed_by} />}
      {row.token && <TokenHolders token={row.token} symbol={row.symbol} />}
      {row.token && <TokenApprovals account={props.account} token={row.token} symbol={row.symbol} />}
      {row.token && <TokenActivity account={props.account} token={row.token} />}
      <div class="row">
        <button id="token-pay" class="primary" onClick={() => props.go("pay")}>{t("scanToPay")}</button>
        <button id="token-receive" onClick={() => props.go("receive")}>{t("navReceive")}</button>
      </div>
      {hideError && <p class="error" role="alert">{said(hideError)}</p>}
      <div class="row">
        {!row.featured && props.onHidden && <button id="token-hide" onClick={hide}>{t("hideToken")}</button>}
        <button id="token-back" onClick={props.onBack}>{t("back")}</button>
      </div>
    </section>
  );
}

/** The tokens the shopper hid from the balances, each with a way back. */
function HiddenTokens(props: { version: number; onShown: () => void }) {
  const [hidden, setHidden] = useState<HiddenToken[]>([]);
  useEffect(() => { commands.tokenHidden().then(setHidden).catch(() => setHidden([])); }, [props.version]);
  if (hidden.length === 0) return null;
  const show = async (token: string) => {
    await commands.tokenHide(token, false).catch(() => {});
    setHidden(await commands.tokenHidden().catch(() => []));
    props.onShown();
  };
  return (
    <details id="hidden-tokens">
      <summary>{t("hiddenTokens", { n: hidden.length })}</summary>
      <ul class="plain">
        {hidden.map((h) => (
          <li class="row spread" data-token={h.token}>
            <span>{h.name} <span class="muted">{h.symbol}</span></span>
            <button class="show-token" onClick={() => show(h.token)}>{t("showToken")}</button>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** What the token's contract says of itself, beside what the wallet lists; a difference is said plainly. */
function TokenFacts(props: { token: string; symbol: string; verified: boolean; listedBy: string | null }) {
  const [facts, error] = useLoaded<TokenOverviewView>(() => commands.tokenOverview(props.token), props.token);
  const yesNo = (v: boolean) => t(v ? "yes" : "no");
  return (
    <section class="stack" id="token-facts" aria-labelledby="token-facts-title" aria-busy={!facts && !error}>
      <h2 id="token-facts-title">{t("aboutToken")}</h2>
      <p class="muted" id="token-vouched">
        {props.listedBy ? t("listedByRetailer", { list: props.listedBy }) : props.verified ? t("listedByTender") : t("addedByYou")}
      </p>
      {error && <p class="error" role="alert">{said(error)}</p>}
      {facts?.mismatches.map((m) => (
        <p class="banner danger" data-mismatch={m.field}>
          {m.field === "decimals" ? t("mismatch_decimals", { listed: m.listed, on_chain: m.on_chain }) : t("mismatch_symbol", { listed: m.listed, on_chain: m.on_chain })}
        </p>
      ))}
      {!facts && !error && <p>{t("loading")}</p>}
      {facts && (
        <dl class="details">
          {facts.total_supply_display != null && <><dt>{t("totalSupply")}</dt><dd id="token-supply" data-amount={facts.total_supply_display}>{localAmount(facts.total_supply_display)} {props.symbol}</dd></>}
          {facts.decimals != null && <><dt>{t("decimalsLabel")}</dt><dd id="token-decimals">{facts.decimals}</dd></>}
          <dt>{t("upgradeable")}</dt>
          <dd id="token-proxy">{facts.implementation ? t("upgradeableYes", { address: facts.implementation }) : t("no")}</dd>
          {facts.owner && <><dt>{t("tokenOwner")}</dt><dd><code class="wrap" id="token-owner">{facts.owner}</code></dd></>}
          {facts.admin && <><dt>{t("tokenAdmin")}</dt><dd><code class="wrap" id="token-admin">{facts.admin}</code></dd></>}
          {facts.paused != null && <><dt>{t("pausable")}</dt><dd id="token-paused">{facts.paused ? t("pausedNow") : t("notPaused")}</dd></>}
          <dt>{t("noEthCheckouts")}</dt>
          <dd id="token-checkouts">
            <ul class="plain">
              <li data-standard="eip3009" data-yes={facts.eip3009}>{t("checkoutEip3009")}: {yesNo(facts.eip3009)}</li>
              <li data-standard="eip2612" data-yes={facts.eip2612}>{t("checkoutEip2612")}: {yesNo(facts.eip2612)}</li>
              <li data-standard="permit2" data-yes={facts.permit2}>{t("checkoutPermit2")}: {yesNo(facts.permit2)}</li>
            </ul>
          </dd>
        </dl>
      )}
      {facts && <p class="muted small" id="token-block">{t("asOfBlock", { n: facts.block })}</p>}
    </section>
  );
}

/** The shopper's own activity in this token, from the history (by the token's contract, never its symbol: an imitation may share it). */
function TokenActivity(props: { account: number; token: string }) {
  const [items, setItems] = useState<HistoryItem[] | null>(null);
  useEffect(() => {
    let alive = true;
    commands.historyList(props.account)
      .then((h) => alive && setItems(h.items.filter((i) => i.token === props.token && !i.hidden).slice(0, 5)))
      .catch(() => alive && setItems([]));
    return () => { alive = false; };
  }, [props.account, props.token]);
  if (!items) return null;
  return (
    <section class="stack" id="token-activity" aria-labelledby="token-activity-title">
      <h2 id="token-activity-title">{t("yourActivity")}</h2>
      {items.length === 0 ? <p class="muted">{t("noHistory")}</p> : (
        <ul class="plain">
          {items.map((i) => (
            <li class="row spread" data-direction={i.entry.direction} data-status={i.status}>
              <span>{whoText(i)}</span>
              <span class={i.moved ? "amount" : "amount not-moved"} data-moved={i.moved}>{signedAmount(i)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** What the token's own Transfer logs say, replayed by the wallet (no indexer): holders, the largest, the first mint. */
function TokenHolders(props: { token: string; symbol: string }) {
  const [holders, error] = useLoaded<HoldersView>(() => commands.tokenHolders(props.token), props.token);
  return (
    <section class="stack" id="token-holders" aria-labelledby="token-holders-title" aria-busy={!holders && !error}>
      <h2 id="token-holders-title">{t("fromTheLogs")}</h2>
      {error && <p class="error" role="alert">{said(error)}</p>}
      {!holders && !error && <p>{t("loading")}</p>}
      {holders?.inconsistent && <p class="banner warn" id="token-holders-approximate">{t("holdersApproximate")}</p>}
      {holders && (
        <dl class="details">
          <dt>{t("holdersCount")}</dt><dd id="token-holders-count">{localAmount(String(holders.count))}</dd>
          {holders.first_mint_block != null && <><dt>{t("firstMint")}</dt><dd id="token-first-mint">{holders.first_mint_time != null ? t("firstMintAt", { when: formatUnixTime(holders.first_mint_time), n: holders.first_mint_block }) : t("blockN", { n: holders.first_mint_block })}</dd></>}
          <dt>{t("largestHolders")}</dt>
          <dd>
            <ol class="plain" id="token-top-holders">
              {holders.top.map((h) => <li><code title={h.holder}>{shortAddress(h.holder)}</code> {localAmount(h.amount_display)} {props.symbol}</li>)}
            </ol>
          </dd>
        </dl>
      )}
      {holders && <p class="muted small" id="token-holders-block">{t(holders.complete ? "asOfBlock" : "asOfBlockCatchingUp", { n: holders.as_of_block })}</p>}
    </section>
  );
}
