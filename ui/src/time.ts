// "Synced 12 s ago" and friends, in the UI's language.
import { language, t } from "./i18n";

export function age(unixSeconds: number | null | undefined, now = Date.now() / 1000): string {
  if (unixSeconds == null) return t("never");
  const s = Math.max(0, Math.round(now - unixSeconds));
  if (s < 60) return t("secondsAgo", { n: s });
  if (s < 3600) return t("minutesAgo", { n: Math.floor(s / 60) });
  if (s < 86400) return t("hoursAgo", { n: Math.floor(s / 3600) });
  return t("daysAgo", { n: Math.floor(s / 86400) });
}

export function shortAddress(a: string): string {
  return a.length > 14 ? `${a.slice(0, 8)}…${a.slice(-6)}` : a;
}

/** A Unix time as a local date and time in the UI's language (never a raw timestamp). */
export function formatUnixTime(unixSeconds: number): string {
  return new Intl.DateTimeFormat(language(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(unixSeconds * 1000));
}

/** When a deadline falls, as a shopper reads it: "expires in 4 min", "expired", or a local date. */
export function untilText(unixSeconds: number, now = Date.now() / 1000): string {
  const s = Math.round(unixSeconds - now);
  if (s <= 0) return t("expired");
  if (s < 60) return t("expiresInSeconds", { n: s });
  if (s < 3600) return t("expiresInMinutes", { n: Math.ceil(s / 60) });
  return t("expiresOn", { when: formatUnixTime(unixSeconds) });
}
