import { createHmac, timingSafeEqual } from 'node:crypto';

// What the schemes share: reading headers, an HMAC over parts, a constant-time comparison, and
// putting new signature headers where the old ones were.

/** The first value of a header (any case), or undefined. */
export function headerValue(headers: [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

export function hmac(algorithm: 'sha256' | 'sha1', secret: string | Buffer | Uint8Array, ...parts: (string | Buffer)[]): Buffer {
  const h = createHmac(algorithm, secret);
  for (const part of parts) h.update(part);
  return h.digest();
}

/** Constant-time equality of two byte strings (false when their lengths differ). */
export function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Decodes a hex or base64 digest (the encoding told apart by the digest's length); null when it is neither. */
export function decodeDigest(text: string, bytes: number): Buffer | null {
  const value = text.trim();
  if (value.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const decoded = Buffer.from(value, 'base64');
    if (decoded.length === bytes) return decoded;
  }
  return null;
}

/**
 * `headers` with each of `set` replacing the first header of its name (where it was; later ones of
 * that name dropped), or added at the end.
 */
export function withHeaders(headers: [string, string][], set: [string, string][]): [string, string][] {
  const wanted = new Map(set.map(([name, value]) => [name.toLowerCase(), [name, value] as [string, string]]));
  const out: [string, string][] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const replacement = wanted.get(lower);
    if (!replacement) {
      if (!set.some(([n]) => n.toLowerCase() === lower)) out.push([name, value]);
      continue;
    }
    out.push([name, replacement[1]]);
    wanted.delete(lower);
  }
  for (const pair of wanted.values()) out.push(pair);
  return out;
}

/** The `key=value` parts of a header such as Stripe's `t=…,v1=…` or Paddle's `ts=…;h1=…`, trimmed, in order. */
export function keyValues(value: string, separator: string): [string, string][] {
  return value.split(separator).map((part) => {
    const at = part.indexOf('=');
    return at === -1 ? [part.trim(), ''] : [part.slice(0, at).trim(), part.slice(at + 1).trim()];
  });
}

/** Unix seconds of an epoch-ms time. */
export const unixSeconds = (ms: number) => Math.floor(ms / 1000);
