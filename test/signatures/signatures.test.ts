import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseForm } from 'node:querystring';
import { PassThrough } from 'node:stream';
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, LogSeverity, shopifyApi, type Shopify } from '@shopify/shopify-api';
import { createSHA256HMAC, HashFormat } from '@shopify/shopify-api/runtime';
import { isValidSlackRequest } from '@slack/bolt';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HookCatchError } from '../../src/errors.js';
import { start, type HookCatch } from '../../src/index.js';
import type { SchemeName, SignatureVerdict, VerifyInput } from '../../src/capture/signature.js';
import { json, rawRequest, send } from '../helpers/index.js';

// Each scheme end to end: a webhook signed by the provider's own library (where it has one) is
// sent to a real hook-catch, whose verdict is read from the store. Every delivery is also given to
// the provider's own verification, which must agree with hook-catch's valid / invalid.

const T = 10_000; // each test's timeout
const now = () => Math.floor(Date.now() / 1000);
const NINE_MIN = 9 * 60;
const HEADERS_MISSING = 'no signature header of a known scheme';
const FALLBACK = 'signed with another secret, or the body differs from what was signed';
const shortId = (id: string) => id.slice(-6);
const noAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

type Sent = Record<string, string>;
/** When the provider signed (unix seconds) and the full URL it called (Twilio signs it). */
interface Ctx {
  at: number;
  url: string;
}

