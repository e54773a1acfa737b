import type { CapturedRequest } from '../capture/capture.js';
import type { ForwardNote } from '../store/record-line.js';
import type { RequestLog } from '../store/request-log.js';
import { storeProblem } from '../store/files.js';
import { HookCatchError } from '../errors.js';
import { Forwarder, type ForwarderOptions } from './forward.js';
import { forwardWarner } from './forward-warning.js';
import { settleOwedForwards } from './owed.js';

export interface ForwardingDeps {
  store: RequestLog;
  /** The store folder, for the line that says the store could not be read. */
  dir: string;
  /** The job of a stored capture (a job's captures reach the app one at a time, in arrival order). */
  jobOf: (id: string) => string | null;
  /** A background forward ended, and is kept. */
  onForwarded: (id: string, note: ForwardNote) => void;
  /** The forwards waiting and being sent changed. */
  onQueue: (queued: { waiting: number; sending: number }) => void;
  /** The public URL, for the warning a forward target may earn (forward-warning.ts). */
  publicUrl: () => string | null;
  say: { notice(line: string): void; warning(line: string): void };
  /** `--rewrite-webhook-url`: a job's own webhook URL, where its webhooks go (null: to `--forward`, if any). */
  targetOf?: (request: CapturedRequest) => URL | null;
}

/** `--forward` for a running hook-catch: the forwarder, and the two places a capture meets it. */
export interface Forwarding {
  forwarder: Forwarder;
  /** Whether a capture is to be forwarded (marked `forwardOwed` as it is stored). */
  owes: (request: CapturedRequest) => boolean;
  /** The receiver's relay in wait mode: the sender gets the app's answer. */
  relay: (request: CapturedRequest) => ReturnType<Forwarder['relay']>;
  /** The route's forward step: a capture answered some other way (ack mode, a response rule) is forwarded in the background. */
  background: (request: CapturedRequest) => void;
  close: () => void;
}

/**
 * Opens forwarding to the user's app and settles what was owed when hook-catch last stopped:
 * those captures are sent first (or, with no `options`, marked `not forwarded`). Null without `--forward`.
 */
export async function openForwarding(options: ForwarderOptions | null, deps: ForwardingDeps): Promise<Forwarding | null> {
  const forwarder = options && createForwarder(options, deps);
  await settleOwedForwards(deps.store, forwarder, deps.say).catch((error: unknown) => {
    forwarder?.close();
    throw new HookCatchError(`Cannot start on ${deps.dir}: ${storeProblem(error, deps.dir)}.`);
  });
  if (!forwarder) return null;
  const url = forwarder.options.url;
  const warn = url ? forwardWarner(url, deps.publicUrl, deps.say.warning) : () => undefined;
  return {
    forwarder,
    owes: (request) => forwarder.targetOf(request) !== null,
    relay: (request) => (warn(request), forwarder.relay(request)),
    background: (request) => {
      if (!request.forward && request.forwardOwed) {
        warn(request);
        forwarder.background(request);
      }
    },
    close: () => forwarder.close(),
  };
}

function createForwarder(options: ForwarderOptions, deps: ForwardingDeps): Forwarder {
  const forwarder: Forwarder = new Forwarder(options, {
    note: (id, note) => deps.store.appendForward(id, note),
    onForwarded: deps.onForwarded,
    load: (ids) => deps.store.getMany(ids),
    jobOf: deps.jobOf,
    onQueue: () => deps.onQueue(forwarder.queued),
    targetOf: deps.targetOf,
  });
  return forwarder;
}
