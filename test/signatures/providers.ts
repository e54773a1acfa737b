import { createHmac } from 'node:crypto';
import { parse as parseForm } from 'node:querystring';
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, LogSeverity, shopifyApi, type Shopify } from '@shopify/shopify-api';
import { createSHA256HMAC, HashFormat } from '@shopify/shopify-api/runtime';
import { isValidSlackRequest } from '@slack/bolt';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import type { SchemeName, VerifyInput } from '../../src/capture/signature.js';
import { paddleAccepts, paddleSignature } from '../helpers/paddle.js';

// The providers of the signature tests: how each signs (its own library, where it has one) and
// how its own library checks what arrived, with the secrets, bodies and headers the tests use.

export type Sent = Record<string, string>;
/** When the provider signed (unix seconds) and the full URL it called (Twilio signs it). */
export interface Ctx {
  at: number;
  url: string;
  /** When hook-catch received it (epoch ms), once sent: a library with a tolerance of seconds (Paddle's) judges at that moment. */
  receivedAt?: number;
}

/** One provider's way of signing, as its own library does it, and its own check of what arrived. */
export interface Provider {
  /** A short key: the paths of its rules are /hooks/<key>, /auto/<key>, /other/<key>. */
  key: string;
  scheme: SchemeName;
  /** What signs (and checks) in the tests: named in their titles. */
  library: string;
  secret: string;
  /** A secret given for another path (/other/<key>) with the same scheme. */
  otherSecret: string;
  /** A secret hook-catch was never given. */
  wrongSecret: string;
  contentType: string;
  /** The n-th distinct body this provider might send (JSON unless a form). */
  body(n: number): string;
  json: boolean;
  /** Schemes with a signed timestamp (5 min tolerance by default). */
  timestamps: boolean;
  /** The default tolerance in the verdict's words, when not 5 min (Paddle's 5 s). */
  tolerance?: string;
  /** Extra fields of the rules (the header of a generic HMAC). */
  rule?: Partial<VerifyInput>;
  sign(body: string, secret: string, ctx: Ctx): Promise<Sent>;
  /** The provider library's own verdict on the request as sent (its clock is now). */
  accepts(body: string, headers: Sent, secret: string, ctx: Ctx): Promise<boolean>;
  /** The headers that carry the signature (dropped for "missing"), and the one the reason names. */
  signatureHeaders: string[];
  missing: string;
  malformed: { headers: Sent; reason: string };
  /** The request target for a body (Twilio names the JSON body's hash in the URL). */
  target?(path: string, body: string): string;
  /** The reason for one changed byte when no delivery came before with the same signature. */
  changedAlone?: string;
  /** The words of a mismatch besides the fallback (Twilio names the URL it checked). */
  mismatch?(ctx: { receiverUrl: string; target: string }): string;
  /** What a valid verdict says besides (the legacy SHA-1 header). */
  validNote?: string;
}

const eventBody = (n: number, kind = 'invoice.paid') =>
  JSON.stringify({ id: `evt_${n}`, type: kind, created: 1_700_000_000 + n, data: { object: { amount: 1000 + n, note: 'café ✓ 𝄞', tags: ['a', 'b'] } } });
const tryTrue = async (fn: () => unknown) => {
  try {
    await fn();
    return true;
  } catch {
    return false;
  }
};
export const b64 = (text: string) => Buffer.from(text).toString('base64');
let msgCount = 0;
const msgId = () => `msg_2Lhook${++msgCount}`;

export const stripeSdk = new Stripe('sk_test_hook_catch_never_called');
export const stripe: Provider = {
  key: 'stripe',
  scheme: 'stripe',
  library: 'stripe webhooks.generateTestHeaderString / constructEvent',
  secret: 'whsec_stripe_3fA9kQ1xLm0pR7sT2vW8yZ',
  otherSecret: 'whsec_stripe_other_9Qm2Lp7Xc4Vb1Nz0',
  wrongSecret: 'whsec_stripe_wrong_0000000000000000',
  contentType: 'application/json; charset=utf-8',
  body: (n) => eventBody(n),
  json: true,
  timestamps: true,
  sign: async (payload, secret, { at }) => ({ 'Stripe-Signature': stripeSdk.webhooks.generateTestHeaderString({ payload, secret, timestamp: at }) }),
  accepts: (payload, headers, secret) => tryTrue(() => stripeSdk.webhooks.constructEvent(payload, headers['Stripe-Signature'] ?? '', secret)),
  signatureHeaders: ['Stripe-Signature'],
  missing: 'Stripe-Signature',
  malformed: {
    headers: { 'Stripe-Signature': 'v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd' },
    reason: 'Stripe-Signature has no t= timestamp',
  },
};

