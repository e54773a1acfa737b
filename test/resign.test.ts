import { createHmac } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verify as octokitVerify, sign as octokitSign } from '@octokit/webhooks-methods';
import { isValidSlackRequest } from '@slack/bolt';
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import type { HookCatch } from '../src/start.js';
import type { SchemeName } from '../src/signatures/types.js';
import { json, runCli, send, startHookCatch, tempDir } from './helpers.js';
import { recordingApp, type Recorded } from './recording-app.js';

// An edited replay signed again (`--resign`) passes the provider's own library at the app; the same
// edit without it does not. Signing and checking at the app are the providers' code, not ours.

const header = (r: Recorded, name: string) => r.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1] ?? '';
const stripeSdk = new Stripe('sk_test_not_used');
const whsec = `whsec_${Buffer.from('a signing key of thirty-two b!!!').toString('base64')}`;

interface Provider {
  scheme: SchemeName;
  secret: string;
  path: string;
  contentType: string;
  body: string;
  edited: string;
  /** The provider's library signs `body` as sent to `url`. */
  sign(body: string, url: string): Promise<Record<string, string>> | Record<string, string>;
  /** The provider's library checks what the app received at `url`. */
  check(recorded: Recorded, url: string): Promise<boolean> | boolean;
  /** A query the provider puts on the URL it calls. */
  query?: (body: string) => string;
}

const shopify = (secret: string) =>
  shopifyApi({ apiKey: 'key', apiSecretKey: secret, scopes: [], hostName: 'localhost', apiVersion: ApiVersion.October24, isEmbeddedApp: false, logger: { level: 0 } });

async function shopifyValid(secret: string, recorded: Recorded): Promise<boolean> {
  const rawRequest = { headers: Object.fromEntries(recorded.headers.map(([n, v]) => [n.toLowerCase(), v])), method: recorded.method, url: recorded.url };
  const result = await shopify(secret).webhooks.validate({ rawBody: recorded.body.toString('utf8'), rawRequest: rawRequest as never, rawResponse: {} as never });
  return result.valid;
}

