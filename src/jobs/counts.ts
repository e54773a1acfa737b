import { decodeId } from '../capture/ids.js';
import type { Delivery, Job } from '../wire/jobs.js';

// What a job's deliveries come to, worked out the same way by the server and by the page: the
// build copies this file (and ids.ts) for the page (scripts/copy-wire.js), so it needs nothing of node.

/** A webhook whose sender was answered 2xx: a delivery the provider counts as done. */
export function isAcknowledged(d: Delivery): boolean {
  return d.source === 'webhook' && d.answered >= 200 && d.answered < 300;
}

/** A webhook answered non-2xx (by a response rule, or by the app in `--forward-mode wait`): the provider will usually retry it. */
export function isRefused(d: Delivery): boolean {
  return d.source === 'webhook' && !(d.answered >= 200 && d.answered < 300);
}

/** `500, 429`, `no answer, 500`: the statuses refused deliveries got, 0 (a rule hung or dropped them) said as no answer. */
export function answeredWords(statuses: number[]): string {
  return statuses.map((status) => (status === 0 ? 'no answer' : String(status))).join(', ');
}

/** `answered 429`, or `no answer: hung` when a response rule answered nothing. */
export function deliveryAnswer(d: Pick<Delivery, 'answered' | 'unanswered'>): string {
  return d.unanswered ? `no answer: ${d.unanswered}` : `answered ${d.answered}`;
}

/**
 * When a delivery came into this store: its receivedAt, except for an import, which keeps the time
 * it was first received and arrived here when its id was given (ids are made from the arrival time).
 */
export function arrivedAt(d: Delivery): string {
  if (d.source !== 'import') return d.receivedAt;
  const id = decodeId(d.requestId);
  return id ? new Date(id.time).toISOString() : d.receivedAt;
}

/**
 * What a job's deliveries come to: the one place they are counted, for `jobs`, the API, `wait`,
 * `capture` and the page. A delivery is a webhook the provider sent; polled answers and imported
 * fixtures are kept beside, never counted as deliveries.
 */
export interface DeliveryCounts {
  /** Webhooks the provider sent, acknowledged or refused. */
  deliveries: number;
  /** Of those, the ones answered non-2xx. */
  refused: number;
  /** The distinct statuses the refused ones were answered, ascending (`[500]`). */
  refusedWith: number[];
  /** Imported fixtures matched to the job. */
  imported: number;
}

export function deliveryCounts(job: Job): DeliveryCounts {
  let deliveries = 0;
  let refused = 0;
  let imported = 0;
  const statuses = new Set<number>();
  for (const d of job.deliveries) {
    if (d.source === 'import') imported++;
    if (d.source !== 'webhook') continue;
    deliveries++;
    if (isRefused(d)) {
      refused++;
      statuses.add(d.answered);
    }
  }
  return { deliveries, refused, refusedWith: [...statuses].sort((a, b) => a - b), imported };
}
