import { getJson } from './api.js';
import { decodeId } from './generated/capture/ids.js';
import { isRefused } from './generated/jobs/counts.js';
import type { Delivery, Job, JobList, JobMatch, JobMessage, JobSummary, ListedRequest } from './types.js';

// Counted as the server counts them: the same code, copied by the build from src/jobs/counts.ts.
export { answeredWords, arrivedAt, deliveryAnswer, deliveryCounts, isRefused } from './generated/jobs/counts.js';

/**
 * Every job the page knows, with its deliveries and history: loaded from the API, then kept
 * current by the stream: `job` messages (registered, status, and deliveries found later, such as a
 * job registered after its webhook) and each `request` message's job match (its delivery).
 */
export class JobsModel {
  jobs = new Map<string, Job>();
  /** Goes up each time a job changes, so a view redraws only the jobs that did. */
  versions = new Map<string, number>();
  /** Where each delivery is in its job's list, by request id (built when first needed). */
  private positions = new Map<string, Map<string, number>>();
  /** What the stream said while the list was loading, applied again over it. */
  private pending: (() => void)[] | null = null;

  constructor(private readonly changed: () => void) {}

  async load(): Promise<void> {
    this.pending = [];
    try {
      const { items } = await getJson<JobList<Job>>('/api/jobs?full=1');
      this.jobs = new Map(items.map((job) => [job.id, job]));
      this.versions.clear();
      this.positions.clear();
      const pending = this.pending;
      this.pending = null;
      for (const again of pending) again();
    } finally {
      this.pending = null;
      this.changed();
    }
  }

  /** Applies a `job` message; returns the request whose job match it changes, if any. */
  apply(message: JobMessage): { requestId: string; match: JobMatch } | null {
    if (this.pending) this.pending.push(() => this.apply(message));
    const job = this.merge(message.job);
    this.versions.set(job.id, (this.versions.get(job.id) ?? 0) + 1);
    let changedRequest: { requestId: string; match: JobMatch } | null = null;
    if (message.event === 'delivered') {
      const d = message.delivery;
      this.addDelivery(job, d);
      changedRequest = { requestId: d.requestId, match: matchOf(job, d) };
    } else if (message.event === 'status' && job.history.at(-1)?.status !== message.to) {
      // Its delivery, if one caused it, is told by the request message that follows. A lost webhook
      // is dated as the server dates it: when the grace after the provider's done ran out.
      job.history.push({ status: message.to, at: message.to === 'webhook_lost' ? (graceEnd(job) ?? new Date().toISOString()) : new Date().toISOString() });
    }
    this.changed();
    return changedRequest;
  }

  /** A request that came with its job match: the delivery it is, on its job (made when new to the page). */
  delivered(request: ListedRequest): void {
    const match = request.job;
    if (!match) return;
    if (this.pending) this.pending.push(() => this.delivered(request));
    // An import is dated by its arrival here, as the server dates what it changes.
    const arrived = request.imported ? decodeId(request.id) : null;
    const at = arrived ? new Date(arrived.time).toISOString() : request.receivedAt;
    let job = this.jobs.get(match.jobId);
    if (!job) {
      job = {
        id: match.jobId,
        label: null,
        source: match.source === 'submit' ? 'submit' : match.expected ? 'expect' : 'webhook',
        registeredAt: null,
        firstSeenAt: at,
        expiresAt: at,
        status: 'pending',
        history: [{ status: 'pending', at }],
        deliveries: [],
      };
      this.jobs.set(job.id, job);
    }
    if (job.status !== match.jobStatus) {
      job.status = match.jobStatus;
      job.history.push({ status: match.jobStatus, at });
    }
    this.addDelivery(job, {
      requestId: request.id,
      receivedAt: request.receivedAt,
      matchedBy: match.matchedBy,
      status: match.status,
      statusWord: match.statusWord,
      attempt: match.attempt,
      duplicate: match.duplicate,
      bodyHash: match.bodyHash,
      source: match.source,
      answered: request.status,
      method: request.method,
      path: request.path,
      ...(request.unanswered && { unanswered: request.unanswered }),
      ...(match.rule && { rule: match.rule }),
    });
    this.versions.set(job.id, (this.versions.get(job.id) ?? 0) + 1);
    this.changed();
  }

  /**
   * Adds a delivery in order of arrival (by request id, as the server keeps them: an import keeps
   * its older time), or replaces it (a later delivery renumbered its attempt). A job can have
   * thousands: each is found by its request id, and the list is sorted only when one arrives out of order.
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
    } else if (!last || last.requestId <= d.requestId) {
      positions.set(d.requestId, job.deliveries.length);
      job.deliveries.push(d);
    } else {
      job.deliveries.push(d);
      job.deliveries.sort((a, b) => (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0));
      this.positions.delete(job.id); // found again from the sorted list next time
    }
  }

  status(jobId: string): Job['status'] | undefined {
    return this.jobs.get(jobId)?.status;
  }

  private merge(summary: JobSummary): Job {
    // The counts are worked out from the deliveries here (deliveryCounts), as the server works out its own.
    const {
      deliveryCount: _count,
      refusedCount: _refused,
      refusedWith: _with,
      importedCount: _imported,
      lastDeliveryAt: _at,
      lastRequestId: _last,
      ...fields
    } = summary;
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

/** When a polled job's webhook was due at the latest: the provider's done plus the grace; null before the provider said done. */
export function graceEnd(job: Job): string | null {
  const poll = job.poll;
  return poll?.doneAt ? new Date(Date.parse(poll.doneAt) + poll.graceMs).toISOString() : null;
}

function matchOf(job: Job, d: Delivery): JobMatch {
  return {
    jobId: job.id,
    jobStatus: job.status,
    expected: job.source !== 'webhook',
    matchedBy: d.matchedBy,
    attempt: d.attempt,
    duplicate: d.duplicate,
    bodyHash: d.bodyHash,
    status: d.status,
    statusWord: d.statusWord,
    source: d.source,
    refused: isRefused(d),
  };
}
