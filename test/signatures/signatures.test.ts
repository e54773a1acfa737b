import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseForm } from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';
import { Webhook as SvixWebhook } from 'svix';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { HookCatchError } from '../../src/errors.js';
import { timestampProblem } from '../../src/signatures/words.js';
import { paddleH1 } from '../helpers/paddle.js';
import { start } from '../../src/index.js';
import type { SchemeName, VerifyInput } from '../../src/capture/signature.js';
import { expectVerdictsShownAndNoSecrets, now, shortId, T, toolsFor, useHookCatch, type SentRequest, type Tools } from './harness.js';
import {
  b64,
  github,
  githubSha1,
  hmacSha1,
  hmacSha256,
  paddle,
  PROVIDERS,
  sha1Hex,
  shopify,
  slack,
  standardWebhooks,
  stripe,
  stripeSdk,
  svix,
  twilioForm,
  twilioJson,
  type Provider,
} from './providers.js';

// Each scheme end to end: a webhook signed by the provider's own library (where it has one) is
// sent to a real hook-catch, whose verdict is read from the store. Every delivery is also given to
// the provider's own verification, which must agree with hook-catch's valid / invalid.
// The providers (how each signs and checks) are in providers.ts, what the tests run on in harness.ts.

const NINE_MIN = 9 * 60;
const HEADERS_MISSING = 'no signature header of a known scheme';
const FALLBACK = 'signed with another secret, or the body differs from what was signed';

