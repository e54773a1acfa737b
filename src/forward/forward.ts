import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { CapturedRequest } from '../capture/capture.js';
import type { ForwardNote } from '../store/record-line.js';
import { formatBytes } from '../units.js';
import { isHopByHop, outgoing } from '../send/outgoing.js';
import { ForwardQueue } from './forward-queue.js';
import { send } from '../send/send.js';
import type { ForwardInfo, SendResult } from '../capture/records.js';

/** `wait`: the sender gets the app's answer; `ack`: the sender gets 200 at once, the app gets it in the background. */
export type ForwardMode = 'wait' | 'ack';

export interface ForwarderOptions {
  /** `--forward`: where every capture goes; null when only some jobs' webhooks are forwarded (`targetOf`). */
  url: URL | null;
  mode: ForwardMode;
  timeoutMs: number;
  /** The largest answer passed back to a sender (the receiver's --max-body). */
  maxAnswer: number;
  insecure?: boolean;
}

export interface ForwarderDeps {
  /** Keeps what the forward answered with its capture. */
  note: (id: string, note: ForwardNote) => Promise<void>;
  /** A forward done in the background has ended (and is kept). */
  onForwarded: (id: string, note: ForwardNote) => void;
  /** Reads stored captures back, oldest first (for those that wait as ids: after a restart, or past the memory bound). */
  load: (ids: string[]) => Promise<CapturedRequest[]>;
  /** The job of a stored capture: a job's captures reach the app one at a time, in arrival order. */
  jobOf: (id: string) => string | null;
  /** The number of captures waiting or being forwarded changed. */
  onQueue?: () => void;
  /** Where a capture goes instead of `url` (a job's own webhook URL, `--rewrite-webhook-url`); null: to `url`. */
  targetOf?: (request: CapturedRequest) => URL | null;
}

/** What the sender of a forwarded capture is answered. */
export interface Relayed {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/** Background forwards at once; more wait their turn, in arrival order. */
const CONCURRENCY = 8;
/** Background forwards waiting beyond this are not made (the captures are kept, marked; replay sends them). */
const MAX_WAITING = 100_000;
/** Bodies of waiting captures held in memory; past it they wait as ids and are read back from the store. */
const WAITING_BYTES = 64 * 1024 * 1024;

/**
 * `--forward URL`: every capture is sent on to the user's app byte-exact, as replay sends it, after
 * it is stored. In `wait` mode the sender gets the app's answer (502 when the app cannot be
 * reached, 504 when it does not answer in time); in `ack` mode it was answered at once and the
 * forward runs in the background. Either way the app's status and latency are kept with the capture.
 * A capture is stored marked `forwardOwed` before its sender is answered, so a forward that had not
 * ended when hook-catch stopped is made after the next start (`resume`): at least once.
 */
export class Forwarder {
  private readonly agents: { http?: HttpAgent; https?: HttpsAgent } = {};
  private readonly queue: ForwardQueue;

  constructor(
    readonly options: ForwarderOptions,
    private readonly deps: ForwarderDeps,
  ) {
    this.queue = new ForwardQueue(
      { concurrency: CONCURRENCY, memoryBytes: WAITING_BYTES, maxWaiting: MAX_WAITING },
      {
        load: deps.load,
        jobOf: deps.jobOf,
        send: (request) => this.send(request).then((result) => this.keep(request, infoOf(result))),
        drop: (id, why, request) => void this.drop(id, why, request),
        changed: () => deps.onQueue?.(),
      },
    );
  }

  /** Whether a capture is forwarded: not one refused, cut off, imported, or polled (those are not webhooks to pass on). */
  static forwards(request: CapturedRequest): boolean {
    return !request.refusal && !request.bodyDiscarded && !request.imported && !request.poll && !request.outbound;
  }

  /** Where a capture would be forwarded; null when it is not (not a webhook to pass on, or no target for it). */
  targetOf(request: CapturedRequest): URL | null {
    return Forwarder.forwards(request) ? (this.deps.targetOf?.(request) ?? this.options.url) : null;
  }

  /** Captures waiting for their forward, and being forwarded now (in the background). */
  get queued(): { waiting: number; sending: number } {
    return { waiting: this.queue.waiting, sending: this.queue.sending };
  }

