import { providerEnd } from './ended.js';
import type { Job, JobStatus } from './types.js';

/**
 * Statuses a job does not expire from: ended, already expired, or waiting on nothing it was given
 * a time for (a lost or refused webhook may still come: it is matched then; a job known only from
 * imports was never waited for).
 */
export const NOT_EXPIRING = new Set<JobStatus>(['completed', 'failed', 'expired', 'webhook_lost', 'refused', 'imported']);

/** setTimeout's longest delay; a later expiry is looked at again then. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * One timer for all jobs: it fires when the soonest-expiring job that is still waiting is due, so
 * that its expiry is announced when it happens. (Reading a job also expires it when due, so a clock
 * given for tests needs no timer.)
 */
export class ExpiryTimer {
  private timer: NodeJS.Timeout | undefined;
  private due = Infinity;
  private stopped = false;

  constructor(
    private readonly now: () => number,
    private readonly onDue: () => void,
  ) {}

  /** Takes a job's expiry into account (after it was created, registered or delivered). */
  consider(job: Job): void {
    // A job past its time that cannot expire must not set the timer again and again.
    if (this.stopped || NOT_EXPIRING.has(job.status)) return;
    const at = Date.parse(job.expiresAt);
    if (at >= this.due) return;
    clearTimeout(this.timer);
    this.due = at;
    this.timer = setTimeout(
      () => {
        this.due = Infinity;
        this.onDue();
      },
      Math.min(LONGEST_TIMER_MS, Math.max(0, at - this.now())),
    );
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

/**
 * One timer per job whose provider said it ended: it fires when the job's grace period runs out,
 * so that a lost webhook is announced when it is lost. (Reading a job also checks, as with expiry.)
 */
export class LostTimer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly now: () => number,
    private readonly onDue: (jobId: string) => void,
  ) {}

  consider(job: Job): void {
    const end = providerEnd(job);
    if (this.stopped || !end || this.timers.has(job.id) || job.status === 'completed' || job.status === 'failed') return;
    const due = Date.parse(end.at) + end.graceMs;
    const wait = Math.min(LONGEST_TIMER_MS, Math.max(0, due - this.now()));
    const timer = setTimeout(() => {
      this.timers.delete(job.id);
      // A timer may fire a millisecond before the clock says it is due: then it is set again.
      if (this.now() < due) return this.consider(job);
      this.onDue(job.id);
    }, wait);
    timer.unref();
    this.timers.set(job.id, timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
