import { looksLikeCredential } from '../fixtures/redact.js';
import { REDACTED } from '../scenario/format.js';
import { SCENARIO_REDACT_HEADERS, SCENARIO_REDACT_QUERY } from '../scenario/redact.js';

// No tool result carries a secret: a model's context is logged, shared and sent on. Blanked are the
// headers a scenario export blanks (credentials, API keys, signatures: the signature's verdict is
// given instead) and any other whose name looks like a credential (`X-Acme-Token`), and the query
// parameters that carry keys or tokens. A secret inside a body is not looked for.

const HEADERS = new Set(SCENARIO_REDACT_HEADERS.map((name) => name.toLowerCase()));
const QUERY = new Set(SCENARIO_REDACT_QUERY);

const secretHeader = (name: string) => HEADERS.has(name.toLowerCase()) || looksLikeCredential(name);
const secretParameter = (name: string) => QUERY.has(name.toLowerCase()) || looksLikeCredential(name);

/** What was blanked, for the result: `header authorization`, `query key`. */
export type Blanked = Set<string>;

/** Headers as `Name: value` lines, a secret's value replaced by `[redacted]` (order, case and duplicates kept). */
export function redactHeaders(headers: [string, string][], blanked: Blanked): string[] {
  return headers.map(([name, value]) => {
    if (!secretHeader(name) || value === '') return `${name}: ${value}`;
    blanked.add(`header ${name.toLowerCase()}`);
    return `${name}: ${REDACTED}`;
  });
}

/** A request target (path and query) with a secret parameter's value replaced by `[redacted]`, the rest as sent. */
export function redactTarget(target: string, blanked: Blanked): string {
  const q = target.indexOf('?');
  if (q === -1) return target;
  const pairs = target
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = safeDecode(eq === -1 ? pair : pair.slice(0, eq));
      if (eq === -1 || !secretParameter(name)) return pair;
      blanked.add(`query ${name}`);
      return `${pair.slice(0, eq)}=${REDACTED}`;
    });
  return `${target.slice(0, q)}?${pairs.join('&')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}
