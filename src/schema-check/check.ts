import { viewBody } from '../capture/body-view.js';
import type { CapturedRequest } from '../capture/capture.js';
import { knownJson } from '../capture/parsed-json.js';
import type { SchemaVerdict } from '../capture/shapes.js';
import type { Spec, Target } from './spec.js';
import { compileProblem } from './validator.js';

// A capture's body against the user's spec (`--schema`): valid, invalid with the first few errors,
// or unchecked and why. A JSON body the receiver parsed is not parsed again (parsed-json.ts); a
// compressed one or a form (GitHub's `payload=`) is read as body-view reads it. Nothing changes the
// parsed value (Ajv is not asked to coerce or fill in defaults): job matching shares it.

/** The verdict on a capture's body, or null for what is not a webhook (a provider-port call, a polled answer, a refused request). */
export function checkCapture(spec: Spec, request: CapturedRequest): SchemaVerdict | null {
  if (request.refusal || request.outbound || request.poll) return null;
  const target = spec.targetOf(request.event?.type);
  if ('reason' in target) return { verdict: 'unchecked', reason: target.reason };
  const body = bodyOf(request);
  if ('reason' in body) return { verdict: 'unchecked', against: target.against, reason: body.reason };
  let errors: string[] | null;
  try {
    errors = target.validator.errorsOf(body.value);
  } catch (error) {
    // A large spec's schema, compiled at its first use (load.ts), that cannot be.
    return { verdict: 'unchecked', against: target.against, reason: `its schema ${compileProblem(error)}` };
  }
  return errors ? { verdict: 'invalid', against: target.against, errors } : validOf(target);
}

/** One verdict object per schema for the valid ones: the store's index keeps a verdict per capture. */
const valids = new WeakMap<Target, SchemaVerdict>();
function validOf(target: Target): SchemaVerdict {
  let verdict = valids.get(target);
  if (!verdict) valids.set(target, (verdict = { verdict: 'valid', against: target.against }));
  return verdict;
}

function bodyOf(request: CapturedRequest): { value: unknown } | { reason: string } {
  if (request.bodyDiscarded) return { reason: 'its body was over --max-body and not kept' };
  if (request.body.length === 0) return { reason: 'it has no body' };
  const known = knownJson(request.body);
  if (known !== undefined) return { value: known };
  if (request.invalidJson) return { reason: 'its body is not valid JSON' };
  const view = viewBody(request);
  if (view.problem) return { reason: `its body was not read: ${view.problem}` };
  if (view.format === 'json') return { value: view.value };
  if (view.format === 'form') {
    const payload = (view.value as Record<string, unknown>).payload;
    return { value: typeof payload === 'object' && payload !== null ? payload : view.value };
  }
  return { reason: `its body is not JSON${request.contentType ? ` (${request.contentType.split(';')[0]})` : ''}` };
}
