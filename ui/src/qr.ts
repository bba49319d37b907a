// QR codes: decoding (camera frames and image files, with jsQR) and encoding (receive requests,
// with qrcode). Pure functions over RGBA pixels, so they are tested without a browser canvas.
import jsQR from "jsqr";
import QRCode from "qrcode";

/** The text of the QR code in an RGBA image, or null. */
export function decodePixels(data: Uint8ClampedArray, width: number, height: number): string | null {
  const found = jsQR(data, width, height, { inversionAttempts: "attemptBoth" });
  return found ? found.data : null;
}

/** Draws an image source onto a canvas (scaled down to at most `max` pixels a side) and decodes it. */
export function decodeDrawable(
  source: CanvasImageSource,
  width: number,
  height: number,
  max = 1200,
): string | null {
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

/** Decodes the QR code in an image file (PNG, JPEG, …). */
export async function decodeFile(file: Blob): Promise<string | null> {
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return decodeDrawable(img, img.naturalWidth, img.naturalHeight);
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
