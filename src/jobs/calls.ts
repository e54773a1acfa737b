import type { CapturedRequest } from '../capture/capture.js';
import { decodeBody } from '../capture/encoded-body.js';
import { extract, type JobIdRule } from './extract.js';
import type { JobSubmit, PayloadStatus } from './types.js';

// The app's calls to its provider through the provider port (`--provider`), as the jobs read them:
// a submit's answer names its job; a status call's answer says where the job stands.

/**
 * A call's answer seen as a capture: the provider's headers and body in place of the app's, so that
 * the receiver's rules read it as they read a webhook. No path or query: those were the app's.
 */
export function answerView(call: CapturedRequest): CapturedRequest {
  const answer = call.answer;
  const headers = answer?.headers ?? [];
  const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
  const body = answer ? decodeBody(answer) : Buffer.alloc(0);
  return { ...call, path: '/', url: '/', query: [], headers, contentType, body, bodySize: body.length, bodyDiscarded: false };
}

/** What a status call's answer says of its job; a non-2xx answer (or none) says nothing. */
export function callStatus(call: CapturedRequest, rules: JobIdRule[]): { status: PayloadStatus | null; statusWord: string | null } {
  const status = call.answer?.status ?? 0;
  if (status < 200 || status >= 300) return { status: null, statusWord: null };
  const found = extract(answerView(call), rules);
  return { status: found.status, statusWord: found.statusWord };
}

export function submitOf(call: CapturedRequest): JobSubmit {
  const outbound = call.outbound!;
  return {
    requestId: call.id,
    at: call.receivedAt,
    provider: outbound.provider,
    webhookUrl: outbound.webhookUrl ?? null,
    rewrittenTo: outbound.rewrittenTo ?? null,
    ended: null,
  };
}
