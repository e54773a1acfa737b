import { STATUS_CODES } from 'node:http';
import { HookCatchError } from '../errors.js';
import { parseHeader } from '../capture/headers.js';
import type { ResponseRule, RuleInput } from './types.js';

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
  if (path !== null && (typeof path !== 'string' || !path.startsWith('/')))
    throw new HookCatchError(`A rule's path is a prefix starting with /, such as /billing; got "${path}".`);
  const status = checkStatus(input.status ?? 200, 'status');
  const body = input.body ?? null;
  if (body !== null && typeof body !== 'string') throw new HookCatchError("A rule's body is text.");
  const headers = (input.headers ?? []).map(([name, value]) => checkRuleHeader(parseHeader(`${name}:${value}`, 'headers')));
  const delayMs = input.delayMs ?? 0;
  if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) throw new HookCatchError('A delay is from 0 to 10 minutes.');
  const failFirst = input.failFirst ?? 0;
  if (!Number.isInteger(failFirst) || failFirst < 0 || failFirst > 1000) throw new HookCatchError('fail-first takes a whole number from 0 to 1000.');
  return { path, status, body, headers, delayMs, failFirst };
}

/**
 * Headers that frame the answer on its connection: hook-catch writes them itself (Content-Length
 * follows the body it sends), so a rule's own would go out beside them and contradict them. Host
 * means nothing in an answer.
 */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'host']);

/** A rule's header, refused when it is one hook-catch frames the answer with (see FRAMING). */
export function checkRuleHeader(pair: [string, string]): [string, string] {
  if (FRAMING.has(pair[0].toLowerCase())) throw new HookCatchError(`${framingReason(pair[0])} Leave it out.`);
  return pair;
}

function framingReason(name: string): string {
  if (name.toLowerCase() === 'host') return 'Host means nothing in an answer.';
  return `A rule cannot set ${name}: hook-catch frames the answer itself (its Content-Length follows the body it sends).`;
}

/**
 * Rules saved by an earlier version may hold framing headers: they are dropped, each with a
 * warning, so that what is in force answers with one length.
 */
export function withoutFramingHeaders(saved: ResponseRule[]): { rules: ResponseRule[]; warnings: string[] } {
  const warnings: string[] = [];
  const rules = saved.map((rule) => {
    const dropped = rule.headers.filter(([name]) => FRAMING.has(name.toLowerCase()));
    if (dropped.length === 0) return rule;
    for (const [name] of dropped) warnings.push(`Response rule ${rule.id}: its ${name} header is left out. ${framingReason(name)}`);
    return { ...rule, headers: rule.headers.filter(([name]) => !FRAMING.has(name.toLowerCase())) };
  });
  return { rules, warnings };
}

/** `500 Internal Server Error` for messages. */
export function statusText(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}
