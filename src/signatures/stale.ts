import { headerValue } from './kit.js';
import { SCHEMES } from './schemes.js';
import { ownTolerance } from './verify-rules.js';
import { timestampProblem } from './words.js';
import type { SchemeName } from '../capture/signature.js';

/**
 * One line when what is sent as it was captured carries a signed timestamp already past its
 * scheme's own tolerance (Paddle's 5 s, Stripe's 5 min): the app checking it will refuse it, for
 * its age alone. `fix` says what to do, given the scheme (`--resign paddle`). null otherwise.
 */
export function staleSignatureWarning(headers: [string, string][], nowMs: number, fix: (scheme: SchemeName) => string): string | null {
  for (const scheme of Object.values(SCHEMES)) {
    if (headerValue(headers, scheme.header) === undefined) continue;
    const reading = scheme.read({ method: 'POST', url: '/', headers, body: Buffer.alloc(0), receivedAt: nowMs, contentType: null }, { urls: [], header: null });
    if (reading.kind !== 'signed' || reading.timestamp === undefined) continue;
    const late = timestampProblem(reading.timestamp, nowMs, ownTolerance(scheme), reading.pastOnly);
    if (late) return `${scheme.header}'s ${late}: an app that checks it will refuse it; ${fix(scheme.name)}`;
  }
  return null;
}
