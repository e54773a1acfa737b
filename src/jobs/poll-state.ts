import type { CapturedRequest } from '../capture/capture.js';
import { viewBody } from '../capture/body-view.js';
import type { PollSpec } from './poll/spec.js';
import { applyRule, extract, LIMITS, parseRule, type JobIdRule } from './extract.js';
import { statusOfWord } from './status-words.js';
import type { JobPoll, PayloadStatus } from './types.js';

/** A job's polling as it starts (again, on a new registration: what the provider said is kept). */
export function freshPoll(spec: PollSpec, before: JobPoll | undefined): JobPoll {
  return {
    url: spec.url,
    everyMs: spec.everyMs,
    graceMs: spec.graceMs,
    statusPath: spec.statusPath,
    state: before?.doneAt ? 'done' : 'polling',
    count: before?.count ?? 0,
    lastPolledAt: before?.lastPolledAt ?? null,
    lastHttpStatus: before?.lastHttpStatus ?? null,
    error: null,
    nextAt: null,
    provider: before?.provider ?? null,
    doneAt: before?.doneAt ?? null,
    webhookLagMs: before?.webhookLagMs ?? null,
  };
}

/**
 * What a polled answer says of its job: the word at `statusPath` (`body.data.state`), else the
 * status the usual job rules find. A non-2xx answer says nothing.
 */
export function pollStatus(
  request: CapturedRequest,
  statusPath: string | null,
  rules: JobIdRule[],
): { status: PayloadStatus | null; statusWord: string | null } {
  if (request.response.status < 200 || request.response.status >= 300) return { status: null, statusWord: null };
  if (statusPath) {
    const value = applyRule(parseRule(statusPath, '--status-path'), request, viewBody(request, LIMITS.parseBytes).value);
    const word = typeof value === 'string' || typeof value === 'boolean' ? String(value) : null;
    return { status: word === null ? null : statusOfWord(word), statusWord: word };
  }
  const { status, statusWord } = extract(request, rules);
  return { status, statusWord };
}
