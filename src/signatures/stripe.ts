import { headerValue, hmac, keyValues, same, unixSeconds, withHeaders } from './kit.js';
import type { Scheme } from '../capture/signature.js';

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…]`, the hex an HMAC-SHA256 of `<t>.<body>`
 * with the endpoint's `whsec_…` secret (used as it is, not decoded). Written from Stripe's
 * published rule with node:crypto (the only library is the whole Stripe SDK); tested against it.
 */
export const stripe: Scheme = {
  name: 'stripe',
  header: 'Stripe-Signature',
  read(request) {
    const value = headerValue(request.headers, 'stripe-signature');
    if (value === undefined) return { kind: 'missing', header: 'Stripe-Signature' };
    const pairs = keyValues(value, ',');
    const t = pairs.find(([key]) => key === 't')?.[1];
    const signatures = pairs.filter(([key]) => key === 'v1').map(([, v]) => Buffer.from(v, 'hex'));
    if (!t || !/^\d+$/.test(t)) return { kind: 'malformed', reason: 'Stripe-Signature has no t= timestamp' };
    if (signatures.length === 0) return { kind: 'malformed', reason: 'Stripe-Signature has no v1= signature' };
    return {
      kind: 'signed',
      pastOnly: true,
      timestamp: Number(t),
      signature: value,
      matches: (secret, body) => {
        const expected = hmac('sha256', secret, `${t}.`, body);
        return signatures.some((signature) => same(signature, expected));
      },
    };
  },
  sign({ headers, body, now }, secret) {
    const t = unixSeconds(now);
    return withHeaders(headers, [['Stripe-Signature', `t=${t},v1=${hmac('sha256', secret, `${t}.`, body).toString('hex')}`]]);
  },
};
