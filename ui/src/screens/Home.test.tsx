// The home screen after unlocking (issue 12): the balances the unlock brought are painted without
// another call, and the live read starts only after that first frame. Switching accounts never keeps
// the previous account's balances on screen. The Rust commands are a stand-in (vi.mock of the
// generated bindings): there is no Tauri backend in vitest; the unlock's answer is tested in Rust.
import { render, waitFor } from "@testing-library/preact";
import { vi } from "vitest";
import { setLanguage } from "../i18n";

const portfolio = (index: number, amount: string, live: boolean) => ({
  account: { index, label: `Account ${index + 1}`, address: `0x${String(index + 1).repeat(40)}` },
  network: { key: "devnet", name: "Dev chain", chain_id: 31337 },
  live,
  synced_at: 1,
  block_number: 1,
  offline: null,
  rows: [{ token: null, symbol: "STORE", name: "Store Credit", decimals: 18, amount, display: amount, featured: true, verified: true }],
});
const calls: string[] = [];
let live: (value: unknown) => void = () => {};
vi.mock("../bindings", () => ({
  commands: {
    balancesCached: async (i: number) => { calls.push(`cached ${i}`); return portfolio(i, "7", false); },
    balancesRefresh: (i: number) => { calls.push(`live ${i}`); return new Promise((resolve) => { live = resolve; }); },
    nftList: async () => ({ shown: [], unreviewed: [], hidden: 0, as_of_block: 1, live: true }),
    tokenHidden: async () => [],
  },
  events: { newBlock: { listen: async () => () => {} } },
}));

import { Home } from "./Home";

const amount = () => document.querySelector("#featured-balance .amount")?.getAttribute("data-amount");

test("the unlock's balances are on screen at the first render, and the live read follows the first frame", async () => {
  setLanguage("en");
  calls.length = 0;
  render(<Home session={{ status: {}, account: 0 } as never} first={portfolio(0, "12.5", false) as never} />);
  expect(amount()).toBe("12.5");
  expect(calls).toEqual([]);
  await waitFor(() => expect(calls).toEqual(["live 0"]));
  live(portfolio(0, "13", true));
  await waitFor(() => expect(amount()).toBe("13"));
});

test("another account's balances are replaced by this account's cache, not kept", async () => {
  setLanguage("en");
  calls.length = 0;
  render(<Home session={{ status: {}, account: 1 } as never} first={portfolio(0, "12.5", false) as never} />);
  await waitFor(() => expect(amount()).toBe("7"));
  expect(calls[0]).toBe("cached 1");
});
