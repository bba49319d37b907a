// Every error code, warning and blocker the Rust side can send has a text in English and in French,
// with the same placeholders; the codes are read from the generated bindings, so a new code in Rust
// without a text fails here (and in tsc).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { accountName, blockerTables, errorText, errorTables, warningTables, blockerText, warningText } from "./messages";
import { setLanguage } from "./i18n";

// vitest runs from ui/ (its config file is there).
const bindings = readFileSync(resolve(process.cwd(), "src/bindings.ts"), "utf8");

function unionOf(name: string): string[] {
  const start = bindings.indexOf(`export type ${name} = `);
  expect(start, name).toBeGreaterThan(-1);
  const end = bindings.indexOf("\nexport type ", start + 1);
  const body = bindings.slice(start, end).replace(/\/\*\*[\s\S]*?\*\//g, "");
  return [...body.matchAll(/"([a-z0-9_]+)"/g)].map((m) => m[1]);
}

function kindsOf(name: string): string[] {
  const start = bindings.indexOf(`export type ${name} = `);
  const end = bindings.indexOf("\nexport type ", start + 1);
  return [...bindings.slice(start, end).matchAll(/kind: "([a-z0-9_]+)"/g)].map((m) => m[1]);
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("every error code has an English and a French text with the same placeholders", () => {
  const codes = unionOf("ErrorCode");
  expect(codes.length).toBeGreaterThan(70);
  for (const code of codes) {
    const en = (errorTables.en as Record<string, string>)[code];
    const fr = (errorTables.fr as Record<string, string>)[code];
    expect(en?.trim(), `${code} (en)`).toBeTruthy();
    expect(fr?.trim(), `${code} (fr)`).toBeTruthy();
    expect(placeholders(fr), code).toEqual(placeholders(en));
  }
  expect(Object.keys(errorTables.en).sort()).toEqual([...codes].sort());
});

test("every warning and blocker has both texts", () => {
  for (const [name, tables] of [["Warning", warningTables], ["Blocker", blockerTables]] as const) {
    const kinds = kindsOf(name);
    expect(kinds.length, name).toBeGreaterThan(3);
    for (const kind of kinds) {
      const en = (tables.en as Record<string, string>)[kind];
      const fr = (tables.fr as Record<string, string>)[kind];
      expect(en, `${name} ${kind} (en)`).toBeTruthy();
      expect(fr, `${name} ${kind} (fr)`).toBeTruthy();
      expect(placeholders(fr), kind).toEqual(placeholders(en));
    }
  }
});

test("texts are filled from the code's parameters, in the chosen language", () => {
  setLanguage("fr");
  expect(errorText({ code: "too_many_attempts", message: "too many wrong passwords: try again in 30 s", params: { seconds: "30" } }))
    .toBe("Trop de mots de passe erronés. Réessayez dans 30 s.");
  expect(blockerText({ kind: "insufficient_funds", symbol: "STORE", needed: "12.5", available: "3" }))
    .toBe("Pas assez de STORE\u202f: il en faut 12,5, ce compte en a 3.");
  // French typography (issue 21): no-break spaces before « : » and « % », "de" elided before a vowel.
  expect(blockerText({ kind: "insufficient_funds", symbol: "ETH", needed: "1", available: "0" }))
    .toBe("Pas assez d’ETH\u202f: il en faut 1, ce compte en a 0.");
  expect(warningText({ kind: "high_fee", percent: 12 })).toBe("Les frais de réseau pourraient atteindre 12\u202f% du montant payé.");
  setLanguage("en");
  expect(errorText({ code: "rpc_unavailable", message: "the network cannot be reached (connection refused)", params: {} }))
    .toBe("The network cannot be reached. Check your connection and try again.");
});

test("an account without a name of its own is named in the language of the moment (issue 21: \"Account 1\" stayed English)", () => {
  setLanguage("fr");
  expect(accountName({ index: 0, label: null })).toBe("Compte 1");
  expect(accountName({ index: 2, label: "Courses" })).toBe("Courses");
  setLanguage("en");
  expect(accountName({ index: 0, label: null })).toBe("Account 1");
});

test("amounts inside a sentence are written in the language's own way (issue 21: '12.5' in French)", () => {
  const short = { kind: "insufficient_funds", symbol: "STORE", needed: "12.5", available: "1234.75" } as never;
  setLanguage("fr");
  const fr = blockerText(short);
  expect(fr).toContain("il en faut 12,5");
  expect(fr).toMatch(/ce compte en a 1\s234,75/u);
  expect(fr).not.toContain("12.5");
  setLanguage("en");
  expect(blockerText(short)).toBe("Not enough STORE: 12.5 needed, 1,234.75 available.");
});
