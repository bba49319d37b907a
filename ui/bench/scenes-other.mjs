// A second set of checkout codes as cameras see them, made differently from bench/scenes.mjs (whose
// scenes the reader's settings were chosen on): a phone's 1080p frame, the code drawn with smooth
// (supersampled) edges under a lens's barrel distortion, moved while the shutter was open (motion blur
// along a random direction), out of focus (a near-Gaussian blur), lit unevenly with a darker rim
// (vignetting), with sensor noise that grows in the dark, and saved the way cameras save (JPEG's 8×8
// DCT quantisation). Different error-correction levels (L, M, Q) and texts of other shapes.
import QRCode from "qrcode";
import { random } from "./scenes.mjs";

const LEVELS = ["L", "M", "Q"];

/** Texts as other shops write them: upper-case hosts, query strings, longer paths. */
function texts(rand, n) {
  const hex = (len) => Array.from({ length: len }, () => "0123456789ABCDEFabcdef"[Math.floor(rand() * 22)]).join("");
  const out = [];
  for (let i = 0; i < n; i++) {
    switch (i % 3) {
      case 0: out.push(`https://PAY.RETAIL-${hex(3)}.EXAMPLE/checkout/${hex(10)}?store=${100 + i}&lane=${i % 9}`); break;
      case 1: out.push(`ethereum:pay-0x${hex(40)}@1?value=${(1 + rand() * 9).toFixed(3)}e18`); break;
      default: out.push(`ethereum:0x${hex(40)}@137/transfer?address=0x${hex(40)}&uint256=${Math.floor(rand() * 1e6)}&order=${hex(6)}-${i}`);
    }
  }
  return out;
}

function blurLine(src, w, h, dx, dy, len) {
  // Motion blur: the mean of `len` samples along (dx, dy).
  if (len < 2) return src;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let k = 0; k < len; k++) {
        const t = k - (len - 1) / 2;
        const xx = Math.min(w - 1, Math.max(0, Math.round(x + dx * t)));
        const yy = Math.min(h - 1, Math.max(0, Math.round(y + dy * t)));
        sum += src[yy * w + xx];
      }
      out[y * w + x] = sum / len;
    }
  }
  return out;
}

function boxPass(src, w, h, r, horizontal) {
  const out = new Float32Array(w * h);
  const n = horizontal ? w : h, m = horizontal ? h : w;
  for (let j = 0; j < m; j++) {
    const at = (i) => (horizontal ? j * w + Math.min(n - 1, Math.max(0, i)) : Math.min(n - 1, Math.max(0, i)) * w + j);
    let sum = 0;
    for (let i = -r; i <= r; i++) sum += src[at(i)];
    for (let i = 0; i < n; i++) {
      out[horizontal ? j * w + i : i * w + j] = sum / (2 * r + 1);
      sum += src[at(i + r + 1)] - src[at(i - r)];
    }
  }
  return out;
}

/** Defocus: three box passes each way, close to a Gaussian. */
function defocus(src, w, h, r) {
  let g = src;
  for (let k = 0; k < 3 && r > 0; k++) g = boxPass(boxPass(g, w, h, r, true), w, h, r, false);
  return g;
}

const COS = Array.from({ length: 8 }, (_, x) => Array.from({ length: 8 }, (_, u) => Math.cos(((2 * x + 1) * u * Math.PI) / 16)));
const Q50 = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99];

/** JPEG's loss: each 8×8 block's DCT quantised with the standard luminance table at `quality`. */
function jpeg(src, w, h, quality) {
  const scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
  const q = Q50.map((v) => Math.max(1, Math.floor((v * scale + 50) / 100)));
  const out = new Float32Array(src);
  const c = (u) => (u === 0 ? Math.SQRT1_2 : 1);
  const block = new Float32Array(64), coef = new Float32Array(64);
  for (let by = 0; by + 8 <= h; by += 8) {
    for (let bx = 0; bx + 8 <= w; bx += 8) {
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) block[y * 8 + x] = src[(by + y) * w + bx + x] - 128;
      for (let v = 0; v < 8; v++) {
        for (let u = 0; u < 8; u++) {
          let s = 0;
          for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) s += block[y * 8 + x] * COS[x][u] * COS[y][v];
          const f = 0.25 * c(u) * c(v) * s;
          coef[v * 8 + u] = Math.round(f / q[v * 8 + u]) * q[v * 8 + u];
        }
      }
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          let s = 0;
          for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) s += c(u) * c(v) * coef[v * 8 + u] * COS[x][u] * COS[y][v];
          out[(by + y) * w + bx + x] = 0.25 * s + 128;
        }
      }
    }
  }
  return out;
}

