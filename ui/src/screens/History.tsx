// Sent and received, newest first: the shop or payee, the order, the date and the amount; a tap opens
// the line as a receipt (with "send again", "speed up" and "cancel" where they apply).
import { useEffect, useState } from "preact/hooks";
import { commands, type History, type HistoryItem } from "../api";
import type { Session } from "../session";
import type { Suspicion } from "../bindings";
import { localAmount } from "../format";
import { t } from "../i18n";
import { errorText, said, sayError, statusDetail, statusText, type Said } from "../messages";
import { formatUnixTime, shortAddress } from "../time";
import { RevokeAction, StuckActions } from "./Stuck";

function suspicionText(s: Suspicion): string {
  return s.kind === "lookalike" ? t("suspicion_lookalike", { looks_like: s.looks_like }) : t("suspicion_zero_value");
}

/** A debit or a credit only for money that moved, by the chain's word: an attempt that moved nothing
 * (outstanding, refused, failed, expired, replaced, cancelled) shows its amount with no sign. */
function signed(item: HistoryItem): string {
  if (!item.moved) return "";
  return item.direction === "sent" ? "−" : "+";
}

export function HistoryScreen(props: { session: Session }) {
  const [history, setHistory] = useState<History | null>(null);
  const [error, setError] = useState<Said | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [sending, setSending] = useState<string | null>(null);
  // Zero-value transfers and dust from lookalike addresses stay out of sight unless asked for.
  const [showHidden, setShowHidden] = useState(false);
  const load = () => commands.historyList(props.session.account).then(setHistory).catch((e) => setError(sayError(e)));
  useEffect(() => { load(); }, [props.session.account]);
  // Reading the history never sends anything: a payment that did not go out is sent again only here,
  // when the person asks (the very same signed bytes).
  const resend = async (hash: string) => {
    setSending(hash);
    try { await commands.paymentResend(hash); } catch (e) { setError(sayError(e)); }
    setSending(null);
    await load();
  };
  if (error) return <p role="alert" class="error">{said(error)}</p>;
  if (!history) return <p aria-busy="true">{t("loading")}</p>;
  const keyOf = (item: HistoryItem) => `${item.direction}:${item.id}`;
  const opened = open ? history.items.find((i) => keyOf(i) === open) : undefined;
  if (opened) {
    return <HistoryReceipt item={opened} sending={sending === opened.id} onResend={() => resend(opened.id)}
      onChanged={load} onBack={() => setOpen(null)} />;
  }
  const hidden = history.items.filter((i) => i.hidden).length;
  const items = showHidden ? history.items : history.items.filter((i) => !i.hidden);
  return (
    <section>
      <h2>{t("navHistory")}</h2>
      {history.notice && <div class="banner warn" role="status">{errorText(history.notice)}</div>}
      {items.length === 0 && <p class="muted" id="history-empty">{t("noHistory")}</p>}
      <ul class="history" id="history">
        {items.map((item) => (
          <li data-direction={item.direction} data-status={item.status} data-suspicion={item.suspicion?.kind} data-hidden={item.hidden}>
            <button class="history-row" onClick={() => setOpen(keyOf(item))}>
              <span class={`dir ${item.direction}${item.moved ? "" : " not-moved"}`}>{item.direction === "sent" ? t("sent") : t("received")}</span>
              <span class="who">{item.domain ?? item.merchant ?? shortAddress(item.counterparty)}</span>
              {item.order && <span class="ref">{item.order}</span>}
              {item.time != null && <span class="when">{formatUnixTime(item.time)}</span>}
              <span class={item.moved ? "amount" : "amount not-moved"} data-moved={item.moved}>{signed(item)}{localAmount(item.amount_display)} {item.symbol}</span>
              <span class={`status ${item.status}`}>{statusText(item.status, { gasless: item.domain != null })}</span>
              {item.kind !== "payment" && <span class="kind" data-kind={item.kind}>{t(item.kind === "cancel" ? "kind_cancel" : "kind_speed_up")}</span>}
            </button>
            {item.suspicion && <p class="banner danger suspicion">{suspicionText(item.suspicion)}</p>}
          </li>
        ))}
      </ul>
      {hidden > 0 && (
        <button id="history-hidden" class="link" onClick={() => setShowHidden(!showHidden)}>
          {showHidden ? t("hideHidden") : t("showHidden", { n: hidden })}
        </button>
      )}
    </section>
  );
}

