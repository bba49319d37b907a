// Component test of the pay screen's handling of links from the OS: the Rust commands are replaced by
// a stand-in (vi.mock of the generated bindings), since there is no Tauri backend in vitest. The real
// thing is covered end to end by tests/e2e against the app.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { vi } from "vitest";

const quote = vi.fn();
const pay = vi.fn();
vi.mock("../bindings", () => ({
  commands: {
    paymentQuote: (uri: string, index: number) => quote(uri, index),
    paymentPay: (id: string, digest: string, index: number, ack: boolean) => pay(id, digest, index, ack),
  },
  events: {},
}));

import { Pay } from "./Pay";

const A = "ethereum:0x4242424242424242424242424242424242424242?value=1e15&label=Shop%20A";
const B = "ethereum:0x5151515151515151515151515151515151515151?value=9e18&label=Shop%20B";

function sheet(uri: string) {
  const merchant = uri.includes("Shop%20A") ? "Shop A" : "Shop B";
  return {
    request: { uri, merchant, message: null, order: null, payee: null, chain_id: null, expires: null },
    quote: {
      id: `id-${merchant}`, digest: `0x${merchant === "Shop A" ? "aa" : "bb"}`, expires_at: 0,
      from: "0x0", payee: "0x0", payee_name: null, token: null, symbol: "ETH", decimals: 18,
      amount: "1", amount_display: merchant === "Shop A" ? "0.001" : "9", max_fee_display: "0.0001",
      native_symbol: "ETH", max_total_native_display: "0.0011", network: "Local dev chain",
    },
    warnings: [], blockers: [], needs_ack: false,
  };
}

test("a link that arrives while a sheet is open never replaces it; the sheet pays its own quote", async () => {
  quote.mockImplementation(async (uri: string) => sheet(uri));
  pay.mockImplementation(async () => ({ status: "confirmed", tx_hash: "0x1", explorer: null, error: null, notice: null, amount_display: "0.001", symbol: "ETH", block_number: 1 }));
  const session = { status: {}, account: 0, setAccount: () => {}, refreshStatus: async () => ({}), setStatus: () => {}, go: () => {} } as never;
  const { rerender } = render(<Pay session={session} initialLink={A} onLinkUsed={() => {}} />);
  await screen.findByText("Pay Shop A");
  rerender(<Pay session={session} initialLink={B} onLinkUsed={() => {}} />);
  await screen.findByText(/Another payment link arrived/);
  expect(screen.getByText("Pay Shop A")).toBeTruthy();
  expect(quote).toHaveBeenCalledTimes(1);
  fireEvent.click(document.getElementById("sheet-pay")!);
  await waitFor(() => expect(pay).toHaveBeenCalledWith("id-Shop A", "0xaa", 0, false));
});
