// Component test of the pay screen's handling of links from the OS: the Rust commands are replaced by
// a stand-in (vi.mock of the generated bindings), since there is no Tauri backend in vitest. The real
// thing is covered end to end by tests/e2e against the app.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { vi } from "vitest";

const quote = vi.fn();
const pay = vi.fn();
const proof = vi.fn();
vi.mock("../bindings", () => ({
  commands: {
    paymentQuote: (uri: string, index: number, amount: string | null) => quote(uri, index, amount),
    paymentPay: (id: string, digest: string, index: number, ack: boolean) => pay(id, digest, index, ack),
    paymentProof: (id: string) => proof(id),
  },
  events: {},
}));

const decodeFile = vi.fn();
vi.mock("../qr", () => ({ decodeFile: (f: File) => decodeFile(f), decodeCameraFrame: async () => null, FrameReads: class {} }));

import { Pay } from "./Pay";

const A = "ethereum:0x4242424242424242424242424242424242424242?value=1e15&label=Shop%20A";
const B = "ethereum:0x5151515151515151515151515151515151515151?value=9e18&label=Shop%20B";

function sheet(uri: string) {
  const merchant = uri.includes("Shop%20A") ? "Shop A" : "Shop B";
  return {
    request: { uri, merchant, message: null, order: null, payee: null, chain_id: null, expires: null, domain: null },
    quote: {
      id: `id-${merchant}`, digest: `0x${merchant === "Shop A" ? "aa" : "bb"}`, expires_at: 0,
      from: "0x0", payee: "0x0", payee_name: null, asset: ETH,
      amount: "1", amount_display: merchant === "Shop A" ? "0.001" : "9", network: "Local dev chain", network_key: "devnet",
      paid_by: { kind: "on_chain", max_fee_display: "0.0001", native_symbol: "ETH", max_total_native_display: "0.0011" },
    },
    warnings: [], blockers: [], payable: true, payee: null,
  };
}

const ETH = { kind: "native", symbol: "ETH", decimals: 18 } as const;
const STORE = { kind: "token", address: "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35", symbol: "STORE", name: "Store Credit", decimals: 18, verified: true } as const;
const NOTHING_TO_DO = { resend: false, replace: false, revoke: false, approve: false };
/** A receipt as Rust gives it, paid and confirmed. */
function paid(over: Record<string, unknown>) {
  return {
    status: "confirmed", id: "0x1", counterparty: "0x0", time: 1700000000, tx_hash: "0x1", explorer: null, error: null,
    notice: null, amount_display: "0.001", symbol: "ETH", block_number: 1, moved: true,
    via: { kind: "on_chain", step: "payment", merchant: null, order: null }, actions: NOTHING_TO_DO, ...over,
  };
}

test("a link that arrives while a sheet is open never replaces it; the sheet pays its own quote", async () => {
  quote.mockImplementation(async (uri: string) => sheet(uri));
  pay.mockImplementation(async () => paid({}));
  const session = { status: {}, account: 0, setAccount: () => {}, refreshStatus: async () => ({}), setStatus: () => {}, go: () => {} } as never;
  const { rerender } = render(<Pay session={session} initialLink={A} onLinkUsed={() => {}} />);
  await screen.findByText(/Calls itself “Shop A”/);
  rerender(<Pay session={session} initialLink={B} onLinkUsed={() => {}} />);
  await screen.findByText(/Another payment link arrived/);
  expect(screen.getByText(/Calls itself “Shop A”/)).toBeTruthy();
  expect(quote).toHaveBeenCalledTimes(1);
  fireEvent.click(document.getElementById("sheet-pay")!);
  await waitFor(() => expect(pay).toHaveBeenCalledWith("id-Shop A", "0xaa", 0, false));
});

