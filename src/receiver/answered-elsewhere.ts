import type { ServerResponse } from 'node:http';
import type { Relayed } from '../forward/forward.js';
import type { Shaped } from '../rules/types.js';
import { answer, answerRaw } from './answer.js';
import type { CapturedRequest } from '../capture/capture.js';
import type { KeepDeps } from './keep.js';
import { describe } from '../errors.js';
import type { Unanswered } from './unanswered.js';

/**
 * A response rule's answer: stored first (with the status the rule gives), then answered after the
 * rule's delay. The request is announced once stored (after its answer when there is no delay),
 * not after the delay, so that the terminal, the page and `wait` see it at once. A rule that answers
 * nothing (hang, drop) does so only once the request is stored, marked so.
 */
export function storeThenAnswerByRule(
  deps: KeepDeps,
  request: CapturedRequest,
  started: number,
  res: ServerResponse,
  shaped: Shaped,
  unanswered: Unanswered,
): void {
  request.response.status = shaped.status;
  request.response.rule = shaped.why;
  if (shaped.unanswered) {
    request.response.unanswered = shaped.unanswered;
    return afterStore(deps, request, res, () => {
      if (shaped.unanswered === 'hung') unanswered.hang(res.req.socket, shaped.hangMs);
      else unanswered.drop(res.req.socket);
      deps.onCaptured(request, performance.now() - started);
    });
  }
  const reply = () => {
    if (shaped.body === null) {
      const extra = Object.fromEntries(shaped.headers);
      const ok = shaped.status < 400;
      answer(res, shaped.status, ok ? { ok, id: request.id } : { ok, id: request.id, error: `hook-catch answers this on purpose (${shaped.why}).` }, extra);
      return;
    }
    const body = Buffer.from(shaped.body);
    const typed = shaped.headers.some(([name]) => name.toLowerCase() === 'content-type');
    const headers: [string, string][] = typed ? [...shaped.headers] : [['Content-Type', guessType(shaped.body)], ...shaped.headers];
    answerRaw(res, shaped.status, [...headers, ['X-Hook-Catch-Id', request.id]], body);
  };
  afterStore(deps, request, res, () => {
    if (shaped.delayMs === 0) reply(); // the sender first, as for any stored request
    deps.onCaptured(request, performance.now() - started);
    if (shaped.delayMs > 0) setTimeout(reply, shaped.delayMs).unref();
  });
}

/** `--forward` (wait mode): stored first, then sent to the app, whose answer goes back to the sender. */
export function storeThenRelay(
  deps: KeepDeps,
  request: CapturedRequest,
  started: number,
  res: ServerResponse,
  relay: (request: CapturedRequest) => Promise<Relayed>,
): void {
  // Kept with the capture: what its sender got is the app's answer, not hook-catch's (an export shows which).
  request.response.relayed = true;
  afterStore(deps, request, res, async () => {
    try {
      const relayed = await relay(request);
      answerRaw(res, relayed.status, relayed.headers, relayed.body);
    } catch (error) {
      // The forward never throws by design; should it, the capture is kept and the sender still gets an answer.
      answer(res, 502, { ok: false, id: request.id, error: `hook-catch kept this webhook but could not forward it: ${describe(error)}` });
    }
    deps.onCaptured(request, performance.now() - started);
  });
}

/** Runs `then` once the request is stored; answers 503 (so that the sender retries) when it cannot be. */
function afterStore(deps: KeepDeps, request: CapturedRequest, res: ServerResponse, then: () => void | Promise<void>): void {
  deps.append(request).then(then, (error: unknown) => {
    answer(res, 503, { ok: false, error: `hook-catch could not store this request, so it was not kept: ${describe(error)}` });
    deps.onStoreFailed(request, error);
  });
}

function guessType(body: string): string {
  try {
    JSON.parse(body);
    return 'application/json; charset=utf-8';
  } catch {
    return 'text/plain; charset=utf-8';
  }
}