export const github: Provider = {
  key: 'github',
  scheme: 'github',
  library: '@octokit/webhooks-methods sign / verify',
  secret: 'gh-webhook-secret-Zr8qP2mN5tV1',
  otherSecret: 'gh-other-secret-Kx3bW9yH6cD4',
  wrongSecret: 'gh-wrong-secret-000000000000',
  contentType: 'application/json',
  body: (n) => JSON.stringify({ action: 'completed', check_run: { id: n, name: 'ci ✓' }, repository: { full_name: 'acme/app' } }),
  json: true,
  timestamps: false,
  sign: async (payload, secret) => ({
    'X-GitHub-Event': 'check_run',
    'X-GitHub-Delivery': `d-${++msgCount}`,
    'X-Hub-Signature-256': await octokitSign(secret, payload),
  }),
  accepts: async (payload, headers, secret) => {
    const signature = headers['X-Hub-Signature-256'];
    return signature !== undefined && (await octokitVerify(secret, payload, signature));
  },
  signatureHeaders: ['X-Hub-Signature-256'],
  missing: 'X-Hub-Signature-256',
  malformed: {
    headers: { 'X-Hub-Signature-256': 'sha1=0123456789abcdef0123456789abcdef01234567' },
    reason: 'X-Hub-Signature-256 is not sha256= and 64 hex digits',
  },
};

/** GitHub's legacy header: octokit no longer makes or checks SHA-1, so node:crypto with GitHub's published rule. */
export const sha1Hex = (secret: string, payload: string) => `sha1=${createHmac('sha1', secret).update(payload).digest('hex')}`;
export const githubSha1: Provider = {
  ...github,
  key: 'github-sha1',
  library: "node:crypto HMAC-SHA1 by GitHub's rule (octokit has no SHA-1)",
  secret: 'gh-legacy-secret-Q4w7E1r9T2y5',
  otherSecret: 'gh-legacy-other-U8i3O6p0A1s4',
  sign: async (payload, secret) => ({ 'X-GitHub-Event': 'push', 'X-Hub-Signature': sha1Hex(secret, payload) }),
  accepts: async (payload, headers, secret) => headers['X-Hub-Signature'] === sha1Hex(secret, payload),
  signatureHeaders: ['X-Hub-Signature'],
  missing: 'X-Hub-Signature-256',
  malformed: { headers: { 'X-Hub-Signature': 'sha1=not-hex' }, reason: 'X-Hub-Signature is not sha1= and 40 hex digits' },
  validNote: 'legacy SHA-1 header (X-Hub-Signature); GitHub also sends X-Hub-Signature-256',
};

export const standardWebhooks: Provider = {
  key: 'standard',
  scheme: 'standard-webhooks',
  library: 'standardwebhooks Webhook.sign / verify',
  secret: `whsec_${b64('standard webhooks test key #1!!')}`,
  otherSecret: `whsec_${b64('standard webhooks other key #2!')}`,
  wrongSecret: `whsec_${b64('standard webhooks wrong key #3!')}`,
  contentType: 'application/json',
  body: (n) => eventBody(n, 'job.completed'),
  json: true,
  timestamps: true,
  sign: async (payload, secret, { at }) => {
    const id = msgId();
    return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': new StandardWebhook(secret).sign(id, new Date(at * 1000), payload) };
  },
  accepts: (payload, headers, secret) => tryTrue(() => new StandardWebhook(secret).verify(payload, headers)),
  signatureHeaders: ['webhook-signature'],
  missing: 'webhook-signature',
  malformed: { headers: { 'webhook-signature': 'v2,abc' }, reason: 'webhook-signature has no v1, signature' },
};

