import { detectScheme, KNOWN_HEADERS, SCHEMES } from './schemes.js';
import type { CheckContext, Scheme, SchemeName, Signed, SignedRequest, SignatureVerdict, VerifyRule } from '../capture/signature.js';
import { bodyVariants } from './variants.js';
import { describeVerify, ownTolerance } from './verify-rules.js';
import { shortId } from '../capture/ids.js';
import { ordinal, timestampProblem } from './words.js';

/** What a check may use besides the rules for the request's path. */
export interface CheckExtras {
  /** Full URLs the request may have been sent to (Twilio signs the URL). */
  urls: string[];
  /** Secrets given for other paths: a signature made with one of them is named as such. */
  others?: VerifyRule[];
  /** The capture that came earlier with the same signature and verified, if any. */
  seenWith?: (scheme: SchemeName, signature: string) => string | undefined;
}

/** The verdict, and what a valid signature was (for remembering it). */
export interface Checked {
  verdict: SignatureVerdict;
  signature?: string;
}

/**
 * Checks one request against the rules that cover its path (all with the same path prefix): the
 * scheme each names, or the one its headers show. Never throws: a failure to check is `unchecked`.
 */
export async function checkRequest(request: SignedRequest, rules: VerifyRule[], extras: CheckExtras): Promise<Checked> {
  const candidates = schemesFor(request, rules);
  if (candidates.length === 0) {
    return { verdict: { verdict: 'unchecked', scheme: null, reason: `no signature header of a known scheme (${KNOWN_HEADERS})` } };
  }
  // The scheme whose signature is there; when none is, the first that was asked for names what is missing.
  let chosen = candidates[0]!;
  let reading = read(chosen, request, extras);
  for (const candidate of candidates.slice(1)) {
    if (reading.kind !== 'missing') break;
    const next = read(candidate, request, extras);
    if (next.kind !== 'missing') [chosen, reading] = [candidate, next];
  }
  const base = { scheme: chosen.scheme.name, ...(chosen.detected && { detected: true as const }) };
  if (reading.kind === 'missing') {
    const names = [...new Set(candidates.map((c) => c.scheme.header))];
    const header = candidates.length > 1 ? names.join(' or ') : reading.header;
    return { verdict: { verdict: 'invalid', ...base, reason: `signature header missing (${header})` } };
  }
  if (reading.kind === 'malformed') return { verdict: { verdict: 'invalid', ...base, reason: reading.reason } };
  try {
    return { verdict: { ...(await judge(request, reading, chosen, extras)), ...base }, signature: reading.signature };
  } catch (error) {
    return { verdict: { verdict: 'unchecked', ...base, reason: `could not be checked: ${(error as Error).message}` } };
  }
}

interface Candidate {
  scheme: Scheme;
  detected: boolean;
  rules: VerifyRule[];
}

/** The schemes to try, each with the secrets given for it, in the order the rules were given. */
function schemesFor(request: SignedRequest, rules: VerifyRule[]): Candidate[] {
  const out: Candidate[] = [];
  for (const rule of rules) {
    const scheme = rule.scheme === 'auto' ? detectScheme(request.headers, rule.header) : SCHEMES[rule.scheme];
    if (!scheme) continue;
    const detected = rule.scheme === 'auto';
    const known = out.find((c) => c.scheme === scheme);
    if (known) known.rules.push(rule);
    else out.push({ scheme, detected, rules: [rule] });
  }
  return out;
}

function read(candidate: Candidate, request: SignedRequest, extras: CheckExtras) {
  const context: CheckContext = { urls: extras.urls, header: candidate.rules[0]!.header };
  return candidate.scheme.read(request, context);
}

/** Valid (in time or not), or invalid with the likeliest reason the evidence allows. */
async function judge(request: SignedRequest, reading: Signed, candidate: Candidate, extras: CheckExtras): Promise<Omit<SignatureVerdict, 'scheme'>> {
  const { rules } = candidate;
  const tolerance = rules[0]!.toleranceSeconds ?? ownTolerance(candidate.scheme);
  const late = reading.timestamp === undefined ? null : timestampProblem(reading.timestamp, request.receivedAt, tolerance, reading.pastOnly);
  for (let i = 0; i < rules.length; i++) {
    if (!(await reading.matches(rules[i]!.secret, request.body))) continue;
    if (late) return { verdict: 'invalid', reason: late };
    const which = rules.length > 1 ? `with the ${ordinal(i + 1)} of the secrets given` : undefined;
    const reason = [reading.note, which].filter(Boolean).join('; ');
    return { verdict: 'valid', ...(reason && { reason }) };
  }
  const why = await mismatch(request, reading, candidate, extras);
  return { verdict: 'invalid', reason: late ? `${why}; the ${late}` : why };
}

/** Why a signature does not match: the body was re-written, or another secret made it, as far as can be told. */
async function mismatch(request: SignedRequest, reading: Signed, candidate: Candidate, extras: CheckExtras): Promise<string> {
  const secrets = candidate.rules.map((rule) => rule.secret);
  if (reading.bodyDiffers?.(request.body)) return 'body differs from what was signed (its SHA-256 is not the bodySHA256 in the URL)';
  for (const variant of bodyVariants(request.body)) {
    for (const secret of secrets) {
      if (await reading.matches(secret, variant.body)) {
        return `body differs from what was signed: it was signed as ${variant.words}, so something on the way re-wrote it`;
      }
    }
  }
  const earlier = extras.seenWith?.(candidate.scheme.name, reading.signature);
  if (earlier) return `body differs from what was signed: capture ${shortId(earlier)} came with the same signature and verifies`;
  for (const other of extras.others ?? []) {
    // A secret another scheme's rule holds may not even be a key for this one: that is no match.
    const matched = await Promise.resolve(reading.matches(other.secret, request.body)).catch(() => false);
    if (matched) return `signed with another secret: the one given for ${describeVerify(other)}`;
  }
  const also = reading.alsoSigned ? `, or for another ${reading.alsoSigned}` : '';
  return `signed with another secret${also}, or the body differs from what was signed`;
}