test("a shop's gasless checkout: the link's domain asks, its words are labelled, the shop pays the fee", async () => {
  const link = "https://shop.example/pay/7";
  quote.mockImplementation(async () => ({
    request: { uri: link, merchant: null, message: "Your order", order: null, payee: "0x51", chain_id: 31337, expires: null, domain: "shop.example" },
    quote: {
      id: "g1", digest: "0xcc", expires_at: 0, from: "0x0", payee: "0x51", payee_name: null, asset: { ...STORE, address: "0x70" },
      amount: "12500000000000000000", amount_display: "12.5", network: "Local dev chain", network_key: "devnet",
      paid_by: { kind: "gasless", domain: "shop.example", method: "eip3009", sponsored_approval: false, offer_signed: false },
    },
    warnings: [], blockers: [], payable: true, payee: { paid_before: 2, last_paid_at: 1700000000, own_account: false, first_payment_caution: false },
  }));
  pay.mockImplementation(async () => paid({
    id: "0xnonce", tx_hash: null, amount_display: "12.5", symbol: "STORE", block_number: 9,
    via: { kind: "gasless", domain: "shop.example", description: "Your order", valid_until: null, method: "eip3009", authorized_display: null, offer_signed: false, receipt_signed: false },
  }));
  const session = { status: {}, account: 0, setAccount: () => {}, refreshStatus: async () => ({}), setStatus: () => {}, go: () => {} } as never;
  render(<Pay session={session} initialLink={link} onLinkUsed={() => {}} />);
  await screen.findByText("Pay shop.example");
  expect(document.getElementById("sheet-message")!.textContent).toBe("The shop says: Your order");
  expect(document.getElementById("sheet-fee")!.textContent).toBe("paid by the shop");
  expect(document.getElementById("sheet-total")).toBeNull();
  expect(document.getElementById("sheet-token")!.textContent).toBe("Store Credit · STORE");
  expect(document.getElementById("sheet-unverified")).toBeNull();
  expect(document.getElementById("sheet-payee-facts")!.textContent).toMatch(/^Paid 2 times before from this wallet/);
  fireEvent.click(document.getElementById("sheet-pay")!);
  await waitFor(() => expect(pay).toHaveBeenCalledWith("g1", "0xcc", 0, false));
  await screen.findByText("Paid");
  expect(document.getElementById("receipt-shop")!.textContent).toBe("shop.example");
  expect(document.getElementById("receipt-tx")).toBeNull();
});

test("upto through Permit2: the sheet says 'up to' the maximum and the sponsored approval; the receipt shows what was charged and what was authorized", async () => {
  const link = "https://shop.example/upto/7";
  quote.mockImplementation(async () => ({
    request: { uri: link, merchant: null, message: null, order: null, payee: "0x51", chain_id: 31337, expires: null, domain: "shop.example" },
    quote: {
      id: "u1", digest: "0xee", expires_at: 0, from: "0x0", payee: "0x51", payee_name: null, asset: { ...STORE, address: "0x70", verified: false },
      amount: "12500000000000000000", amount_display: "12.5", network: "Local dev chain", network_key: "devnet",
      paid_by: { kind: "gasless", domain: "shop.example", method: "upto", sponsored_approval: true, offer_signed: true },
    },
    warnings: [], blockers: [], payable: true, payee: { paid_before: 0, last_paid_at: null, own_account: false, first_payment_caution: false },
  }));
  pay.mockImplementation(async () => paid({
    id: "0xnonce", tx_hash: null, amount_display: "9.375", symbol: "STORE", block_number: 9,
    via: { kind: "gasless", domain: "shop.example", description: null, valid_until: null, method: "upto", authorized_display: "12.5", offer_signed: true, receipt_signed: true },
  }));
  const session = { status: {}, account: 0, setAccount: () => {}, refreshStatus: async () => ({}), setStatus: () => {}, go: () => {} } as never;
  render(<Pay session={session} initialLink={link} onLinkUsed={() => {}} />);
  await screen.findByText("Pay shop.example");
  expect(document.getElementById("sheet-amount")!.textContent).toBe("Up to 12.5 STORE");
  // A token added by hand is unverified on the sheet too (the mark was lost there before).
  expect(document.getElementById("sheet-unverified")!.textContent).toBe("unverified");
  expect(document.getElementById("sheet-upto")!.textContent).toMatch(/never more than this/);
  expect(document.getElementById("sheet-approval")!.textContent).toMatch(/the shop sends the approval/);
  expect(document.getElementById("sheet-offer-signed")!.textContent).toMatch(/Tender checked the signature/);
  fireEvent.click(document.getElementById("sheet-pay")!);
  await screen.findByText("Paid");
  expect(document.getElementById("receipt-authorized")!.textContent).toBe("up to 12.5 STORE");
  expect(document.getElementById("sheet-offer-signed")).toBeNull();
  expect(document.getElementById("receipt-offer-signed")!.textContent).toBe("Receipt signed by the shop");
  // The proof is asked for only when opened, and shown as text to keep.
  proof.mockImplementation(async () => '{"format":"tender-payment-proof/1"}');
  const details = document.getElementById("receipt-proof") as HTMLDetailsElement;
  expect(proof).not.toHaveBeenCalled();
  details.open = true;
  fireEvent(details, new Event("toggle"));
  await waitFor(() => expect(proof).toHaveBeenCalledWith("0xnonce"));
  expect((await screen.findByLabelText("Proof of payment")).textContent).toContain("tender-payment-proof/1");
});

