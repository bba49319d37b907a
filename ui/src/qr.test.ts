// The decoder runs the real ZXing WebAssembly (the package's own binary, read from disk: vitest has no
// app server to fetch it from).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import jsQR from "jsqr";
import { CAMERA_FRAME_WIDTH, decodePixels, FrameReads, prepareDecoder, toPixels, toSvg } from "./qr";
import { FULL_READ_SHARE } from "./frame-reads.mjs";
import { downscale, random, render, scenes } from "../bench/scenes.mjs";

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


test("a camera frame the small read missed is read whole only within the full reads' share of the time", () => {
  const reads = new FrameReads();
  // A frame no wider than the small read's: nothing more to read.
  expect(reads.fullDue(0, CAMERA_FRAME_WIDTH)).toBe(false);
  expect(reads.fullDue(0, 1920)).toBe(true);
  // A full read of 20 ms: the next is due 80 ms after it began (a quarter of the camera's time).
  reads.fullDone(0, 20);
  expect(reads.fullDue(50, 1920)).toBe(false);
  expect(reads.fullDue(80, 1920)).toBe(true);
  expect(FULL_READ_SHARE).toBe(0.25);
});

test("a small code far in a 1080p frame: lost at 960 wide, read at full resolution (issue 21)", async () => {
  const text = "ethereum:0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35@8453/transfer?address=0x4242424242424242424242424242424242424242&uint256=125e16&order=A-1042";
  const look = { fill: 0.13, rotate: 0.2, tilt: 0.05, blur: 0, noise: 0.02, glare: 0, light: 235, dark: 25, background: 120, invert: false, screen: false };
  const [w, h] = [1920, 1080];
  const frame = render(text, look, w, h, random(42));
  const small = downscale(frame, w, h, CAMERA_FRAME_WIDTH);
  expect(await decodePixels(small.data, small.width, small.height)).toBeNull();
  expect(await decodePixels(frame, w, h)).toBe(text);
}, 30_000);
