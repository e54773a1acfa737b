import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { mockProvider } from '../src/mock/index.js';
import type { Scenario, WebhookStep } from '../src/scenario/format.js';
import { exportScenarios } from '../src/scenario/write.js';
import { jobReaches, later, startHookCatch, tempDir } from './helpers/index.js';
import { seedApp, type SeedApp } from './helpers/seed-app.js';
import { SEED_SECRETS, SEEDS, seedProvider, type SeedName } from './helpers/seed-providers.js';

// The provider double end to end, for each of the four seed APIs: an app's real run is recorded
// through the provider port, exported as a scenario, the provider is stopped, and the provider
// double plays it back to a new run of the app, which must see what it saw: the answers, the status
// answers and the webhook bytes, with a fresh job id; signed webhooks signed again and verifying
// with the provider's own library; retries for an app that fails; many jobs at once; a 501 for a
// request nobody recorded.

const SCHEMES: Partial<Record<SeedName, 'standard-webhooks' | 'stripe'>> = { ai: 'standard-webhooks', tasks: 'stripe' };

interface Recording {
  jobId: string;
  app: SeedApp;
  submitted: { http: number; body: unknown };
  polls: { http: number; body: unknown }[];
  scenarios: string;
  scenario: Scenario;
}

/** One real run of `seed`'s app through the provider port, exported; the provider is gone afterwards. */
async function record(seed: SeedName): Promise<Recording> {
  const provider = await seedProvider(seed, { backoffMs: [20] });
  const dir = await tempDir();
  const hc = await startHookCatch({ dir, provider: provider.url, providerPort: 0, rewriteWebhookUrl: true });
  const app = await seedApp(seed, { apiBase: hc.providerUrl! });
  const submitted = await app.submit();
  const jobId = submitted.jobId!;
  const polls = [await app.poll(jobId)];
  await provider.complete(jobId, 'success');
  await app.waitForWebhooks(1);
  await jobReaches(hc, jobId, (j) => j.status === 'completed');
  polls.push(await app.poll(jobId));
  await jobReaches(hc, jobId, (j) => j.deliveries.filter((d) => d.source === 'poll').length === 2);
  await hc.close();
  await provider.close();
  const scenarios = await tempDir();
  const { files } = await exportScenarios(dir, scenarios);
  expect(files).toHaveLength(1);
  const scenario = JSON.parse(await readFile(files[0]!, 'utf8')) as Scenario;
  return { jobId, app, submitted, polls, scenarios, scenario };
}

/** `value` as JSON text with every `from` replaced by `to`: what the app must see played back. */
const withId = (value: unknown, from: string, to: string) => JSON.parse(JSON.stringify(value).split(from).join(to));

async function playBack(seed: SeedName, scenarios: string, options: { speed?: number; retries?: number; backoffMs?: number[] } = {}) {
  const secret = SEED_SECRETS[seed];
  const scheme = SCHEMES[seed];
  const mock = await mockProvider({
    scenarios,
    port: 0,
    speed: options.speed ?? Number.POSITIVE_INFINITY,
    retries: options.retries,
    backoffMs: options.backoffMs,
    ...(scheme && secret && { resign: { scheme, secret } }),
  });
  later(() => mock.close());
  const app = await seedApp(seed, { apiBase: mock.url });
  return { mock, app };
}

describe('record once against the provider, play it back offline', () => {
  for (const seed of SEEDS) {
    it(`${seed}: the app sees the recorded answers, status answers and webhook bytes, with a fresh job id`, async () => {
      const recorded = await record(seed);
      const { app } = await playBack(seed, recorded.scenarios);
      const submitted = await app.submit();
      const id = submitted.jobId!;
      expect(id).not.toBe(recorded.jobId);
      expect(id).toHaveLength(recorded.jobId.length);
      expect(submitted.http).toBe(recorded.submitted.http);
      expect(submitted.body).toEqual(withId(recorded.submitted.body, recorded.jobId, id));

      const [webhook] = await app.waitForWebhooks(1);
      const step = recorded.scenario.steps.find((s): s is WebhookStep => s.kind === 'webhook')!;
      expect(webhook!.body.toString()).toBe(Buffer.from(step.request.body!, step.request.bodyEncoding).toString().split(recorded.jobId).join(id));
      expect(webhook!.jobId).toBe(id);
      if (SCHEMES[seed]) expect(webhook!.verdict).toBe('valid');
      const final = await app.poll(id);
      expect(final.http).toBe(recorded.polls[1]!.http);
      expect(final.body).toEqual(withId(recorded.polls[1]!.body, recorded.jobId, id));
    });
  }

  it('before the recorded final webhook, a poll gets the recorded in-progress answer', async () => {
    const recorded = await record('videodb');
    // A thousandth of the speed: the recorded webhook, tens of ms after the submit, is tens of seconds away.
    const { app, mock } = await playBack('videodb', recorded.scenarios, { speed: 0.001 });
    const { jobId } = await app.submit();
    const early = await app.poll(jobId!);
    expect(early.body).toEqual(withId(recorded.polls[0]!.body, recorded.jobId, jobId!));
    expect(early.status).toBe('processing');
    await mock.close();
  });

  it('an app that fails its first deliveries gets the retries, signed afresh each time', async () => {
    const recorded = await record('tasks');
    const { app, mock } = await playBack('tasks', recorded.scenarios, { retries: 5, backoffMs: [10] });
    app.failFirst(2);
    const { jobId } = await app.submit();
    const attempts = await app.waitForWebhooks(3);
    expect(attempts.map((w) => w.answered)).toEqual([500, 500, 200]);
    expect(attempts.map((w) => w.verdict)).toEqual(['valid', 'valid', 'valid']);
    expect(new Set(attempts.map((w) => w.body.toString())).size).toBe(1);
    const summary = await mock.done();
    const job = summary.jobs.find((j) => j.id === jobId)!;
    expect(job.sends[0]!.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
  });

  it('100 jobs submitted at once each get their own id and their own webhooks', async () => {
    const recorded = await record('ai');
    const { app, mock } = await playBack('ai', recorded.scenarios);
    const submits = await Promise.all(Array.from({ length: 100 }, () => app.submit()));
    const ids = submits.map((s) => s.jobId!);
    expect(new Set(ids).size).toBe(100);
    const webhooks = await app.waitForWebhooks(100, 60_000);
    expect(new Set(webhooks.map((w) => w.jobId))).toEqual(new Set(ids));
    expect(webhooks.every((w) => w.verdict === 'valid')).toBe(true);
    const summary = await mock.done();
    expect(summary.jobs).toHaveLength(100);
    expect(summary.webhooks.acknowledged).toBe(100);
  });

  it('a request nobody recorded gets a 501 that names the closest recorded request and why', async () => {
    const recorded = await record('deepaffects');
    const { app } = await playBack('deepaffects', recorded.scenarios);
    const unmatched = await app.submit({ path: '/audio/generic/api/v1/async/sentiment' });
    expect(unmatched.http).toBe(501);
    const body = unmatched.body as { error: string; closest: { request: string; why: string }[] };
    expect(body.closest[0]!.request).toMatch(/^POST \/audio\/generic\/api\/v1\/async\//);
    expect(body.closest[0]!.why).toMatch(/path/);
  });
});
