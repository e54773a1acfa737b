import { HookCatchError } from '../../errors.js';
import { DEFAULTS } from '../../defaults.js';
import { parseRule } from '../extract.js';

/** How to poll a job's status endpoint, as the user gives it (`expect --poll`, `POST /api/jobs`, `expect()`). */
export interface PollInput {
  /** `https://api.example.com/jobs/{jobId}`: `{jobId}` is filled in; `$NAME` reads an environment variable. */
  url: string;
  /** `['Authorization: Bearer $API_KEY']` or pairs; a value's `$NAME` reads an environment variable. */
  headers?: (string | [string, string])[];
  /** How often to ask at first (it backs off while nothing changes). Default 30 s. */
  everyMs?: number;
  /** Where the status word is, when the usual job rules do not find it: `body.data.state`. */
  statusPath?: string | null;
  /** How long after the provider says the job ended its webhook may take. Default 2 min. */
  graceMs?: number;
  /** Values for the `$NAME`s, kept in memory only (the CLI passes its own environment's). */
  env?: Record<string, string>;
}

/** What is saved with the registration: no secret (a `$NAME` stays a name; a literal secret header is not kept). */
export interface PollSpec {
  url: string;
  /** A null value: given literally under a name that holds secrets, so kept in memory only. */
  headers: [string, string | null][];
  everyMs: number;
  graceMs: number;
  statusPath: string | null;
}

/** What polling needs besides the spec, held in memory only. */
export interface PollSecrets {
  env: Record<string, string>;
  /** Literal values of secret-holding headers, by header name. */
  literals: Record<string, string>;
}

const SECRET_NAME = /authorization|cookie|token|secret|key|password|signature|auth/i;
const VARIABLE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g;

/** Checks a poll request; the spec to save and the secrets to keep in memory. */
export function checkPoll(input: PollInput, jobId: string): { spec: PollSpec; secrets: PollSecrets } {
  if (typeof input?.url !== 'string')
    throw new HookCatchError("poll needs a url: the provider's status endpoint, such as https://api.example.com/jobs/{jobId}.");
  const url = input.url.replaceAll('{jobId}', encodeURIComponent(jobId));
  let parsed: URL;
  try {
    parsed = new URL(url.replace(VARIABLE, 'x'));
  } catch {
    throw new HookCatchError(`--poll ${input.url} is not a URL; give the status endpoint, such as https://api.example.com/jobs/{jobId}.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new HookCatchError(`--poll takes an http:// or https:// URL; got ${parsed.protocol}.`);
  const literals: Record<string, string> = {};
  const headers = (input.headers ?? []).map((header): [string, string | null] => {
    const [name, value] = typeof header === 'string' ? splitHeader(header) : header;
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new HookCatchError(`--poll-header "${name}" is not a header name.`);
    const secret = SECRET_NAME.test(name) && !VARIABLE.test(value);
    VARIABLE.lastIndex = 0;
    if (secret) literals[name.toLowerCase()] = value;
    return [name, secret ? null : value];
  });
  const everyMs = input.everyMs ?? DEFAULTS.pollEveryMs;
  if (!Number.isFinite(everyMs) || everyMs < 100) throw new HookCatchError('--every is at least 100ms (and a provider will thank you for 30s).');
  const graceMs = input.graceMs ?? DEFAULTS.pollGraceMs;
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new HookCatchError('--grace is a duration such as 2m.');
  const statusPath = input.statusPath ?? null;
  if (statusPath !== null) parseRule(statusPath, '--status-path');
  return { spec: { url, headers, everyMs, graceMs, statusPath }, secrets: { env: { ...(input.env ?? {}) }, literals } };
}

function splitHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new HookCatchError(`--poll-header takes 'Name: value', such as 'Authorization: Bearer $API_KEY'; got "${text.split(':')[0]}…".`);
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

/** The `$NAME`s a spec refers to (URL and header values). */
export function variablesOf(spec: PollSpec): string[] {
  const names = new Set<string>();
  for (const text of [spec.url, ...spec.headers.map(([, v]) => v ?? '')]) for (const m of text.matchAll(VARIABLE)) names.add(m[1]!);
  return [...names];
}

/**
 * The URL and headers to send, variables and secret literals filled in; or the reason they cannot
 * be (a variable set nowhere, a literal secret lost with a restart), in plain words.
 */
export function expandPoll(
  spec: PollSpec,
  secrets: PollSecrets | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { url: string; headers: [string, string][] } | { problem: string } {
  const missing = variablesOf(spec).filter((name) => secrets?.env[name] === undefined && env[name] === undefined);
  if (missing.length)
    return {
      problem: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set where hook-catch start runs (nor given with the registration): register the job again (hook-catch expect … --poll) from a shell that has ${missing.length === 1 ? 'it' : 'them'}`,
    };
  const fill = (text: string) => text.replace(VARIABLE, (_, name: string) => secrets?.env[name] ?? env[name] ?? '');
  const headers: [string, string][] = [];
  for (const [name, value] of spec.headers) {
    const literal = value === null ? secrets?.literals[name.toLowerCase()] : undefined;
    if (value === null && literal === undefined)
      return {
        problem: `the ${name} header was given as a literal secret, which is not kept across restarts: register the job again, or give it as '${name}: $NAME'`,
      };
    headers.push([name, value === null ? literal! : fill(value)]);
  }
  return { url: fill(spec.url), headers };
}
