import type { CapturedRequest } from '../receiver/capture.js';
import type { Edits, SentRequest } from './types.js';

/** Headers that belong to one connection, not to the request: never sent on (RFC 9110 §7.6.1), nor Host. */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'trailers', 'transfer-encoding', 'upgrade', 'expect', 'host',
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
 * the target's path, the same headers in the same order (less hop-by-hop ones and Host, which
 * becomes the target's), and the exact body bytes. Content-Length is computed again only when the
 * body changed (or the capture was chunked and had none).
 */
export function outgoing(request: CapturedRequest, target: URL, edits: Edits = {}): Outgoing {
  const body = edits.body ?? request.body;
  const bodyChanged = edits.body !== undefined && !edits.body.equals(request.body);
  let headers = edits.headers ?? request.headers;
  if (edits.setHeaders?.length) headers = setAll(headers, edits.setHeaders);
  if (edits.removeHeaders?.length) {
    const removed = new Set(edits.removeHeaders.map((name) => name.toLowerCase()));
    headers = headers.filter(([name]) => !removed.has(name.toLowerCase()));
  }
  const named = connectionTokens(headers);
  const sent: [string, string][] = [];
  let hostAt = -1;
  let length = false;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'host' && hostAt === -1) hostAt = sent.length;
    if (HOP_BY_HOP.has(lower) || named.has(lower)) continue;
    if (lower === 'content-length') {
      if (length) continue;
      length = true;
      sent.push([name, bodyChanged ? String(body.length) : value]);
    } else sent.push([name, value]);
  }
  // The Host goes where the captured one was (usually first), naming the target.
  sent.splice(hostAt === -1 ? 0 : hostAt, 0, ['Host', target.host]);
  if (!length && (body.length > 0 || bodyChanged)) sent.push(['Content-Length', String(body.length)]);
  const method = edits.method ?? request.method;
  const path = edits.path ?? request.url;
  const edited = bodyChanged || method !== request.method || path !== request.url || !samePairs(headers, request.headers);
  return { url: joinTarget(target, path), method, headers: sent, body, path, edited };
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