/** Svix signs with every key of an endpoint while one is rotated: the header then holds several. */
const SVIX_OLD_KEY = `whsec_${b64('svix rotated-out key, not given')}`;
export const svix: Provider = {
  key: 'svix',
  scheme: 'svix',
  library: 'svix Webhook.sign / verify',
  secret: `whsec_${b64('svix endpoint key for hook-catch tests')}`,
  otherSecret: `whsec_${b64('svix key of another endpoint path!!')}`,
  wrongSecret: `whsec_${b64('svix key hook-catch never heard of')}`,
  contentType: 'application/json',
  body: (n) => eventBody(n, 'message.attempt.exhausted'),
  json: true,
  timestamps: true,
  sign: async (payload, secret, { at }) => {
    const id = msgId();
    const date = new Date(at * 1000);
    const old = new SvixWebhook(SVIX_OLD_KEY).sign(id, date, payload);
    return { 'svix-id': id, 'svix-timestamp': String(at), 'svix-signature': `${old} ${new SvixWebhook(secret).sign(id, date, payload)}` };
  },
  accepts: (payload, headers, secret) => tryTrue(() => new SvixWebhook(secret).verify(payload, headers)),
  signatureHeaders: ['svix-signature'],
  missing: 'svix-signature',
  malformed: { headers: { 'svix-signature': 'v1a,abc' }, reason: 'svix-signature has no v1, signature' },
};

/** Slack publishes no signer (Bolt only checks): node:crypto by Slack's rule, checked by Bolt's isValidSlackRequest. */
const slackSign = (secret: string, at: number, payload: string) => `v0=${createHmac('sha256', secret).update(`v0:${at}:${payload}`).digest('hex')}`;
export const slack: Provider = {
  key: 'slack',
  scheme: 'slack',
  library: "node:crypto by Slack's rule, checked with @slack/bolt isValidSlackRequest",
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  otherSecret: '1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f',
  wrongSecret: '00000000000000000000000000000000',
  contentType: 'application/json',
  body: (n) => JSON.stringify({ token: 'x', team_id: 'T1', type: 'event_callback', event: { type: 'app_mention', text: `hi ✓ ${n}` }, event_id: `Ev${n}` }),
  json: true,
  timestamps: true,
  sign: async (payload, secret, { at }) => ({ 'X-Slack-Request-Timestamp': String(at), 'X-Slack-Signature': slackSign(secret, at, payload) }),
  accepts: async (payload, headers, signingSecret) =>
    isValidSlackRequest({
      signingSecret,
      body: payload,
      headers: { 'x-slack-signature': headers['X-Slack-Signature']!, 'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']) },
    }),
  signatureHeaders: ['X-Slack-Signature'],
  missing: 'X-Slack-Signature',
  malformed: { headers: { 'X-Slack-Signature': 'v1=abc' }, reason: 'X-Slack-Signature is not v0= and 64 hex digits' },
};

