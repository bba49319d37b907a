// The account's NFTs (receipts, loyalty cards, tickets): found by the core from the chain alone. Images
// are PNGs the core encoded (never an NFT's own SVG or HTML); names and descriptions are the
// collection's words, shown as text and labelled. What arrived unasked stays under "unreviewed" with
// nothing of it loaded, until the shopper chooses.
import { useEffect, useState } from "preact/hooks";
import { commands, type Collectible, type Gallery, type NftSendView } from "../api";
import { said, sayError, statusText, type Said } from "../messages";
import { t } from "../i18n";
import { shortAddress } from "../time";
import { feeText, localAmount } from "../format";
import { useLoaded } from "./useLoaded";
import { useQuoted } from "./useQuoted";

/** A token id short enough for a card (ids can be 78 digits); the whole one is on the item's page. */
function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}

/** What an item is called: its metadata's name, else its collection's and its id. */
function title(item: Collectible): string {
  return item.name ?? `${item.collection ?? shortAddress(item.contract)} #${shortId(item.token_id)}`;
}

function mediaText(media: string): string {
  if (media === "remote") return t("media_remote");
  if (media === "none") return t("media_none");
  if (media === "pending") return t("media_pending");
  if (media.startsWith("unreachable")) return t("media_unreachable");
  return t("media_refused");
}

