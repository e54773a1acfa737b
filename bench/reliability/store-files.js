// Reads a store's request log straight from its files (<dir>/requests/*.jsonl), with no hook-catch
// code: what is in the files is what a 2xx promised. Each request line is parsed whole; a line that
// does not parse is counted (a torn write), a tombstone removes its request. A body is either
// `"bodyEncoding":"utf8"|"base64","body":"…"` or, for a JSON body kept as it came, `"bodyJson":…`:
// then its bytes are the line's, from after the field name to the closing brace (docs/store.md).
// A large body kept as it came, unparsed, has its length in the head (`"bodyLength":n`): its line is
// JSON only when the body is, so the head (up to `,"bodyJson":`) is parsed, and the body taken by
// its length.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha1 } from './rng.js';

const BODY_JSON = Buffer.from(',"bodyJson":');

/**
 * Map of id -> `{method, url, path, status, bodySha1, bodySize, headersSha1}` for every request
 * in the files, and how many lines did not parse. `select(record)` may skip records (return false).
 */
export function readStoreFiles(dir, select = () => true) {
  const folder = join(dir, 'requests');
  const requests = new Map();
  let badLines = 0;
  let lines = 0;
  const segments = existsSync(folder)
    ? readdirSync(folder)
        .filter((n) => /^\d{8}\.jsonl$/.test(n))
        .sort()
    : [];
  for (const name of segments) {
    const data = readFileSync(join(folder, name));
    let start = 0;
    while (start < data.length) {
      let end = data.indexOf(0x0a, start);
      if (end === -1) end = data.length;
      if (end > start) {
        lines++;
        const value = parseLine(data, start, end);
        if (!value) badLines++;
        if (value && typeof value.deleted === 'string') requests.delete(value.deleted);
        else if (value && typeof value.id === 'string' && ('bodyJson' in value || typeof value.body === 'string') && select(value)) {
          // Quotes inside the head's strings are escaped: the first `,"bodyJson":` of a line is the field.
          const body =
            'bodyJson' in value
              ? data.subarray(data.indexOf(BODY_JSON, start) + BODY_JSON.length, end - 1)
              : Buffer.from(value.body, value.bodyEncoding === 'base64' ? 'base64' : 'utf8');
          requests.set(value.id, {
            method: value.method,
            url: value.url,
            path: value.path,
            status: value.response?.status,
            bodyForm: 'bodyLength' in value ? 'raw' : 'bodyJson' in value ? 'json' : value.bodyEncoding,
            bodySha1: sha1(body),
            bodySize: body.length,
            headersSha1: sha1(JSON.stringify(value.headers ?? [])),
          });
        }
      }
      start = end + 1;
    }
  }
  const damagedFolder = join(dir, 'damaged');
  const damaged = existsSync(damagedFolder) ? readdirSync(damagedFolder).length : 0;
  return { requests, badLines, lines, segments: segments.length, damaged };
}

/** A line as JSON; one whose head gives its body's length is whole when its body is that long, closed with `}`. */
function parseLine(data, start, end) {
  const at = data.indexOf(BODY_JSON, start);
  if (at !== -1 && at < end) {
    const head = parseJson(`${data.toString('utf8', start, at)}}`);
    if (head && 'bodyLength' in head)
      return head.bodyLength === end - 1 - (at + BODY_JSON.length) && data[end - 1] === 0x7d ? { ...head, bodyJson: null } : null;
  }
  return parseJson(data.toString('utf8', start, end));
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
