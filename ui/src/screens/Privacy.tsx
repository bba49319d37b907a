// Privacy the shopper can see: the one choice Tender leaves to them (read accounts together, or each
// alone), and what each network call reveals, to whom, said plainly.
import { useEffect, useState } from "preact/hooks";
import { commands, type Privacy } from "../api";
import type { Said } from "../messages";
import { t } from "../i18n";

type Run = (f: () => Promise<Said | void>) => Promise<void>;

export function PrivacySettings(props: { run: Run }) {
  const [privacy, setPrivacy] = useState<Privacy | null>(null);
  useEffect(() => { commands.privacyGet().then(setPrivacy).catch(() => {}); }, []);
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
