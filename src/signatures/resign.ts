import { detectScheme, SCHEMES } from './schemes.js';
import type { SchemeName, VerifyRule } from '../capture/signature.js';

/** A request to be sent again, signed again. */
export interface Resignable {
  headers: [string, string][];
  body: Buffer;
  /** The full URL it goes to. */
  url: string;
  contentType: string | null;
}

/** What re-signing needs of a `--verify` rule: the scheme (or `auto`), the secret, the header of a generic HMAC. */
export type ResignRule = Pick<VerifyRule, 'scheme' | 'secret' | 'header'>;

export interface Resigned {
  headers: [string, string][];
  /** The URL to send to (Twilio's JSON signature names the body's hash in it). */
  url: string;
  scheme: SchemeName;
}

/**
 * Signs `request` again with `rule`'s secret under its scheme (or the scheme its headers show),
 * timestamped now: for an edited replay, so that the app's check passes on a purpose-built body.
 * Null when no scheme can be told from the rule or the headers.
 */
export async function resign(request: Resignable, rule: ResignRule, now = Date.now()): Promise<Resigned | null> {
  const scheme = rule.scheme === 'auto' ? detectScheme(request.headers, rule.header) : SCHEMES[rule.scheme];
  if (!scheme) return null;
  const url = scheme.signedUrl?.(request.url, request.body, request.contentType) ?? request.url;
  const headers = await scheme.sign({ ...request, url, now, header: rule.header }, rule.secret);
  return { headers, url, scheme: scheme.name };
}
