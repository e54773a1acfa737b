import { HookCatchError } from '../errors.js';
import { DEFAULTS } from '../defaults.js';
import { SCHEMES } from './schemes.js';
import { SCHEME_NAMES, type Scheme, type SchemeName, type VerifyInput, type VerifyRule } from '../capture/signature.js';
import { SECRET_ENV } from './secret-env.js';

export { SECRET_ENV } from './secret-env.js';

const isScheme = (text: string): text is SchemeName => (SCHEME_NAMES as readonly string[]).includes(text);

/**
 * `--verify [/PATH=]SCHEME[:SECRET]` or `--verify [/PATH=]SECRET` (the scheme then found from each
 * request's headers). A secret written `$NAME` is read from that environment variable; a scheme
 * with no secret reads its own (SECRET_ENV). Messages name variables, never a secret.
 */
export function parseVerify(text: string, flag = '--verify', env: NodeJS.ProcessEnv = process.env): VerifyInput {
  let rest = text;
  let path: string | null = null;
  if (rest.startsWith('/')) {
    const at = rest.indexOf('=');
    if (at === -1)
      throw new HookCatchError(`${flag} takes [/PATH=]SCHEME[:SECRET], such as /billing=stripe:$STRIPE_WEBHOOK_SECRET; the path needs an = after it.`);
    path = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  const colon = rest.indexOf(':');
  const head = colon === -1 ? rest : rest.slice(0, colon);
  if (isScheme(head)) {
    const secret = colon === -1 ? fromEnv(SECRET_ENV[head], flag, head, env) : secretOf(rest.slice(colon + 1), flag, env);
    return { scheme: head, secret, path };
  }
  if (rest === '' || rest === 'auto') throw new HookCatchError(`${flag} needs a secret or a scheme (${SCHEME_NAMES.join(', ')}).`);
  return { scheme: 'auto', secret: secretOf(rest, flag, env), path };
}

/** A secret as written on the command line: itself, or `$NAME` for that environment variable. */
export function secretOf(text: string, flag: string, env: NodeJS.ProcessEnv = process.env): string {
  if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(text)) return fromEnv(text.slice(1), flag, null, env);
  if (text === '') throw new HookCatchError(`${flag}: the secret after the colon is empty.`);
  return text;
}

/** The value of environment variable `name`; a line naming it (and how else to give the secret) when unset. */
export function fromEnv(name: string, flag: string, scheme: SchemeName | null, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value) return value;
  const instead = scheme ? `, or give it: ${flag} ${scheme}:SECRET` : '';
  throw new HookCatchError(`${flag}: the environment variable ${name} is not set (it should hold the signing secret)${instead}.`);
}

/** Checks a rule as the library or the API gives it; the defaults filled in. Messages never hold the secret. */
export function checkVerify(input: VerifyInput): VerifyRule {
  const scheme = input.scheme ?? 'auto';
  if (scheme !== 'auto' && !isScheme(scheme))
    throw new HookCatchError(`Unknown signature scheme "${scheme}": use one of ${SCHEME_NAMES.join(', ')} (or auto).`);
  if (typeof input.secret !== 'string' || input.secret === '') throw new HookCatchError(`A --verify ${scheme} rule needs its signing secret.`);
  const path = input.path ?? null;
  if (path !== null && (typeof path !== 'string' || !path.startsWith('/')))
    throw new HookCatchError(`A --verify path is a prefix starting with /, such as /billing; got "${path}".`);
  const header = input.header ?? null;
  if (header !== null && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) throw new HookCatchError(`"${header}" is not a header name.`);
  const given = input.toleranceSeconds;
  if (given !== undefined && (!Number.isFinite(given) || given <= 0)) throw new HookCatchError('A signature tolerance is a number of seconds above 0.');
  const toleranceSeconds = given ?? (scheme === 'auto' ? null : ownTolerance(SCHEMES[scheme]));
  const problem = scheme === 'auto' ? null : (SCHEMES[scheme].secretProblem?.(input.secret) ?? null);
  if (problem) throw new HookCatchError(`--verify ${scheme}: ${problem}.`);
  return { scheme, secret: input.secret, path, header, toleranceSeconds };
}

/** How old a scheme's timestamp may be when no tolerance was given: its own (Paddle's 5 s), else 5 minutes. */
export function ownTolerance(scheme: Scheme): number {
  return scheme.toleranceSeconds ?? DEFAULTS.signatureToleranceSeconds;
}

/** `stripe on /billing`, `any scheme (found from the headers) on every path`: never the secret. */
export function describeVerify(rule: Pick<VerifyRule, 'scheme' | 'path' | 'header'>): string {
  const scheme = rule.scheme === 'auto' ? 'the scheme the headers show' : rule.scheme;
  const header = rule.header ? ` in ${rule.header}` : '';
  return `${scheme}${header} on ${rule.path ?? 'every path'}`;
}

/** What status and the banner say of `--verify`: schemes and paths, never a secret. */
export function verifyList(rules: VerifyRule[]) {
  return rules.map((rule) => ({
    scheme: rule.scheme,
    path: rule.path,
    header: rule.header,
    toleranceSeconds: rule.toleranceSeconds,
    text: describeVerify(rule),
  }));
}
