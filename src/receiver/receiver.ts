import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { answer } from './answer.js';
import { captureRequest, declaredLength, type CapturedRequest } from '../capture/capture.js';
import { isInvalidJson } from './json-check.js';
import { storeThenAnswer, type KeepDeps } from './keep.js';
import { judgedLater, judgeLate, type LateMarks } from './late-check.js';
import { storeThenAnswerByRule, storeThenRelay } from './answered-elsewhere.js';
import type { Relayed } from '../forward/forward.js';
import type { Shaped } from '../rules/types.js';
import { createRefusals } from './refusals.js';
import { formatBytes } from '../units.js';
import { afterDrain } from './drain.js';
import { lingerWhenClosed } from './linger.js';
import { afterAnswers } from './after-answers.js';
import type { SignatureVerdict } from '../capture/signature.js';
import type { EventType } from '../capture/shapes.js';
import { Unanswered } from './unanswered.js';

export interface ReceiverDeps {
  /** Keeps a request; resolves once it is stored. Nothing is acknowledged before that. */
  append: (request: CapturedRequest) => Promise<void>;
  maxBody: number;
  /** The `maxHeaderSize` the server was created with (named when headers over it are refused). */
  maxHeaderSize: number;
  nextId: () => string;
  /** After the answer went out: the request is stored. */
  onCaptured: (request: CapturedRequest, latencyMs: number) => void;
  /** The store refused the request: it was answered 503 and is not kept. */
  onStoreFailed: (request: CapturedRequest, error: unknown) => void;
  /** Response rules: what to answer instead of the usual, decided before the request is stored; null when no rule applies. */
  shape?: (request: CapturedRequest) => Shaped | null;
  /** `--forward` in wait mode: sends the stored request to the user's app, whose answer its sender gets. */
  relay?: (request: CapturedRequest) => Promise<Relayed>;
  /** Which requests `relay` takes (a webhook of a job whose submit was rewritten, with --rewrite-webhook-url alone); default all. */
  relays?: (request: CapturedRequest) => boolean;
  /** `--verify`: the signature verdict recorded with the request (null: no rule covers it). Never rejects. */
  check?: (request: CapturedRequest) => Promise<SignatureVerdict | null>;
  /** Tells the event type of a request as it arrives (the user's --event-path rules, then what hook-catch knows). */
  eventOf?: (request: CapturedRequest) => EventType | null;
  /** Keeps what was told of a large body after its sender was answered (see late-check.ts), beside its capture. */
  keepLate?: (id: string, marks: LateMarks) => void;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Receiver {
  /** The `request` handler: captures every method and path, answers once the capture is stored. */
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** The `checkContinue` handler: refuses an announced oversized body before it is sent. */
  checkContinue: (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * Sets `server` up to keep every header and to record what its parser refuses (refusals.ts);
   * `wrap` wraps each handler it adds (the servers' drain sees every response).
   */
  attach: (server: Server, wrap?: (handler: Handler) => Handler) => void;
  /** Closes the connections response rules hold unanswered (`--hang`), so that stopping never waits for them. */
  closeHung: () => void;
}

/** The receiver's hot path: plain node:http, bytes -> store -> answer -> event. It never interprets a body. */
export function createReceiver(given: ReceiverDeps): Receiver {
  const deps: ReceiverDeps = { ...given, onCaptured: afterAnswers(given.onCaptured) };
  const { maxBody } = deps;
  const unanswered = new Unanswered();
  const tooLarge = `Body is larger than the ${formatBytes(maxBody)} limit of this hook-catch (--max-body).`;
  // A large body is judged once its sender has the answer, before anything else hears of the capture.
  const keeping: KeepDeps = {
    append: deps.append,
    onStoreFailed: deps.onStoreFailed,
    onCaptured: (request, latencyMs) => {
      const marks = judgedLater(request) ? judgeLate(request, deps.eventOf) : null;
      if (marks) deps.keepLate?.(request.id, marks);
      deps.onCaptured(request, latencyMs);
    },
  };

  // Checks run one after another, so requests reach the store in the order of their ids.
  let checked: Promise<unknown> = Promise.resolve();
  function keep(res: ServerResponse, request: CapturedRequest, started: number): void {
    const { check } = deps;
    if (!check) return decide(res, request, started);
    checked = checked.then(async () => {
      const verdict = await check(request).catch(() => null);
      if (verdict) request.signature = verdict;
      decide(res, request, started);
    });
  }

  function decide(res: ServerResponse, request: CapturedRequest, started: number): void {
    const ok = request.response.status < 400;
    if (ok && (deps.shape || deps.relay)) {
      const shaped = deps.shape?.(request) ?? null;
      if (shaped) return storeThenAnswerByRule(keeping, request, started, res, shaped, unanswered);
      if (deps.relay && (deps.relays?.(request) ?? true)) return storeThenRelay(keeping, request, started, res, deps.relay);
    }
    const body = ok ? { ok, id: request.id } : { ok, id: request.id, error: tooLarge };
    storeThenAnswer(keeping, request, started, (status, text) => answer(res, status, text), body);
  }

  /**
   * Keeps the request without its body (so it still shows in the log) and answers 413, once the
   * rest of the body was read and thrown away (see drain.ts). Its id is given then, when it is
   * stored: ids go up in the order requests are stored.
   */
  function refuse(req: IncomingMessage, res: ServerResponse, receivedAt: number, size: number, started: number, waitsForContinue = false): void {
    res.setHeader('Connection', 'close');
    lingerWhenClosed(req.socket);
    afterDrain(req, waitsForContinue, () => {
      const request = captureRequest(req, {
        id: deps.nextId(),
        receivedAt,
        body: Buffer.alloc(0),
        bodySize: size,
        bodyDiscarded: true,
        status: 413,
      });
      keep(res, request, started);
    });
  }

  function handle(req: IncomingMessage, res: ServerResponse, waitsForContinue = false): void {
    const started = performance.now();
    const receivedAt = Date.now();
    const declared = declaredLength(req);
    if (declared > maxBody) return refuse(req, res, receivedAt, declared, started, waitsForContinue);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBody) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
      refuse(req, res, receivedAt, size, started);
    };
    const onEnd = () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      const request = captureRequest(req, { id: deps.nextId(), receivedAt, body, bodySize: size, bodyDiscarded: false, status: 200 });
      // Only a body received whole is judged: a refusal's body is the bytes that were refused, not a body.
      // A large one is judged after the answer (keeping.onCaptured), so that its sender waits only for the write.
      if (!judgedLater(request)) {
        if (isInvalidJson(request)) request.invalidJson = true;
        const event = deps.eventOf?.(request);
        if (event) request.event = event;
      }
      keep(res, request, started);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    // A sender that hangs up mid-body was never acknowledged: nothing to keep, nothing to answer.
    req.on('error', () => undefined);
  }

  function checkContinue(req: IncomingMessage, res: ServerResponse): void {
    if (declaredLength(req) > maxBody) return handle(req, res, true);
    res.writeContinue();
    handle(req, res);
  }

  const refusals = createRefusals(deps);
  function attach(server: Server, wrap: (handler: Handler) => Handler = (handler) => handler): void {
    // node:http keeps only the first ~1,000 headers by default and drops the rest without a word;
    // 0 lifts the count limit: maxHeaderSize (--max-header-size) bounds the head instead.
    server.maxHeadersCount = 0;
    server.on('checkContinue', wrap(checkContinue));
    server.on('checkExpectation', wrap(refusals.checkExpectation));
    server.on('clientError', refusals.clientError);
    server.on('connect', refusals.connect);
  }

  return { handle, checkContinue, attach, closeHung: () => unanswered.closeAll() };
}
