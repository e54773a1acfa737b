import { decodeBody } from '../capture/encoded-body.js';
import type { PollStep, ScenarioRequest, SubmitStep, WebhookStep } from '../scenario/format.js';
import type { LoadedScenario } from './load.js';
import { rulesOf, shapeOf, type MatchRules, type Shape } from './match.js';

// A scenario as playback reads it, worked out once at start: the shapes its requests are matched
// by, its polls grouped by endpoint, and its webhooks as sends with their recorded retries.

/** The polls of one endpoint (`GET /jobs/{id}`), in recorded order. */
export interface PollGroup {
  shape: Shape;
  steps: PollStep[];
}

/**
 * One send of a webhook as the provider made it: its first attempt (a first delivery, or a
 * duplicate sent again after a 2xx) and the retries recorded after it (attempt 2, 3 … of the same body).
 */
export interface Send {
  /** 1 for the job's first send, in recorded order. */
  number: number;
  first: WebhookStep;
  retries: WebhookStep[];
}

export interface Plan extends LoadedScenario {
  recordedId: string;
  submit: SubmitStep;
  submitShape: Shape;
  rules: MatchRules;
  polls: PollGroup[];
  sends: Send[];
  /** When the job's final webhook (its last that says completed or failed) was first sent, in recorded ms; null when it has no webhook. */
  finalAtMs: number | null;
  /** That webhook's send. */
  finalSend: Send | null;
}

export function planOf(loaded: LoadedScenario): Plan {
  const { scenario } = loaded;
  const submit = scenario.steps[0] as SubmitStep;
  const sends = sendsOf(scenario.steps.filter((step): step is WebhookStep => step.kind === 'webhook'));
  const finalSend = sends.findLast((send) => !send.first.duplicate && send.first.status !== 'in_progress') ?? sends.at(-1) ?? null;
  return {
    ...loaded,
    recordedId: scenario.job.id,
    submit,
    submitShape: requestShape(submit.request),
    rules: rulesOf(scenario.match, submit.webhookUrlAt),
    polls: pollGroups(scenario.steps.filter((step): step is PollStep => step.kind === 'poll')),
    sends,
    finalAtMs: finalSend?.first.atMs ?? null,
    finalSend,
  };
}

export function requestShape(request: ScenarioRequest): Shape {
  const contentType = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
  const body =
    request.body === undefined || request.bodyEncoding === undefined ? undefined : decodeBody({ body: request.body, bodyEncoding: request.bodyEncoding });
  return shapeOf(request.method, request.url, contentType, body);
}

function pollGroups(steps: PollStep[]): PollGroup[] {
  const groups = new Map<string, PollGroup>();
  for (const step of steps) {
    const shape = requestShape(step.request);
    const key = `${shape.method} ${shape.path} ${[...shape.queryKeys].sort().join('&')}`;
    const group = groups.get(key) ?? groups.set(key, { shape, steps: [] }).get(key)!;
    group.steps.push(step);
  }
  return [...groups.values()];
}

/** Each attempt 1 starts a send; a later attempt joins the latest send of the same body (else starts one). */
function sendsOf(webhooks: WebhookStep[]): Send[] {
  const sends: Send[] = [];
  for (const step of [...webhooks].sort((a, b) => a.atMs - b.atMs)) {
    const of = step.attempt > 1 ? sends.findLast((send) => send.first.request.body === step.request.body) : undefined;
    if (of) of.retries.push(step);
    else sends.push({ number: sends.length + 1, first: step, retries: [] });
  }
  return sends;
}

/**
 * The recorded answer to a poll, on the job's timeline: before the final webhook went out, one of
 * those recorded before it (the latest whose time has come); after, one of those recorded after it.
 * `elapsedMs` is the job's age in recorded milliseconds (Infinity at --speed instant).
 */
export function pollAnswer(group: PollGroup, plan: Plan, finalSent: boolean, elapsedMs: number): PollStep {
  const { steps } = group;
  const latest = (list: PollStep[]) => list.findLast((step) => step.atMs <= elapsedMs) ?? list[0];
  if (plan.finalAtMs === null) return latest(steps)!;
  const before = steps.filter((step) => step.atMs < plan.finalAtMs!);
  const after = steps.filter((step) => step.atMs >= plan.finalAtMs!);
  if (finalSent) return after.length > 0 ? latest(after)! : steps.at(-1)!;
  return before.length > 0 ? latest(before)! : steps[0]!;
}
