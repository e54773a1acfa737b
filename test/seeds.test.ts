import { describe, expect, it } from 'vitest';
import { seedApp } from './helpers/seed-app.js';
import { recordingApp } from './helpers/recording-app.js';
import { isLoopback, type ProviderOptions, SEEDS, type SeedName, seedProvider } from './helpers/seed-providers.js';

// The four fake seed providers and their apps, end to end with no hook-catch between them: the
// harness the provider double's tests stand on. Everything stays on 127.0.0.1.

/** Each seed's status words (in progress, success, failure) and what its submit answers. */
const SEED: Record<SeedName, { words: [string, string, string]; signed: boolean; submitted: number; answer: (id: string) => object }> = {
  ai: { words: ['InProgress', 'Success', 'Failure'], signed: true, submitted: 200, answer: (id) => ({ jobId: id }) },
  videodb: {
    words: ['processing', 'done', 'failed'],
    signed: false,
    submitted: 200,
    answer: (id) => ({ success: true, status: 'processing', response_id: id, data: { output_url: expect.stringMatching(`/async-response/${id}$`) } }),
  },
  deepaffects: { words: ['Running', 'Completed', 'Failed'], signed: false, submitted: 200, answer: (id) => ({ request_id: id, api: 'requested' }) },
  tasks: { words: ['running', 'completed', 'failed'], signed: true, submitted: 202, answer: (id) => ({ taskId: id, status: 'queued' }) },
};

const SIGNED = SEEDS.filter((seed) => SEED[seed].signed);

async function pair(seed: SeedName, options: ProviderOptions = {}) {
  const provider = await seedProvider(seed, options);
  const app = await seedApp(seed, { apiBase: provider.url });
  return { provider, app };
}

describe.each(SEEDS)('the %s seed', (seed) => {
  const { words, signed } = SEED[seed];

  it.each(['success', 'failure'] as const)('submits, polls in progress, and on complete(%s) polls the final status and gets the webhook', async (outcome) => {
    const { provider, app } = await pair(seed);
    const submitted = await app.submit();
    expect(submitted.http).toBe(SEED[seed].submitted);
    const jobId = submitted.jobId!;
    expect(submitted.body).toMatchObject(SEED[seed].answer(jobId));
    expect(provider.jobs.get(jobId)).toMatchObject({ webhookUrl: app.webhookUrl, outcome: null });
    expect(await app.poll(jobId)).toMatchObject({ http: 200, status: words[0] });

    const attempts = provider.complete(jobId, outcome);
    const [webhook] = await app.waitForWebhooks(1, 10_000);
    const final = outcome === 'success' ? words[1] : words[2];
    expect(webhook).toMatchObject({ method: 'POST', jobId, status: final, verdict: signed ? 'valid' : 'unchecked', answered: 200 });
    expect(await attempts).toMatchObject([{ jobId, attempt: 1, duplicate: false, status: 200 }]);
    await provider.delivered(1, 10_000);
    expect(webhook!.body.equals(provider.deliveries[0]!.body)).toBe(true);
    expect(await app.poll(jobId)).toMatchObject({ http: 200, status: final });

    // Every call the app made and every webhook the provider sent stayed on this machine.
    expect(provider.calls.map((c) => c.method)).toEqual(['POST', 'GET', 'GET']);
    expect(provider.deliveries.every((d) => isLoopback(d.url))).toBe(true);
  });

  it('answers 401 JSON to a call without credentials, and opens no job', async () => {
    const { provider, app } = await pair(seed);
    const refused = await app.submit({ apiKey: null });
    expect(refused).toMatchObject({ http: 401, jobId: null, body: expect.any(Object) });
    expect(JSON.stringify(refused.body)).toMatch(/key|token/i);
    expect(provider.jobs.size).toBe(0);
    const { jobId } = await app.submit();
    expect((await app.poll(jobId!, { apiKey: null })).http).toBe(401);
    expect((await app.poll(jobId!, { apiKey: 'not-the-key' })).http).toBe(401);
  });

  it('answers 404 JSON naming an unknown job id', async () => {
    const { app } = await pair(seed);
    const unknown = await app.poll('no-such-job-1234');
    expect(unknown.http).toBe(404);
    expect(JSON.stringify(unknown.body)).toContain('no-such-job-1234');
  });

  it('delivers where the app said (another URL), or where the provider is told instead', async () => {
    const provider = await seedProvider(seed);
    const other = await seedApp(seed, { apiBase: provider.url });
    const app = await seedApp(seed, { apiBase: provider.url, webhookUrl: other.receiverUrl });
    const first = await app.submit();
    expect(provider.jobs.get(first.jobId!)!.webhookUrl).toBe(other.receiverUrl);
    await provider.complete(first.jobId!, 'success');
    expect((await other.waitForWebhooks(1, 10_000))[0]!.jobId).toBe(first.jobId);

    const second = await other.submit();
    await provider.complete(second.jobId!, 'success', { to: app.receiverUrl });
    expect((await app.waitForWebhooks(1, 10_000))[0]!.jobId).toBe(second.jobId);
  });

  it('never dials out: a webhook URL off this machine is recorded as not sent, and an app refuses such an API base', async () => {
    const provider = await seedProvider(seed, { deliverTo: 'https://hooks.example.com/in' });
    const app = await seedApp(seed, { apiBase: provider.url });
    const { jobId } = await app.submit();
    expect(await provider.complete(jobId!, 'success')).toEqual([
      expect.objectContaining({ attempt: 1, status: null, error: expect.stringMatching(/not sent: .*not on 127\.0\.0\.1/) }),
    ]);
    await expect(seedApp(seed, { apiBase: 'https://api.example.com' })).rejects.toThrow(/not on 127\.0\.0\.1/);
  });
});

