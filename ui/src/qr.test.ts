// The decoder runs the real ZXing WebAssembly (the package's own binary, read from disk: vitest has no
// app server to fetch it from).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import jsQR from "jsqr";
import { decodePixels, prepareDecoder, toPixels, toSvg } from "./qr";
import { random, render, scenes } from "../bench/scenes.mjs";

const wasm = createRequire(import.meta.url).resolve("zxing-wasm/reader/zxing_reader.wasm");
prepareDecoder(readFileSync(wasm).buffer as ArrayBuffer);

const request =
  "ethereum:0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35@31337/transfer?address=0x4242424242424242424242424242424242424242&uint256=1.25e19&label=Corner%20Shop";

test("a payment request survives QR encoding and decoding (qrcode → pixels → ZXing)", async () => {
  const { data, width, height } = toPixels(request);
  expect(await decodePixels(data, width, height)).toBe(request);
});

test("a blank image holds no QR code", async () => {
  const data = new Uint8ClampedArray(64 * 64 * 4).fill(255);
  expect(await decodePixels(data, 64, 64)).toBeNull();
});

test("checkout codes as a camera sees them: read exactly or not at all, and more of them than jsQR reads", async () => {
  // A sample of the benchmark's scenes (bench/qr.mjs measures the whole set).
  const sample = scenes(12, 7);
  let zxing = 0;
  let js = 0;
  for (const s of sample) {
    const data = render(s.text, s.look, 960, 540, random(s.seed));
    const a = await decodePixels(data, 960, 540);
    const b = jsQR(data, 960, 540, { inversionAttempts: "attemptBoth" })?.data ?? null;
    expect([s.text, null]).toContain(a);
    expect([s.text, null]).toContain(b);
    if (a) zxing++;
    if (b) js++;
  }
  expect(zxing).toBeGreaterThanOrEqual(js);
  expect(zxing).toBeGreaterThanOrEqual(11);
}, 60_000);

test("an inverted code (light on dark, as dark-theme checkouts show it) is read", async () => {
  const { data, width, height } = toPixels(request);
  for (let i = 0; i < data.length; i += 4) data[i] = data[i + 1] = data[i + 2] = 255 - data[i];
  expect(await decodePixels(data, width, height)).toBe(request);
});

test("receive QR codes are SVG markup without scripts", async () => {
  const svg = await toSvg(request);
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg).not.toMatch(/<script|on\w+=/i);
});

