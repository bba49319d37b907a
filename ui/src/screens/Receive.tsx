// Receive: the address and its QR code, optionally as an EIP-681 request for an amount.
import { useEffect, useState } from "preact/hooks";
import { commands, type Portfolio, type ReceiveRequest } from "../api";
import type { Session } from "../session";
import { t } from "../i18n";
import { toSvg } from "../qr";
import { parseLocalAmount } from "../format";
import { said, sayError, type Said } from "../messages";

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

export function Receive(props: { session: Session }) {
  const account = props.session.account;
  const network = props.session.status.network?.name ?? null;
  const [tokens, setTokens] = useState<Portfolio["rows"]>([]);
  const [token, setToken] = useState<string>("");
  const [amount, setAmount] = useState("");
  // The request and its QR code, with what they were made for: shown only while that is exactly what
  // the fields say, so a QR code or a copied link never disagrees with the amount on screen.
  const [made, setMade] = useState<{ key: string; request: ReceiveRequest; svg: string } | null>(null);
  const [error, setError] = useState<Said | null>(null);
  const [amountError, setAmountError] = useState<Said | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  // The account's address: it does not depend on the amount, so an amount being typed never hides it.
  const [address, setAddress] = useState<string | null>(null);

  useEffect(() => {
    commands.balancesCached(account).then((p) => {
      setTokens(p.rows);
      const featured = p.rows.find((r) => r.featured);
      setToken(featured?.token ?? "");
    }).catch((e) => setError(sayError(e)));
    setAddress(null);
  }, [account]);

  const withAmount = amount.trim() !== "";
  // The amount as typed in the person's locale ("2,5" in French), as exact decimal text.
  const exact = withAmount ? parseLocalAmount(amount) : null;
  const key = `${account}|${withAmount ? token : ""}|${exact ?? ""}`;
  useEffect(() => {
    let current = true;
    if (withAmount && exact == null) {
      setAmountError({ code: "invalid_amount", message: "", params: { decimals: String(tokens.find((r) => (r.token ?? "") === token)?.decimals ?? 18) } });
      return;
    }
    setAmountError(null);
    commands.receiveRequest(account, withAmount && token ? token : null, exact)
      .then(async (r) => {
        // A plain address QR unless an amount is asked for: every wallet reads those.
        const svg = await toSvg(withAmount ? r.uri : r.address);
        if (!current) return;
        setAddress(r.address);
        setMade({ key, request: r, svg });
        setError(null);
      })
      .catch((e) => {
        if (!current) return;
        if (withAmount) setAmountError(sayError(e));
        else setError(sayError(e));
      });
    return () => { current = false; };
  }, [key]);
  const shown = made && made.key === key && !amountError ? made : null;
  const request = shown?.request ?? null;

  const doCopy = async (what: string, text: string) => {
    if (await copy(text)) {
      setCopied(what);
      setTimeout(() => setCopied(null), 2000);
    }
  };
  return (
    <section class="receive">
      <h1>{t("navReceive")}</h1>
      {network && <p class="muted" id="receive-network">{t("receiveOn", { network })}</p>}
      {/* The SVG is generated locally by the qrcode library from our own request text. Its box keeps
          its size while a new one is drawn or while the amount is being fixed: the page never jumps. */}
      <div class="qr" id="receive-qr" role="img" data-for={shown ? (withAmount ? shown.request.uri : shown.request.address) : ""}
        aria-label={t("qrOf", { what: address ?? "" })} dangerouslySetInnerHTML={{ __html: shown?.svg ?? "" }} />
      {address && (
        <>
          <code id="receive-address" class="wrap address">{address}</code>
          <button id="copy-address" onClick={() => doCopy("address", address)}>{copied === "address" ? t("copied") : t("copyAddress")}</button>
        </>
      )}
      <details>
        <summary>{t("requestAmount")}</summary>
        <div class="stack">
          <label for="receive-token">{t("token")}</label>
          <select id="receive-token" value={token} onChange={(e) => setToken((e.target as HTMLSelectElement).value)}>
            {tokens.map((r) => <option value={r.token ?? ""}>{r.name && r.name !== r.symbol ? `${r.name} · ${r.symbol}` : r.symbol}</option>)}
          </select>
          <label for="receive-amount">{t("amount")}</label>
          <input id="receive-amount" inputMode="decimal" autoComplete="off" value={amount} aria-invalid={amountError != null}
            aria-describedby="receive-amount-error" onInput={(e) => setAmount((e.target as HTMLInputElement).value)} />
          {amountError && <p role="alert" class="error" id="receive-amount-error">{said(amountError)}</p>}
          {request && withAmount && (
            <>
              <code id="receive-uri" class="wrap small">{request.uri}</code>
              <button onClick={() => doCopy("uri", request.uri)}>{copied === "uri" ? t("copied") : t("copyLink")}</button>
            </>
          )}
        </div>
      </details>
      {error && <p role="alert" class="error">{said(error)}</p>}
    </section>
  );
}
