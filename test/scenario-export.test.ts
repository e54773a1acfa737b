import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../src/scenario/format.js';
import { jobReaches, ROOT, runCli, startHookCatch, tempDir } from './helpers/index.js';
import { seedApp } from './helpers/seed-app.js';
import { SEED_KEYS, seedProvider, type SeedName } from './helpers/seed-providers.js';

// `hook-catch export --scenario`: a job recorded through the provider port becomes one scenario@1
// file (checked against the schema that ships in schema/), credentials redacted, steps in time order.

const schema = JSON.parse(await readFile(join(ROOT, 'schema', 'scenario@1.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** One job of `seed` recorded whole: submit, a status call, the webhook (the app failing it once when `failOnce`), a last status call. */
async function record(seed: SeedName, dir: string, options: { media?: Buffer; failOnce?: boolean } = {}) {
  const provider = await seedProvider(seed, { backoffMs: [20] });
  const hc = await startHookCatch({ dir, provider: provider.url, providerPort: 0, rewriteWebhookUrl: true, maxBody: 200_000 });
  const app = await seedApp(seed, { apiBase: hc.providerUrl! });
  const { jobId } = await app.submit(options.media ? { media: options.media } : {});
  await app.poll(jobId!);
  if (options.failOnce) app.failFirst(1);
  await provider.complete(jobId!, 'success');
  await jobReaches(hc, jobId!, (j) => j.status === 'completed');
  await app.poll(jobId!);
  await jobReaches(hc, jobId!, (j) => j.deliveries.filter((d) => d.source === 'poll').length === 2);
  await hc.close();
  return { jobId: jobId!, provider, app };
}

async function exported(dir: string, args: string[] = []): Promise<{ files: string[]; scenarios: Scenario[]; stderr: string }> {
  const out = await tempDir();
  const run = await runCli(['export', '--scenario', '--out', out, '--dir', dir, '--json', ...args]);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.code, run.stderr).toBe(0);
  const files = (await readdir(out)).filter((name) => name.endsWith('.scenario.json')).map((name) => join(out, name));
  const scenarios = await Promise.all(files.map(async (file) => JSON.parse(await readFile(file, 'utf8')) as Scenario));
  return { files, scenarios, stderr: run.stderr };
}

describe('export --scenario', () => {
  it('writes one file per job that the schema accepts: submit, status calls and webhook retries in time order, credentials redacted', async () => {
    const dir = await tempDir();
    const { jobId } = await record('tasks', dir, { failOnce: true });
    const { scenarios, files, stderr } = await exported(dir);
    expect(files.map((f) => f.split('/').pop())).toEqual([`${jobId}.scenario.json`]);
    const [scenario] = scenarios;
    expect(validate(scenario), JSON.stringify(validate.errors)).toBe(true);
    expect(scenario!.job).toMatchObject({ id: jobId, status: 'completed' });
    expect(scenario!.steps.map((s) => (s.kind === 'webhook' ? `webhook ${s.attempt} ${s.answered.status}` : s.kind))).toEqual([
      'submit',
      'poll',
      'webhook 1 500',
      'webhook 2 200',
      'poll',
    ]);
    const offsets = scenario!.steps.map((s) => s.atMs);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    const submit = scenario!.steps[0]!;
    expect(submit.kind === 'submit' && submit.idAt).toBe('body.taskId');
    const text = JSON.stringify(scenario);
    expect(text).not.toContain(SEED_KEYS.tasks);
    expect(scenario!.redacted).toEqual(expect.arrayContaining(['header x-api-key', 'header stripe-signature']));
    const webhook = scenario!.steps.find((s) => s.kind === 'webhook')!;
    expect(webhook.kind === 'webhook' && webhook.scheme).toBe('stripe');
    expect(stderr).toMatch(/exported 1 scenario .*redacted: .*x-api-key/);
  });

  it('a key in the query is redacted, and --keep keeps it in clear', async () => {
    const dir = await tempDir();
    await record('deepaffects', dir);
    const { scenarios } = await exported(dir);
    expect(validate(scenarios[0]), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.stringify(scenarios[0])).not.toContain(SEED_KEYS.deepaffects);
    expect(scenarios[0]!.steps[0]!.request.url).toMatch(/apikey=\[redacted\]/);
    const kept = await exported(dir, ['--keep', 'apikey']);
    expect(kept.scenarios[0]!.steps[0]!.request.url).toContain(`apikey=${SEED_KEYS.deepaffects}`);
  });

  it('a large upload is kept as its size, type and hash; --keep-bodies keeps its bytes', async () => {
    const dir = await tempDir();
    const media = Buffer.alloc(300_000, 9);
    await record('ai', dir, { media });
    const { scenarios } = await exported(dir);
    expect(validate(scenarios[0]), JSON.stringify(validate.errors)).toBe(true);
    const request = scenarios[0]!.steps[0]!.request;
    expect(request).toMatchObject({ bodySize: media.length, omitted: { contentType: 'audio/wav', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(request.body).toBeUndefined();
    // Over --max-body (200 kB here) the bytes were never kept: --keep-bodies cannot bring them back.
    const kept = await exported(dir, ['--keep-bodies']);
    expect(kept.scenarios[0]!.steps[0]!.request.omitted).toBeDefined();
  });

  it('says in one line when there is nothing to export, or a job was not submitted through the provider port', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    await hc.expect('only-expected');
    await hc.close();
    const none = await runCli(['export', '--scenario', '--out', await tempDir(), '--dir', dir]);
    expect(none.code).not.toBe(0);
    expect(none.stderr.trim()).toMatch(/^hook-catch: No job was submitted through the provider port here/);
    const one = await runCli(['export', '--scenario', '--job', 'only-expected', '--out', await tempDir(), '--dir', dir]);
    expect(one.stderr.trim()).toMatch(/Job only-expected was not submitted through the provider port/);
    const ids = await runCli(['export', '--scenario', 'last', '--out', await tempDir(), '--dir', dir]);
    expect(ids.stderr.trim()).toMatch(/name them with --job/);
  });
});
