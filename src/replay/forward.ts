import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { CapturedRequest } from '../receiver/capture.js';
import type { ForwardNote } from '../store/record-line.js';
import { formatBytes } from '../units.js';
import { isHopByHop, outgoing } from './outgoing.js';
import { send } from './send.js';
import type { ForwardInfo, SendResult } from './types.js';

/** `wait`: the sender gets the app's answer; `ack`: the sender gets 200 at once, the app gets it in the background. */
export type ForwardMode = 'wait' | 'ack';

export interface ForwarderOptions {
  url: URL;
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
}

/** What the sender of a forwarded capture is answered. */
export interface Relayed {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/** Background forwards at once; more wait their turn, in arrival order. */
const CONCURRENCY = 8;
/** Background forwards waiting beyond this are not made (the captures are kept; replay sends them). */
const MAX_WAITING = 10_000;

/**
 * `--forward URL`: every capture is sent on to the user's app byte-exact, as replay sends it, after
 * it is stored. In `wait` mode the sender gets the app's answer (502 when the app cannot be
 * reached, 504 when it does not answer in time); in `ack` mode it was answered at once and the
 * forward runs in the background. Either way the app's status and latency are kept with the capture.
 */
export class Forwarder {
  private readonly agent: HttpAgent;
  private readonly waiting: CapturedRequest[] = [];
  private running = 0;
  private closed = false;

  constructor(readonly options: ForwarderOptions, private readonly deps: ForwarderDeps) {
    const agentOptions = { keepAlive: true, maxSockets: 64 };
    this.agent = options.url.protocol === 'https:' ? new HttpsAgent({ ...agentOptions, rejectUnauthorized: !options.insecure }) : new HttpAgent(agentOptions);
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
    if (this.closed) return;
    if (this.waiting.length >= MAX_WAITING) {
      const forward = { status: null, latencyMs: 0, error: `not forwarded: ${MAX_WAITING} forwards were already waiting for ${this.options.url.origin} (replay it later)` };
      void this.keep(request, forward);
      return;
    }
    this.waiting.push(request);
    this.pump();
  }

  /** Stops forwarding; what waits is not sent (the captures are kept). Idempotent. */
  close(): void {
    this.closed = true;
    this.waiting.length = 0;
    this.agent.destroy();
  }

  private pump(): void {
    while (this.running < CONCURRENCY && this.waiting.length && !this.closed) {
      const request = this.waiting.shift()!;
      this.running++;
      this.send(request)
        .then((result) => this.keep(request, infoOf(result)))
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }

  private async keep(request: CapturedRequest, forward: ForwardInfo): Promise<void> {
    const note = { answered: request.response.status, forward };
    try {
      await this.deps.note(request.id, note);
    } catch {
      return; // the store is closing or cannot write: the capture is kept, its forward's answer is not
    }
    this.deps.onForwarded(request.id, note);
  }

  private send(request: CapturedRequest): Promise<SendResult> {
    const out = outgoing(request, this.options.url);
    return send(out, { timeoutMs: this.options.timeoutMs, timeoutFlag: '--forward-timeout', keepBytes: this.options.maxAnswer + 1, agent: this.agent });
  }
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
  return { status, headers: [['Content-Type', 'application/json; charset=utf-8'], ['X-Hook-Catch-Id', id]], body };
}
