import { DEFAULTS } from '../defaults.js';
import type { Job } from './types.js';

/** When the provider said a job ended, and how long its webhook may take after that. */
export interface ProviderEnd {
  at: string;
  graceMs: number;
  /** What it said (`Success`, `completed`). */
  said: string;
  /** The stored answer that said it. */
  requestId: string | null;
}

/**
 * When the provider said the job ended: its status endpoint polled by hook-catch (`expect --poll`,
 * with its own grace), else the app's own status calls through the provider port (the default grace).
 */
export function providerEnd(job: Job): ProviderEnd | null {
  const poll = job.poll;
  if (poll?.doneAt) {
    const said = poll.provider?.statusWord ?? poll.provider?.status ?? 'it ended';
    return { at: poll.doneAt, graceMs: poll.graceMs, said, requestId: poll.provider?.requestId ?? null };
  }
  const ended = job.submit?.ended;
  if (!ended) return null;
  return { at: ended.at, graceMs: DEFAULTS.pollGraceMs, said: ended.statusWord ?? ended.status ?? 'it ended', requestId: ended.requestId };
}
