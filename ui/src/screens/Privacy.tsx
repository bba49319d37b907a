// Privacy the shopper can see: the choices Tender leaves to them (read accounts together, or each alone;
// collectibles' images from the internet, and through which IPFS gateway), and what each network call
// reveals, to whom, said plainly.
import { useEffect, useState } from "preact/hooks";
import { commands, type Privacy } from "../api";
import type { Said } from "../messages";
import { t } from "../i18n";

type Run = (f: () => Promise<Said | void>) => Promise<void>;

export function PrivacySettings(props: { run: Run }) {
  const [privacy, setPrivacy] = useState<Privacy | null>(null);
  const [gateway, setGateway] = useState("");
  useEffect(() => {
    commands.privacyGet().then((p) => { setPrivacy(p); setGateway(p.ipfs_gateway ?? ""); }).catch(() => {});
  }, []);
  const change = (patch: Partial<Privacy>) => privacy && props.run(async () => {
    setPrivacy(await commands.privacySet({ ...privacy, ...patch }));
    return { key: "saved" };
  });
  return (
    <fieldset id="privacy">
      <legend>{t("privacy")}</legend>
      {privacy && (
        <>
          <label class="check">
            <input type="checkbox" id="privacy-separate" checked={privacy.separate_accounts}
              onChange={(e) => change({ separate_accounts: (e.target as HTMLInputElement).checked })} />
            {t("privacySeparate")}
          </label>
          <p class="muted small">{t("privacySeparateHelp")}</p>
          <label class="check">
            <input type="checkbox" id="privacy-spread" checked={privacy.spread} disabled={!privacy.separate_accounts}
              onChange={(e) => change({ spread: (e.target as HTMLInputElement).checked })} />
            {t("privacySpread")}
          </label>
          <label class="check">
            <input type="checkbox" id="privacy-remote-off" checked={privacy.remote_media_off ?? false}
              onChange={(e) => change({ remote_media_off: (e.target as HTMLInputElement).checked })} />
            {t("privacyRemoteOff")}
          </label>
          <form class="stack" id="privacy-gateway-form" onSubmit={(e) => { e.preventDefault(); change({ ipfs_gateway: gateway.trim() || null }); }}>
            <label for="privacy-gateway">{t("privacyGateway")}</label>
            <input id="privacy-gateway" inputMode="url" autoComplete="off" spellcheck={false} placeholder="http://127.0.0.1:8080"
              value={gateway} disabled={privacy.remote_media_off} aria-describedby="privacy-gateway-help"
              onInput={(e) => setGateway((e.target as HTMLInputElement).value)} />
            <button id="privacy-gateway-save" disabled={privacy.remote_media_off || gateway.trim() === (privacy.ipfs_gateway ?? "")}>{t("saveSetting")}</button>
            <p class="muted small breakable" id="privacy-gateway-help">{t("privacyGatewayHelp")}</p>
          </form>
        </>
      )}
      <details id="privacy-reveals">
        <summary>{t("privacyWhoSees")}</summary>
        <dl class="details">
          <dt>{t("privacyNode")}</dt><dd>{t("privacyNodeText")}</dd>
          <dt>{t("privacyShops")}</dt><dd>{t("privacyShopsText")}</dd>
          <dt>{t("privacyMedia")}</dt><dd>{t("privacyMediaText")}</dd>
          <dt>{t("privacyTender")}</dt><dd>{t("privacyTenderText")}</dd>
        </dl>
      </details>
    </fieldset>
  );
}