/** One frame (RGBA, `width`×`height`) of `scene`. */
export function renderOther(scene, width, height) {
  const rand = random(scene.seed);
  const look = scene.look;
  const qr = QRCode.create(scene.text, { errorCorrectionLevel: look.level });
  const n = qr.modules.size, size = n + 8;
  const side = look.fill * Math.min(width, height);
  const cx = width / 2 + (rand() - 0.5) * (width - side * 1.5) * 0.5, cy = height / 2 + (rand() - 0.5) * (height - side * 1.5) * 0.5;
  const cos = Math.cos(look.rotate), sin = Math.sin(look.rotate);
  const dark = (u, v) => {
    const mx = Math.floor(u * size) - 4, my = Math.floor(v * size) - 4;
    return mx >= 0 && my >= 0 && mx < n && my < n && qr.modules.get(my, mx) === 1;
  };
  const grey = new Float32Array(width * height);
  const r0 = Math.hypot(width, height) / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Barrel distortion about the frame's centre, then the code's own rotation; 2×2 samples a pixel.
      let sum = 0;
      for (const [ox, oy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) {
        let px = x + ox - width / 2, py = y + oy - height / 2;
        const k = 1 + look.barrel * ((px * px + py * py) / (r0 * r0));
        px = px * k + width / 2 - cx;
        py = py * k + height / 2 - cy;
        const u = (px * cos + py * sin) / side + 0.5, v = (-px * sin + py * cos) / side + 0.5;
        sum += u >= 0 && u < 1 && v >= 0 && v < 1 ? (dark(u, v) ? look.ink : look.paper) : look.background;
      }
      // Light falls off towards the rim, and from one side.
      const rim = 1 - look.vignette * (((x - width / 2) ** 2 + (y - height / 2) ** 2) / (r0 * r0));
      const side_ = 1 - look.gradient * (x / width);
      grey[y * width + x] = (sum / 4) * rim * side_;
    }
  }
  let g = blurLine(grey, width, height, Math.cos(look.motionAngle), Math.sin(look.motionAngle), look.motion);
  g = defocus(g, width, height, look.defocus);
  for (let i = 0; i < g.length; i++) g[i] += (rand() + rand() + rand() + rand() - 2) * look.noise * (1 + (255 - g[i]) / 255) * 40;
  g = jpeg(g, width, height, look.quality);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = g[i];
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** `count` scenes (`seed` decides texts and looks), from easy to hard. */
export function otherScenes(count, seed = 402) {
  const rand = random(seed);
  return texts(rand, count).map((text, i) => {
    const hard = i / Math.max(1, count - 1);
    const look = {
      level: LEVELS[i % 3],
      fill: 0.6 - hard * 0.48 + (rand() - 0.5) * 0.06,
      rotate: (rand() - 0.5) * Math.PI * 2,
      barrel: rand() * 0.12,
      motion: Math.round(rand() * 4 * hard),
      motionAngle: rand() * Math.PI,
      defocus: Math.round(rand() * 1.5 * hard),
      vignette: rand() * 0.5,
      gradient: rand() * 0.4,
      noise: rand() * 0.6 * hard,
      quality: Math.round(85 - hard * 50),
      paper: 200 + rand() * 50,
      ink: 20 + rand() * 40,
      background: 40 + rand() * 150,
    };
    const kind = [`EC ${look.level}`, look.fill < 0.3 && "small", look.motion > 1 && "moved", look.defocus > 0 && "out of focus", `JPEG ${look.quality}`].filter(Boolean).join(", ");
    return { text, look, kind, seed: seed * 1000 + i };
  });
}
