import { useState } from "preact/hooks";
import { commands, errorMessage, type AppStatus } from "../api";
import { t } from "../i18n";

export function Unlock(props: { status: AppStatus; reason: string | null; onUnlocked: (s: AppStatus) => void }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await commands.walletUnlock(password);
      setPassword("");
      props.onUnlocked(s);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="center narrow">
      <img src="/icon.png" alt="" width="72" height="72" />
      <h1>{t("unlockTitle")}</h1>
      {props.reason && <p class="muted" id="lock-reason">{props.reason === "sleep" ? t("lockedSleep") : t("lockedIdle")}</p>}
      <form onSubmit={submit} class="stack">
        <label for="unlock-password">{t("password")}</label>
        <input id="unlock-password" type="password" autoComplete="current-password" autoFocus value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        {error && <p role="alert" class="error" id="unlock-error">{error}</p>}
        <button id="unlock" class="primary" disabled={busy || !password}>{busy ? t("unlocking") : t("unlock")}</button>
      </form>
    </main>
  );
}
