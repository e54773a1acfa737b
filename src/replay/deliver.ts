import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { HookCatchError } from '../errors.js';
import { checkAcknowledged, checkDuplicatesNo5xx, checkIdempotent } from './deliver-checks.js';
import { gapBefore, planSends, seededRandom, type PlannedSend } from './deliver-plan.js';
import type { AttemptRecord, DeliverItem, DeliverProgress, DeliverReport, SendReport, WebhookReport } from './deliver-types.js';
import { outgoing } from './outgoing.js';
import { send } from './send.js';
import { loopReason, type OwnAddresses } from './target.js';

export interface DeliverOptions {
  to: URL;
  /** Attempts per webhook in all, as a provider counts them. */
  attempts: number;
  /** Waits between attempts (the last repeats). */
  backoffMs: number[];
  /** How many times faster than `backoffMs` the waits run. */
  speed: number;
  /** Each attempt's limit; an attempt past it counts as failed, like a provider's. */
  timeoutMs: number;
  /** The share of webhooks sent a second time (0 to 1). */
  duplicates: number;
  shuffle: boolean;
  /** Webhooks in flight at once. */
  concurrency: number;
  /** Seeds the shuffle and the choice of duplicates. */
  seed: number;
  insecure?: boolean;
  own: OwnAddresses;
  onProgress?: (event: DeliverProgress) => void;
  /** Stops the run: waits end, no new attempt starts; what was done is reported. */
  signal?: AbortSignal;
}

/** Answer bytes kept per attempt, only to tell answers apart. */
const KEPT_ANSWER = 64_000;

/**
 * Delivers webhooks to an app the way a provider does: each retried on a non-2xx or a timeout,
 * with the backoff between attempts; some sent twice, in order or shuffled, several at once. Ends
 * with a report of every attempt and the checks an integration must pass.
 */
export async function deliver(items: DeliverItem[], options: DeliverOptions): Promise<DeliverReport> {
  const loop = await loopReason(options.to, options.own);
  if (loop) throw new HookCatchError(loop);
  const started = performance.now();
  const plan = planSends(items.length, { shuffle: options.shuffle, duplicates: options.duplicates, random: seededRandom(options.seed) });
  options.onProgress?.({ type: 'planned', sends: plan.length });
  const reports: WebhookReport[] = items.map((item) => ({
    label: item.label,
    id: item.id,
    method: item.request.method,
    path: item.request.url,
    sends: [],
    acknowledged: false,
  }));
  const firstDone = new Map<number, Promise<void>>();
  let next = 0;
  const worker = async () => {
    while (next < plan.length && !options.signal?.aborted) {
      const planned = plan[next++]!;
      if (planned.duplicate) await firstDone.get(planned.webhook);
      const done = sendWithRetries(items[planned.webhook]!, planned, options).then((report) => void reports[planned.webhook]!.sends.push(report));
      if (!planned.duplicate) firstDone.set(planned.webhook, done);
      await done;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, plan.length)) }, worker));
  for (const report of reports) {
    report.sends.sort((a, b) => Number(a.duplicate) - Number(b.duplicate));
    report.acknowledged = report.sends.length > 0 && report.sends.every((s) => s.acknowledged);
  }
  const sent = reports.filter((r) => r.sends.length > 0);
  const bodyKey = keyOfBodies(items, reports);
  const checks = { acknowledged: checkAcknowledged(reports), idempotent: checkIdempotent(sent, bodyKey), duplicatesNo5xx: checkDuplicatesNo5xx(sent, bodyKey) };
  if (options.signal?.aborted) checks.acknowledged.problems.push(...reports.filter((r) => r.sends.length === 0).map((r) => `${r.label}: not sent (stopped)`));
  checks.acknowledged.ok = checks.acknowledged.problems.length === 0;
  return {
    to: options.to.href,
    schedule: { attempts: options.attempts, backoffMs: options.backoffMs, speed: options.speed, timeoutMs: options.timeoutMs },
    webhooks: reports,
    checks,
    ok: checks.acknowledged.ok,
    durationMs: Math.round(performance.now() - started),
  };
}

/** One send of a webhook: attempts until one is answered 2xx or the attempts run out. */
async function sendWithRetries(item: DeliverItem, planned: PlannedSend, options: DeliverOptions): Promise<SendReport> {
  const attempts: AttemptRecord[] = [];
  for (let n = 1; n <= options.attempts; n++) {
    if (n > 1) {
      const aborted = await delay(gapBefore(n, options.backoffMs, options.speed), undefined, { signal: options.signal }).then(() => false, () => true);
      if (aborted) break;
    }
    const at = new Date().toISOString();
    const result = await send(outgoing(item.request, options.to), { timeoutMs: options.timeoutMs, timeoutFlag: '--timeout', keepBytes: KEPT_ANSWER, insecure: options.insecure });
    const record: AttemptRecord = result.ok
      ? { attempt: n, at, status: result.status, latencyMs: result.latencyMs, answerHash: hash(result.body) }
      : { attempt: n, at, status: null, failure: result.failure, error: result.error, latencyMs: result.latencyMs };
    attempts.push(record);
    const acknowledged = record.status !== null && record.status >= 200 && record.status < 300;
    options.onProgress?.({ type: 'attempt', label: item.label, duplicate: planned.duplicate, attempt: record, willRetry: !acknowledged && n < options.attempts });
    if (acknowledged) {
      options.onProgress?.({ type: 'settled', label: item.label, duplicate: planned.duplicate, acknowledged: true });
      return { duplicate: planned.duplicate, attempts, acknowledged: true };
    }
  }
  options.onProgress?.({ type: 'settled', label: item.label, duplicate: planned.duplicate, acknowledged: false });
  return { duplicate: planned.duplicate, attempts, acknowledged: false };
}

/** Webhooks with the same method, path and body bytes share a key (a provider's retries of one event). */
function keyOfBodies(items: DeliverItem[], reports: WebhookReport[]): (w: WebhookReport) => string {
  const keys = new Map(reports.map((report, i) => [report, `${items[i]!.request.method} ${items[i]!.request.url} ${hash(items[i]!.request.body)}`]));
  return (w) => keys.get(w)!;
}

const hash = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
