// A small seeded random generator (sfc32), so that every run with the same seed sends the same bytes.
import { createHash } from 'node:crypto';

/** A generator for `seed` and any labels (a part's name, a case number): each label gives its own stream. */
export function rngFor(seed, ...labels) {
  const h = createHash('sha256')
    .update([seed, ...labels].join('\0'))
    .digest();
  let a = h.readUInt32LE(0);
  let b = h.readUInt32LE(4);
  let c = h.readUInt32LE(8);
  let d = h.readUInt32LE(12);
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const rng = {
    /** A float in [0, 1). */
    next,
    /** A whole number in [min, max]. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    /** True with probability p. */
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
    /** One of `[weight, value]` pairs, by weight. */
    weighted: (pairs) => {
      let r = next() * pairs.reduce((sum, [w]) => sum + w, 0);
      for (const [w, value] of pairs) if ((r -= w) < 0) return value;
      return pairs[pairs.length - 1][1];
    },
    /** `n` random bytes (an extendable hash of the next draw: fast for large bodies). */
    bytes: (n) => (n === 0 ? Buffer.alloc(0) : createHash('shake256', { outputLength: n }).update(String(next())).digest()),
    /** `n` characters from `alphabet`. */
    text: (n, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789') => {
      const chars = Array.from(alphabet);
      const picks = rng.bytes(n);
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = chars[picks[i] % chars.length];
      return out.join('');
    },
  };
  return rng;
}

/** A fresh seed when none is given: a short number, easy to copy into RELIABILITY_SEED. */
export function newSeed() {
  return String(Math.floor(Math.random() * 1e9));
}

export const sha1 = (buffer) => createHash('sha1').update(buffer).digest('hex');
