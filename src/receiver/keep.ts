import { describe } from '../errors.js';
import type { AnswerBody } from './answer.js';
import type { CapturedRequest } from '../capture/capture.js';

export interface KeepDeps {
  /** Keeps a request; resolves once it is stored. */
  append: (request: CapturedRequest) => Promise<void>;
  /** After the answer went out: the request is stored. */
  onCaptured: (request: CapturedRequest, latencyMs: number) => void;
  /** The store refused the request: it was answered 503 and is not kept. */
  onStoreFailed: (request: CapturedRequest, error: unknown) => void;
}

export type Reply = (status: number, body: AnswerBody) => void;

/**
 * Stores `request`, then answers it with its own status and `body`, or with 503 when it could not be
 * stored (so that the sender retries), and reports which. Nothing is acknowledged before it is stored.
 */
export function storeThenAnswer(deps: KeepDeps, request: CapturedRequest, started: number, reply: Reply, body: AnswerBody): void {
  deps.append(request).then(
    () => {
      reply(request.response.status, body);
      deps.onCaptured(request, performance.now() - started);
    },
    (error: unknown) => {
      reply(503, { ok: false, error: `hook-catch could not store this request, so it was not kept: ${describe(error)}` });
      deps.onStoreFailed(request, error);
    },
  );
}
