// Component test of speeding up and cancelling a stuck payment: the Rust commands are replaced by a
// stand-in (vi.mock of the generated bindings), since there is no Tauri backend in vitest. The real
// thing is covered on a real anvil (tests/integration/replace.rs, the CLI test) and end to end.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { vi } from "vitest";

const replacement = vi.fn();
const replace = vi.fn();
vi.mock("../bindings", () => ({
  commands: {
    paymentReplacement: (id: string, kind: string) => replacement(id, kind),
    paymentReplace: (id: string, digest: string) => replace(id, digest),
  },
  events: {},
}));

import { RevokeAction, StuckActions } from "./Stuck";

const offer = (kind: string, n: number) => ({
  id: `q${n}`, digest: `0x${n}${n}`, kind, max_fee_display: `0.00${n}5`, previous_max_fee_display: "0.001",
  native_symbol: "ETH", expires_at: 0,
});

test("the fee shown is the quote confirmed; a refusal keeps the buttons for another, higher try", async () => {
  let n = 0;
  replacement.mockImplementation(async (_id: string, kind: string) => offer(kind, ++n));
  replace.mockImplementationOnce(async () => {
    throw { code: "replacement_refused", message: "", params: { reason: "replacement transaction underpriced" } };
  });
  const done = vi.fn();
  render(<StuckActions id="0xabc" onDone={done} />);
  fireEvent.click(document.getElementById("stuck-speed-up")!);
  await screen.findByText(/the same payment again, with a network fee of up to 0.0015 ETH \(before: up to 0.001 ETH\)/);
  fireEvent.click(document.getElementById("stuck-confirm")!);
  await waitFor(() => expect(replace).toHaveBeenCalledWith("q1", "0x11"));
  await screen.findByText(/still waiting as it was.*replacement transaction underpriced/);
  expect(done).not.toHaveBeenCalled();

  replace.mockImplementationOnce(async () => ({ status: "pending", id: "0xdef", via: { kind: "on_chain", step: "speed_up", merchant: null, order: null }, actions: { resend: false, replace: true, revoke: false, approve: false } }));
  fireEvent.click(document.getElementById("stuck-speed-up")!);
  await screen.findByText(/up to 0.0025 ETH/);
  fireEvent.click(document.getElementById("stuck-confirm")!);
  await waitFor(() => expect(replace).toHaveBeenLastCalledWith("q2", "0x22"));
  await waitFor(() => expect(done).toHaveBeenCalledWith(expect.objectContaining({ via: expect.objectContaining({ step: "speed_up" }) })));
  expect(replacement).toHaveBeenCalledWith("0xabc", "speed_up");
});

test("a cancellation is offered with its fee; going back signs nothing", async () => {
  replacement.mockImplementation(async (_id: string, kind: string) => offer(kind, 3));
  replace.mockClear();
  render(<StuckActions id="0xabc" onDone={() => {}} />);
  fireEvent.click(document.getElementById("stuck-cancel")!);
  await waitFor(() => expect(replacement).toHaveBeenLastCalledWith("0xabc", "cancel"));
  fireEvent.click(await screen.findByText("Not now"));
  fireEvent.click(document.getElementById("stuck-speed-up")!);
  await screen.findByText(/up to 0.0035 ETH/);
  fireEvent.click(screen.getByText("Not now"));
  expect(document.getElementById("stuck-speed-up")).toBeTruthy();
  expect(replace).not.toHaveBeenCalled();
});

test("an unsettled gasless payment can be revoked by the quote shown; without ether the text says what the fee needs and until when it stays valid", async () => {
  replacement.mockReset();
  replace.mockReset();
  replacement.mockImplementationOnce(async () => {
    throw { code: "needs_native_for_fee", message: "", params: { symbol: "ETH", needed: "0.0004", available: "0" } };
  });
  const done = vi.fn();
  render(<RevokeAction id="0xnonce" validUntil={1_800_000_300} onDone={done} />);
  fireEvent.click(document.getElementById("revoke")!);
  const said = await screen.findByText(/Cancelling it needs up to 0.0004 ETH for the network fee/);
  expect(said.textContent).toMatch(/stays valid until .+, then nothing can move/);
  expect(replacement).toHaveBeenCalledWith("0xnonce", "cancel_authorization");

  replacement.mockImplementationOnce(async () => offer("cancel_authorization", 4));
  replace.mockImplementationOnce(async () => ({ status: "cancelled", id: "0xnonce", kind: "payment", replaceable: false, moved: false }));
  fireEvent.click(document.getElementById("revoke")!);
  await screen.findByText(/makes this signed payment unusable, with a network fee of up to 0.0045 ETH/);
  fireEvent.click(document.getElementById("revoke-confirm")!);
  await waitFor(() => expect(replace).toHaveBeenCalledWith("q4", "0x44"));
  await waitFor(() => expect(done).toHaveBeenCalledWith(expect.objectContaining({ status: "cancelled" })));
});