/** One payment or transfer as a receipt: who, what, when, where it stands, and what can be done. */
function HistoryReceipt(props: { item: HistoryItem; sending: boolean; onResend: () => void; onChanged: () => void; onBack: () => void }) {
  const item = props.item;
  const sent = item.direction === "sent";
  // Not on the network as far as the wallet knows (not sent, or refused so far), or a gasless payment
  // not settled yet: it can be sent again (the very same signed payment).
  const outstanding = item.status === "signed" || item.status === "rejected";
  const resendable = sent && (outstanding || (item.domain != null && item.status === "pending"));
  const detail = statusDetail(item.status, { gasless: item.domain != null, validUntil: item.valid_until });
  return (
    <section class="sheet receipt" id="history-receipt" data-status={item.status} data-direction={item.direction}>
      <h2 id="history-receipt-status">{sent ? (item.status === "confirmed" ? t("paid") : statusText(item.status, { gasless: item.domain != null })) : t("received")}</h2>
      <p class={item.moved ? "big" : "big not-moved"} data-moved={item.moved}>{signed(item)}{localAmount(item.amount_display)} {item.symbol}</p>
      <p>{sent ? t("to") : t("from")} <strong>{item.domain ?? item.merchant ?? shortAddress(item.counterparty)}</strong></p>
      {item.kind !== "payment" && <p class="muted" data-kind={item.kind}>{t(item.kind === "cancel" ? "kind_cancel" : "kind_speed_up")}</p>}
      {item.suspicion && <p class="banner danger suspicion">{suspicionText(item.suspicion)}</p>}
      <dl class="details">
        {item.merchant && <><dt>{t("payee")}</dt><dd class="claim">{t("claimedName", { name: item.merchant })}</dd></>}
        {item.domain && <><dt>{t("shopAsks")}</dt><dd class="shop-domain">{item.domain}</dd></>}
        {item.description && <><dt>{t("order")}</dt><dd>{t("shopSays", { text: item.description })}</dd></>}
        <dt>{sent ? t("payee") : t("from")}</dt><dd><code class="wrap">{item.counterparty}</code></dd>
        {item.domain && <><dt>{t("networkFee")}</dt><dd>{t("feePaidByShop")}</dd></>}
        {item.time != null && <><dt>{t("date")}</dt><dd id="history-receipt-date">{formatUnixTime(item.time)}</dd></>}
        {item.order && <><dt>{t("order")}</dt><dd>{item.order}</dd></>}
        {item.tx_hash && <><dt>{t("transaction")}</dt><dd><code class="wrap">{item.tx_hash}</code></dd></>}
        {item.block_number != null && <><dt>{t("block")}</dt><dd>{item.block_number}</dd></>}
        {detail && <><dt>{t("whatHappened")}</dt><dd id="history-receipt-detail">{detail}</dd></>}
        {item.error && (
          <><dt>{t("problem")}</dt><dd><details class="their-words"><summary>{t("details")}</summary>
            {t(item.domain ? "shopSaid" : "networkSaid", { reason: item.error })}</details></dd></>
        )}
        {item.explorer && <><dt>{t("explorer")}</dt><dd><a href={item.explorer} target="_blank" rel="noreferrer noopener">{t("viewOnExplorer")}</a></dd></>}
      </dl>
      {resendable && (
        <div class="stack">
          <p class="muted">{t("sendAgainHint")}</p>
          <button class="resend" disabled={props.sending} onClick={props.onResend}>{t("sendAgain")}</button>
        </div>
      )}
      {sent && item.domain != null && (outstanding || item.status === "pending") && (
        <RevokeAction id={item.id} validUntil={item.valid_until} onDone={props.onChanged} />
      )}
      {item.replaceable && !item.domain && (
        <StuckActions id={item.id} canCancel={item.status === "pending" || outstanding} onDone={props.onChanged} />
      )}
      <div class="row">
        <button id="history-back" onClick={props.onBack}>{t("back")}</button>
      </div>
    </section>
  );
}
