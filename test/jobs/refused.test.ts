import { describe, expect, it, vi } from 'vitest';
import { ExpiryTimer } from '../../src/jobs/expiry.js';
import type { Job } from '../../src/jobs/types.js';
import { start } from '../../src/start.js';
import type { HookCatch } from '../../src/start.js';
import { json, later, runCli, send, spawnCli, startHookCatch, tempDir } from '../helpers/index.js';
import { recordingApp } from '../helpers/recording-app.js';

// A webhook answered non-2xx (by a response rule, or by the app in --forward-mode wait) was refused:
// its provider was told it failed and will usually send it again. Only acknowledged webhooks make a
// job in progress, completed or failed; a job whose every delivery was refused says so.

async function post(url: string, body: object, status: number) {
  const reply = await send(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  expect(reply.status).toBe(status);
  return String(reply.headers['x-hook-catch-id']);
}

const api = async (inspectorUrl: string, path: string) => json(await send(`${inspectorUrl}${path}`));

// Many CLI runs each: on a busy shared machine they get more time than the default.
describe('refused deliveries are not acknowledged ones', { timeout: 120_000 }, () => {
  it('--fail-first 5: five refused deliveries leave the job refused, not completed; jobs, show, the API and wait say so; an acknowledged one completes it', async () => {
    const dir = await tempDir();
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--json', '--no-tunnel', '--fail-first', '5']);
    const ready = await cli.jsonLine((v) => v.type === 'ready');
    expect((await runCli(['expect', 'r-1', '--dir', dir])).code).toBe(0);
    const payload = { jobId: 'r-1', status: 'Completed', text: 'hello' };
    for (let i = 0; i < 5; i++) await post(ready.webhookUrl, payload, 500);

    const job = await api(ready.inspectorUrl, '/api/jobs/r-1');
    expect(job.status).toBe('refused');
    expect(job.deliveries.map((d: { answered: number; attempt: number }) => [d.answered, d.attempt])).toEqual([1, 2, 3, 4, 5].map((n) => [500, n]));
    const [summary] = (await api(ready.inspectorUrl, '/api/jobs')).items;
    expect(summary).toMatchObject({ id: 'r-1', status: 'refused', deliveryCount: 5, refusedCount: 5, refusedWith: [500] });
    const listed = (await api(ready.inspectorUrl, '/api/requests')).items[0];
    expect(listed.job).toMatchObject({ jobStatus: 'refused', source: 'webhook', refused: true, attempt: 5 });
    expect((await runCli(['jobs', '--dir', dir])).stdout).toMatch(/^r-1\s+refused\s+5 deliveries, every one refused \(500\)\s/);
    expect((await runCli(['show', 'last', '--dir', dir])).stdout).toMatch(
      /^job {7}r-1: retry 5 \(duplicate\), refused \(answered 500\): not acknowledged, its sender will usually send it again, "Completed"; the job is refused$/m,
    );

    // wait does not take a refused delivery for the job's end: it waits for the provider's next try.
    const timedOut = await runCli(['wait', 'r-1', '--timeout', '1s', '--dir', dir]);
    expect(timedOut.code).toBe(124);
    expect(timedOut.stdout).toBe('');
    expect(timedOut.stderr).toBe(
      'hook-catch: job r-1 did not complete within 1s (it is refused: 5 deliveries, every one refused (500): none was acknowledged, and its provider will usually send it again).\n',
    );
    const waiting = runCli(['wait', 'r-1', '--timeout', '60s', '--dir', dir]);
    const acknowledged = await post(ready.webhookUrl, payload, 200);
    const waited = await waiting;
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)).toEqual(payload);
    expect((await api(ready.inspectorUrl, '/api/jobs/r-1')).history.map((h: { status: string }) => h.status)).toEqual(['pending', 'refused', 'completed']);
    expect((await runCli(['jobs', '--dir', dir])).stdout).toMatch(/^r-1\s+completed\s+6 deliveries \(5 refused: 500\)\s/);
    const answer = JSON.parse((await runCli(['wait', 'r-1', '--json', '--dir', dir])).stdout);
    expect(answer).toMatchObject({ outcome: 'completed', delivery: { requestId: acknowledged, answered: 200 } });
  });

  it('--forward-mode wait: what the app refused is refused, also for the jobs derived again after a restart', async () => {
    let status = 503;
    const app = await recordingApp(() => ({ status, body: 'not now' }));
    const dir = await tempDir();
    const first = await start({ port: 0, inspectorPort: 0, dir, output: 'none', tunnel: false, forward: app.url });
    await post(first.webhookUrl, { jobId: 'f-1', status: 'succeeded' }, 503);
    expect(first.jobs.get('f-1')).toMatchObject({ status: 'refused', deliveries: [{ answered: 503 }] });
    await first.close();

    const again: HookCatch = await start({ port: 0, inspectorPort: 0, dir, output: 'none', tunnel: false, forward: app.url });
    later(() => again.close());
    await expect.poll(() => again.jobs.get('f-1')?.status).toBe('refused');
    status = 200;
    await post(again.webhookUrl, { jobId: 'f-1', status: 'succeeded' }, 200);
    expect(again.jobs.get('f-1')).toMatchObject({ status: 'completed', deliveries: [{ answered: 503 }, { answered: 200, attempt: 2 }] });
  });

  it('acknowledged progress keeps a job in progress past a refused completion; --any returns on a refused delivery and says so', async () => {
    const hc = await startHookCatch({ rules: [{ path: '/refuse', status: 500 }] });
    await post(`${hc.receiverUrl}/webhook`, { jobId: 'p-1', status: 'processing' }, 200);
    await post(`${hc.receiverUrl}/refuse`, { jobId: 'p-1', status: 'done' }, 500);
    expect(hc.jobs.get('p-1')!.status).toBe('in_progress');
    expect((await hc.waitFor('p-1', { timeoutMs: 200 })).outcome).toBe('timeout');

    const id = await post(`${hc.receiverUrl}/refuse`, { jobId: 'any-1', status: 'done' }, 500);
    const dir = hc.dir;
    const waited = await runCli(['wait', 'any-1', '--any', '--timeout', '30s', '--dir', dir]);
    expect(waited.code).toBe(0);
    expect(waited.stderr).toBe('hook-catch: job any-1: this delivery was refused (answered 500), so its provider will usually send it again.\n');
    expect(JSON.parse(waited.stdout)).toEqual({ jobId: 'any-1', status: 'done' });
    expect(hc.jobs.matchOf(id)).toMatchObject({ refused: true, jobStatus: 'refused' });
  });

  it('a refused (or imported, or lost) job past its time sets no expiry timer: it does not expire, so a timer would only fire again and again', () => {
    const due: string[] = [];
    const timer = new ExpiryTimer(Date.now, () => due.push('due'));
    const spy = vi.spyOn(globalThis, 'setTimeout');
    try {
      for (const status of ['refused', 'imported', 'webhook_lost'] as const) {
        timer.consider({ id: status, status, expiresAt: new Date(Date.now() - 1000).toISOString() } as Job);
      }
      expect(spy).not.toHaveBeenCalled();
      timer.consider({ id: 'waiting', status: 'pending', expiresAt: new Date(Date.now() - 1000).toISOString() } as Job);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
      timer.stop();
    }
  });
});
