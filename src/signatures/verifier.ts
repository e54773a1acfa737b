import type { CapturedRequest } from '../capture/capture.js';
import { headerValue } from './kit.js';
import { checkRequest } from './check.js';
import type { SchemeName, SignatureVerdict, SignedRequest, VerifyRule } from '../capture/signature.js';

/** Signatures that verified, remembered (newest 1,000) to tell a changed body when the same one comes again. */
const REMEMBERED = 1000;

export interface Verifier {
  /** The rules in force (with their secrets: never put them in a record or an answer). */
  rules: VerifyRule[];
  /** The verdict for a request; null when no rule covers its path. Never throws. */
  check(request: SignedRequest & { id: string }): Promise<SignatureVerdict | null>;
  /** The same for a capture as the receiver made it: one whose body was not kept is `unchecked`. */
  checkCapture(request: CapturedRequest): Promise<SignatureVerdict | null>;
}

/**
 * Checks each capture with the rules of the longest path prefix that covers it (several secrets
 * for one path are all tried), and names a capture that came earlier with the same signature.
 */
export function createVerifier(rules: VerifyRule[], publicUrl: () => string | null = () => null): Verifier {
  const seen = new Map<string, string>();
  const remember = (scheme: SchemeName, signature: string, id: string) => {
    const key = `${scheme} ${signature}`;
    seen.delete(key);
    seen.set(key, id);
    if (seen.size > REMEMBERED) seen.delete(seen.keys().next().value!);
  };
  const verifier: Verifier = {
    rules,
    async checkCapture(request) {
      if (rulesFor(rules, request.url).length === 0) return null;
      if (request.bodyDiscarded) return { verdict: 'unchecked', scheme: null, reason: 'the body was over --max-body and not kept' };
      return verifier.check({ ...request, receivedAt: Date.parse(request.receivedAt) });
    },
    async check(request) {
      const covering = rulesFor(rules, request.url);
      if (covering.length === 0) return null;
      const others = rules.filter((rule) => !covering.includes(rule));
      const checked = await checkRequest(request, covering, {
        urls: urlsOf(request, publicUrl()),
        others,
        seenWith: (scheme, signature) => seen.get(`${scheme} ${signature}`),
      });
      const { verdict } = checked;
      if (verdict.verdict === 'valid' && verdict.scheme && checked.signature) remember(verdict.scheme, checked.signature, request.id);
      return verdict;
    },
  };
  return verifier;
}

/** The rules whose path prefix is the longest that `url` starts with (rules for every path last). */
export function rulesFor(rules: VerifyRule[], url: string): VerifyRule[] {
  let best = -1;
  let out: VerifyRule[] = [];
  for (const rule of rules) {
    const length = rule.path === null ? 0 : url.startsWith(rule.path) ? rule.path.length : -1;
    if (length > best) [best, out] = [length, [rule]];
    else if (length === best && length !== -1) out.push(rule);
  }
  return out;
}

/**
 * Where the provider may have sent the request (Twilio signs the full URL), first as it came: the
 * Host it named with the scheme a proxy or tunnel gave (X-Forwarded-*), else the public URL's when
 * the Host is the public one, else http (the receiver listens on http); then the other scheme (a
 * proxy in front that said nothing), and the public URL. A mismatch names the first.
 */
export function urlsOf(request: Pick<SignedRequest, 'headers' | 'url'>, publicUrl: string | null): string[] {
  const host = headerValue(request.headers, 'x-forwarded-host') ?? headerValue(request.headers, 'host');
  const proto = headerValue(request.headers, 'x-forwarded-proto')?.split(',')[0]?.trim();
  const urls: string[] = [];
  if (host) {
    const arrived = proto ?? (host === hostOf(publicUrl) ? new URL(publicUrl!).protocol.slice(0, -1) : 'http');
    const schemes = proto ? [proto] : [arrived, arrived === 'http' ? 'https' : 'http'];
    for (const scheme of schemes) urls.push(`${scheme}://${host}${request.url}`);
  }
  if (publicUrl) urls.push(`${publicUrl.replace(/\/+$/, '')}${request.url}`);
  return [...new Set(urls)];
}

function hostOf(url: string | null): string | null {
  try {
    return url ? new URL(url).host : null;
  } catch {
    return null;
  }
}

/**
 * Checks a stored capture after the fact with a rule given now (`hook-catch verify`, the page's
 * "Check a secret"): its timestamp judged against when it arrived. Nothing is kept.
 */
export async function checkStored(request: CapturedRequest, rule: VerifyRule, publicUrl: string | null = null): Promise<SignatureVerdict> {
  if (request.bodyDiscarded) return { verdict: 'unchecked', scheme: null, reason: 'the body was over --max-body and not kept' };
  const signed = { ...request, receivedAt: Date.parse(request.receivedAt) };
  return (await checkRequest(signed, [rule], { urls: urlsOf(request, publicUrl) })).verdict;
}