export function Collectibles(props: { account: number; onOpen: (item: Collectible) => void }) {
  const [version, setVersion] = useState(0);
  const [failed, setFailed] = useState<Said | null>(null);
  const [gallery, error] = useLoaded<Gallery>(() => commands.nftList(props.account), `${props.account}:${version}`);
  const review = async (contract: string, show: boolean) => {
    try {
      await commands.nftReview(contract, show);
      setFailed(null);
      setVersion((v) => v + 1);
    } catch (e) {
      setFailed(sayError(e));
    }
  };
  return (
    <section class="stack" id="collectibles" aria-labelledby="collectibles-title" aria-busy={!gallery && !error}>
      <h2 id="collectibles-title">{t("collectibles")}</h2>
      {(error ?? failed) && <p class="error" role="alert">{said((error ?? failed)!)}</p>}
      {!gallery && !error && <p>{t("loading")}</p>}
      {gallery && gallery.shown.length === 0 && <p class="muted" id="nft-none">{t("collectiblesNone")}</p>}
      {gallery && gallery.shown.length > 0 && (
        <ul class="nft-grid" id="nft-grid">
          {gallery.shown.map((item) => (
            <li>
              <button class="nft-card" data-contract={item.contract} data-token-id={item.token_id} onClick={() => props.onOpen(item)}>
                {item.image ? <img src={item.image} alt="" /> : <span class="nft-placeholder" aria-hidden="true">#</span>}
                <span class="nft-name">{title(item)}</span>
                {item.amount !== "1" && <span class="tag">×{localAmount(item.amount)}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {gallery && gallery.unreviewed.length > 0 && (
        <details id="nft-unreviewed">
          <summary>{t("unreviewedN", { n: gallery.unreviewed.length })}</summary>
          <p class="muted small">{t("unreviewedText")}</p>
          <ul class="plain">
            {gallery.unreviewed.map((item) => (
              <li class="stack unreviewed-item" data-contract={item.contract} data-token-id={item.token_id}>
                <span>
                  {item.collection && <><q class="theirs">{item.collection}</q> <span class="muted small">({t("itsOwnWords")})</span> </>}
                  <code title={item.contract}>{shortAddress(item.contract)}</code> #{shortId(item.token_id)}
                </span>
                <span class="row">
                  <button class="show-collection" onClick={() => review(item.contract, true)}>{t("showCollection")}</button>
                  <button class="ghost hide-collection" onClick={() => review(item.contract, false)}>{t("hideCollection")}</button>
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {gallery && gallery.hidden > 0 && <p class="muted small" id="nft-hidden">{t("hiddenN", { n: gallery.hidden })}</p>}
    </section>
  );
}

/** One NFT's page: its image, its collection's words about it (labelled as theirs), and what the chain says of it. */
export function NftScreen(props: { item: Collectible; account: number; nativeSymbol: string; onBack: () => void }) {
  const [item, setItem] = useState(props.item);
  const [failed, setFailed] = useState<Said | null>(null);
  const [remoteOff, setRemoteOff] = useState(false);
  const [loading, setLoading] = useState(false);
  useEffect(() => { commands.privacyGet().then((p) => setRemoteOff(p.remote_media_off ?? false)).catch(() => {}); }, []);
  // Allowing (or stopping) the collection's remote media, then reading the item again: the core fetches
  // and draws it; only its pixels come back.
  const remote = async (allow: boolean) => {
    setLoading(true);
    try {
      await commands.nftRemote(item.contract, allow);
      const g = await commands.nftList(props.account);
      const again = g.shown.find((i) => i.contract === item.contract && i.token_id === item.token_id);
      if (again) setItem(again);
      setFailed(null);
    } catch (e) {
      setFailed(sayError(e));
    } finally {
      setLoading(false);
    }
  };
  const [sent, setSent] = useState<string | null>(null);
  const hide = async () => {
    try {
      await commands.nftReview(item.contract, false);
      props.onBack();
    } catch (e) {
      setFailed(sayError(e));
    }
  };
  return (
    <section class="nft-screen stack" id="nft-screen" data-contract={item.contract} data-token-id={item.token_id}>
      <h1 id="nft-title">{title(item)}</h1>
      {failed && <p class="error" role="alert">{said(failed)}</p>}
      {item.image
        ? <img class="nft-image" id="nft-image" src={item.image} alt={title(item)} />
        : <p class="muted" id="nft-media">{mediaText(item.media)}</p>}
      {remoteOff && (item.media === "remote" || item.remote_allowed) && <p class="muted small" id="nft-remote-off">{t("remoteMediaOffHere")}</p>}
      {!remoteOff && !item.remote_allowed && item.media === "remote" && (
        <button id="nft-load-media" disabled={loading} aria-busy={loading} onClick={() => remote(true)}>{loading ? t("loading") : t("loadMedia")}</button>
      )}
      {item.remote_allowed && (
        <button class="ghost" id="nft-stop-media" disabled={loading} onClick={() => remote(false)}>{t("stopMedia")}</button>
      )}
      <p class="muted small" id="nft-vouched">{item.review === "listed" ? t("shopCollection") : t("yourChoice")}</p>
      {item.description && (
        <section class="stack" aria-labelledby="nft-description-title">
          <h2 id="nft-description-title">{t("describedAs")} <span class="muted small">({t("itsOwnWords")})</span></h2>
          <p class="theirs" id="nft-description">{item.description}</p>
        </section>
      )}
      {item.attributes.length > 0 && (
        <section class="stack" aria-labelledby="nft-attributes-title">
          <h2 id="nft-attributes-title">{t("attributes")}</h2>
          <dl class="details" id="nft-attributes">{item.attributes.map(([k, v]) => <><dt>{k}</dt><dd>{v}</dd></>)}</dl>
        </section>
      )}
      <dl class="details">
        <dt>{t("collection")}</dt><dd>{item.collection ?? "—"}</dd>
        <dt>{t("contract")}</dt><dd><code class="wrap" id="nft-contract">{item.contract}</code></dd>
        <dt>{t("tokenId")}</dt><dd><code class="wrap" id="nft-token-id">{item.token_id}</code></dd>
        <dt>{t("standardLabel")}</dt><dd>{item.standard === "erc721" ? "ERC-721" : "ERC-1155"}</dd>
        {item.standard === "erc1155" && <><dt>{t("quantity")}</dt><dd id="nft-amount">{localAmount(item.amount)}</dd></>}
      </dl>
      {sent
        ? <p class="ok" role="status" id="nft-sent">{t("nftSentTo", { to: sent })}</p>
        : <SendNft item={item} account={props.account} nativeSymbol={props.nativeSymbol} onSent={setSent} />}
      <div class="row">
        {item.review === "shown" && !sent && <button id="nft-hide" onClick={hide}>{t("hideCollection")}</button>}
        <button id="nft-back" onClick={props.onBack}>{t("back")}</button>
      </div>
    </section>
  );
}

/** Sending an NFT: Rust quotes it (the item, the recipient, the fee at most), the person confirms exactly that quote. */
function SendNft(props: { item: Collectible; account: number; nativeSymbol: string; onSent: (to: string) => void }) {
  const { item } = props;
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("1");
  const { offer, setOffer, busy, error, ask, confirm } = useQuoted(
    (recipient: string, count: string) => commands.nftSendQuote(props.account, item.contract, item.token_id, recipient, count),
    commands.nftSendConfirm,
    (receipt): Said | null => {
      if (receipt.status === "confirmed") {
        props.onSent(receipt.counterparty);
        return null;
      }
      return receipt.notice ?? { key: "nftNotConfirmed", params: { status: statusText(receipt.status) } };
    },
  );
  const several = item.standard === "erc1155" && item.amount !== "1";
  return (
    <section class="stack" id="nft-send" aria-labelledby="nft-send-title" data-busy={busy}>
      <h2 id="nft-send-title">{t("sendNftTitle")}</h2>
      {offer ? (
        <ConfirmSend offer={offer} title={title(item)} busy={busy} onConfirm={() => confirm(offer)} onCancel={() => setOffer(null)} />
      ) : (
        <form class="stack" onSubmit={(e) => { e.preventDefault(); ask(to.trim(), several ? amount.trim() : "1"); }}>
          <p class="muted small">{t("sendNftHint", { native: props.nativeSymbol })}</p>
          <label for="nft-send-to">{t("recipientAddress")}</label>
          <input id="nft-send-to" autoComplete="off" spellcheck={false} placeholder="0x…" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
          {several && (
            <>
              <label for="nft-send-amount">{t("howMany")}</label>
              <input id="nft-send-amount" inputMode="numeric" value={amount} onInput={(e) => setAmount((e.target as HTMLInputElement).value)} />
            </>
          )}
          <button id="nft-send-ask" disabled={busy || !to.trim()}>{busy ? t("checking") : t("review")}</button>
        </form>
      )}
      {error && <p role="alert" class="error" id="nft-send-error">{said(error)}</p>}
    </section>
  );
}

function ConfirmSend(props: { offer: NftSendView; title: string; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { offer } = props;
  const what = offer.amount === "1" ? props.title : `${localAmount(offer.amount)} × ${props.title}`;
  return (
    <div class="banner" role="dialog" aria-labelledby="nft-send-offer" id="nft-send-dialog">
      <p id="nft-send-offer">{t("sendNftConfirm", { item: what, to: offer.to, fee: feeText(offer.max_fee_display, offer.native_symbol) })}</p>
      <div class="row">
        <button id="nft-send-confirm" class="primary" disabled={props.busy} onClick={props.onConfirm}>{t("sendNft")}</button>
        <button id="nft-send-cancel" disabled={props.busy} onClick={props.onCancel}>{t("cancel")}</button>
      </div>
    </div>
  );
}
