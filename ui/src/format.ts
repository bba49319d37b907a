// Amounts in the person's locale, exactly: Rust sends the exact decimal text of an integer amount
// ("1234.5" for 1234.5 tokens, never a float); here it gets the locale's grouping and decimal
// separator ("1,234.5", "1 234,5"). The digits are never rounded or converted to a float.
import { language, t } from "./i18n";

export function localAmount(exact: string, lang: string = language()): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(exact.trim());
  if (!m) return exact;
  const [, sign, whole, fraction] = m;
  const format = new Intl.NumberFormat(lang, { useGrouping: true });
  const decimal = format.formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  return `${sign}${format.format(BigInt(whole))}${fraction ? decimal + fraction : ""}`;
}

/**
 * A fee or other "up to" figure rounded to what matters: four significant digits, rounded **up**
 * (an upper bound shown never understates), trailing zeros dropped, in the locale's format; below
 * `floor` ("0.0001"), `{ below: floor }` instead, for "less than 0.0001". Exact decimal arithmetic on
 * the digits (BigInt): never a float. The exact figure stays available for details.
 */
export function roundedUp(exact: string, lang: string = language(), digits = 4, floor = "0.0001"):
  { text: string; below: boolean } {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(exact.trim());
  if (!m) return { text: exact, below: false };
  const whole = m[1].replace(/^0+(?=\d)/, "");
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  if (whole === "0" && fraction === "") return { text: localAmount("0", lang), below: false };
  if (compareDecimal(whole, fraction, floor) < 0) return { text: localAmount(floor, lang), below: true };
  // How many fraction digits to keep: enough for `digits` significant ones, never cutting the whole part.
  const leadingZeros = whole === "0" ? (/^0*/.exec(fraction)?.[0].length ?? 0) : 0;
  const keep = whole === "0" ? leadingZeros + digits : Math.max(0, digits - whole.length);
  if (fraction.length <= keep) return { text: localAmount(fraction ? `${whole}.${fraction}` : whole, lang), below: false };
  const kept = BigInt(whole + fraction.slice(0, keep)) + (/[1-9]/.test(fraction.slice(keep)) ? 1n : 0n);
  const text = kept.toString().padStart(keep + 1, "0");
  const w = text.slice(0, text.length - keep);
  const f = text.slice(text.length - keep).replace(/0+$/, "");
  return { text: localAmount(f ? `${w}.${f}` : w, lang), below: false };
}

/** Compares the decimal whole.fraction with the decimal text `other`. */
function compareDecimal(whole: string, fraction: string, other: string): number {
  const [ow, of = ""] = other.split(".");
  const width = Math.max(fraction.length, of.length);
  const a = BigInt(whole + fraction.padEnd(width, "0"));
  const b = BigInt(ow + of.padEnd(width, "0"));
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An amount typed in the person's locale, as the exact decimal text Rust parses ("2,5" in French →
 * "2.5"; "1 234,5" → "1234.5"), or `null` when it is not a plain positive decimal number: no
 * exponents, no signs, one decimal separator at most, and grouping only where grouping goes
 * ("2,5" in English is refused, never read as 25). Where the locale's grouping is not ".", "." is
 * accepted as the decimal point too ("2.5" in French).
 */
export function parseLocalAmount(typed: string, lang: string = language()): string | null {
  const parts = new Intl.NumberFormat(lang, { useGrouping: true }).formatToParts(1234567.5);
  const decimal = parts.find((p) => p.type === "decimal")?.value ?? ".";
  let group = parts.find((p) => p.type === "group")?.value ?? ",";
  let s = typed.trim();
  // Every kind of space (French groups with a narrow no-break space) counts as the same separator.
  if (/^\s$/u.test(group) || group === "\u202f" || group === "\u00a0") {
    s = s.replace(/[\s\u00a0\u202f]/gu, " ");
    group = " ";
  }
  const decimals = [decimal, ...(group !== "." && decimal !== "." ? ["."] : [])];
  const used = decimals.filter((d) => s.includes(d));
  if (used.length > 1) return null;
  const [int, fraction = "", ...rest] = used.length ? s.split(used[0]) : [s];
  if (rest.length) return null;
  const escaped = group.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const grouped = new RegExp(`^\\d{1,3}(${escaped}\\d{3})+$`);
  let whole: string;
  if (/^\d*$/.test(int)) whole = int;
  else if (grouped.test(int)) whole = int.split(group).join("");
  else return null;
  if (!/^\d*$/.test(fraction) || (whole + fraction).length === 0) return null;
  whole = whole.replace(/^0+(?=\d)/, "") || "0";
  return fraction ? `${whole}.${fraction}` : whole;
}

/** A fee as a shopper reads it: "up to 0.0021 ETH", "less than 0.0001 ETH" (exact figure: details). */
export function feeText(exact: string, symbol: string): string {
  const r = roundedUp(exact);
  return r.below ? t("lessThan", { amount: `${r.text} ${symbol}` }) : `${t("upTo")} ${r.text} ${symbol}`;
}
