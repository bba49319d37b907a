// One payment or transfer as a receipt, drawn once for both places that show one (right after paying,
// and a history line opened): who, what, when, where it stands, and what can be done with it (send
// again, speed up, cancel, revoke), as the core decides; this component only shows it.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { commands, type CommandError, type HistoryItem, type Receipt, type Suspicion } from "../api";
import { localAmount } from "../format";
import { t } from "../i18n";
import { errorText, statusDetail, statusText } from "../messages";
import { formatUnixTime, shortAddress } from "../time";
import { RevokeAction, StuckActions } from "./Stuck";
import { ApproveAction } from "./Approval";

/** What a receipt shows: a history line, or a payment just made (see {@link paidNow}). */
export type Shown = HistoryItem & { notice?: CommandError | null };

/** The receipt of a payment just made, as a history line would show it. */
export function paidNow(r: Receipt): Shown {
  return { ...r, entry: { direction: "sent", via: r.via, actions: r.actions }, hidden: false };
}

export function suspicionText(s: Suspicion): string {
  return s.kind === "lookalike" ? t("suspicion_lookalike", { looks_like: s.looks_like }) : t("suspicion_zero_value");
}

/** A debit or a credit only for money that moved, by the chain's word: an attempt that moved nothing
 * (outstanding, refused, failed, expired, replaced, cancelled) shows its amount with no sign. */
export function signedAmount(item: Shown): string {
  // A collectible sent: what it is (the core names it by collection and id), and how many when more than one.
  if (item.entry.direction === "sent" && item.entry.via.kind === "nft_transfer") {
    return item.amount_display === "1" ? item.symbol : `${localAmount(item.amount_display)} × ${item.symbol}`;
  }
  const sign = !item.moved ? "" : item.entry.direction === "sent" ? "−" : "+";
  return `${sign}${localAmount(item.amount_display)} ${item.symbol}`;
}

/** Who the other side is, as the person knows it: the shop's domain, the name a request claims, or the address. */
export function whoText(item: Shown): string {
  const via = item.entry.direction === "sent" ? item.entry.via : null;
  if (via?.kind === "gasless") return via.domain;
  if (via?.kind === "approval") return "Permit2";
  if (via?.kind === "on_chain" && via.merchant) return via.merchant;
  return shortAddress(item.counterparty);
}

