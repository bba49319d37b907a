// A payment the network keeps waiting (or refused for its fee): speed it up or cancel it, from the
// receipt and from the history. Rust quotes the new fee; the person confirms exactly that quote (its id
// and digest); only one of the payment's transactions can ever go through. After a refusal
// ("replacement transaction underpriced") the buttons stay: the next try offers more.
import { commands, type PaymentKind, type Receipt } from "../api";
import { useQuoted } from "./useQuoted";
import { said, sayError, type Said } from "../messages";
import { feeText } from "../format";
import { t } from "../i18n";
import { formatUnixTime } from "../time";

/** The offer of a replacement (or a revocation) of payment `id`; `say` words a refusal to offer one. */
function useOffer(id: string, onDone: (receipt: Receipt) => void, say: (e: unknown) => Said = sayError) {
  return useQuoted((kind: PaymentKind) => commands.paymentReplacement(id, kind), commands.paymentReplace, onDone, say);
}

export function StuckActions(props: { id: string; onDone: (receipt: Receipt) => void }) {
  const { offer, setOffer, busy, error, ask, confirm } = useOffer(props.id, props.onDone);
  const fee = (exact: string) => feeText(exact, offer?.native_symbol ?? "");
  return (
    <div class="stuck" data-busy={busy}>
      {offer ? (
        <div class="banner" role="dialog" aria-labelledby="stuck-offer">
          <p id="stuck-offer">
            {offer.kind === "cancel"
              ? t("cancelConfirm", { fee: fee(offer.max_fee_display) })
              : t("speedUpConfirm", { fee: fee(offer.max_fee_display), previous: fee(offer.previous_max_fee_display) })}
          </p>
          <div class="row">
            <button id="stuck-confirm" class="primary" disabled={busy} onClick={() => confirm(offer)}>{t("confirm")}</button>
            <button id="stuck-not-now" disabled={busy} onClick={() => setOffer(null)}>{t("notNow")}</button>
          </div>
        </div>
      ) : (
        <>
          <p class="muted">{t("stuckHint")}</p>
          <div class="row">
            <button id="stuck-speed-up" disabled={busy} onClick={() => ask("speed_up")}>{t("speedUp")}</button>
            <button id="stuck-cancel" disabled={busy} onClick={() => ask("cancel")}>{t("cancelPayment")}</button>
          </div>
        </>
      )}
      {error && <p role="alert" class="error" id="stuck-error">{said(error)}</p>}
    </div>
  );
}

/**
 * A gasless payment the shop has not settled (refused, or no answer): its signed authorization stays
 * valid until `validUntil`, watched. With ether for the fee it can be revoked now (EIP-3009
 * `cancelAuthorization`): Rust quotes the fee, the person confirms exactly that quote.
 */
export function RevokeAction(props: { id: string; validUntil: number | null; onDone: (receipt: Receipt) => void }) {
  const { offer, setOffer, busy, error, ask, confirm } =
    useOffer(props.id, props.onDone, (e) => revokeError(sayError(e), props.validUntil));
  return (
    <div class="stuck revoke" data-busy={busy}>
      {offer ? (
        <div class="banner" role="dialog" aria-labelledby="revoke-offer">
          <p id="revoke-offer">{t("revokeConfirm", { fee: feeText(offer.max_fee_display, offer.native_symbol) })}</p>
          <div class="row">
            <button id="revoke-confirm" class="primary" disabled={busy} onClick={() => confirm(offer)}>{t("confirm")}</button>
            <button id="revoke-not-now" disabled={busy} onClick={() => setOffer(null)}>{t("notNow")}</button>
          </div>
        </div>
      ) : (
        <div class="row">
          <button id="revoke" disabled={busy} onClick={() => ask("cancel_authorization")}>{t("revoke")}</button>
        </div>
      )}
      {error && <p role="alert" class="error" id="revoke-error">{said(error)}</p>}
    </div>
  );
}

/** Without ether for the fee, what revoking would need, and until when the payment stays valid anyway. */
function revokeError(e: Said, validUntil: number | null): Said {
  if ("code" in e && e.code === "needs_native_for_fee") {
    const params = e.params as Record<string, string>;
    const key = validUntil != null ? "revokeNeedsEthUntil" : "revokeNeedsEth";
    return { key, params: { needed: params.needed, symbol: params.symbol, when: validUntil != null ? formatUnixTime(validUntil) : "" } };
  }
  return e;
}
