import { hash } from 'node:crypto';
import type { CapturedRequest } from '../receiver/capture.js';
import { HookCatchError } from '../errors.js';
import { extract, type JobIdRule } from './extract.js';
import type { Delivery, Job, JobStatus } from './types.js';

export interface RegistryOptions {
  rules: JobIdRule[];
  now: () => number;
  /** How long a job may wait for its delivery before it is `expired`. */
  ttlMs: number;
  /** Jobs kept; the ones idle longest go first. */
  maxJobs: number;
}

export interface ExpectOptions {
  label?: string;
  ttlMs?: number;
}

/** What one webhook did to a job (for the terminal line and events). */
export interface Correlation {
  job: Job;
  delivery: Delivery;
}

const TERMINAL = new Set<JobStatus>(['completed', 'failed']);
const UNCLAIMED_LIMIT = 1000;
/** Ids remembered for a registration that may come later, and deliveries per id: the recent ones are what matter. */
const CLAIMABLE_IDS = 5000;
const CLAIMABLE_PER_ID = 20;
/** Deliveries kept per job (the newest); `attempt` still counts every one. */
export const DELIVERIES_PER_JOB = 50;

/**
 * Which job each webhook belongs to. Fed every stored request (after it was answered, so it never
 * slows the receiver down); holds jobs by id with their deliveries. Expiry is worked out when a
 * job is looked at, so no timer runs per job.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  /** For each id a delivery could also belong to, that delivery (a registration may claim it later). */
  private readonly claimable = new Map<string, Delivery[]>();
  private readonly jobOfRequest = new Map<string, string>();
  private unclaimed: Delivery[] = [];
  private readonly listeners = new Set<(job: Job, delivery: Delivery | null) => void>();

  constructor(private readonly options: RegistryOptions) {}

  /** Takes the jobs of a saved document. */
  load(jobs: Job[], unclaimed: Delivery[]): void {
    for (const job of jobs) {
      this.jobs.set(job.id, job);
      for (const d of job.deliveries) this.remember(d, job.id);
    }
    for (const d of unclaimed) this.remember(d, null);
    this.unclaimed = unclaimed.slice(-UNCLAIMED_LIMIT);
  }

  /** Everything to save. */
  snapshot(): { jobs: Job[]; unclaimed: Delivery[] } {
    return { jobs: [...this.jobs.values()], unclaimed: this.unclaimed };
  }

  /** Calls `listener` whenever a job changes (a delivery, a registration). */
  onChange(listener: (job: Job, delivery: Delivery | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Attaches a stored request to its job; null when it names none. */
  record(request: CapturedRequest): Correlation | null {
    const { candidates, status, statusWord } = extract(request, this.options.rules);
    if (candidates.length === 0) return null;
    const registered = candidates.find((c) => this.jobs.get(c.id)?.source === 'expect');
    const chosen = registered ?? candidates.find((c) => this.jobs.has(c.id)) ?? candidates.find((c) => !c.weak);
    const delivery: Delivery = {
      requestId: request.id,
      receivedAt: request.receivedAt,
      matchedBy: chosen?.matchedBy ?? '',
      status: status ?? 'completed',
      statusWord,
      attempt: 1,
      duplicate: false,
      bodyHash: hash('sha256', request.body, 'hex'),
      candidates: candidates.map((c) => c.id),
    };
    if (!chosen) {
      this.unclaimed.push(delivery);
      if (this.unclaimed.length > UNCLAIMED_LIMIT) this.unclaimed.shift();
      this.remember(delivery, null);
      return null;
    }
    const job = this.jobs.get(chosen.id) ?? this.create(chosen.id, 'webhook', Date.parse(request.receivedAt));
    this.attach(job, delivery);
    this.remember(delivery, job.id);
    this.trim();
    this.changed(job, delivery);
    return { job, delivery };
  }

  /** Registers a job (`hook-catch expect`). Deliveries that came first, under this id, are claimed now. */
  expect(id: string, options: ExpectOptions = {}): Job {
    const jobId = id.trim();
    if (!jobId || jobId.length > 200) throw new HookCatchError('A job id is 1 to 200 characters.');
    const now = this.options.now();
    const job = this.jobs.get(jobId) ?? this.create(jobId, 'expect', now);
    job.source = 'expect';
    job.registeredAt = new Date(now).toISOString();
    job.expiresAt = new Date(now + (options.ttlMs ?? this.options.ttlMs)).toISOString();
    if (options.label !== undefined) job.label = options.label;
    for (const delivery of this.claimable.get(jobId) ?? []) {
      const holder = this.jobOfRequest.get(delivery.requestId);
      if (holder === jobId) continue;
      const donor = holder ? this.jobs.get(holder) : undefined;
      if (donor?.source === 'expect') continue; // already with a job someone registered
      if (donor) this.detach(donor, delivery);
      else this.unclaimed = this.unclaimed.filter((d) => d !== delivery);
      delivery.matchedBy = `${delivery.matchedBy || 'body'} (claimed on registration)`;
      this.attach(job, delivery);
      this.jobOfRequest.set(delivery.requestId, jobId);
    }
    if (job.status === 'expired') this.setStatus(job, 'pending');
    this.refreshStatus(job);
    this.changed(job, null);
    return job;
  }

  /** A job as it stands now (expired if its time ran out undelivered). */
  get(id: string): Job | undefined {
    const job = this.jobs.get(id);
    if (job) this.expireIfDue(job);
    return job;
  }

  list(status?: JobStatus): Job[] {
    const jobs = [...this.jobs.values()];
    for (const job of jobs) this.expireIfDue(job);
    return jobs.filter((j) => !status || j.status === status).sort((a, b) => lastActivity(b).localeCompare(lastActivity(a)));
  }

  private create(id: string, source: Job['source'], at: number): Job {
    const job: Job = {
      id,
      label: null,
      source,
      registeredAt: null,
      firstSeenAt: new Date(at).toISOString(),
      expiresAt: new Date(at + this.options.ttlMs).toISOString(),
      status: 'pending',
      history: [{ status: 'pending', at: new Date(at).toISOString() }],
      deliveries: [],
    };
    this.jobs.set(id, job);
    return job;
  }

  /** Adds a delivery: a body seen before for this job is a retry (attempt n, duplicate). */
  private attach(job: Job, delivery: Delivery): void {
    const last = job.deliveries.at(-1);
    job.deliveries.push(delivery);
    if (last && last.requestId > delivery.requestId) {
      // Arrived out of order (claimed on registration, or correlated again at start-up): renumber.
      job.deliveries.sort((a, b) => a.requestId.localeCompare(b.requestId));
      const seen = new Map<string, number>();
      for (const d of job.deliveries) {
        d.attempt = (seen.get(d.bodyHash) ?? 0) + 1;
        d.duplicate = d.attempt > 1;
        seen.set(d.bodyHash, d.attempt);
      }
    } else {
      const previous = job.deliveries.findLast((d) => d !== delivery && d.bodyHash === delivery.bodyHash);
      delivery.attempt = (previous?.attempt ?? 0) + 1;
      delivery.duplicate = delivery.attempt > 1;
    }
    if (job.deliveries.length > DELIVERIES_PER_JOB) {
      for (const d of job.deliveries.splice(0, job.deliveries.length - DELIVERIES_PER_JOB)) this.jobOfRequest.delete(d.requestId);
    }
    this.refreshStatus(job);
  }

  private detach(job: Job, delivery: Delivery): void {
    job.deliveries = job.deliveries.filter((d) => d !== delivery);
    if (job.deliveries.length === 0 && job.source === 'webhook') this.jobs.delete(job.id);
    else this.refreshStatus(job);
  }

  /** A completed or failed delivery decides (the latest one); progress only moves a job that is still waiting. */
  private refreshStatus(job: Job): void {
    const terminal = job.deliveries.findLast((d) => d.status !== 'in_progress');
    if (terminal) return this.setStatus(job, terminal.status);
    if (job.deliveries.length) return this.setStatus(job, 'in_progress');
  }

  private setStatus(job: Job, status: JobStatus): void {
    if (job.status === status) return;
    job.status = status;
    job.history.push({ status, at: new Date(this.options.now()).toISOString() });
  }

  private expireIfDue(job: Job): void {
    if (!TERMINAL.has(job.status) && job.status !== 'expired' && Date.parse(job.expiresAt) <= this.options.now()) {
      this.setStatus(job, 'expired');
      this.changed(job, null);
    }
  }

  private remember(delivery: Delivery, jobId: string | null): void {
    if (jobId) this.jobOfRequest.set(delivery.requestId, jobId);
    for (const id of delivery.candidates) {
      if (id === jobId) continue;
      const list = this.claimable.get(id) ?? [];
      list.push(delivery);
      if (list.length > CLAIMABLE_PER_ID) list.shift();
      this.claimable.set(id, list);
      if (this.claimable.size > CLAIMABLE_IDS) this.claimable.delete(this.claimable.keys().next().value!);
    }
  }

  /** Past `maxJobs` (by a tenth, so this runs rarely), the jobs idle longest are forgotten; their requests stay in the log. */
  private trim(): void {
    if (this.jobs.size <= this.options.maxJobs * 1.1) return;
    const oldest = [...this.jobs.values()].sort((a, b) => lastActivity(a).localeCompare(lastActivity(b)));
    for (const job of oldest.slice(0, this.jobs.size - this.options.maxJobs)) {
      this.jobs.delete(job.id);
      for (const d of job.deliveries) this.jobOfRequest.delete(d.requestId);
    }
  }

  private changed(job: Job, delivery: Delivery | null): void {
    for (const listener of this.listeners) listener(job, delivery);
  }
}

function lastActivity(job: Job): string {
  return job.deliveries.at(-1)?.receivedAt ?? job.registeredAt ?? job.firstSeenAt;
}