export function PaymentReceipt(props: {
  item: Shown;
  /** The account shown (what an approval of Permit2 is sent from). */
  account: number;
  /** The network's own currency (an approval's fee is paid in it). */
  nativeSymbol: string;
  /** The ids' prefix: `receipt` right after paying, `history-receipt` in the history. */
  prefix: "receipt" | "history-receipt";
  sending?: boolean;
  onResend?: () => void;
  onChanged: (receipt: Receipt) => void;
  children?: ComponentChildren;
}) {
  const { item } = props;
  const id = (part: string) => `${props.prefix}-${part}`;
  const sent = item.entry.direction === "sent" ? item.entry : null;
  const gasless = sent?.via.kind === "gasless" ? sent.via : null;
  const onChain = sent?.via.kind === "on_chain" ? sent.via : null;
  const approval = sent?.via.kind === "approval" ? sent.via : null;
  const nft = sent?.via.kind === "nft_transfer" ? sent.via : null;
  const suspicion = item.entry.direction === "received" ? item.entry.suspicion : null;
  const detail = statusDetail(item.status, { gasless: gasless != null, validUntil: gasless?.valid_until });
  const [resendError, setResendError] = useState<string | null>(null);
  return (
    <section class="sheet receipt" id={props.prefix === "history-receipt" ? props.prefix : undefined} aria-live="polite"
      data-status={item.status} data-direction={item.entry.direction}>
      <h1 id={id("status")} data-status={item.status}>
        {!sent ? t("received")
          : approval && item.status === "confirmed" ? (item.amount_display === "0" ? t("approvalRevoked") : t("approvalOf", { amount: `${localAmount(item.amount_display)} ${item.symbol}` }))
          : nft && item.status === "confirmed" ? t("nftSent")
          : item.status === "confirmed" ? t("paid") : statusText(item.status, { gasless: gasless != null })}
      </h1>
      <p class={item.moved ? "big" : "big not-moved"} data-moved={item.moved}>{signedAmount(item)}</p>
      <p>{sent ? t("to") : t("from")} <strong id={id("shop")}>{whoText(item)}</strong></p>
      {approval && <p class="muted" id={id("approval")} data-kind="approval">{t("approvalNoMoney")}</p>}
      {nft && <p class="muted" id={id("nft")} data-kind="nft_transfer">{t("nftNoMoney")}</p>}
      {onChain && onChain.step !== "payment" && <p class="muted" data-kind={onChain.step}>{t(onChain.step === "cancel" ? "kind_cancel" : "kind_speed_up")}</p>}
      {suspicion && <p class="banner danger suspicion">{suspicionText(suspicion)}</p>}
      <dl class="details">
        {onChain?.merchant && <><dt>{t("payee")}</dt><dd class="claim">{t("claimedName", { name: onChain.merchant })}</dd></>}
        {gasless && <><dt>{t("shopAsks")}</dt><dd class="shop-domain">{gasless.domain}</dd></>}
        {gasless?.description && <><dt>{t("order")}</dt><dd>{t("shopSays", { text: gasless.description })}</dd></>}
        <dt>{sent ? t("payee") : t("from")}</dt><dd><code class="wrap">{item.counterparty}</code></dd>
        {gasless && <><dt>{t("networkFee")}</dt><dd id={id("fee")}>{t("feePaidByShop")}</dd></>}
        {gasless?.offer_signed && <><dt>{t("offerSigned")}</dt><dd id={id("offer-signed")}>{gasless.receipt_signed ? t("receiptSigned") : "✓"}</dd></>}
        {gasless?.authorized_display && <><dt>{t("authorized")}</dt><dd id={id("authorized")}>{t("authorizedUpTo", { amount: `${localAmount(gasless.authorized_display)} ${item.symbol}` })}</dd></>}
        {item.time != null && <><dt>{t("date")}</dt><dd id={id("date")}>{formatUnixTime(item.time)}</dd></>}
        {onChain?.order && <><dt>{t("order")}</dt><dd>{onChain.order}</dd></>}
        {item.tx_hash && <><dt>{t("transaction")}</dt><dd><code id={id("tx")} class="wrap">{item.tx_hash}</code></dd></>}
        {item.block_number != null && <><dt>{t("block")}</dt><dd>{item.block_number}</dd></>}
      </dl>
      {detail && <p class={item.moved ? "error" : "banner warn"} id={id("detail")}>{detail}</p>}
      {/* Their own words (a protocol code, often), once, folded away. */}
      {item.error && (
        <details class="their-words" id={id("their-words")}>
          <summary>{t("details")}</summary>
          <p>{t(gasless ? "shopSaid" : "networkSaid", { reason: item.error })}</p>
        </details>
      )}
      {/* A refusal is said once: the state above and the node's or shop's own words. */}
      {item.notice && !["rejected", "shop_refused"].includes(item.notice.code) && <p class="error" id={id("notice")}>{errorText(item.notice)}</p>}
      {sent && <Proof id={item.id} prefix={props.prefix} />}
      {item.explorer && <p><a href={item.explorer} target="_blank" rel="noreferrer noopener">{t("viewOnExplorer")}</a></p>}
      {sent?.actions.resend && props.onResend && (
        <div class="stack">
          <p class="muted">{t("sendAgainHint")}</p>
          <button class="resend" disabled={props.sending} onClick={props.onResend}>{t("sendAgain")}</button>
        </div>
      )}
      {/* The shop refused it for want of Permit2's allowance: approve it here, then the very same payment is sent again. */}
      {sent?.actions.approve && gasless && (
        <ApproveAction account={props.account} token={gasless.token} symbol={item.symbol}
          amount={gasless.authorized_display ?? item.amount_display} nativeSymbol={props.nativeSymbol}
          onApproved={() => { commands.paymentResend(item.id).then(props.onChanged).catch((e) => setResendError(errorText(e as CommandError))); }} />
      )}
      {resendError && <p class="error" role="alert" id={id("resend-error")}>{resendError}</p>}
      {sent?.actions.revoke && <RevokeAction id={item.id} validUntil={gasless?.valid_until ?? null} onDone={props.onChanged} />}
      {sent?.actions.replace && <StuckActions id={item.id} onDone={props.onChanged} />}
      {props.children}
    </section>
  );
}

/** A payment's proof, asked for when opened and shown as text to keep (select and copy it). */
function Proof(props: { id: string; prefix: string }) {
  const [text, setText] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = async (e: Event) => {
    if (!(e.currentTarget as HTMLDetailsElement).open || text) return;
    try { setText(await commands.paymentProof(props.id)); } catch (err) { setError(errorText(err as CommandError)); }
  };
  return (
    <details class="proof" id={`${props.prefix}-proof`} onToggle={open}>
      <summary>{t("showProof")}</summary>
      <p class="muted">{t("proofHint")}</p>
      {error && <p class="error">{error}</p>}
      {text && <pre class="wrap" tabIndex={0} aria-label={t("proof")}>{text}</pre>}
      {text && <button id={`${props.prefix}-proof-save`} onClick={async () => {
        try { setSaved(await commands.paymentProofSave(props.id)); } catch (err) { setError(errorText(err as CommandError)); }
      }}>{t("saveProof")}</button>}
      {saved && <p class="muted wrap" role="status" id={`${props.prefix}-proof-saved`}>{t("proofSaved", { path: saved })}</p>}
    </details>
  );
}
