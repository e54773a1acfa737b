/**
 * What can be read of a request head from bytes node:http's parser refused: the request line and
 * the header lines, as far as they are well-formed. Nothing here trusts the bytes: what does not
 * read as HTTP is left out (the bytes themselves are kept as the refusal's body).
 */
export interface RawHead {
  /** The method token as sent (`FOO`, `post`), or null when the first bytes are not a request line. */
  method: string | null;
  /** The request target, printable characters only; null when unreadable. */
  url: string | null;
  /** `1.1` from `HTTP/1.1`; null when the line has no readable version. */
  httpVersion: string | null;
  /** Whole `name: value` lines up to the first one that is not (or the end of the bytes). */
  headers: [string, string][];
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]";
/** `METHOD target HTTP/x.y`; the target may hold spaces only when a version ends the line. */
const REQUEST_LINE = new RegExp(`^(${TOKEN}{1,32}) ([!-~][ !-~]*?)(?: HTTP/([0-9.]{1,5}))?$`);
/** A request line cut short by the end of the bytes (a target larger than they are). */
const REQUEST_LINE_START = new RegExp(`^(${TOKEN}{1,32}) ([!-~]+)`);
const HEADER_LINE = new RegExp(`^(${TOKEN}+):[ \\t]*(.*?)[ \\t]*$`);
/** Origin form (`/path`), absolute form (`https://…`), asterisk form, or authority form (`host:443`). */
const TARGET = /^(\/|\*$|[A-Za-z][A-Za-z0-9+.-]*:\/\/|[A-Za-z0-9.-]+:\d+$)/;

export function readRawHead(bytes: Buffer): RawHead {
  const text = bytes.toString('latin1');
  const head: RawHead = { method: null, url: null, httpVersion: null, headers: [] };
  const lines = text.split('\n');
  const complete = lines.length > 1;
  const first = lines[0]!.replace(/\r$/, '');
  const line = complete ? REQUEST_LINE.exec(first) : REQUEST_LINE_START.exec(first);
  const version = complete ? line?.[3] : undefined;
  // Without a version, a target with a space is no target: "Bad Header: x" is not a request line.
  if (!line || (!version && (/ /.test(line[2]!) || !TARGET.test(line[2]!)))) return head;
  head.method = line[1]!;
  head.url = line[2]!;
  head.httpVersion = version ?? null;
  // The last piece has no line end: it was cut short, so it is left out.
  for (const raw of lines.slice(1, -1)) {
    const header = HEADER_LINE.exec(raw.replace(/\r$/, ''));
    if (!header) break;
    head.headers.push([header[1]!, header[2]!]);
  }
  return head;
}
