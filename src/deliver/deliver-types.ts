import type { CapturedRequest } from '../capture/capture.js';
import type { SendFailure } from '../capture/records.js';

/** One webhook to deliver: a stored capture or a fixture's request, and how the report names it. */
export interface DeliverItem {
  /** The short id of the capture (a fixture's: of the capture it was made from). */
  label: string;
  /** The stored capture's id; null for a fixture. */
  id: string | null;
  request: CapturedRequest;
}

/** One attempt to deliver a webhook, as the report keeps it. */
export interface AttemptRecord {
  attempt: number;
  /** ISO time it was sent. */
  at: string;
  /** The app's status, or null when it did not answer (then `failure` and `error` say why). */
  status: number | null;
  failure?: SendFailure;
  error?: string;
  latencyMs: number;
  /** The start of the sha-256 of the app's answer body (to tell answers apart). */
  answerHash?: string;
}

/** One send of a webhook with its retries: the first, or a duplicate sent after it. */
export interface SendReport {
  /** Its place in the order the sends went out (1 first): with --shuffle, not the order given. */
  order: number;
  duplicate: boolean;
  attempts: AttemptRecord[];
  /** True once an attempt was answered 2xx. */
  acknowledged: boolean;
}

export interface WebhookReport {
  label: string;
  /** The capture's id (none for a fixture). */
  id: string | null;
  method: string;
  path: string;
  sends: SendReport[];
  /** True when every send of it was acknowledged. */
  acknowledged: boolean;
}

/** A property a provider integration must hold, checked over the whole run. */
export interface Check {
  ok: boolean;
  /** What was checked, in words. */
  rule: string;
  /** What broke it, one line each (empty when ok). */
  problems: string[];
}

export interface DeliverReport {
  to: string;
  schedule: { attempts: number; backoffMs: number[]; speed: number; timeoutMs: number };
  webhooks: WebhookReport[];
  /** Said before sending: some carry a signature over a URL they no longer go to (Twilio's), which the app's check refuses. */
  warning?: string;
  checks: { acknowledged: Check; idempotent: Check; duplicatesNo5xx: Check };
  /** True when every check passed (the exit code follows it). */
  ok: boolean;
  durationMs: number;
}

/** What `deliver` tells a progress display as it goes. */
export type DeliverProgress =
  | { type: 'warning'; text: string }
  | { type: 'planned'; sends: number }
  | { type: 'attempt'; label: string; duplicate: boolean; attempt: AttemptRecord; willRetry: boolean }
  | { type: 'settled'; label: string; duplicate: boolean; acknowledged: boolean };
