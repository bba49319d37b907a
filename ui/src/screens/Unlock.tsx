import { useEffect, useLayoutEffect, useState } from "preact/hooks";
import { commands, type AppStatus, type Portfolio } from "../api";
import { t } from "../i18n";
import { said, sayError, type Said } from "../messages";
import { RestoreWords } from "./Onboarding";
import { PasswordFields } from "./PasswordFields";

/**
 * The lock screen. After too many wrong passwords it counts down to the next try (from Rust's own
 * delay: the status's, or the refusal's), and it says when a payment link is waiting behind it.
 */
export function Unlock(props: {
  status: AppStatus;
  account: number;
  reason: string | null;
  linkWaiting: boolean;
  onUnlocked: (s: AppStatus, first: Portfolio | null) => void;
}) {
  // "Forgot your password?": the recovery phrase proves it is the person's wallet, then a new password.
  const [reset, setReset] = useState<null | { kind: "phrase" } | { kind: "password"; phrase: string; passphrase: string }>(null);
  const [resetError, setResetError] = useState<Said | null>(null);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<Said | null>(null);
  const [busy, setBusy] = useState(false);
  const [until, setUntil] = useState(() => Date.now() + props.status.retry_after_secs * 1000);
  const [now, setNow] = useState(Date.now());
  const wait = Math.max(0, Math.ceil((until - now) / 1000));
  useLayoutEffect(() => { performance.mark("tender:lock-screen-shown"); }, []);
  useEffect(() => {
    if (wait <= 0) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [wait > 0]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The answer carries the home screen's last known balances, read while the key was derived.
      const unlocked = await commands.walletUnlock(password, props.account);
      performance.mark("tender:unlocked");
      setPassword("");
      props.onUnlocked(unlocked.status, unlocked.portfolio);
    } catch (err) {
      const said = sayError(err);
      const seconds = "code" in said && said.code === "too_many_attempts" ? Number(said.params.seconds ?? 0) : 0;
      if (seconds > 0) {
        setUntil(Date.now() + seconds * 1000);
        setNow(Date.now());
      } else setError(said);
    } finally {
      setBusy(false);
    }
  };
  if (reset?.kind === "phrase") {
    return <RestoreWords title={t("resetTitle")} intro={t("resetIntro")} onBack={() => setReset(null)}
      onPhrase={(phrase, passphrase) => { setResetError(null); setReset({ kind: "password", phrase, passphrase }); }} />;
  }
  if (reset?.kind === "password") {
    return (
      <main class="center narrow">
        <h1>{t("setPassword")}</h1>
        <p class="muted">{t("passwordHelp")}</p>
        <PasswordFields error={resetError} submitLabel={t("resetPassword")} onSubmit={async (next) => {
          try {
            const status = await commands.walletResetPassword(reset.phrase, reset.passphrase, next);
            props.onUnlocked(status, null);
          } catch (err) {
            // Another wallet's phrase is said here (nothing changed); "Back" goes to the words.
            setResetError(sayError(err));
          }
        }} />
        <button id="reset-back" class="ghost" onClick={() => { setResetError(null); setReset({ kind: "phrase" }); }}>{t("back")}</button>
      </main>
    );
  }
  return (
    <main class="center narrow">
      <img src="/icon.png" alt="" width="72" height="72" />
      <h1>{t("unlockTitle")}</h1>
      {props.reason && <p class="muted" id="lock-reason">{props.reason === "sleep" ? t("lockedSleep") : t("lockedIdle")}</p>}
      {props.linkWaiting && <p class="banner" role="status" id="link-waiting">{t("linkWaiting")}</p>}
      <form onSubmit={submit} class="stack">
        <label for="unlock-password">{t("password")}</label>
        <input id="unlock-password" type="password" autoComplete="current-password" autoFocus value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        {error && <p role="alert" class="error" id="unlock-error">{said(error)}</p>}
        {wait > 0 && <p role="status" class="error" id="unlock-wait" data-seconds={wait}>{t("tryAgainIn", { n: wait })}</p>}
        <button id="unlock" class="primary" disabled={busy || !password || wait > 0}>{busy ? t("unlocking") : t("unlock")}</button>
      </form>
      <button id="forgot-password" class="link" onClick={() => setReset({ kind: "phrase" })}>{t("forgotPassword")}</button>
      {/* The home screen's type (bold, monospace, tabular figures, its cards), laid out unseen while
          the password is typed: its fonts and styles are then resolved before the balances are
          painted. The first paint after unlocking took about 70 ms longer without it (BENCHMARKS.md). */}
      <div class="warmup" aria-hidden="true">
        <section class="home">
          <div class="account-line"><span>A</span><code>0x0</code><span class="muted">N</span></div>
          <article class="card featured"><span class="token-icon">S</span><div class="big"><span class="amount">0</span> S</div></article>
          <ul class="balances"><li><span class="token-icon small">T</span><span class="name">T</span><span class="amount">0 T</span></li></ul>
        </section>
        <nav class="tabs"><button class="active" tabIndex={-1}>H</button></nav>
      </div>
    </main>
  );
}
