// Component test of the history's truth (issue 19): only money that moved, by the chain's word, shows
// as spent; an attempt still outstanding says "not paid so far" and until when it stays valid. The
// Rust commands are replaced by a stand-in (vi.mock of the generated bindings): there is no Tauri
// backend in vitest. The states themselves are decided on a real anvil (tests/integration/decides.rs).
import { fireEvent, render, screen } from "@testing-library/preact";
import { vi } from "vitest";
import type { HistoryItem } from "../bindings";

const historyList = vi.fn();
vi.mock("../bindings", () => ({
  commands: { historyList: (index: number) => historyList(index) },
  events: {},
}));

import { HistoryScreen } from "./History";

const session = { account: 0 } as never;

function item(over: Partial<HistoryItem>): HistoryItem {
  return {
    direction: "sent", status: "confirmed", amount_display: "12.5", symbol: "STORE",
    counterparty: "0x1111111111111111111111111111111111111111", id: over.id ?? "0x01", tx_hash: null, domain: null,
    merchant: null, suspicion: null, hidden: false, description: null, explorer: null, block_number: null,
    time: 1_800_000_000, order: null, request_uri: null, error: null, kind: "payment", replaceable: false,
    moved: true, valid_until: null, ...over,
  };
}

test("attempts that moved nothing are never shown as spent; outstanding ones say until when they stay valid", async () => {
  historyList.mockResolvedValue({
    notice: null,
    items: [
      item({ id: "0xa1", status: "rejected", moved: false, domain: "shop.example", valid_until: 1_800_000_300, error: "settlement_pending" }),
      item({ id: "0xa2", status: "expired", moved: false, domain: "shop.example" }),
      item({ id: "0xa3", status: "failed", moved: false }),
      item({ id: "0xa4", status: "confirmed", moved: true }),
      item({ id: "0xa5", direction: "received", status: "confirmed", moved: true, amount_display: "100" }),
    ],
  });
  render(<HistoryScreen session={session} />);
  await screen.findByText("Not paid so far: the shop refused it");
  const amounts = [...document.querySelectorAll("#history .amount")].map((e) => e.textContent);
  expect(amounts).toEqual(["12.5 STORE", "12.5 STORE", "12.5 STORE", "−12.5 STORE", "+100 STORE"]);
  expect(document.querySelectorAll("#history .amount.not-moved").length).toBe(3);

  // The refused gasless payment, opened: not paid so far, valid until a time, watched; the shop's words once.
  fireEvent.click(document.querySelectorAll(".history-row")[0]);
  const detail = await screen.findByText(/The shop refused it for now, so nothing has been paid so far/);
  expect(detail.textContent).toMatch(/stays valid until .+ and Tender watches it/);
  expect(document.querySelector("#history-receipt .big")?.textContent).toBe("12.5 STORE");
  expect(document.getElementById("history-receipt-status")?.textContent).toBe("Not paid so far: the shop refused it");
  expect(screen.getAllByText(/settlement_pending/).length).toBe(1);
  expect(document.querySelector(".resend")).toBeTruthy();
});
