import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { answer, rawAnswer, type AnswerBody } from './answer.js';
import { captureRequest, splitTarget, type CaptureInput, type CapturedRequest, type Refusal } from '../capture/capture.js';
import { readRawHead, type RawHead } from './raw-head.js';
import { storeThenAnswer, type Reply } from './keep.js';
import { parserRefusal, printable, type ParserError } from './refusal-reasons.js';
import { describe } from '../errors.js';
import { linger } from './linger.js';

/** At most this many of the first bytes of a refused request are kept, as its body in the log. */
export const REFUSAL_BYTES = 8_000;

/** Methods the receiver captures, for the `Allow` header of the 405 that answers CONNECT. */
const ALLOW = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const CONNECT_CODE = 'CONNECT_UNSUPPORTED';

export interface RefusalDeps {
  append: (request: CapturedRequest) => Promise<void>;
  nextId: () => string;
  onCaptured: (request: CapturedRequest, latencyMs: number) => void;
  onStoreFailed: (request: CapturedRequest, error: unknown) => void;
  /** The `maxHeaderSize` the server was created with, named in the 431's reason. */
  maxHeaderSize: number;
}

/** node:http events for what its parser refuses; each refusal is kept in the request log like any request. */
export interface Refusals {
  /** `clientError`: bytes the parser refused (unknown method, headers over the limit, malformed head …). */
  clientError: (error: ParserError, socket: Duplex) => void;
  /** `checkExpectation`: an `Expect` header other than 100-continue. */
  checkExpectation: (req: IncomingMessage, res: ServerResponse) => void;
  /** `connect`: a CONNECT request, which node:http would drop without a word. */
  connect: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * A provider's request that nobody sees is the worst failure of a webhook catcher: each refusal is
 * stored (method, path and headers as far as they can be read, the first bytes as the body, and
 * why), reported like any capture, then answered with its status and `Connection: close`. These
 * handlers never throw: node:http calls them from its parser.
 */
export function createRefusals(deps: RefusalDeps): Refusals {
  /** The parser refuses every later chunk of a connection too; the first refusal is the one kept. */
  const refused = new WeakSet<Duplex>();

  /** Stores the refusal, then answers it: its status, or 503 when it could not be stored (as for any request). */
  function keep(request: CapturedRequest & { refusal: Refusal }, started: number, reply: Reply): void {
    storeThenAnswer(deps, request, started, reply, refusalAnswer(request).body);
  }

  function clientError(error: ParserError, socket: Duplex): void {
    try {
      if (refused.has(socket)) return;
      refused.add(socket);
      const started = performance.now();
      const inFlight = inFlightResponse(socket);
      if (error.code === 'HPE_CLOSED_CONNECTION') {
        // Bytes after a request that said `Connection: close`: the connection ends with that request's answer.
        if (!inFlight) socket.destroy();
        return;
      }
      const reply = rawReply(socket, inFlight);
      const packet = error.rawPacket;
      if (!Buffer.isBuffer(packet) || packet.length === 0) return noBytes(error, reply);
      keep(parserRefused(error, Buffer.from(packet.subarray(0, REFUSAL_BYTES)), socket, inFlight), started, reply);
    } catch {
      socket.destroy();
    }
  }

  /** A request whose parsing failed before any byte (a reset, a timeout): answered as node:http would, not kept. */
  function noBytes(error: ParserError, reply: Reply): void {
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return reply(408, { ok: false, error: 'hook-catch: the request did not arrive in time.' });
    reply(400, { ok: false, error: `hook-catch could not read this request: ${describe(error)}` });
  }

  function parserRefused(error: ParserError, bytes: Buffer, socket: Duplex, inFlight: ServerResponse | null) {
    const head = readRawHead(bytes);
    if (head.url === null) Object.assign(head, parsedSoFar(socket));
    const { status, code, reason } = parserRefusal(error, head, bytes, deps.maxHeaderSize);
    const input = { id: deps.nextId(), receivedAt: Date.now(), body: bytes, bodySize: bytes.length, bodyDiscarded: false, status };
    // A refused body (a malformed chunk) belongs to the request whose head node:http already read.
    const req = inFlight && !inFlight.req.complete ? inFlight.req : null;
    const request = req ? captureRequest(req, input) : fromRawHead(head, (socket as Socket).remoteAddress ?? null, input);
    return { ...request, refusal: { code, reason } };
  }

  function checkExpectation(req: IncomingMessage, res: ServerResponse): void {
    try {
      const started = performance.now();
      req.resume();
      const expectation = printable(String(req.headers.expect ?? ''), 100);
      const input = { id: deps.nextId(), receivedAt: Date.now(), body: Buffer.alloc(0), bodySize: 0, bodyDiscarded: false, status: 417 };
      const refusal = { code: 'EXPECT_UNSUPPORTED', reason: `unsupported Expect header "${expectation}" (only 100-continue is understood)` };
      keep({ ...captureRequest(req, input), refusal }, started, (status, body) => answer(res, status, body, { Connection: 'close' }));
    } catch {
      res.destroy();
    }
  }

  function connect(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // node:http has handed the connection over: its errors are ours to catch now.
    socket.on('error', () => undefined);
    socket.resume();
    try {
      const started = performance.now();
      const body = Buffer.from(head.subarray(0, REFUSAL_BYTES));
      const input = { id: deps.nextId(), receivedAt: Date.now(), body, bodySize: body.length, bodyDiscarded: false, status: 405 };
      const target = printable(req.url ?? '', 200);
      const refusal = { code: CONNECT_CODE, reason: `CONNECT ${target} asks for a proxy tunnel; hook-catch receives webhooks and is no proxy` };
      keep({ ...captureRequest(req, input), refusal }, started, rawReply(socket, null, { Allow: ALLOW }));
    } catch {
      socket.destroy();
    }
  }

  return { clientError, checkExpectation, connect };
}

/**
 * What a stored refusal was answered: its JSON, and the headers besides answer()'s own (every
 * refusal closes its connection; CONNECT's 405 also says what is allowed). Exports show it.
 */
export function refusalAnswer(request: { id: string; refusal: Refusal }): { body: AnswerBody; extra: Record<string, string> } {
  return {
    body: { ok: false, id: request.id, error: `hook-catch refused this request: ${request.refusal.reason}` },
    extra: { ...(request.refusal.code === CONNECT_CODE && { Allow: ALLOW }), Connection: 'close' },
  };
}

/**
 * The response node:http is writing on this connection for an earlier request, if any (node:http's
 * own `clientError` default looks at the same field to decide whether it may still answer).
 */
function inFlightResponse(socket: Duplex): ServerResponse | null {
  return (socket as { _httpMessage?: ServerResponse | null })._httpMessage ?? null;
}

/**
 * The target and headers node:http's parser handed over before it refused a head that came in
 * several reads (it passes them on 32 headers at a time): when the refused bytes are not the start
 * of the request, this is what can still be read of it. Its method is not handed over until the
 * head is complete, so it stays unknown.
 */
function parsedSoFar(socket: Duplex): Partial<RawHead> {
  const parser = (socket as { parser?: { _url?: unknown; _headers?: unknown } | null }).parser;
  const url = parser?._url;
  const flat = parser?._headers;
  if (typeof url !== 'string' || url === '' || !Array.isArray(flat)) return {};
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) headers.push([String(flat[i]), String(flat[i + 1])]);
  return { url: url.replace(/[^!-~]/g, '?'), headers };
}

