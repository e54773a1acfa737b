import { isUtf8 } from 'node:buffer';
import { VIEW_BYTES } from '../capture/body-view.js';
import type { CapturedRequest } from '../capture/capture.js';
import { contentEncodings, decodeContent } from '../capture/content-encoding.js';
import { rememberJson } from '../capture/parsed-json.js';

type CheckedBody = Pick<CapturedRequest, 'body' | 'bodyDiscarded' | 'headers' | 'contentType'>;

/**
 * True when the request says its body is JSON and the body is not valid JSON: the "not valid JSON"
 * mark lists show. The receiver asks once, before the request is stored; a request whose
 * Content-Type is not JSON costs a string comparison and nothing more.
 *
 * The body is judged as the sender meant it: its Content-Encoding (gzip, deflate, br) is undone
 * first, as body-view.ts does, within the same VIEW_BYTES bound. A body that cannot be judged gets
 * no mark: over that bound (stored or decoded), a coding that fails or that hook-catch does not
 * know, or nested deeper than the parser goes. The mark means "looked at, and broken".
 */
export function isInvalidJson(request: CheckedBody): boolean {
  if (!isJsonType(request.contentType) || request.bodyDiscarded) return false;
  const { body } = request;
  if (body.length === 0 || body.length > VIEW_BYTES) return false;
  const encodings = contentEncodings(request.headers);
  const decoded = decodeContent(body, encodings, VIEW_BYTES);
  return decoded.bytes !== null && decoded.bytes.length > 0 && isBrokenJson(decoded.bytes, encodings.length === 0 ? body : null);
}

/** `application/json` or any `+json` type (`application/vnd.api+json`), parameters ignored, in any case. */
export function isJsonType(contentType: string | null): boolean {
  if (contentType === null) return false;
  if (contentType === 'application/json') return true; // what nearly every webhook says: no string is made
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.endsWith('+json') && type.includes('/'));
}

/**
 * JSON text must be UTF-8 (RFC 8259). A leading byte order mark, which the RFC lets parsers
 * ignore, is ignored. Only a syntax error counts as broken: any other error is the parser's limit.
 * A valid body sent as is (`stored`) is remembered with its value (parsed-json.ts).
 */
function isBrokenJson(bytes: Buffer, stored: Buffer | null): boolean {
  if (!isUtf8(bytes)) return true;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8', bom ? 3 : 0));
    if (stored && !bom) rememberJson(stored, value);
    return false;
  } catch (error) {
    return error instanceof SyntaxError;
  }
}
