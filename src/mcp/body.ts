import { isUtf8 } from 'node:buffer';
import { decodeBody, type EncodedBody } from '../capture/encoded-body.js';
import { contentEncodings, decodeContent } from '../capture/content-encoding.js';
import { DEFAULTS } from '../defaults.js';
import { formatBytes } from '../units.js';

// A body as a tool returns it: text, sized for a model's context (DEFAULTS.mcpBodyChars at most,
// with where it was cut and how to read on), never raw bytes. A compressed body is shown as its
// sender meant it (gzip, deflate, br undone).

/** Most bytes a compressed body is decompressed to for a tool (a body stored is at most --max-body; this bounds what it unpacks to). */
const DECODED_BYTES = 100_000_000;

export interface BodyText {
  contentType: string | null;
  /** Bytes stored (as sent, compressed or not). */
  size: number;
  /** The text from `offset`; absent for a binary body, one not kept, or an empty one. */
  text?: string;
  /** Where `text` starts, in characters of the whole text; present when the text was cut or read from an offset. */
  offset?: number;
  /** Characters in the whole text, when `text` is only part of it. */
  totalChars?: number;
  /** Why there is no text, or that it is cut and how to read on; absent when `text` is all of it. */
  note?: string;
}

interface StoredBody extends EncodedBody {
  contentType: string | null;
  headers: [string, string][];
  bodyDiscarded?: boolean;
}

/** How much of a body to return: from `offset` (characters), at most `limit` characters. */
export interface Window {
  offset?: number;
  limit?: number;
}

/** `body`'s text within `window`; `readOn(offset)` says, in a sentence, how to read the rest from `offset`. */
export function bodyText(body: StoredBody, readOn: (offset: number) => string, window: Window = {}): BodyText {
  const bytes = decodeBody(body);
  const out: BodyText = { contentType: body.contentType, size: bytes.length };
  if (body.bodyDiscarded) return { ...out, note: 'Not kept: it was larger than --max-body, and was answered 413.' };
  if (bytes.length === 0) return { ...out, text: '' };
  const encodings = contentEncodings(body.headers);
  const coded = encodings.length ? `sent ${encodings.join(', ')}-compressed, ` : '';
  const decoded = encodings.length ? decodeContent(bytes, encodings, DECODED_BYTES) : { bytes, problem: null };
  if (decoded.bytes === null) return { ...out, note: `Not shown: ${coded}but ${decoded.problem}.` };
  const meant = decoded.bytes;
  if (!isText(meant)) {
    return { ...out, note: `Binary body (${body.contentType ?? 'no Content-Type'}, ${coded}${formatBytes(meant.length)}): not shown as text.` };
  }
  const text = meant.toString('utf8');
  const offset = Math.min(Math.max(0, window.offset ?? 0), text.length);
  const limit = Math.max(1, Math.min(window.limit ?? DEFAULTS.mcpBodyChars, DEFAULTS.mcpBodyChars));
  const end = Math.min(text.length, offset + limit);
  if (offset === 0 && end === text.length) return { ...out, text, ...(coded && { note: `Shown decompressed (${coded.slice(0, -2)}).` }) };
  const rest = end < text.length ? ` ${readOn(end)}` : ' That is the end.';
  return {
    ...out,
    text: text.slice(offset, end),
    offset,
    totalChars: text.length,
    note: `Characters ${offset} to ${end} of ${text.length} (${formatBytes(bytes.length)}${coded ? `, ${coded.slice(0, -2)}` : ''}).${rest}`,
  };
}

/** Text a model can read: valid UTF-8 without NUL or other control bytes but tab, line breaks and form feed. */
function isText(bytes: Buffer): boolean {
  if (!isUtf8(bytes)) return false;
  for (const byte of bytes) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
  return true;
}