describe('signatures', () => {
  it.each(SIGNED)('the %s app marks a webhook signed with another secret invalid, and answers it 400 as a real app does', async (seed) => {
    const provider = await seedProvider(seed, { backoffMs: [] });
    const app = await seedApp(seed, { apiBase: provider.url, secret: 'whsec_c29tZSBvdGhlciBzZWNyZXQ=' });
    const { jobId } = await app.submit();
    await provider.complete(jobId!, 'success');
    const [webhook] = await app.waitForWebhooks(1, 10_000);
    expect(webhook).toMatchObject({ verdict: 'invalid', reason: expect.any(String), answered: 400 });
  });
});

describe('the ai seed', () => {
  it('takes a binary media upload and answers a UUID v1-looking job id whose status expires after 7 days', async () => {
    const { provider, app } = await pair('ai');
    const media = Buffer.from([0x52, 0x49, 0x46, 0x46, 0x00, 0xff, 0x10, 0x80]);
    const { jobId } = await app.submit({ media, path: '/ai/v1/audio/transcribe' });
    expect(jobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-11ed-[0-9a-f]{4}-0050568c48bc$/);
    expect(provider.calls[0]!.body.equals(media)).toBe(true);
    expect(provider.calls[0]!.headers).toContainEqual(['Content-Type', 'audio/wav']);
    const { body } = await app.poll(jobId!);
    expect(Date.parse(body.expirationTime) - Date.parse(body.creationTime)).toBe(7 * 24 * 60 * 60 * 1000);
  });

  it('sends the same webhook twice on complete(…, { duplicate: true }): same bytes, same webhook-id, both valid', async () => {
    const { provider, app } = await pair('ai');
    const { jobId } = await app.submit();
    await provider.complete(jobId!, 'success', { duplicate: true });
    const [first, second] = await app.waitForWebhooks(2, 10_000);
    expect(second!.body.equals(first!.body)).toBe(true);
    const id = (w: typeof first) => w!.headers.find(([name]) => name.toLowerCase() === 'webhook-id')?.[1];
    expect(id(second)).toBe(id(first));
    expect([first!.verdict, second!.verdict]).toEqual(['valid', 'valid']);
    expect(provider.deliveries.map((d) => d.duplicate)).toEqual([false, true]);
  });
});

describe('the tasks seed', () => {
  it('retries a refused webhook: the app fails the first 2 deliveries, the 3rd is acknowledged', async () => {
    const { provider, app } = await pair('tasks');
    app.failFirst(2);
    const { jobId } = await app.submit();
    provider.complete(jobId!, 'success');
    await provider.delivered(1, 10_000);
    expect(provider.deliveries.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    const received = await app.waitForWebhooks(3, 10_000);
    expect(received.map((w) => [w.answered, w.verdict, w.jobId])).toEqual([
      [500, 'valid', jobId],
      [500, 'valid', jobId],
      [200, 'valid', jobId],
    ]);
  });

  it('gives up after 5 attempts, and delivered() then says what happened', async () => {
    const { provider, app } = await pair('tasks', { backoffMs: [1, 1, 1, 1] });
    app.failFirst(10);
    const { jobId } = await app.submit();
    expect((await provider.complete(jobId!, 'failure')).map((d) => d.status)).toEqual([500, 500, 500, 500, 500]);
    await expect(provider.delivered(1, 10)).rejects.toThrow(`had 0 of 1 webhook attempts answered 2xx (attempts: ${jobId} #1 → 500;`);
  });

  it('records an attempt it cannot send (an https:// URL) and retries it, instead of throwing', async () => {
    const { provider, app } = await pair('tasks', { backoffMs: [1, 1, 1, 1] });
    const { jobId } = await app.submit();
    const attempts = await provider.complete(jobId!, 'success', { to: 'https://127.0.0.1:1/in' });
    expect(attempts.map((d) => [d.attempt, d.status, d.error])).toEqual([1, 2, 3, 4, 5].map((n) => [n, null, expect.stringMatching(/https/)]));
  });

  it('gives up on an attempt the receiver never answers after attemptTimeoutMs', async () => {
    const silent = await recordingApp(() => 'hang');
    const { provider, app } = await pair('tasks', { backoffMs: [], attemptTimeoutMs: 50 });
    const { jobId } = await app.submit();
    expect(await provider.complete(jobId!, 'success', { to: `${silent.url}/in` })).toEqual([
      expect.objectContaining({ status: null, error: 'no answer in time' }),
    ]);
    await silent.got(1, 10_000);
  });

  it('answers the same taskId to the same idempotencyKey', async () => {
    const { provider, app } = await pair('tasks');
    const first = await app.submit({ idempotencyKey: 'order-42' });
    const again = await app.submit({ idempotencyKey: 'order-42' });
    expect(again).toMatchObject({ http: 202, jobId: first.jobId, body: { idempotencyKey: 'order-42' } });
    expect((await app.submit({ idempotencyKey: 'order-43' })).jobId).not.toBe(first.jobId);
    expect(provider.jobs.size).toBe(2);
  });
});
