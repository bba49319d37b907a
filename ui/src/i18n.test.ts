import { dictionaries, setLanguage, t } from "./i18n";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("English and French have the same keys and placeholders", () => {
  const en = dictionaries.en as Record<string, string>;
  const fr = dictionaries.fr as Record<string, string>;
  expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    expect(fr[key].trim(), key).not.toBe("");
    expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
  }
});

test("t fills placeholders and follows the language setting", () => {
  setLanguage("en");
  expect(t("payAmount", { amount: "12.5 STORE" })).toBe("Pay 12.5 STORE");
  setLanguage("fr");
  expect(t("payAmount", { amount: "12.5 STORE" })).toBe("Payer 12.5 STORE");
  expect(document.documentElement.lang).toBe("fr");
  setLanguage("en");
});
