import type { EncodedBody, RequestFields } from '../capture/shapes.js';

// The jobs as the inspector API and the stream send them. The server's jobs (src/jobs/) are these
// types: this is their one declaration.

/**
 * Where a job stands. `pending`: registered, nothing delivered yet. `webhook_lost`: its provider's
 * status endpoint (polled) said it ended, and no webhook saying so came within the grace period.
 * `refused`: webhooks came, but every one was answered non-2xx (by a response rule, or by the app in
 * `--forward-mode wait`), so none was acknowledged: the provider will usually send it again.
 * `imported`: known only from imported fixtures (`hook-catch import`), no live delivery yet.
 * Only acknowledged webhooks make a job `in_progress`, `completed` or `failed`.
 */
export type JobStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'expired' | 'webhook_lost' | 'refused' | 'imported';

/** What one delivery's payload says about its job. */
export type PayloadStatus = 'in_progress' | 'completed' | 'failed';

/** One webhook attached to a job. */
export interface Delivery {
  /** The stored request (`hook-catch show <requestId>`). */
  requestId: string;
  receivedAt: string;
  /** Where the job id was found: `body.data.jobId`, `query.taskId`, `path`, `header.x-job-id`, `rule body.response.request_id` … */
  matchedBy: string;
  /** What the payload says: from its status word, or `completed` when it has none. */
  status: PayloadStatus;
  /** The status word as sent (`Completed`, `InProgress` …), null when there was none. */
  statusWord: string | null;
  /** 1 for the first delivery of this body, n for the n-th time the same body came (a retry). */
  attempt: number;
  duplicate: boolean;
  /** The start of the body's sha-256 (base64url), to tell a retry from a new delivery. */
  bodyHash: string;
  /**
   * `webhook`: the provider sent it (a delivery); `poll`: hook-catch fetched it from the provider's
   * status endpoint; `import`: a fixture put in the store (`hook-catch import`), shown under its job
   * but not a live delivery (it neither counts as an attempt nor moves the job's status); `submit`:
   * the app's call that submitted the job through the provider port (`--provider`). A `poll` is then
   * also the app's own status call through that port.
   */
  source: 'webhook' | 'poll' | 'import' | 'submit';
  /** The HTTP status its sender was answered; a webhook answered non-2xx was refused, not acknowledged. 0: none (see `unanswered`). */
  answered: number;
  /** A response rule answered nothing: held unanswered until it timed out (`hung`), or closed at once (`dropped`). */
  unanswered?: 'hung' | 'dropped';
  /** The response rule that decided its answer, in words (`rule r1: 429 Too Many Requests on purpose, Retry-After 1 (throttle 429:1s)`). */
  rule?: string;
  /** The stored request's method and path (no query: it may hold a key), so a timeline can say what was sent. */
  method: string;
  path: string;
}

/** What the provider's status endpoint said last, and when it first said the job ended. */
export interface ProviderStatus {
  status: PayloadStatus | null;
  statusWord: string | null;
  /** When it was polled. */
  at: string;
  /** The stored poll answer. */
  requestId: string;
}

/** Polling of a job's status endpoint (`expect --poll`), as the job shows it. Never holds a secret. */
export interface JobPoll {
  /** The URL polled, `{jobId}` filled in and `$NAME` variables left as written. */
  url: string;
  everyMs: number;
  graceMs: number;
  statusPath: string | null;
  /** `polling`; `done` (the provider said the job ended, or the job settled or expired); `paused` (see `error`). */
  state: 'polling' | 'done' | 'paused';
  /** Polls made by this run of hook-catch. */
  count: number;
  lastPolledAt: string | null;
  /** The HTTP status of the last answer; null when it failed (see `error`). */
  lastHttpStatus: number | null;
  /** The last poll's error, or why polling is paused, in plain words; null when the last poll went well. */
  error: string | null;
  nextAt: string | null;
  provider: ProviderStatus | null;
  /** When the provider first said the job ended. */
  doneAt: string | null;
  /** How long after `doneAt` the webhook saying the job ended came (negative: before); null until both are known. */
  webhookLagMs: number | null;
}

