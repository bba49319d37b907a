// Scan & pay: camera (webcam in the webview, or the barcode-scanner plugin on phones), a QR image
// file, a pasted link or a deep link → the confirmation sheet → pay → receipt.
import { useEffect, useRef, useState } from "preact/hooks";
import { commands, asError, type PaySheet, type Receipt } from "../api";
import type { Session } from "../session";
import { t } from "../i18n";
import { blockerText, errorText, said, sayError, warningText, type Said } from "../messages";
import { decodeCameraFrame, decodeFile, FrameReads } from "../qr";
import { feeText, localAmount, parseLocalAmount } from "../format";
import { networkName } from "../networks";
import { PaymentReceipt, paidNow } from "./Receipt";
import { ApproveAction } from "./Approval";
import { formatUnixTime, untilText } from "../time";

type Stage =
  | { kind: "input" }
  | { kind: "loading"; uri: string }
  | { kind: "sheet"; uri: string; sheet: PaySheet }
  | { kind: "paying"; uri: string; sheet: PaySheet }
  | { kind: "receipt"; receipt: Receipt };

const isMobile = /Android|iPhone|iPad/i.test(navigator.userAgent);

export function Pay(props: { session: Session; initialLink: string | null; onLinkUsed: () => void }) {
  const [stage, setStage] = useState<Stage>({ kind: "input" });
  const [error, setError] = useState<Said | null>(null);
  // The pasted text outlives the sheet: cancelled, the person finds it (and the Review button that
  // opened the sheet, where focus returns) as they left it.
  const [pasted, setPasted] = useState("");
  // A link that arrived while a sheet was open: it never replaces the sheet the person is reading.
  const [incoming, setIncoming] = useState<string | null>(null);
  const account = props.session.account;

  const open = async (text: string) => {
    setIncoming(null);
    // What the text holds (a request, a shop's link, a bare address) is the core's to say.
    const uri = text.trim();
    if (!uri) return;
    setError(null);
    setStage({ kind: "loading", uri });
    try {
      setStage({ kind: "sheet", uri, sheet: await commands.paymentQuote(uri, account, null) });
    } catch (e) {
      setStage({ kind: "input" });
      setError(sayError(e));
    }
  };

  useEffect(() => {
    if (props.initialLink) {
      if (stage.kind === "input") open(props.initialLink);
      else if (stage.kind === "receipt") open(props.initialLink);
      else setIncoming(props.initialLink);
      props.onLinkUsed();
    }
  }, [props.initialLink]);

  if (stage.kind === "input" || stage.kind === "loading") {
    return <PayInput busy={stage.kind === "loading"} error={error} onError={setError} onText={open} pasted={pasted} onPasted={setPasted} />;
  }
  if (stage.kind === "receipt") {
    return (
      <PaymentReceipt item={paidNow(stage.receipt)} prefix="receipt" account={account}
        nativeSymbol={props.session.status.network?.native_symbol ?? "ETH"} onChanged={(receipt) => setStage({ ...stage, receipt })}>
        <div class="row">
          <button id="receipt-done" class="primary" onClick={() => props.session.go("home")}>{t("done")}</button>
          <button onClick={() => setStage({ kind: "input" })}>{t("payAnother")}</button>
        </div>
      </PaymentReceipt>
    );
  }
  return (
    <ConfirmSheet sheet={stage.sheet} paying={stage.kind === "paying"} error={error}
      nativeSymbol={props.session.status.network?.native_symbol ?? "ETH"}
      onAmount={async (exact) => {
        setError(null);
        try {
          setStage({ kind: "sheet", uri: stage.uri, sheet: await commands.paymentQuote(stage.uri, account, exact) });
        } catch (e) { setError(sayError(e)); }
      }}
      account={account}
      onRequote={async () => {
        // Approved meanwhile: the same link, quoted again, is now payable (or says why not).
        setError(null);
        try {
          setStage({ kind: "sheet", uri: stage.uri, sheet: await commands.paymentQuote(stage.uri, account, null) });
        } catch (e) { setError(sayError(e)); }
      }}
      incoming={incoming} onReviewIncoming={() => incoming && open(incoming)}
      onCancel={() => { setError(null); setStage({ kind: "input" }); }}
      onPay={async (allowDuplicate) => {
        setError(null);
        setStage({ kind: "paying", uri: stage.uri, sheet: stage.sheet });
        try {
          const quote = stage.sheet.quote;
          if (!quote) return;
          const receipt = await commands.paymentPay(quote.id, quote.digest, account, allowDuplicate);
          setPasted("");
          setStage({ kind: "receipt", receipt });
        } catch (e) {
          const err = asError(e);
          if (err.code === "locked") await props.session.refreshStatus();
          setError(err);
          // The quote is used up once paid or refused: fetch a fresh one.
          try {
            setStage({ kind: "sheet", uri: stage.uri, sheet: await commands.paymentQuote(stage.uri, account, null) });
          } catch {
            setStage({ kind: "input" });
          }
        }
      }} />
  );
}

