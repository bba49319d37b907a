import { useEffect, useState } from "preact/hooks";
import { commands } from "../api";
import { t } from "../i18n";
import { said, type Said } from "../messages";

// zxcvbn's score 0 is "very weak", whatever the length: "too short" is said only below 8 characters.
const LABELS = ["strengthVeryWeak", "strengthWeak", "strengthFair", "strengthGood", "strengthStrong"] as const;
/** The lowest strength Rust accepts for a new password (`MIN_PASSWORD_STRENGTH`). */
const MIN_STRENGTH = 2;

/**
 * New password + confirmation, with a strength meter. The strength is Rust's estimate (zxcvbn), the
 * same that refuses the weakest passwords, so the meter and the refusal never disagree.
 */
export function PasswordFields(props: { error: Said | null; submitLabel: string; onSubmit: (password: string) => Promise<void> }) {
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [score, setScore] = useState(0);
  useEffect(() => {
    let current = true;
    if (!password) setScore(0);
    else commands.walletPasswordStrength(password).then((s) => current && setScore(s)).catch(() => current && setScore(0));
    return () => { current = false; };
  }, [password]);
  const tooShort = password.length > 0 && [...password].length < 8;
  const weak = password.length > 0 && !tooShort && score < MIN_STRENGTH;
  const mismatch = confirm.length > 0 && confirm !== password;
  // Why the button is off, in words (a greyed button alone says nothing).
  const why = tooShort ? t("passwordWhyShort") : weak ? t("passwordWhyWeak") : null;
  return (
    <form class="stack" onSubmit={async (e) => {
      e.preventDefault();
      setBusy(true);
      try { await props.onSubmit(password); } finally { setBusy(false); }
    }}>
      <label for="new-password">{t("newPassword")}</label>
      <input id="new-password" type="password" autoComplete="new-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
      <meter id="strength" min={0} max={4} low={2} high={3} optimum={4} value={score} aria-label={t("strength")} />
      <span class="muted small" id="strength-label" data-score={score}>
        {tooShort ? t("strengthTooShort") : t(LABELS[Math.min(score, 4)])}
        {weak && ` — ${t("strengthTooGuessable")}`}
      </span>
      <p class="muted small" id="password-why" aria-live="polite">{why}</p>
      <label for="confirm-password">{t("confirmPassword")}</label>
      <input id="confirm-password" type="password" autoComplete="new-password" value={confirm} onInput={(e) => setConfirm((e.target as HTMLInputElement).value)} />
      {mismatch && <p class="error" id="password-mismatch">{t("passwordsDiffer")}</p>}
      {props.error && <p role="alert" class="error" id="password-error">{said(props.error)}</p>}
      <button id="password-submit" class="primary" disabled={busy || score < MIN_STRENGTH || confirm !== password}>{busy ? t("working") : props.submitLabel}</button>
    </form>
  );
}
