import type { BodyPart, EncodedBody } from '../capture/shapes.js';

// One async job as a file: what the app asked the provider, what the provider answered, and every
// webhook it sent, each at its offset from the submit. `hook-catch export --scenario` writes it from
// a recording (`start --provider`); `hook-catch mock` plays the provider back from it, offline. The
// JSON Schema is schema/scenario@1.schema.json in the package.

export const SCENARIO_FORMAT = 'hook-catch/scenario@1';

/** What a redacted header or query value is replaced by (a signature header is signed again on playback instead). */
export const REDACTED = '[redacted]';

export interface Scenario {
  format: typeof SCENARIO_FORMAT;
  /** The hook-catch version that wrote it. */
  createdBy: string;
  job: ScenarioJob;
  /** Narrows or widens how `mock` matches a request to this scenario's submit and polls (see docs/provider-double.md). */
  match?: ScenarioMatch;
  /** What was redacted: `header <name>`, `query <name>`. */
  redacted: string[];
  /** Every call and webhook of the job, in time order; the first is the submit. */
  steps: ScenarioStep[];
}

export interface ScenarioJob {
  /** The job id as recorded: `mock` replaces it with a fresh one wherever it appears. */
  id: string;
  label: string | null;
  /** The provider's base URL as recorded (`--provider`). */
  provider: string;
  /** Where the job stood when it was exported (`completed`, `failed` …). */
  status: string;
  /** ISO time of the submit. */
  submittedAt: string;
  /** The webhook URL the app gave in the submit, as it gave it; null when it gave none. */
  webhookUrl: string | null;
}

export interface ScenarioMatch {
  /** Query parameters whose values never keep a request from matching (besides the defaults). */
  ignoreQuery?: string[];
  /** Body fields (`body.metadata.requestedAt`) whose values never keep a request from matching. */
  ignoreBody?: string[];
  /** Body fields whose values must be the recorded ones for a request to match. */
  exactBody?: string[];
}

export type ScenarioStep = SubmitStep | PollStep | WebhookStep;

interface StepBase {
  /** Milliseconds after the submit was sent. */
  atMs: number;
}

/** The app's request to the provider (or the provider's webhook to the app), as sent. */
export interface ScenarioRequest extends Partial<EncodedBody> {
  method: string;
  /** Path and query: for a call, below the provider's base URL; for a webhook, as it was received. */
  url: string;
  /** Order, case and duplicates kept; a redacted value is `[redacted]`. */
  headers: [string, string][];
  bodySize: number;
  /** Set when the body's bytes are not in the file (a large upload): then `body` is absent. */
  omitted?: { contentType: string | null; sha256?: string; parts?: BodyPart[] };
}

/** The provider's answer to a call. */
export interface ScenarioAnswer extends EncodedBody {
  status: number;
  headers: [string, string][];
  latencyMs: number;
  /** Set when the provider could not be reached: then the answer is hook-catch's 502. */
  error?: string;
}

export interface SubmitStep extends StepBase {
  kind: 'submit';
  request: ScenarioRequest;
  answer: ScenarioAnswer;
  /** Where the job id is in the answer (`body.jobId`). */
  idAt: string;
  /** Where the webhook URL is in the request (`query.webhook`, `body.webhook.url`); absent when none was given. */
  webhookUrlAt?: string;
}

export interface PollStep extends StepBase {
  kind: 'poll';
  request: ScenarioRequest;
  answer: ScenarioAnswer;
  /** What the answer said of the job (`InProgress`, `Success`), and what that means. */
  statusWord: string | null;
  status: 'in_progress' | 'completed' | 'failed' | null;
}

export interface WebhookStep extends StepBase {
  kind: 'webhook';
  /** 1 for the first delivery of this body, n for its n-th (a retry). */
  attempt: number;
  duplicate: boolean;
  request: ScenarioRequest;
  /** What the webhook was answered, and by whom: hook-catch's receiver, or the app it was forwarded to. */
  answered: { status: number | null; by: 'hook-catch' | 'app' };
  /** The signing scheme the recorded webhook carried, when hook-catch knew it: `mock --resign` signs with it. */
  scheme?: string;
  statusWord: string | null;
  status: 'in_progress' | 'completed' | 'failed';
}
