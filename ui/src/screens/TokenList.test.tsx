// The retailer's token list in the settings: the list in use said plainly, both files needed, their
// text handed to the core as chosen (the core checks the signature: tested in Rust, on anvil, with a
// list signed by foundry's cast), and its answer shown. The Rust commands are a stand-in (vi.mock of
// the generated bindings): there is no Tauri backend in vitest.
import { fireEvent, render, waitFor } from "@testing-library/preact";
import { vi } from "vitest";
import { setLanguage } from "../i18n";

const imported: string[][] = [];
let inUse: object | null = null;
vi.mock("../bindings", () => ({
  commands: {
    tokenListGet: async () => inUse,
    tokenListImport: async (list: string, signature: string) => {
      imported.push([list, signature]);
      inUse = { name: "Tender Store", version: "1.0.0", timestamp: "", signer: "0x14dC", tokens: [{ symbol: "tEUR" }] };
      return { name: "Tender Store", version: { major: 1, minor: 0, patch: 0 }, timestamp: "", signer: "0x14dC", tokens: [{ symbol: "tEUR" }], left_out: [] };
    },
  },
}));

import { TokenListSettings } from "./TokenList";

function choose(id: string, text: string, name: string) {
  const input = document.getElementById(id) as HTMLInputElement;
  Object.defineProperty(input, "files", { value: [new File([text], name)], configurable: true });
  fireEvent.change(input);
}

test("both files are needed; their text goes to the core as chosen, and the list in use is said", async () => {
  setLanguage("en");
  const said: unknown[] = [];
  const run = async (f: () => Promise<unknown>) => { said.push(await f()); };
  render(<TokenListSettings run={run as never} />);
  await waitFor(() => expect(document.getElementById("token-list-in-use")?.textContent).toContain("No retailer’s list"));
  const take = document.getElementById("token-list-take") as HTMLButtonElement;
  expect(take.disabled).toBe(true);
  choose("token-list-file", '{"name":"Tender Store"}\n', "tokenlist.json");
  expect(take.disabled).toBe(true);
  choose("token-list-signature", "0xabc\n", "tokenlist.json.sig");
  await waitFor(() => expect(take.disabled).toBe(false));
  fireEvent.submit(take.closest("form")!);
  await waitFor(() => expect(document.getElementById("token-list-in-use")?.textContent).toBe("In use: “Tender Store” 1.0.0 — tEUR."));
  expect(imported).toEqual([['{"name":"Tender Store"}\n', "0xabc\n"]]);
  expect(said).toEqual([{ key: "tokenListTaken", params: { name: "Tender Store", version: "1.0.0", n: 1 } }]);
});
