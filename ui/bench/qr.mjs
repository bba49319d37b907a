// The QR decoder benchmark (BENCHMARKS.md, "QR decoder"): jsQR against ZXing-C++ (zxing-wasm) on
// checkout codes as a camera sees them (bench/scenes.mjs), at the scene's own size and downscaled to
// the camera frame widths the app could read at. Reports, per decoder and size: codes read, wrong
// texts (must be 0), and the median and 95th-percentile time per frame.
//
//   node bench/qr.mjs [COUNT] [WIDTHxHEIGHT]      (from ui/; defaults: 200 scenes at 1280x720)
//   node bench/qr.mjs camera [COUNT]                (the camera loop: 960 wide, and the full-resolution
//                                                   fallback, on 1080p frames of both scene sets)
//
// With TENDER_QR_SAMPLES=DIR, also every PNG in DIR whose expected text is in a .txt beside it
// (the layout of zxing-cpp's test/samples/qrcode-*): public photos, when a copy is at hand.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import jsQR from "jsqr";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";
import { downscale, random, render, scenes } from "./scenes.mjs";
import { otherScenes, renderOther } from "./scenes-other.mjs";
import { CAMERA_FRAME_WIDTH, FrameReads } from "../src/frame-reads.mjs";

const require = createRequire(import.meta.url);
prepareZXingModule({ overrides: { wasmBinary: readFileSync(require.resolve("zxing-wasm/reader/zxing_reader.wasm")).buffer } });
const READER = { formats: ["QRCode"], tryHarder: true, tryInvert: true, tryRotate: true, tryDownscale: true, maxNumberOfSymbols: 1, textMode: "Plain" };

/**
 * The camera loop on 1080p frames (issue 21): each scene read as the app reads a frame, at
 * CAMERA_FRAME_WIDTH, then (when that missed) whole under the FrameReads policy. Per frame: codes read
 * each way and what a frame costs. Per second of camera time: codes read within the first second, and
 * how many frames a second the loop gets through while it finds nothing (the fallback's cost).
 */
async function cameraLoop(name, frames) {
  const decode = async (img) => (await readBarcodes(img, READER)).find((r) => r.isValid)?.text ?? null;
  await decode(frames[0].full);
  let small = 0, withFull = 0, wrong = 0, inSecond = 0;
  const smallTimes = [], fullTimes = [];
  let missTime = 0, missFrames = 0, missRateSmallOnly = 0, misses = 0;
  for (const { text, full } of frames) {
    const scaled = downscale(full.data, full.width, full.height, CAMERA_FRAME_WIDTH);
    let t0 = performance.now();
    const a = await decode(scaled);
    const tSmall = performance.now() - t0;
    smallTimes.push(tSmall);
    t0 = performance.now();
    const b = await decode(full);
    const tFull = performance.now() - t0;
    fullTimes.push(tFull);
    if ((a && a !== text) || (b && b !== text)) wrong++;
    if (a === text) small++;
    if (a === text || b === text) withFull++;
    // The loop on this scene for one second of camera time (the same frame over and over: a person
    // holding still), under the app's policy.
    const reads = new FrameReads();
    let clock = 0, found = false, n = 0;
    while (clock < 1000) {
      clock += tSmall;
      if (a === text) { found = true; break; }
      if (reads.fullDue(clock, full.width)) {
        reads.fullDone(clock, clock + tFull);
        clock += tFull;
        if (b === text) { found = clock <= 1000; break; }
      }
      n++;
      // The camera gives a new frame every 33 ms at most.
      clock = Math.ceil(clock / 33.3) * 33.3;
    }
    if (found) inSecond++;
    if (a !== text && b !== text) {
      missTime += clock; missFrames += n; misses++;
      missRateSmallOnly += 1000 / (Math.max(1, Math.ceil(tSmall / 33.3)) * 33.3);
    }
  }
  const pct = (x) => `${x}/${frames.length} (${((100 * x) / frames.length).toFixed(1)}%)`;
  return {
    set: name,
    "read at 960": pct(small),
    "read with fallback": pct(withFull),
    "read in 1 s of camera": pct(inSecond),
    wrong,
    "960 median ms": percentile(smallTimes, 0.5).toFixed(1),
    "full median ms": percentile(fullTimes, 0.5).toFixed(1),
    "full p95 ms": percentile(fullTimes, 0.95).toFixed(1),
    "frames/s missing, 960 only": misses ? (missRateSmallOnly / misses).toFixed(1) : "-",
    "frames/s missing, fallback": missTime ? ((1000 * missFrames) / missTime).toFixed(1) : "-",
  };
}

