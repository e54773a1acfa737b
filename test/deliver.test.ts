import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shortId } from '../src/capture/ids.js';
import type { HookCatch } from '../src/start.js';
import { json, runCli, send, startHookCatch, tempDir } from './helpers/index.js';
import { recordingApp, type AppAnswer, type Recorded } from './helpers/recording-app.js';

// `hook-catch deliver` against fake apps started here: one that fails its first attempts, one that
// is not idempotent, one that is slow; the schedule compressed with --speed (1m becomes 100 ms).

const FAST = ['--backoff', '1m', '--speed', '600x'];

/** Stores webhooks in a fresh hook-catch (stopped again, so deliver reads the store alone); their ids, oldest first. */
async function captured(bodies: string[], headers: Record<string, string> = {}): Promise<{ dir: string; ids: string[]; hc: HookCatch }> {
  const dir = await tempDir();
  const hc = await startHookCatch({ dir });
  const ids: string[] = [];
  for (const body of bodies) {
    ids.push(
      json(await send(`${hc.receiverUrl}/hooks/job?src=test`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body })).id,
    );
  }
  return { dir, ids, hc };
}

/** An app that answers each body by how many times it has seen it. */
function countingApp(answer: (seen: number, request: Recorded) => AppAnswer) {
  const seen = new Map<string, number>();
  return recordingApp((request) => {
    const key = request.body.toString();
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return answer(n, request);
  });
}

