// The live stream (`GET /ws`): each frame is a JSON array of these messages, in order.
import type { DriftInfo, ForwardInfo, SchemaVerdict } from '../capture/shapes.js';
import type { Delivery, JobStatus, JobSummary } from './jobs.js';
import type { KeptMockEvent } from './mock.js';
import type { ReplaySummary } from './replay.js';
import type { ListedRequest } from './requests.js';
import type { ResponseRule } from './rules.js';
import type { Status, TunnelStatus } from './status.js';

/** A job's change: registered, a delivery found, its status moved, or its polling changed. */
export type JobMessage =
  | { type: 'job'; event: 'registered'; job: JobSummary }
  | { type: 'job'; event: 'delivered'; job: JobSummary; delivery: Delivery }
  | { type: 'job'; event: 'status'; job: JobSummary; from: JobStatus; to: JobStatus }
  /** Its polling changed: a poll made, an error, paused, done. */
  | { type: 'job'; event: 'poll'; job: JobSummary };

export type StreamMessage =
  | ({ type: 'status' } & Status)
  | { type: 'request'; request: ListedRequest }
  | { type: 'deleted'; id: string }
  | { type: 'cleared'; count: number }
  /** The reader missed too much (or sent no id): reload the list. */
  | { type: 'reset'; reason: string }
  | { type: 'tunnel'; status: TunnelStatus; publicUrl: string | null }
  /** What the app answered a capture forwarded in the background; `status` is what its sender was answered. */
  | { type: 'forwarded'; id: string; status: number; forward: ForwardInfo }
  | { type: 'forwardQueue'; waiting: number; sending: number }
  /** A verdict on a capture's body made after the capture was streamed: its schema verdict, its drift (each as in its summary). */
  | { type: 'analysis'; id: string; schema?: SchemaVerdict; drift?: DriftInfo }
  | { type: 'replay'; replay: ReplaySummary }
  | { type: 'rules'; rules: ResponseRule[] }
  /** A running `hook-catch mock` on this folder did something (a submit, a poll, a webhook, an unmatched request). */
  | { type: 'mock'; event: KeptMockEvent }
  | JobMessage;
