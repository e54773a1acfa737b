import { describe, expect, it } from 'vitest';
import { json, runCli, send, spawnCli, startHookCatch, tempDir, type Spawned } from './helpers/index.js';
import { openInspector, SHOWN, useBrowser } from './helpers/page.js';
import { recordingApp, type Recorded } from './helpers/recording-app.js';

const JOBS = ['j-a', 'j-b', 'j-c'];
const PER_JOB = 8;

/** `start --forward URL --forward-mode ack` as a user runs it, in --json so that its URLs can be read. */
async function startAck(dir: string, forward: string | null, extra: string[] = []) {
  const args = ['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--no-tunnel', '--json', ...extra];
  const cli = spawnCli(forward ? [...args, '--forward', forward, '--forward-mode', 'ack'] : args);
  const ready = await cli.jsonLine<{ webhookUrl: string; inspectorUrl: string }>((v) => v.type === 'ready');
  return { cli, ...ready };
}

/** Deliveries of three jobs, interleaved, each acknowledged; returns their ids in the order they were sent. */
async function deliverJobs(webhookUrl: string): Promise<string[]> {
  const ids: string[] = [];
  for (let seq = 0; seq < PER_JOB; seq++) {
    for (const jobId of JOBS) {
      const reply = await send(webhookUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jobId, seq, status: 'processing' }),
      });
      expect(reply.status).toBe(200);
      ids.push(json(reply).id);
    }
  }
  return ids;
}

const queueOf = async (inspectorUrl: string) => {
  const forward = json(await send(`${inspectorUrl}/api/status`)).forward;
  return forward.waiting + forward.sending;
};

/** Everything acknowledged, held in the forward queue by an app that never answers, then kill -9. */
async function killWithQueue(dir: string): Promise<{ ids: string[]; cli: Spawned }> {
  const stuck = await recordingApp(() => 'hang');
  const { cli, webhookUrl, inspectorUrl } = await startAck(dir, stuck.url);
  const ids = await deliverJobs(webhookUrl);
  // One send per job at a time: three reach the app (and hang), the rest wait behind them.
  await expect.poll(() => queueOf(inspectorUrl)).toBe(ids.length);
  await stuck.got(JOBS.length);
  expect(json(await send(`${inspectorUrl}/api/status`)).forward).toMatchObject({ waiting: ids.length - JOBS.length, sending: JOBS.length });
  cli.child.kill('SIGKILL');
  await cli.exited;
  return { ids, cli };
}

const seqsOf = (received: Recorded[], jobId: string) =>
  received
    .map((r) => JSON.parse(r.body.toString()))
    .filter((body) => body.jobId === jobId)
    .map((body) => body.seq as number);

describe('--forward-mode ack: forwards survive a crash', () => {
  it('after kill -9, the next start forwards every acknowledged capture not yet forwarded, in order per job, and says so', async () => {
    const dir = await tempDir();
    const { ids } = await killWithQueue(dir);
    const app = await recordingApp();
    const again = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--no-tunnel', '--forward', app.url, '--forward-mode', 'ack']);
    await again.printed(new RegExp(`Forwarding ${ids.length} captures kept before hook-catch last stopped, whose forward had not ended`), { stream: 'stderr' });
    await app.got(ids.length);
    // At least once: the three that hung at the app before the kill may come twice, never out of order within a job.
    for (const jobId of JOBS) {
      const seqs = seqsOf(app.received, jobId);
      expect(seqs.slice(-PER_JOB)).toEqual([...Array(PER_JOB).keys()]);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    }
    const [, inspector] = (await again.printed(/Inspector\s+(http:\/\/\S+)/))!;
    for (const id of ids) {
      await expect.poll(async () => json(await send(`${inspector}/api/requests/${id}`)).summary.forward?.status, { timeout: 20_000 }).toBe(200);
    }
    expect(json(await send(`${inspector}/api/status`)).forward).toMatchObject({ waiting: 0, sending: 0 });
  });

  it('started again without --forward: each is marked "not forwarded" with why, in the API, show, and one terminal line', async () => {
    const dir = await tempDir();
    const { ids } = await killWithQueue(dir);
    const plain = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--no-tunnel']);
    await plain.printed(
      new RegExp(`${ids.length} captures kept before hook-catch last stopped were never forwarded, and --forward is not given now: marked "not forwarded"`),
      { stream: 'stderr' },
    );
    const [, inspector] = (await plain.printed(/Inspector\s+(http:\/\/\S+)/))!;
    for (const id of ids) {
      expect(json(await send(`${inspector}/api/requests/${id}`)).summary).toMatchObject({
        status: 200,
        forward: { status: null, notSent: true, error: expect.stringMatching(/^not forwarded: hook-catch stopped before forwarding it/) },
      });
    }
    const shown = await runCli(['show', ids[0]!, '--dir', dir]);
    expect(shown.stdout).toMatch(/forward\s+→ not forwarded: hook-catch stopped before forwarding it/);
    plain.child.kill('SIGTERM');
    await plain.exited;
    // Marked once is settled: a later start with --forward sends none of them again.
    const app = await recordingApp();
    const later = await startAck(dir, app.url);
    const reply = await send(later.webhookUrl, { method: 'POST', body: 'new' });
    await app.got(1);
    expect(app.received.map((r) => r.body.toString())).toEqual(['new']);
    expect(json(reply).id).toBeTruthy();
  });

  it('a capture still waiting shows as waiting in show; the queue length is in /api/status', async () => {
    const stuck = await recordingApp(() => 'hang');
    const hc = await startHookCatch({ forward: stuck.url, forwardMode: 'ack' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(json(await send(`${hc.webhookUrl}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: `{"jobId":"one","n":${i}}` })).id);
    await stuck.got(1);
    await expect.poll(async () => json(await send(`${hc.inspectorUrl}/api/status`)).forward).toMatchObject({ waiting: 2, sending: 1 });
    expect(json(await send(`${hc.inspectorUrl}/api/requests/${ids[2]}`)).summary).toMatchObject({ forwardOwed: true });
    const shown = await runCli(['show', ids[2]!, '--dir', hc.dir]);
    expect(shown.stdout).toMatch(/forward\s+waiting: not sent to your app yet/);
  });
});

describe('the page shows the forward queue', () => {
  const browser = useBrowser();

  it('the header counts the captures waiting for the app, live', async () => {
    const stuck = await recordingApp(() => 'hang');
    const hc = await startHookCatch({ forward: stuck.url, forwardMode: 'ack' });
    const page = await openInspector(browser(), hc);
    const queue = page.locator('[data-url=forward] .forward-queue');
    await expect.poll(() => queue.getAttribute('data-queued'), SHOWN).toBe('0');
    for (let i = 0; i < 4; i++) await send(hc.webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: `{"jobId":"q","n":${i}}` });
    await expect.poll(() => queue.getAttribute('data-queued'), SHOWN).toBe('4');
    await expect.poll(() => queue.textContent(), SHOWN).toBe('queue 4');
  });
});
