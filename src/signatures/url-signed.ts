import { headerValue } from './kit.js';
import { SCHEMES } from './schemes.js';
import type { SchemeName, SignedRequest } from '../capture/signature.js';
import { urlsOf } from './verifier.js';

/** A capture sent somewhere: what it came as, and what goes out. */
export interface SentElsewhere {
  /** The capture as received: its headers name the Host it came to, its url the path and query signed. */
  captured: Pick<SignedRequest, 'headers' | 'url'>;
  /** The headers sent (a signature header an edit removed is no concern). */
  headers: [string, string][];
  /** The full URL the app sees it at. */
  url: string;
  /** The public URL it may have come through. */
  publicUrl: string | null;
}

/**
 * One line when what is sent carries a signature over the URL the webhook was sent to (Twilio's)
 * and goes to another URL, where the app's check of it fails; null when it carries none, or goes
 * where it was signed for. `fix` says what to do, given the scheme (`--resign twilio`).
 */
export function urlSignatureWarning(sent: SentElsewhere, fix: (scheme: SchemeName) => string): string | null {
  const scheme = Object.values(SCHEMES).find((s) => s.signsUrl && headerValue(sent.headers, s.header) !== undefined);
  if (!scheme) return null;
  const signedFor = urlsOf(sent.captured, sent.publicUrl);
  if (signedFor.some((url) => sameUrl(url, sent.url))) return null;
  const where = signedFor.length ? ` (${signedFor[0]})` : '';
  return `${scheme.header} signs the URL the webhook was sent to${where}, so it does not verify at ${sent.url}; ${fix(scheme.name)}`;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}
