import { sendJson } from './api.js';
import type { ReplayAnswer, ReplayRecord, ReplayRequest, ReplaySummary } from './types.js';

const TARGET_KEY = 'hook-catch.replay-target';

/** Sends a capture again (edited or not) and resolves with the record the API kept; rejects with the API's words. */
export async function sendReplay(id: string, input: ReplayRequest): Promise<ReplayRecord> {
  const answer = await sendJson<ReplayAnswer>('POST', `/api/requests/${encodeURIComponent(id)}/replay`, input);
  return answer.replay;
}

/** A full record as the stream would announce it. */
export function summaryOf(record: ReplayRecord): ReplaySummary {
  const { result } = record;
  return {
    id: record.id,
    of: record.of,
    at: record.at,
    to: record.to,
    edited: record.edited,
    ...(record.resigned && { resigned: record.resigned }),
    method: record.sent.method,
    status: result.ok ? result.status : null,
    latencyMs: result.latencyMs,
    ...(result.ok ? {} : { error: result.error }),
  };
}

/** The replay target the user last typed, else `fallback` (the instance's --forward URL). */
export function savedTarget(fallback: string): string {
  try {
    return localStorage.getItem(TARGET_KEY) || fallback;
  } catch {
    return fallback; // storage off (a private window's setting): nothing remembered
  }
}

export function saveTarget(target: string): void {
  try {
    localStorage.setItem(TARGET_KEY, target.trim());
  } catch {
    // storage off: the target is not remembered, which is all
  }
}

/** `{to}` when a target is given; without it the API uses the --forward URL (or says it needs one). */
export function targetInput(target: string): ReplayRequest {
  const to = target.trim();
  return to ? { to } : {};
}
