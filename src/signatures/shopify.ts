import { headerValue, hmac, same, withHeaders } from './kit.js';
import type { Scheme } from '../capture/signature.js';

/**
 * Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>` with the app's client secret.
 * Written from Shopify's published rule with node:crypto (the library is the whole
 * @shopify/shopify-api); tested against its webhooks.validate.
 */
export const shopify: Scheme = {
  name: 'shopify',
  header: 'X-Shopify-Hmac-Sha256',
  read(request) {
    const value = headerValue(request.headers, 'x-shopify-hmac-sha256');
    if (value === undefined) return { kind: 'missing', header: 'X-Shopify-Hmac-Sha256' };
    const signature = Buffer.from(value.trim(), 'base64');
    if (signature.length !== 32) return { kind: 'malformed', reason: 'X-Shopify-Hmac-Sha256 is not a base64 SHA-256 digest' };
    return { kind: 'signed', signature: value, matches: (secret, body) => same(signature, hmac('sha256', secret, body)) };
  },
  sign: ({ headers, body }, secret) => withHeaders(headers, [['X-Shopify-Hmac-Sha256', hmac('sha256', secret, body).toString('base64')]]),
};
