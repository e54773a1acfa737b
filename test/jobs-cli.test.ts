import { describe, expect, it } from 'vitest';
import { runCli, spawnCli, tempDir } from './helpers.js';

async function startCli(dir: string) {
  const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--json', '--no-tunnel']);
  const ready = await cli.jsonLine((v) => v.type === 'ready');
  return { ...cli, ready };
}

async function post(url: string, body: unknown) {
  const reply = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  expect(reply.status).toBe(200);
}

describe('expect, jobs and wait from the command line', () => {
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

    const none = await runCli(['wait', 'x', '--dir', await tempDir()]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No hook-catch is running on .*hook-catch start/);
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

  it('url --tag prints a per-job URL that correlates by itself', async () => {
    const dir = await tempDir();
    const cli = await startCli(dir);
    const url = (await runCli(['url', '--tag', 'job 7/x', '--local', '--dir', dir])).stdout.trim();
    expect(url).toBe(`${cli.ready.webhookUrl}/job%207%2Fx`);
    await fetch(url, { method: 'POST', body: 'ok' });
    const jobs = JSON.parse((await runCli(['jobs', '--json', '--dir', dir])).stdout);
    expect(jobs[0]).toMatchObject({ id: 'job 7/x', status: 'completed' });
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
    const foreign = await fetch(`${api}/api/jobs`, { method: 'POST', body: '{"id":"x"}', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
  });
});