/** One @shopify/shopify-api per secret (its webhooks.validate reads the app's secret from its config). */
const shopifies = new Map<string, Shopify>();
const shopifyFor = (apiSecretKey: string) => {
  let api = shopifies.get(apiSecretKey);
  if (!api) {
    api = shopifyApi({
      apiKey: 'hook-catch-test',
      apiSecretKey,
      hostName: 'localhost',
      apiVersion: ApiVersion.January25,
      isEmbeddedApp: false,
      logger: { level: LogSeverity.Error },
    });
    shopifies.set(apiSecretKey, api);
  }
  return api;
};
export const shopify: Provider = {
  key: 'shopify',
  scheme: 'shopify',
  library: '@shopify/shopify-api runtime createSHA256HMAC / webhooks.validate (node adapter)',
  secret: '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',
  otherSecret: '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',
  wrongSecret: 'shpss_ffffffffffffffffffffffffffffffff',
  contentType: 'application/json',
  body: (n) => JSON.stringify({ id: 820982911946154500 + n, email: 'jon@example.com', note: 'café ✓', line_items: [{ sku: `SKU-${n}` }] }),
  json: true,
  timestamps: false,
  sign: async (payload, secret) => ({
    'X-Shopify-Topic': 'orders/create',
    'X-Shopify-API-Version': '2025-01',
    'X-Shopify-Shop-Domain': 'hook-catch.myshopify.com',
    'X-Shopify-Webhook-Id': `w-${++msgCount}`,
    'X-Shopify-Hmac-Sha256': await createSHA256HMAC(secret, payload, HashFormat.Base64),
  }),
  accepts: async (rawBody, headers, secret, { url }) => {
    const rawRequest = { method: 'POST', url, headers: Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v])) };
    const result = await shopifyFor(secret).webhooks.validate({ rawBody, rawRequest: rawRequest as never, rawResponse: {} as never });
    return result.valid;
  },
  signatureHeaders: ['X-Shopify-Hmac-Sha256'],
  missing: 'X-Shopify-Hmac-Sha256',
  malformed: { headers: { 'X-Shopify-Hmac-Sha256': 'c2hvcnQ=' }, reason: 'X-Shopify-Hmac-Sha256 is not a base64 SHA-256 digest' },
};

/** Twilio's form POST: the params as an Express app (querystring) reads them. */
export const twilioForm: Provider = {
  key: 'twilio',
  scheme: 'twilio',
  library: 'twilio getExpectedTwilioSignature / validateRequest',
  secret: '12345678901234567890123456789012',
  otherSecret: 'abcdefabcdefabcdefabcdefabcdefab',
  wrongSecret: '00000000000000000000000000000000',
  contentType: 'application/x-www-form-urlencoded',
  body: (n) =>
    `MessageSid=SM${n}&AccountSid=AC0123&From=%2B15551234567&To=%2B15557654321&Body=Hello+w%C3%B6rld+%26+%E2%9C%93+${n}&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm%2F1&StatusCallbackEvent=ringing&StatusCallbackEvent=initiated`,
  json: false,
  timestamps: false,
  target: (path) => `${path}?source=hook-catch&x=1`,
  sign: async (payload, secret, { url }) => ({
    'X-Twilio-Signature': twilio.getExpectedTwilioSignature(secret, url, parseForm(payload) as Record<string, string>),
  }),
  accepts: async (payload, headers, secret, { url }) =>
    twilio.validateRequest(secret, headers['X-Twilio-Signature'] ?? '', url, parseForm(payload) as Record<string, string>),
  signatureHeaders: ['X-Twilio-Signature'],
  missing: 'X-Twilio-Signature',
  malformed: { headers: { 'X-Twilio-Signature': 'bm90IGEgc2hhMQ==' }, reason: 'X-Twilio-Signature is not a base64 SHA-1 digest' },
  mismatch: ({ receiverUrl, target }) =>
    `signed with another secret, or for another URL (checked ${receiverUrl}${target}), or the body differs from what was signed`,
};

/** Twilio's JSON body: not signed itself; its SHA-256 is the bodySHA256 parameter of the signed URL. */
export const twilioJson: Provider = {
  ...twilioForm,
  key: 'twilio-json',
  library: 'twilio getExpectedBodyHash + getExpectedTwilioSignature / validateRequestWithBody',
  secret: '98765432109876543210987654321098',
  otherSecret: 'fedcbafedcbafedcbafedcbafedcbafe',
  contentType: 'application/json',
  body: (n) => JSON.stringify({ event_type: 'com.twilio.messaging.message.delivered', data: { messageSid: `SM${n}`, note: 'café ✓' } }),
  json: true,
  target: (path, body) => `${path}?bodySHA256=${twilio.getExpectedBodyHash(body)}`,
  sign: async (_payload, secret, { url }) => ({ 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(secret, url, {}) }),
  accepts: async (payload, headers, secret, { url }) => twilio.validateRequestWithBody(secret, headers['X-Twilio-Signature'] ?? '', url, payload),
  changedAlone: 'body differs from what was signed (its SHA-256 is not the bodySHA256 in the URL)',
};

