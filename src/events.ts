import { EventEmitter } from 'node:events';
import type { CapturedRequest } from './receiver/capture.js';
import type { Delivery, Job } from './jobs/types.js';
import type { TunnelStatus } from './tunnel/ngrok.js';

/**
 * What a running hook-catch announces. Data flows one way: receiver -> store -> these events ->
 * (terminal, and the job registry, WebSocket and forwarder as they arrive).
 */
export interface HookCatchEventMap {
  /** A request was stored and answered. */
  request: [request: CapturedRequest, latencyMs: number];
  /** A stored request was matched to a job. */
  job: [job: Job, delivery: Delivery];
  /** The tunnel dropped (`closed`, ngrok retries) or came back (`connected`). */
  tunnel: [status: TunnelStatus, publicUrl: string | null];
}

export type HookCatchEvents = EventEmitter<HookCatchEventMap>;

export function createEvents(): HookCatchEvents {
  return new EventEmitter<HookCatchEventMap>();
}
