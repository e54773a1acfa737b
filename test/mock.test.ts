import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { SubmitStep } from '../src/index.js';
import { json, later, send } from './helpers/index.js';
import { header, mock, nextEvent, poll, submit } from './helpers/mock.js';
import { recordingApp } from './helpers/recording-app.js';
import { LIVE_SUBMIT_BODY, RECORDED_ID, transcribeScenario } from './helpers/scenario.js';

// The provider double, through the library: a real mock on port 0, a real local "app" that submits,
// polls and receives the webhooks. Nothing dials out; nothing sleeps (events are awaited).

describe('mockProvider: a submit, its polls and its webhooks', () => {
  it('gives a fresh job id of the same form, in the answer, its Location, the polls and the webhooks; all else byte-exact', { timeout: 30_000 }, async () => {
    const app = await recordingApp();
    const provider = await mock({ scenarios: [transcribeScenario()], speed: Infinity });
    const { reply, id } = await submit(provider, `${app.url}/hooks/transcribe?tenant=7`);
    expect(reply.status).toBe(201);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(id).not.toBe(RECORDED_ID);
    expect(reply.body.toString()).toBe(`{"jobId":"${id}"}`);
    expect(reply.headers.location).toBe(`/ai/status/v1/jobs/${id}`);
    expect(reply.headers['transfer-encoding']).toBeUndefined();
    const summary = await provider.done();
    const [progress, final] = app.received;
    expect(app.received).toHaveLength(2);
    expect(progress!.url).toBe('/hooks/transcribe?tenant=7');
    expect(progress!.body.toString()).toBe(`{"jobId":"${id}","status":"InProgress","progress":50}`);
    expect(final!.body.toString('utf8')).toBe(`{"jobId":"${id}","status":"Success","text":"h\u00e9llo w\u00f6rld"}`);
    // Recorded headers in order and case, the id replaced; Host and Content-Length for what is sent; the recorded Connection
    // left out (node's keep-alive one comes last).
    expect(final!.headers.map(([name]) => name).filter((name) => name !== 'Connection')).toEqual(['Host', 'Content-Type', 'Content-Length', 'X-Provider-Job']);
    expect(header(final!, 'Connection')).toEqual(['keep-alive']);
    expect(header(final!, 'Host')).toEqual([`127.0.0.1:${app.port}`]);
    expect(header(final!, 'Content-Length')).toEqual([String(final!.body.length)]);
    expect(header(final!, 'X-Provider-Job')).toEqual([id]);
    const polled = await poll(provider, id);
    expect(polled.body.toString()).toBe(`{"jobId":"${id}","status":"Success"}`);
    expect(polled.headers['x-job']).toBe(id);
    expect(polled.headers['content-length']).toBe(String(polled.body.length));
    expect(summary.jobs).toEqual([expect.objectContaining({ recordedId: RECORDED_ID, id, scenario: 'scenario 1', settled: true })]);
    expect(summary.webhooks).toEqual({ sent: 2, acknowledged: 2, givenUp: 0, notSent: 0 });
  });

  it('keeps a prefix and the alphabet of an id that is not a UUID', { timeout: 30_000 }, async () => {
    const app = await recordingApp();
    const provider = await mock({ scenarios: [transcribeScenario({ id: 'job_9f3a0c71be' })], speed: Infinity });
    const { id } = await submit(provider, app.url);
    expect(id).toMatch(/^job_[0-9a-f]{10}$/);
    expect(id).not.toBe('job_9f3a0c71be');
    await provider.done();
    expect(app.received.map((r) => JSON.parse(r.body.toString()).jobId)).toEqual([id, id]);
  });

  it('answers a poll with the in-progress answer before the final webhook went out, the final one after', { timeout: 30_000 }, async () => {
    const app = await recordingApp();
    // Real time (1x): the final webhook is a minute away, so the polls come before it.
    const slow = await mock({ scenarios: [transcribeScenario({ webhooks: [{ atMs: 60_000, body: `{"jobId":"${RECORDED_ID}","status":"Success"}` }] })] });
    const early = await submit(slow, app.url);
    expect(json(await poll(slow, early.id)).status).toBe('InProgress');
    await slow.close();
    await slow.close(); // idempotent
    expect(slow.summary().jobs[0]!.sends).toEqual([expect.objectContaining({ attempts: [], notSent: 'stopped' })]);
    expect(app.received).toHaveLength(0);
    // Instant: the app polls as each webhook comes; the final answer once the final webhook went out.
    const fast = await mock({ scenarios: [transcribeScenario()], speed: Infinity });
    const { id } = await submit(fast, app.url);
    await fast.done();
    expect(json(await poll(fast, id))).toEqual({ jobId: id, status: 'Success' });
    expect(fast.summary().polls).toBe(1);
  });

  it('at --speed instant sends the webhooks in the recorded order, duplicates and disorder as recorded', { timeout: 30_000 }, async () => {
    const app = await recordingApp();
    const body = (n: number, status: string) => `{"jobId":"${RECORDED_ID}","seq":${n},"status":"${status}"}`;
    const webhooks = [
      { atMs: 900, body: body(2, 'Success'), status: 'completed' as const },
      { atMs: 1000, body: body(1, 'InProgress'), status: 'in_progress' as const },
      { atMs: 1100, body: body(2, 'Success'), duplicate: true },
      { atMs: 1200, body: body(3, 'Success') },
    ];
    const provider = await mock({ scenarios: [transcribeScenario({ webhooks })], speed: Infinity });
    await submit(provider, app.url);
    const summary = await provider.done();
    expect(app.received.map((r) => JSON.parse(r.body.toString()).seq)).toEqual([2, 1, 2, 3]);
    // The next webhook waits for the app's answer to the one before: a slow app never has two at once.
    let inFlight = 0;
    let most = 0;
    const slow = createServer((req, res) => {
      most = Math.max(most, ++inFlight);
      req.resume();
      req.on('end', () => setTimeout(() => (inFlight--, res.end('ok')), 20));
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    later(() => new Promise((resolve) => slow.close(resolve)));
    const again = await mock({ scenarios: [transcribeScenario({ webhooks })], speed: Infinity });
    await submit(again, `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`);
    await again.done();
    expect(most).toBe(1);
    expect(summary.jobs[0]!.sends.map((s) => s.duplicate)).toEqual([false, false, true, false]);
  });
});

describe('mockProvider: signatures, retries, many jobs', () => {
  const whsec = `whsec_${Buffer.from('a signing key of thirty-two b!!!').toString('base64')}`;
  const signed = (scheme: string, headers: [string, string][]) =>
    transcribeScenario({
      webhooks: [
        {
          atMs: 10,
          body: `{"id":"evt_1","object":"event","data":{"jobId":"${RECORDED_ID}"}}`,
          scheme,
          headers: [['Content-Type', 'application/json'], ...headers],
        },
      ],
    });

  it('signs each webhook again (Standard Webhooks, checked by its own library); a redacted signature is never sent', { timeout: 30_000 }, async () => {
    const { Webhook } = await import('standardwebhooks');
    const scenario = signed('standard-webhooks', [
      ['webhook-id', 'msg_2a'],
      ['webhook-timestamp', '1764583200'],
      ['webhook-signature', '[redacted]'],
    ]);
    const app = await recordingApp();
    // Without a secret: the redacted signature header is left out, the rest goes as recorded.
    const plain = await mock({ scenarios: [scenario], speed: Infinity });
    await submit(plain, app.url);
    await plain.done();
    expect(header(app.received[0]!, 'webhook-signature')).toEqual([]);
    expect(header(app.received[0]!, 'webhook-id')).toEqual(['msg_2a']);
    // With --resign (the scheme named by the recording): fresh headers the provider's library accepts.
    const resigning = await mock({ scenarios: [scenario], speed: Infinity, resign: { secret: whsec } });
    const { id } = await submit(resigning, app.url);
    await resigning.done();
    const got = app.received[1]!;
    const headers = Object.fromEntries(got.headers.map(([n, v]) => [n.toLowerCase(), v]));
    expect(() => new Webhook(whsec).verify(got.body.toString(), headers)).not.toThrow();
    expect(JSON.parse(got.body.toString()).data.jobId).toBe(id);
  });

  it('signs each webhook again for Stripe (checked by constructEvent)', { timeout: 30_000 }, async () => {
    const { default: Stripe } = await import('stripe');
    const app = await recordingApp();
    const scenario = signed('stripe', [['Stripe-Signature', '[redacted]']]);
    const provider = await mock({ scenarios: [scenario], speed: Infinity, resign: { scheme: 'stripe', secret: 'whsec_test_secret' } });
    const { id } = await submit(provider, app.url);
    await provider.done();
    const got = app.received[0]!;
    const event = new Stripe('sk_test_not_used').webhooks.constructEvent(got.body.toString(), header(got, 'Stripe-Signature')[0]!, 'whsec_test_secret');
    expect((event.data as unknown as { jobId: string }).jobId).toBe(id);
  });

  it("signs each webhook again for Paddle under the recorded scheme (checked by its SDK's unmarshal)", { timeout: 30_000 }, async () => {
    const { paddleUnmarshal } = await import('./helpers/paddle.js');
    const secret = 'pdl_ntfset_01hv8wptq8987qeep44cyrewp9_mockTestKey3Lm0';
    const app = await recordingApp();
    const provider = await mock({ scenarios: [signed('paddle', [['Paddle-Signature', '[redacted]']])], speed: Infinity, resign: { secret } });
    const { id } = await submit(provider, app.url);
    await provider.done();
    const got = app.received[0]!;
    expect(header(got, 'Paddle-Signature')[0]).toMatch(/^ts=\d+;h1=[0-9a-f]{64}$/);
    await expect(paddleUnmarshal(got.body.toString(), header(got, 'Paddle-Signature')[0]!, secret)).resolves.toBeDefined();
    expect(JSON.parse(got.body.toString()).data.jobId).toBe(id);
  });

  it('retries a webhook the app did not acknowledge: the provider schedule after the recorded retries, or --retries/--backoff', {
    timeout: 30_000,
  }, async () => {
    let failures = 2;
    const app = await recordingApp(() => (failures-- > 0 ? { status: 500 } : { status: 200 }));
    const provider = await mock({ scenarios: [transcribeScenario()], speed: Infinity });
    await submit(provider, app.url);
    const summary = await provider.done();
    expect(summary.jobs[0]!.sends.map((s) => s.attempts.map((a) => a.status))).toEqual([[500, 500, 200], [200]]);
    expect(summary.webhooks).toEqual({ sent: 2, acknowledged: 2, givenUp: 0, notSent: 0 });
    // An app that never acknowledges: given up after --retries attempts in all.
    const down = await recordingApp(() => ({ status: 503 }));
    const strict = await mock({ scenarios: [transcribeScenario()], speed: Infinity, retries: 2, backoffMs: [1000] });
    await submit(strict, down.url);
    const given = await strict.done();
    expect(given.jobs[0]!.sends.map((s) => s.attempts.length)).toEqual([2, 2]);
    expect(given.webhooks).toEqual({ sent: 2, acknowledged: 0, givenUp: 2, notSent: 0 });
  });

  it('plays a recorded retry as recorded, and not at all when the app acknowledged the first attempt', { timeout: 30_000 }, async () => {
    const body = `{"jobId":"${RECORDED_ID}","status":"Success"}`;
    const webhooks = [
      { atMs: 100, body },
      { atMs: 200, body, attempt: 2 },
    ];
    let first = true;
    const app = await recordingApp(() => (first ? ((first = false), { status: 502 }) : { status: 200 }));
    const provider = await mock({ scenarios: [transcribeScenario({ webhooks })], speed: Infinity });
    await submit(provider, app.url);
    expect((await provider.done()).jobs[0]!.sends.map((s) => s.attempts.map((a) => a.status))).toEqual([[502, 200]]);
    const happy = await recordingApp();
    const again = await mock({ scenarios: [transcribeScenario({ webhooks })], speed: Infinity });
    await submit(again, happy.url);
    await again.done();
    expect(happy.received).toHaveLength(1);
  });

  it('plays 100 jobs submitted at once, each with its own id and its own webhooks', { timeout: 60_000 }, async () => {
    const app = await recordingApp();
    const provider = await mock({ scenarios: [transcribeScenario()], speed: Infinity });
    const ids = (await Promise.all(Array.from({ length: 100 }, () => submit(provider, app.url)))).map((s) => s.id);
    expect(new Set(ids).size).toBe(100);
    await app.got(200);
    const summary = await provider.done();
    expect(summary.jobs).toHaveLength(100);
    expect(summary.webhooks.acknowledged).toBe(200);
    const byId = new Map<string, string[]>();
    for (const r of app.received) {
      const { jobId, status } = JSON.parse(r.body.toString());
      byId.set(jobId, [...(byId.get(jobId) ?? []), status]);
    }
    expect([...byId.keys()].sort()).toEqual([...ids].sort());
    for (const statuses of byId.values()) expect(statuses).toEqual(['InProgress', 'Success']);
  });

  it('reads the webhook URL where the recording found it in the submit: a body field', { timeout: 30_000 }, async () => {
    const app = await recordingApp();
    const scenario = transcribeScenario({ submitBody: '{"model":"m","callback":{"url":"https://rec.example/webhook"}}' });
    const submitStep = scenario.steps[0] as SubmitStep;
    submitStep.request.url = '/ai/v1/transcribe';
    submitStep.webhookUrlAt = 'body.callback.url';
    const provider = await mock({ scenarios: [scenario], speed: Infinity });
    const answer = await send(`${provider.url}/ai/v1/transcribe`, { method: 'POST', body: `{"model":"n","callback":{"url":"${app.url}/from-body"}}` });
    expect(answer.status).toBe(201);
    await provider.done();
    expect(app.received.map((r) => r.url)).toEqual(['/from-body', '/from-body']);
  });

  it('sends webhooks to --webhook-url, and none when no URL is known (said in an event and the summary)', { timeout: 30_000 }, async () => {
    const app = await recordingApp();
    const elsewhere = await mock({ scenarios: [transcribeScenario()], speed: Infinity, webhookUrl: `${app.url}/override` });
    await submit(elsewhere, 'http://127.0.0.1:1/never');
    await elsewhere.done();
    expect(app.received.map((r) => r.url)).toEqual(['/override', '/override']);
    const nowhere = await mock({ scenarios: [transcribeScenario()], speed: Infinity });
    const told = nextEvent(nowhere, (event) => event.type === 'no-webhook-url');
    await send(`${nowhere.url}/ai/v1/transcribe?webhook=not-a-url`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: LIVE_SUBMIT_BODY,
    });
    expect(await told).toMatchObject({ type: 'no-webhook-url', webhooks: 2 });
    expect((await nowhere.done()).webhooks).toEqual({ sent: 0, acknowledged: 0, givenUp: 0, notSent: 2 });
  });
});