const session = { status: {}, account: 0, setAccount: () => {}, refreshStatus: async () => ({}), setStatus: () => {}, go: () => {} } as never;
const STORE_FEE = { kind: "on_chain", max_fee_display: "0.000052413000000001", native_symbol: "ETH", max_total_native_display: null } as const;
const STORE_QUOTE = {
  id: "q1", digest: "0xdd", expires_at: 0, from: "0x0", payee: "0x1a2B000000000000000000000000000000004c5", payee_name: null,
  asset: STORE, amount: "12500000000000000000", amount_display: "12.5", network: "Local dev chain", network_key: "devnet",
  paid_by: STORE_FEE,
};

test("a token payment: the label is the request's claim, the fee is rounded up, no total mixes two currencies", async () => {
  quote.mockImplementation(async () => ({
    request: { uri: "ethereum:x", merchant: "Corner Shop", message: null, order: "A-1", payee: null, chain_id: 31337, expires: null, domain: null },
    quote: { ...STORE_QUOTE, paid_by: { ...STORE_FEE, max_fee_display: "0.002120000000000001" } },
    warnings: [], blockers: [], payable: true, payee: { paid_before: 0, last_paid_at: null, own_account: false, first_payment_caution: false },
  }));
  render(<Pay session={session} initialLink="ethereum:x" onLinkUsed={() => {}} />);
  await screen.findByText("Confirm payment");
  expect(document.getElementById("sheet-title")!.textContent).not.toMatch(/Corner Shop/);
  expect(document.getElementById("sheet-claim")!.textContent).toBe("Calls itself “Corner Shop” (its own words, not checked)");
  // A shop's order to a new address (one per order): not pointed out as a first payment (issue 21).
  expect(document.getElementById("sheet-payee-facts")).toBeNull();
  expect(document.getElementById("sheet-fee")!.textContent).toBe("up to 0.002121 ETH");
  expect(document.getElementById("sheet-exact-fee")!.textContent).toBe("0.002120000000000001 ETH");
  expect(document.getElementById("sheet-total")).toBeNull();
  expect(document.getElementById("sheet-contract")!.textContent).toBe(STORE.address);
});