/** Changes one byte of a body: its last digit (inside a value, so the JSON stays JSON and the form a form). */
function changeOneByte(body: string): string {
  const at = body.search(/\d(?=[^\d]*$)/);
  const bytes = Buffer.from(body);
  bytes[Buffer.byteLength(body.slice(0, at))] = body[at] === '7' ? 0x38 : 0x37;
  return bytes.toString('utf8');
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

    it(
      `a payload signed by the provider's library is valid (${p.scheme})`,
      async () => {
        const { signature } = await deliver(await signed(hooks, 1));
        expect(signature).toEqual({ verdict: 'valid', scheme: p.scheme, ...(p.validNote && { reason: p.validNote }) });
      },
      T,
    );

    it(
      'with only a secret given, the scheme is found from the headers (detected)',
      async () => {
        const { signature } = await deliver(await signed(auto, 2));
        expect(signature).toEqual({ verdict: 'valid', scheme: p.scheme, detected: true, ...(p.validNote && { reason: p.validNote }) });
        // Nothing that shows a scheme: unchecked, not invalid.
        const bare = await h.deliver(auto, p.body(3), {}, p.contentType);
        expect(bare.signature).toMatchObject({ verdict: 'unchecked', scheme: null });
        expect(bare.signature!.reason).toContain(HEADERS_MISSING);
      },
      T,
    );

    it(
      'a wrong secret gets the combined reason (an HMAC cannot tell a secret from a body)',
      async () => {
        const request = await signed(hooks, 4, { secret: p.wrongSecret });
        const { signature } = await deliver(request);
        expect(signature).toMatchObject({ verdict: 'invalid', scheme: p.scheme });
        expect(signature!.reason).toContain('signed with another secret');
        expect(signature!.reason).toBe(fallback(request));
        // The same on the auto path, where the scheme was found from the headers.
        const detected = await deliver(await signed(auto, 5, { secret: p.wrongSecret }));
        expect(detected.signature).toMatchObject({ verdict: 'invalid', scheme: p.scheme, detected: true });
        expect(detected.signature!.reason).toContain('signed with another secret');
      },
      T,
    );

    it(
      "the secret of another path's rule is named (never shown)",
      async () => {
        const { signature } = await deliver(await signed(hooks, 6, { secret: p.otherSecret }));
        const header = p.rule?.header ? ` in ${p.rule.header}` : '';
        expect(signature).toEqual({
          verdict: 'invalid',
          scheme: p.scheme,
          reason: `signed with another secret: the one given for ${p.scheme}${header} on /other/${p.key}`,
        });
      },
      T,
    );

    it(
      'one changed byte after the valid delivery, with the same signature: the body differs',
      async () => {
        const request = await signed(hooks, 7);
        const first = await deliver(request);
        expect(first.signature!.verdict).toBe('valid');
        const changed = changeOneByte(request.body);
        expect(Buffer.byteLength(changed)).toBe(Buffer.byteLength(request.body));
        const { signature } = await deliver(request, { body: changed });
        expect(signature).toMatchObject({ verdict: 'invalid', scheme: p.scheme });
        expect(signature!.reason).toMatch(/^body differs from what was signed/);
        if (!p.changedAlone)
          expect(signature!.reason).toBe(`body differs from what was signed: capture ${shortId(first.id)} came with the same signature and verifies`);
      },
      T,
    );

    it(
      'one changed byte with nothing to compare: the combined reason',
      async () => {
        const request = await signed(hooks, 8);
        const { signature } = await deliver(request, { body: changeOneByte(request.body) });
        expect(signature).toMatchObject({ verdict: 'invalid', scheme: p.scheme });
        expect(signature!.reason).toBe(p.changedAlone ?? fallback(request));
      },
      T,
    );

    if (p.json && !p.changedAlone) {
      it(
        'a JSON body written another way on the way: it was signed as compact JSON',
        async () => {
          const request = await signed(hooks, 9);
          const pretty = JSON.stringify(JSON.parse(request.body), null, 2);
          const { signature } = await deliver(request, { body: pretty });
          expect(signature).toEqual({
            verdict: 'invalid',
            scheme: p.scheme,
            reason: 'body differs from what was signed: it was signed as compact JSON, so something on the way re-wrote it',
          });
        },
        T,
      );
    }

    if (p.timestamps) {
      it(
        'a stale timestamp: its age and the tolerance',
        async () => {
          const tolerance = p.tolerance ?? '5 min';
          const { signature } = await deliver(await signed(hooks, 10, { at: now() - NINE_MIN }));
          expect(signature).toEqual({ verdict: 'invalid', scheme: p.scheme, reason: `timestamp 9 min old, tolerance ${tolerance}` });
          // Stale and signed with another secret: both said.
          const both = await deliver(await signed(hooks, 11, { at: now() - NINE_MIN, secret: p.wrongSecret }));
          expect(both.signature!.reason).toBe(`${FALLBACK}; the timestamp 9 min old, tolerance ${tolerance}`);
        },
        T,
      );
    }

    it(
      'a missing signature header is named',
      async () => {
        const { signature } = await deliver(await signed(hooks, 12), { drop: p.signatureHeaders });
        expect(signature).toEqual({ verdict: 'invalid', scheme: p.scheme, reason: `signature header missing (${p.missing})` });
      },
      T,
    );

    it(
      'a malformed signature header says what is wrong with it',
      async () => {
        const { signature } = await deliver(await signed(hooks, 13), { headers: p.malformed.headers });
        expect(signature).toEqual({ verdict: 'invalid', scheme: p.scheme, reason: p.malformed.reason });
      },
      T,
    );

    extra?.({ h, hooks, auto, signed, deliver });

    it(
      'the verdicts show in the store, the API and the terminal; no secret appears in any of them',
      async () => {
        await expectVerdictsShownAndNoSecrets(h, [p.secret, p.otherSecret, ...secrets], 'pretty');
      },
      T,
    );
  });
}