describe('hook-catch deliver', () => {
  it('retries like a provider until the app acknowledges, byte-exact (a signature still verifies), and reports every attempt; exit 0', async () => {
    const body = '{"jobId":"t-1","status":"completed"}';
    const signature = `sha256=${createHmac('sha256', 'gh-secret').update(body).digest('hex')}`;
    const { dir, ids } = await captured([body], { 'X-Hub-Signature-256': signature });
    const app = await countingApp((n) => (n <= 2 ? { status: 500, body: 'down' } : { status: 200, body: 'ok' }));
    const run = await runCli(['deliver', ids[0]!, '--to', `${app.url}/base`, ...FAST, '--dir', dir]);
    expect(run.code).toBe(0);
    expect(app.received).toHaveLength(3);
    for (const got of app.received) {
      expect(got.url).toBe('/base/hooks/job?src=test');
      expect(got.body.toString()).toBe(body);
      const sent = got.headers.find(([n]) => n === 'X-Hub-Signature-256')![1];
      expect(sent).toBe(`sha256=${createHmac('sha256', 'gh-secret').update(got.body).digest('hex')}`);
    }
    expect(run.stdout).toMatch(/500 → 500 → 200\s+3 attempts\s+[\d, ]+ ms\s+acknowledged/);
    expect(run.stdout).toContain('✓ every webhook finally acknowledged (2xx)');
    expect(run.stdout).toContain('(up to 5 attempts, 1m apart at 600x)');
    expect(run.stderr).toContain('attempt 1: 500, will retry');
  });

  it('a webhook never acknowledged within --retries: exit 2, and the report says which and what it got', async () => {
    const { dir, ids } = await captured(['{"jobId":"ok"}', '{"jobId":"broken"}']);
    const app = await recordingApp((r) => (r.body.toString().includes('broken') ? { status: 503 } : { status: 204 }));
    const run = await runCli(['deliver', ...ids, '--to', app.url, '--retries', '3', ...FAST, '--json', '--dir', dir]);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(false);
    expect(report.webhooks.map((w: any) => w.sends[0].attempts.map((a: any) => a.status))).toEqual([[204], [503, 503, 503]]);
    expect(report.checks.acknowledged).toEqual({
      ok: false,
      rule: 'every webhook finally acknowledged (2xx)',
      problems: [`${shortId(ids[1]!)}: never acknowledged in 3 attempts (503 → 503 → 503)`],
    });
    expect(report.schedule).toEqual({ attempts: 3, backoffMs: [60_000], speed: 600, timeoutMs: 10_000 });
  });

  it('an app that is not idempotent: a duplicate answered 500 fails both checks, and is retried until it gives up', async () => {
    const { dir, ids } = await captured(['{"jobId":"a"}', '{"jobId":"b"}']);
    const app = await countingApp((n) => (n === 1 ? { status: 200 } : { status: 500, body: 'duplicate key' }));
    const run = await runCli(['deliver', ...ids, '--to', app.url, '--duplicates', '100%', '--retries', '2', ...FAST, '--dir', dir]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('✗ the same body answered the same way every time (idempotent)');
    expect(run.stdout).toMatch(/the same body was answered 200 \(\w+\), then 500 \(\w+, duplicate\)/);
    expect(run.stdout).toContain('✗ no 5xx after a duplicate');
    expect(run.stdout).toMatch(/\(duplicate\): answered 500, 500/);
    expect(app.received).toHaveLength(6); // each: 1 + a duplicate tried twice
  });

  it('an app that acknowledges a duplicate with another status is flagged not idempotent: a failed check exits 2, though all were acknowledged', async () => {
    const { dir, ids } = await captured(['{"jobId":"c"}']);
    const app = await countingApp((n) => ({ status: n === 1 ? 201 : 200 }));
    const run = await runCli(['deliver', ids[0]!, '--to', app.url, '--duplicates', '1', '--json', '--dir', dir]);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(false);
    expect(report.checks.acknowledged.ok).toBe(true);
    expect(report.checks.idempotent.ok).toBe(false);
    expect(report.checks.duplicatesNo5xx.ok).toBe(true);
    expect(report.webhooks[0].sends.map((s: any) => [s.order, s.duplicate, s.attempts[0].status])).toEqual([
      [1, false, 201],
      [2, true, 200],
    ]);
  });

  it('--shuffle: a capture with the same bytes as an earlier one, sent first, is the original; the table is in the order sent', async () => {
    // Stored: A, B, then A again (a provider's retry of A). Seed 8 sends them A-again, B, A.
    const { dir, ids } = await captured(['{"jobId":"dup","n":1}', '{"jobId":"other"}', '{"jobId":"dup","n":1}']);
    // The app fails the first time it sees a body (its first delivery is retried), then takes it.
    const app = await countingApp((n) => (n === 1 ? { status: 503 } : { status: 200 }));
    const run = await runCli(['deliver', ...ids, '--to', app.url, '--shuffle', '--seed', '8', ...FAST, '--dir', dir]);
    expect(app.received.map((r) => r.body.toString())).toEqual([
      '{"jobId":"dup","n":1}',
      '{"jobId":"dup","n":1}',
      '{"jobId":"other"}',
      '{"jobId":"other"}',
      '{"jobId":"dup","n":1}',
    ]);
    expect(run.stdout).toContain('✓ no 5xx after a duplicate');
    expect(run.stdout).toContain('✓ the same body answered the same way every time (idempotent)');
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => /acknowledged$/.test(line.trim()) && /^\s+\w{6}\s/.test(line));
    expect(rows.map((line) => line.trim().split(/\s+/)[0])).toEqual([ids[2], ids[1], ids[0]].map((id) => shortId(id!)));
    expect(rows[0]).toMatch(/503 → 200/);
    // A 5xx to the one sent second is still caught, named with the one that went first.
    const failing = await countingApp((n) => (n === 1 ? { status: 200 } : { status: 500 }));
    const again = await runCli(['deliver', ...ids, '--to', failing.url, '--shuffle', '--seed', '8', '--retries', '1', '--json', '--dir', dir]);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout).checks.duplicatesNo5xx.problems).toEqual([
      `${shortId(ids[0]!)} (same body as ${shortId(ids[2]!)}, sent before it): answered 500`,
    ]);
  });

  it('a slow app: an attempt past --timeout fails and is retried, as a provider would', async () => {
    const { dir, ids } = await captured(['{"jobId":"slow"}']);
    const app = await countingApp((n) => (n === 1 ? 'hang' : { status: 200 }));
    const run = await runCli(['deliver', ids[0]!, '--to', app.url, '--timeout', '2s', ...FAST, '--json', '--dir', dir]);
    expect(run.code).toBe(0);
    const attempts = JSON.parse(run.stdout).webhooks[0].sends[0].attempts;
    expect(attempts.map((a: any) => a.failure ?? a.status)).toEqual(['timeout', 200]);
  });

  it('--shuffle sends out of order, the same order again with the same --seed; --concurrency sends several at once', async () => {
    const bodies = Array.from({ length: 8 }, (_, i) => `{"jobId":"s-${i}"}`);
    const { dir, ids } = await captured(bodies);
    const orderOf = async (args: string[]) => {
      const app = await recordingApp();
      const run = await runCli(['deliver', ...ids, '--to', app.url, ...args, '--dir', dir]);
      expect(run.code).toBe(0);
      return app.received.map((r) => r.body.toString());
    };
    expect(await orderOf([])).toEqual(bodies);
    const shuffled = await orderOf(['--shuffle', '--seed', '7']);
    expect(shuffled).not.toEqual(bodies);
    expect([...shuffled].sort()).toEqual([...bodies].sort());
    expect(await orderOf(['--shuffle', '--seed', '7'])).toEqual(shuffled);
    expect((await orderOf(['--concurrency', '4'])).sort()).toEqual([...bodies].sort());
  });

  it("--job delivers a job's webhooks; --file delivers fixtures", async () => {
    const { dir, ids, hc } = await captured(['{"jobId":"j-9","status":"running"}', '{"jobId":"other"}', '{"jobId":"j-9","status":"done"}']);
    await runCli(['export', ids[0]!, ids[2]!, '--out', join(dir, 'fixtures'), '--dir', dir]);
    await hc.close();
    const byJob = await recordingApp();
    expect((await runCli(['deliver', '--job', 'j-9', '--to', byJob.url, '--dir', dir])).code).toBe(0);
    expect(byJob.received.map((r) => r.body.toString())).toEqual(['{"jobId":"j-9","status":"running"}', '{"jobId":"j-9","status":"done"}']);
    const byFile = await recordingApp();
    const run = await runCli(['deliver', '--file', join(dir, 'fixtures'), '--to', byFile.url, '--json', '--dir', dir]);
    expect(run.code).toBe(0);
    expect(byFile.received.map((r) => r.body.toString())).toEqual(['{"jobId":"j-9","status":"running"}', '{"jobId":"j-9","status":"done"}']);
    expect(JSON.parse(run.stdout).webhooks.map((w: any) => w.id)).toEqual([null, null]);
  });

  it('bad usage is one line each', async () => {
    const { dir, ids } = await captured(['{}']);
    const cases: [string[], RegExp][] = [
      [['deliver', '--to', 'http://127.0.0.1:9'], /^hook-catch: What to deliver\? Give request ids, or --job <id>, or --file/],
      [['deliver', ids[0]!], /^hook-catch: Where to\? Give --to <url>/],
      [
        ['deliver', ids[0]!, '--to', 'http://127.0.0.1:9', '--backoff', '2m,soon'],
        /--backoff takes durations between attempts, comma-separated, such as 2m,4m,8m,16m; got "2m,soon"/,
      ],
      [['deliver', ids[0]!, '--to', 'http://127.0.0.1:9', '--speed', 'fast'], /--speed takes how many times faster/],
      [['deliver', ids[0]!, '--to', 'http://127.0.0.1:9', '--duplicates', '150%'], /--duplicates takes a share of the webhooks to send twice/],
    ];
    for (const [args, line] of cases) {
      const run = await runCli([...args, '--dir', dir]);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(line);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