test("a tiny fee reads as less than 0.0001; a native payment's total is in its one currency", async () => {
  quote.mockImplementation(async () => ({
    request: { uri: "ethereum:y", merchant: null, message: null, order: null, payee: null, chain_id: 31337, expires: null, domain: null },
    quote: { ...STORE_QUOTE, asset: ETH, amount_display: "1", paid_by: { ...STORE_FEE, max_total_native_display: "1.000052413" } },
    warnings: [], blockers: [], payable: true, payee: null,
  }));
  render(<Pay session={session} initialLink="ethereum:y" onLinkUsed={() => {}} />);
  await screen.findByText("Confirm payment");
  expect(document.getElementById("sheet-fee")!.textContent).toBe("less than 0.0001 ETH");
  expect(document.getElementById("sheet-total")!.textContent).toBe("up to 1.001 ETH");
});

test("a lookalike payee needs its own tick before the pay button comes on", async () => {
  pay.mockReset();
  pay.mockImplementation(async () => paid({ amount_display: "12.5", symbol: "STORE" }));
  quote.mockImplementation(async () => ({
    request: { uri: "ethereum:z", merchant: null, message: null, order: null, payee: null, chain_id: 31337, expires: null, domain: null },
    quote: STORE_QUOTE,
    warnings: [
      { warning: { kind: "lookalike_payee", looks_like: "0x1a2Bffffffffffffffffffffffffffffffff4c5" }, needs_ack: true },
      { warning: { kind: "probable_duplicate", tx_hash: "0x9", paid_at: 1700000000, status: "confirmed", account: null }, needs_ack: true },
    ],
    blockers: [], payable: true, payee: { paid_before: 0, last_paid_at: null, own_account: false, first_payment_caution: true },
  }));
  render(<Pay session={session} initialLink="ethereum:z" onLinkUsed={() => {}} />);
  await screen.findByText("Confirm payment");
  const button = document.getElementById("sheet-pay") as HTMLButtonElement;
  expect(document.querySelector('[data-kind="lookalike_payee"]')!.textContent).toMatch(/looks like 0x1a2Bffff/);
  expect(document.getElementById("sheet-payee-facts")!.textContent).toBe("First payment to this address");
  expect(document.getElementById("sheet-payee-facts")!.className).toBe("badge new");
  expect(button.disabled).toBe(true);
  fireEvent.click(document.getElementById("ack-duplicate")!);
  expect(button.disabled).toBe(true);
  fireEvent.click(document.getElementById("ack-lookalike")!);
  expect(button.disabled).toBe(false);
  fireEvent.click(button);
  await waitFor(() => expect(pay).toHaveBeenCalledWith("q1", "0xdd", 0, true));
});

test("an image without a QR code says so, replacing the previous attempt's error (defect 5)", async () => {
  quote.mockImplementation(async () => { throw { code: "malformed_request", message: "", params: {} }; });
  render(<Pay session={session} initialLink={null} onLinkUsed={() => {}} />);
  fireEvent.input(document.getElementById("payment-link")!, { target: { value: "ethereum:0xdamaged" } });
  fireEvent.submit(document.getElementById("payment-link")!.closest("form")!);
  await waitFor(() => expect(document.getElementById("pay-error")!.textContent).toMatch(/damaged/));
  decodeFile.mockResolvedValue(null);
  const input = document.getElementById("qr-file") as HTMLInputElement;
  Object.defineProperty(input, "files", { value: [new File(["x"], "photo.png", { type: "image/png" })], configurable: true });
  fireEvent.change(input);
  await waitFor(() => expect(document.getElementById("pay-error")!.textContent).toBe("No QR code found in this image."));
});