const PROVIDERS: Provider[] = [
  {
    scheme: 'stripe',
    secret: 'whsec_stripe_test_secret',
    path: '/stripe',
    contentType: 'application/json',
    body: JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded', data: { object: { amount: 100 } } }, null, 2),
    edited: JSON.stringify({ id: 'evt_1', type: 'payment_intent.payment_failed', data: { object: { amount: 100 } } }, null, 2),
    sign: (payload) => ({ 'Stripe-Signature': stripeSdk.webhooks.generateTestHeaderString({ payload, secret: 'whsec_stripe_test_secret' }) }),
    check(recorded) {
      try {
        stripeSdk.webhooks.constructEvent(recorded.body, header(recorded, 'stripe-signature'), 'whsec_stripe_test_secret');
        return true;
      } catch {
        return false;
      }
    },
  },
  {
    scheme: 'github',
    secret: 'gh-webhook-secret',
    path: '/github',
    contentType: 'application/json',
    body: '{"action":"completed","check_run":{"id":1}}',
    edited: '{"action":"requested","check_run":{"id":1}}',
    sign: async (payload) => ({ 'X-GitHub-Event': 'check_run', 'X-Hub-Signature-256': await octokitSign('gh-webhook-secret', payload) }),
    check: (recorded) => octokitVerify('gh-webhook-secret', recorded.body.toString('utf8'), header(recorded, 'x-hub-signature-256')),
  },
  {
    scheme: 'standard-webhooks',
    secret: whsec,
    path: '/standard',
    contentType: 'application/json',
    body: '{"type":"job.completed","data":{"id":"j1"}}',
    edited: '{"type":"job.failed","data":{"id":"j1"}}',
    sign(payload) {
      const id = 'msg_standard_1';
      const at = new Date();
      return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new StandardWebhook(whsec).sign(id, at, payload) };
    },
    check(recorded) {
      try {
        new StandardWebhook(whsec).verify(recorded.body.toString('utf8'), Object.fromEntries(recorded.headers.map(([n, v]) => [n.toLowerCase(), v])));
        return true;
      } catch {
        return false;
      }
    },
  },
  {
    scheme: 'svix',
    secret: whsec,
    path: '/svix',
    contentType: 'application/json',
    body: '{"type":"invoice.paid","data":{"id":"in_1"}}',
    edited: '{"type":"invoice.voided","data":{"id":"in_1"}}',
    sign(payload) {
      const id = 'msg_svix_1';
      const at = new Date();
      return { 'svix-id': id, 'svix-timestamp': String(Math.floor(at.getTime() / 1000)), 'svix-signature': `v1,bm90IHRoaXMgb25l ${new SvixWebhook(whsec).sign(id, at, payload)}` };
    },
    check(recorded) {
      try {
        new SvixWebhook(whsec).verify(recorded.body.toString('utf8'), Object.fromEntries(recorded.headers.map(([n, v]) => [n.toLowerCase(), v])));
        return true;
      } catch {
        return false;
      }
    },
  },
  {
    scheme: 'slack',
    secret: 'slack-signing-secret',
    path: '/slack/events',
    contentType: 'application/json',
    body: '{"type":"event_callback","event":{"type":"app_mention","text":"hi"}}',
    edited: '{"type":"event_callback","event":{"type":"app_mention","text":"bye"}}',
    sign(payload) {
      const ts = Math.floor(Date.now() / 1000);
      return { 'X-Slack-Request-Timestamp': String(ts), 'X-Slack-Signature': `v0=${createHmac('sha256', 'slack-signing-secret').update(`v0:${ts}:${payload}`).digest('hex')}` };
    },
    check: (recorded) =>
      isValidSlackRequest({
        signingSecret: 'slack-signing-secret',
        body: recorded.body.toString('utf8'),
        headers: { 'x-slack-signature': header(recorded, 'x-slack-signature'), 'x-slack-request-timestamp': Number(header(recorded, 'x-slack-request-timestamp')) },
      }),
  },
  {
    scheme: 'shopify',
    secret: 'shopify-client-secret',
    path: '/shopify/orders',
    contentType: 'application/json',
    body: '{"id":820982911946154500,"email":"jon@example.com"}',
    edited: '{"id":820982911946154500,"email":"ann@example.com"}',
    sign: (payload) => ({
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Api-Version': '2024-10',
      'X-Shopify-Shop-Domain': 'example.myshopify.com',
      'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      'X-Shopify-Hmac-Sha256': createHmac('sha256', 'shopify-client-secret').update(payload).digest('base64'),
    }),
    check: (recorded) => shopifyValid('shopify-client-secret', recorded),
  },
  {
    scheme: 'twilio',
    secret: 'twilio-auth-token',
    path: '/twilio/sms',
    contentType: 'application/x-www-form-urlencoded',
    body: 'Body=hello&From=%2B15550001111&To=%2B15550002222&MessageSid=SM1',
    edited: 'Body=goodbye&From=%2B15550001111&To=%2B15550002222&MessageSid=SM1',
    sign: (payload, url) => ({ 'X-Twilio-Signature': twilio.getExpectedTwilioSignature('twilio-auth-token', url, Object.fromEntries(new URLSearchParams(payload))) }),
    check: (recorded, url) => twilio.validateRequest('twilio-auth-token', header(recorded, 'x-twilio-signature'), url, Object.fromEntries(new URLSearchParams(recorded.body.toString('utf8')))),
  },
  {
    scheme: 'twilio',
    secret: 'twilio-auth-token',
    path: '/twilio/events',
    contentType: 'application/json',
    body: '{"event":"call.completed"}',
    edited: '{"event":"call.failed"}',
    // Twilio signs a JSON body's SHA-256 in the URL it calls: the test sends to that URL.
    sign: (_payload, url) => ({ 'X-Twilio-Signature': twilio.getExpectedTwilioSignature('twilio-auth-token', url, {}) }),
    query: (payload) => `?bodySHA256=${twilio.getExpectedBodyHash(payload)}`,
    check: (recorded, url) => twilio.validateRequestWithBody('twilio-auth-token', header(recorded, 'x-twilio-signature'), url, recorded.body.toString('utf8')),
  },
  {
    scheme: 'hmac-sha256',
    secret: 'plain-hmac-secret',
    path: '/plain',
    contentType: 'application/json',
    body: '{"status":"done"}',
    edited: '{"status":"error"}',
    sign: (payload) => ({ 'X-Signature': createHmac('sha256', 'plain-hmac-secret').update(payload).digest('base64') }),
    check: (recorded) => header(recorded, 'x-signature') === createHmac('sha256', 'plain-hmac-secret').update(recorded.body).digest('base64'),
  },
];

/** Sends `provider`'s signed webhook to hook-catch; the capture's id. */
async function deliver(hc: HookCatch, provider: Provider): Promise<string> {
  const path = provider.path + (provider.query?.(provider.body) ?? '');
  const headers = { 'Content-Type': provider.contentType, ...(await provider.sign(provider.body, `${hc.receiverUrl}${path}`)) };
  const reply = await send(`${hc.receiverUrl}${path}`, { method: 'POST', headers, body: provider.body });
  return json(reply).id;
}