/** Paddle's SDK has no signer: node:crypto by Paddle's published rule, checked by the SDK's webhooks.isSignatureValid. */
export const paddle: Provider = {
  key: 'paddle',
  scheme: 'paddle',
  library: "node:crypto by Paddle's rule, checked with @paddle/paddle-node-sdk webhooks.isSignatureValid",
  secret: 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI',
  otherSecret: 'pdl_ntfset_01hv8wptq8987qeep44cyrewp9_Xk2mN8pQ4rT6vW1yZ3aB5cD7eF9gH0jK',
  wrongSecret: 'pdl_ntfset_01aaaaaaaaaaaaaaaaaaaaaaaa_0000000000000000000000000000000',
  contentType: 'application/json',
  body: (n) =>
    JSON.stringify({
      event_id: `evt_01hv8x2m${n}`,
      event_type: 'transaction.completed',
      occurred_at: '2026-11-23T14:02:11.000000Z',
      notification_id: `ntf_01hv8x2m${n}`,
      data: { id: `txn_01hv8x2m${n}`, status: 'completed', note: 'café ✓ 𝄞', items: [{ price_id: 'pri_01', quantity: 1 + n }] },
    }),
  json: true,
  timestamps: true,
  tolerance: '5 s',
  sign: async (payload, secret, { at }) => ({ 'Paddle-Signature': paddleSignature(secret, at, payload) }),
  accepts: (payload, headers, secret, { receivedAt }) => paddleAccepts(payload, headers['Paddle-Signature'], secret, receivedAt),
  signatureHeaders: ['Paddle-Signature'],
  missing: 'Paddle-Signature',
  malformed: {
    headers: { 'Paddle-Signature': 'h1=eb4d0dc8853be92b7f063b9f3ba5233eb920a09459b6e6b2c26705b4364db151' },
    reason: 'Paddle-Signature has no ts= timestamp',
  },
};

/** A plain HMAC has no provider library: node:crypto is the reference. */
export const hmacSha256: Provider = {
  key: 'hmac256',
  scheme: 'hmac-sha256',
  library: 'node:crypto createHmac sha256, hex',
  secret: 'acme-hmac-secret-7Yt5Re3Wq1',
  otherSecret: 'acme-hmac-other-2Po4Iu6Yt8',
  wrongSecret: 'acme-hmac-wrong-0000000000',
  contentType: 'application/json',
  body: (n) => eventBody(n, 'acme.order'),
  json: true,
  timestamps: false,
  rule: { header: 'X-Acme-Signature' },
  sign: async (payload, secret) => ({ 'X-Acme-Signature': createHmac('sha256', secret).update(payload).digest('hex') }),
  accepts: async (payload, headers, secret) => headers['X-Acme-Signature'] === createHmac('sha256', secret).update(payload).digest('hex'),
  signatureHeaders: ['X-Acme-Signature'],
  missing: 'X-Acme-Signature',
  malformed: { headers: { 'X-Acme-Signature': 'not a digest' }, reason: 'X-Acme-Signature is not a hex or base64 HMAC-SHA256' },
};

export const hmacSha1: Provider = {
  ...hmacSha256,
  key: 'hmac1',
  scheme: 'hmac-sha1',
  library: 'node:crypto createHmac sha1, base64',
  secret: 'partner-sha1-secret-Lk9Jh7Gf5',
  otherSecret: 'partner-sha1-other-Ds3Fa1Zx0',
  rule: { header: 'X-Partner-Hmac' },
  sign: async (payload, secret) => ({ 'X-Partner-Hmac': createHmac('sha1', secret).update(payload).digest('base64') }),
  accepts: async (payload, headers, secret) => headers['X-Partner-Hmac'] === createHmac('sha1', secret).update(payload).digest('base64'),
  signatureHeaders: ['X-Partner-Hmac'],
  missing: 'X-Partner-Hmac',
  malformed: { headers: { 'X-Partner-Hmac': 'c2hvcnQ=' }, reason: 'X-Partner-Hmac is not a hex or base64 HMAC-SHA1' },
};

export const PROVIDERS = [stripe, github, githubSha1, standardWebhooks, svix, slack, shopify, twilioForm, twilioJson, paddle, hmacSha256, hmacSha1];
