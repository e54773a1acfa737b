import { createHmac } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { verify as octokitVerify, sign as octokitSign } from '@octokit/webhooks-methods';
import { isValidSlackRequest } from '@slack/bolt';
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import type { HookCatch } from '../../src/start.js';
import type { SchemeName } from '../../src/capture/signature.js';
import { json, runCli, send, spawnCli, startHookCatch, tempDir } from '../helpers/index.js';
import { paddleSignature, paddleUnmarshal } from '../helpers/paddle.js';
import { recordingApp, type Recorded } from '../helpers/recording-app.js';

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
  /** Its check allows seconds (Paddle's 5 s): whether the exact replay still verifies depends on how fast the test ran. */
  seconds?: true;
}

const shopify = (secret: string) =>
  shopifyApi({
    apiKey: 'key',
    apiSecretKey: secret,
    scopes: [],
    hostName: 'localhost',
    apiVersion: ApiVersion.October24,
    isEmbeddedApp: false,
    logger: { level: 0 },
  });

async function shopifyValid(secret: string, recorded: Recorded): Promise<boolean> {
  const rawRequest = { headers: Object.fromEntries(recorded.headers.map(([n, v]) => [n.toLowerCase(), v])), method: recorded.method, url: recorded.url };
  const result = await shopify(secret).webhooks.validate({
    rawBody: recorded.body.toString('utf8'),
    rawRequest: rawRequest as never,
    rawResponse: {} as never,
  });
  return result.valid;
}

