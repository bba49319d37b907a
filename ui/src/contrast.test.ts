// Contrast with a margin, in both themes (issue 21: the dark Home card's label was 4.55:1, a hair over
// WCAG AA's 4.5:1). Every text colour the stylesheet uses is measured on every background it is drawn
// on, from the stylesheet's own variables: AA's 4.5:1 with 10 % to spare. axe-core in the end-to-end
// run measures the rendered pages too, but it cannot measure text on a gradient (the Home card).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const css = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "styles.css"), "utf8");

/** The variables of the first block that `selector` opens. */
function theme(selector: string): Record<string, string> {
  const start = css.indexOf(selector);
  expect(start).toBeGreaterThanOrEqual(0);
  const block = css.slice(css.indexOf("{", start) + 1, css.indexOf("}", start));
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1], m[2]]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
/** WCAG 2's contrast ratio. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test("the contrast formula matches WCAG's published values", () => {
  expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
  expect(contrast("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
});

const light = theme(":root {");
const dark = { ...light, ...theme(':root[data-theme="dark"] {') };
const FOREGROUNDS = ["text", "muted", "accent", "error", "ok", "warn-text"];
const BACKGROUNDS = ["bg", "surface", "accent-soft", "warn-bg"];

test.each([["light", light], ["dark", dark]])("every text colour on every background, %s theme: 4.95:1 or more", (_, vars) => {
  const low: string[] = [];
  for (const fg of FOREGROUNDS) {
    for (const bg of BACKGROUNDS) {
      const ratio = contrast(vars[fg], vars[bg]);
      if (ratio < 4.5 * 1.1) low.push(`${fg} on ${bg}: ${ratio.toFixed(2)}:1`);
    }
  }
  // A button's own text on its colour.
  const button = contrast(vars["accent-text"], vars.accent);
  if (button < 4.5 * 1.1) low.push(`accent-text on accent: ${button.toFixed(2)}:1`);
  expect(low).toEqual([]);
});

test("the system's dark theme is the chosen dark theme", () => {
  const system = theme(':root:not([data-theme="light"]) {');
  expect(system).toEqual(theme(':root[data-theme="dark"] {'));
});
