import { getJson } from './api.js';
import type { Delivery, Job, JobMatch, JobSummary, StreamMessage } from './types.js';

type JobMessage = Extract<StreamMessage, { type: 'job' }>;

/**
 * Every job the page knows, with its deliveries and history: loaded once from the API, then kept
 * current by the stream's `job` messages (registered, delivered, status).
 */
export class JobsModel {
  jobs = new Map<string, Job>();
  /** Goes up each time a job changes, so a view redraws only the jobs that did. */
  versions = new Map<string, number>();
  /** Where each delivery is in its job's list, by request id (built when first needed). */
  private positions = new Map<string, Map<string, number>>();
  loaded = false;
  private pending: JobMessage[] | null = null;

  constructor(private readonly changed: () => void) {}

  async load(): Promise<void> {
    this.pending = [];
    try {
      const { items } = await getJson<{ items: Job[] }>('/api/jobs?full=1');
      this.jobs = new Map(items.map((job) => [job.id, job]));
      this.versions.clear();
      this.positions.clear();
      this.loaded = true;
      const pending = this.pending;
      this.pending = null;
      for (const message of pending) this.apply(message);
    } finally {
      this.pending = null;
      this.changed();
    }
  }

  /** Applies a `job` message; returns the request whose job match it changes, if any. */
  apply(message: JobMessage): { requestId: string; match: JobMatch } | null {
    if (this.pending) this.pending.push(message);
    const job = this.merge(message.job);
    this.versions.set(job.id, (this.versions.get(job.id) ?? 0) + 1);
    let changedRequest: { requestId: string; match: JobMatch } | null = null;
    if (message.event === 'delivered') {
      const d = message.delivery;
      this.addDelivery(job, d);
      changedRequest = { requestId: d.requestId, match: matchOf(job, d) };
    } else if (message.event === 'status' && job.history.at(-1)?.status !== message.to) {
      job.history.push({ status: message.to, at: job.deliveries.at(-1)?.receivedAt ?? new Date().toISOString() });
    }
    this.changed();
    return changedRequest;
  }

  /**
   * Adds a delivery in time order, or replaces it (a later delivery renumbered its attempt). A job
   * can have thousands: each is found by its request id, and the list is sorted only when one
   * arrives out of order.
   */
  private addDelivery(job: Job, d: Delivery): void {
    let positions = this.positions.get(job.id);
    if (!positions) {
      positions = new Map(job.deliveries.map((x, i) => [x.requestId, i]));
      this.positions.set(job.id, positions);
    }
    const at = positions.get(d.requestId);
    const last = job.deliveries.at(-1);
    if (at !== undefined) {
      job.deliveries[at] = d;
    } else if (!last || last.receivedAt <= d.receivedAt) {
      positions.set(d.requestId, job.deliveries.length);
      job.deliveries.push(d);
    } else {
      job.deliveries.push(d);
      job.deliveries.sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
      this.positions.delete(job.id); // found again from the sorted list next time
    }
  }

  status(jobId: string): Job['status'] | undefined {
    return this.jobs.get(jobId)?.status;
  }

  private merge(summary: JobSummary): Job {
    const { deliveryCount: _count, ...fields } = summary as JobSummary & { lastDeliveryAt?: unknown; lastRequestId?: unknown };
    delete (fields as { lastDeliveryAt?: unknown }).lastDeliveryAt;
    delete (fields as { lastRequestId?: unknown }).lastRequestId;
    const known = this.jobs.get(summary.id);
    if (known) {
      Object.assign(known, fields);
      return known;
    }
    const job: Job = { ...fields, history: [{ status: 'pending', at: summary.registeredAt ?? summary.firstSeenAt }], deliveries: [] };
    this.jobs.set(job.id, job);
    return job;
  }
}

function matchOf(job: Job, d: Delivery): JobMatch {
  return {
    jobId: job.id,
    jobStatus: job.status,
    expected: job.source === 'expect',
    matchedBy: d.matchedBy,
    attempt: d.attempt,
    duplicate: d.duplicate,
    status: d.status,
    statusWord: d.statusWord,
  };
}
