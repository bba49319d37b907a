// Component test of a token's own screen: what its contract says of itself beside what the wallet
// lists, a difference said plainly, and which checkouts need no ETH. The Rust commands are replaced by
// a stand-in (vi.mock of the generated bindings): there is no Tauri backend in vitest. The facts
// themselves are read on a real anvil and checked with cast (tests/integration/overview.rs).
import { render, screen, waitFor } from "@testing-library/preact";
import { vi } from "vitest";

const overview = vi.fn();
vi.mock("../bindings", () => ({
  commands: {
    tokenOverview: (token: string) => overview(token),
    historyList: async () => ({ notice: null, items: history }),
    tokenHolders: async () => holders,
    approvalAllowance: async () => ({ token: STORE, symbol: "STORE", spender: "0x000000000022D473030F116dDEE9F6B43aC78BA3", display: "0", none: true }),
  },
  events: {},
}));

import { TokenScreen } from "./Home";

const STORE = "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35";
const IMITATION = "0x7000000000000000000000000000000000000000";
const line = (id: string, token: string, amount: string) => ({
  entry: { direction: "received", suspicion: null }, status: "confirmed", amount_display: amount, symbol: "STORE", token,
  counterparty: "0x3333333333333333333333333333333333333333", id, tx_hash: id, hidden: false, explorer: null, block_number: 1, time: 1, error: null, moved: true,
});
// Received STORE, and a transfer of an imitation with the same symbol: only the first is this token's.
const holders = {
  as_of_block: 40, complete: false, count: 1234, transfers: 9000, first_mint_block: 3, first_mint_tx: "0xab", first_mint_time: null, inconsistent: true,
  top: [{ holder: "0x4444444444444444444444444444444444444444", amount_display: "500000" }],
};
const history = [line("0x01", STORE, "5"), line("0x02", IMITATION, "1000")];
const row = { token: STORE, symbol: "STORE", name: "Store Credit", decimals: 18, amount: "1", display: "1", featured: true, verified: true, listed_by: null };
const facts = {
  token: STORE, verified: true, block: 42, name: "Store Credit", symbol: "STORE", decimals: 18, total_supply_display: "1000000",
  implementation: null, proxy_admin: null, owner: null, admin: null, paused: null, eip3009: true, eip2612: true, permit2: true, mismatches: [],
};

test("the facts a contract says of itself, and which checkouts need no ETH", async () => {
  overview.mockResolvedValue(facts);
  render(<TokenScreen account={0} row={row} onBack={() => {}} go={() => {}} />);
  await waitFor(() => expect(document.getElementById("token-supply")?.textContent).toBe("1,000,000 STORE"));
  expect(document.getElementById("token-vouched")?.textContent).toBe("Listed by Tender for this network.");
  expect([...document.querySelectorAll("#token-checkouts li")].map((l) => l.getAttribute("data-yes"))).toEqual(["true", "true", "true"]);
  expect(document.getElementById("token-proxy")?.textContent).toBe("no");
  expect(document.getElementById("token-paused")).toBeNull();
  expect(screen.getByText("As the chain says at block 42.")).toBeTruthy();
  expect(document.querySelector("[data-mismatch]")).toBeNull();
  // What its transfers say, replayed by the wallet: still catching up, and not adding up (said plainly).
  await waitFor(() => expect(document.getElementById("token-holders-count")?.textContent).toBe("1,234"));
  expect(document.getElementById("token-first-mint")?.textContent).toBe("block 3");
  expect(document.getElementById("token-top-holders")?.textContent).toMatch(/500,000 STORE/);
  expect(document.getElementById("token-holders-block")?.textContent).toMatch(/still reading older transfers/);
  expect(document.getElementById("token-holders-approximate")).toBeTruthy();
  // Its activity is by the token's contract, never its symbol: the imitation's transfer is not there.
  await waitFor(() => expect([...document.querySelectorAll("#token-activity .amount")].map((a) => a.textContent)).toEqual(["+5 STORE"]));
});

test("a token whose contract disagrees with the list, upgradeable and paused, says so plainly", async () => {
  overview.mockResolvedValue({
    ...facts, verified: false, decimals: 6, implementation: "0x1111111111111111111111111111111111111111", paused: true, owner: "0x2222222222222222222222222222222222222222",
    eip3009: false, eip2612: false, mismatches: [{ field: "decimals", listed: 18, on_chain: 6 }],
  });
  render(<TokenScreen account={0} row={{ ...row, verified: false }} onBack={() => {}} go={() => {}} />);
  await screen.findByText(/says it has 6 decimals, not 18/);
  expect(document.getElementById("token-vouched")?.textContent).toMatch(/Added by you/);
  expect(document.getElementById("token-proxy")?.textContent).toMatch(/its code can be replaced \(now 0x1111/);
  expect(document.getElementById("token-paused")?.textContent).toBe("Paused now: it cannot move");
  expect(document.getElementById("token-owner")?.textContent).toBe("0x2222222222222222222222222222222222222222");
  expect([...document.querySelectorAll("#token-checkouts li")].map((l) => l.getAttribute("data-yes"))).toEqual(["false", "false", "true"]);
  expect(document.querySelector("h1 .tag")?.textContent).toBe("unverified");
});
