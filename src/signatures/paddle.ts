import { headerValue, hmac, keyValues, same, unixSeconds, withHeaders } from './kit.js';
import type { Scheme } from '../capture/signature.js';

/**
 * Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=…]`, the hex an HMAC-SHA256 of
 * `<ts>:<body>` with the notification destination's secret key (`pdl_ntfset_…`, used as it is).
 * Several h1 may come while a secret is rotated: any that matches will do. Written from Paddle's
 * published rule with node:crypto (the only library is the whole Paddle SDK); tested against it.
 * Paddle's SDK allows 5 seconds, and a timestamp from the future: so does this scheme by default.
 */
export const paddle: Scheme = {
  name: 'paddle',
  header: 'Paddle-Signature',
  toleranceSeconds: 5,
  read(request) {
    const value = headerValue(request.headers, 'paddle-signature');
    if (value === undefined) return { kind: 'missing', header: 'Paddle-Signature' };
    const pairs = keyValues(value, ';');
    const ts = pairs.find(([key]) => key === 'ts')?.[1];
    const sent = pairs.filter(([key]) => key === 'h1').map(([, v]) => v);
    if (ts === undefined) return { kind: 'malformed', reason: 'Paddle-Signature has no ts= timestamp' };
    if (!/^\d+$/.test(ts)) return { kind: 'malformed', reason: 'Paddle-Signature ts= is not a unix time in seconds' };
    if (sent.length === 0) return { kind: 'malformed', reason: 'Paddle-Signature has no h1= signature' };
    const signatures = sent.filter((h1) => /^[0-9a-fA-F]{64}$/.test(h1)).map((h1) => Buffer.from(h1, 'hex'));
    if (signatures.length === 0) return { kind: 'malformed', reason: 'Paddle-Signature h1= is not 64 hex digits' };
    return {
      kind: 'signed',
      pastOnly: true,
      timestamp: Number(ts),
      signature: value,
      matches: (secret, body) => {
        const expected = hmac('sha256', secret, `${ts}:`, body);
        return signatures.some((signature) => same(signature, expected));
      },
    };
  },
  sign({ headers, body, now }, secret) {
    const ts = unixSeconds(now);
    return withHeaders(headers, [['Paddle-Signature', `ts=${ts};h1=${hmac('sha256', secret, `${ts}:`, body).toString('hex')}`]]);
  },
};