test("what is on screen follows a change of language, errors included (defect 8)", async () => {
  const { setLanguage } = await import("../i18n");
  setLanguage("en");
  // Rust reads what a text holds (tested in pay::link); the screen passes it on, trimmed, as it is.
  quote.mockImplementation(async () => { throw { code: "not_a_payment_link", message: "", params: {} }; });
  const session = { status: {}, account: 0, setAccount: () => {}, refreshStatus: async () => ({}), setStatus: () => {}, go: () => {} } as never;
  const { rerender } = render(<Pay session={session} initialLink={null} onLinkUsed={() => {}} />);
  fireEvent.input(document.getElementById("payment-link")!, { target: { value: "  hello " } });
  fireEvent.click(document.getElementById("open-link")!);
  await screen.findByText(/^This is not a payment code Tender can pay: a shop’s https:\/\/ payment link/);
  expect(quote).toHaveBeenLastCalledWith("hello", 0, null);
  setLanguage("fr");
  rerender(<Pay session={session} initialLink={null} onLinkUsed={() => {}} />);
  expect(document.getElementById("pay-error")?.textContent).toMatch(/^Ce n’est pas un code de paiement que Tender peut payer/);
  setLanguage("en");
});

test("a bare address asks for the amount on the sheet, typed in the locale, then quotes it", async () => {
  const bare = "ethereum:0x4242424242424242424242424242424242424242";
  quote.mockImplementation(async (uri: string, _index: number, amount?: string | null) => amount
    ? { ...sheet(A), request: { ...sheet(A).request, uri, merchant: null } }
    : { request: { uri, merchant: null, message: null, order: null, payee: "0x4242424242424242424242424242424242424242", chain_id: null, expires: null, domain: null },
      quote: null, warnings: [], blockers: [{ kind: "amount_missing" }], payable: false, payee: null });
  const calls: unknown[][] = [];
  const original = quote.getMockImplementation()!;
  quote.mockImplementation(async (...args: unknown[]) => { calls.push(args); return (original as (...a: unknown[]) => unknown)(...args); });
  const session = { status: { network: { native_symbol: "ETH" } }, account: 0, setAccount: () => {}, refreshStatus: async () => ({}), setStatus: () => {}, go: () => {} } as never;
  render(<Pay session={session} initialLink={bare} onLinkUsed={() => {}} />);
  const field = await screen.findByLabelText("Amount (ETH)");
  expect((document.getElementById("sheet-pay") as HTMLButtonElement).disabled).toBe(true);
  fireEvent.input(field, { target: { value: "2,5" } });
  expect((document.getElementById("sheet-amount-review") as HTMLButtonElement).disabled).toBe(true);
  fireEvent.input(field, { target: { value: "0.5" } });
  fireEvent.click(document.getElementById("sheet-amount-review")!);
  await waitFor(() => expect(calls[calls.length - 1]).toEqual([bare, 0, "0.5"]));
  await waitFor(() => expect((document.getElementById("sheet-pay") as HTMLButtonElement).disabled).toBe(false));
});

test("a blocked request still shows what was asked and on which network; the blocker names it and the fee's need", async () => {
  const uri = "ethereum:0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35@8453/transfer?address=0x51&uint256=12.5e18";
  quote.mockImplementation(async () => ({
    request: {
      uri, merchant: null, message: null, order: null, payee: "0x51", chain_id: 8453, expires: null, domain: null,
      amount_display: "12.5", symbol: "USDC", network: "Base",
    },
    quote: null, warnings: [], payable: false, payee: null,
    blockers: [
      { kind: "chain_mismatch", requested: 8453, current: 31337 },
      { kind: "needs_native_for_fee", symbol: "ETH", needed: "0.0021", available: "0" },
    ],
  }));
  const session = { status: {}, account: 0, setAccount: () => {}, refreshStatus: async () => ({}), setStatus: () => {}, go: () => {} } as never;
  render(<Pay session={session} initialLink={uri} onLinkUsed={() => {}} />);
  expect((await screen.findByText(/This request is for Base, not the network this wallet uses/)).textContent).toMatch(/Settings/);
  expect(document.getElementById("sheet-amount")?.textContent).toBe("12.5 USDC");
  screen.getByText(/needs up to 0.0021 ETH for the network fee; this account has 0 ETH/);
});