describeScheme(stripe, {
  rules: [{ scheme: 'stripe', secret: stripe.secret, path: '/lenient/stripe', toleranceSeconds: 15 * 60 }],
  extra: ({ h, hooks, signed, deliver }) => {
    it(
      'a timestamp 9 min in the future is valid, as stripe-node accepts it (only an old one fails)',
      async () => {
        const { signature } = await deliver(await signed(hooks, 30, { at: now() + NINE_MIN }));
        expect(signature).toEqual({ verdict: 'valid', scheme: 'stripe' });
      },
      T,
    );

    it(
      'a header with a v1 for each secret being rolled (and a v0) is valid when one of them matches',
      async () => {
        const at = now();
        const request = await signed(hooks, 20, { at });
        const rolled = stripeSdk.webhooks.generateTestHeaderString({ payload: request.body, secret: stripe.otherSecret, timestamp: at });
        const v1 = (header: string) => header.split(',').find((part) => part.startsWith('v1='))!;
        const header = `t=${at},${v1(rolled)},${v1(request.headers['Stripe-Signature']!)},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39`;
        const { signature } = await deliver(request, { headers: { 'Stripe-Signature': header } });
        expect(signature).toEqual({ verdict: 'valid', scheme: 'stripe' });
      },
      T,
    );

    it(
      'a rule with a longer tolerance takes a 9 min old timestamp (as constructEvent with that tolerance does)',
      async () => {
        const request = await signed('/lenient/stripe', 21, { at: now() - NINE_MIN });
        const header = request.headers['Stripe-Signature']!;
        expect(() => stripeSdk.webhooks.constructEvent(request.body, header, stripe.secret, 15 * 60)).not.toThrow();
        const { signature } = await h.deliver(request.target, request.body, request.headers, stripe.contentType);
        expect(signature).toEqual({ verdict: 'valid', scheme: 'stripe' });
      },
      T,
    );
  },
});

describeScheme(github, {
  extra: ({ hooks, signed, deliver }) => {
    it(
      'with both headers, X-Hub-Signature-256 is the one checked (a stale SHA-1 next to it does not matter)',
      async () => {
        const request = await signed(hooks, 20);
        const both = await deliver(request, { headers: { 'X-Hub-Signature': sha1Hex(github.secret, request.body) } });
        expect(both.signature).toEqual({ verdict: 'valid', scheme: 'github' });
        const request2 = await signed(hooks, 21);
        const wrongSha1 = await deliver(request2, { headers: { 'X-Hub-Signature': sha1Hex(github.wrongSecret, request2.body) } });
        expect(wrongSha1.signature).toEqual({ verdict: 'valid', scheme: 'github' });
      },
      T,
    );
  },
});

describeScheme(githubSha1);

describeScheme(standardWebhooks, {
  extra: ({ hooks, signed, deliver }) => {
    it(
      'a timestamp 9 min in the future is refused, as the library refuses it',
      async () => {
        const { signature } = await deliver(await signed(hooks, 20, { at: now() + NINE_MIN }));
        expect(signature).toEqual({ verdict: 'invalid', scheme: 'standard-webhooks', reason: 'timestamp 9 min in the future, tolerance 5 min' });
      },
      T,
    );

    it(
      'a missing webhook-id or webhook-timestamp is named; a timestamp that is not a number is malformed',
      async () => {
        const noId = await deliver(await signed(hooks, 21), { drop: ['webhook-id'] });
        expect(noId.signature).toEqual({ verdict: 'invalid', scheme: 'standard-webhooks', reason: 'signature header missing (webhook-id)' });
        const noTs = await deliver(await signed(hooks, 22), { drop: ['webhook-timestamp'] });
        expect(noTs.signature).toEqual({ verdict: 'invalid', scheme: 'standard-webhooks', reason: 'signature header missing (webhook-timestamp)' });
        const badTs = await deliver(await signed(hooks, 23), { headers: { 'webhook-timestamp': '2024-01-01T00:00:00Z' } });
        expect(badTs.signature).toEqual({ verdict: 'invalid', scheme: 'standard-webhooks', reason: 'webhook-timestamp is not a unix time in seconds' });
      },
      T,
    );
  },
});