/** One provider's way of signing, as its own library does it, and its own check of what arrived. */
interface Provider {
  /** A short key: the paths of its rules are /hooks/<key>, /auto/<key>, /other/<key>. */
  key: string;
  scheme: SchemeName;
  /** What signs (and checks) in this file: named in the test titles. */
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
const b64 = (text: string) => Buffer.from(text).toString('base64');
let msgCount = 0;
const msgId = () => `msg_2Lhook${++msgCount}`;

const stripeSdk = new Stripe('sk_test_hook_catch_never_called');
const stripe: Provider = {
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
  malformed: { headers: { 'Stripe-Signature': 'v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd' }, reason: 'Stripe-Signature has no t= timestamp' },
};

const github: Provider = {
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
  sign: async (payload, secret) => ({ 'X-GitHub-Event': 'check_run', 'X-GitHub-Delivery': `d-${++msgCount}`, 'X-Hub-Signature-256': await octokitSign(secret, payload) }),
  accepts: async (payload, headers, secret) => {
    const signature = headers['X-Hub-Signature-256'];
    return signature !== undefined && (await octokitVerify(secret, payload, signature));
  },
  signatureHeaders: ['X-Hub-Signature-256'],
  missing: 'X-Hub-Signature-256',
  malformed: { headers: { 'X-Hub-Signature-256': 'sha1=0123456789abcdef0123456789abcdef01234567' }, reason: 'X-Hub-Signature-256 is not sha256= and 64 hex digits' },
};

/** GitHub's legacy header: octokit no longer makes or checks SHA-1, so node:crypto with GitHub's published rule. */
const sha1Hex = (secret: string, payload: string) => `sha1=${createHmac('sha1', secret).update(payload).digest('hex')}`;
const githubSha1: Provider = {
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

const standardWebhooks: Provider = {
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
const svix: Provider = {
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
const slack: Provider = {
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
    api = shopifyApi({ apiKey: 'hook-catch-test', apiSecretKey, hostName: 'localhost', apiVersion: ApiVersion.January25, isEmbeddedApp: false, logger: { level: LogSeverity.Error } });
    shopifies.set(apiSecretKey, api);
  }
  return api;
};
const shopify: Provider = {
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
const twilioForm: Provider = {
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
  sign: async (payload, secret, { url }) => ({ 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(secret, url, parseForm(payload) as Record<string, string>) }),
  accepts: async (payload, headers, secret, { url }) => twilio.validateRequest(secret, headers['X-Twilio-Signature'] ?? '', url, parseForm(payload) as Record<string, string>),
  signatureHeaders: ['X-Twilio-Signature'],
  missing: 'X-Twilio-Signature',
  malformed: { headers: { 'X-Twilio-Signature': 'bm90IGEgc2hhMQ==' }, reason: 'X-Twilio-Signature is not a base64 SHA-1 digest' },
  mismatch: ({ receiverUrl, target }) => `signed with another secret, or for another URL (checked ${receiverUrl}${target}), or the body differs from what was signed`,
};

/** Twilio's JSON body: not signed itself; its SHA-256 is the bodySHA256 parameter of the signed URL. */
const twilioJson: Provider = {
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

/** A plain HMAC has no provider library: node:crypto is the reference. */
const hmacSha256: Provider = {
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

const hmacSha1: Provider = {
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

const PROVIDERS = [stripe, github, githubSha1, standardWebhooks, svix, slack, shopify, twilioForm, twilioJson, hmacSha256, hmacSha1];

/** Every form a secret could leak in: as given, and a whsec_ key's base64 without its prefix. */
const secretForms = (secrets: string[]) => secrets.flatMap((s) => (s.startsWith('whsec_') ? [s, s.slice(6)] : [s]));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
}

interface Delivery {
  id: string;
  signature: SignatureVerdict | undefined;
}

/**
 * One hook-catch for a describe block (started before its tests, closed after them), its terminal
 * output kept, every delivery and its verdict remembered for the final checks.
 */
function useHookCatch(verify: VerifyInput[], output: 'pretty' | 'json') {
  const state = { hc: undefined as unknown as HookCatch, printed: '', deliveries: [] as Delivery[], dir: '' };
  beforeAll(async () => {
    state.dir = await mkdtemp(join(tmpdir(), 'hook-catch-sig-'));
    const stdout = new PassThrough();
    stdout.on('data', (chunk: Buffer) => (state.printed += chunk.toString('utf8')));
    state.hc = await start({ port: 0, inspectorPort: 0, tunnel: false, dir: state.dir, output, stdout, stderr: stdout, verify });
  }, T);
  afterAll(async () => {
    await state.hc?.close();
    await rm(state.dir, { recursive: true, force: true });
  }, T);
  return {
    get hc() {
      return state.hc;
    },
    printed: () => state.printed,
    deliveries: state.deliveries,
    /** POSTs to the receiver, awaits its answer (the capture is stored by then) and reads the verdict from the store. */
    async deliver(target: string, body: string, headers: Sent, contentType: string): Promise<Delivery> {
      const reply = await send(`${state.hc.receiverUrl}${target}`, { method: 'POST', headers: { 'Content-Type': contentType, ...headers }, body });
      expect(reply.status).toBe(200);
      const { ok, id } = json<{ ok: boolean; id: string }>(reply);
      expect(ok).toBe(true);
      const record = await state.hc.store.get(id);
      expect(record).not.toBeNull();
      const delivery = { id, signature: record!.signature };
      state.deliveries.push(delivery);
      return delivery;
    },
    /** The same, the request target written exactly as given (node:http would percent-encode a ' in it). */
    async deliverRaw(target: string, body: string, headers: Sent, contentType: string): Promise<Delivery> {
      const head = [`POST ${target} HTTP/1.1`, `Host: 127.0.0.1:${state.hc.receiverPort}`, `Content-Type: ${contentType}`, ...Object.entries(headers).map(([n, v]) => `${n}: ${v}`)];
      const answer = await rawRequest(state.hc.receiverPort, `${head.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      const { id } = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { id: string };
      const record = await state.hc.store.get(id);
      expect(record!.url).toBe(target);
      const delivery = { id, signature: record!.signature };
      state.deliveries.push(delivery);
      return delivery;
    },
  };
}

type Harness = ReturnType<typeof useHookCatch>;

/** The verdicts the same everywhere, and no secret in the store, the terminal or any API answer (a fixture export too). */
async function expectVerdictsShownAndNoSecrets(h: Harness, secrets: string[], output: 'pretty' | 'json') {
  const { hc, deliveries } = h;
  const forms = secretForms(secrets);
  expect(deliveries.length).toBeGreaterThan(0);
  const answers: string[] = [];
  const status = await send(`${hc.inspectorUrl}/api/status`);
  answers.push(status.body.toString('utf8'));
  expect(json(status).verify.length).toBeGreaterThan(0);
  const list = await send(`${hc.inspectorUrl}/api/requests?limit=1000`);
  answers.push(list.body.toString('utf8'));
  const summaries = new Map<string, { signature?: SignatureVerdict }>(json(list).items.map((s: { id: string }) => [s.id, s]));
  for (const { id, signature } of deliveries) {
    expect(summaries.get(id)?.signature).toEqual(signature);
    const one = await send(`${hc.inspectorUrl}/api/requests/${id}`);
    answers.push(one.body.toString('utf8'));
    expect(json(one).signature).toEqual(signature);
    expect(json(one).summary.signature).toEqual(signature);
    const fixture = await send(`${hc.inspectorUrl}/api/requests/${id}/fixture`);
    expect(fixture.status).toBe(200);
    answers.push(fixture.body.toString('utf8'));
  }
  // The terminal shows each verdict (printed just after the answer went out).
  await expect.poll(() => deliveries.every(({ id }) => h.printed().includes(output === 'json' ? id : shortId(id))), { timeout: 5_000 }).toBe(true);
  const printed = noAnsi(h.printed());
  for (const { id, signature } of deliveries) {
    if (output === 'json') {
      const line = printed.split('\n').find((l) => l.includes(`"id":"${id}"`));
      expect(JSON.parse(line!)).toMatchObject({ type: 'request', id, signature });
      continue;
    }
    const line = printed.split('\n').find((l) => l.includes(` ${shortId(id)}`))!;
    const scheme = signature!.scheme ?? 'signature';
    const note = signature!.verdict === 'valid' ? `✓ ${scheme}` : signature!.verdict === 'invalid' ? `✗ ${scheme}: ${signature!.reason}` : `? ${scheme} unchecked`;
    expect(line).toContain(note);
  }
  await hc.close(); // everything written
  const files = await filesUnder(hc.dir);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const text = (await readFile(file)).toString('latin1');
    for (const secret of forms) expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
  }
  for (const secret of forms) {
    expect(printed.includes(secret), `${secret} in the terminal output`).toBe(false);
    for (const answer of answers) expect(answer.includes(secret), `${secret} in an API answer`).toBe(false);
  }
}

/** Changes one byte of a body: its last digit (inside a value, so the JSON stays JSON and the form a form). */
function changeOneByte(body: string): string {
  const at = body.search(/\d(?=[^\d]*$)/);
  const bytes = Buffer.from(body);
  bytes[Buffer.byteLength(body.slice(0, at))] = body[at] === '7' ? 0x38 : 0x37;
  return bytes.toString('utf8');
}

interface SentRequest {
  body: string;
  target: string;
  ctx: Ctx;
  headers: Sent;
}

interface SignOverrides {
  secret?: string;
  at?: number;
  body?: string;
  /** The URL the provider called, when not the receiver's (a tunnel's). */
  url?: string;
}

interface Changes {
  body?: string;
  headers?: Sent;
  drop?: string[];
}

/** What a scheme's own tests get: its hook-catch, a signer, a sender that checks the library agrees. */
interface Tools {
  h: Harness;
  hooks: string;
  auto: string;
  signed(path: string, n: number, overrides?: SignOverrides): Promise<SentRequest>;
  deliver(request: SentRequest, changes?: Changes, librarySecret?: string): Promise<Delivery>;
}

/** A signer (the provider's library) and a sender that checks the library agrees with hook-catch. */
function toolsFor(h: Harness, p: Provider) {
  /** A request as the provider signs it for `path` (the n-th body unless given), not yet sent. */
  async function signed(path: string, n: number, overrides: SignOverrides = {}): Promise<SentRequest> {
    const body = overrides.body ?? p.body(n);
    const target = p.target?.(path, body) ?? path;
    const ctx = { at: overrides.at ?? now(), url: `${overrides.url ?? h.hc.receiverUrl}${target}` };
    return { body, target, ctx, headers: await p.sign(body, overrides.secret ?? p.secret, ctx) };
  }
  /**
   * Sends `request` (its body or headers changed as given) and checks that the provider's library,
   * given the same bytes, headers, URL and `librarySecret`, agrees with hook-catch's verdict.
   */
  async function deliver(request: SentRequest, changes: Changes = {}, librarySecret = p.secret): Promise<Delivery> {
    const body = changes.body ?? request.body;
    const headers = Object.fromEntries(Object.entries({ ...request.headers, ...changes.headers }).filter(([n]) => !changes.drop?.includes(n)));
    const delivery = await h.deliver(request.target, body, headers, p.contentType);
    const accepted = await p.accepts(body, headers, librarySecret, request.ctx);
    expect(delivery.signature?.verdict === 'valid', `hook-catch said ${JSON.stringify(delivery.signature)}, the library ${accepted}`).toBe(accepted);
    return delivery;
  }
  return { signed, deliver };
}

/**
 * The tests every scheme gets, on one hook-catch with three rules: the scheme and its secret on
 * /hooks/<key>, only the secret on /auto/<key>, the scheme and another secret on /other/<key>
 * (plus `rules`); `extra` adds the scheme's own tests.
 */
function describeScheme(p: Provider, { rules = [], secrets = [], extra }: { rules?: VerifyInput[]; secrets?: string[]; extra?: (tools: Tools) => void } = {}) {
  const hooks = `/hooks/${p.key}`;
  const auto = `/auto/${p.key}`;
  const verify: VerifyInput[] = [
    { scheme: p.scheme, secret: p.secret, path: hooks, ...p.rule },
    { secret: p.secret, path: auto },
    { scheme: p.scheme, secret: p.otherSecret, path: `/other/${p.key}`, ...p.rule },
    ...rules,
  ];
  describe(`${p.key}: signed by ${p.library}`, () => {
    const h = useHookCatch(verify, 'pretty');
    const { signed, deliver } = toolsFor(h, p);
    const fallback = (request: SentRequest) => p.mismatch?.({ receiverUrl: h.hc.receiverUrl, target: request.target }) ?? FALLBACK;

    it(`a payload signed by the provider's library is valid (${p.scheme})`, async () => {
      const { signature } = await deliver(await signed(hooks, 1));
      expect(signature).toEqual({ verdict: 'valid', scheme: p.scheme, ...(p.validNote && { reason: p.validNote }) });
    }, T);

    it('with only a secret given, the scheme is found from the headers (detected)', async () => {
      const { signature } = await deliver(await signed(auto, 2));
      expect(signature).toEqual({ verdict: 'valid', scheme: p.scheme, detected: true, ...(p.validNote && { reason: p.validNote }) });
      // Nothing that shows a scheme: unchecked, not invalid.
      const bare = await h.deliver(auto, p.body(3), {}, p.contentType);
      expect(bare.signature).toMatchObject({ verdict: 'unchecked', scheme: null });
      expect(bare.signature!.reason).toContain(HEADERS_MISSING);
    }, T);

    it('a wrong secret gets the combined reason (an HMAC cannot tell a secret from a body)', async () => {
      const request = await signed(hooks, 4, { secret: p.wrongSecret });
      const { signature } = await deliver(request);
      expect(signature).toMatchObject({ verdict: 'invalid', scheme: p.scheme });
      expect(signature!.reason).toContain('signed with another secret');
      expect(signature!.reason).toBe(fallback(request));
      // The same on the auto path, where the scheme was found from the headers.
      const detected = await deliver(await signed(auto, 5, { secret: p.wrongSecret }));
      expect(detected.signature).toMatchObject({ verdict: 'invalid', scheme: p.scheme, detected: true });
      expect(detected.signature!.reason).toContain('signed with another secret');
    }, T);

    it("the secret of another path's rule is named (never shown)", async () => {
      const { signature } = await deliver(await signed(hooks, 6, { secret: p.otherSecret }));
      const header = p.rule?.header ? ` in ${p.rule.header}` : '';
      expect(signature).toEqual({ verdict: 'invalid', scheme: p.scheme, reason: `signed with another secret: the one given for ${p.scheme}${header} on /other/${p.key}` });
    }, T);

    it('one changed byte after the valid delivery, with the same signature: the body differs', async () => {
      const request = await signed(hooks, 7);
      const first = await deliver(request);
      expect(first.signature!.verdict).toBe('valid');
      const changed = changeOneByte(request.body);
      expect(Buffer.byteLength(changed)).toBe(Buffer.byteLength(request.body));
      const { signature } = await deliver(request, { body: changed });
      expect(signature).toMatchObject({ verdict: 'invalid', scheme: p.scheme });
      expect(signature!.reason).toMatch(/^body differs from what was signed/);
      if (!p.changedAlone) expect(signature!.reason).toBe(`body differs from what was signed: capture ${shortId(first.id)} came with the same signature and verifies`);
    }, T);

    it('one changed byte with nothing to compare: the combined reason', async () => {
      const request = await signed(hooks, 8);
      const { signature } = await deliver(request, { body: changeOneByte(request.body) });
      expect(signature).toMatchObject({ verdict: 'invalid', scheme: p.scheme });
      expect(signature!.reason).toBe(p.changedAlone ?? fallback(request));
    }, T);

    if (p.json && !p.changedAlone) {
      it('a JSON body written another way on the way: it was signed as compact JSON', async () => {
        const request = await signed(hooks, 9);
        const pretty = JSON.stringify(JSON.parse(request.body), null, 2);
        const { signature } = await deliver(request, { body: pretty });
        expect(signature).toEqual({ verdict: 'invalid', scheme: p.scheme, reason: 'body differs from what was signed: it was signed as compact JSON, so something on the way re-wrote it' });
      }, T);
    }

    if (p.timestamps) {
      it('a stale timestamp: its age and the tolerance', async () => {
        const { signature } = await deliver(await signed(hooks, 10, { at: now() - NINE_MIN }));
        expect(signature).toEqual({ verdict: 'invalid', scheme: p.scheme, reason: 'timestamp 9 min old, tolerance 5 min' });
        // Stale and signed with another secret: both said.
        const both = await deliver(await signed(hooks, 11, { at: now() - NINE_MIN, secret: p.wrongSecret }));
        expect(both.signature!.reason).toBe(`${FALLBACK}; the timestamp 9 min old, tolerance 5 min`);
      }, T);
    }

    it('a missing signature header is named', async () => {
      const { signature } = await deliver(await signed(hooks, 12), { drop: p.signatureHeaders });
      expect(signature).toEqual({ verdict: 'invalid', scheme: p.scheme, reason: `signature header missing (${p.missing})` });
    }, T);

    it('a malformed signature header says what is wrong with it', async () => {
      const { signature } = await deliver(await signed(hooks, 13), { headers: p.malformed.headers });
      expect(signature).toEqual({ verdict: 'invalid', scheme: p.scheme, reason: p.malformed.reason });
    }, T);

    extra?.({ h, hooks, auto, signed, deliver });

    it('the verdicts show in the store, the API and the terminal; no secret appears in any of them', async () => {
      await expectVerdictsShownAndNoSecrets(h, [p.secret, p.otherSecret, ...secrets], 'pretty');
    }, T);
  });
}

describeScheme(stripe, {
  rules: [{ scheme: 'stripe', secret: stripe.secret, path: '/lenient/stripe', toleranceSeconds: 15 * 60 }],
  extra: ({ h, hooks, signed, deliver }) => {
    it('a timestamp 9 min in the future is valid, as stripe-node accepts it (only an old one fails)', async () => {
      const { signature } = await deliver(await signed(hooks, 30, { at: now() + NINE_MIN }));
      expect(signature).toEqual({ verdict: 'valid', scheme: 'stripe' });
    }, T);

    it('a header with a v1 for each secret being rolled (and a v0) is valid when one of them matches', async () => {
      const at = now();
      const request = await signed(hooks, 20, { at });
      const rolled = stripeSdk.webhooks.generateTestHeaderString({ payload: request.body, secret: stripe.otherSecret, timestamp: at });
      const v1 = (header: string) => header.split(',').find((part) => part.startsWith('v1='))!;
      const header = `t=${at},${v1(rolled)},${v1(request.headers['Stripe-Signature']!)},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39`;
      const { signature } = await deliver(request, { headers: { 'Stripe-Signature': header } });
      expect(signature).toEqual({ verdict: 'valid', scheme: 'stripe' });
    }, T);

    it('a rule with a longer tolerance takes a 9 min old timestamp (as constructEvent with that tolerance does)', async () => {
      const request = await signed('/lenient/stripe', 21, { at: now() - NINE_MIN });
      const header = request.headers['Stripe-Signature']!;
      expect(() => stripeSdk.webhooks.constructEvent(request.body, header, stripe.secret, 15 * 60)).not.toThrow();
      const { signature } = await h.deliver(request.target, request.body, request.headers, stripe.contentType);
      expect(signature).toEqual({ verdict: 'valid', scheme: 'stripe' });
    }, T);
  },
});

describeScheme(github, {
  extra: ({ hooks, signed, deliver }) => {
    it('with both headers, X-Hub-Signature-256 is the one checked (a stale SHA-1 next to it does not matter)', async () => {
      const request = await signed(hooks, 20);
      const both = await deliver(request, { headers: { 'X-Hub-Signature': sha1Hex(github.secret, request.body) } });
      expect(both.signature).toEqual({ verdict: 'valid', scheme: 'github' });
      const request2 = await signed(hooks, 21);
      const wrongSha1 = await deliver(request2, { headers: { 'X-Hub-Signature': sha1Hex(github.wrongSecret, request2.body) } });
      expect(wrongSha1.signature).toEqual({ verdict: 'valid', scheme: 'github' });
    }, T);
  },
});

describeScheme(githubSha1);

describeScheme(standardWebhooks, {
  extra: ({ hooks, signed, deliver }) => {
    it('a timestamp 9 min in the future is refused, as the library refuses it', async () => {
      const { signature } = await deliver(await signed(hooks, 20, { at: now() + NINE_MIN }));
      expect(signature).toEqual({ verdict: 'invalid', scheme: 'standard-webhooks', reason: 'timestamp 9 min in the future, tolerance 5 min' });
    }, T);

    it('a missing webhook-id or webhook-timestamp is named; a timestamp that is not a number is malformed', async () => {
      const noId = await deliver(await signed(hooks, 21), { drop: ['webhook-id'] });
      expect(noId.signature).toEqual({ verdict: 'invalid', scheme: 'standard-webhooks', reason: 'signature header missing (webhook-id)' });
      const noTs = await deliver(await signed(hooks, 22), { drop: ['webhook-timestamp'] });
      expect(noTs.signature).toEqual({ verdict: 'invalid', scheme: 'standard-webhooks', reason: 'signature header missing (webhook-timestamp)' });
      const badTs = await deliver(await signed(hooks, 23), { headers: { 'webhook-timestamp': '2024-01-01T00:00:00Z' } });
      expect(badTs.signature).toEqual({ verdict: 'invalid', scheme: 'standard-webhooks', reason: 'webhook-timestamp is not a unix time in seconds' });
    }, T);
  },
});

const SVIX_RAW = b64('svix key given without its whsec_ prefix');
describeScheme(svix, {
  rules: [{ scheme: 'svix', secret: SVIX_RAW, path: '/raw/svix' }],
  secrets: [SVIX_RAW],
  extra: ({ h, hooks, signed, deliver }) => {
    it('several signatures in one header: valid wherever the matching one is, other versions ignored', async () => {
      const request = await signed(hooks, 20);
      const [old, mine] = request.headers['svix-signature']!.split(' ');
      expect(old).toMatch(/^v1,/);
      expect(mine).toMatch(/^v1,/);
      for (const [n, list] of [`${mine} ${old}`, `v1a,bm90IHN1cHBvcnRlZCB5ZXQ= ${old} ${mine} v2,eHl6`, mine!].entries()) {
        const again = await signed(hooks, 21 + n);
        const [againOld, againMine] = again.headers['svix-signature']!.split(' ');
        const header = list.replace(old!, againOld!).replace(mine!, againMine!);
        const { signature } = await deliver(again, { headers: { 'svix-signature': header } });
        expect(signature, header).toEqual({ verdict: 'valid', scheme: 'svix' });
      }
      // Only the rotated-out key's signature: not valid.
      const onlyOld = await signed(hooks, 25);
      const { signature } = await deliver(onlyOld, { headers: { 'svix-signature': onlyOld.headers['svix-signature']!.split(' ')[0]! } });
      expect(signature).toEqual({ verdict: 'invalid', scheme: 'svix', reason: FALLBACK });
    }, T);

    it('the same key given without whsec_ (base64 only) verifies the same signatures', async () => {
      const request = await signed('/raw/svix', 26, { secret: `whsec_${SVIX_RAW}` });
      const { signature } = await h.deliver(request.target, request.body, request.headers, svix.contentType);
      expect(signature).toEqual({ verdict: 'valid', scheme: 'svix' });
      expect(() => new SvixWebhook(SVIX_RAW).verify(request.body, request.headers)).not.toThrow();
    }, T);

    it('a timestamp 9 min in the future is refused, as the library refuses it', async () => {
      const { signature } = await deliver(await signed(hooks, 27, { at: now() + NINE_MIN }));
      expect(signature).toEqual({ verdict: 'invalid', scheme: 'svix', reason: 'timestamp 9 min in the future, tolerance 5 min' });
    }, T);

    it("Svix's unbranded headers (webhook-id, webhook-timestamp, webhook-signature) are read, as the svix library reads them", async () => {
      const request = await signed(hooks, 29);
      const unbranded = Object.fromEntries(Object.entries(request.headers).map(([n, v]) => [n.replace(/^svix-/, 'webhook-'), v]));
      expect(Object.keys(unbranded)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
      const { signature } = await deliver({ ...request, headers: unbranded });
      expect(signature).toEqual({ verdict: 'valid', scheme: 'svix' });
      const wrong = await signed(hooks, 30, { secret: svix.wrongSecret });
      const refused = await deliver({ ...wrong, headers: Object.fromEntries(Object.entries(wrong.headers).map(([n, v]) => [n.replace(/^svix-/, 'webhook-'), v])) });
      expect(refused.signature).toEqual({ verdict: 'invalid', scheme: 'svix', reason: FALLBACK });
    }, T);

    it('a missing svix-id is named', async () => {
      const { signature } = await deliver(await signed(hooks, 28), { drop: ['svix-id'] });
      expect(signature).toEqual({ verdict: 'invalid', scheme: 'svix', reason: 'signature header missing (svix-id)' });
    }, T);
  },
});

describeScheme(slack, {
  extra: ({ h, hooks, signed, deliver }) => {
    it('a timestamp 9 min in the future is valid, as Bolt accepts it (only an old one fails)', async () => {
      const { signature } = await deliver(await signed(hooks, 30, { at: now() + NINE_MIN }));
      expect(signature).toEqual({ verdict: 'valid', scheme: 'slack' });
    }, T);

    it('a missing X-Slack-Request-Timestamp is named; one that is not a number is malformed', async () => {
      const noTs = await deliver(await signed(hooks, 20), { drop: ['X-Slack-Request-Timestamp'] });
      expect(noTs.signature).toEqual({ verdict: 'invalid', scheme: 'slack', reason: 'signature header missing (X-Slack-Request-Timestamp)' });
      const badTs = await deliver(await signed(hooks, 21), { headers: { 'X-Slack-Request-Timestamp': 'yesterday' } });
      expect(badTs.signature).toEqual({ verdict: 'invalid', scheme: 'slack', reason: 'X-Slack-Request-Timestamp is not a unix time in seconds' });
    }, T);

    it('a slash command (a form body) is valid, as Bolt finds it', async () => {
      const body = 'token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&command=%2Fdeploy&text=prod+%E2%9C%93&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1';
      const request = await signed(hooks, 22, { body });
      const headers = { 'x-slack-signature': request.headers['X-Slack-Signature']!, 'x-slack-request-timestamp': Number(request.headers['X-Slack-Request-Timestamp']) };
      expect(isValidSlackRequest({ signingSecret: slack.secret, body, headers })).toBe(true);
      const { signature } = await h.deliver(request.target, body, request.headers, 'application/x-www-form-urlencoded');
      expect(signature).toEqual({ verdict: 'valid', scheme: 'slack' });
    }, T);
  },
});

describeScheme(shopify);

const TUNNEL_HOST = 'hook-catch-test.ngrok-free.app';
describeScheme(twilioForm, {
  extra: ({ h, hooks, signed, deliver }) => {
    it('signed for the https URL of the Host it came to (as behind TLS): valid', async () => {
      const https = h.hc.receiverUrl.replace(/^http:/, 'https:');
      const { signature } = await deliver(await signed(hooks, 20, { url: https }));
      expect(signature).toEqual({ verdict: 'valid', scheme: 'twilio' });
    }, T);

    it('through a tunnel: the X-Forwarded-Host and -Proto URL, with or without :443', async () => {
      const forwarded = { 'X-Forwarded-Host': TUNNEL_HOST, 'X-Forwarded-Proto': 'https' };
      for (const [n, url] of [`https://${TUNNEL_HOST}`, `https://${TUNNEL_HOST}:443`].entries()) {
        const request = await signed(hooks, 21 + n, { url });
        const { signature } = await deliver(request, { headers: forwarded });
        expect(signature, url).toEqual({ verdict: 'valid', scheme: 'twilio' });
      }
    }, T);

    it("signed for the URL as new URL() writes it (' as %27), arriving as written: valid, as twilio.validateRequest finds", async () => {
      const target = `${hooks}?caller=O'Brien&x=(1)`;
      const body = twilioForm.body(24);
      const escaped = new URL(`${h.hc.receiverUrl}${target}`).href;
      expect(escaped).toContain('O%27Brien');
      const headers = { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(twilioForm.secret, escaped, parseForm(body) as Record<string, string>) };
      expect(twilio.validateRequest(twilioForm.secret, headers['X-Twilio-Signature'], `${h.hc.receiverUrl}${target}`, parseForm(body) as Record<string, string>)).toBe(true);
      const { signature } = await h.deliverRaw(target, body, headers, twilioForm.contentType);
      expect(signature).toEqual({ verdict: 'valid', scheme: 'twilio' });
    }, T);

    it('signed for the URL without the port the Host header names: valid, as twilio.validateRequest finds', async () => {
      const request = await signed(hooks, 25, { url: `http://127.0.0.1` });
      const { signature } = await deliver({ ...request, ctx: { ...request.ctx, url: `${h.hc.receiverUrl}${request.target}` } });
      expect(signature).toEqual({ verdict: 'valid', scheme: 'twilio' });
    }, T);

    it('the right token but another URL: the reason names the URL it checked', async () => {
      const request = await signed(hooks, 23, { url: 'https://example.com' });
      // The library, given the URL the request really came to, refuses it too.
      const { signature } = await deliver({ ...request, ctx: { ...request.ctx, url: `${h.hc.receiverUrl}${request.target}` } });
      expect(signature).toEqual({
        verdict: 'invalid',
        scheme: 'twilio',
        reason: `signed with another secret, or for another URL (checked ${h.hc.receiverUrl}${request.target}), or the body differs from what was signed`,
      });
    }, T);
  },
});

describeScheme(twilioJson);

describeScheme(hmacSha256, {
  rules: [{ secret: hmacSha256.secret, header: 'X-Acme-Signature', path: '/named/hmac256' }],
  extra: ({ h, hooks, signed }) => {
    it('a sha256= prefix and a base64 digest are read too', async () => {
      // Forms providers use besides bare hex (the reference above compares bare hex, so these are sent as they are).
      const request = await signed(hooks, 20);
      const digest = createHmac('sha256', hmacSha256.secret).update(request.body).digest();
      for (const value of [`sha256=${digest.toString('hex')}`, `SHA256=${digest.toString('hex').toUpperCase()}`, digest.toString('base64'), digest.toString('base64url')]) {
        const { signature } = await h.deliver(request.target, request.body, { 'X-Acme-Signature': value }, hmacSha256.contentType);
        expect(signature, value).toEqual({ verdict: 'valid', scheme: 'hmac-sha256' });
      }
    }, T);

    it('only a secret and the header name given: the scheme is found from the value', async () => {
      const request = await signed('/named/hmac256', 21);
      const { signature } = await h.deliver(request.target, request.body, request.headers, hmacSha256.contentType);
      expect(signature).toEqual({ verdict: 'valid', scheme: 'hmac-sha256', detected: true });
    }, T);
  },
});

describeScheme(hmacSha1);

describe('every scheme at once, with JSON lines on the terminal', () => {
  // Each scheme on a path of its own; elsewhere, two bare secrets (the scheme found from the headers).
  const verify: VerifyInput[] = [...PROVIDERS.map((p) => ({ scheme: p.scheme, secret: p.secret, path: `/all/${p.key}`, ...p.rule })), { secret: stripe.secret }, { secret: svix.secret }];
  const h = useHookCatch(verify, 'json');

  it('two bare secrets for every path, the first not base64 (Stripe\'s): a Svix delivery verifies with the second', async () => {
    const { signed, deliver } = toolsFor(h, svix);
    const good = await deliver(await signed('/elsewhere/svix', 32));
    expect(good.signature).toEqual({ verdict: 'valid', scheme: 'svix', detected: true, reason: 'with the 2nd of the secrets given' });
    const bad = await deliver(await signed('/elsewhere/svix', 33, { secret: svix.wrongSecret }));
    expect(bad.signature).toEqual({ verdict: 'invalid', scheme: 'svix', detected: true, reason: FALLBACK });
    // And a Stripe delivery with the first.
    const stripeTools = toolsFor(h, stripe);
    const first = await stripeTools.deliver(await stripeTools.signed('/elsewhere/stripe', 34));
    expect(first.signature).toEqual({ verdict: 'valid', scheme: 'stripe', detected: true, reason: 'with the 1st of the secrets given' });
  }, T);

  it.each(PROVIDERS.map((p) => [p.key, p] as const))('%s: valid with its secret, invalid with another, each on its own path', async (_key, p) => {
    const { signed, deliver } = toolsFor(h, p);
    const good = await deliver(await signed(`/all/${p.key}`, 30));
    expect(good.signature).toMatchObject({ verdict: 'valid', scheme: p.scheme });
    const bad = await deliver(await signed(`/all/${p.key}`, 31, { secret: p.wrongSecret }));
    expect(bad.signature).toMatchObject({ verdict: 'invalid', scheme: p.scheme });
    expect(bad.signature!.reason).toContain('signed with another secret');
  }, T);

  it('the verdicts are in the JSON lines, the store and the API; no secret in any of them', async () => {
    await expectVerdictsShownAndNoSecrets(h, PROVIDERS.map((p) => p.secret), 'json');
  }, T);
});

describe('a bad verify option', () => {
  const cases: [string, VerifyInput, RegExp][] = [
    ['an unknown scheme', { scheme: 'paypal' as SchemeName, secret: 'Zq9Xy7Qw3Lm-Pp0Oo' }, /^Unknown signature scheme "paypal": use one of stripe, github, /],
    ['a Svix secret that is not base64', { scheme: 'svix', secret: 'whsec_!!Kf8Jd6Hs4*Gq2!!' }, /^--verify svix: a Svix secret is whsec_ followed by base64/],
    ['a Svix secret with no key at all', { scheme: 'svix', secret: 'Wm1Nb2Vc3 Xz4 Lk5' }, /^--verify svix: a Svix secret is whsec_ followed by base64/],
    ['a Standard Webhooks secret that is not base64', { scheme: 'standard-webhooks', secret: 'whsec_Rt5Yu7$Io9%Pa1' }, /^--verify standard-webhooks: a Standard Webhooks secret is whsec_ followed by base64/],
  ];
  it.each(cases)('%s: start() throws one line of HookCatchError without the secret', async (_what, rule, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'hook-catch-sig-bad-'));
    try {
      const error = await start({ port: 0, inspectorPort: 0, tunnel: false, dir, output: 'none', verify: [rule] }).then(
        async (hc) => {
          await hc.close();
          throw new Error('start() did not throw');
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HookCatchError);
      const text = (error as HookCatchError).message;
      expect(text).toMatch(message);
      expect(text).not.toContain('\n');
      expect(text).not.toContain(rule.secret);
      // Nor any piece of it (the words around it are the scheme's and the option's).
      for (const part of rule.secret.split(/[^A-Za-z0-9]+/).filter((w) => w.length >= 3 && w !== 'whsec')) expect(text).not.toContain(part);
      // Refused before anything was opened or written.
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, T);
});
