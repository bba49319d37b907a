// Checkout QR codes as a phone or laptop camera sees them: shown on a screen or printed, small in the
// frame, rotated, tilted, blurred, noisy, dim, glared, inverted (a dark-theme checkout). Each scene
// is made from a known text by a seeded generator (the same set on every machine), so a decoder's
// answer can be checked letter for letter. Pure JavaScript over grey pixels: no canvas, no network.
import QRCode from "qrcode";

/** A seeded pseudo-random generator (mulberry32): the same scenes on every run. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The texts checkout QR codes carry: shop payment links (gasless x402) and EIP-681 requests. */
export function checkoutTexts(rand, n) {
  const hex = (len) => Array.from({ length: len }, () => "0123456789abcdef"[Math.floor(rand() * 16)]).join("");
  const out = [];
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0: out.push(`http://127.0.0.1:${40000 + Math.floor(rand() * 20000)}/pay/${i}`); break;
      case 1: out.push(`https://checkout.shop-${hex(4)}.example/pay/${hex(24)}`); break;
      case 2: out.push(`ethereum:0x${hex(40)}@31337?value=${1 + Math.floor(rand() * 99)}e15&label=Corner%20Shop&order=A-${1000 + i}`); break;
      default: out.push(`ethereum:0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35@8453/transfer?address=0x${hex(40)}&uint256=${1 + Math.floor(rand() * 999)}e16&label=Store&order=${hex(12)}`);
    }
  }
  return out;
}

/** The code of `text` as modules (true: dark), with a 4-module quiet zone. */
function modules(text) {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const size = n + 8;
  return { size, dark: (x, y) => x >= 4 && y >= 4 && x < n + 4 && y < n + 4 && qr.modules.get(y - 4, x - 4) === 1 };
}

/** The 3×3 homography taking the unit square's corners to `quad` (four [x, y], clockwise from top left). */
function squareToQuad(quad) {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = quad;
  const dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
  const dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
  const det = dx1 * dy2 - dx2 * dy1;
  const g = (dx3 * dy2 - dx2 * dy3) / det;
  const h = (dx1 * dy3 - dx3 * dy1) / det;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

function invert3(m) {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

function boxBlur(grey, w, h, r) {
  if (r < 1) return grey;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  const span = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    let sum = 0;
    for (let x = -r; x <= r; x++) sum += grey[y * w + Math.min(w - 1, Math.max(0, x))];
    for (let x = 0; x < w; x++) {
      tmp[y * w + x] = sum / span;
      sum += grey[y * w + Math.min(w - 1, x + r + 1)] - grey[y * w + Math.max(0, x - r)];
    }
  }
  for (let x = 0; x < w; x++) {
    let sum = 0;
    for (let y = -r; y <= r; y++) sum += tmp[Math.min(h - 1, Math.max(0, y)) * w + x];
    for (let y = 0; y < h; y++) {
      out[y * w + x] = sum / span;
      sum += tmp[Math.min(h - 1, y + r + 1) * w + x] - tmp[Math.max(0, y - r) * w + x];
    }
  }
  return out;
}

/**
 * One scene: the code of `text` in a `width`×`height` frame as a camera sees it, by `look` (from
 * `scene`'s kinds). Returns RGBA pixels.
 */
export function render(text, look, width, height, rand) {
  const code = modules(text);
  const cos = Math.cos(look.rotate), sin = Math.sin(look.rotate);
  const dx = rand() - 0.5, dy = rand() - 0.5;
  // The code's corners: rotated, then tilted (one edge nearer the camera), unit square → frame. A
  // person aims at the code: it is shrunk until all of it is in the frame.
  let side = look.fill * Math.min(width, height);
  let corners;
  for (;;) {
    const cx = width / 2 + dx * (width - side) * 0.5;
    const cy = height / 2 + dy * (height - side) * 0.5;
    corners = [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([u, v]) => {
      const near = 1 + look.tilt * (v > 0 ? 1 : -1) * 0.5;
      const x = (u * near * side) / 2, y = (v * side) / 2;
      return [cx + x * cos - y * sin, cy + x * sin + y * cos];
    });
    if (corners.every(([x, y]) => x >= 4 && y >= 4 && x <= width - 4 && y <= height - 4)) break;
    side *= 0.95;
  }
  const inverse = invert3(squareToQuad(corners));
  const [paper, ink] = look.invert ? [look.dark, look.light] : [look.light, look.dark];
  let grey = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const z = inverse[6] * x + inverse[7] * y + inverse[8];
      const u = (inverse[0] * x + inverse[1] * y + inverse[2]) / z;
      const v = (inverse[3] * x + inverse[4] * y + inverse[5]) / z;
      let value;
      if (u >= 0 && u < 1 && v >= 0 && v < 1) {
        value = code.dark(Math.floor(u * code.size), Math.floor(v * code.size)) ? ink : paper;
        // A screen's pixel grid beating with the camera's (moiré), on screens only.
        if (look.screen) value *= 0.9 + 0.1 * Math.sin((x * 0.9 + y * 0.35) * 1.7) * Math.sin(y * 1.3);
      } else {
        value = look.background;
      }
      // Glare: a bright band across the frame.
      value += look.glare * 255 * Math.exp(-(((x - width * 0.7) / (width * 0.25)) ** 2));
      grey[y * width + x] = value;
    }
  }
  grey = boxBlur(boxBlur(grey, width, height, look.blur), width, height, look.blur);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const noisy = grey[i] + look.noise * (rand() + rand() + rand() - 1.5) * 2 * 255;
    out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = noisy;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/**
 * The scenes of the benchmark and its test: `count` codes (`seed` decides texts and looks), from
 * easy (a code filling a sharp frame) to hard (small, tilted, blurred, noisy, dim, inverted).
 */
export function scenes(count, seed = 681) {
  const rand = random(seed);
  const texts = checkoutTexts(rand, count);
  return texts.map((text, i) => {
    const hard = i / Math.max(1, count - 1);
    const look = {
      fill: 0.85 - hard * 0.6 + (rand() - 0.5) * 0.1,
      rotate: (rand() - 0.5) * Math.PI * (i % 3 === 0 ? 2 : 0.4),
      tilt: rand() * 0.35 * hard,
      blur: Math.round(rand() * 2 * hard),
      noise: rand() * 0.08 * hard,
      glare: i % 5 === 0 ? rand() * 0.35 : 0,
      light: i % 7 === 0 ? 150 : 235,
      dark: i % 7 === 0 ? 60 : 25,
      background: 60 + rand() * 120,
      invert: i % 6 === 5,
      screen: i % 2 === 0,
    };
    const kind = [look.invert && "inverted", look.screen ? "screen" : "print", look.tilt > 0.15 && "tilted", look.blur > 0 && "blurred", look.fill < 0.4 && "small", look.glare > 0 && "glare", look.light < 200 && "dim"].filter(Boolean).join(", ");
    return { text, look, kind, seed: seed * 1000 + i };
  });
}

/** Area-average downscale of RGBA `data` (w×h) to width `tw`. */
export function downscale(data, w, h, tw) {
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