  /** `wait` mode: sends `request` and says what its sender is answered; notes it on the request and in the store. */
  async relay(request: CapturedRequest): Promise<Relayed> {
    const result = await this.send(request);
    const relayed = relayOf(result, request.id, this.options);
    const forward = infoOf(result);
    request.forward = forward;
    request.response.status = relayed.status;
    this.deps.note(request.id, { answered: relayed.status, forward }).catch(() => undefined);
    return relayed;
  }

  /** Forwards a capture its sender was already answered (`ack` mode, or a response rule answered it). */
  background(request: CapturedRequest): void {
    this.queue.add(request.id, request);
  }

  /** Forwards stored captures whose forward had not ended when hook-catch last stopped, oldest first, before any new one. */
  resume(ids: string[]): void {
    for (const id of ids) this.queue.add(id);
  }

  /** Stops forwarding; what waits is not sent now (it stays owed in the store: the next start sends it). Idempotent. */
  close(): void {
    this.queue.close();
    this.agents.http?.destroy();
    this.agents.https?.destroy();
  }

  /** Keeps why a capture is not forwarded (with the status its sender got, read back when only its id waited). */
  private async drop(id: string, why: string, request: CapturedRequest | null): Promise<void> {
    const stored = request ?? (await this.deps.load([id]).catch(() => []))[0];
    if (stored) await this.keepNote(id, { answered: stored.response.status, forward: notSent(why) });
  }

  private async keep(request: CapturedRequest, forward: ForwardInfo): Promise<void> {
    await this.keepNote(request.id, { answered: request.response.status, forward });
  }

  private async keepNote(id: string, note: ForwardNote): Promise<void> {
    try {
      await this.deps.note(id, note);
    } catch {
      return; // the store is closing or cannot write: the capture is kept, still owed, and forwarded at the next start
    }
    this.deps.onForwarded(id, note);
  }

  private send(request: CapturedRequest): Promise<SendResult> {
    const target = this.deps.targetOf?.(request) ?? this.options.url;
    if (!target) return Promise.resolve({ ok: false, failure: 'other', error: 'no forward target: its job has no webhook URL of its own', latencyMs: 0 });
    const out = outgoing(request, target);
    return send(out, {
      timeoutMs: this.options.timeoutMs,
      timeoutFlag: '--forward-timeout',
      keepBytes: this.options.maxAnswer + 1,
      agent: this.agentFor(target),
    });
  }

  /** Keep-alive connections per scheme: the targets of a job's own webhook URL may be http or https. */
  private agentFor(url: URL): HttpAgent {
    const options = { keepAlive: true, maxSockets: 64 };
    if (url.protocol === 'https:') return (this.agents.https ??= new HttpsAgent({ ...options, rejectUnauthorized: !this.options.insecure }));
    return (this.agents.http ??= new HttpAgent(options));
  }
}

/** What is kept on a capture hook-catch did not forward: `why` starts with `not forwarded:`. */
export function notSent(why: string): ForwardInfo {
  return { status: null, latencyMs: 0, error: why, notSent: true };
}

function infoOf(result: SendResult): ForwardInfo {
  return result.ok ? { status: result.status, latencyMs: result.latencyMs } : { status: null, latencyMs: result.latencyMs, error: result.error };
}

/** The app's answer as its sender gets it: status, headers that describe the message, body; or 502 / 504 saying why not. */
function relayOf(result: SendResult, id: string, options: ForwarderOptions): Relayed {
  const kept = `hook-catch kept this webhook (id ${id})`;
  if (!result.ok) {
    const status = result.failure === 'timeout' ? 504 : 502;
    return jsonAnswer(status, id, `${kept} but your app did not take it: ${result.error}`);
  }
  if (result.truncated) {
    return jsonAnswer(502, id, `${kept}; your app answered ${result.status} with more than ${formatBytes(options.maxAnswer)}, too much to pass on.`);
  }
  const headers = result.headers.filter(([name]) => !isHopByHop(name) && name.toLowerCase() !== 'content-length' && name.toLowerCase() !== 'date');
  headers.push(['X-Hook-Catch-Id', id]);
  return { status: result.status, headers, body: result.body };
}

function jsonAnswer(status: number, id: string, error: string): Relayed {
  const body = Buffer.from(JSON.stringify({ ok: false, id, error }) + '\n');
  return {
    status,
    headers: [
      ['Content-Type', 'application/json; charset=utf-8'],
      ['X-Hook-Catch-Id', id],
    ],
    body,
  };
}