const PADDLE_SECRET = 'pdl_ntfset_01hv8wptq8987qeep44cyrewp9_resignTestKey7Yt5';
const paddleSigned = async (recorded: Recorded) => {
  try {
    return (await paddleUnmarshal(recorded.body.toString('utf8'), header(recorded, 'paddle-signature'), PADDLE_SECRET)).eventType;
  } catch {
    return null;
  }
};

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
      return {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new StandardWebhook(whsec).sign(id, at, payload),
      };
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
      return {
        'svix-id': id,
        'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
        'svix-signature': `v1,bm90IHRoaXMgb25l ${new SvixWebhook(whsec).sign(id, at, payload)}`,
      };
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
      return {
        'X-Slack-Request-Timestamp': String(ts),
        'X-Slack-Signature': `v0=${createHmac('sha256', 'slack-signing-secret').update(`v0:${ts}:${payload}`).digest('hex')}`,
      };
    },
    check: (recorded) =>
      isValidSlackRequest({
        signingSecret: 'slack-signing-secret',
        body: recorded.body.toString('utf8'),
        headers: {
          'x-slack-signature': header(recorded, 'x-slack-signature'),
          'x-slack-request-timestamp': Number(header(recorded, 'x-slack-request-timestamp')),
        },
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
    sign: (payload, url) => ({
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature('twilio-auth-token', url, Object.fromEntries(new URLSearchParams(payload))),
    }),
    check: (recorded, url) =>
      twilio.validateRequest(
        'twilio-auth-token',
        header(recorded, 'x-twilio-signature'),
        url,
        Object.fromEntries(new URLSearchParams(recorded.body.toString('utf8'))),
      ),
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
    scheme: 'paddle',
    secret: PADDLE_SECRET,
    path: '/paddle',
    contentType: 'application/json',
    body: '{"event_id":"evt_01","event_type":"subscription.resumed_later","data":{"id":"sub_01","status":"active"}}',
    edited: '{"event_id":"evt_01","event_type":"subscription.resumed_later","data":{"id":"sub_01","status":"past_due"}}',
    sign: (payload) => ({ 'Paddle-Signature': paddleSignature(PADDLE_SECRET, Math.floor(Date.now() / 1000), payload) }),
    // Paddle's SDK as an app runs it: unmarshal throws unless the signature verifies, within its 5 s.
    check: async (recorded) => (await paddleSigned(recorded)) === 'subscription.resumed_later',
    seconds: true,
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
  const reply = await send(`${hc.inspectorUrl}/api/requests/${id}/replay`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
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
      if (!provider.seconds) expect(await provider.check(exact, urlAtApp(exact))).toBe(provider.scheme !== 'twilio'); // Twilio signed hook-catch's URL, not the app's
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
    const headers = {
      'Content-Type': 'application/json',
      'Stripe-Signature': stripeSdk.webhooks.generateTestHeaderString({ payload: stripe.body, secret: stripe.secret, timestamp: old }),
    };
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

describe('replay --resign on the command line', { timeout: 120_000 }, () => {
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
    const fixture = await runCli(
      ['replay', '--file', join(dir, 'fixtures'), '--to', app.url, '--set-header', 'X-Extra: 1', '--resign', '$MY_SECRET', '--dir', dir],
      { env: { MY_SECRET: github.secret } },
    );
    expect(fixture.code).toBe(0);
    expect(await github.check(await app.got(3), '')).toBe(true);

    const missing = await runCli(['replay', id, '--to', app.url, '--resign', '--dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^hook-catch: --resign for a capture with no hook-catch running on .+ needs the secret: --resign stripe:SECRET/);
    const unset = await runCli(['replay', id, '--to', app.url, '--resign', 'github', '--dir', dir]);
    expect(unset.stderr.trim()).toBe(
      'hook-catch: --resign: the environment variable GITHUB_WEBHOOK_SECRET is not set (it should hold the signing secret), or give it: --resign github:SECRET.',
    );
  });
});

describe('a signature over the URL (Twilio): sent elsewhere, hook-catch says so before sending', () => {
  const sms = PROVIDERS.find((p) => p.path === '/twilio/sms')!;
  const token = { TWILIO_AUTH_TOKEN: sms.secret };
  /** An app that checks X-Twilio-Signature at the URL it sees (its Host), as Twilio's middleware does: 403 when it fails. */
  const twilioApp = (answer: () => 'hang' | null = () => null) =>
    recordingApp((r) => answer() ?? (sms.check(r, `http://${header(r, 'host')}${r.url}`) ? { status: 204 } : { status: 403, body: 'bad signature' }));
  const warningFor = (received: string, sentTo: string) =>
    `X-Twilio-Signature signs the URL the webhook was sent to (${received}), so it does not verify at ${sentTo}; `;

  it('replay: a warning in the answer (API) and on stderr (CLI, through the instance and offline, before sending), naming --resign twilio; none once re-signed', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir, verify: [{ scheme: 'twilio', secret: sms.secret }] });
    const app = await twilioApp();
    const id = await deliver(hc, sms);
    const expected =
      warningFor(`${hc.receiverUrl}/twilio/sms`, `${app.url}/twilio/sms`) +
      'add --resign twilio to sign it for that URL (on the page: Re-sign, with --verify twilio).';
    const reply = await replayApi(hc, id, { to: app.url });
    expect(reply.body.replay.warning).toBe(expected);
    expect(reply.body.replay.result.status).toBe(403);
    const resigned = await replayApi(hc, id, { to: app.url, resign: true });
    expect(resigned.body.replay.warning).toBeUndefined();
    expect(resigned.body.replay.result.status).toBe(204);
    // GitHub signs the body only: no warning.
    const github = await deliver(hc, PROVIDERS[1]!);
    expect((await replayApi(hc, github, { to: app.url })).body.replay.warning).toBeUndefined();

    const cli = await runCli(['replay', id, '--to', app.url, '--dir', dir]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toBe(`hook-catch: warning: ${expected}\n`);
    expect(cli.stdout).toMatch(/← 403 Forbidden/);
    await hc.close();
    // Offline, with an app that has not answered yet: the line is out before the answer.
    let hang = true;
    const slow = await twilioApp(() => (hang ? 'hang' : null));
    const offline = spawnCli(['replay', id, '--to', slow.url, '--timeout', '60s', '--dir', dir]);
    await slow.got(1);
    await offline.printed(/--resign twilio/, { stream: 'stderr' });
    offline.child.kill();
    await offline.exited;
    hang = false;
    const fixed = await runCli(['replay', id, '--to', app.url, '--resign', 'twilio', '--dir', dir], { env: token });
    expect(fixed.stderr).toBe('');
    expect(fixed.code).toBe(0);
  });

  it('a fixture signed for the URL it is replayed to verifies there, with no warning; one signed elsewhere is warned about', async () => {
    const app = await twilioApp();
    const dir = await tempDir();
    const write = async (name: string, host: string) => {
      const headers = [['Host', host], ['Content-Type', sms.contentType], ...Object.entries(await sms.sign(sms.body, `http://${host}${sms.path}`))];
      await writeFile(
        join(dir, name),
        JSON.stringify({ format: 'hook-catch/fixture@1', method: 'POST', url: sms.path, headers, bodyEncoding: 'utf8', body: sms.body }),
      );
    };
    await write('here.json', `127.0.0.1:${app.port}`);
    const here = await runCli(['replay', '--file', join(dir, 'here.json'), '--to', app.url, '--dir', dir]);
    expect(here.stderr).toBe('');
    expect(here.code).toBe(0);
    await write('elsewhere.json', 'hooks.example.test');
    const elsewhere = await runCli(['replay', '--file', join(dir, 'elsewhere.json'), '--to', app.url, '--dir', dir]);
    expect(elsewhere.stderr).toBe(
      `hook-catch: warning: ${warningFor(`http://hooks.example.test${sms.path}`, `${app.url}${sms.path}`)}add --resign twilio to sign it for that URL (on the page: Re-sign, with --verify twilio).\n`,
    );
    expect(elsewhere.code).toBe(2);
  });

  it('deliver: one line before sending, for every webhook alike; --resign twilio signs each attempt for the app and the checks pass', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    const ids = [await deliver(hc, sms), await deliver(hc, sms)];
    await hc.close();
    const app = await twilioApp();
    const run = await runCli(['deliver', ...ids, '--to', app.url, '--retries', '1', '--dir', dir]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toBe(
      `hook-catch: warning: ${warningFor(`${hc.receiverUrl}${sms.path}`, `${app.url}${sms.path}`)}add --resign twilio to sign each attempt for that URL. The same for 1 more webhook.`,
    );
    expect(lines.slice(1).every((line) => /attempt 1: 403/.test(line))).toBe(true);
    const resigned = await runCli(['deliver', ...ids, '--to', app.url, '--retries', '1', '--resign', 'twilio', '--json', '--dir', dir], { env: token });
    expect(resigned.stderr).toBe('');
    expect(resigned.code).toBe(0);
    expect(JSON.parse(resigned.stdout).ok).toBe(true);
  });

  it('forward: one warning per start, at the first such webhook, before it is forwarded', async () => {
    const app = await twilioApp();
    const stderr = new PassThrough();
    let said = '';
    stderr.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));
    const hc = await startHookCatch({ forward: app.url, output: 'json', stdout: new PassThrough(), stderr });
    // The sender gets the app's answer (403: it checked the signature at its own URL).
    const forwarded = async () => {
      const headers = { 'Content-Type': sms.contentType, ...(await sms.sign(sms.body, `${hc.receiverUrl}${sms.path}`)) };
      const reply = await send(`${hc.receiverUrl}${sms.path}`, { method: 'POST', headers, body: sms.body });
      expect(reply.status).toBe(403);
      return String(reply.headers['x-hook-catch-id']);
    };
    const first = await forwarded();
    expect(said).toBe(
      `hook-catch: warning: ${warningFor(`${hc.receiverUrl}${sms.path}`, `${app.url}${sms.path}`)}\`hook-catch replay ${first.slice(-6)} --resign twilio\` sends it signed for your app's URL (said once, for the first such webhook).\n`,
    );
    await forwarded();
    expect(app.received).toHaveLength(2);
    expect(said.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('--set-header Host is sent as given (an app behind a virtual host), and the replay is edited', () => {
  it('the app gets that Host; the record says edited and shows it; a Host that names no host is refused', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    const app = await recordingApp();
    const id = json(await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body: '{}' })).id;
    const run = await runCli(['replay', id, '--to', app.url, '--set-header', 'Host: shop.example.test', '--json', '--dir', dir]);
    expect(run.code).toBe(0);
    expect(header(await app.got(1), 'host')).toBe('shop.example.test');
    const record = JSON.parse(run.stdout);
    expect(record.edited).toBe(true);
    expect(record.sent.headers).toContainEqual(['Host', 'shop.example.test']);
    // The page sends every header back, the captured Host unchanged: the app's own Host goes, not an edit.
    const captured = json(await send(`${hc.inspectorUrl}/api/requests/${id}`)).headers;
    const page = await replayApi(hc, id, { to: app.url, headers: captured });
    expect(header(await app.got(2), 'host')).toBe(`127.0.0.1:${app.port}`);
    expect(page.body.replay.edited).toBe(false);
    const empty = await runCli(['replay', id, '--to', app.url, '--set-header', 'Host:', '--dir', dir]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe('hook-catch: Host must name a host, such as app.test or app.test:8080; got "".\n');
  });

  it('a Twilio capture replayed with the Host it was signed for verifies at the app, with no warning', async () => {
    const sms = PROVIDERS.find((p) => p.path === '/twilio/sms')!;
    const hc = await startHookCatch();
    const app = await recordingApp();
    const id = await deliver(hc, sms);
    const reply = await replayApi(hc, id, { to: app.url, setHeaders: [['Host', `127.0.0.1:${hc.receiverPort}`]] });
    expect(reply.body.replay.warning).toBeUndefined();
    const got = await app.got(1);
    expect(sms.check(got, `http://${header(got, 'host')}${got.url}`)).toBe(true);
  });
});

describe("Twilio's invalid reason names the URL as the request came", () => {
  it('over http to the receiver: http; through the public URL (its Host): https', async () => {
    const sms = PROVIDERS.find((p) => p.path === '/twilio/sms')!;
    const hc = await startHookCatch({ verify: [{ scheme: 'twilio', secret: sms.secret }], publicUrl: 'https://hooks.example.test' });
    const headers = { 'Content-Type': sms.contentType, ...(await sms.sign(sms.body, 'https://elsewhere.example.test/twilio/sms')) };
    const direct = json(await send(`${hc.receiverUrl}/twilio/sms`, { method: 'POST', headers, body: sms.body })).id;
    expect((await hc.store.get(direct))!.signature!.reason).toContain(`(checked ${hc.receiverUrl}/twilio/sms)`);
    const tunneled = json(
      await send(`${hc.receiverUrl}/twilio/sms`, { method: 'POST', headers: { ...headers, Host: 'hooks.example.test' }, body: sms.body }),
    ).id;
    expect((await hc.store.get(tunneled))!.signature!.reason).toContain('(checked https://hooks.example.test/twilio/sms)');
  });
});

describe("Paddle's 5 s: a capture replayed or delivered later needs --resign paddle, which Paddle's SDK then accepts", () => {
  const paddle = PROVIDERS.find((p) => p.scheme === 'paddle')!;
  const env = { PADDLE_NOTIFICATION_WEBHOOK_SECRET: PADDLE_SECRET };
  /** A Paddle webhook signed an hour ago (a capture replayed later), stored by `hc`: its id. */
  const deliverOld = async (hc: HookCatch) => {
    const headers = {
      'Content-Type': paddle.contentType,
      'Paddle-Signature': paddleSignature(PADDLE_SECRET, Math.floor(Date.now() / 1000) - 3600, paddle.body),
    };
    return json(await send(`${hc.receiverUrl}${paddle.path}`, { method: 'POST', headers, body: paddle.body })).id as string;
  };

  it('replay: the exact one is refused by the SDK, the re-signed one (API, and CLI offline with its variable) accepted', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir, verify: [{ scheme: 'paddle', secret: PADDLE_SECRET }] });
    const app = await recordingApp();
    const id = await deliverOld(hc);
    expect((await hc.store.get(id))!.signature).toEqual({ verdict: 'invalid', scheme: 'paddle', reason: 'timestamp 1 h old, tolerance 5 s' });
    const exact = await replayApi(hc, id, { to: app.url });
    expect(exact.body.replay.warning).toBe(
      "Paddle-Signature's timestamp 1 h old, tolerance 5 s: an app that checks it will refuse it; add --resign paddle to sign it afresh (on the page: Re-sign, with --verify paddle).",
    );
    expect(await paddle.check(await app.got(1), '')).toBe(false);
    const reply = await replayApi(hc, id, { to: app.url, resign: true });
    expect(reply.body.replay).toMatchObject({ resigned: 'paddle' });
    expect(reply.body.replay.warning).toBeUndefined();
    const resigned = await app.got(2);
    expect(header(resigned, 'paddle-signature')).toMatch(/^ts=\d+;h1=[0-9a-f]{64}$/);
    expect(await paddle.check(resigned, '')).toBe(true);
    await hc.close();
    const offline = await runCli(['replay', id, '--to', app.url, '--resign', 'paddle', '--dir', dir], { env });
    expect(offline.stderr).toBe('');
    expect(offline.code).toBe(0);
    expect(await paddle.check(await app.got(3), '')).toBe(true);
    expect(JSON.stringify(reply.body) + offline.stdout).not.toContain(PADDLE_SECRET);
  });

  it('deliver: without --resign the SDK refuses every attempt; with --resign paddle it accepts each attempt, a retry too', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    const ids = [await deliverOld(hc), await deliverOld(hc)];
    await hc.close();
    let failures = 1;
    const app = await recordingApp(() => (failures-- > 0 ? { status: 500 } : { status: 204 }));
    const plain = await runCli(['deliver', ...ids, '--to', app.url, '--retries', '2', '--backoff', '10ms', '--dir', dir]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain(
      "hook-catch: warning: Paddle-Signature's timestamp 1 h old, tolerance 5 s: an app that checks it will refuse it; add --resign paddle to sign each attempt afresh. The same for 1 more webhook.",
    );
    expect(app.received).toHaveLength(3);
    for (const got of app.received) expect(await paddle.check(got, '')).toBe(false);
    failures = 1;
    const resigned = await runCli(['deliver', ...ids, '--to', app.url, '--retries', '2', '--backoff', '10ms', '--resign', 'paddle', '--json', '--dir', dir], {
      env,
    });
    expect(resigned.stderr).toMatch(/attempt 1: 500/);
    expect(resigned.stderr).not.toContain('warning');
    expect(resigned.code).toBe(0);
    expect(JSON.parse(resigned.stdout).ok).toBe(true);
    const attempts = app.received.slice(3);
    expect(attempts).toHaveLength(3);
    for (const got of attempts) expect(await paddle.check(got, '')).toBe(true);
  });
});
