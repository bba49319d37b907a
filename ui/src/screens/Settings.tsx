// Settings: network, auto-lock, language, theme, privacy, recovery phrase, password, accounts, removal.
import { useEffect, useRef, useState } from "preact/hooks";
import { commands, type Language, type NetworkView, type Settings, type Theme } from "../api";
import { accountName, said, sayError, type Said } from "../messages";
import { networkName } from "../networks";
import { PasswordFields } from "./PasswordFields";
import { PrivacySettings } from "./Privacy";
import { TokenListSettings } from "./TokenList";
import type { Session } from "../session";
import { t } from "../i18n";

export function SettingsScreen(props: { session: Session }) {
  const { status } = props.session;
  const [message, setMessage] = useState<Said | null>(null);
  const [error, setError] = useState<Said | null>(null);
  const run = async (f: () => Promise<Said | void>) => {
    setError(null);
    setMessage(null);
    try {
      const m = await f();
      if (m) setMessage(m);
    } catch (e) {
      setError(sayError(e));
    }
  };
  // Each change is applied to the settings as last saved here, not to the status this screen was
  // drawn with: two quick changes (the language, then the theme) sent the second with the old
  // language and undid the first (the end-to-end "dark theme and French" test caught it).
  const latest = useRef(status.settings);
  const save = (patch: Partial<Settings>) =>
    run(async () => {
      latest.current = { ...latest.current, ...patch };
      await commands.settingsSet(latest.current);
      await props.session.refreshStatus();
      return { key: "saved" };
    });
  return (
    <section class="settings">
      <h1>{t("navSettings")}</h1>
      {message && <p class="ok" role="status" id="settings-message">{said(message)}</p>}
      {error && <p class="error" role="alert" id="settings-error">{said(error)}</p>}
      <NetworkSettings current={status.network} run={run} />
      <fieldset>
        <legend>{t("security")}</legend>
        <label for="auto-lock">{t("autoLock")}</label>
        <select id="auto-lock" value={status.settings.auto_lock_minutes} onChange={(e) => save({ auto_lock_minutes: Number((e.target as HTMLSelectElement).value) })}>
          {[1, 2, 5, 10, 30, 60, 0].map((m) => <option value={m}>{m === 0 ? t("never") : t("minutes", { n: m })}</option>)}
        </select>
        {status.store && <p class="muted small">{status.store === "keyring" ? t("storeKeyring") : t("storeFile")}</p>}
      </fieldset>
      <fieldset>
        <legend>{t("appearance")}</legend>
        <label for="language">{t("language")}</label>
        <select id="language" value={status.settings.language} onChange={(e) => save({ language: (e.target as HTMLSelectElement).value as Language })}>
          <option value="system">{t("systemDefault")}</option>
          <option value="en">English</option>
          <option value="fr">Français</option>
        </select>
        <label for="theme">{t("theme")}</label>
        <select id="theme" value={status.settings.theme} onChange={(e) => save({ theme: (e.target as HTMLSelectElement).value as Theme })}>
          <option value="system">{t("systemDefault")}</option>
          <option value="light">{t("light")}</option>
          <option value="dark">{t("dark")}</option>
        </select>
      </fieldset>
      <PrivacySettings run={run} />
      <TokenListSettings run={run} />
      <Accounts session={props.session} run={run} />
      <RevealPhrase />
      <ChangePassword run={run} />
      <RemoveWallet session={props.session} />
    </section>
  );
}

type Run = (f: () => Promise<Said | void>) => Promise<void>;

// The network in use, by name; another is chosen only after saying which (a switch changes what the
// wallet shows and pays on). The local dev chain is offered when this wallet used one.
function NetworkSettings(props: { current: NetworkView | null; run: Run }) {
  const [presets, setPresets] = useState<NetworkView[]>([]);
  const [rpc, setRpc] = useState("");
  const [chosen, setChosen] = useState<NetworkView | null>(null);
  useEffect(() => { commands.networkPresets().then(setPresets).catch(() => {}); }, [props.current?.key]);
  const switchTo = (input: { preset: string | null; rpc_url: string | null }) => props.run(async () => {
    const n = await commands.networkSet(input);
    setChosen(null);
    return { key: "switchedToName", params: { name: networkName(n.key, n.name) } };
  });
  return (
    <fieldset>
      <legend>{t("network")}</legend>
      {props.current && <p id="current-network" data-key={props.current.key}>{networkName(props.current.key, props.current.name)}{props.current.testnet ? ` · ${t("testnet")}` : ""}</p>}
      <label for="network-preset">{t("preset")}</label>
      <select id="network-preset" value={chosen?.key ?? ""} onChange={(e) => {
        const key = (e.target as HTMLSelectElement).value;
        setChosen(presets.find((p) => p.key === key && p.key !== props.current?.key) ?? null);
      }}>
        <option value="">{t("choose")}</option>
        {presets.map((p) => <option value={p.key} disabled={p.key === props.current?.key}>{networkName(p.key, p.name)}{p.testnet ? ` · ${t("testnet")}` : ""}</option>)}
      </select>
      {chosen && (
        <div class="banner" role="dialog" id="network-confirm">
          <p>{t("switchNetworkConfirm", { name: networkName(chosen.key, chosen.name) })}</p>
          <div class="row">
            <button id="network-switch" class="primary" onClick={() => switchTo({ preset: chosen.key, rpc_url: null })}>{t("switchNetwork")}</button>
            <button onClick={() => setChosen(null)}>{t("cancel")}</button>
          </div>
        </div>
      )}
      <form class="stack" onSubmit={(e) => { e.preventDefault(); switchTo({ preset: null, rpc_url: rpc }); }}>
        <label for="custom-rpc">{t("customRpc")}</label>
        <input id="custom-rpc" type="url" placeholder="https://…" value={rpc} onInput={(e) => setRpc((e.target as HTMLInputElement).value)} />
        <button disabled={!rpc.trim()}>{t("connect")}</button>
      </form>
    </fieldset>
  );
}

