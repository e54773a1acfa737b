import type { Job } from './types.js';

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
    if (this.stopped || job.status === 'completed' || job.status === 'failed' || job.status === 'expired') return;
    const at = Date.parse(job.expiresAt);
    if (at >= this.due) return;
    clearTimeout(this.timer);
    this.due = at;
    this.timer = setTimeout(() => {
      this.due = Infinity;
      this.onDue();
    }, Math.min(LONGEST_TIMER_MS, Math.max(0, at - this.now())));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
