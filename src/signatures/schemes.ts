import { github } from './github.js';
import { hmacSha1, hmacSha256 } from './hmac.js';
import { headerValue } from './kit.js';
import { paddle } from './paddle.js';
import { shopify } from './shopify.js';
import { slack } from './slack.js';
import { standardWebhooks, svix } from './standard-webhooks.js';
import { stripe } from './stripe.js';
import { twilio } from './twilio.js';
import type { Scheme, SchemeName } from '../capture/signature.js';

export const SCHEMES: Record<SchemeName, Scheme> = {
  stripe,
  github,
  'standard-webhooks': standardWebhooks,
  svix,
  slack,
  shopify,
  twilio,
  paddle,
  'hmac-sha256': hmacSha256,
  'hmac-sha1': hmacSha1,
};

/** Each provider's scheme and the header that gives it away, in the order they are looked for. */
const MARKS: [string, Scheme][] = [
  ['stripe-signature', stripe],
  ['x-hub-signature-256', github],
  ['x-hub-signature', github],
  ['svix-signature', svix],
  ['webhook-signature', standardWebhooks],
  ['x-slack-signature', slack],
  ['x-shopify-hmac-sha256', shopify],
  ['x-twilio-signature', twilio],
  ['paddle-signature', paddle],
];

/** The provider scheme a request's headers show, else a plain HMAC whose header reads as one, else null. */
export function detectScheme(headers: [string, string][], header: string | null): Scheme | null {
  for (const [name, scheme] of MARKS) if (headerValue(headers, name) !== undefined) return scheme;
  for (const scheme of [hmacSha256, hmacSha1]) {
    if (scheme.read({ headers } as never, { urls: [], header }).kind === 'signed') return scheme;
  }
  return null;
}

/** The header names that show a known scheme, for "no signature header" reasons. */
export const KNOWN_HEADERS =
  'Stripe-Signature, X-Hub-Signature-256, webhook-signature, svix-signature, X-Slack-Signature, X-Shopify-Hmac-Sha256, X-Twilio-Signature, Paddle-Signature';
