import type { JobRegistry } from './registry.js';
import type { Delivery, Job } from './types.js';

export type WaitOutcome = 'completed' | 'failed' | 'delivered' | 'timeout' | 'expired' | 'lost';

export interface WaitResult {
  outcome: WaitOutcome;
  job: Job;
  /** The delivery that settled it (the completing one, with `any` the newest, for `lost` the provider's polled answer); null on timeout. */
  delivery: Delivery | null;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Settle on any delivery, not only on a completed or failed one. */
  any?: boolean;
  signal?: AbortSignal;
}

/** What the job says now about a wait, or null when it should go on waiting. */
function settled(job: Job, any: boolean): WaitResult | null {
  if (job.status === 'completed' || job.status === 'failed') {
    const delivery = job.deliveries.findLast((d) => d.status === job.status) ?? null;
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
    // Wake at the timeout, or when the job expires if that comes first.
    const untilExpiry = Date.parse(now.expiresAt) - Date.now();
    const wake = Math.max(0, Math.min(options.timeoutMs, untilExpiry));
    timer = setTimeout(() => {
      const job = registry.get(id)!;
      finish(settled(job, any) ?? { outcome: 'timeout', job, delivery: null });
    }, wake);
  });
}
