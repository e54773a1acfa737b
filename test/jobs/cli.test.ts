import { describe, expect, it } from 'vitest';
import { runCli, spawnCli, tempDir } from '../helpers/index.js';

async function startCli(dir: string, extra: string[] = []) {
  const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--json', '--no-tunnel', ...extra]);
  const ready = await cli.jsonLine((v) => v.type === 'ready');
  return { ...cli, ready };
}

async function post(url: string, body: unknown) {
  const reply = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  expect(reply.status).toBe(200);
}

describe('expect, jobs and wait from the command line', { timeout: 120_000 }, () => {
  it('the walkthrough: submit, expect, deliver, wait prints the payload and exits 0', async () => {
    const dir = await tempDir();
    const cli = await startCli(dir);
    const expected = await runCli(['expect', 'a9199e4e', '--label', 'meeting.mp3', '--dir', dir]);
    expect(expected.code).toBe(0);
    expect(expected.stdout).toMatch(/^Expecting job a9199e4e \(meeting\.mp3\); expires in 7d 0h\./);
    const waiting = runCli(['wait', 'a9199e4e', '--timeout', '20s', '--dir', dir]);
    const payload = { jobId: 'a9199e4e', status: 'Completed', response: { text: 'hello' } };
    await post(cli.ready.webhookUrl, payload);
    const waited = await waiting;
    expect(waited.code).toBe(0);
    expect(waited.stdout).toBe(JSON.stringify(payload));
    const line = await cli.jsonLine((v) => v.type === 'request');
    expect(line.job).toMatchObject({ id: 'a9199e4e', jobStatus: 'completed', matchedBy: 'body.jobId', attempt: 1, duplicate: false });

    const jobs = JSON.parse((await runCli(['jobs', '--json', '--dir', dir])).stdout);
    expect(jobs).toEqual([expect.objectContaining({ id: 'a9199e4e', status: 'completed', label: 'meeting.mp3', deliveryCount: 1 })]);
    const table = await runCli(['jobs', '--dir', dir]);
    expect(table.stdout).toMatch(/^a9199e4e\s+completed\s+1 delivery\s+\d{4}-\d\d-\d\d .*meeting\.mp3/);
  });

  it('wait: exit 0 for a delivery that came before the call, 3 when the payload says failed, 124 on timeout, 1 without an instance', async () => {
    const dir = await tempDir();
    const cli = await startCli(dir);
    await post(cli.ready.webhookUrl, { taskId: 'early', status: 'succeeded' });
    const early = await runCli(['wait', 'early', '--timeout', '20s', '--dir', dir, '--json']);
    expect(early.code).toBe(0);
    expect(JSON.parse(early.stdout)).toMatchObject({ outcome: 'completed', job: { id: 'early' }, request: { bodyEncoding: 'utf8' } });

    await post(cli.ready.webhookUrl, { response: { request_id: 'bad' }, status: 'Failed' });
    const failed = await runCli(['wait', 'bad', '--timeout', '20s', '--dir', dir]);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/job bad failed \(the payload says "Failed"\)/);

    const late = await runCli(['wait', 'nobody', '--timeout', '300ms', '--dir', dir]);
    expect(late.code).toBe(124);
    expect(late.stderr).toMatch(/job nobody did not complete within 0\.3s \(it is pending\)/);

    const anyDelivery = runCli(['wait', 'prog', '--any', '--timeout', '20s', '--dir', dir]);
    await post(cli.ready.webhookUrl, { jobId: 'prog', status: 'processing' });
    expect((await anyDelivery).code).toBe(0);

    const none = await runCli(['wait', 'x', '--timeout', '300ms', '--dir', await tempDir()]);
    expect(none.code).toBe(124);
    expect(none.stderr).toMatch(/job x did not complete within 0\.3s: no hook-catch started on .*hook-catch start/);
  });

  it('wait started before `start` waits for the instance (a CI script races them), then for the job', async () => {
    const dir = await tempDir();
    const waiting = spawnCli(['wait', 'race-1', '--timeout', '60s', '--dir', dir]);
    await waiting.printed(/no hook-catch is running on .* yet; waiting for one to start/, { stream: 'stderr' });
    const cli = await startCli(dir);
    await expect.poll(() => runCli(['jobs', '--json', '--dir', dir]).then((r) => r.stdout), { timeout: 20_000 }).toContain('race-1');
    await post(cli.ready.webhookUrl, { jobId: 'race-1', status: 'done' });
    expect((await waiting.exited).code).toBe(0);
    expect(waiting.stdout()).toBe('{"jobId":"race-1","status":"done"}');
  });

  it('a delivery acknowledged just before kill -9 is still attached to its job after a restart', async () => {
    const dir = await tempDir();
    const cli = await startCli(dir);
    expect((await runCli(['expect', 'crash-1', '--dir', dir])).code).toBe(0);
    await post(cli.ready.webhookUrl, { jobId: 'crash-1', status: 'done' });
    cli.child.kill('SIGKILL');
    await cli.exited;
    await startCli(dir);
    const job = JSON.parse((await runCli(['wait', 'crash-1', '--timeout', '20s', '--json', '--dir', dir])).stdout);
    expect(job).toMatchObject({ outcome: 'completed', job: { id: 'crash-1', source: 'expect', deliveries: [{ matchedBy: 'body.jobId' }] } });
  });

  it('url --tag registers the job and prints a per-job URL that correlates by itself', async () => {
    const dir = await tempDir();
    const cli = await startCli(dir);
    const url = (await runCli(['url', '--tag', 'job 7/x', '--local', '--dir', dir])).stdout.trim();
    expect(url).toBe(`${cli.ready.webhookUrl}/job%207%2Fx`);
    const registered = JSON.parse((await runCli(['jobs', '--json', '--dir', dir])).stdout);
    expect(registered).toEqual([expect.objectContaining({ id: 'job 7/x', source: 'expect', status: 'pending' })]);
    await fetch(url, { method: 'POST', body: 'ok' });
    const jobs = JSON.parse((await runCli(['jobs', '--json', '--dir', dir])).stdout);
    expect(jobs[0]).toMatchObject({ id: 'job 7/x', status: 'completed' });
  });

  it('jobs reads the store when no instance runs, as the instance matched (its --job-id-path), and --status filters', async () => {
    const dir = await tempDir();
    const cli = await startCli(dir, ['--job-id-path', 'header.x-ref', '--job-ttl', '2h']);
    expect((await runCli(['expect', 'off-1', '--dir', dir])).code).toBe(0);
    await post(cli.ready.webhookUrl, { jobId: 'off-1', status: 'Completed' });
    const byHeader = await fetch(cli.ready.webhookUrl, { method: 'POST', body: 'plain text', headers: { 'X-Ref': 'hdr-1' } });
    expect(byHeader.status).toBe(200);
    await post(cli.ready.webhookUrl, { taskId: 'off-2', status: 'failed' });
    const online = JSON.parse((await runCli(['jobs', '--json', '--dir', dir])).stdout);
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);

    const offline = await runCli(['jobs', '--json', '--dir', dir]);
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toEqual(online);
    expect(online.map((j: any) => j.id).sort()).toEqual(['hdr-1', 'off-1', 'off-2']);
    expect(online.find((j: any) => j.id === 'off-1')).toMatchObject({ source: 'expect', status: 'completed', deliveryCount: 1 });
    const failed = await runCli(['jobs', '--status', 'failed', '--dir', dir]);
    expect(failed.stdout).toMatch(/^off-2\s+failed\s+1 delivery/);
    expect(failed.stdout.trim().split('\n')).toHaveLength(1);
    expect((await runCli(['jobs', '--status', 'expired', '--dir', dir])).stderr).toBe('No expired jobs.\n');
  });

  it('start --job-ttl sets how long a job waits; expect --ttl and --json; wait exits 1 on expiry', async () => {
    const dir = await tempDir();
    await startCli(dir, ['--job-ttl', '90m']);
    const byDefault = JSON.parse((await runCli(['expect', 'ttl-1', '--json', '--dir', dir])).stdout);
    expect(Date.parse(byDefault.expiresAt) - Date.parse(byDefault.registeredAt)).toBe(90 * 60_000);
    expect(byDefault).toMatchObject({ id: 'ttl-1', source: 'expect', status: 'pending', deliveries: [] });
    const short = await runCli(['expect', 'ttl-2', '--ttl', '300ms', '--label', 'quick', '--dir', dir]);
    // The time left when the line is printed: less than the 300 ms asked for on a busy machine.
    expect(short.stdout).toMatch(/^Expecting job ttl-2 \(quick\); expires in \S+\./);
    const registered = JSON.parse((await runCli(['jobs', '--json', '--dir', dir])).stdout).find((job: { id: string }) => job.id === 'ttl-2');
    expect(Date.parse(registered.expiresAt) - Date.parse(registered.registeredAt)).toBe(300);
    const waited = await runCli(['wait', 'ttl-2', '--timeout', '30s', '--dir', dir]);
    expect(waited.code).toBe(1);
    expect(waited.stderr).toMatch(/^hook-catch: job ttl-2 expired at .* with no delivery\.\n$/);
    expect(waited.stdout).toBe('');
  });

  it('wait says so and exits 1 when the request that settled the job was deleted (no empty result file)', async () => {
    const dir = await tempDir();
    const cli = await startCli(dir);
    await post(cli.ready.webhookUrl, { jobId: 'gone-1', status: 'done' });
    const del = await fetch(`${cli.ready.inspectorUrl}/api/requests/last`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const waited = await runCli(['wait', 'gone-1', '--timeout', '10s', '--dir', dir]);
    expect(waited.code).toBe(1);
    expect(waited.stdout).toBe('');
    expect(waited.stderr).toMatch(/^hook-catch: job gone-1 completed, but its request \w+ is no longer in the store \(deleted/);
  });

  it('the jobs API: clear errors for bad input', async () => {
    const dir = await tempDir();
    const cli = await startCli(dir);
    const api = cli.ready.inspectorUrl;
    const bad = await fetch(`${api}/api/jobs`, { method: 'POST', body: '{"label":"no id"}', headers: { 'Content-Type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error).toMatch(/POST \/api\/jobs takes/);
    const broken = await fetch(`${api}/api/jobs`, { method: 'POST', body: '{"id":', headers: { 'Content-Type': 'application/json' } });
    expect(broken.status).toBe(400);
    const missing = await fetch(`${api}/api/jobs/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error).toMatch(/hook-catch expect nope/);
    expect((await fetch(`${api}/api/jobs?status=done`)).status).toBe(400);
    const created = await fetch(`${api}/api/jobs`, { method: 'POST', body: '{"id":"api-1","ttl":"1h"}', headers: { 'Content-Type': 'application/json' } });
    expect(created.status).toBe(201);
    const waited = (await (await fetch(`${api}/api/jobs/api-1/wait?timeout=100ms`)).json()) as any;
    expect(waited).toMatchObject({ outcome: 'timeout', job: { id: 'api-1', status: 'pending' }, request: null });
    const foreign = await fetch(`${api}/api/jobs`, {
      method: 'POST',
      body: '{"id":"x"}',
      headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
  });
});
