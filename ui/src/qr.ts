// QR codes: decoding (camera frames and image files) with ZXing-C++ compiled to WebAssembly
// (zxing-wasm), and encoding (receive requests) with qrcode. ZXing was chosen over jsQR by
// measurement (bench/qr.mjs, BENCHMARKS.md): it reads more checkout codes as cameras see them
// (small, tilted, blurred, inverted) in less time per frame. Only a QR code that ZXing read whole
// (error correction passed) is returned: never a guess.
import { prepareZXingModule, readBarcodes, type ReaderOptions } from "zxing-wasm/reader";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";
import QRCode from "qrcode";
import { CAMERA_FRAME_WIDTH, FrameReads } from "./frame-reads.mjs";

export { CAMERA_FRAME_WIDTH, FrameReads };

/** How the app reads: QR codes only, dark on light or light on dark, at any angle. */
export const READER: ReaderOptions = {
  formats: ["QRCode"],
  tryHarder: true,
  tryInvert: true,
  tryRotate: true,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
  // The text as encoded, not ZXing's "human readable" rendering (which writes control characters as
  // <GS> and GS1 data with brackets).
  textMode: "Plain",
};

let prepared = false;

/**
 * Where the decoder's WebAssembly comes from: the app's own copy (never a CDN, which zxing-wasm
 * uses by default and the app's content policy forbids). Tests and benchmarks pass the bytes.
 */
export function prepareDecoder(wasmBinary?: ArrayBuffer) {
  prepareZXingModule({
    overrides: wasmBinary
      ? { wasmBinary }
      : { locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? wasmUrl : prefix + path) },
  });
  prepared = true;
}

/** The text of the QR code in an RGBA image, or null. */
export async function decodePixels(data: Uint8ClampedArray, width: number, height: number): Promise<string | null> {
  if (!prepared) prepareDecoder();
  const results = await readBarcodes({ data, width, height, colorSpace: "srgb" } as ImageData, READER);
  const found = results.find((r) => r.isValid && r.format === "QRCode");
  return found ? found.text : null;
}

/** Draws an image source onto a canvas (scaled down to at most `max` pixels a side) and decodes it. */
export async function decodeDrawable(
  source: CanvasImageSource,
  width: number,
  height: number,
  max = 1600,
): Promise<string | null> {
  const scale = Math.min(1, max / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(source, 0, 0, w, h);
  return decodePixels(ctx.getImageData(0, 0, w, h).data, w, h);
}

/**
 * Reads one camera frame: at CAMERA_FRAME_WIDTH, and when that finds nothing, again at the frame's
 * full resolution when `reads` says one is due (frame-reads.mjs: a small code far in the frame).
 */
export async function decodeCameraFrame(
  reads: FrameReads,
  source: CanvasImageSource,
  width: number,
  height: number,
  clock: () => number = () => performance.now(),
): Promise<string | null> {
  const text = await decodeDrawable(source, width, height, CAMERA_FRAME_WIDTH);
  if (text) return text;
  const full = Math.max(width, height);
  const start = clock();
  if (!reads.fullDue(start, full)) return null;
  const found = await decodeDrawable(source, width, height, full);
  reads.fullDone(start, clock());
  return found;
}

/** Decodes the QR code in an image file (PNG, JPEG, …). */
export async function decodeFile(file: Blob): Promise<string | null> {
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return await decodeDrawable(img, img.naturalWidth, img.naturalHeight);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A QR code of `text` as an SVG document string (our own generated markup, no user HTML). */
export function toSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/** The QR code of `text` as RGBA pixels (`scale` pixels per module, 4-module quiet zone). */
export function toPixels(text: string, scale = 4): { data: Uint8ClampedArray; width: number; height: number } {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const quiet = 4;
  const width = (n + quiet * 2) * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (!qr.modules.get(y, x)) continue;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const i = (((y + quiet) * scale + dy) * width + (x + quiet) * scale + dx) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
      }
    }
  }
  return { data, width, height: width };
}
