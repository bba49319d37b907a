// Recognises what a QR code or a pasted text holds: an `ethereum:` payment link, a shop's payment
// link (`https://`, x402: the core checks it is https, or http to this machine only), or a bare
// address (treated as a payment to it with the amount left open).

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** The payment link in `text`, or null when it holds none. */
export function paymentLink(text: string): string | null {
  const t = text.trim();
  if (/^ethereum:/i.test(t)) return "ethereum:" + t.slice("ethereum:".length);
  if (ADDRESS.test(t)) return `ethereum:${t}`;
  if (/^https?:\/\/\S+$/i.test(t)) return t;
  return null;
}
