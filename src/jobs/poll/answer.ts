import { createHash } from 'node:crypto';
import type { CapturedRequest } from '../../capture/capture.js';
import { splitTarget } from '../../capture/capture.js';
import type { Answered } from '../../capture/records.js';

/**
 * A status endpoint's answer as a capture: the provider's headers and exact body, its status as the
 * status, and which job it was polled for. The URL is the spec's (variables as `$NAME`), never the
 * one sent with secrets filled in.
 */
export function pollCapture(answer: Answered, input: { id: string; at: number; jobId: string; specUrl: string }): CapturedRequest {
  const [, host = null, rest = ''] = /^https?:\/\/([^/?#]*)([^#]*)/i.exec(input.specUrl) ?? [];
  const target = rest.startsWith('/') ? rest : `/${rest}`;
  const { path, query } = splitTarget(target);
  const contentType = answer.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
  return {
    id: input.id,
    receivedAt: new Date(input.at).toISOString(),
    method: 'GET',
    url: target,
    path,
    query,
    httpVersion: '1.1',
    headers: answer.headers,
    remoteAddress: host,
    contentType,
    bodySize: answer.bodySize,
    bodyDiscarded: false,
    response: { status: answer.status },
    poll: { jobId: input.jobId, url: input.specUrl, latencyMs: answer.latencyMs },
    body: answer.body,
  };
}

/** Two answers are the same when their status and body bytes are: only a changed answer is stored again. */
export function answerKey(answer: Answered): string {
  return `${answer.status} ${createHash('sha256').update(answer.body).digest('base64url')}`;
}

/**
 * Seconds or an HTTP date in `Retry-After`, as milliseconds from now; null when there is none
 * (or it cannot be read).
 */
export function retryAfterMs(answer: Answered, now: number): number | null {
  const value = answer.headers.find(([name]) => name.toLowerCase() === 'retry-after')?.[1]?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
