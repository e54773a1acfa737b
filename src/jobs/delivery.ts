import { hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { LARGE_BODY_BYTES } from '../capture/body-view.js';
import { createInterner } from '../interner.js';
import type { CapturedRequest } from '../capture/capture.js';
import type { Delivery, Job, PayloadStatus } from './types.js';

export { arrivedAt, isAcknowledged, isRefused } from './counts.js';

/** A delivery of `request`: attempt 1 until it is attached to its job. Deliveries are many, so each holds little. */
export function makeDelivery(
  request: CapturedRequest,
  matchedBy: string,
  status: PayloadStatus,
  statusWord: string | null,
  source: Delivery['source'] = 'webhook',
  /** The stored request, when `request` is a view of it (a call's answer): its id, time and what the app got. */
  stored: CapturedRequest = request,
): Delivery {
  const delivery: Delivery = {
    requestId: stored.id,
    receivedAt: stored.receivedAt,
    matchedBy: shared(matchedBy),
    status,
    statusWord: statusWord === null ? null : shared(statusWord),
    attempt: 1,
    duplicate: false,
    bodyHash: bodyHash(request.body),
    source,
    answered: stored.response.status,
    method: shared(stored.method),
    path: sharedPath(stored.path),
  };
  // Only where a response rule answered: a timeline says which, and why (a throttle's 429, a hang).
  if (stored.response.rule) delivery.rule = stored.response.rule;
  if (stored.response.unanswered) delivery.unanswered = stored.response.unanswered;
  return delivery;
}

/** After a delivery arrived out of order (claimed, or derived at start-up beside live ones): attempts counted again. */
export function renumber(job: Job): void {
  job.deliveries.sort((a, b) => byText(a.requestId, b.requestId));
  const seen = new Map<string, number>();
  for (const d of job.deliveries) {
    const key = `${d.source} ${d.bodyHash}`;
    d.attempt = (seen.get(key) ?? 0) + 1;
    d.duplicate = d.source === 'webhook' && d.attempt > 1;
    seen.set(key, d.attempt);
  }
}

/** Ids and ISO times sort as plain text (localeCompare is slower and means nothing here). */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * 16 bytes of the body's sha-256: enough to tell bodies apart, a quarter of the hex digest's memory.
 * A large body is told by its length and its CRC-32 instead, at less than half the cost
 * (0.27 ms per MiB against 0.65): bodies of one job are told apart, no one is proving anything.
 */
function bodyHash(body: Buffer): string {
  if (body.length <= LARGE_BODY_BYTES) return hash('sha256', body, 'buffer').toString('base64url', 0, 16);
  const digest = Buffer.allocUnsafe(10);
  digest.writeUIntBE(body.length, 0, 6);
  digest.writeUInt32BE(crc32(body), 6);
  return digest.toString('base64url');
}

/** One copy of the strings that repeat from delivery to delivery (`body.jobId`, `Completed`). */
const shared = createInterner();
/** Webhook paths repeat too; a status call's path (its job id in it) does not, so it does not crowd the words out. */
const sharedPath = createInterner();
