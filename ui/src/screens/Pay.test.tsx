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
    request: { uri, merchant, message: null, order: null, payee: null, chain_id: null, expires: null, domain: null },
    quote: {
      id: `id-${merchant}`, digest: `0x${merchant === "Shop A" ? "aa" : "bb"}`, expires_at: 0,
      from: "0x0", payee: "0x0", payee_name: null, token: null, symbol: "ETH", decimals: 18,
      amount: "1", amount_display: merchant === "Shop A" ? "0.001" : "9", max_fee_display: "0.0001",
      native_symbol: "ETH", max_total_native_display: "0.0011", network: "Local dev chain", fee_paid_by_shop: false,
    },
    warnings: [], blockers: [], needs_ack: false,
  };
}

test("a link that arrives while a sheet is open never replaces it; the sheet pays its own quote", async () => {
  quote.mockImplementation(async (uri: string) => sheet(uri));
  pay.mockImplementation(async () => ({ status: "confirmed", id: "0x1", tx_hash: "0x1", explorer: null, error: null, notice: null, amount_display: "0.001", symbol: "ETH", block_number: 1 }));
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

test("a shop's gasless checkout: the link's domain asks, its words are labelled, the shop pays the fee", async () => {
  const link = "https://shop.example/pay/7";
  quote.mockImplementation(async () => ({
    request: { uri: link, merchant: null, message: "Your order", order: null, payee: "0x51", chain_id: 31337, expires: null, domain: "shop.example" },
    quote: {
      id: "g1", digest: "0xcc", expires_at: 0, from: "0x0", payee: "0x51", payee_name: null, token: "0x70",
      symbol: "STORE", decimals: 18, amount: "12500000000000000000", amount_display: "12.5", max_fee_display: "0",
      native_symbol: "", max_total_native_display: "0", network: "Local dev chain", fee_paid_by_shop: true,
    },
    warnings: [], blockers: [], needs_ack: false,
  }));
  pay.mockImplementation(async () => ({ status: "confirmed", id: "0xnonce", tx_hash: null, explorer: null, error: null, notice: null, amount_display: "12.5", symbol: "STORE", block_number: 9 }));
  const session = { status: {}, account: 0, setAccount: () => {}, refreshStatus: async () => ({}), setStatus: () => {}, go: () => {} } as never;
  render(<Pay session={session} initialLink={link} onLinkUsed={() => {}} />);
  await screen.findByText("Pay shop.example");
  expect(document.getElementById("sheet-message")!.textContent).toBe("The shop says: Your order");
  expect(document.getElementById("sheet-fee")!.textContent).toBe("paid by the shop");
  expect(document.getElementById("sheet-total")!.textContent).toBe("12.5 STORE");
  fireEvent.click(document.getElementById("sheet-pay")!);
  await waitFor(() => expect(pay).toHaveBeenCalledWith("g1", "0xcc", 0, false));
  await screen.findByText("Paid");
  expect(document.getElementById("receipt-shop")!.textContent).toBe("shop.example");
  expect(document.getElementById("receipt-tx")).toBeNull();
});
