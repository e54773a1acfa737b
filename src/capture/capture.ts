import type { IncomingMessage } from 'node:http';
import type { ForwardInfo } from './records.js';
import type { SignatureVerdict } from './signature.js';
import { encodeBody, type EncodedBody } from './encoded-body.js';

/**
 * What hook-catch found out about a capture or did with it, each field present only when it applies:
 * written in the capture's line, kept in the index, shown in lists. One list for the capture, its
 * summary and its line (MARK_FLAGS names the yes-or-no ones).
 */
export interface CaptureMarks {
  /** Set when node:http's parser (or hook-catch) refused the request: see refusals.ts. */
  refusal?: Refusal;
  /** Set when the Content-Type says JSON but the body does not parse as JSON: see json-check.ts. */
  invalidJson?: true;
  /**
   * Set on a capture put in the store from a fixture (`hook-catch import`), not received: `receivedAt`
   * is when it was first received; it arrived in this store when its id was given (lists go by arrival).
   */
  imported?: true;
  /** What the user's app answered when the capture was forwarded to it (`--forward`); then `response` is what the sender got. */
  forward?: ForwardInfo;
  /**
   * Set when the capture was stored with a forward still to make (`--forward`): written with it, so
   * that a capture whose forward never ended (no `forward` kept) is found and forwarded after a restart.
   */
  forwardOwed?: true;
  /** The signature check's verdict (`--verify`), made as it arrived; absent when no `--verify` covers its path. */
  signature?: SignatureVerdict;
  /**
   * Set on the answer of a provider's status endpoint that hook-catch polled (`expect --poll`), kept
   * like a capture: then `headers` and `body` are the provider's answer and `response.status` its status.
   */
  poll?: PollInfo;
}

/** The marks that are either there (`true`) or absent. */
export const MARK_FLAGS = ['invalidJson', 'imported', 'forwardOwed'] as const;

/** The marks a capture has, as they are, absent ones left out (in the order the API has always shown them). */
export function marksOf(request: CaptureMarks): CaptureMarks {
  const marks: CaptureMarks = {};
  if (request.refusal) marks.refusal = request.refusal;
  if (request.invalidJson) marks.invalidJson = true;
  if (request.forward) marks.forward = request.forward;
  if (request.forwardOwed) marks.forwardOwed = true;
  if (request.signature) marks.signature = request.signature;
  if (request.poll) marks.poll = request.poll;
  if (request.imported) marks.imported = true;
  return marks;
}

/** One request as hook-catch received it. The body is the exact bytes: never parsed, never re-encoded. */
export interface CapturedRequest extends CaptureMarks {
  /** Sortable by arrival; see ids.ts. */
  id: string;
  /** ISO-8601 time the request started to arrive. */
  receivedAt: string;
  method: string;
  /** The request target exactly as sent: path and query string. */
  url: string;
  /** The path part of `url`, not decoded. */
  path: string;
  /** Query parameters in order, decoded; a name may repeat. */
  query: [string, string][];
  httpVersion: string;
  /** Headers as received: order, case and duplicates kept. */
  headers: [string, string][];
  remoteAddress: string | null;
  contentType: string | null;
  /** Size of the body in bytes (for a refused body, the size it announced or reached). */
  bodySize: number;
  /** True when the body was over the size limit: it was answered 413 and not kept. */
  bodyDiscarded: boolean;
  /**
   * What hook-catch answered, and the response rule that decided it (in words), if one did.
   * `relayed`: the sender got the user's app's answer instead (`--forward` in wait mode).
   */
  response: { status: number; rule?: string; relayed?: true };
  /**
   * The exact body. For a refusal, the bytes node:http's parser refused, at most REFUSAL_BYTES: the
   * start of the request, unless its head came in several reads (then the read it broke on).
   */
  body: Buffer;
}

/** Which job's status endpoint was polled, where (variables left as `$NAME`), and how long it took. */
export interface PollInfo {
  jobId: string;
  url: string;
  latencyMs: number;
}

/** Why a request was refused instead of captured: a machine code (`HPE_INVALID_METHOD` …) and plain words. */
export interface Refusal {
  code: string;
  reason: string;
}

/** What lists show: everything but the headers and the body. */
export interface RequestSummary extends CaptureMarks {
  id: string;
  receivedAt: string;
  method: string;
  url: string;
  path: string;
  contentType: string | null;
  bodySize: number;
  bodyDiscarded: boolean;
  status: number;
  remoteAddress: string | null;
}

export interface CaptureInput {
  id: string;
  receivedAt: number;
  body: Buffer;
  bodySize: number;
  bodyDiscarded: boolean;
  status: number;
}

export function captureRequest(req: IncomingMessage, input: CaptureInput): CapturedRequest {
  const url = req.url ?? '/';
  const { path, query } = splitTarget(url);
  // The pairs are built once, from the raw headers; `req.headers` (an object node:http builds on first use) is never asked for.
  const raw = req.rawHeaders;
  const headers: [string, string][] = [];
  let contentType: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    headers.push([name, raw[i + 1]!]);
    if (contentType === null && name.length === 12 && name.toLowerCase() === 'content-type') contentType = raw[i + 1]!;
  }
  return {
    id: input.id,
    receivedAt: new Date(input.receivedAt).toISOString(),
    method: req.method ?? 'GET',
    url,
    path,
    query,
    httpVersion: req.httpVersion,
    headers,
    remoteAddress: req.socket.remoteAddress ?? null,
    contentType,
    bodySize: input.bodySize,
    bodyDiscarded: input.bodyDiscarded,
    response: { status: input.status },
    body: input.body,
  };
}

/** The first Content-Length a request declares, as a number (NaN when none), read from its raw headers. */
export function declaredLength(req: IncomingMessage): number {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 14 && raw[i]!.toLowerCase() === 'content-length') return Number(raw[i + 1]);
  return NaN;
}

/** The path (not decoded) and the query parameters (decoded, in order) of a request target. */
export function splitTarget(url: string): { path: string; query: [string, string][] } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url, query: [] } : { path: url.slice(0, q), query: [...new URLSearchParams(url.slice(q + 1))] };
}

export function summarize(request: Omit<CapturedRequest, 'body'>): RequestSummary {
  return {
    id: request.id,
    receivedAt: request.receivedAt,
    method: request.method,
    url: request.url,
    path: request.path,
    contentType: request.contentType,
    bodySize: request.bodySize,
    bodyDiscarded: request.bodyDiscarded,
    status: request.response.status,
    remoteAddress: request.remoteAddress,
    ...marksOf(request),
  };
}

/** The record as JSON for the API and `show --json`: the body as text or base64, and which. */
export function toJsonRecord(request: CapturedRequest): Omit<CapturedRequest, 'body'> & EncodedBody {
  const { body, ...rest } = request;
  return { ...rest, ...encodeBody(body) };
}