function Accounts(props: { session: Session; run: Run }) {
  const [label, setLabel] = useState("");
  return (
    <fieldset>
      <legend>{t("accounts")}</legend>
      <ul class="plain">
        {props.session.status.accounts.map((a) => <li><strong>{accountName(a)}</strong> <code class="small">{a.address}</code></li>)}
      </ul>
      <form class="row" onSubmit={(e) => { e.preventDefault(); props.run(async () => {
        const a = await commands.accountsAdd(label.trim() || null);
        await props.session.refreshStatus();
        props.session.setAccount(a.index);
        setLabel("");
        return { key: "addedAccount", params: { name: accountName(a) } };
      }); }}>
        <label for="new-account" class="sr-only">{t("accountName")}</label>
        <input id="new-account" placeholder={t("accountName")} value={label} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
        <button>{t("addAccount")}</button>
      </form>
    </fieldset>
  );
}

function RevealPhrase() {
  const [password, setPassword] = useState("");
  const [words, setWords] = useState<string[] | null>(null);
  const [error, setError] = useState<Said | null>(null);
  // Words leave the screen (and this component's memory) when hidden or when the screen is left.
  useEffect(() => () => setWords(null), []);
  return (
    <fieldset>
      <legend>{t("recoveryPhrase")}</legend>
      {words ? (
        <>
          <p class="banner warn">{t("phraseWarning")}</p>
          <ol class="words" id="revealed-phrase">{words.map((w, i) => <li><span class="n">{i + 1}</span> {w}</li>)}</ol>
          <button id="hide-phrase" onClick={() => setWords(null)}>{t("hide")}</button>
        </>
      ) : (
        <form class="stack" onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            setWords(await commands.walletRevealPhrase(password));
          } catch (err) {
            setError(sayError(err));
          }
          setPassword("");
        }}>
          <label for="reveal-password">{t("passwordToShow")}</label>
          <input id="reveal-password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          {error && <p role="alert" class="error">{said(error)}</p>}
          <button id="reveal" disabled={!password}>{t("showPhrase")}</button>
        </form>
      )}
    </fieldset>
  );
}

// The new password is typed twice and judged like a new wallet's (Rust's strength estimate).
function ChangePassword(props: { run: Run }) {
  const [old, setOld] = useState("");
  const [round, setRound] = useState(0);
  return (
    <fieldset>
      <legend>{t("changePassword")}</legend>
      <label for="old-password">{t("currentPassword")}</label>
      <input id="old-password" type="password" autoComplete="current-password" value={old} onInput={(e) => setOld((e.target as HTMLInputElement).value)} />
      <PasswordFields key={round} error={null} submitLabel={t("changePassword")} onSubmit={(next) => props.run(async () => {
        await commands.walletChangePassword(old, next);
        setOld("");
        setRound(round + 1);
        return { key: "passwordChanged" };
      })} />
    </fieldset>
  );
}

function RemoveWallet(props: { session: Session }) {
  const [saved, setSaved] = useState(false);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<Said | null>(null);
  return (
    <fieldset class="danger">
      <legend>{t("removeWallet")}</legend>
      <p class="muted">{t("removeText")}</p>
      <label class="check"><input id="remove-confirm" type="checkbox" checked={saved} onChange={(e) => setSaved((e.target as HTMLInputElement).checked)} /> {t("phraseSaved")}</label>
      <label for="remove-password">{t("password")}</label>
      <input id="remove-password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
      {error && <p role="alert" class="error">{said(error)}</p>}
      <button id="remove-wallet" class="danger" disabled={!saved || !password} onClick={async () => {
        try {
          props.session.setStatus(await commands.walletDelete(password, saved));
        } catch (e) {
          setError(sayError(e));
        }
      }}>{t("removeWallet")}</button>
    </fieldset>
  );
}
