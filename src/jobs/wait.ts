import { isAcknowledged } from './delivery.js';
import type { JobRegistry } from './registry.js';
import type { Delivery, Job } from './types.js';
import type { WaitOutcome } from '../wire/jobs.js';

export type { WaitOutcome } from '../wire/jobs.js';

export interface WaitResult {
  outcome: WaitOutcome;
  job: Job;
  /** The delivery that settled it (the completing one, with `any` the newest, for `lost` the provider's polled answer); null on timeout. */
  delivery: Delivery | null;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Settle on any delivery (a refused one too), not only on an acknowledged completed or failed one. */
  any?: boolean;
  signal?: AbortSignal;
}

/**
 * What the job says now about a wait, or null when it should go on waiting. Only an acknowledged
 * webhook completes or fails a job: one that was refused is waited past (its provider will usually
 * send it again), and so is a job known only from imports.
 */
function settled(job: Job, any: boolean): WaitResult | null {
  if (job.status === 'completed' || job.status === 'failed') {
    const delivery = job.deliveries.findLast((d) => isAcknowledged(d) && d.status === job.status) ?? null;
    return { outcome: job.status, job, delivery };
  }
  const webhook = job.deliveries.findLast((d) => d.source === 'webhook');
  if (any && webhook) return { outcome: 'delivered', job, delivery: webhook };
  if (job.status === 'webhook_lost') return { outcome: 'lost', job, delivery: job.deliveries.findLast((d) => d.source === 'poll') ?? null };
  if (job.status === 'expired') return { outcome: 'expired', job, delivery: null };
  return null;
}

/**
 * Resolves when job `id` completes or fails (with `any`, on any delivery), also when that happened
 * before the call; or on timeout, expiry or abort. The job must be known (registered, or named by a webhook).
 */
export function waitForJob(registry: JobRegistry, id: string, options: WaitOptions): Promise<WaitResult> {
  return new Promise((resolve) => {
    const any = options.any ?? false;
    const now = registry.get(id)!;
    const already = settled(now, any);
    if (already) return resolve(already);
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: WaitResult) => {
      clearTimeout(timer);
      stop();
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const stop = registry.onChange(({ job }) => {
      if (job.id !== id) return;
      const result = settled(job, any);
      if (result) finish(result);
    });
    const onAbort = () => finish({ outcome: 'timeout', job: registry.get(id)!, delivery: null });
    options.signal?.addEventListener('abort', onAbort);
    // Wake at the timeout, or when the job expires if that comes first (a job that does not expire,
    // refused or imported, is waited for on to the timeout).
    const deadline = Date.now() + options.timeoutMs;
    const wakeAt = (job: Job) => {
      const expiry = Date.parse(job.expiresAt);
      return Math.max(0, (expiry > Date.now() ? Math.min(deadline, expiry) : deadline) - Date.now());
    };
    const wake = () => {
      const job = registry.get(id)!;
      const result = settled(job, any);
      if (result || Date.now() >= deadline) return finish(result ?? { outcome: 'timeout', job, delivery: null });
      timer = setTimeout(wake, Math.max(1, wakeAt(job)));
    };
    timer = setTimeout(wake, wakeAt(now));
  });
}
