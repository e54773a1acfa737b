/** Where a job stands. `pending`: registered, nothing delivered yet. */
export type JobStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'expired';

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
}

export interface StatusChange {
  status: JobStatus;
  at: string;
}

export interface Job {
  id: string;
  label: string | null;
  /** `expect`: registered by the user; `webhook`: seen in a webhook before (or without) registration. */
  source: 'expect' | 'webhook';
  registeredAt: string | null;
  firstSeenAt: string;
  /** When a job still waiting becomes `expired`. */
  expiresAt: string;
  status: JobStatus;
  history: StatusChange[];
  deliveries: Delivery[];
}

/** What changed about a job: the `job` event of `start()`'s events, and what the page will stream. */
export type JobEvent =
  | { type: 'registered'; job: Job }
  | { type: 'delivered'; job: Job; delivery: Delivery }
  | { type: 'status'; job: Job; from: JobStatus; to: JobStatus };

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
  /** What this delivery's payload said. */
  status: PayloadStatus;
  statusWord: string | null;
}
