import type { CapturedRequest } from '../capture/capture.js';
import { encodeBody } from '../capture/encoded-body.js';
import type { Delivery, Job } from '../jobs/types.js';
import { BodyTap } from '../provider/body-tap.js';
import { detectScheme } from '../signatures/schemes.js';
import { VERSION } from '../version.js';
import { SCENARIO_FORMAT, type Scenario, type ScenarioAnswer, type ScenarioRequest, type ScenarioStep } from './format.js';
import { redactPairs, redactTarget, type Redaction } from './redact.js';

export interface ScenarioOptions {
  redaction: Redaction;
  /** Request bodies larger than this are kept as size, type and hash (and multipart parts), not bytes. */
  maxBodyBytes: number;
}

/**
 * One job as a scenario: its submit, every status call and webhook stored under it, in time order,
 * each at its offset from the submit. `requests` are the stored requests of the job's deliveries.
 */
export function toScenario(job: Job, requests: Map<string, CapturedRequest>, options: ScenarioOptions): Scenario {
  const submitted = requests.get(job.submit!.requestId)!;
  const t0 = Date.parse(submitted.receivedAt);
  const at = (request: CapturedRequest) => Math.max(0, Date.parse(request.receivedAt) - t0);
  const steps: ScenarioStep[] = [];
  // Its submit, also when the job has so many calls that its first delivery was let go (DELIVERIES_PER_JOB).
  const deliveries = job.deliveries.some((d) => d.source === 'submit') ? job.deliveries : [submitDelivery(submitted), ...job.deliveries];
  for (const delivery of deliveries) {
    const request = requests.get(delivery.requestId);
    if (request) steps.push(...stepOf(delivery, request, at(request), options));
  }
  steps.sort((a, b) => a.atMs - b.atMs || (a.kind === 'submit' ? -1 : b.kind === 'submit' ? 1 : 0));
  return {
    format: SCENARIO_FORMAT,
    createdBy: `hook-catch ${VERSION}`,
    job: {
      id: job.id,
      label: job.label,
      provider: job.submit!.provider,
      status: job.status,
      submittedAt: submitted.receivedAt,
      webhookUrl: job.submit!.webhookUrl,
    },
    redacted: [...options.redaction.done].sort(),
    steps,
  };
}

function submitDelivery(request: CapturedRequest): Delivery {
  return {
    requestId: request.id,
    receivedAt: request.receivedAt,
    matchedBy: '',
    status: 'in_progress',
    statusWord: null,
    attempt: 1,
    duplicate: false,
    bodyHash: '',
    source: 'submit',
    answered: request.response.status,
    method: request.method,
    path: request.path,
  };
}

function stepOf(delivery: Delivery, request: CapturedRequest, atMs: number, options: ScenarioOptions): ScenarioStep[] {
  if (delivery.source === 'submit') {
    const outbound = request.outbound!;
    return [
      {
        kind: 'submit',
        atMs,
        request: requestOf(request, options),
        answer: answerOf(request, options),
        idAt: outbound.idAt ?? 'body.id',
        ...(outbound.webhookUrlAt && { webhookUrlAt: outbound.webhookUrlAt }),
      },
    ];
  }
  if (delivery.source === 'poll' && request.outbound) {
    const status = delivery.statusWord === null ? null : delivery.status;
    return [{ kind: 'poll', atMs, request: requestOf(request, options), answer: answerOf(request, options), statusWord: delivery.statusWord, status }];
  }
  if (delivery.source !== 'webhook') return [];
  const scheme = request.signature?.scheme ?? detectScheme(request.headers, null)?.name;
  return [
    {
      kind: 'webhook',
      atMs,
      attempt: delivery.attempt,
      duplicate: delivery.duplicate,
      request: requestOf(request, options),
      // null: a response rule answered nothing (hung or dropped the connection), as the format has it for no answer.
      answered: { status: request.response.unanswered ? null : request.response.status, by: request.response.relayed ? 'app' : 'hook-catch' },
      ...(scheme && { scheme }),
      statusWord: delivery.statusWord,
      status: delivery.status,
    },
  ];
}

/** A stored request as a scenario keeps it: credentials redacted, a large body as its size, type and hash. */
function requestOf(request: CapturedRequest, options: ScenarioOptions): ScenarioRequest {
  const out: ScenarioRequest = {
    method: request.method,
    url: redactTarget(request.url, request.query, options.redaction),
    headers: redactPairs(request.headers, options.redaction),
    bodySize: request.bodySize,
  };
  if (!request.bodyDiscarded && request.body.length <= options.maxBodyBytes) return { ...out, ...encodeBody(request.body) };
  out.omitted = { contentType: request.contentType };
  if (request.bodyDiscarded) {
    if (request.outbound?.bodySha256) out.omitted.sha256 = request.outbound.bodySha256;
    if (request.outbound?.parts) out.omitted.parts = request.outbound.parts;
    return out;
  }
  // Kept in the store but too large for a file in git: its hash and parts from the bytes.
  const tap = new BodyTap(0, request.contentType);
  tap.push(request.body);
  out.omitted.sha256 = tap.sha256();
  const parts = tap.multipart();
  if (parts) out.omitted.parts = parts;
  return out;
}

function answerOf(request: CapturedRequest, options: ScenarioOptions): ScenarioAnswer {
  const answer = request.answer;
  const latencyMs = request.outbound!.latencyMs;
  if (!answer) {
    const error = request.outbound!.error ?? 'no answer was kept';
    return {
      status: request.response.status,
      headers: [['Content-Type', 'application/json']],
      ...encodeBody(Buffer.from(JSON.stringify({ error }))),
      latencyMs,
      error,
    };
  }
  return { status: answer.status, headers: redactPairs(answer.headers, options.redaction), body: answer.body, bodyEncoding: answer.bodyEncoding, latencyMs };
}
