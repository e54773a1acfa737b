import type { CapturedRequest } from './capture.js';
import { contentEncodings, decodeContent } from './content-encoding.js';
import { isKnownJson, knownJson } from './parsed-json.js';
import { formatBytes } from '../units.js';

// What a stored body says: job matching and `hook-catch show` read bodies through this. The receiver's
// hot path never does (it stores bytes as they came); nothing here changes the stored bytes.

/** How much of a body is looked into, after decompression. Bigger bodies are still stored whole. */
export const VIEW_BYTES = 1_000_000;
/**
 * A body over this is large: the receiver stores it as it came and looks into it only once its
 * sender was answered (receiver/late-check.ts), the log writes it unencoded when it can
 * (store/record-line.ts), and job matching tells it from others by a cheaper digest (jobs/delivery.ts).
 */
export const LARGE_BODY_BYTES = 64 * 1024;
/** Form fields read at most; the rest of a form is not looked into. */
export const VIEW_FIELDS = 20_000;

export interface BodyView {
  /** The codings the sender applied (`gzip`, `br`), in order; empty when it sent the body as is. */
  encodings: string[];
  /** The body as the sender meant it (stored bytes, Content-Encoding undone); null when that failed or was not tried. */
  bytes: Buffer | null;
  /** Why the body is not looked into, in words that follow "sent gzip-compressed, 312 B, but"; null otherwise. */
  problem: string | null;
  format: 'json' | 'form' | null;
  /** The parsed JSON, or a form as an object of its fields (a repeated name: the first counts); undefined otherwise. */
  value: unknown;
  /** A form's fields in order, repeats kept; a value that is JSON (GitHub's `payload=`) is parsed. */
  fields: [string, unknown][];
  /** A form had more than VIEW_FIELDS fields. */
  fieldsCut: boolean;
}

type StoredBody = Pick<CapturedRequest, 'body' | 'bodyDiscarded' | 'headers' | 'contentType'>;

/** Decodes and parses a stored body, within `maxBytes` (the compressed and the decoded size). */
export function viewBody(request: StoredBody, maxBytes = VIEW_BYTES): BodyView {
  const encodings = contentEncodings(request.headers);
  const view: BodyView = { encodings, bytes: null, problem: null, format: null, value: undefined, fields: [], fieldsCut: false };
  const { body } = request;
  if (request.bodyDiscarded || body.length === 0) return view;
  if (body.length > maxBytes) return { ...view, problem: `it is over ${formatBytes(maxBytes)}, more than hook-catch looks into` };
  const decoded = decodeContent(body, encodings, maxBytes);
  if (decoded.bytes === null) return { ...view, problem: decoded.problem };
  view.bytes = decoded.bytes;
  if (startsLikeJson(decoded.bytes)) {
    // Parsed by the receiver already when it said JSON; else: malformed, or nested deeper than the parser goes, is nothing to look into.
    const value = encodings.length === 0 && isKnownJson(body) ? knownJson(body) : parseJson(decoded.bytes.toString('utf8'));
    if (value !== undefined) Object.assign(view, { format: 'json', value });
    return view;
  }
  const declaredForm = isFormType(request.contentType);
  if (declaredForm || request.contentType === null) {
    const text = decoded.bytes.toString('utf8');
    if (declaredForm || FORM_SHAPE.test(text)) readForm(text, view);
  }
  return view;
}

/**
 * A body with no Content-Type is read as a form when it is shaped exactly like one (`a=1&b=2`, no
 * spaces or line breaks); any other declared type is taken at its word.
 */
const FORM_SHAPE = /^[\w.~%[\]-]+=[^\s&]*(?:&[\w.~%[\]-]+=[^\s&]*)*$/;

function isFormType(contentType: string | null): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

function readForm(text: string, view: BodyView): void {
  const { head, cut } = firstFields(text, VIEW_FIELDS);
  const value: Record<string, unknown> = Object.create(null);
  for (const [name, raw] of new URLSearchParams(head)) {
    const first = raw.trimStart()[0];
    const field = first === '{' || first === '[' ? (parseJson(raw) ?? raw) : raw;
    view.fields.push([name, field]);
    if (!(name in value)) value[name] = field;
  }
  Object.assign(view, { format: 'form', value, fieldsCut: cut });
}

/** The text up to its `max`-th field, so a form of a million empty fields costs no more than 20,000. */
function firstFields(text: string, max: number): { head: string; cut: boolean } {
  let at = -1;
  for (let n = 0; n < max; n++) {
    at = text.indexOf('&', at + 1);
    if (at === -1) return { head: text, cut: false };
  }
  return { head: text.slice(0, at), cut: true };
}

function startsLikeJson(bytes: Buffer): boolean {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b || bytes[i] === 0x5b; // { or [
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
