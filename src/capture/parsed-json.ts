// The receiver parses a JSON body once (to mark one that is not valid JSON); what it found is kept
// here, keyed by the body's bytes, so that job matching does not parse it again and the log can
// write it as it came (record-line.ts). Only bodies that are valid JSON text as they are (UTF-8,
// no byte order mark, no Content-Encoding) are kept; the entry goes with the body.

const parsed = new WeakMap<Buffer, unknown>();

/** Remembers that `body`, as it is, is valid JSON text whose value is `value`. */
export function rememberJson(body: Buffer, value: unknown): void {
  parsed.set(body, value);
}

/** True when `body` is known to be valid JSON text as it is. */
export function isKnownJson(body: Buffer): boolean {
  return parsed.has(body);
}

/** The parsed value of a body known to be valid JSON; undefined otherwise. */
export function knownJson(body: Buffer): unknown {
  return parsed.get(body);
}
