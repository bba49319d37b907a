import { decodePixels, toPixels, toSvg } from "./qr";
import { paymentLink } from "./links";

const request =
  "ethereum:0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35@31337/transfer?address=0x4242424242424242424242424242424242424242&uint256=1.25e19&label=Corner%20Shop";

test("a payment request survives QR encoding and decoding (qrcode → pixels → jsQR)", () => {
  const { data, width, height } = toPixels(request);
  expect(decodePixels(data, width, height)).toBe(request);
});

test("a blank image holds no QR code", () => {
  const data = new Uint8ClampedArray(64 * 64 * 4).fill(255);
  expect(decodePixels(data, 64, 64)).toBeNull();
});

test("receive QR codes are SVG markup without scripts", async () => {
  const svg = await toSvg(request);
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg).not.toMatch(/<script|on\w+=/i);
});

test("payment links: ethereum: URIs, bare addresses and shops' http(s) links, nothing else", () => {
  expect(paymentLink(`  ${request}\n`)).toBe(request);
  expect(paymentLink("ETHEREUM:0x4242424242424242424242424242424242424242")).toBe(
    "ethereum:0x4242424242424242424242424242424242424242",
  );
  expect(paymentLink("0x4242424242424242424242424242424242424242")).toBe(
    "ethereum:0x4242424242424242424242424242424242424242",
  );
  // A shop's x402 link goes to the core as it is (the core refuses plain http:// except to this machine).
  expect(paymentLink(" https://shop.example/pay/7 ")).toBe("https://shop.example/pay/7");
  expect(paymentLink("http://127.0.0.1:4000/pay/0")).toBe("http://127.0.0.1:4000/pay/0");
  expect(paymentLink("https://shop.example/pay now")).toBeNull();
  expect(paymentLink("ftp://shop.example/")).toBeNull();
  expect(paymentLink("javascript:alert(1)")).toBeNull();
  expect(paymentLink("0x1234")).toBeNull();
});

