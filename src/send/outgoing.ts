import type { CapturedRequest } from '../capture/capture.js';
import type { Edits, SentRequest } from '../capture/records.js';

/** Headers that belong to one connection, not to the request: never sent on (RFC 9110 §7.6.1), nor Host. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
]);

/** True for a header that describes a connection rather than a message (never passed on). */
export function isHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name.toLowerCase());
}

/** A request ready to send: where to, and the exact method, headers and body. */
export interface Outgoing {
  url: URL;
  method: string;
  headers: [string, string][];
  body: Buffer;
  /** The path and query as captured (or as edited), before it was put below the target's path. */
  path: string;
  /** True when anything differs from the capture. */
  edited: boolean;
}

/**
 * A capture as it is sent again to `target`: the same method, the captured path and query below
 * the target's path, the same headers in the same order (less hop-by-hop ones, and Host, which
 * names the target unless an edit sets it: an app behind a virtual host may need its own name),
 * and the exact body bytes. Content-Length is always counted from the bytes sent, whatever the
 * stored headers say: a fixture edited by hand may say 5 bytes and hold 61, and the app must read
 * exactly what is sent.
 */
export function outgoing(request: CapturedRequest, target: URL, edits: Edits = {}): Outgoing {
  const body = edits.body ?? request.body;
  const headers = editedHeaders(request.headers, edits);
  const method = edits.method ?? request.method;
  const path = edits.path ?? request.url;
  const sent = framed(headers, body, method, hostSet(request.headers, edits) ?? target.host);
  // Edited when what goes out differs from what the capture alone would send (an edit that changes nothing is none).
  const edited =
    Object.keys(edits).length > 0 &&
    (method !== request.method ||
      path !== request.url ||
      !body.equals(request.body) ||
      !samePairs(sent, framed(request.headers, request.body, request.method, target.host)));
  return { url: joinTarget(target, path), method, headers: sent, body, path, edited };
}

/** The captured headers replaced, set and removed as the edits say. */
function editedHeaders(captured: [string, string][], edits: Edits): [string, string][] {
  let headers = edits.headers ?? captured;
  if (edits.setHeaders?.length) headers = setAll(headers, edits.setHeaders);
  if (edits.removeHeaders?.length) {
    const removed = new Set(edits.removeHeaders.map((name) => name.toLowerCase()));
    headers = headers.filter(([name]) => !removed.has(name.toLowerCase()));
  }
  return headers;
}

/**
 * The Host a user asked for: one set by name (`--set-header Host: app.test`), or one changed in a
 * full header list (the page's dialog sends the captured Host back unchanged: that one is not asked
 * for). Null when none was: the target's Host goes.
 */
function hostSet(captured: [string, string][], edits: Edits): string | null {
  const removed = edits.removeHeaders?.some((name) => name.toLowerCase() === 'host');
  const set = edits.setHeaders?.findLast(([name]) => name.toLowerCase() === 'host');
  if (set) return removed ? null : set[1];
  const listed = edits.headers?.find(([name]) => name.toLowerCase() === 'host');
  const before = captured.find(([name]) => name.toLowerCase() === 'host');
  return listed && !removed && listed[1] !== before?.[1] ? listed[1] : null;
}

/** Methods Node sends with no framing at all when they have no body; any other gets `Transfer-Encoding: chunked` unless a length is given. */
const NO_BODY_BY_DEFAULT = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/**
 * The headers as they go out: hop-by-hop ones and those Connection names left out; `host` where the
 * captured Host was (else first); one Content-Length counted from `body`, where the first one was
 * (else last). A method that carries content says its length even when it is 0 (RFC 9110 §8.6), so
 * the framing is never chunked: the app reads exactly the bytes sent.
 */
export function framed(headers: [string, string][], body: Buffer, method: string, host: string): [string, string][] {
  const named = connectionTokens(headers);
  const sent: [string, string][] = [];
  let hostAt = -1;
  let length = false;
  let hadFraming = false;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'host' && hostAt === -1) hostAt = sent.length;
    if (lower === 'content-length' || lower === 'transfer-encoding') hadFraming = true;
    if (HOP_BY_HOP.has(lower) || named.has(lower)) continue;
    if (lower !== 'content-length') sent.push([name, value]);
    else if (!length) {
      length = true;
      sent.push([name, String(body.length)]);
    }
  }
  sent.splice(hostAt === -1 ? 0 : hostAt, 0, ['Host', host]);
  if (!length && (body.length > 0 || hadFraming || !NO_BODY_BY_DEFAULT.has(method.toUpperCase()))) sent.push(['Content-Length', String(body.length)]);
  return sent;
}

/** `http://app:3000/hooks` + `/webhook/a1?x=1` -> `http://app:3000/hooks/webhook/a1?x=1`. */
export function joinTarget(target: URL, path: string): URL {
  const q = path.indexOf('?');
  const capturedPath = q === -1 ? path : path.slice(0, q);
  const capturedQuery = q === -1 ? '' : path.slice(q + 1);
  const url = new URL(target.href);
  const base = url.pathname.replace(/\/+$/, '');
  url.pathname = base + (capturedPath.startsWith('/') ? capturedPath : `/${capturedPath}`);
  const query = [url.search.slice(1), capturedQuery].filter(Boolean).join('&');
  url.search = query ? `?${query}` : '';
  return url;
}

/** The URL the app sees a request at: the target's scheme, the Host sent (an edit may set it), the path and query. */
export function urlAtApp(out: Outgoing): string {
  const host = out.headers.find(([name]) => name.toLowerCase() === 'host')?.[1] ?? out.url.host;
  return `${out.url.protocol}//${host}${out.url.pathname}${out.url.search}`;
}

/** What a record keeps of an outgoing request. */
export function sentRequest(out: Outgoing): SentRequest {
  return { method: out.method, url: out.path, headers: out.headers };
}

/** Sets each header where the first of its name is (dropping the others of that name), or adds it at the end. */
function setAll(headers: [string, string][], changes: [string, string][]): [string, string][] {
  let result = headers;
  for (const [name, value] of changes) {
    const lower = name.toLowerCase();
    const at = result.findIndex(([n]) => n.toLowerCase() === lower);
    if (at === -1) result = [...result, [name, value]];
    else result = result.flatMap((pair, i): [string, string][] => (i === at ? [[pair[0], value]] : pair[0].toLowerCase() === lower ? [] : [pair]));
  }
  return result;
}

/** Header names a Connection header says belong to this connection only. */
function connectionTokens(headers: [string, string][]): Set<string> {
  const names = new Set<string>();
  for (const [name, value] of headers) {
    if (name.toLowerCase() === 'connection') for (const token of value.split(',')) names.add(token.trim().toLowerCase());
  }
  names.delete('');
  return names;
}

function samePairs(a: [string, string][], b: [string, string][]): boolean {
  return a.length === b.length && a.every(([name, value], i) => name === b[i]![0] && value === b[i]![1]);
}
