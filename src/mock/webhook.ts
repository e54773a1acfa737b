import { decodeBody } from '../capture/encoded-body.js';
import { SCHEME_NAMES, type SchemeName } from '../capture/signature.js';
import { HookCatchError } from '../errors.js';
import { resignOutgoing } from '../replay/replay.js';
import { REDACTED, type WebhookStep } from '../scenario/format.js';
import { framed, type Outgoing } from '../send/outgoing.js';
import type { ResignRule } from '../signatures/resign.js';
import { replaceBytes, replaceInHeaders } from './ids.js';
import type { Plan } from './plan.js';

/**
 * A recorded webhook as it goes to `to` for a played job: the recorded method, headers (in their
 * order and case) and body bytes, with the recorded job id replaced by the fresh one; Host and
 * Content-Length counted for what is sent, framing and hop-by-hop headers left out. Signed again
 * with `resign` (under the scheme it names, else the one the recording carried, else the one its
 * headers show); a redacted header (a signature the recording could not keep) is never sent.
 */
export async function webhookOut(step: WebhookStep, recordedId: string, freshId: string, to: URL, resign?: ResignRule): Promise<Outgoing> {
  const { request } = step;
  const body = replaceBytes(decodeBody({ body: request.body!, bodyEncoding: request.bodyEncoding ?? 'utf8' }), recordedId, freshId);
  const headers = framed(replaceInHeaders(request.headers, recordedId, freshId), body, request.method, to.host);
  const out: Outgoing = { url: new URL(to.href), method: request.method, headers, body, path: `${to.pathname}${to.search}`, edited: true };
  if (resign) await resignOutgoing(out, contentTypeOf(headers), ruleFor(step, resign));
  out.headers = out.headers.filter(([, value]) => value !== REDACTED);
  return out;
}

/** `--resign SECRET` (no scheme) signs under the scheme the recording carried, when it names one. */
function ruleFor(step: WebhookStep, rule: ResignRule): ResignRule {
  const recorded = (SCHEME_NAMES as readonly string[]).includes(step.scheme ?? '') ? (step.scheme as SchemeName) : null;
  return rule.scheme === 'auto' && recorded ? { ...rule, scheme: recorded } : rule;
}

const contentTypeOf = (headers: [string, string][]) => headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;

/** Before serving: every webhook of `plan` can be signed again with `resign` (else one line naming the scenario and the webhook). */
export async function checkResign(plan: Plan, resign: ResignRule): Promise<void> {
  for (const send of plan.sends) {
    for (const step of [send.first, ...send.retries]) {
      try {
        await webhookOut(step, plan.recordedId, plan.recordedId, new URL('http://127.0.0.1/'), resign);
      } catch (error) {
        if (error instanceof HookCatchError) throw new HookCatchError(`${plan.name}, webhook ${send.number}: ${error.message}`);
        throw error;
      }
    }
  }
}
