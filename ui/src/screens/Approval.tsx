// The shopper's own approval of Permit2 for a token (what a shop paid through Permit2 needs first when
// it does not send the approval itself), and its revocation from the token's screen. Rust quotes the
// allowance and the network fee; the person confirms exactly that quote (its id and digest). The
// allowance is this payment's amount unless the person chooses a limit: never "unlimited" by default.
import { useEffect, useState } from "preact/hooks";
import { commands, type AllowanceView, type ApprovalView, type Receipt } from "../api";
import { useQuoted } from "./useQuoted";
import { feeText, localAmount, parseLocalAmount } from "../format";
import { t } from "../i18n";
import { said, sayError, statusText, type Said } from "../messages";

/** The offer of an approval (or a revocation): a receipt not confirmed yet is said so (it is stored, never sent twice). */
function useApproval(account: number, token: string, onDone: (receipt: Receipt) => void) {
  return useQuoted((amount: string) => commands.approvalQuote(account, token, amount), commands.approvalConfirm, (receipt): Said | null => {
    onDone(receipt);
    return receipt.status === "confirmed" ? null : receipt.notice ?? { key: "approveNotConfirmed", params: { status: statusText(receipt.status) } };
  });
}

/** The quote shown for confirming: what Permit2 may move after it, and the fee at most. */
function ConfirmApproval(props: { offer: ApprovalView; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { offer } = props;
  const fee = feeText(offer.max_fee_display, offer.native_symbol);
  return (
    <div class="banner" role="dialog" aria-labelledby="approve-offer" id="approve-dialog">
      <p id="approve-offer">
        {offer.revokes
          ? t("revokeApprovalConfirm", { symbol: offer.symbol, amount: `${localAmount(offer.current_display)} ${offer.symbol}`, fee })
          : t("approveConfirm", { amount: `${localAmount(offer.amount_display)} ${offer.symbol}`, fee })}
      </p>
      <div class="row">
        <button id="approve-confirm" class="primary" disabled={props.busy} onClick={props.onConfirm}>{t("confirm")}</button>
        <button id="approve-not-now" disabled={props.busy} onClick={props.onCancel}>{t("notNow")}</button>
      </div>
    </div>
  );
}

/**
 * On a sheet blocked by `approval_needed`: approve Permit2 for this payment's `amount` (exact, in the
 * token's units) or a limit the person types, then `onApproved` (the sheet is quoted again).
 */
export function ApproveAction(props: { account: number; token: string; symbol: string; amount: string; nativeSymbol: string; onApproved: () => void }) {
  const { offer, setOffer, busy, error, ask, confirm } =
    useApproval(props.account, props.token, (r) => { if (r.status === "confirmed") props.onApproved(); });
  const [choice, setChoice] = useState<"payment" | "limit">("payment");
  const [typed, setTyped] = useState("");
  const limit = typed.trim() ? parseLocalAmount(typed) : null;
  const amount = choice === "payment" ? props.amount : limit;
  return (
    <div class="stack approve" id="approve" data-busy={busy}>
      {offer ? (
        <ConfirmApproval offer={offer} busy={busy} onConfirm={() => confirm(offer)} onCancel={() => setOffer(null)} />
      ) : (
        <form class="stack" onSubmit={(e) => { e.preventDefault(); if (amount) ask(amount); }}>
          <fieldset class="stack">
            <legend>{t("approveTitle", { symbol: props.symbol })}</legend>
            <p class="muted" id="approve-hint">{t("approveHint", { native: props.nativeSymbol })}</p>
            <label class="check">
              <input type="radio" name="approve-choice" id="approve-this-payment" checked={choice === "payment"} onChange={() => setChoice("payment")} />
              {" "}{t("approveThisPayment", { amount: `${localAmount(props.amount)} ${props.symbol}` })}
            </label>
            <label class="check">
              <input type="radio" name="approve-choice" id="approve-limit" checked={choice === "limit"} onChange={() => setChoice("limit")} />
              {" "}{t("approveLimit")}
            </label>
            {choice === "limit" && (
              <>
                <label for="approve-limit-amount">{t("approveLimitAmount", { symbol: props.symbol })}</label>
                <input id="approve-limit-amount" inputMode="decimal" autoComplete="off" value={typed} aria-invalid={typed.trim() !== "" && limit == null}
                  onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
              </>
            )}
          </fieldset>
          <button id="approve-ask" disabled={busy || !amount}>{busy ? t("checking") : t("approveAsk")}</button>
        </form>
      )}
      {error && <p role="alert" class="error" id="approve-error">{said(error)}</p>}
    </div>
  );
}

/** On a token's screen: what Permit2 may move of it from this account (read from the chain), and revoking it. */
export function TokenApprovals(props: { account: number; token: string; symbol: string }) {
  const [allowance, setAllowance] = useState<AllowanceView | null>(null);
  const [readError, setReadError] = useState<Said | null>(null);
  const load = () => commands.approvalAllowance(props.account, props.token)
    .then((a) => { setAllowance(a); setReadError(null); })
    .catch((e) => setReadError(sayError(e)));
  useEffect(() => { load(); }, [props.account, props.token]);
  const { offer, setOffer, busy, error, ask, confirm } = useApproval(props.account, props.token, () => load());
  return (
    <section class="stack approvals" id="token-approvals" aria-labelledby="token-approvals-title" data-none={allowance?.none}>
      <h2 id="token-approvals-title">{t("approvals")}</h2>
      {readError && <p class="error" role="alert">{said(readError)}</p>}
      {!allowance && !readError && <p aria-busy="true">{t("loading")}</p>}
      {allowance && (allowance.none
        ? <p class="muted" id="token-approvals-none">{t("noApprovals", { symbol: allowance.symbol })}</p>
        : <p id="token-approvals-permit2">{t("permit2MayMove", { amount: `${localAmount(allowance.display)} ${allowance.symbol}` })}</p>)}
      {allowance && !allowance.none && (offer
        ? <ConfirmApproval offer={offer} busy={busy} onConfirm={() => confirm(offer)} onCancel={() => setOffer(null)} />
        : <div class="row"><button id="token-revoke" disabled={busy} onClick={() => ask("0")}>{t("revokeApproval")}</button></div>)}
      {error && <p role="alert" class="error" id="token-revoke-error">{said(error)}</p>}
    </section>
  );
}
