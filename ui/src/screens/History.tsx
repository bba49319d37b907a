// Sent and received, newest first: the shop or payee, the order, the date and the amount; a tap opens
// the line as a receipt (with "send again", "speed up", "cancel" and "revoke" where the core offers them).
import { useEffect, useState } from "preact/hooks";
import { commands, type History, type HistoryItem } from "../api";
import type { Session } from "../session";
import { t } from "../i18n";
import { errorText, said, sayError, statusText, type Said } from "../messages";
import { formatUnixTime } from "../time";
import { PaymentReceipt, signedAmount, suspicionText, whoText } from "./Receipt";

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
  const keyOf = (item: HistoryItem) => `${item.entry.direction}:${item.id}`;
  const opened = open ? history.items.find((i) => keyOf(i) === open) : undefined;
  if (opened) {
    return (
      <PaymentReceipt item={opened} prefix="history-receipt" account={props.session.account}
        nativeSymbol={props.session.status?.network?.native_symbol ?? "ETH"} sending={sending === opened.id} onResend={() => resend(opened.id)} onChanged={load}>
        <div class="row">
          <button id="history-back" onClick={() => setOpen(null)}>{t("back")}</button>
        </div>
      </PaymentReceipt>
    );
  }
  const hidden = history.items.filter((i) => i.hidden).length;
  const items = showHidden ? history.items : history.items.filter((i) => !i.hidden);
  return (
    <section>
      <h1>{t("navHistory")}</h1>
      {history.notice && <div class="banner warn" role="status">{errorText(history.notice)}</div>}
      {items.length === 0 && <p class="muted" id="history-empty">{t("noHistory")}</p>}
      <ul class="history" id="history">
        {items.map((item) => {
          const entry = item.entry;
          const via = entry.direction === "sent" ? entry.via : null;
          const suspicion = entry.direction === "received" ? entry.suspicion : null;
          return (
            <li data-direction={entry.direction} data-status={item.status} data-suspicion={suspicion?.kind} data-hidden={item.hidden}>
              <button class="history-row" onClick={() => setOpen(keyOf(item))}>
                <span class={`dir ${entry.direction}${item.moved ? "" : " not-moved"}`}>{via?.kind === "approval" ? t("approval") : entry.direction === "sent" ? t("sent") : t("received")}</span>
                <span class="who">{whoText(item)}</span>
                {via?.kind === "on_chain" && via.order && <span class="ref">{via.order}</span>}
                {item.time != null && <span class="when">{formatUnixTime(item.time)}</span>}
                <span class={item.moved ? "amount" : "amount not-moved"} data-moved={item.moved}>{signedAmount(item)}</span>
                <span class={`status ${item.status}`}>{statusText(item.status, { gasless: via?.kind === "gasless" })}</span>
                {via?.kind === "approval" && <span class="kind" data-kind="approval">{t(item.amount_display === "0" ? "kind_revoked" : "kind_approval")}</span>}
                {via?.kind === "nft_transfer" && <span class="kind" data-kind="nft_transfer">{t("kind_nft")}</span>}
                {via?.kind === "on_chain" && via.step !== "payment" && <span class="kind" data-kind={via.step}>{t(via.step === "cancel" ? "kind_cancel" : "kind_speed_up")}</span>}
              </button>
              {suspicion && <p class="banner danger suspicion">{suspicionText(suspicion)}</p>}
            </li>
          );
        })}
      </ul>
      {hidden > 0 && (
        <button id="history-hidden" class="link" onClick={() => setShowHidden(!showHidden)}>
          {showHidden ? t("hideHidden") : t("showHidden", { n: hidden })}
        </button>
      )}
    </section>
  );
}
