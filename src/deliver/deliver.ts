import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { HookCatchError } from '../errors.js';
import { checkAcknowledged, checkDuplicatesNo5xx, checkIdempotent, type SentSend } from './deliver-checks.js';
import { gapBefore, planSends, type PlannedSend } from './deliver-plan.js';
import { seededRandom } from '../seeded-random.js';
import type { AttemptRecord, DeliverItem, DeliverProgress, DeliverReport, SendReport, WebhookReport } from './deliver-types.js';
import { outgoing, urlAtApp } from '../send/outgoing.js';
import { resignOutgoing } from '../replay/replay.js';
import { send } from '../send/send.js';
import { loopReason, type OwnAddresses } from '../send/target.js';
import type { ResignRule } from '../signatures/resign.js';
import { SCHEMES } from '../signatures/schemes.js';
import type { SchemeName } from '../capture/signature.js';
import { staleSignatureWarning } from '../signatures/stale.js';
import { urlSignatureWarning } from '../signatures/url-signed.js';

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
  /** Sign each attempt again with this secret (a fresh timestamp; for Twilio, the app's URL), under this scheme or the one its headers show. */
  resign?: ResignRule;
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
  const warning = await beforeSending(items, options);
  if (warning) options.onProgress?.({ type: 'warning', text: warning });
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
  let sentSoFar = 0;
  // A send's place in the order sent, taken as its first attempt goes out.
  const stamp = () => ++sentSoFar;
  const worker = async () => {
    while (next < plan.length && !options.signal?.aborted) {
      const planned = plan[next++]!;
      if (planned.duplicate) await firstDone.get(planned.webhook);
      const done = sendWithRetries(items[planned.webhook]!, planned, options, stamp).then((report) => void reports[planned.webhook]!.sends.push(report));
      if (!planned.duplicate) firstDone.set(planned.webhook, done);
      await done;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, plan.length)) }, worker));
  for (const report of reports) {
    report.sends.sort((a, b) => a.order - b.order);
    report.acknowledged = report.sends.length > 0 && report.sends.every((s) => s.acknowledged);
  }
  const sent = inSendOrder(items, reports);
  const checks = { acknowledged: checkAcknowledged(sent), idempotent: checkIdempotent(sent), duplicatesNo5xx: checkDuplicatesNo5xx(sent) };
  if (options.signal?.aborted) checks.acknowledged.problems.push(...reports.filter((r) => r.sends.length === 0).map((r) => `${r.label}: not sent (stopped)`));
  checks.acknowledged.ok = checks.acknowledged.problems.length === 0;
  return {
    to: options.to.href,
    schedule: { attempts: options.attempts, backoffMs: options.backoffMs, speed: options.speed, timeoutMs: options.timeoutMs },
    webhooks: reports,
    ...(warning && { warning }),
    checks,
    ok: Object.values(checks).every((check) => check.ok),
    durationMs: Math.round(performance.now() - started),
  };
}

/** One send of a webhook: attempts until one is answered 2xx or the attempts run out. */
async function sendWithRetries(item: DeliverItem, planned: PlannedSend, options: DeliverOptions, stamp: () => number): Promise<SendReport> {
  const attempts: AttemptRecord[] = [];
  let order = 0;
  for (let n = 1; n <= options.attempts; n++) {
    if (n > 1) {
      const aborted = await delay(gapBefore(n, options.backoffMs, options.speed), undefined, { signal: options.signal }).then(
        () => false,
        () => true,
      );
      if (aborted) break;
    }
    const out = outgoing(item.request, options.to);
    // Signed again for each attempt, as a provider signs each one (a fresh timestamp).
    if (options.resign) await resignOutgoing(out, item.request.contentType, options.resign);
    const at = new Date().toISOString();
    if (n === 1) order = stamp();
    const result = await send(out, { timeoutMs: options.timeoutMs, timeoutFlag: '--timeout', keepBytes: KEPT_ANSWER, insecure: options.insecure });
    const record: AttemptRecord = result.ok
      ? { attempt: n, at, status: result.status, latencyMs: result.latencyMs, answerHash: hash(result.body) }
      : { attempt: n, at, status: null, failure: result.failure, error: result.error, latencyMs: result.latencyMs };
    attempts.push(record);
    const acknowledged = record.status !== null && record.status >= 200 && record.status < 300;
    options.onProgress?.({
      type: 'attempt',
      label: item.label,
      duplicate: planned.duplicate,
      attempt: record,
      willRetry: !acknowledged && n < options.attempts,
    });
    if (acknowledged) {
      options.onProgress?.({ type: 'settled', label: item.label, duplicate: planned.duplicate, acknowledged: true });
      return { order, duplicate: planned.duplicate, attempts, acknowledged: true };
    }
  }
  options.onProgress?.({ type: 'settled', label: item.label, duplicate: planned.duplicate, acknowledged: false });
  return { order, duplicate: planned.duplicate, attempts, acknowledged: false };
}

/** What to do about a signature over the URL the webhook was sent to: sign each attempt for the app's. */
const DELIVER_FRESH = (scheme: SchemeName) => `add --resign ${scheme} to sign each attempt afresh.`;
const DELIVER_FIX = (scheme: SchemeName) => `add --resign ${scheme} to sign each attempt for that URL.`;

/**
 * Before anything is sent: each webhook can be signed again (when asked; else a HookCatchError
 * naming it), and one line when some carry a signature over a URL they no longer go to (Twilio's),
 * one when some carry a signed timestamp already past its scheme's tolerance (Paddle's 5 s).
 */
async function beforeSending(items: DeliverItem[], options: DeliverOptions): Promise<string | null> {
  const lines: string[] = [];
  const stales: string[] = [];
  for (const item of items) {
    const out = outgoing(item.request, options.to);
    let resigned: SchemeName | undefined;
    try {
      resigned = options.resign && (await resignOutgoing(out, item.request.contentType, options.resign));
    } catch (error) {
      throw error instanceof HookCatchError ? new HookCatchError(`${item.label}: ${error.message}`) : error;
    }
    if (!resigned) {
      const stale = staleSignatureWarning(out.headers, Date.now(), DELIVER_FRESH);
      if (stale) stales.push(stale);
    }
    if (resigned && SCHEMES[resigned].signsUrl) continue;
    const line = urlSignatureWarning({ captured: item.request, headers: out.headers, url: urlAtApp(out), publicUrl: options.own.publicUrl }, DELIVER_FIX);
    if (line) lines.push(line);
  }
  return [summary(stales), summary(lines)].filter(Boolean).join(' ') || null;
}

/** The first line, and how many more webhooks the same is true of. */
function summary(lines: string[]): string | null {
  if (lines.length <= 1) return lines[0] ?? null;
  return `${lines[0]} The same for ${lines.length - 1} more webhook${lines.length === 2 ? '' : 's'}.`;
}

/** Every send, in the order sent, with its webhook's label and the key of its body (same method, path and bytes: same key). */
function inSendOrder(items: DeliverItem[], reports: WebhookReport[]): SentSend[] {
  const keys = items.map(({ request }) => `${request.method} ${request.url} ${hash(request.body)}`);
  return reports.flatMap((report, i) => report.sends.map((send) => ({ label: report.label, key: keys[i]!, send }))).sort((a, b) => a.send.order - b.send.order);
}

const hash = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
