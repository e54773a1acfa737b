import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job } from '../src/jobs/types.js';
import type { HookCatch } from '../src/start.js';
import { childEnv, jobReaches, json, runCli, send, spawnCli, startHookCatch, tempDir } from './helpers/index.js';
import { fakeProvider, says } from './helpers/fake-provider.js';

// Polling a provider's status endpoint beside the webhook (`expect --poll`), against fake providers
// on local ports: a webhook that never comes is flagged lost, a late one clears it, each answer is
// kept, a 429 is respected, and secrets given as $NAME never reach the store or the terminal.

const webhook = (hc: HookCatch, body: object) =>
  send(hc.webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function everyFile(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return (await Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'latin1')))).join('\n');
}

describe('expect --poll', () => {
  it('the provider says done and no webhook comes: the job is flagged webhook_lost after the grace period; a late webhook clears it and shows how late it was', async () => {
    let state = 'processing';
    const provider = await fakeProvider(() => says('j-1', state, { result: state === 'done' ? { text: 'hello' } : null }));
    const hc = await startHookCatch();
    await hc.expect('j-1', { poll: { url: `${provider.url}/v1/jobs/{jobId}`, everyMs: 100, graceMs: 300 } });
    await provider.polled(1);
    expect(provider.requests[0]!.url).toBe('/v1/jobs/j-1');
    expect(hc.jobs.get('j-1')!.status).toBe('pending'); // a poll never settles a job: only its webhook does
    state = 'done';
    const lost = await jobReaches(hc, 'j-1', (job) => job.status === 'webhook_lost');
    expect(lost.poll).toMatchObject({ state: 'done', provider: { status: 'completed', statusWord: 'done' }, webhookLagMs: null });
    expect(lost.history.map((h) => h.status)).toEqual(['pending', 'webhook_lost']);
    expect(Date.parse(lost.history[1]!.at) - Date.parse(lost.poll!.doneAt!)).toBe(300);
    const polls = provider.requests.length;

    // Each answer that changed was kept as a capture of source poll, byte-exact, in the job's timeline.
    const pollDeliveries = lost.deliveries.filter((d) => d.source === 'poll');
    expect(pollDeliveries.map((d) => d.statusWord)).toEqual(['processing', 'done']);
    const kept = (await hc.store.get(pollDeliveries[1]!.requestId))!;
    expect(kept.body.toString()).toBe(JSON.stringify({ jobId: 'j-1', status: 'done', result: { text: 'hello' } }));
    expect(kept.poll).toEqual({ jobId: 'j-1', url: `${provider.url}/v1/jobs/j-1`, latencyMs: expect.any(Number) });
    expect(kept.response.status).toBe(200);
    const summary = json(await send(`${hc.inspectorUrl}/api/requests/${kept.id}`));
    expect(summary.poll.jobId).toBe('j-1');

    const waited = await hc.waitFor('j-1', { timeoutMs: 1000 });
    expect(waited.outcome).toBe('lost');
    expect(waited.delivery!.requestId).toBe(kept.id);
    const api = json(await send(`${hc.inspectorUrl}/api/jobs?status=webhook_lost`));
    expect(api.items.map((j: Job) => j.id)).toEqual(['j-1']);

    await webhook(hc, { jobId: 'j-1', status: 'completed' });
    const cleared = await jobReaches(hc, 'j-1', (job) => job.status === 'completed');
    expect(cleared.poll!.webhookLagMs).toBeGreaterThan(300);
    expect(cleared.history.map((h) => h.status)).toEqual(['pending', 'webhook_lost', 'completed']);
    expect(provider.requests.length).toBe(polls); // polling stopped once the provider said done
  });

  it('a webhook within the grace period: never lost, and the job says how long after the provider it came', async () => {
    const provider = await fakeProvider(() => says('j-2', 'succeeded'));
    const hc = await startHookCatch();
    await hc.expect('j-2', { poll: { url: `${provider.url}/jobs/{jobId}`, everyMs: 100, graceMs: 60_000 } });
    await jobReaches(hc, 'j-2', (job) => job.poll?.doneAt != null);
    await webhook(hc, { jobId: 'j-2', status: 'completed' });
    const job = await jobReaches(hc, 'j-2', (j) => j.status === 'completed');
    expect(job.history.map((h) => h.status)).toEqual(['pending', 'completed']);
    expect(job.poll!.webhookLagMs).toBeGreaterThanOrEqual(0);
  });

  it('--status-path reads the status where the usual rules miss it; identical answers are counted, not stored again', async () => {
    let n = 0;
    const provider = await fakeProvider(() => ({ status: 200, body: JSON.stringify({ data: { phase_name: ++n < 3 ? 'RUNNING' : 'FINISHED' } }) }));
    const hc = await startHookCatch();
    await hc.expect('j-3', { poll: { url: `${provider.url}/status?request_id={jobId}`, everyMs: 100, graceMs: 60_000, statusPath: 'body.data.phase_name' } });
    const job = await jobReaches(hc, 'j-3', (j) => j.poll?.doneAt != null);
    expect(job.poll!.provider).toMatchObject({ status: 'completed', statusWord: 'FINISHED' });
    expect(provider.requests[0]!.url).toBe('/status?request_id=j-3');
  });

  it('a 429 with Retry-After is waited out; errors and a provider that is down show on the job and stop nothing', async () => {
    const provider = await fakeProvider((_r, n) =>
      n === 1 ? { status: 429, headers: { 'Retry-After': '1' }, body: '{"error":"slow down"}' } : says('j-4', 'running'),
    );
    const hc = await startHookCatch();
    await hc.expect('j-4', { poll: { url: `${provider.url}/jobs/{jobId}`, everyMs: 100 } });
    const limited = await jobReaches(hc, 'j-4', (j) => j.poll?.lastHttpStatus === 429);
    expect(limited.poll!.error).toBe('rate-limited (429): next poll in 1s, as the provider asked');
    const second = await provider.polled(2);
    expect(second.at - provider.requests[0]!.at).toBeGreaterThanOrEqual(950);
    expect((await jobReaches(hc, 'j-4', (j) => j.poll?.lastHttpStatus === 200)).poll!.error).toBeNull();
    provider.answer = () => ({ status: 429, headers: { 'Retry-After': '120' }, body: '{}' });
    const again = await jobReaches(hc, 'j-4', (j) => j.poll?.lastHttpStatus === 429 && j.poll.count >= 3);
    expect(again.poll!.provider).toMatchObject({ statusWord: 'running' }); // what the provider said last is kept
    expect(again.poll!.error).toBe('rate-limited (429): next poll in 2m, as the provider asked');

    await hc.expect('down', { poll: { url: 'http://127.0.0.1:9/jobs/{jobId}', everyMs: 100 } });
    const down = await jobReaches(hc, 'down', (j) => j.poll?.error != null);
    expect(down.poll!.error).toBe('http://127.0.0.1:9 refused the connection: the status endpoint is down, or the --poll URL is wrong');
    expect(down.poll!.state).toBe('polling');
    expect((await webhook(hc, { jobId: 'other', status: 'done' })).status).toBe(200);
  });

  it('only http(s) URLs; an unknown $NAME is one line; the API takes the same', async () => {
    const hc = await startHookCatch();
    await expect(hc.expect('x', { poll: { url: 'file:///etc/passwd' } })).rejects.toThrow('--poll takes an http:// or https:// URL; got file:.');
    await expect(hc.expect('x', { poll: { url: 'http://127.0.0.1:9/{jobId}', headers: ['X-Key: $HOOK_CATCH_TEST_UNSET'] } })).rejects.toThrow(
      '$HOOK_CATCH_TEST_UNSET is not set, neither in the shell that registers the job nor where hook-catch start runs; export it first.',
    );
    const api = await send(`${hc.inspectorUrl}/api/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'y', poll: { url: 'ftp://x/{jobId}' } }),
    });
    expect(api.status).toBe(400);
    expect(json(api).error).toBe('--poll takes an http:// or https:// URL; got ftp:.');
  });
});

describe('expect --poll from the command line', () => {
  it('secrets named as $API_KEY reach the provider but never the store, the terminal or the API; `wait` exits 4 on a lost webhook and prints the polled answer', async () => {
    const SECRET = 'sk-live-poll-7c2e91';
    let state = 'queued';
    const provider = await fakeProvider((request) =>
      request.headers.authorization === `Bearer ${SECRET}`
        ? says('t-9', state, { output: state === 'completed' ? 'the result' : null })
        : { status: 401, body: '{"error":"no key"}' },
    );
    const dir = await tempDir();
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir]);
    await cli.printed(/Waiting for webhooks/);
    const env = childEnv({ API_KEY: SECRET });
    const expectRun = await runCli(
      [
        'expect',
        't-9',
        '--poll',
        `${provider.url}/tasks/{jobId}?key=$API_KEY`,
        '--poll-header',
        'Authorization: Bearer $API_KEY',
        '--every',
        '100ms',
        '--grace',
        '300ms',
        '--dir',
        dir,
      ],
      { env },
    );
    expect(expectRun.code).toBe(0);
    expect(expectRun.stdout).toContain(`Polling ${provider.url}/tasks/t-9?key=$API_KEY every 0.1s`);
    await provider.polled(1);
    expect(provider.requests[0]!.url).toBe(`/tasks/t-9?key=${SECRET}`);
    state = 'completed';
    const waited = await runCli(['wait', 't-9', '--timeout', '30s', '--dir', dir]);
    expect(waited.code).toBe(4);
    expect(JSON.parse(waited.stdout)).toEqual({ jobId: 't-9', status: 'completed', output: 'the result' });
    expect(waited.stderr).toBe(
      'hook-catch: job t-9: webhook lost. Its provider said "completed" and no webhook came within 0.3s; printed is the provider\'s polled answer.\n',
    );
    await cli.printed(
      /warning: job t-9: its provider said "completed" at [\d:]+ and no webhook came within 0.3s: webhook lost. Its answer is kept: hook-catch show \w+/,
      { stream: 'stderr' },
    );
    const shown = await runCli(['show', /hook-catch show (\w+)/.exec(cli.stderr())![1]!, '--dir', dir]);
    expect(shown.stdout).toMatch(new RegExp(`^polled    ${provider.url}/tasks/t-9\\?key=\\$API_KEY for job t-9, answered in \\d+ ms`, 'm'));
    const jobs = await runCli(['jobs', '--dir', dir]);
    // The polled answers are not deliveries: no webhook came.
    expect(jobs.stdout).toMatch(/t-9\s+webhook lost\s+no delivery .*polled \d+×: provider says "completed"/);
    const api = (await send(`${/Inspector (http:\S+)/.exec(cli.stdout())![1]}/api/jobs/t-9`)).body.toString();
    cli.child.kill('SIGINT');
    await cli.exited;
    const everything =
      cli.stdout() + cli.stderr() + expectRun.stdout + waited.stdout + waited.stderr + jobs.stdout + shown.stdout + api + (await everyFile(dir));
    expect(everything).not.toContain(SECRET);
    expect(api).toContain('?key=$API_KEY');
  });

  it('polling goes on after a restart, with the variable from the environment hook-catch start runs in', async () => {
    let state = 'running';
    const provider = await fakeProvider((request) => (request.headers['x-api-key'] === 'restart-key' ? says('r-1', state) : { status: 401, body: '{}' }));
    const dir = await tempDir();
    const env = childEnv({ RESTART_KEY: 'restart-key' });
    const first = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--json'], { env });
    await first.jsonLine((v) => v.type === 'ready');
    await runCli(
      [
        'expect',
        'r-1',
        '--poll',
        `${provider.url}/jobs/{jobId}`,
        '--poll-header',
        'X-Api-Key: $RESTART_KEY',
        '--every',
        '100ms',
        '--grace',
        '10m',
        '--dir',
        dir,
      ],
      { env },
    );
    await provider.polled(1);
    first.child.kill('SIGINT');
    await first.exited;
    state = 'done';
    const before = provider.requests.length;
    const second = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--json'], { env });
    await second.jsonLine((v) => v.type === 'ready');
    await provider.polled(before + 1);
    const line = await second.jsonLine((v) => v.type === 'request' && v.poll?.jobId === 'r-1' && v.job?.statusWord === 'done');
    expect(line.method).toBe('GET');
    expect(provider.requests.at(-1)!.headers['x-api-key']).toBe('restart-key');
    second.child.kill('SIGINT');
    await second.exited;
  });
});
