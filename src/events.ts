import { EventEmitter } from 'node:events';
import type { JobEvent } from './jobs/types.js';
import type { CapturedRequest } from './capture/capture.js';
import type { ReplayRecord } from './capture/records.js';
import type { ResponseRule } from './rules/types.js';
import type { AnalysisNote, ForwardNote } from './store/record-line.js';
import type { TunnelStatus } from './tunnel/ngrok.js';
import type { KeptMockEvent } from './wire/mock.js';

/**
 * What a running hook-catch announces. Data flows one way: the receiver stores a request, then
 * emits it here; the jobs subscribe first (and announce what changed for a job), then the
 * terminal (and, next, the page's stream and the forwarder). Nothing here reaches back up.
 */
export interface HookCatchEventMap {
  /** A request was stored and answered. */
  request: [request: CapturedRequest, latencyMs: number];
  /** The store could not keep a request: it was answered 503, so the sender retries it. */
  unstored: [request: CapturedRequest, error: unknown];
  /** A stored request was deleted (`DELETE /api/requests/:id`, `hc.store.delete`). */
  deleted: [id: string];
  /** Every stored request was deleted; how many there were. */
  cleared: [count: number];
  /** A job was registered, got a delivery, or changed status (expiry included). */
  job: [event: JobEvent];
  /** A capture forwarded in the background (`--forward-mode ack`, or answered by a rule) got its answer from the app. */
  forwarded: [id: string, note: ForwardNote];
  /**
   * What was found in a capture's body after it was answered (its `--schema` verdict, its drift) is kept in the store.
   * (A large body's JSON check and event type, told before the capture is announced, come with its `request` event.)
   */
  analysis: [id: string, note: Pick<AnalysisNote, 'schema' | 'drift'>];
  /** The background forwards waiting and being sent changed (`--forward`). */
  forwardQueue: [queued: { waiting: number; sending: number }];
  /** A capture was sent again (replay) and the record kept. */
  replayed: [record: ReplayRecord];
  /** The response rules changed; the rules now in force. */
  rules: [rules: ResponseRule[]];
  /** The tunnel dropped (`closed`, ngrok retries) or came back (`connected`). */
  tunnel: [status: TunnelStatus, publicUrl: string | null];
  /** A running `hook-catch mock` on this folder reported what it did (kept in memory for the page). */
  mock: [event: KeptMockEvent];
}

export type HookCatchEvents = EventEmitter<HookCatchEventMap>;

export function createEvents(): HookCatchEvents {
  return new EventEmitter<HookCatchEventMap>();
}
