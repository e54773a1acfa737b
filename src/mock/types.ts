import type { AttemptRecord } from '../deliver/deliver-types.js';
import type { VerifyInput } from '../capture/signature.js';
import type { Scenario } from '../scenario/format.js';
import type { Closest } from './router.js';

export type { AttemptRecord } from '../deliver/deliver-types.js';
export type { Closest } from './router.js';

export interface MockOptions {
  /** Scenario files, folders of them (every *.json), or scenario objects. */
  scenarios: string | string[] | Scenario[];
  /** Default 8082 (DEFAULTS.mockPort); 0 picks any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** How many times faster than recorded the webhooks and retries go: 1 (real time, the default), 10, or Infinity (`instant`: no waits, the recorded order kept). */
  speed?: number;
  /** Sign every webhook again with this secret, under `scheme` (default `auto`: the scheme the recording carried, else the one its headers show). */
  resign?: Pick<VerifyInput, 'scheme' | 'secret' | 'header'>;
  /** Send every webhook here instead of the URL the app's submit named. */
  webhookUrl?: string;
  /** Attempts per webhook in all, as a provider counts them; given (or `backoffMs` given), it replaces the recorded retries. */
  retries?: number;
  /** Waits between attempts (the last repeats); default: the recorded retries, then DEFAULTS.mockBackoffMs. */
  backoffMs?: number[];
  /** Each webhook attempt's limit: past it the attempt failed, and is retried (default 10 s). */
  timeoutMs?: number;
}

/** What the provider double tells as it plays, one event per line in the terminal. */
export type MockEvent =
  | { type: 'submit'; scenario: string; method: string; url: string; recordedId: string; id: string; webhookUrl: string | null }
  | { type: 'poll'; scenario: string; id: string; method: string; url: string; status: number; statusWord: string | null }
  | { type: 'webhook'; scenario: string; id: string; send: number; duplicate: boolean; attempt: AttemptRecord; willRetry: boolean }
  | { type: 'no-webhook-url'; scenario: string; id: string; webhooks: number }
  | { type: 'unmatched'; method: string; url: string; closest: Closest[] }
  | { type: 'job-done'; scenario: string; id: string; acknowledged: boolean };

/** One send of a webhook in a played job, with each attempt and how the app answered it. */
export interface MockSendSummary {
  /** The job's n-th send, in recorded order. */
  send: number;
  /** A duplicate: the provider sent the same body again after a 2xx. */
  duplicate: boolean;
  attempts: AttemptRecord[];
  acknowledged: boolean;
  /** Why it was not sent, or not sent again (no webhook URL, stopped). */
  notSent?: string;
}

export interface MockJobSummary {
  scenario: string;
  recordedId: string;
  /** The fresh id it was played with. */
  id: string;
  webhookUrl: string | null;
  polls: number;
  sends: MockSendSummary[];
  /** Every send acknowledged, given up after its retries, or not sent. */
  settled: boolean;
}

export interface UnmatchedRequest {
  method: string;
  url: string;
  closest: Closest[];
}

export interface MockSummary {
  jobs: MockJobSummary[];
  webhooks: { sent: number; acknowledged: number; givenUp: number; notSent: number };
  polls: number;
  /** The first 100 requests that matched nothing (`unmatchedCount` counts them all). */
  unmatched: UnmatchedRequest[];
  unmatchedCount: number;
}
