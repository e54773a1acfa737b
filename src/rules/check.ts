import { STATUS_CODES } from 'node:http';
import { HookCatchError } from '../errors.js';
import { parseHeader } from '../replay/edits.js';
import type { RuleInput } from './types.js';

const MAX_DELAY_MS = 10 * 60 * 1000;

/** `--respond 503`, `--respond 202:accepted`, `--respond '400:{"error":"bad"}'` -> status and body. */
export function parseRespond(text: string, flag = '--respond'): { status: number; body: string | null } {
  const match = /^(\d{3})(?::([\s\S]*))?$/.exec(text);
  if (!match) throw new HookCatchError(`${flag} takes STATUS or STATUS:BODY, such as 503 or '202:{"queued":true}'; got "${text}".`);
  return { status: checkStatus(Number(match[1]), flag), body: match[2] ?? null };
}

export function checkStatus(status: number, name: string): number {
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new HookCatchError(`${name} must be an HTTP status from 200 to 599; got ${status}.`);
  }
  return status;
}

/** Checks a rule as the API or the flags give it, and fills in what was left out. */
export function checkRule(input: RuleInput): Required<RuleInput> {
  const path = input.path ?? null;
  if (path !== null && (typeof path !== 'string' || !path.startsWith('/'))) throw new HookCatchError(`A rule's path is a prefix starting with /, such as /billing; got "${path}".`);
  const status = checkStatus(input.status ?? 200, 'status');
  const body = input.body ?? null;
  if (body !== null && typeof body !== 'string') throw new HookCatchError("A rule's body is text.");
  const headers = (input.headers ?? []).map(([name, value]) => parseHeader(`${name}:${value}`, 'headers'));
  const delayMs = input.delayMs ?? 0;
  if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) throw new HookCatchError('A delay is from 0 to 10 minutes.');
  const failFirst = input.failFirst ?? 0;
  if (!Number.isInteger(failFirst) || failFirst < 0 || failFirst > 1000) throw new HookCatchError('fail-first takes a whole number from 0 to 1000.');
  return { path, status, body, headers, delayMs, failFirst };
}

/** `500 Internal Server Error` for messages. */
export function statusText(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}
