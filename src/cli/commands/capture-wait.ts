import type { Job } from '../../jobs/types.js';
import type { CapturedRequest } from '../../capture/capture.js';
import type { HookCatch } from '../../start.js';

/** How a capture's wait ended. `interrupted`: Ctrl-C or SIGTERM. */
export type CaptureOutcome = 'completed' | 'failed' | 'timeout' | 'interrupted';

/** `capture`'s exit codes, those of `wait` where they mean the same. */
export const CAPTURE_EXIT: Record<CaptureOutcome, number> = { completed: 0, failed: 3, timeout: 124, interrupted: 130 };

export interface WaitLimits {
  /** Epoch milliseconds. */
  deadline: number;
  /** Aborted by Ctrl-C or SIGTERM. */
  signal: AbortSignal;
}

/** The requests captured since it was made (imported ones are not webhooks), in order of arrival. */
export interface Arrivals {
  ids: string[];
  /** Calls `listener` on each new arrival; returns the function that stops it. */
  onArrival(listener: (request: CapturedRequest) => void): () => void;
  stop(): void;
}

export function watchArrivals(hc: HookCatch): Arrivals {
  const ids: string[] = [];
  const listeners = new Set<(request: CapturedRequest) => void>();
  const onRequest = (request: CapturedRequest) => {
    if (request.imported) return;
    ids.push(request.id);
    for (const listener of listeners) listener(request);
  };
  hc.events.on('request', onRequest);
  return {
    ids,
    onArrival: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    stop: () => hc.events.off('request', onRequest),
  };
}

/**
 * Waits until each job is completed or failed, each with the time left; calls `onSettled` as each
 * one does. The jobs must be registered already. Resolves with the jobs as they stand at the end.
 */
export async function waitForJobs(hc: HookCatch, ids: string[], limits: WaitLimits, onSettled: (job: Job, settled: number) => void): Promise<Job[]> {
  let settled = 0;
  return Promise.all(
    ids.map(async (id) => {
      const result = await hc.waitFor(id, { timeoutMs: Math.max(0, limits.deadline - Date.now()), signal: limits.signal });
      if (result.outcome === 'completed' || result.outcome === 'failed') onSettled(result.job, ++settled);
      return hc.jobs.get(id) ?? result.job;
    }),
  );
}

/** What the jobs' wait came to. Jobs still waiting make it a timeout (the fixtures are incomplete), before any failure. */
export function jobsOutcome(jobs: Job[], interrupted: boolean): CaptureOutcome {
  if (interrupted) return 'interrupted';
  if (jobs.some((job) => !isSettled(job))) return 'timeout';
  return jobs.some((job) => job.status === 'failed') ? 'failed' : 'completed';
}

export const isSettled = (job: Job) => job.status === 'completed' || job.status === 'failed';

/** What came in the settle time: deliveries to the expected jobs, and how many of them were retries of a body seen before. */
export interface Settled {
  ms: number;
  deliveries: number;
  duplicates: number;
}

/**
 * After the jobs settled, listens on until no delivery to one of `jobIds` has come for `ms` (each
 * that comes starts the quiet time again), within the deadline; Ctrl-C or SIGTERM ends it early.
 * A provider may send a duplicate a moment after the delivery that settled its job.
 */
export function settleTime(hc: HookCatch, arrivals: Arrivals, jobIds: string[], ms: number, limits: WaitLimits): Promise<Settled> {
  const settled: Settled = { ms, deliveries: 0, duplicates: 0 };
  const expected = new Set(jobIds);
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      stop();
      limits.signal.removeEventListener('abort', finish);
      resolve(settled);
    };
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, Math.max(0, Math.min(ms, limits.deadline - Date.now())));
    };
    const stop = arrivals.onArrival((request) => {
      const match = hc.jobs.matchOf(request.id);
      if (!match || !expected.has(match.jobId) || match.source !== 'webhook') return;
      settled.deliveries++;
      if (match.duplicate) settled.duplicates++;
      quiet();
    });
    limits.signal.addEventListener('abort', finish);
    if (limits.signal.aborted) finish();
    else quiet();
  });
}

/** Resolves once `count` requests have arrived, or at the deadline or on abort; with the outcome. */
export function waitForCount(arrivals: Arrivals, count: number, limits: WaitLimits): Promise<CaptureOutcome> {
  return new Promise((resolve) => {
    const finish = (outcome: CaptureOutcome) => {
      clearTimeout(timer);
      stop();
      limits.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => finish('interrupted');
    const stop = arrivals.onArrival(() => {
      if (arrivals.ids.length >= count) finish('completed');
    });
    const timer = setTimeout(() => finish('timeout'), Math.max(0, limits.deadline - Date.now()));
    limits.signal.addEventListener('abort', onAbort);
    if (limits.signal.aborted) finish('interrupted');
    else if (arrivals.ids.length >= count) finish('completed');
  });
}