/**
 * Answers on the raw connection and closes it; when an earlier answer is half written, only closes.
 * The connection is read on until the sender closes its side (for LINGER_MS at most): closing with
 * its bytes unread would reset the connection, and the sender could lose the answer (a sender
 * still writing a large header block when it is refused does exactly that).
 */
function rawReply(socket: Duplex, inFlight: ServerResponse | null, extra: Record<string, string> = {}): Reply {
  return (status, body) => {
    const midAnswer = inFlight?.headersSent && !inFlight.writableFinished;
    if (!socket.writable || socket.destroyed || midAnswer) return void socket.destroy();
    linger(socket);
    socket.end(rawAnswer(status, body, extra));
  };
}

/** A record from what could be read of the bytes: `-` where the method or target is unreadable. */
function fromRawHead(head: RawHead, remoteAddress: string | null, input: CaptureInput): CapturedRequest {
  const url = head.url ?? '-';
  const contentType = head.headers.find(([name]) => name.toLowerCase() === 'content-type');
  return {
    id: input.id,
    receivedAt: new Date(input.receivedAt).toISOString(),
    method: head.method ?? '-',
    url,
    ...splitTarget(url),
    httpVersion: head.httpVersion ?? '-',
    headers: head.headers,
    remoteAddress,
    contentType: contentType ? contentType[1] : null,
    bodySize: input.bodySize,
    bodyDiscarded: input.bodyDiscarded,
    response: { status: input.status },
    body: input.body,
  };
}
