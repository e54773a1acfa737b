import type { Delivery, Job, JobStatus } from '../wire/jobs.js';

// A job's shapes are the wire contract's (src/wire/jobs.ts), declared there once: the API and the page send and read them as they are.
export type { Delivery, Job, JobMatch, JobPoll, JobStatus, JobSubmit, PayloadStatus, ProviderStatus, StatusChange } from '../wire/jobs.js';

/** Every status, in the order a job can reach them (for `jobs --status` and `GET /api/jobs?status=`). */
export const JOB_STATUSES: JobStatus[] = ['pending', 'in_progress', 'completed', 'failed', 'expired', 'webhook_lost', 'refused', 'imported'];

/** What changed about a job: the `job` event of `start()`'s events, and what the page will stream. */
export type JobEvent =
  | { type: 'registered'; job: Job }
  | { type: 'delivered'; job: Job; delivery: Delivery }
  | { type: 'status'; job: Job; from: JobStatus; to: JobStatus }
  /** Its polling changed: a poll made, an error, paused, done. */
  | { type: 'poll'; job: Job };
