import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { formatBytes } from '../units.js';

/** A body with its Content-Encoding undone, or why it could not be, in words that follow "sent gzip-compressed, 312 B, but". */
export type Decoded = { bytes: Buffer; problem: null } | { bytes: null; problem: string };

type Decoder = (body: Buffer, maxOutputLength: number) => Buffer;

const gunzip: Decoder = (body, maxOutputLength) => gunzipSync(body, { maxOutputLength });
const DECODERS = new Map<string, Decoder>([
  ['gzip', gunzip],
  ['x-gzip', gunzip],
  // Senders disagree on what "deflate" means: zlib-wrapped (as the HTTP spec says) or raw.
  ['deflate', (body, maxOutputLength) => (isZlibWrapped(body) ? inflateSync : inflateRawSync)(body, { maxOutputLength })],
  ['br', (body, maxOutputLength) => brotliDecompressSync(body, { maxOutputLength })],
]);

/** The codings a sender applied, in the order applied (`Content-Encoding: gzip, br`), lower case, `identity` left out. */
export function contentEncodings(headers: [string, string][]): string[] {
  const codings: string[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'content-encoding') continue;
    for (const part of value.split(',')) {
      const coding = part.trim().toLowerCase();
      if (coding && coding !== 'identity') codings.push(coding);
    }
  }
  return codings;
}

/**
 * Undoes `codings`, the last applied first. No step may produce more than `maxBytes`: a zip bomb
 * stops there (and is not looked into) after about that much work.
 */
export function decodeContent(body: Buffer, codings: string[], maxBytes: number): Decoded {
  let bytes = body;
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!;
    const decode = DECODERS.get(coding);
    if (!decode) return { bytes: null, problem: `hook-catch does not decode "${coding}"` };
    try {
      bytes = decode(bytes, maxBytes);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const problem =
        code === 'ERR_BUFFER_TOO_LARGE'
          ? `decoded it is over ${formatBytes(maxBytes)}, more than hook-catch looks into`
          : `it does not decode as ${coding}: ${(error as Error).message}`;
      return { bytes: null, problem };
    }
  }
  return { bytes, problem: null };
}

/** A zlib header: compression method 8 and a check value that makes the first two bytes a multiple of 31. */
function isZlibWrapped(body: Buffer): boolean {
  return body.length >= 2 && (body[0]! & 0x0f) === 8 && ((body[0]! << 8) | body[1]!) % 31 === 0;
}