export interface StatusChange {
  status: JobStatus;
  at: string;
}

export interface Job {
  id: string;
  label: string | null;
  /**
   * `expect`: registered by the user; `submit`: registered by the app's submit through the provider
   * port (`--provider`); `webhook`: seen in a webhook before (or without) registration.
   */
  source: 'expect' | 'webhook' | 'submit';
  registeredAt: string | null;
  firstSeenAt: string;
  /** When a job still waiting becomes `expired`. */
  expiresAt: string;
  status: JobStatus;
  history: StatusChange[];
  deliveries: Delivery[];
  /** Present when its status endpoint is polled (`expect --poll`). */
  poll?: JobPoll;
  /** Present when the app submitted it through the provider port (`--provider`). */
  submit?: JobSubmit;
}

/** How the app submitted a job through the provider port. */
export interface JobSubmit {
  /** The stored call (`hook-catch show <requestId>` shows the request and the provider's answer). */
  requestId: string;
  at: string;
  /** The provider's base URL. */
  provider: string;
  /** The webhook URL the app gave the provider, as it gave it; null when it gave none. */
  webhookUrl: string | null;
  /** With `--rewrite-webhook-url`: the URL the provider was given instead; each of the job's webhooks is forwarded to `webhookUrl`. */
  rewrittenTo: string | null;
  /**
   * The first of the app's status calls whose answer said the job ended (completed or failed):
   * from then on its webhook has the grace period (2 min) to come before the job is `webhook_lost`.
   */
  ended: ProviderStatus | null;
}

/** A stored request's job, as lists and the terminal line show it. */
export interface JobMatch {
  jobId: string;
  /** The job's status now. */
  jobStatus: JobStatus;
  /** True when the user registered the job (`expect`), false when only webhooks named it. */
  expected: boolean;
  matchedBy: string;
  attempt: number;
  duplicate: boolean;
  /** As the delivery's: the start of its body's sha-256, so that a page can tell which earlier delivery a duplicate repeats. */
  bodyHash: string;
  /** What this delivery's payload said. */
  status: PayloadStatus;
  statusWord: string | null;
  /** As the delivery's: `webhook`, `poll` or `import`. */
  source: Delivery['source'];
  /** As the delivery's: the response rule that decided its answer, in words. */
  rule?: string;
  /** A webhook its sender was answered non-2xx: not acknowledged. */
  refused: boolean;
}

/** A job as lists show it: without its history and deliveries, with their counts and the newest. */
export type JobSummary = Omit<Job, 'deliveries' | 'history'> & {
  /** Webhooks the provider sent (not polled answers, not imports). */
  deliveryCount: number;
  /** Of those, the ones answered non-2xx: not acknowledged. */
  refusedCount: number;
  refusedWith: number[];
  /** Imported fixtures matched to the job: shown with it, not deliveries. */
  importedCount: number;
  /** The newest delivery's time and request. */
  lastDeliveryAt: string | null;
  lastRequestId: string | null;
};

/** `GET /api/jobs`: summaries, or with `full=1` every job with its deliveries and history. */
export interface JobList<J extends Job | JobSummary = JobSummary> {
  items: J[];
}

/** What `POST /api/jobs` takes (the page's form, `hook-catch expect`); it answers the `Job`. */
export interface JobRequest {
  id: string;
  label?: string;
  /** A duration (`30m`) or milliseconds. */
  ttl?: string | number;
  poll?: {
    url: string;
    headers?: (string | [string, string])[];
    every?: string | number;
    grace?: string | number;
    statusPath?: string | null;
    env?: Record<string, string>;
  };
}

/** How a wait for a job ended. */
export type WaitOutcome = 'completed' | 'failed' | 'delivered' | 'timeout' | 'expired' | 'lost';

/** `GET /api/jobs/:id/wait`: how the wait ended, the job, the delivery that settled it and its request (null on timeout, or when no longer stored). */
export interface WaitAnswer {
  outcome: WaitOutcome;
  job: Job;
  delivery: Delivery | null;
  request: (RequestFields & EncodedBody) | null;
}
