// The QR decoder benchmark (BENCHMARKS.md, "QR decoder"): jsQR against ZXing-C++ (zxing-wasm) on
// checkout codes as a camera sees them (bench/scenes.mjs), at the scene's own size and downscaled to
// the camera frame widths the app could read at. Reports, per decoder and size: codes read, wrong
// texts (must be 0), and the median and 95th-percentile time per frame.
//
//   node bench/qr.mjs [COUNT] [WIDTHxHEIGHT]      (from ui/; defaults: 200 scenes at 1280x720)
//
// With TENDER_QR_SAMPLES=DIR, also every PNG in DIR whose expected text is in a .txt beside it
// (the layout of zxing-cpp's test/samples/qrcode-*): public photos, when a copy is at hand.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import jsQR from "jsqr";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";
import { random, render, scenes } from "./scenes.mjs";

const require = createRequire(import.meta.url);
prepareZXingModule({ overrides: { wasmBinary: readFileSync(require.resolve("zxing-wasm/reader/zxing_reader.wasm")).buffer } });
const READER = { formats: ["QRCode"], tryHarder: true, tryInvert: true, tryRotate: true, tryDownscale: true, maxNumberOfSymbols: 1, textMode: "Plain" };

const count = Number(process.argv[2] ?? 200);
const [W, H] = (process.argv[3] ?? "1280x720").split("x").map(Number);

/** Area-average downscale of RGBA `data` (w×h) to width `tw`. */
function downscale(data, w, h, tw) {
  if (tw >= w) return { data, width: w, height: h };
  const th = Math.round((h * tw) / w);
  const out = new Uint8ClampedArray(tw * th * 4);
  const sx = w / tw, sy = h / th;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      let sum = 0, n = 0;
      for (let yy = Math.floor(y * sy); yy < Math.floor((y + 1) * sy); yy++) {
        for (let xx = Math.floor(x * sx); xx < Math.floor((x + 1) * sx); xx++) {
          const p = (yy * w + xx) * 4;
          sum += 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
          n++;
        }
      }
      const i = (y * tw + x) * 4;
      out[i] = out[i + 1] = out[i + 2] = sum / n;
      out[i + 3] = 255;
    }
  }
  return { data: out, width: tw, height: th };
}

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
