// A password strength estimate for the meter: length and character variety, with penalties for
// repetition and for the most common passwords. The vault's real protection is Argon2id (Rust side),
// which also refuses passwords under 8 characters.

const COMMON = ["password", "12345678", "123456789", "qwerty", "letmein", "iloveyou", "admin", "welcome", "tender"];

export type Strength = { score: 0 | 1 | 2 | 3 | 4; bits: number };

export function strength(password: string): Strength {
  if (!password) return { score: 0, bits: 0 };
  let pool = 0;
  if (/[a-z]/.test(password)) pool += 26;
  if (/[A-Z]/.test(password)) pool += 26;
  if (/[0-9]/.test(password)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(password)) pool += 33;
  const unique = new Set(password).size;
  const effectiveLength = Math.min(password.length, unique * 2);
  let bits = effectiveLength * Math.log2(Math.max(pool, 1));
  const lower = password.toLowerCase();
  if (COMMON.some((c) => lower.includes(c))) bits = Math.min(bits, 20);
  bits = Math.round(bits);
  const score = password.length < 8 ? 0 : bits < 40 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
  return { score: score as Strength["score"], bits };
}
