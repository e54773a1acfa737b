import { decodeBody, encodeBody, type CapturedRequest, type EncodedBody } from '../capture.js';

/** A request as it is written in the log: the record with its body encoded as JSON text. */
export type StoredRequest = Omit<CapturedRequest, 'body'> & EncodedBody;

/**
 * One line of a request-log segment: a captured request, or a tombstone for a deleted one.
 * The body is the last field so that a line stays readable in a text editor.
 */
export type LogLine = { kind: 'request'; stored: StoredRequest } | { kind: 'deleted'; id: string };

export function requestLine(request: CapturedRequest): string {
  const { body, bodyEncoding } = encodeBody(request.body);
  return (
    JSON.stringify({
      id: request.id,
      receivedAt: request.receivedAt,
      method: request.method,
      url: request.url,
      path: request.path,
      query: request.query,
      httpVersion: request.httpVersion,
      headers: request.headers,
      remoteAddress: request.remoteAddress,
      contentType: request.contentType,
      bodySize: request.bodySize,
      bodyDiscarded: request.bodyDiscarded,
      response: request.response,
      bodyEncoding,
      body,
    }) + '\n'
  );
}

export function deletedLine(id: string): string {
  return JSON.stringify({ deleted: id }) + '\n';
}

/** Parses one line; null when it is not a whole, well-formed record (a torn or damaged write). */
export function parseLine(text: string): LogLine | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.deleted === 'string') return { kind: 'deleted', id: v.deleted };
  if (
    typeof v.id !== 'string' ||
    typeof v.method !== 'string' ||
    typeof v.url !== 'string' ||
    typeof v.body !== 'string' ||
    (v.bodyEncoding !== 'utf8' && v.bodyEncoding !== 'base64') ||
    !Array.isArray(v.headers)
  ) {
    return null;
  }
  const response = (v.response ?? {}) as { status?: unknown };
  const stored: StoredRequest = {
    id: v.id,
    receivedAt: String(v.receivedAt),
    method: v.method,
    url: v.url,
    path: typeof v.path === 'string' ? v.path : v.url,
    query: Array.isArray(v.query) ? (v.query as [string, string][]) : [],
    httpVersion: String(v.httpVersion ?? '1.1'),
    headers: v.headers as [string, string][],
    remoteAddress: typeof v.remoteAddress === 'string' ? v.remoteAddress : null,
    contentType: typeof v.contentType === 'string' ? v.contentType : null,
    bodySize: Number(v.bodySize ?? 0),
    bodyDiscarded: v.bodyDiscarded === true,
    response: { status: Number(response.status ?? 200) },
    bodyEncoding: v.bodyEncoding,
    body: v.body,
  };
  return { kind: 'request', stored };
}

export function fromStored(stored: StoredRequest): CapturedRequest {
  const { bodyEncoding, body, ...rest } = stored;
  return { ...rest, body: decodeBody({ body, bodyEncoding }) };
}
