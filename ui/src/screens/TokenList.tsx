// The retailer's signed token list: which list is in use on this network, and taking a newer one from
// two files the shop publishes (the list, and its signature). The files are read here as text and
// handed to the core, which checks the signature offline against the key Tender pins for the network;
// nothing is fetched from anywhere.
import { useEffect, useState } from "preact/hooks";
import { commands, type ListInUse } from "../api";
import type { Said } from "../messages";
import { t } from "../i18n";

type Run = (f: () => Promise<Said | void>) => Promise<void>;

/** The text of a chosen file, or null (none chosen, or larger than `max` bytes). */
async function text(input: HTMLInputElement | null, max: number): Promise<string | null> {
  const file = input?.files?.[0];
  if (!file || file.size > max) return null;
  // FileReader: what every webview has (Blob.text() is younger).
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : null);
    reader.onerror = () => resolve(null);
    reader.readAsText(file);
  });
}

/** How many of the form's files are chosen. */
function picked(form: HTMLFormElement): number {
  return Array.from(form.querySelectorAll<HTMLInputElement>("input[type=file]")).filter((i) => i.files?.length).length;
}

export function TokenListSettings(props: { run: Run }) {
  const [inUse, setInUse] = useState<ListInUse | null>(null);
  const [chosen, setChosen] = useState(0);
  const load = () => commands.tokenListGet().then(setInUse).catch(() => {});
  useEffect(() => { load(); }, []);
  const take = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    return props.run(async () => {
      const list = await text(form.querySelector<HTMLInputElement>("#token-list-file"), 1024 * 1024);
      const signature = await text(form.querySelector<HTMLInputElement>("#token-list-signature"), 1024);
      if (list == null || signature == null) return { key: "tokenListChoose" };
      const taken = await commands.tokenListImport(list, signature);
      await load();
      form.reset();
      setChosen(0);
      return { key: "tokenListTaken", params: { name: taken.name, version: `${taken.version.major}.${taken.version.minor}.${taken.version.patch}`, n: taken.tokens.length } };
    });
  };
  return (
    <fieldset id="token-list">
      <legend>{t("tokenList")}</legend>
      <p class="muted small" id="token-list-in-use">
        {inUse
          ? t("tokenListInUse", { name: inUse.name, version: inUse.version, tokens: inUse.tokens.map((x) => x.symbol).join(", ") || "—" })
          : t("tokenListNone")}
      </p>
      <form class="stack" onSubmit={take} onChange={(e) => setChosen(picked(e.currentTarget as HTMLFormElement))}>
        <label for="token-list-file">{t("tokenListFile")}</label>
        <input type="file" id="token-list-file" accept=".json,application/json" />
        <label for="token-list-signature">{t("tokenListSignature")}</label>
        <input type="file" id="token-list-signature" accept=".sig,.txt,text/plain" />
        <button id="token-list-take" disabled={chosen < 2}>{t("tokenListTake")}</button>
        <p class="muted small">{t("tokenListHelp")}</p>
      </form>
    </fieldset>
  );
}
