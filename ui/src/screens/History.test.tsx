// Component test of the history's truth (issue 19): only money that moved, by the chain's word, shows
// as spent; an attempt still outstanding says "not paid so far" and until when it stays valid. The
// Rust commands are replaced by a stand-in (vi.mock of the generated bindings): there is no Tauri
// backend in vitest. The states themselves are decided on a real anvil (tests/integration/decides.rs).
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { vi } from "vitest";
import type { HistoryItem } from "../bindings";

const historyList = vi.fn();
const approvalQuote = vi.fn();
const approvalConfirm = vi.fn();
const paymentResend = vi.fn();
vi.mock("../bindings", () => ({
  commands: {
    historyList: (index: number) => historyList(index),
    approvalQuote: (index: number, token: string, amount: string) => approvalQuote(index, token, amount),
    approvalConfirm: (id: string, digest: string) => approvalConfirm(id, digest),
    paymentResend: (id: string) => paymentResend(id),
  },
  events: {},
}));

import { HistoryScreen } from "./History";

const session = { account: 2, status: { network: { native_symbol: "ETH" } } } as never;

const onChain = { kind: "on_chain", step: "payment", merchant: null, order: null } as const;
const shop = (valid_until: number | null = null) => ({ kind: "gasless", domain: "shop.example", token: "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35", description: null, valid_until, method: "eip3009", authorized_display: null, offer_signed: false, receipt_signed: false }) as const;
// What the core offers for each state (Rust decides it; the screen only shows it).
const outstanding = { resend: true, replace: false, revoke: true, approve: false };
const none = { resend: false, replace: false, revoke: false, approve: false };

function item(over: Partial<HistoryItem>): HistoryItem {
  return {
    entry: { direction: "sent", via: onChain, actions: none }, status: "confirmed", amount_display: "12.5",
    symbol: "STORE", token: "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35", counterparty: "0x1111111111111111111111111111111111111111", id: over.id ?? "0x01",
    tx_hash: null, hidden: false, explorer: null, block_number: null, time: 1_800_000_000, error: null, moved: true,
    ...over,
  };
}

test("attempts that moved nothing are never shown as spent; outstanding ones say until when they stay valid", async () => {
  historyList.mockResolvedValue({
    notice: null,
    items: [
      item({ id: "0xa1", status: "rejected", moved: false, entry: { direction: "sent", via: shop(1_800_000_300), actions: outstanding }, error: "settlement_pending" }),
      item({ id: "0xa2", status: "expired", moved: false, entry: { direction: "sent", via: shop(), actions: none } }),
      item({ id: "0xa3", status: "failed", moved: false }),
      item({ id: "0xa4", status: "confirmed", moved: true }),
      item({ id: "0xa5", entry: { direction: "received", suspicion: null }, status: "confirmed", moved: true, amount_display: "100" }),
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
  expect(document.getElementById("revoke")).toBeTruthy();
  expect(document.getElementById("stuck-speed-up")).toBeNull();
});

test("the receipt offers exactly what the core says can be done, and nothing else", async () => {
  historyList.mockResolvedValue({
    notice: null,
    items: [
      item({ id: "0xb1", status: "pending", moved: false, entry: { direction: "sent", via: onChain, actions: { resend: false, replace: true, revoke: false, approve: false } } }),
      item({ id: "0xb2", status: "pending", moved: false, entry: { direction: "sent", via: onChain, actions: none } }),
    ],
  });
  render(<HistoryScreen session={session} />);
  await screen.findAllByText("Pending");
  fireEvent.click(document.querySelectorAll(".history-row")[0]);
  await waitFor(() => expect(document.getElementById("stuck-speed-up")).toBeTruthy());
  expect(document.getElementById("stuck-cancel")).toBeTruthy();
  expect(document.querySelector(".resend")).toBeNull();
  expect(document.getElementById("revoke")).toBeNull();
  fireEvent.click(document.getElementById("history-back")!);
  fireEvent.click((await screen.findAllByRole("button", { name: /Sent/ }))[1]);
  await waitFor(() => expect(document.getElementById("history-receipt")).toBeTruthy());
  expect(document.getElementById("stuck-speed-up")).toBeNull();
  expect(document.querySelector(".resend")).toBeNull();
});

test("an approval of Permit2 and its revocation are approvals, never money spent", async () => {
  const approval = { kind: "approval", spender: "0x000000000022D473030F116dDEE9F6B43aC78BA3" } as const;
  historyList.mockResolvedValue({
    notice: null,
    items: [
      item({ id: "0xc1", moved: false, amount_display: "0", counterparty: approval.spender, entry: { direction: "sent", via: approval, actions: none } }),
      item({ id: "0xc2", moved: false, counterparty: approval.spender, entry: { direction: "sent", via: approval, actions: none } }),
    ],
  });
  render(<HistoryScreen session={session} />);
  await screen.findByText("approval revoked");
  expect([...document.querySelectorAll("#history .dir")].map((e) => e.textContent)).toEqual(["Approval", "Approval"]);
  expect([...document.querySelectorAll("#history .amount")].map((e) => e.textContent)).toEqual(["0 STORE", "12.5 STORE"]);
  expect(document.querySelectorAll("#history .amount.not-moved").length).toBe(2);
  fireEvent.click(document.querySelectorAll(".history-row")[1]);
  await waitFor(() => expect(document.getElementById("history-receipt-status")?.textContent).toBe("Permit2 approved for 12.5 STORE"));
  expect(document.getElementById("history-receipt-approval")?.textContent).toMatch(/moves no money/);
  expect(document.getElementById("history-receipt-shop")?.textContent).toBe("Permit2");
});

test("a Permit2 payment the shop refused for want of an allowance offers the approval, then sends the same payment again", async () => {
  const permit2 = { ...shop(1_800_000_300), method: "permit2" } as const;
  historyList.mockResolvedValue({
    notice: null,
    items: [item({ id: "0xd1", status: "rejected", moved: false, error: "permit2_allowance_required", entry: { direction: "sent", via: permit2, actions: { ...outstanding, approve: true } } })],
  });
  approvalQuote.mockResolvedValue({ id: "q9", digest: "0x99", symbol: "STORE", spender: "0x000000000022D473030F116dDEE9F6B43aC78BA3", amount_display: "12.5", current_display: "0", revokes: false, max_fee_display: "0.0001", native_symbol: "ETH", expires_at: 0 });
  approvalConfirm.mockResolvedValue({ status: "confirmed", notice: null });
  paymentResend.mockResolvedValue({});
  render(<HistoryScreen session={session} />);
  fireEvent.click((await screen.findAllByRole("button", { name: /Sent/ }))[0]);
  await waitFor(() => expect(document.getElementById("approve-ask")).toBeTruthy());
  fireEvent.click(document.getElementById("approve-ask")!);
  await waitFor(() => expect(approvalQuote).toHaveBeenCalledWith(2, "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35", "12.5"));
  fireEvent.click(await screen.findByText("Confirm"));
  await waitFor(() => expect(approvalConfirm).toHaveBeenCalledWith("q9", "0x99"));
  await waitFor(() => expect(paymentResend).toHaveBeenCalledWith("0xd1"));
});
