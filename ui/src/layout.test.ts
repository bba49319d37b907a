// The UI's import graph has no circle (a screen importing the shell that imports it, say): read from
// the sources, as `crates/wallet-core/tests/layout.rs` reads the core's. Type-only imports count too.
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

function resolveImport(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of sources(root)) {
    const text = readFileSync(file, "utf8");
    const specs = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/gm)].map((m) => m[1]);
    edges.set(file, specs.map((s) => resolveImport(file, s)).filter((f): f is string => f != null));
  }
  return edges;
}

/** Every circle in `edges`, each as the files it passes through. */
function circles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found;
}

test("the UI's modules import one another without a circle", () => {
  const edges = graph();
  expect(edges.size).toBeGreaterThan(10);
  const shown = circles(edges).map((c) => c.map((f) => relative(root, f)).join(" → "));
  expect(shown).toEqual([]);
});

test("the circle check finds a circle", () => {
  const a = "/a.ts", b = "/b.ts", c = "/c.ts";
  expect(circles(new Map([[a, [b]], [b, [c]], [c, [a]]])).length).toBe(1);
  expect(circles(new Map([[a, [b]], [b, [c]], [c, []]])).length).toBe(0);
});
