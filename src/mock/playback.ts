import { Agent } from 'node:http';
import { splitTarget } from '../capture/capture.js';
import { describe } from '../errors.js';
import { recordedAnswer, unmatchedAnswer, type Answer } from './answer.js';
import { playSends, type Delivering, type PlayedJob } from './deliveries.js';
import { IdIssuer } from './ids.js';
import { shapeOf, type Shape } from './match.js';
import { pollAnswer, type Plan } from './plan.js';
import { Router } from './router.js';
import { summaryOf } from './summary.js';
import type { MockEvent, MockSummary, UnmatchedRequest } from './types.js';

/** How playback runs: the schedule and signing of webhooks, and where they go when the submit does not say. */
export type PlaybackOptions = Omit<Delivering, 'agent' | 'signal' | 'emit'> & { webhookUrl?: URL };

/** Kept of the requests that matched nothing (all are counted). */
const KEPT_UNMATCHED = 100;

/**
 * The provider double's state: the jobs played (found by their fresh id in a Map), their webhooks
 * under way, the polls answered and the requests that matched nothing. `handle` answers one request;
 * what it starts (a job's webhooks) begins once the answer is sent.
 */
export class Playback {
  private readonly jobs = new Map<string, PlayedJob>();
  private readonly played: PlayedJob[] = [];
  private readonly router: Router<PlayedJob>;
  private readonly ids = new IdIssuer();
  private readonly listeners = new Set<(event: MockEvent) => void>();
  private readonly waiters: (() => void)[] = [];
  private readonly stop = new AbortController();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly unmatched: UnmatchedRequest[] = [];
  private unmatchedCount = 0;
  private polls = 0;
  private unsettled = 0;

  constructor(
    plans: Plan[],
    private readonly options: PlaybackOptions,
  ) {
    this.router = new Router(plans, this.jobs);
  }

  /** The answer to a request, and what to start once it is sent. */
  handle(method: string, url: string, headers: [string, string][], body: Buffer): { answer: Answer; then?: () => void } {
    const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
    const live = shapeOf(method, url, contentType, body);
    const { query } = splitTarget(url);
    const route = this.router.route(live, query);
    if (route.kind === 'submit') return this.submit(route.plan, method, url, live, query);
    if (route.kind === 'poll') {
      const { job, group } = route;
      const step = pollAnswer(group, job.plan, job.finalSent, (performance.now() - job.startedAt) * this.options.speed);
      job.polls++;
      this.polls++;
      this.emit({ type: 'poll', scenario: job.plan.name, id: job.id, method, url, status: step.answer.status, statusWord: step.statusWord });
      return { answer: recordedAnswer(step.answer, job.plan.recordedId, job.id) };
    }
    this.unmatchedCount++;
    if (this.unmatched.length < KEPT_UNMATCHED) this.unmatched.push({ method, url, closest: route.closest });
    this.emit({ type: 'unmatched', method, url, closest: route.closest });
    return { answer: unmatchedAnswer(method, url, route.closest) };
  }

  private submit(plan: Plan, method: string, url: string, live: Shape, query: [string, string][]) {
    const id = this.ids.next(plan.recordedId);
    const webhookUrl = this.options.webhookUrl ?? webhookUrlOf(plan.submit.webhookUrlAt, live, query);
    const job: PlayedJob = { plan, id, startedAt: performance.now(), webhookUrl, finalSent: false, polls: 0, sends: [], settled: false };
    this.jobs.set(id, job);
    this.played.push(job);
    this.unsettled++;
    this.emit({ type: 'submit', scenario: plan.name, method, url, recordedId: plan.recordedId, id, webhookUrl: webhookUrl?.href ?? null });
    const ctx: Delivering = { ...this.options, agent: this.agent, signal: this.stop.signal, emit: (event) => this.emit(event) };
    // The webhooks start once the app has the job id (its submit answered), as a provider's would.
    const then = () =>
      void playSends(job, plan.sends, ctx)
        .catch((error) => {
          for (const send of job.sends) if (!send.acknowledged) send.notSent ??= `not sent: ${describe(error)}`;
        })
        .finally(() => this.settle(job));
    return { answer: recordedAnswer(plan.submit.answer, plan.recordedId, id), then };
  }

  private settle(job: PlayedJob): void {
    job.settled = true;
    this.unsettled--;
    if (job.plan.sends.length > 0 && job.webhookUrl)
      this.emit({ type: 'job-done', scenario: job.plan.name, id: job.id, acknowledged: job.sends.every((send) => send.acknowledged) });
    if (this.unsettled === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  summary(): MockSummary {
    return summaryOf(this.played, this.polls, this.unmatched, this.unmatchedCount);
  }

  /** Resolves once a job was submitted and every submitted job is settled (or at close). */
  done(): Promise<MockSummary> {
    if ((this.played.length > 0 && this.unsettled === 0) || this.stop.signal.aborted) return Promise.resolve(this.summary());
    return new Promise((resolve) => this.waiters.push(() => resolve(this.summary())));
  }

  onEvent(listener: (event: MockEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private emit(event: MockEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Cancels every wait and send under way (idempotent). */
  stopAll(): void {
    if (this.stop.signal.aborted) return;
    this.stop.abort();
    this.agent.destroy();
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** The webhook URL the live submit gives where the recorded one gave it (`query.webhook`, `body.webhook.url`). */
function webhookUrlOf(at: string | undefined, live: Shape, query: [string, string][]): URL | null {
  if (!at) return null;
  const value = at.startsWith('query.') ? query.find(([key]) => key === at.slice(6))?.[1] : live.body.kind === 'fields' ? live.body.values.get(at) : undefined;
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
