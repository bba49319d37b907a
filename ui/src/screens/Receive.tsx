// Receive: the address and its QR code, optionally as an EIP-681 request for an amount.
import { useEffect, useState } from "preact/hooks";
import { commands, errorMessage, type Portfolio, type ReceiveRequest } from "../api";
import type { Session } from "../App";
import { t } from "../i18n";
import { toSvg } from "../qr";

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
  const [tokens, setTokens] = useState<Portfolio["rows"]>([]);
  const [token, setToken] = useState<string>("");
  const [amount, setAmount] = useState("");
  const [request, setRequest] = useState<ReceiveRequest | null>(null);
  const [svg, setSvg] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  useEffect(() => {
    commands.balancesCached(account).then((p) => {
      setTokens(p.rows);
      const featured = p.rows.find((r) => r.featured);
      setToken(featured?.token ?? "");
    }).catch((e) => setError(errorMessage(e)));
  }, [account]);

  useEffect(() => {
    let current = true;
    const withAmount = amount.trim() !== "";
    commands.receiveRequest(account, withAmount && token ? token : null, withAmount ? amount : null)
      .then(async (r) => {
        if (!current) return;
        setRequest(r);
        setError(null);
        // A plain address QR unless an amount is asked for: every wallet reads those.
        setSvg(await toSvg(withAmount ? r.uri : r.address));
      })
      .catch((e) => current && setError(errorMessage(e)));
    return () => { current = false; };
  }, [account, token, amount]);

  const doCopy = async (what: string, text: string) => {
    if (await copy(text)) {
      setCopied(what);
      setTimeout(() => setCopied(null), 2000);
    }
  };
  return (
    <section class="receive">
      <h2>{t("navReceive")}</h2>
      {/* The SVG is generated locally by the qrcode library from our own request text. */}
      <div class="qr" id="receive-qr" role="img" aria-label={t("qrOf", { what: request?.address ?? "" })} dangerouslySetInnerHTML={{ __html: svg }} />
      {request && (
        <>
          <code id="receive-address" class="wrap address">{request.address}</code>
          <button id="copy-address" onClick={() => doCopy("address", request.address)}>{copied === "address" ? t("copied") : t("copyAddress")}</button>
        </>
      )}
      <details>
        <summary>{t("requestAmount")}</summary>
        <div class="stack">
          <label for="receive-token">{t("token")}</label>
          <select id="receive-token" value={token} onChange={(e) => setToken((e.target as HTMLSelectElement).value)}>
            {tokens.map((r) => <option value={r.token ?? ""}>{r.symbol}</option>)}
          </select>
          <label for="receive-amount">{t("amount")}</label>
          <input id="receive-amount" inputMode="decimal" autoComplete="off" value={amount} onInput={(e) => setAmount((e.target as HTMLInputElement).value)} />
          {request && amount.trim() && (
            <>
              <code id="receive-uri" class="wrap small">{request.uri}</code>
              <button onClick={() => doCopy("uri", request.uri)}>{copied === "uri" ? t("copied") : t("copyLink")}</button>
            </>
          )}
        </div>
      </details>
      {error && <p role="alert" class="error">{error}</p>}
    </section>
  );
}
