import type { CapturedRequest } from '../capture/capture.js';
import type { Registration } from './registrations.js';
import { extract, type Candidate, type JobIdRule } from './extract.js';
import type { Delivery, Job, JobEvent, JobMatch, JobPoll, JobStatus } from './types.js';
import { ClaimableDeliveries } from './claimable.js';
import { RequestJobs } from './request-jobs.js';
import { arrivedAt, byText, isAcknowledged, isRefused, makeDelivery, renumber } from './delivery.js';
import { ExpiryTimer, LostTimer, NOT_EXPIRING } from './expiry.js';
import { freshPoll, pollStatus } from './poll-state.js';
import { answerView, callStatus, submitOf } from './calls.js';
import { providerEnd } from './ended.js';

export interface RegistryOptions {
  rules: JobIdRule[];
  now: () => number;
  /** How long a job seen only in webhooks may wait for its end before it is `expired` (a registration sets its own). */
  ttlMs: number;
  /** Jobs kept; the ones idle longest go first. */
  maxJobs: number;
}

/** Deliveries kept per job (the newest); `attempt` still counts every one. */
export const DELIVERIES_PER_JOB = 50;

/**
 * Which job each webhook belongs to. Fed the registrations and every stored request (after it was
 * answered, so it never slows the receiver down). Nothing here is saved: deliveries are derived from
 * the request log again at every start. Status changes are dated by what caused them (a delivery's
 * arrival, a registration, an expiry), so a job derived again has the same history.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private readonly claimable = new ClaimableDeliveries();
  private readonly jobOfRequest = new RequestJobs();
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private readonly expiry: ExpiryTimer;
  private readonly lost: LostTimer;
  private silent = false;

  constructor(private readonly options: RegistryOptions) {
    this.expiry = new ExpiryTimer(options.now, () => this.expireDue());
    this.lost = new LostTimer(options.now, (id) => {
      const job = this.jobs.get(id);
      if (job) this.loseIfDue(job);
    });
  }

  /** Calls `listener` on every change: a registration, a delivery, a status change (expiry included). */
  onChange(listener: (event: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `work` without telling listeners (deriving jobs at start-up is not news). */
  quietly<T>(work: () => T): T {
    this.silent = true;
    try {
      return work();
    } finally {
      this.silent = false;
    }
  }

  /** Attaches a stored request to its job; null when it names none (or only ids no job has yet). */
  record(request: CapturedRequest): Job | null {
    if (request.poll) return this.recordPoll(request);
    if (request.outbound) return this.recordCall(request);
    const { candidates, status, statusWord } = extract(request, this.options.rules, this.isRegistered);
    if (candidates.length === 0) return null;
    const chosen = this.choose(candidates);
    const delivery = makeDelivery(request, chosen?.matchedBy ?? '', status ?? 'completed', statusWord, request.imported ? 'import' : 'webhook');
    if (!chosen) {
      this.remember(delivery, candidates, null);
      return null;
    }
    const job = this.jobs.get(chosen.id) ?? this.create(chosen.id, 'webhook', arrivedAt(delivery));
    this.attach(job, delivery);
    this.remember(delivery, candidates, job.id);
    this.trim();
    this.expiry.consider(job);
    return job;
  }

  /**
   * A polled answer of the job's status endpoint: a delivery of source `poll`, which tells what the
   * provider says (never the job's own status: only webhooks do that). When the provider says the job
   * ended, the webhook has the grace period to come before the job is flagged `webhook_lost`.
   */
  private recordPoll(request: CapturedRequest): Job | null {
    const job = this.jobs.get(request.poll!.jobId);
    if (!job?.poll) return null;
    const { status, statusWord } = pollStatus(request, job.poll.statusPath, this.options.rules);
    const delivery = makeDelivery(request, 'poll', status ?? 'in_progress', statusWord, 'poll');
    // An answer that says nothing (a 429, a 503) leaves what the provider said last.
    const answered = request.response.status >= 200 && request.response.status < 300;
    if (answered || !job.poll.provider) job.poll.provider = { status, statusWord, at: request.receivedAt, requestId: request.id };
    if (status && status !== 'in_progress' && !job.poll.doneAt) {
      job.poll.doneAt = request.receivedAt;
      job.poll.state = 'done';
      job.poll.nextAt = null;
      this.lagOf(job);
    }
    this.jobOfRequest.set(request.id, job.id);
    this.attach(job, delivery);
    this.lost.consider(job);
    return job;
  }

  /**
   * A call the app made through the provider port: a submit registers its job (claiming the
   * webhooks that named it first, as `expect` does); a status call is kept under its job like a
   * polled answer, with what the provider said. Other calls name no job.
   */
  private recordCall(request: CapturedRequest): Job | null {
    const { role, jobId } = request.outbound!;
    if (!jobId || role === 'call') return null;
    if (role === 'poll') {
      const job = this.jobs.get(jobId);
      if (!job) return null;
      const { status, statusWord } = callStatus(request, this.options.rules);
      if (job.submit && !job.submit.ended && status && status !== 'in_progress') {
        job.submit.ended = { status, statusWord, at: request.receivedAt, requestId: request.id };
      }
      this.jobOfRequest.set(request.id, job.id);
      this.attach(job, makeDelivery(answerView(request), 'provider port', status ?? 'in_progress', statusWord, 'poll', request));
      this.lost.consider(job);
      return job;
    }
    const at = request.receivedAt;
    const job = this.jobs.get(jobId) ?? this.create(jobId, 'submit', at);
    if (job.source === 'webhook') job.source = 'submit';
    if (job.source === 'submit') {
      job.registeredAt = at;
      job.expiresAt = new Date(Date.parse(at) + this.options.ttlMs).toISOString();
    }
    // A submit sent again (the same idempotency key, the same job) does not move the job's start.
    job.submit ??= submitOf(request);
    this.emit({ type: 'registered', job });
    for (const { delivery, matchedBy } of this.claimable.of(jobId)) this.claim(job, delivery, matchedBy);
    this.jobOfRequest.set(request.id, job.id);
    this.attach(job, makeDelivery(request, request.outbound!.idAt ?? 'answer', 'in_progress', null, 'submit'));
    if (job.status === 'expired' || job.status === 'imported') this.setStatus(job, 'pending', at);
    this.refreshStatus(job, at);
    this.expiry.consider(job);
    return job;
  }

  /** Changes what a job shows of its polling (the poller's count, errors, next time) and tells listeners. */
  updatePoll(id: string, change: Partial<JobPoll>): void {
    const job = this.jobs.get(id);
    if (!job?.poll) return;
    Object.assign(job.poll, change);
    this.emit({ type: 'poll', job });
  }

  /** The job a request would be matched to now, recording nothing (response rules count deliveries per job). */
  jobIdOf(request: CapturedRequest): string | null {
    return this.choose(extract(request, this.options.rules, this.isRegistered).candidates)?.id ?? null;
  }

  private readonly isRegistered = (id: string): boolean => registered(this.jobs.get(id));

  /** A registered job first, then a job seen before, then the first id that is not a bare `id`. */
  private choose(candidates: Candidate[]): Candidate | undefined {
    return candidates.find((c) => registered(this.jobs.get(c.id))) ?? candidates.find((c) => this.jobs.has(c.id)) ?? candidates.find((c) => !c.weak);
  }

  /** Registers a job (`hook-catch expect`). Deliveries that came first, under this id, are claimed now. */
  register(registration: Registration): Job {
    const { id } = registration;
    const job = this.jobs.get(id) ?? this.create(id, 'expect', registration.registeredAt);
    job.source = 'expect';
    job.registeredAt = registration.registeredAt;
    job.expiresAt = new Date(Date.parse(registration.registeredAt) + registration.ttlMs).toISOString();
    job.label = registration.label;
    if (registration.poll) job.poll = freshPoll(registration.poll, job.poll);
    this.emit({ type: 'registered', job });
    for (const { delivery, matchedBy } of this.claimable.of(id)) this.claim(job, delivery, matchedBy);
    if (job.status === 'expired' || job.status === 'imported') this.setStatus(job, 'pending', registration.registeredAt);
    this.refreshStatus(job, registration.registeredAt);
    this.expiry.consider(job);
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
    return jobs.filter((j) => !status || j.status === status).sort((a, b) => byText(lastActivity(b), lastActivity(a)));
  }

  /** The job a stored request was matched to, and how; null when none. */
  matchOf(requestId: string): JobMatch | null {
    const jobId = this.jobOfRequest.get(requestId);
    const job = jobId === undefined ? undefined : this.get(jobId);
    const delivery = job?.deliveries.find((d) => d.requestId === requestId);
    if (!job || !delivery) return null;
    const { matchedBy, attempt, duplicate, bodyHash, status, statusWord, source } = delivery;
    return {
      jobId: job.id,
      jobStatus: job.status,
      expected: registered(job),
      matchedBy,
      attempt,
      duplicate,
      bodyHash,
      status,
      statusWord,
      source,
      refused: isRefused(delivery),
      ...(delivery.rule && { rule: delivery.rule }),
    };
  }

  /** Stops the timers. */
  close(): void {
    this.expiry.stop();
    this.lost.stop();
  }

  private claim(job: Job, delivery: Delivery, matchedBy: string): void {
    const holder = this.jobOfRequest.get(delivery.requestId);
    if (holder === job.id) return;
    const donor = holder ? this.jobs.get(holder) : undefined;
    if (registered(donor)) return; // already with a job someone registered
    if (donor) this.detach(donor, delivery);
    delivery.matchedBy = `${matchedBy} (claimed on registration)`;
    this.attach(job, delivery);
    this.jobOfRequest.set(delivery.requestId, job.id);
  }

  private create(id: string, source: Job['source'], at: string): Job {
    const job: Job = {
      id,
      label: null,
      source,
      registeredAt: null,
      firstSeenAt: at,
      expiresAt: new Date(Date.parse(at) + this.options.ttlMs).toISOString(),
      status: 'pending',
      history: [{ status: 'pending', at }],
      deliveries: [],
    };
    this.jobs.set(id, job);
    return job;
  }

  /** Adds a delivery: a body seen before for this job is a retry (attempt n, duplicate). */
  private attach(job: Job, delivery: Delivery): void {
    const last = job.deliveries.at(-1);
    // A first delivery makes an array of one: pushed into an empty array, it would get room for 16 more
    // (most jobs hear once or twice, and thousands of jobs are kept).
    if (last) job.deliveries.push(delivery);
    else job.deliveries = [delivery];
    if (last && last.requestId > delivery.requestId) renumber(job);
    else {
      // The hash first: it tells nearly every earlier delivery apart at its first character.
      const previous = job.deliveries.findLast((d) => d.bodyHash === delivery.bodyHash && d.source === delivery.source && d !== delivery);
      delivery.attempt = (previous?.attempt ?? 0) + 1;
      delivery.duplicate = delivery.source === 'webhook' && delivery.attempt > 1;
    }
    if (job.deliveries.length > DELIVERIES_PER_JOB) {
      for (const d of job.deliveries.splice(0, job.deliveries.length - DELIVERIES_PER_JOB)) this.jobOfRequest.delete(d.requestId);
    }
    this.emit({ type: 'delivered', job, delivery });
    this.refreshStatus(job, arrivedAt(delivery));
  }

  private detach(job: Job, delivery: Delivery): void {
    job.deliveries = job.deliveries.filter((d) => d !== delivery);
    if (job.deliveries.length === 0 && job.source === 'webhook') this.jobs.delete(job.id);
    else this.refreshStatus(job, arrivedAt(delivery));
  }

  /**
   * An acknowledged completed or failed webhook decides (the latest one); acknowledged progress only
   * moves a job that is still waiting. Webhooks that were all refused make it `refused` (their
   * provider was told they failed, and will usually send them again). Polled answers and imports
   * never decide: they are kept beside; a job known only from imports is `imported`.
   */
  private refreshStatus(job: Job, at: string): void {
    const terminal = job.deliveries.findLast((d) => isAcknowledged(d) && d.status !== 'in_progress');
    if (terminal) {
      this.lagOf(job);
      return this.setStatus(job, terminal.status, at);
    }
    if (job.status === 'webhook_lost') return;
    if (job.deliveries.some(isAcknowledged)) return this.setStatus(job, 'in_progress', at);
    if (job.deliveries.some((d) => d.source === 'webhook')) return this.setStatus(job, 'refused', at);
    if (job.source === 'webhook' && job.deliveries.some((d) => d.source === 'import')) return this.setStatus(job, 'imported', at);
  }

  /** How long after the provider said the job ended its ending webhook came (once both are known). */
  private lagOf(job: Job): void {
    const doneAt = job.poll?.doneAt;
    const webhook = job.deliveries.find((d) => d.source === 'webhook' && d.status !== 'in_progress');
    if (doneAt && webhook) job.poll!.webhookLagMs = Date.parse(webhook.receivedAt) - Date.parse(doneAt);
  }

  /** The provider said the job ended, its grace ran out, and no webhook said so: `webhook_lost`. */
  private loseIfDue(job: Job): void {
    const end = providerEnd(job);
    // A refused webhook came: it was not lost (the job says refused, which needs the look).
    if (!end || job.status === 'completed' || job.status === 'failed' || job.status === 'webhook_lost' || job.status === 'refused') return;
    const due = Date.parse(end.at) + end.graceMs;
    if (due <= this.options.now()) this.setStatus(job, 'webhook_lost', new Date(due).toISOString());
  }

  private setStatus(job: Job, status: JobStatus, at: string): void {
    if (job.status === status) return;
    const from = job.status;
    job.status = status;
    // A new array the size of the history rather than a push, which leaves room for 16 more changes.
    job.history = [...job.history, { status, at }];
    this.emit({ type: 'status', job, from, to: status });
  }

  private expireIfDue(job: Job): void {
    this.loseIfDue(job);
    if (!NOT_EXPIRING.has(job.status) && Date.parse(job.expiresAt) <= this.options.now()) {
      this.setStatus(job, 'expired', job.expiresAt);
    }
  }

  private expireDue(): void {
    for (const job of this.jobs.values()) this.expireIfDue(job);
    for (const job of this.jobs.values()) this.expiry.consider(job);
  }

  private remember(delivery: Delivery, candidates: Candidate[], jobId: string | null): void {
    if (jobId) this.jobOfRequest.set(delivery.requestId, jobId);
    if (jobId && registered(this.jobs.get(jobId))) return; // a registered job's delivery is never claimed away
    this.claimable.add(delivery, candidates, jobId);
  }

  /**
   * Past `maxJobs` (by a tenth, so this runs rarely), the jobs idle longest are forgotten, those
   * nobody registered first: a registration is kept (it is in jobs.json) however old its webhooks.
   * Their requests stay in the log.
   */
  private trim(): void {
    if (this.jobs.size <= this.options.maxJobs * 1.1) return;
    const registered = (job: Job) => (job.source === 'expect' ? 1 : 0);
    const oldest = [...this.jobs.values()].sort((a, b) => registered(a) - registered(b) || byText(lastActivity(a), lastActivity(b)));
    for (const job of oldest.slice(0, this.jobs.size - this.options.maxJobs)) {
      this.jobs.delete(job.id);
      for (const d of job.deliveries) this.jobOfRequest.delete(d.requestId);
    }
  }

  private emit(event: JobEvent): void {
    if (this.silent) return;
    for (const listener of this.listeners) listener(event);
  }
}

/** A job someone or something registered (`expect`, or a submit through the provider port): not one only webhooks named. */
function registered(job: Job | undefined): boolean {
  return job !== undefined && job.source !== 'webhook';
}

/** When something last came into this store for the job (deliveries are in arrival order; an import's own time is older). */
function lastActivity(job: Job): string {
  const last = job.deliveries.at(-1);
  return (last && arrivedAt(last)) ?? job.registeredAt ?? job.firstSeenAt;
}
