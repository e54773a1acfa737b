import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, spawnCli, tempDir } from '../helpers/index.js';
import { seedApp, type SeedApp } from '../helpers/seed-app.js';
import { seedProvider, type SeedProvider } from '../helpers/seed-providers.js';

// A job recorded through the provider port, read back as the conversation it was: `jobs <id>` and
// `show <jobId>` print the submit, the status call and both webhook attempts in time order, and
// `show <callId>` the app's request with the provider's answer.

const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of closing.splice(0)) await c.close();
});

/** `hook-catch start` with a provider port in front of `provider`, stopped after the test. */
async function startWith(dir: string, provider: string, extra: string[] = []) {
  const ports = ['--port', '0', '--inspector-port', '0', '--provider-port', '0'];
  const cli = spawnCli(['start', ...ports, '--dir', dir, '--json', '--no-tunnel', '--provider', provider, ...extra]);
  closing.push({ close: async () => void (cli.child.kill('SIGTERM'), await cli.exited) });
  return { cli, ready: await cli.jsonLine((v) => v.type === 'ready') };
}

async function recordJob() {
  const dir = await tempDir();
  // The first webhook of each job is answered 500 (refused): the fake provider sends it again 50 ms later.
  const provider: SeedProvider = await seedProvider('ai', { backoffMs: [50] });
  closing.push(provider);
  const { ready } = await startWith(dir, provider.url, ['--rewrite-webhook-url', '--fail-first', '1']);
  const app: SeedApp = await seedApp('ai', { apiBase: ready.providerUrl });
  closing.push(app);
  const submitted = await app.submit();
  const jobId = submitted.jobId!;
  expect((await app.poll(jobId)).status).toBe('InProgress');
  await provider.complete(jobId, 'success');
  await app.waitForWebhooks(1);
  expect((await runCli(['wait', jobId, '--timeout', '20s', '--dir', dir])).code).toBe(0);
  return { dir, jobId, app, provider };
}

