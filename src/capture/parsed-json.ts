// The receiver parses a JSON body once (to mark one that is not valid JSON); what it found is kept
// here, with the body's bytes, so that job matching does not parse it again and the log can write
// it as it came (record-line.ts). Only bodies that are valid JSON text as they are (UTF-8, no byte
// order mark, no Content-Encoding) are kept; the value goes with the body.
//
// It is a hidden property of the Buffer rather than an entry of a WeakMap: a WeakMap keyed by every
// request's body costs the garbage collector more than the request's whole parse (each entry is
// kept until a full collection), and keeps the parsed values of bodies long gone in memory until then.

const PARSED = Symbol('parsed JSON');

type Known = Buffer & { [PARSED]?: unknown };

/** Remembers that `body`, as it is, is valid JSON text whose value is `value`. */
export function rememberJson(body: Buffer, value: unknown): void {
  // Not enumerable: the Buffer looks, prints and compares as it did.
  Object.defineProperty(body, PARSED, { value, writable: true, configurable: true });
}

/** True when `body` is known to be valid JSON text as it is. */
export function isKnownJson(body: Buffer): boolean {
  return PARSED in body;
}

/** The parsed value of a body known to be valid JSON; undefined otherwise. */
export function knownJson(body: Buffer): unknown {
  return (body as Known)[PARSED];
}
