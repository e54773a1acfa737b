import { STATUS_CODES, type ServerResponse } from 'node:http';

/** What the receiver answers: a short JSON object, naming the capture (also in `X-Hook-Catch-Id`) when there is one. */
export interface AnswerBody {
  ok: boolean;
  id?: string;
  error?: string;
}

/** Answers through node:http, unless an answer already went out or the connection is gone. */
export function answer(res: ServerResponse, status: number, body: AnswerBody, extra?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  if (!extra && body.ok && body.id && body.error === undefined) return stored(res, status, body.id);
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { ...replacedBy(answerHeaders(body, text), extra), ...extra });
  res.end(text);
}

/** `ours` less the headers `extra` names in any case (a rule's `content-type` replaces our Content-Type, never goes beside it). */
function replacedBy(ours: Record<string, string | number>, extra: Record<string, string> | undefined): Record<string, string | number> {
  if (!extra) return ours;
  const named = new Set(Object.keys(extra).map((name) => name.toLowerCase()));
  return Object.fromEntries(Object.entries(ours).filter(([name]) => !named.has(name.toLowerCase())));
}

/**
 * The answer nearly every request gets, `{"ok":true,"id":"…"}`, with its headers as a flat list: the
 * same bytes as the general case, without the objects (it runs once a request, under load).
 */
function stored(res: ServerResponse, status: number, id: string): void {
  const text = `{"ok":true,"id":${JSON.stringify(id)}}\n`;
  res.writeHead(status, ['Content-Type', JSON_TYPE, 'Content-Length', String(Buffer.byteLength(text)), 'X-Hook-Catch-Id', id]);
  res.end(text);
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The same answer as bytes, for a connection node:http no longer answers on (refused or handed over). */
export function rawAnswer(status: number, body: AnswerBody, extra: Record<string, string> = {}): Buffer {
  const text = JSON.stringify(body) + '\n';
  const headers = { ...answerHeaders(body, text), ...extra, Connection: 'close' };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return Buffer.from(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head.join('')}\r\n${text}`, 'utf8');
}

export function answerHeaders(body: AnswerBody, text: string): Record<string, string | number> {
  return {
    'Content-Type': JSON_TYPE,
    'Content-Length': Buffer.byteLength(text),
    ...(body.id ? { 'X-Hook-Catch-Id': body.id } : {}),
  };
}

/** An answer decided elsewhere (a response rule, the user's app): status, headers in order, body bytes. */
export function answerRaw(res: ServerResponse, status: number, headers: [string, string][], body: Buffer): void {
  if (res.headersSent || res.destroyed) return;
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  flat.push('Content-Length', String(body.length));
  res.writeHead(status, flat);
  res.end(body);
}

/**
 * The answer `answer` and `rawAnswer` send for `body` and `extra`, as an export shows it: headers in
 * order (without node:http's own Date and keep-alive) and the exact bytes. The default answer's
 * fast path (stored) sends the same.
 */
export function answerMessage(body: AnswerBody, extra: Record<string, string> = {}): { headers: [string, string][]; body: Buffer } {
  const text = JSON.stringify(body) + '\n';
  const headers = Object.entries({ ...answerHeaders(body, text), ...extra }).map(([name, value]): [string, string] => [name, String(value)]);
  return { headers, body: Buffer.from(text, 'utf8') };
}