const SVIX_RAW = b64('svix key given without its whsec_ prefix');
describeScheme(svix, {
  rules: [{ scheme: 'svix', secret: SVIX_RAW, path: '/raw/svix' }],
  secrets: [SVIX_RAW],
  extra: ({ h, hooks, signed, deliver }) => {
    it(
      'several signatures in one header: valid wherever the matching one is, other versions ignored',
      async () => {
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
      },
      T,
    );

    it(
      'the same key given without whsec_ (base64 only) verifies the same signatures',
      async () => {
        const request = await signed('/raw/svix', 26, { secret: `whsec_${SVIX_RAW}` });
        const { signature } = await h.deliver(request.target, request.body, request.headers, svix.contentType);
        expect(signature).toEqual({ verdict: 'valid', scheme: 'svix' });
        expect(() => new SvixWebhook(SVIX_RAW).verify(request.body, request.headers)).not.toThrow();
      },
      T,
    );

    it(
      'a timestamp 9 min in the future is refused, as the library refuses it',
      async () => {
        const { signature } = await deliver(await signed(hooks, 27, { at: now() + NINE_MIN }));
        expect(signature).toEqual({ verdict: 'invalid', scheme: 'svix', reason: 'timestamp 9 min in the future, tolerance 5 min' });
      },
      T,
    );

    it(
      "Svix's unbranded headers (webhook-id, webhook-timestamp, webhook-signature) are read, as the svix library reads them",
      async () => {
        const request = await signed(hooks, 29);
        const unbranded = Object.fromEntries(Object.entries(request.headers).map(([n, v]) => [n.replace(/^svix-/, 'webhook-'), v]));
        expect(Object.keys(unbranded)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
        const { signature } = await deliver({ ...request, headers: unbranded });
        expect(signature).toEqual({ verdict: 'valid', scheme: 'svix' });
        const wrong = await signed(hooks, 30, { secret: svix.wrongSecret });
        const refused = await deliver({
          ...wrong,
          headers: Object.fromEntries(Object.entries(wrong.headers).map(([n, v]) => [n.replace(/^svix-/, 'webhook-'), v])),
        });
        expect(refused.signature).toEqual({ verdict: 'invalid', scheme: 'svix', reason: FALLBACK });
      },
      T,
    );

    it(
      'a missing svix-id is named',
      async () => {
        const { signature } = await deliver(await signed(hooks, 28), { drop: ['svix-id'] });
        expect(signature).toEqual({ verdict: 'invalid', scheme: 'svix', reason: 'signature header missing (svix-id)' });
      },
      T,
    );
  },
});

describeScheme(slack, {
  extra: ({ h, hooks, signed, deliver }) => {
    it(
      'a timestamp 9 min in the future is valid, as Bolt accepts it (only an old one fails)',
      async () => {
        const { signature } = await deliver(await signed(hooks, 30, { at: now() + NINE_MIN }));
        expect(signature).toEqual({ verdict: 'valid', scheme: 'slack' });
      },
      T,
    );

    it(
      'a missing X-Slack-Request-Timestamp is named; one that is not a number is malformed',
      async () => {
        const noTs = await deliver(await signed(hooks, 20), { drop: ['X-Slack-Request-Timestamp'] });
        expect(noTs.signature).toEqual({ verdict: 'invalid', scheme: 'slack', reason: 'signature header missing (X-Slack-Request-Timestamp)' });
        const badTs = await deliver(await signed(hooks, 21), { headers: { 'X-Slack-Request-Timestamp': 'yesterday' } });
        expect(badTs.signature).toEqual({ verdict: 'invalid', scheme: 'slack', reason: 'X-Slack-Request-Timestamp is not a unix time in seconds' });
      },
      T,
    );

    it(
      'a slash command (a form body) is valid, as Bolt finds it',
      async () => {
        const body =
          'token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&command=%2Fdeploy&text=prod+%E2%9C%93&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1';
        const request = await signed(hooks, 22, { body });
        const headers = {
          'x-slack-signature': request.headers['X-Slack-Signature']!,
          'x-slack-request-timestamp': Number(request.headers['X-Slack-Request-Timestamp']),
        };
        expect(isValidSlackRequest({ signingSecret: slack.secret, body, headers })).toBe(true);
        const { signature } = await h.deliver(request.target, body, request.headers, 'application/x-www-form-urlencoded');
        expect(signature).toEqual({ verdict: 'valid', scheme: 'slack' });
      },
      T,
    );
  },
});

describeScheme(shopify);

const TUNNEL_HOST = 'hook-catch-test.ngrok-free.app';
describeScheme(twilioForm, {
  extra: ({ h, hooks, signed, deliver }) => {
    it(
      'signed for the https URL of the Host it came to (as behind TLS): valid',
      async () => {
        const https = h.hc.receiverUrl.replace(/^http:/, 'https:');
        const { signature } = await deliver(await signed(hooks, 20, { url: https }));
        expect(signature).toEqual({ verdict: 'valid', scheme: 'twilio' });
      },
      T,
    );

    it(
      'through a tunnel: the X-Forwarded-Host and -Proto URL, with or without :443',
      async () => {
        const forwarded = { 'X-Forwarded-Host': TUNNEL_HOST, 'X-Forwarded-Proto': 'https' };
        for (const [n, url] of [`https://${TUNNEL_HOST}`, `https://${TUNNEL_HOST}:443`].entries()) {
          const request = await signed(hooks, 21 + n, { url });
          const { signature } = await deliver(request, { headers: forwarded });
          expect(signature, url).toEqual({ verdict: 'valid', scheme: 'twilio' });
        }
      },
      T,
    );

    it(
      "signed for the URL as new URL() writes it (' as %27), arriving as written: valid, as twilio.validateRequest finds",
      async () => {
        const target = `${hooks}?caller=O'Brien&x=(1)`;
        const body = twilioForm.body(24);
        const escaped = new URL(`${h.hc.receiverUrl}${target}`).href;
        expect(escaped).toContain('O%27Brien');
        const headers = { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(twilioForm.secret, escaped, parseForm(body) as Record<string, string>) };
        expect(
          twilio.validateRequest(twilioForm.secret, headers['X-Twilio-Signature'], `${h.hc.receiverUrl}${target}`, parseForm(body) as Record<string, string>),
        ).toBe(true);
        const { signature } = await h.deliverRaw(target, body, headers, twilioForm.contentType);
        expect(signature).toEqual({ verdict: 'valid', scheme: 'twilio' });
      },
      T,
    );

    it(
      'signed for the URL without the port the Host header names: valid, as twilio.validateRequest finds',
      async () => {
        const request = await signed(hooks, 25, { url: `http://127.0.0.1` });
        const { signature } = await deliver({ ...request, ctx: { ...request.ctx, url: `${h.hc.receiverUrl}${request.target}` } });
        expect(signature).toEqual({ verdict: 'valid', scheme: 'twilio' });
      },
      T,
    );

    it(
      'the right token but another URL: the reason names the URL it checked',
      async () => {
        const request = await signed(hooks, 23, { url: 'https://example.com' });
        // The library, given the URL the request really came to, refuses it too.
        const { signature } = await deliver({ ...request, ctx: { ...request.ctx, url: `${h.hc.receiverUrl}${request.target}` } });
        expect(signature).toEqual({
          verdict: 'invalid',
          scheme: 'twilio',
          reason: `signed with another secret, or for another URL (checked ${h.hc.receiverUrl}${request.target}), or the body differs from what was signed`,
        });
      },
      T,
    );
  },
});

describeScheme(twilioJson);

describeScheme(paddle, {
  rules: [{ scheme: 'paddle', secret: paddle.secret, path: '/lenient/paddle', toleranceSeconds: 15 * 60 }],
  extra: ({ h, hooks, auto, signed, deliver }) => {
    it(
      "Paddle's SDK's 5 s by default, judged at arrival: 8 s old is refused with its age, as the SDK refuses it then; on the auto path too",
      async () => {
        for (const path of [hooks, auto]) {
          const at = now() - 8;
          const { signature, receivedAt } = await deliver(await signed(path, path === hooks ? 20 : 21, { at }));
          const age = Math.round(receivedAt / 1000 - at);
          expect(age).toBeGreaterThanOrEqual(8);
          expect(signature).toEqual({
            verdict: 'invalid',
            scheme: 'paddle',
            ...(path === auto && { detected: true }),
            reason: `timestamp ${age} s old, tolerance 5 s`,
          });
        }
      },
      T,
    );

    it(
      'a timestamp 9 min in the future is valid, as the SDK accepts it (only an old one fails)',
      async () => {
        const { signature } = await deliver(await signed(hooks, 22, { at: now() + NINE_MIN }));
        expect(signature).toEqual({ verdict: 'valid', scheme: 'paddle' });
      },
      T,
    );

    it(
      'a rule with a tolerance given takes a 9 min old timestamp',
      async () => {
        const request = await signed('/lenient/paddle', 23, { at: now() - NINE_MIN });
        const { signature } = await h.deliver(request.target, request.body, request.headers, paddle.contentType);
        expect(signature).toEqual({ verdict: 'valid', scheme: 'paddle' });
      },
      T,
    );

    it(
      'several h1 while a secret is rotated: valid when any of them matches',
      async () => {
        const at = now();
        const request = await signed(hooks, 24, { at });
        const mine = paddleH1(paddle.secret, at, request.body);
        const old = paddleH1(paddle.wrongSecret, at, request.body);
        // The SDK reads the last h1 only: it agrees where that is the one that matches.
        const last = await deliver(request, { headers: { 'Paddle-Signature': `ts=${at};h1=${old};h1=${mine}` } });
        expect(last.signature).toEqual({ verdict: 'valid', scheme: 'paddle' });
        const first = await h.deliver(request.target, request.body, { 'Paddle-Signature': `ts=${at};h1=${mine};h1=${old}` }, paddle.contentType);
        expect(first.signature).toEqual({ verdict: 'valid', scheme: 'paddle' });
        const neither = await deliver(request, { headers: { 'Paddle-Signature': `ts=${at};h1=${old};h1=${old}` } });
        expect(neither.signature).toEqual({ verdict: 'invalid', scheme: 'paddle', reason: FALLBACK });
      },
      T,
    );

    it(
      'a header without h1, with a ts that is no number, or an h1 that is not hex says what is wrong; the SDK refuses each',
      async () => {
        const at = now();
        const cases: [string, string][] = [
          [`ts=${at}`, 'Paddle-Signature has no h1= signature'],
          [`ts=${at};h2=${'0'.repeat(64)}`, 'Paddle-Signature has no h1= signature'],
          [`ts=yesterday;h1=${'0'.repeat(64)}`, 'Paddle-Signature ts= is not a unix time in seconds'],
          [`ts=${at};h1=not-hex`, 'Paddle-Signature h1= is not 64 hex digits'],
        ];
        for (const [n, [header, reason]] of cases.entries()) {
          const { signature } = await deliver(await signed(hooks, 25 + n, { at }), { headers: { 'Paddle-Signature': header } });
          expect(signature, header).toEqual({ verdict: 'invalid', scheme: 'paddle', reason });
        }
      },
      T,
    );

    it('an age just past a tolerance of seconds is said to the millisecond (5 s old would read as within 5 s)', () => {
      expect(timestampProblem(1_700_000_000, 1_700_000_005_400, 5, true)).toBe('timestamp 5.4 s old, tolerance 5 s');
      expect(timestampProblem(1_700_000_000, 1_700_000_006_000, 5, true)).toBe('timestamp 6 s old, tolerance 5 s');
      expect(timestampProblem(1_700_000_000, 1_700_000_005_000, 5, true)).toBeNull();
    });
  },
});

describeScheme(hmacSha256, {
  rules: [{ secret: hmacSha256.secret, header: 'X-Acme-Signature', path: '/named/hmac256' }],
  extra: ({ h, hooks, signed }) => {
    it(
      'a sha256= prefix and a base64 digest are read too',
      async () => {
        // Forms providers use besides bare hex (the reference above compares bare hex, so these are sent as they are).
        const request = await signed(hooks, 20);
        const digest = createHmac('sha256', hmacSha256.secret).update(request.body).digest();
        for (const value of [
          `sha256=${digest.toString('hex')}`,
          `SHA256=${digest.toString('hex').toUpperCase()}`,
          digest.toString('base64'),
          digest.toString('base64url'),
        ]) {
          const { signature } = await h.deliver(request.target, request.body, { 'X-Acme-Signature': value }, hmacSha256.contentType);
          expect(signature, value).toEqual({ verdict: 'valid', scheme: 'hmac-sha256' });
        }
      },
      T,
    );

    it(
      'only a secret and the header name given: the scheme is found from the value',
      async () => {
        const request = await signed('/named/hmac256', 21);
        const { signature } = await h.deliver(request.target, request.body, request.headers, hmacSha256.contentType);
        expect(signature).toEqual({ verdict: 'valid', scheme: 'hmac-sha256', detected: true });
      },
      T,
    );
  },
});

describeScheme(hmacSha1);

describe('every scheme at once, with JSON lines on the terminal', () => {
  // Each scheme on a path of its own; elsewhere, two bare secrets (the scheme found from the headers).
  const verify: VerifyInput[] = [
    ...PROVIDERS.map((p) => ({ scheme: p.scheme, secret: p.secret, path: `/all/${p.key}`, ...p.rule })),
    { secret: stripe.secret },
    { secret: svix.secret },
  ];
  const h = useHookCatch(verify, 'json');

  it(
    "two bare secrets for every path, the first not base64 (Stripe's): a Svix delivery verifies with the second",
    async () => {
      const { signed, deliver } = toolsFor(h, svix);
      const good = await deliver(await signed('/elsewhere/svix', 32));
      expect(good.signature).toEqual({ verdict: 'valid', scheme: 'svix', detected: true, reason: 'with the 2nd of the secrets given' });
      const bad = await deliver(await signed('/elsewhere/svix', 33, { secret: svix.wrongSecret }));
      expect(bad.signature).toEqual({ verdict: 'invalid', scheme: 'svix', detected: true, reason: FALLBACK });
      // And a Stripe delivery with the first.
      const stripeTools = toolsFor(h, stripe);
      const first = await stripeTools.deliver(await stripeTools.signed('/elsewhere/stripe', 34));
      expect(first.signature).toEqual({ verdict: 'valid', scheme: 'stripe', detected: true, reason: 'with the 1st of the secrets given' });
    },
    T,
  );

  it.each(PROVIDERS.map((p) => [p.key, p] as const))(
    '%s: valid with its secret, invalid with another, each on its own path',
    async (_key, p) => {
      const { signed, deliver } = toolsFor(h, p);
      const good = await deliver(await signed(`/all/${p.key}`, 30));
      expect(good.signature).toMatchObject({ verdict: 'valid', scheme: p.scheme });
      const bad = await deliver(await signed(`/all/${p.key}`, 31, { secret: p.wrongSecret }));
      expect(bad.signature).toMatchObject({ verdict: 'invalid', scheme: p.scheme });
      expect(bad.signature!.reason).toContain('signed with another secret');
    },
    T,
  );

  it(
    'the verdicts are in the JSON lines, the store and the API; no secret in any of them',
    async () => {
      await expectVerdictsShownAndNoSecrets(
        h,
        PROVIDERS.map((p) => p.secret),
        'json',
      );
    },
    T,
  );
});

describe('a bad verify option', () => {
  const cases: [string, VerifyInput, RegExp][] = [
    ['an unknown scheme', { scheme: 'paypal' as SchemeName, secret: 'Zq9Xy7Qw3Lm-Pp0Oo' }, /^Unknown signature scheme "paypal": use one of stripe, github, /],
    ['a Svix secret that is not base64', { scheme: 'svix', secret: 'whsec_!!Kf8Jd6Hs4*Gq2!!' }, /^--verify svix: a Svix secret is whsec_ followed by base64/],
    ['a Svix secret with no key at all', { scheme: 'svix', secret: 'Wm1Nb2Vc3 Xz4 Lk5' }, /^--verify svix: a Svix secret is whsec_ followed by base64/],
    [
      'a Standard Webhooks secret that is not base64',
      { scheme: 'standard-webhooks', secret: 'whsec_Rt5Yu7$Io9%Pa1' },
      /^--verify standard-webhooks: a Standard Webhooks secret is whsec_ followed by base64/,
    ],
  ];
  it.each(cases)(
    '%s: start() throws one line of HookCatchError without the secret',
    async (_what, rule, message) => {
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
    },
    T,
  );
});
