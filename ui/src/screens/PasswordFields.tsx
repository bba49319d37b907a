import { useState } from "preact/hooks";
import { strength } from "../password";
import { t } from "../i18n";

const LABELS = ["strengthTooShort", "strengthWeak", "strengthFair", "strengthGood", "strengthStrong"] as const;

/** New password + confirmation, with a strength meter. */
export function PasswordFields(props: { error: string | null; submitLabel: string; onSubmit: (password: string) => Promise<void> }) {
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const s = strength(password);
  const mismatch = confirm.length > 0 && confirm !== password;
  return (
    <form class="stack" onSubmit={async (e) => {
      e.preventDefault();
      setBusy(true);
      try { await props.onSubmit(password); } finally { setBusy(false); }
    }}>
      <label for="new-password">{t("newPassword")}</label>
      <input id="new-password" type="password" autoComplete="new-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
      <meter id="strength" min={0} max={4} low={2} high={3} optimum={4} value={s.score} aria-label={t("strength")} />
      <span class="muted small" id="strength-label">{t(LABELS[s.score])}</span>
      <label for="confirm-password">{t("confirmPassword")}</label>
      <input id="confirm-password" type="password" autoComplete="new-password" value={confirm} onInput={(e) => setConfirm((e.target as HTMLInputElement).value)} />
      {mismatch && <p class="error">{t("passwordsDiffer")}</p>}
      {props.error && <p role="alert" class="error" id="password-error">{props.error}</p>}
      <button id="password-submit" class="primary" disabled={busy || s.score < 1 || confirm !== password}>{busy ? t("working") : props.submitLabel}</button>
    </form>
  );
}
