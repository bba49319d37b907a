// The one way a transaction of the shopper's own that is not a payment is made here (a speed-up, a
// cancellation, a revocation, an approval of Permit2): Rust quotes it, the quote is shown, and the person
// confirms exactly that quote (its id and digest), once.
import { useState } from "preact/hooks";
import type { Receipt } from "../api";
import { sayError, type Said } from "../messages";

/**
 * A quote asked with `quote`, shown, then confirmed with `confirmQuote` by its id and digest. `onDone`
 * gets the receipt and may return what to say about it (a receipt not decided yet); `say` words a
 * refusal to quote.
 */
export function useQuoted<Q extends { id: string; digest: string }, A extends unknown[]>(
  quote: (...args: A) => Promise<Q>,
  confirmQuote: (id: string, digest: string) => Promise<Receipt>,
  onDone: (receipt: Receipt) => Said | null | void,
  say: (e: unknown) => Said = sayError,
) {
  const [offer, setOffer] = useState<Q | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Said | null>(null);
  const ask = async (...args: A) => {
    setBusy(true);
    setError(null);
    try { setOffer(await quote(...args)); } catch (e) { setError(say(e)); }
    setBusy(false);
  };
  const confirm = async (q: Q) => {
    setBusy(true);
    setError(null);
    try {
      const receipt = await confirmQuote(q.id, q.digest);
      setOffer(null);
      setError(onDone(receipt) ?? null);
    } catch (e) {
      setOffer(null);
      setError(sayError(e));
    }
    setBusy(false);
  };
  return { offer, setOffer, busy, error, ask, confirm };
}