describe('a job through the provider port, as a timeline', { timeout: 120_000 }, () => {
  it('jobs <id> and show <jobId>: submitted, polled, webhook #1 refused, #2 a retry answered 200, then completed', async () => {
    const { dir, jobId, app } = await recordJob();
    const printed = await runCli(['jobs', jobId, '--dir', dir]);
    expect(printed.code).toBe(0);
    const lines = printed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Job ${jobId}  completed  submitted through the provider port to http://127\\.0\\.0\\.1:\\d+$`));
    const timeline = lines.slice(2);
    expect(timeline).toHaveLength(5);
    expect(timeline[0]).toMatch(
      new RegExp(
        `^\\+0 ms +submitted +POST /ai/v1/transcribe → 200 \\(job id at body\\.jobId; webhook URL ${literal(app.webhookUrl)}, given to the provider as http://127\\.0\\.0\\.1:\\d+/hooks/ai\\)$`,
      ),
    );
    expect(timeline[1]).toMatch(new RegExp(`^\\+\\d+(\\.\\d)? m?s +polled +GET /ai/status/v1/jobs/${jobId.slice(0, 20)}.* → 200 InProgress$`));
    // The response rule that answered each webhook, and why (fail-first 1 here).
    expect(timeline[2]).toMatch(
      /^\+\S+ m?s +webhook #1 +POST \/hooks\/ai +Success +answered 500 \(refused\) {2}\(rule r1: 500 on purpose, delivery 1 of job \S+ \(fail-first 1\)\)$/,
    );
    expect(timeline[3]).toMatch(/^\+\S+ m?s +webhook #2 \(retry 2\) +POST \/hooks\/ai +Success +answered 200 {2}\(rule r1: 200 OK\)$/);
    expect(timeline[4]).toMatch(/^\+\S+ m?s +completed$/);

    // The same from `show`, and from the store once hook-catch stopped; --json is the job as the API gives it.
    expect((await runCli(['show', jobId, '--dir', dir])).stdout).toBe(printed.stdout);
    const json = JSON.parse((await runCli(['jobs', jobId, '--json', '--dir', dir])).stdout);
    expect(json).toMatchObject({ id: jobId, source: 'submit', submit: { webhookUrl: app.webhookUrl } });
    expect(json.deliveries.map((d: { source: string; method: string }) => `${d.source} ${d.method}`)).toEqual([
      'submit POST',
      'poll GET',
      'webhook POST',
      'webhook POST',
    ]);
    await showsCalls(dir, json);
    // The list marks it as submitted through the provider port, and its JSON says how.
    const listed = JSON.parse((await runCli(['jobs', '--json', '--dir', dir])).stdout);
    expect(listed).toEqual([expect.objectContaining({ id: jobId, source: 'submit', submit: json.submit })]);
    const table = await runCli(['jobs', '--dir', dir]);
    expect(table.stdout).toMatch(new RegExp(`^${jobId}\\s+completed\\s+2 deliveries \\(1 refused: 500\\)\\s+\\S+ \\S+  submitted$`, 'm'));
    // `list` shows the app's calls as the terminal line does.
    const stored = (await runCli(['list', '--dir', dir])).stdout.split('\n');
    expect(stored.find((l) => l.includes('/ai/v1/'))).toMatch(
      / {2}→ POST {2}\/ai\/v1\/transcribe\?webhook=\S+ {2}200 {2}\d+ ms {2}\w{6} {2}webhook URL → http:\/\/127\.0\.0\.1:\d+\/hooks\/ai$/,
    );
    expect(stored.find((l) => l.includes('/ai/status/'))).toMatch(/ {2}→ GET {3}\/ai\/status\/v1\/jobs\/\S+ {2}200 {2}\d+ ms {2}\w{6}$/);
    const closed = closing.splice(0);
    for (const c of closed.reverse()) await c.close();
    expect((await runCli(['jobs', jobId, '--dir', dir])).stdout).toBe(printed.stdout);
    const missing = await runCli(['jobs', 'nobody', '--dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^hook-catch: No job nobody in .*`hook-catch jobs` lists the jobs known\.\n$/);
  });

  it('show <callId> for a call the provider never answered: the 502 the app got from hook-catch, and why', async () => {
    const dir = await tempDir();
    const gone = createServer();
    const port = await new Promise<number>((resolve) => gone.listen(0, '127.0.0.1', () => resolve((gone.address() as AddressInfo).port)));
    await new Promise((resolve) => gone.close(resolve));
    const { cli, ready } = await startWith(dir, `http://127.0.0.1:${port}`);
    const answer = await fetch(`${ready.providerUrl}/v1/tasks`, { method: 'POST', body: '{"task":"x"}' });
    expect(answer.status).toBe(502);
    await cli.jsonLine((v) => v.type === 'request');
    const shown = (await runCli(['show', 'last', '--dir', dir])).stdout;
    expect(shown).toMatch(/\nanswered {2}502 {2}\(by hook-catch: the provider gave no answer\)\n/);
    expect(shown).toMatch(/\ncall {6}call, failed after \d+ ms by http:\/\/127\.0\.0\.1:\d+\n/);
    expect(shown).toMatch(/\nerror {5}the provider gave no answer: .*refused.* \(the app got 502 from hook-catch\)\n/);
    expect(shown).toMatch(/\n\nProvider's answer\nnone: .*refused/);
  });
});

/** `show <callId>`: the app's request, what the call was, and the provider's answer below it. */
async function showsCalls(dir: string, job: { id: string; submit: { requestId: string }; deliveries: { requestId: string }[] }) {
  const submit = (await runCli(['show', job.submit.requestId, '--dir', dir])).stdout;
  expect(submit).toMatch(/^POST \/ai\/v1\/transcribe\?webhook=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fhooks%2Fai {2}HTTP\/1\.1\n/);
  expect(submit).toMatch(/\nanswered {2}200 {2}\(the provider's status, passed on to the app\)\n/);
  expect(submit).toContain(`\ncall      submit of job ${job.id} (job id at body.jobId), answered in `);
  expect(submit).toMatch(
    /\nwebhook {3}http:\/\/127\.0\.0\.1:\d+\/hooks\/ai \(query\.webhook\), given to the provider as http:\/\/127\.0\.0\.1:\d+\/hooks\/ai\n/,
  );
  expect(submit).toContain(`\njob       ${job.id}: its submit (job id at body.jobId); the job is completed\n`);
  // The app's request (its credential, its body), then the provider's answer with its own headers and body.
  const [request, answer] = submit.split("\nProvider's answer  ");
  expect(request).toContain('\n  Authorization: Bearer ai_test_key_7f3c\n');
  expect(request).toContain('"mediaUrl": "https://media.example.com/call-1.wav"');
  expect(answer).toMatch(/^200 OK {2}48 B\n {2}Content-Type: application\/json\n/);
  expect(answer).toContain(`\nBody\n{\n  "jobId": "${job.id}"\n}\n`);

  const poll = (await runCli(['show', job.deliveries[1]!.requestId, '--dir', dir])).stdout;
  expect(poll).toContain(`\ncall      status call of job ${job.id}, answered in `);
  expect(poll).toContain(`\njob       ${job.id}: the app's status call, the provider said "InProgress"; the job is completed\n`);
  expect(poll.split("\nProvider's answer  ")[1]).toContain('"status": "InProgress"');
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
