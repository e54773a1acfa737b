import { randomBytes } from 'node:crypto';
import { DEFAULTS } from '../defaults.js';
import { HookCatchError } from '../errors.js';
import { encodeBody, type CapturedRequest } from '../receiver/capture.js';
import type { RequestLog } from '../store/request-log.js';
import { outgoing, sentRequest } from './outgoing.js';
import { send } from './send.js';
import { loopReason, type OwnAddresses } from './target.js';
import type { Edits, ReplayRecord, SendResult } from './types.js';

export interface ReplayOptions {
  /** Where to send: the capture's path and query go below this URL's path. */
  to: URL;
  edits?: Edits;
  /** Default DEFAULTS.sendTimeoutMs. */
  timeoutMs?: number;
  insecure?: boolean;
  /** Where hook-catch itself listens, never a target. */
  own: OwnAddresses;
}

/**
 * Sends a stored capture again, exactly or edited, and keeps a record of it with the capture (the
 * capture itself is never changed). Resolves with the record whatever the target answered; throws
 * only when the target is hook-catch itself.
 */
export async function replayCapture(log: RequestLog, request: CapturedRequest, options: ReplayOptions): Promise<ReplayRecord> {
  const record = await sendAgain(request, options);
  await log.appendReplay(record);
  return record;
}

/** Sends a capture (or a fixture's request) again and says how it went, keeping nothing. */
export async function sendAgain(request: CapturedRequest, options: ReplayOptions): Promise<ReplayRecord> {
  const loop = await loopReason(options.to, options.own);
  if (loop) throw new HookCatchError(loop);
  const out = outgoing(request, options.to, options.edits);
  const at = new Date().toISOString();
  const result = await send(out, { timeoutMs: options.timeoutMs ?? DEFAULTS.sendTimeoutMs, keepBytes: DEFAULTS.keptAnswerBytes, insecure: options.insecure });
  const record: ReplayRecord = {
    id: `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`,
    of: request.id,
    at,
    to: out.url.href,
    edited: out.edited,
    sent: { ...sentRequest(out), bodySize: out.body.length, ...(out.edited ? encodeBody(out.body) : {}) },
    result: resultRecord(result),
  };
  return record;
}

function resultRecord(result: SendResult): ReplayRecord['result'] {
  if (!result.ok) return result;
  const { body, ...rest } = result;
  return { ...rest, ...encodeBody(body) };
}