async function replayApi(hc: HookCatch, id: string, payload: object) {
  const reply = await send(`${hc.inspectorUrl}/api/requests/${id}/replay`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
  return { status: reply.status, body: json(reply) };
}

describe('replay --resign: an edited webhook signed again passes the provider library at the app', () => {
  for (const provider of PROVIDERS) {
    it(`${provider.scheme} (${provider.contentType.split('/')[1]})`, async () => {
      const hc = await startHookCatch({ verify: [{ scheme: provider.scheme, secret: provider.secret }] });
      const app = await recordingApp();
      const id = await deliver(hc, provider);
      expect((await hc.store.get(id))!.signature).toMatchObject({ verdict: 'valid', scheme: provider.scheme });
      const urlAtApp = (r: Recorded) => `${app.url}${r.url}`;

      // The exact replay still verifies; the edited one does not, unless it is signed again.
      await replayApi(hc, id, { to: app.url });
      const exact = await app.got(1);
      expect(await provider.check(exact, urlAtApp(exact))).toBe(provider.scheme !== 'twilio'); // Twilio signed hook-catch's URL, not the app's
      await replayApi(hc, id, { to: app.url, body: provider.edited });
      const edited = await app.got(2);
      expect(edited.body.toString()).toBe(provider.edited);
      expect(await provider.check(edited, urlAtApp(edited))).toBe(false);
      const reply = await replayApi(hc, id, { to: app.url, body: provider.edited, resign: true });
      expect(reply.status).toBe(200);
      expect(reply.body.replay).toMatchObject({ edited: true, resigned: provider.scheme });
      const resigned = await app.got(3);
      expect(resigned.body.toString()).toBe(provider.edited);
      expect(await provider.check(resigned, urlAtApp(resigned))).toBe(true);
      expect(JSON.stringify(reply.body)).not.toContain(provider.secret);
    });
  }

  it('an old capture signed again gets a fresh timestamp, so a tolerance check passes', async () => {
    const stripe = PROVIDERS[0]!;
    const hc = await startHookCatch({ verify: [{ scheme: 'stripe', secret: stripe.secret }] });
    const app = await recordingApp();
    const old = Math.floor(Date.now() / 1000) - 3600;
    const headers = { 'Content-Type': 'application/json', 'Stripe-Signature': stripeSdk.webhooks.generateTestHeaderString({ payload: stripe.body, secret: stripe.secret, timestamp: old }) };
    const id = json(await send(`${hc.receiverUrl}/stripe`, { method: 'POST', headers, body: stripe.body })).id;
    expect((await hc.store.get(id))!.signature).toEqual({ verdict: 'invalid', scheme: 'stripe', reason: 'timestamp 1 h old, tolerance 5 min' });
    await replayApi(hc, id, { to: app.url, resign: true });
    expect(await stripe.check(await app.got(1), '')).toBe(true);
  });

  it('"resign": true with no --verify covering the path is one line that says what to give; a scheme hook-catch cannot find is too', async () => {
    const hc = await startHookCatch({ verify: [{ scheme: 'stripe', secret: 'whsec_x', path: '/stripe' }] });
    const app = await recordingApp();
    const id = json(await send(`${hc.receiverUrl}/other`, { method: 'POST', body: '{}' })).id;
    const uncovered = await replayApi(hc, id, { to: app.url, resign: true });
    expect(uncovered.status).toBe(400);
    expect(uncovered.body.error).toMatch(/^No --verify of this hook-catch covers \/other, so there is no secret to re-sign with/);
    const unknown = await replayApi(hc, id, { to: app.url, resign: { secret: 'not-telling' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/^Cannot re-sign: the capture has no signature header of a known scheme/);
    expect(unknown.body.error).not.toContain('not-telling');
    const named = await replayApi(hc, id, { to: app.url, resign: { scheme: 'github', secret: 'gh' } });
    expect(named.body.replay.resigned).toBe('github');
    expect(await octokitVerify('gh', '{}', header(await app.got(1), 'x-hub-signature-256'))).toBe(true);
  });
});

describe('replay --resign on the command line', () => {
  it('through the running instance (its --verify secret), offline with the secret from a variable, and for fixtures', async () => {
    const github = PROVIDERS[1]!;
    const dir = await tempDir();
    const hc = await startHookCatch({ dir, verify: [{ scheme: 'github', secret: github.secret }] });
    const app = await recordingApp();
    const id = await deliver(hc, github);
    const bodyFile = join(dir, 'edited.json');
    await writeFile(bodyFile, github.edited);

    const running = await runCli(['replay', id, '--to', app.url, '--body-file', bodyFile, '--resign', '--dir', dir]);
    expect(running.code).toBe(0);
    expect(running.stdout).toContain('edited, re-signed (github)');
    expect(await github.check(await app.got(1), '')).toBe(true);

    await runCli(['export', id, '--out', join(dir, 'fixtures'), '--dir', dir]);
    await hc.close();
    const env = { GITHUB_WEBHOOK_SECRET: github.secret };
    const offline = await runCli(['replay', id, '--to', app.url, '--body-file', bodyFile, '--resign', 'github', '--dir', dir], { env });
    expect(offline.code).toBe(0);
    expect(await github.check(await app.got(2), '')).toBe(true);
    const fixture = await runCli(['replay', '--file', join(dir, 'fixtures'), '--to', app.url, '--set-header', 'X-Extra: 1', '--resign', '$MY_SECRET', '--dir', dir], { env: { MY_SECRET: github.secret } });
    expect(fixture.code).toBe(0);
    expect(await github.check(await app.got(3), '')).toBe(true);

    const missing = await runCli(['replay', id, '--to', app.url, '--resign', '--dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^hook-catch: --resign for a capture with no hook-catch running on .+ needs the secret: --resign stripe:SECRET/);
    const unset = await runCli(['replay', id, '--to', app.url, '--resign', 'github', '--dir', dir]);
    expect(unset.stderr.trim()).toBe('hook-catch: --resign: the environment variable GITHUB_WEBHOOK_SECRET is not set (it should hold the signing secret), or give it: --resign github:SECRET.');
  });
});
