import type { Job } from './types.js';

/** A job as lists show it: without its history and deliveries, with their count and the newest. */
export type JobSummary = Omit<Job, 'deliveries' | 'history'> & {
  deliveryCount: number;
  lastDeliveryAt: string | null;
  lastRequestId: string | null;
};

/** Field by field (not a rest spread): the live stream makes one per delivery, so this is on the hot path. */
export function jobSummary(job: Job): JobSummary {
  const last = job.deliveries.at(-1);
  return {
    id: job.id,
    label: job.label,
    source: job.source,
    registeredAt: job.registeredAt,
    firstSeenAt: job.firstSeenAt,
    expiresAt: job.expiresAt,
    status: job.status,
    deliveryCount: job.deliveries.length,
    lastDeliveryAt: last?.receivedAt ?? null,
    lastRequestId: last?.requestId ?? null,
    ...(job.poll && { poll: job.poll }),
  };
}
