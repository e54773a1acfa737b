import type { Agent } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { DEFAULTS } from '../defaults.js';
import { gapBefore } from '../deliver/deliver-plan.js';
import type { AttemptRecord } from '../deliver/deliver-types.js';
import { send as sendOut } from '../send/send.js';
import type { ResignRule } from '../signatures/resign.js';
import type { Send } from './plan.js';
import type { Routable } from './router.js';
import type { MockEvent, MockSendSummary } from './types.js';
import { webhookOut } from './webhook.js';

/** A job being played: the id it was given, where its webhooks go, and what happened so far. */
export interface PlayedJob extends Routable {
  /** performance.now() at its submit: the recorded offsets count from here. */
  startedAt: number;
  webhookUrl: URL | null;
  /** True once its final webhook went out: its polls are answered with what was recorded after it. */
  finalSent: boolean;
  polls: number;
  sends: MockSendSummary[];
  settled: boolean;
}

export interface Delivering {
  /** How many times faster than recorded; Infinity: no waits at all. */
  speed: number;
  retries?: number;
  backoffMs?: number[];
  resign?: ResignRule;
  timeoutMs: number;
  agent: Agent;
  signal: AbortSignal;
  emit: (event: MockEvent) => void;
}

/**
 * Plays a job's webhooks: each send's first attempt at its recorded offset (scaled by the speed),
 * one after another in recorded order (the next waits for the app's answer to the one before, so
 * that at --speed instant the order holds too); a send the app did not acknowledge is retried
 * beside the others, as a provider retries. Resolves once every send is acknowledged, given up, or
 * stopped.
 */
export async function playSends(job: PlayedJob, sends: Send[], ctx: Delivering): Promise<void> {
  const summaries = sends.map((send): MockSendSummary => ({ send: send.number, duplicate: send.first.duplicate, attempts: [], acknowledged: false }));
  job.sends.push(...summaries);
  if (!job.webhookUrl) {
    for (const summary of summaries) summary.notSent = 'the submit named no webhook URL (give --webhook-url)';
    if (sends.length > 0) ctx.emit({ type: 'no-webhook-url', scenario: job.plan.name, id: job.id, webhooks: sends.length });
    return;
  }
  const retrying: Promise<void>[] = [];
  for (const [i, send] of sends.entries()) {
    const summary = summaries[i]!;
    if (!(await wait(job.startedAt + send.first.atMs / ctx.speed - performance.now(), ctx.signal))) {
      summary.notSent = 'stopped';
      continue;
    }
    if (send === job.plan.finalSend) job.finalSent = true;
    if (!(await attempt(job, send, summary, 1, ctx))) retrying.push(retry(job, send, summary, ctx));
  }
  await Promise.all(retrying);
}

async function retry(job: PlayedJob, send: Send, summary: MockSendSummary, ctx: Delivering): Promise<void> {
  for (let n = 2; ; n++) {
    const gap = recordedGap(send, n, ctx);
    if (gap === null) return;
    if (!(await wait(gap / ctx.speed, ctx.signal))) return void (summary.notSent = 'stopped');
    if (await attempt(job, send, summary, n, ctx)) return;
  }
}

/**
 * The wait before attempt `n` of a send, in recorded milliseconds, or null when there is none: the
 * recorded retries' own gaps, then DEFAULTS.mockBackoffMs (seed 003's schedule, 5 attempts in all);
 * `retries` or `backoffMs` given replace the recorded retries.
 */
export function recordedGap(send: Send, n: number, ctx: Pick<Delivering, 'retries' | 'backoffMs'>): number | null {
  const given = ctx.retries !== undefined || ctx.backoffMs !== undefined;
  const recorded = [send.first, ...send.retries];
  if (!given && n <= recorded.length) return recorded[n - 1]!.atMs - recorded[n - 2]!.atMs;
  const backoff = ctx.backoffMs ?? DEFAULTS.mockBackoffMs;
  if (n > (ctx.retries ?? DEFAULTS.mockBackoffMs.length + 1)) return null;
  return gapBefore(n, backoff, 1);
}

/** One attempt: sent, its answer kept and told; true when the app answered 2xx. */
async function attempt(job: PlayedJob, send: Send, summary: MockSendSummary, n: number, ctx: Delivering): Promise<boolean> {
  // A retry the recording holds is sent as recorded (its own headers); past them, the first attempt again.
  const step = send.retries.find((retried) => retried.attempt === n) ?? send.first;
  const out = await webhookOut(step, job.plan.recordedId, job.id, job.webhookUrl!, ctx.resign);
  const at = new Date().toISOString();
  const result = await sendOut(out, { timeoutMs: ctx.timeoutMs, keepBytes: 0, agent: ctx.agent });
  const record: AttemptRecord = result.ok
    ? { attempt: n, at, status: result.status, latencyMs: result.latencyMs }
    : { attempt: n, at, status: null, failure: result.failure, error: result.error, latencyMs: result.latencyMs };
  summary.attempts.push(record);
  const acknowledged = record.status !== null && record.status >= 200 && record.status < 300;
  summary.acknowledged ||= acknowledged;
  const willRetry = !acknowledged && !ctx.signal.aborted && recordedGap(send, n + 1, ctx) !== null;
  ctx.emit({ type: 'webhook', scenario: job.plan.name, id: job.id, send: send.number, duplicate: send.first.duplicate, attempt: record, willRetry });
  return acknowledged;
}

/** Waits `ms` (none when 0 or less); false when stopped first. Unref'd: a wait never keeps a process alive. */
async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (!(ms > 0)) return true;
  return delay(ms, true, { signal, ref: false }).catch(() => false);
}
