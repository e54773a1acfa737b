import { answeredWords, deliveryCounts, type DeliveryCounts } from './counts.js';

export { deliveryCounts, type DeliveryCounts } from './counts.js';
import type { Job } from './types.js';
import type { JobSummary } from '../wire/jobs.js';

export type { JobSummary } from '../wire/jobs.js';

/** `3 deliveries`, `1 delivery`, `no delivery`. */
export function deliveryWords(n: number): string {
  return n === 0 ? 'no delivery' : `${n} deliver${n === 1 ? 'y' : 'ies'}`;
}

/**
 * What a job's counts say in words: `2 deliveries (1 refused: 500)`, `5 deliveries, every one
 * refused (500)`, `no delivery, 2 imported`.
 */
export function countsWords(counts: Pick<DeliveryCounts, 'deliveries' | 'refused' | 'refusedWith' | 'imported'>): string {
  const { deliveries, refused, refusedWith, imported } = counts;
  const answered = answeredWords(refusedWith);
  let words = deliveryWords(deliveries);
  if (refused > 0 && refused === deliveries) words += deliveries === 1 ? `, refused (${answered})` : `, every one refused (${answered})`;
  else if (refused > 0) words += ` (${refused} refused: ${answered})`;
  if (imported > 0) words += `, ${imported} imported`;
  return words;
}

/** Field by field (not a rest spread): the live stream makes one per delivery, so this is on the hot path. */
export function jobSummary(job: Job): JobSummary {
  const last = job.deliveries.findLast((d) => d.source === 'webhook');
  const counts = deliveryCounts(job);
  return {
    id: job.id,
    label: job.label,
    source: job.source,
    registeredAt: job.registeredAt,
    firstSeenAt: job.firstSeenAt,
    expiresAt: job.expiresAt,
    status: job.status,
    deliveryCount: counts.deliveries,
    refusedCount: counts.refused,
    refusedWith: counts.refusedWith,
    importedCount: counts.imported,
    lastDeliveryAt: last?.receivedAt ?? null,
    lastRequestId: last?.requestId ?? null,
    ...(job.poll && { poll: job.poll }),
    ...(job.submit && { submit: job.submit }),
  };
}
