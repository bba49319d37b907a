// Amounts in the person's locale, exactly: Rust sends the exact decimal text of an integer amount
// ("1234.5" for 1234.5 tokens, never a float); here it gets the locale's grouping and decimal
// separator ("1,234.5", "1 234,5"). The digits are never rounded or converted to a float.
import { language } from "./i18n";

export function localAmount(exact: string, lang: string = language()): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(exact.trim());
  if (!m) return exact;
  const [, sign, whole, fraction] = m;
  const format = new Intl.NumberFormat(lang, { useGrouping: true });
  const decimal = format.formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  return `${sign}${format.format(BigInt(whole))}${fraction ? decimal + fraction : ""}`;
}
