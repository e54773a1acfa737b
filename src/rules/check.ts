import { STATUS_CODES } from 'node:http';
import { randomInt } from 'node:crypto';
import { HookCatchError } from '../errors.js';
import { parseHeader } from '../capture/headers.js';
import { parseDuration } from '../units.js';
import type { ResponseRule, RuleInput } from './types.js';

const MAX_DELAY_MS = 10 * 60 * 1000;
/** `--hang` alone: longer than any provider's delivery timeout we know (most give up within 30 s). */
export const DEFAULT_HANG_MS = 60 * 1000;
/** A hung request holds its connection open at most this long. */
const MAX_HANG_MS = 10 * 60 * 1000;
const MAX_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_SEED = 2 ** 32 - 1;

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
  const failRate = input.failRate ?? 0;
  if (typeof failRate !== 'number' || !(failRate >= 0 && failRate <= 100))
    throw new HookCatchError(`fail-rate is a percent from 0 to 100, such as 30%; got ${failRate}.`);
  const seed = checkSeed(input.seed ?? null, failRate);
  const throttle = input.throttle ? checkThrottle(input.throttle) : null;
  const goneAfter = input.goneAfter ? checkGoneAfter(input.goneAfter) : null;
  const hangMs = input.hangMs ?? 0;
  if (typeof hangMs !== 'number' || !(hangMs >= 0 && hangMs <= MAX_HANG_MS)) throw new HookCatchError('A hang lasts from 1 ms to 10 minutes, such as 30s.');
  const drop = input.drop ?? false;
  if (typeof drop !== 'boolean') throw new HookCatchError('drop is true or false.');
  if (hangMs && drop) throw new HookCatchError('A rule either hangs or drops the connection: give --hang or --drop, not both.');
  if ((hangMs || drop) && !failFirst && !failRate && (status !== 200 || body !== null))
    throw new HookCatchError(
      `A rule that ${hangMs ? 'hangs' : 'drops'} every request answers none: leave out the status and body, or add --fail-rate or --fail-first so that only those fail so.`,
    );
  return { path, status, body, headers, delayMs, failFirst, failRate, seed, throttle, goneAfter, hangMs, drop };
}

/** A fail-rate's seed: the one given, else one picked now (kept on the rule, so that a run can be repeated). */
function checkSeed(seed: number | null, failRate: number): number | null {
  if (seed !== null && (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED))
    throw new HookCatchError(`A seed is a whole number from 0 to ${MAX_SEED}; got ${seed}.`);
  if (!failRate) {
    if (seed !== null) throw new HookCatchError('A seed goes with a fail-rate: add --fail-rate, such as --fail-rate 30%.');
    return null;
  }
  return seed ?? randomInt(1, 2 ** 31);
}

function checkThrottle(throttle: { status: number; ms: number }): { status: number; ms: number } {
  if (typeof throttle !== 'object') throw new HookCatchError('A throttle is STATUS:DURATION, such as 429:30s.');
  if (throttle.status !== 429 && throttle.status !== 503) throw new HookCatchError(`A throttle answers 429 or 503; got ${throttle.status}.`);
  if (typeof throttle.ms !== 'number' || !(throttle.ms >= 1 && throttle.ms <= MAX_WINDOW_MS))
    throw new HookCatchError('A throttle lasts from 1 ms to 24 hours, such as 30s.');
  return { status: throttle.status, ms: throttle.ms };
}

function checkGoneAfter(gone: { count: number } | { ms: number }): { count: number } | { ms: number } {
  if (typeof gone !== 'object') throw new HookCatchError('gone-after takes a count of requests (100) or a duration (30s).');
  if ('count' in gone) {
    if (!Number.isInteger(gone.count) || gone.count < 0 || gone.count > 1e9)
      throw new HookCatchError(`gone-after takes a count of requests (a whole number) or a duration; got ${gone.count}.`);
    return { count: gone.count };
  }
  if (typeof gone.ms !== 'number' || !(gone.ms >= 1 && gone.ms <= 30 * MAX_WINDOW_MS))
    throw new HookCatchError('gone-after takes a duration from 1 ms to 30 days, or a count of requests.');
  return { ms: gone.ms };
}

/** `30%`, `30`, `2.5%` -> 30, 30, 2.5. */
export function parseFailRate(text: string, flag = '--fail-rate'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  const percent = match ? Number(match[1]) : NaN;
  if (!(percent > 0 && percent <= 100)) throw new HookCatchError(`${flag} takes a percent above 0 and up to 100, such as 30%; got "${text}".`);
  return percent;
}

/** `429:30s`, `503:1m` -> the status and the window. */
export function parseThrottle(text: string, flag = '--throttle'): { status: number; ms: number } {
  const match = /^(\d{3}):(.+)$/.exec(text.trim());
  const ms = match ? parseDuration(match[2]!) : NaN;
  if (!match || !Number.isFinite(ms) || ms <= 0) throw new HookCatchError(`${flag} takes STATUS:DURATION, such as 429:30s or 503:1m; got "${text}".`);
  return checkThrottle({ status: Number(match[1]), ms });
}

/** `100` (requests) or `30s`, `5m` (a time). */
export function parseGoneAfter(text: string, flag = '--gone-after'): { count: number } | { ms: number } {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return checkGoneAfter({ count: Number(trimmed) });
  const ms = parseDuration(trimmed);
  if (!/[a-z]$/i.test(trimmed) || !Number.isFinite(ms) || ms <= 0)
    throw new HookCatchError(`${flag} takes a count of requests (100) or a duration (30s, 5m); got "${text}".`);
  return checkGoneAfter({ ms });
}

/** `30s`, `2m`: how long `--hang` holds a request unanswered. */
export function parseHang(text: string, flag = '--hang'): number {
  const ms = parseDuration(text);
  if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_HANG_MS) throw new HookCatchError(`${flag} takes a duration up to 10m, such as 30s; got "${text}".`);
  return ms;
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

/** A rule as rules.json keeps it: one saved before fail-rate, throttle, gone-after, hang and drop existed has none of them. */
export function savedRule(rule: ResponseRule): ResponseRule {
  return {
    ...rule,
    failRate: rule.failRate ?? 0,
    seed: rule.seed ?? null,
    throttle: rule.throttle ?? null,
    goneAfter: rule.goneAfter ?? null,
    hangMs: rule.hangMs ?? 0,
    drop: rule.drop ?? false,
  };
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
