import type { IncomingMessage } from 'node:http';
import type { CaptureMarks, EncodedBody, RequestFields, RequestSummary } from './shapes.js';
import { encodeBody } from './encoded-body.js';

// The JSON shapes of a capture are in shapes.ts (the page compiles them); here what holds its bytes.
export type { CaptureMarks, EventType, OutboundInfo, PollInfo, ProviderAnswer, Refusal, RequestFields, RequestSummary } from './shapes.js';

/** One request as hook-catch received it. The body is the exact bytes: never parsed, never re-encoded. */
export interface CapturedRequest extends RequestFields {
  /**
   * The exact body. For a refusal, the bytes node:http's parser refused, at most REFUSAL_BYTES: the
   * start of the request, unless its head came in several reads (then the read it broke on).
   */
  body: Buffer;
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
  if (request.outbound) marks.outbound = request.outbound;
  if (request.imported) marks.imported = true;
  if (request.event) marks.event = request.event;
  if (request.schema) marks.schema = request.schema;
  if (request.drift) marks.drift = request.drift;
  return marks;
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
    ...(request.response.unanswered && { unanswered: request.response.unanswered }),
    remoteAddress: request.remoteAddress,
    ...marksOf(request),
  };
}

/** The record as JSON for the API and `show --json`: the body as text or base64, and which. */
export function toJsonRecord(request: CapturedRequest): RequestFields & EncodedBody {
  const { body, ...rest } = request;
  return { ...rest, ...encodeBody(body) };
}