// One error line, always the latest attempt's: a new image, scan or link replaces what an earlier one said.
function PayInput(props: {
  busy: boolean; error: Said | null; onError: (e: Said | null) => void; onText: (text: string) => void;
  pasted: string; onPasted: (text: string) => void;
}) {
  const { pasted, onPasted: setPasted } = props;
  const [camera, setCamera] = useState(false);
  const setFileError = props.onError;
  return (
    <section class="pay-input">
      <h1>{t("scanToPay")}</h1>
      {camera ? <CameraScanner onText={(text) => { setCamera(false); props.onText(text); }} onClose={() => setCamera(false)} />
        : <button id="scan-camera" class="primary" onClick={async () => {
          if (isMobile) {
            try {
              const scanner = await import("@tauri-apps/plugin-barcode-scanner");
              const result = await scanner.scan({ formats: [scanner.Format.QRCode] });
              props.onText(result.content);
            } catch (e) { setFileError(sayError(e)); }
          } else setCamera(true);
        }}>{t("scanWithCamera")}</button>}
      <label class="file-button">
        <span>{t("openQrImage")}</span>
        <input id="qr-file" type="file" accept="image/*" title="" onChange={async (e) => {
          const input = e.target as HTMLInputElement;
          const file = input.files?.[0];
          if (!file) return;
          setFileError(null);
          try {
            const text = await decodeFile(file);
            if (text) props.onText(text);
            else setFileError({ key: "noQrInImage" });
          } catch {
            setFileError({ key: "noQrInImage" });
          }
          input.value = "";
        }} />
      </label>
      <form class="stack" onSubmit={(e) => { e.preventDefault(); props.onText(pasted); }}>
        <label for="payment-link">{t("pasteLink")}</label>
        <input id="payment-link" autoComplete="off" spellcheck={false} placeholder="https://… · ethereum:…" value={pasted} onInput={(e) => setPasted((e.target as HTMLInputElement).value)} />
        <button id="open-link" disabled={!pasted.trim() || props.busy}>{props.busy ? t("checking") : t("review")}</button>
      </form>
      {props.error && <p role="alert" class="error" id="pay-error">{said(props.error)}</p>}
    </section>
  );
}

