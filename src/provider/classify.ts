import type { CapturedRequest } from '../capture/capture.js';
import { answerView } from '../jobs/calls.js';
import { viewBody } from '../capture/body-view.js';
import { extract, LIMITS, type Candidate, type JobIdRule } from '../jobs/extract.js';
import { findWebhookUrl } from './webhook-url.js';
import type { Rewrite } from './rewrite.js';

/** What the provider port asks of the jobs: which ids are jobs already, and the user's --job-id-path rules. */
export interface JobLookup {
  known: (id: string) => boolean;
  rules: JobIdRule[];
}

/** Job id keys in the order a submit's answer is read: `jobId` before `idempotencyKey`, a bare `id` last. */
const PRIORITY = ['jobid', 'taskid', 'requestid', 'responseid', 'operationid', 'predictionid', 'runid', 'executionid', 'generationid', 'batchid'];

/**
 * Says what a call was: a poll when its path or query names a job already known; a submit when it
 * sent something (not GET or HEAD), the provider answered 2xx, and the answer names a job id (the
 * receiver's rules, --job-id-path first); any other call is just a call. A submit notes the webhook
 * URL it gave the provider.
 */
export function classify(call: CapturedRequest, rewrite: Rewrite | null, jobs: JobLookup): void {
  const outbound = call.outbound!;
  const polled = namedJob(call, jobs);
  if (polled) {
    outbound.role = 'poll';
    outbound.jobId = polled;
    return;
  }
  const answer = call.answer;
  if (!answer || answer.status < 200 || answer.status >= 300 || call.method === 'GET' || call.method === 'HEAD') return;
  const id = submittedId(call, jobs.rules);
  if (!id) return;
  outbound.role = 'submit';
  outbound.jobId = id.id;
  outbound.idAt = id.matchedBy;
  const found = rewrite?.found ?? findWebhookUrl(call.query, jsonOf(call));
  if (found) {
    outbound.webhookUrl = found.url;
    outbound.webhookUrlAt = found.at;
  }
  if (rewrite?.to) outbound.rewrittenTo = rewrite.to;
}

/** The known job a call's path segments or query values name. */
function namedJob(call: CapturedRequest, jobs: JobLookup): string | null {
  for (const segment of call.path.split('/')) {
    if (!segment) continue;
    const id = safeDecode(segment);
    if (jobs.known(id)) return id;
  }
  for (const [, value] of call.query) if (jobs.known(value)) return value;
  return null;
}

/** The job id the provider's answer names, read as the receiver reads a webhook. */
function submittedId(call: CapturedRequest, rules: JobIdRule[]): Candidate | null {
  const candidates = extract(answerView(call), rules).candidates;
  const byRule = candidates.find((c) => c.matchedBy.startsWith('rule '));
  if (byRule) return byRule;
  const rank = (c: Candidate) => {
    const key = (c.matchedBy.split('.').pop() ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
    const at = PRIORITY.indexOf(key);
    return c.weak ? 100 : at === -1 ? 50 : at;
  };
  return [...candidates].sort((a, b) => rank(a) - rank(b))[0] ?? null;
}

function jsonOf(call: CapturedRequest): unknown {
  return call.body.length > 0 ? viewBody(call, LIMITS.parseBytes).value : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
