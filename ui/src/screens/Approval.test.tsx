// Component test of the shopper's own Permit2 approval (the blocked sheet's offer, the token screen's
// revocation): the Rust commands are replaced by a stand-in (vi.mock of the generated bindings), since
// there is no Tauri backend in vitest. The real thing is covered on a real anvil against the official
// x402 facilitator (tests/integration/permit2.rs), from the command line, and end to end.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { vi } from "vitest";
import { setLanguage } from "../i18n";

const quote = vi.fn();
const confirm = vi.fn();
const allowance = vi.fn();
vi.mock("../bindings", () => ({
  commands: {
    approvalQuote: (index: number, token: string, amount: string) => quote(index, token, amount),
    approvalConfirm: (id: string, digest: string) => confirm(id, digest),
    approvalAllowance: (index: number, token: string) => allowance(index, token),
  },
  events: {},
}));

import { ApproveAction, TokenApprovals } from "./Approval";

const STORE = "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35";
const offer = (amount: string, current = "0") => ({
  id: "q1", digest: "0x11", symbol: "STORE", spender: "0x000000000022D473030F116dDEE9F6B43aC78BA3",
  amount_display: amount, current_display: current, revokes: amount === "0", max_fee_display: "0.0001", native_symbol: "ETH", expires_at: 0,
});
const receipt = (status: string) => ({ status, id: "0xabc", via: { kind: "approval", spender: "0x000000000022D473030F116dDEE9F6B43aC78BA3" }, actions: { resend: false, replace: false, revoke: false, approve: false }, notice: null });

afterEach(() => { setLanguage("en"); quote.mockReset(); confirm.mockReset(); allowance.mockReset(); });

test("the approval is this payment's amount by default, confirmed as quoted, then the sheet is quoted again", async () => {
  quote.mockImplementation(async (_i: number, _t: string, amount: string) => offer(amount));
  confirm.mockImplementation(async () => receipt("confirmed"));
  const approved = vi.fn();
  render(<ApproveAction account={0} token={STORE} symbol="STORE" amount="12.5" nativeSymbol="ETH" onApproved={approved} />);
  expect((document.getElementById("approve-this-payment") as HTMLInputElement).checked).toBe(true);
  expect(screen.queryByText(/unlimited/i)).toBeNull();
  fireEvent.click(document.getElementById("approve-ask")!);
  await waitFor(() => expect(quote).toHaveBeenCalledWith(0, STORE, "12.5"));
  await screen.findByText(/Let Permit2 move up to 12.5 STORE from this account.*0.0001 ETH/);
  fireEvent.click(document.getElementById("approve-confirm")!);
  await waitFor(() => expect(confirm).toHaveBeenCalledWith("q1", "0x11"));
  await waitFor(() => expect(approved).toHaveBeenCalled());
});

test("a limit is typed in the person's locale and sent exact; a refusal is said and nothing is re-quoted", async () => {
  setLanguage("fr");
  quote.mockImplementationOnce(async () => { throw { code: "needs_native_for_fee", message: "", params: { symbol: "ETH", needed: "0.0001", available: "0" } }; });
  const approved = vi.fn();
  render(<ApproveAction account={1} token={STORE} symbol="STORE" amount="12.5" nativeSymbol="ETH" onApproved={approved} />);
  fireEvent.click(document.getElementById("approve-limit")!);
  const ask = document.getElementById("approve-ask") as HTMLButtonElement;
  expect(ask.disabled).toBe(true);
  fireEvent.input(document.getElementById("approve-limit-amount")!, { target: { value: "30,5" } });
  fireEvent.click(ask);
  await waitFor(() => expect(quote).toHaveBeenCalledWith(1, STORE, "30.5"));
  await waitFor(() => expect(document.getElementById("approve-error")).toBeTruthy());
  quote.mockImplementation(async (_i: number, _t: string, amount: string) => offer(amount));
  confirm.mockImplementation(async () => receipt("pending"));
  fireEvent.click(document.getElementById("approve-ask")!);
  fireEvent.click(await screen.findByText("Confirmer"));
  await screen.findByText(/pas encore confirmée/);
  expect(approved).not.toHaveBeenCalled();
});

test("the token screen shows what Permit2 may move and revokes it (0), then reads it again", async () => {
  allowance.mockResolvedValueOnce({ token: STORE, symbol: "STORE", spender: "0x000000000022D473030F116dDEE9F6B43aC78BA3", display: "30", none: false });
  allowance.mockResolvedValueOnce({ token: STORE, symbol: "STORE", spender: "0x000000000022D473030F116dDEE9F6B43aC78BA3", display: "0", none: true });
  quote.mockImplementation(async () => offer("0", "30"));
  confirm.mockImplementation(async () => receipt("confirmed"));
  render(<TokenApprovals account={0} token={STORE} symbol="STORE" />);
  await screen.findByText(/Permit2 can move up to 30 STORE/);
  fireEvent.click(document.getElementById("token-revoke")!);
  await waitFor(() => expect(quote).toHaveBeenCalledWith(0, STORE, "0"));
  await screen.findByText(/Revoke: Permit2 can no longer move your STORE \(now up to 30 STORE\)/);
  fireEvent.click(document.getElementById("approve-confirm")!);
  await screen.findByText(/Nothing can move your STORE/);
  expect(allowance).toHaveBeenCalledTimes(2);
});