function CameraScanner(props: { onText: (text: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<Said | null>(null);
  useEffect(() => {
    let stream: MediaStream | null = null;
    let frame = 0;
    let stopped = false;
    const reads = new FrameReads();
    // One frame at a time: the next is read when this one is done (decoding is asynchronous).
    const scan = async () => {
      const v = video.current;
      if (stopped || !v) return;
      if (v.readyState >= 2 && v.videoWidth) {
        const text = await decodeCameraFrame(reads, v, v.videoWidth, v.videoHeight).catch(() => null);
        if (stopped) return;
        if (text) {
          props.onText(text);
          return;
        }
      }
      frame = requestAnimationFrame(scan);
    };
    navigator.mediaDevices?.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then((s) => {
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          video.current.play();
          frame = requestAnimationFrame(scan);
        }
      })
      .catch(() => setError({ key: "noCamera" }));
    if (!navigator.mediaDevices) setError({ key: "noCamera" });
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);
  return (
    <div class="camera">
      {error ? <p role="alert" class="error">{said(error)}</p> : <video ref={video} muted playsInline aria-label={t("cameraView")} />}
      <button onClick={props.onClose}>{t("close")}</button>
    </div>
  );
}

/**
 * A request that leaves the amount open (a bare address): the person types it, in their locale
 * ("2,5" in French), and the sheet is quoted again with it. The request's asset is the network's own
 * currency unless it names a token (then in the token's units, which the core knows).
 */
function OpenAmount(props: { sheet: PaySheet; nativeSymbol: string; onAmount: (exact: string) => void }) {
  const [typed, setTyped] = useState("");
  const exact = typed.trim() ? parseLocalAmount(typed) : null;
  // The core says which asset the request asks for, and its decimals.
  const token = props.sheet.request.token != null;
  const decimals = String(props.sheet.request.decimals ?? "");
  return (
    <form class="stack" id="sheet-open-amount" onSubmit={(e) => { e.preventDefault(); if (exact) props.onAmount(exact); }}>
      <label for="sheet-amount-input">{token ? t("amount") : `${t("amount")} (${props.nativeSymbol})`}</label>
      <input id="sheet-amount-input" inputMode="decimal" autoComplete="off" value={typed} aria-invalid={typed.trim() !== "" && exact == null}
        onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
      {typed.trim() !== "" && exact == null && <p class="error small">{errorText({ code: "invalid_amount", message: "", params: { decimals } })}</p>}
      <button id="sheet-amount-review" disabled={exact == null}>{t("review")}</button>
    </form>
  );
}

/** What the wallet knows of the payee, in words. */
function payeeFactsText(facts: PaySheet["payee"]): string | null {
  if (!facts) return null;
  if (facts.own_account) return t("ownAccount");
  // A first payment is pointed out only where the core says it is worth it (not on a shop's order).
  if (facts.paid_before === 0) return facts.first_payment_caution ? t("firstPayment") : null;
  const when = facts.last_paid_at != null ? formatUnixTime(facts.last_paid_at) : "";
  return facts.paid_before === 1 ? t("paidOnce", { when }) : t("paidBefore", { n: facts.paid_before, when });
}

function ConfirmSheet(props: {
  sheet: PaySheet; paying: boolean; error: Said | null; incoming: string | null; nativeSymbol: string; account: number;
  onReviewIncoming: () => void; onCancel: () => void; onPay: (acknowledged: boolean) => void;
  onAmount: (exact: string) => void; onRequote: () => void;
}) {
  // The core's verdict, rendered: it alone decides whether the sheet can be paid, and which warnings
  // need a tick (all of them ticked, or no pay).
  const { request, quote, warnings, blockers, payee } = props.sheet;
  const acks = warnings.filter((w) => w.needs_ack).map((w) => w.warning);
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const acknowledged = acks.every((w) => ticked[w.kind]);
  const blocked = !props.sheet.payable || !acknowledged;
  const facts = payeeFactsText(payee);
  const onChain = quote?.paid_by.kind === "on_chain" ? quote.paid_by : null;
  const shop = quote?.paid_by.kind === "gasless" ? quote.paid_by : null;
  const token = quote?.asset.kind === "token" ? quote.asset : null;
  return (
    <section class="sheet" aria-labelledby="sheet-title" id="confirm-sheet" data-returns-focus>
      {props.incoming && (
        <div class="banner warn" role="status" id="sheet-incoming">
          {t("anotherLink")}{" "}
          {!props.paying && <button id="sheet-review-incoming" onClick={props.onReviewIncoming}>{t("reviewIt")}</button>}
        </div>
      )}
      {/* Only a shop's own web address names who asks: a request's label is its own claim, shown as such below. */}
      <h1 id="sheet-title">{request.domain ? t("payShop", { shop: request.domain }) : t("confirmPayment")}</h1>
      {request.domain && <p class="muted" id="sheet-shop">{t("shopAsksHint")}</p>}
      {request.message && <p class="muted" id="sheet-message">{request.domain ? t("shopSays", { text: request.message }) : t("requestSays", { text: request.message })}</p>}
      {quote && (
        <p class="big" id="sheet-amount" data-up-to={shop?.method === "upto"}>
          {shop?.method === "upto"
            ? t("upToAmount", { amount: `${localAmount(quote.amount_display)} ${quote.asset.symbol}` })
            : `${localAmount(quote.amount_display)} ${quote.asset.symbol}`}
        </p>
      )}
      {shop?.method === "upto" && <p class="muted" id="sheet-upto">{t("uptoHint")}</p>}
      {/* Blocked, the request's own amount and asset still show: what was asked, and on which network. */}
      {!quote && request.amount_display && request.symbol && (
        <p class="big" id="sheet-amount">{localAmount(request.amount_display)} {request.symbol}</p>
      )}
      {/* What blocks or needs care comes first, above the details, so that on a phone it is never below the fold. */}
      {(blockers.length > 0 || warnings.length > 0) && (
        <ul class="warnings" id="sheet-warnings">
          {blockers.map((b) => <li class="banner danger" data-kind={b.kind} data-blocker="true">{blockerText(b, { network: request.network })}</li>)}
          {warnings.map(({ warning: w }) => <li class={w.kind === "lookalike_payee" ? "banner danger" : "banner warn"} data-kind={w.kind}>{warningText(w)}</li>)}
        </ul>
      )}
      {blockers.some((b) => b.kind === "amount_missing") && <OpenAmount sheet={props.sheet} nativeSymbol={props.nativeSymbol} onAmount={props.onAmount} />}
      {blockers.map((b) => b.kind === "approval_needed" && (
        <ApproveAction account={props.account} token={b.token} symbol={b.symbol} amount={b.amount} nativeSymbol={props.nativeSymbol} onApproved={props.onRequote} />
      ))}
      <dl>
        {request.order && <><dt>{t("order")}</dt><dd id="sheet-order">{request.order}</dd></>}
        {(quote?.payee ?? request.payee) && <dt>{t("payee")}</dt>}
        {(quote?.payee ?? request.payee) && <dd>
          <code class="wrap" id="sheet-payee">{quote?.payee ?? request.payee}</code>
          {quote?.payee_name && <div>{quote.payee_name}</div>}
          {request.merchant && <div class="claim" id="sheet-claim">{t("claimedName", { name: request.merchant })}</div>}
          {facts && <div class={payee?.first_payment_caution ? "badge new" : "muted"} id="sheet-payee-facts" data-paid-before={payee?.paid_before}>{facts}</div>}
        </dd>}
        {quote && <><dt>{t("token")}</dt><dd id="sheet-token">{token ? `${token.name} · ${token.symbol}` : quote.asset.symbol}{token && !token.verified && <span class="tag" id="sheet-unverified">{t("unverified")}</span>}</dd></>}
        {quote && <><dt>{t("networkFee")}</dt><dd id="sheet-fee" data-paid-by-shop={shop != null}>{onChain ? feeText(onChain.max_fee_display, onChain.native_symbol) : t("feePaidByShop")}</dd></>}
        {/* A total only in one currency: a token payment's fee is in another, so the core gives none. */}
        {shop?.offer_signed && <><dt>{t("offerSigned")}</dt><dd id="sheet-offer-signed" class="muted">{t("offerSignedHint")}</dd></>}
        {shop?.sponsored_approval && <><dt>{t("approval")}</dt><dd id="sheet-approval">{t("approvalSponsored")}</dd></>}
        {onChain?.max_total_native_display && <><dt>{t("total")}</dt><dd id="sheet-total">{feeText(onChain.max_total_native_display, onChain.native_symbol)}</dd></>}
        {quote && <><dt>{t("network")}</dt><dd id="sheet-network">{networkName(quote.network_key, quote.network)}</dd></>}
        {request.expires != null && <><dt>{t("expires")}</dt><dd id="sheet-expires">{untilText(request.expires)}</dd></>}
      </dl>
      {quote && (
        <details class="details" id="sheet-details">
          <summary>{t("details")}</summary>
          <dl>
            {token && <><dt>{t("contract")}</dt><dd><code class="wrap" id="sheet-contract">{token.address}</code></dd></>}
            {onChain && <><dt>{t("exactFee")}</dt><dd id="sheet-exact-fee">{localAmount(onChain.max_fee_display)} {onChain.native_symbol}</dd></>}
            {onChain?.max_total_native_display && <><dt>{t("exactTotal")}</dt><dd>{localAmount(onChain.max_total_native_display)} {onChain.native_symbol}</dd></>}
          </dl>
        </details>
      )}
      {acks.map((w) => (
        <label class="check">
          <input id={w.kind === "lookalike_payee" ? "ack-lookalike" : "ack-duplicate"} type="checkbox" checked={!!ticked[w.kind]}
            onChange={(e) => setTicked({ ...ticked, [w.kind]: (e.target as HTMLInputElement).checked })} />
          {" "}{w.kind === "lookalike_payee" ? t("lookalikeAck") : t("payAgainAnyway")}
        </label>
      ))}
      {props.error && <p role="alert" class="error" id="sheet-error">{said(props.error)}</p>}
      <div class="row sheet-actions">
        <button id="sheet-cancel" onClick={props.onCancel} disabled={props.paying}>{t("cancel")}</button>
        <button id="sheet-pay" class="primary" disabled={blocked || props.paying} onClick={() => props.onPay(acks.length > 0 && acknowledged)}>
          {props.paying ? t("paying") : quote ? t("payAmount", { amount: `${localAmount(quote.amount_display)} ${quote.asset.symbol}` }) : t("cannotPay")}
        </button>
      </div>
    </section>
  );
}
