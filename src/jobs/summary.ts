import type { Job } from './types.js';

/** A job as lists show it: without its history and deliveries, with their count and the newest. */
export type JobSummary = Omit<Job, 'deliveries' | 'history'> & {
  deliveryCount: number;
  lastDeliveryAt: string | null;
  lastRequestId: string | null;
};

export function jobSummary(job: Job): JobSummary {
  const { deliveries, history: _history, ...rest } = job;
  const last = deliveries.at(-1);
  return { ...rest, deliveryCount: deliveries.length, lastDeliveryAt: last?.receivedAt ?? null, lastRequestId: last?.requestId ?? null };
}