if (process.argv[2] === "camera") {
  const n = Number(process.argv[3] ?? 100);
  const [w, h] = [1920, 1080];
  const own = scenes(n).map((s) => ({ text: s.text, full: { data: render(s.text, s.look, w, h, random(s.seed)), width: w, height: h } }));
  const rows = [await cameraLoop(`bench/scenes.mjs, ${n} at ${w}x${h}`, own)];
  const other = otherScenes(n).map((s) => ({ text: s.text, full: { data: renderOther(s, w, h), width: w, height: h } }));
  rows.push(await cameraLoop(`bench/scenes-other.mjs, ${n} at ${w}x${h}`, other));
  console.table(rows);
  process.exit(0);
}

const count = Number(process.argv[2] ?? 200);
const [W, H] = (process.argv[3] ?? "1280x720").split("x").map(Number);

const decoders = {
  jsQR: async (img) => jsQR(img.data, img.width, img.height, { inversionAttempts: "attemptBoth" })?.data ?? null,
  ZXing: async (img) => (await readBarcodes(img, READER)).find((r) => r.isValid)?.text ?? null,
};

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

async function measure(name, images) {
  const rows = [];
  for (const [decoder, decode] of Object.entries(decoders)) {
    await decode(images[0].img); // warm up (the WebAssembly compiles once)
    let read = 0, wrong = 0;
    const times = [];
    const missed = [];
    for (const { img, text, kind } of images) {
      const t0 = performance.now();
      const got = await decode(img);
      times.push(performance.now() - t0);
      if (got === text) read++;
      else if (got != null) wrong++;
      else missed.push(kind);
    }
    rows.push({ set: name, decoder, read: `${read}/${images.length} (${((100 * read) / images.length).toFixed(1)}%)`, wrong, median_ms: percentile(times, 0.5).toFixed(2), p95_ms: percentile(times, 0.95).toFixed(2) });
    if (process.env.TENDER_QR_MISSED) console.error(decoder, name, "missed:", missed.join(" | "));
  }
  return rows;
}

const rows = [];
if (count > 0) {
  const set = scenes(count).map((s) => ({ text: s.text, kind: s.kind, img: { data: render(s.text, s.look, W, H, random(s.seed)), width: W, height: H } }));
  rows.push(...(await measure(`synthetic ${W}x${H}`, set)));
  for (const width of [960, 640]) {
    rows.push(...(await measure(`synthetic at ${width} wide`, set.map((s) => ({ ...s, img: downscale(s.img.data, W, H, width) })))));
  }
}

const samples = process.env.TENDER_QR_SAMPLES;
if (samples && existsSync(samples)) {
  const { PNG } = await import("pngjs").catch(() => ({ PNG: null }));
  if (PNG) {
    const images = [];
    for (const dir of readdirSync(samples).map((d) => join(samples, d))) {
      for (const f of readdirSync(dir).filter((f) => f.endsWith(".png"))) {
        const txt = join(dir, f.replace(/\.png$/, ".txt"));
        if (!existsSync(txt)) continue;
        const png = PNG.sync.read(readFileSync(join(dir, f)));
        images.push({ text: readFileSync(txt, "utf8"), kind: f, img: { data: new Uint8ClampedArray(png.data), width: png.width, height: png.height } });
      }
    }
    if (images.length) {
      rows.push(...(await measure("public samples, own size", images)));
      // The same photos as a camera frame the app reads (960 wide at most).
      const framed = images.map((i) => ({ ...i, img: downscale(i.img.data, i.img.width, i.img.height, 960) }));
      rows.push(...(await measure("public samples at 960 wide at most", framed)));
    }
  }
}

console.table(rows);
