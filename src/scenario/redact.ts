import { DEFAULT_REDACT } from '../fixtures/redact.js';
import { replaceInQuery } from '../provider/webhook-url.js';
import { REDACTED } from './format.js';

/**
 * What a scenario redacts by default (it goes into git): the fixtures' credential and signature
 * headers (a signature is made again on playback, `mock --resign`), the API keys async APIs take in a
 * header, and the query parameters that carry keys or tokens.
 */
export const SCENARIO_REDACT_HEADERS = [...DEFAULT_REDACT, 'X-Access-Token', 'X-Api-Token'];
export const SCENARIO_REDACT_QUERY = ['apikey', 'api_key', 'api-key', 'key', 'token', 'access_token', 'auth', 'secret', 'signature', 'sig', 'password'];

/** What to redact: the defaults, plus `more`, less `keep` (names of headers or query parameters, any case). */
export interface Redaction {
  headers: Set<string>;
  query: Set<string>;
  /** What was redacted, for the file: `header authorization`, `query apikey`. */
  done: Set<string>;
}

export function redaction(more: string[] = [], keep: string[] = []): Redaction {
  const kept = new Set(keep.map((name) => name.toLowerCase()));
  const pick = (names: string[]) => new Set([...names, ...more].map((name) => name.toLowerCase()).filter((name) => !kept.has(name)));
  return { headers: pick(SCENARIO_REDACT_HEADERS), query: pick(SCENARIO_REDACT_QUERY), done: new Set() };
}

/** Headers with redacted values replaced by `[redacted]` (order, case and duplicates kept). */
export function redactPairs(headers: [string, string][], r: Redaction): [string, string][] {
  return headers.map(([name, value]) => {
    if (!r.headers.has(name.toLowerCase())) return [name, value];
    r.done.add(`header ${name.toLowerCase()}`);
    return [name, REDACTED];
  });
}

/** A request target with redacted query values replaced by `[redacted]` (the rest as it was sent). */
export function redactTarget(target: string, query: [string, string][], r: Redaction): string {
  let out = target;
  for (const [name] of query) {
    if (!r.query.has(name.toLowerCase())) continue;
    r.done.add(`query ${name}`);
    out = replaceInQuery(out, name, REDACTED, true);
  }
  return out;
}
