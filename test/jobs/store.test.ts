import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src/jobs/types.js';
import { RegistrationFile, type Registration } from '../../src/jobs/registrations.js';
import { json, send, startHookCatch, tempDir } from '../helpers/index.js';

type HC = Awaited<ReturnType<typeof startHookCatch>>;

async function deliver(hc: HC, body: unknown, path = '/webhook') {
  const reply = await send(`${hc.receiverUrl}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  expect(reply.status).toBe(200);
  return json(reply).id as string;
}

describe('jobs: what is saved, what is derived', () => {
  it('jobs.json holds only the registrations (owner-only); deliveries come back from the request log after a restart', async () => {
    const dir = await tempDir();
    const first = await startHookCatch({ dir, jobIdPaths: ['header.x-ref'] });
    await first.expect('keep-1', { label: 'kept', ttlMs: 3_600_000 });
    for (let i = 0; i < 200; i++) await deliver(first, { jobId: 'keep-1', status: i === 199 ? 'done' : 'running', n: i });
    await deliver(first, { jobId: 'other-1', status: 'failed' });
    const before = first.jobs.get('keep-1')!;
    await first.close();

    const saved = JSON.parse(await readFile(join(dir, 'jobs.json'), 'utf8'));
    expect(saved).toEqual({
      version: 2,
      settings: { jobIdPaths: ['header.x-ref'], jobTtlMs: 7 * 24 * 3600 * 1000 },
      registrations: [{ id: 'keep-1', label: 'kept', registeredAt: before.registeredAt, ttlMs: 3_600_000 }],
    });
    expect((await stat(join(dir, 'jobs.json'))).mode & 0o777).toBe(0o600);

    const second = await startHookCatch({ dir });
    const result = await second.waitFor('keep-1', { timeoutMs: 5000 });
    expect(result.outcome).toBe('completed');
    const after = second.jobs.get('keep-1')!;
    expect(after).toEqual(before);
    expect(second.jobs.get('other-1')).toMatchObject({ source: 'webhook', status: 'failed' });
  });

  it('reads a jobs.json written by the first version: its registrations are kept', async () => {
    const dir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      join(dir, 'jobs.json'),
      JSON.stringify({
        version: 1,
        through: null,
        unclaimed: [],
        jobs: [
          {
            id: 'old-1',
            label: 'from v1',
            source: 'expect',
            registeredAt: '2026-11-20T10:00:00.000Z',
            firstSeenAt: '2026-11-20T10:00:00.000Z',
            expiresAt: '2026-11-27T10:00:00.000Z',
            status: 'pending',
            history: [],
            deliveries: [],
          },
          {
            id: 'seen-1',
            label: null,
            source: 'webhook',
            registeredAt: null,
            firstSeenAt: '2026-11-20T10:00:00.000Z',
            expiresAt: '2026-11-27T10:00:00.000Z',
            status: 'completed',
            history: [],
            deliveries: [],
          },
        ],
      }),
    );
    const hc = await startHookCatch({ dir, now: () => Date.parse('2026-11-21T00:00:00Z') });
    expect(hc.warnings).toEqual([]);
    await hc.waitFor('old-1', { timeoutMs: 1 });
    expect(hc.jobs.get('old-1')).toMatchObject({ label: 'from v1', source: 'expect', expiresAt: '2026-11-27T10:00:00.000Z', status: 'pending' });
    expect(hc.jobs.get('seen-1')).toBeUndefined(); // a webhook-only job is derived from requests, not carried over
  });

  it('jobs.json keeps the newest registrations up to the limit, one made again moved to the newest end, written as JSON.stringify writes the document', async () => {
    const dir = await tempDir();
    const { file } = await RegistrationFile.open(dir, { maxRegistrations: 3, fsync: false });
    const reg = (id: string, label: string | null = null): Registration => ({ id, label, registeredAt: '2026-12-01T00:00:00.000Z', ttlMs: 1000 });
    const saved = async () => {
      const text = await readFile(join(dir, 'jobs.json'), 'utf8');
      expect(text).toBe(JSON.stringify(JSON.parse(text)));
      return JSON.parse(text) as { registrations: Registration[]; settings: unknown; version: number };
    };
    await file.saveSettings({ jobIdPaths: ['body.a'], jobTtlMs: 5 });
    expect(await saved()).toEqual({ version: 2, settings: { jobIdPaths: ['body.a'], jobTtlMs: 5 }, registrations: [] });
    await file.add(reg('a'));
    await Promise.all([file.add(reg('b')), file.add(reg('c')), file.add(reg('d'))]);
    expect((await saved()).registrations.map((r) => r.id)).toEqual(['b', 'c', 'd']);
    await file.add(reg('c', 'again'));
    expect((await saved()).registrations).toEqual([reg('b'), reg('d'), reg('c', 'again')]);
    await Promise.all([file.add(reg('e')), file.add(reg('f')), file.add(reg('g')), file.add(reg('h'))]);
    expect((await saved()).registrations.map((r) => r.id)).toEqual(['f', 'g', 'h']);
    await file.saveSettings({ jobIdPaths: [], jobTtlMs: 6 });
    expect(await saved()).toEqual({ version: 2, settings: { jobIdPaths: [], jobTtlMs: 6 }, registrations: [reg('f'), reg('g'), reg('h')] });
    const { file: again } = await RegistrationFile.open(dir, { maxRegistrations: 3, fsync: false });
    expect(again.list()).toEqual([reg('f'), reg('g'), reg('h')]);
    await again.add(reg('i'));
    expect((await saved()).registrations.map((r) => r.id)).toEqual(['g', 'h', 'i']);
    // One save at a time, more than the parts it keeps before it joins them.
    const { file: third } = await RegistrationFile.open(dir, { maxRegistrations: 80, fsync: false });
    for (let n = 0; n < 100; n++) await third.add(reg(`n${n}`));
    expect((await saved()).registrations.map((r) => r.id)).toEqual(Array.from({ length: 80 }, (_, n) => `n${n + 20}`));
  });

  it('a restart with the same matching settings leaves jobs.json as it is (thousands of registrations are not written again)', async () => {
    const dir = await tempDir();
    const first = await startHookCatch({ dir, jobIdPaths: ['header.x-ref'] });
    await first.expect('kept-1');
    await first.close();
    const before = await stat(join(dir, 'jobs.json'));
    const second = await startHookCatch({ dir, jobIdPaths: ['header.x-ref'] });
    expect((await stat(join(dir, 'jobs.json'))).ino).toBe(before.ino);
    await second.close();
    const third = await startHookCatch({ dir });
    expect((await stat(join(dir, 'jobs.json'))).ino).not.toBe(before.ino); // other settings: written
    expect(JSON.parse(await readFile(join(dir, 'jobs.json'), 'utf8')).settings.jobIdPaths).toEqual([]);
    await third.waitFor('kept-1', { timeoutMs: 1 });
  });

  it('a registration that cannot be saved is refused (503 in the API) and is not live, then or after a restart', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    await hc.expect('saved-1');
    // The next save of jobs.json cannot be written: its temporary file's name is taken by a folder.
    const blocker = join(dir, `.jobs.json.${process.pid}.tmp`);
    await mkdir(blocker);
    const refused = await send(`${hc.inspectorUrl}/api/jobs`, { method: 'POST', body: '{"id":"unsaved-1"}', headers: { 'Content-Type': 'application/json' } });
    expect(refused.status).toBe(503);
    expect(json(refused).error).toMatch(/^Job unsaved-1 was not registered: it could not be saved, .*--dir/);
    await expect(hc.expect('unsaved-2')).rejects.toThrow(/not registered/);
    expect(hc.jobs.get('unsaved-1')).toBeUndefined();
    expect(hc.jobs.get('unsaved-2')).toBeUndefined();
    // A webhook naming it later is "not expected": nobody registered it.
    await deliver(hc, { jobId: 'unsaved-1', status: 'done' });
    expect(hc.jobs.get('unsaved-1')!.source).toBe('webhook');
    const { rmdir } = await import('node:fs/promises');
    await rmdir(blocker);
    await hc.close();
    const again = await startHookCatch({ dir });
    await again.waitFor('saved-1', { timeoutMs: 1 });
    expect(again.jobs.get('saved-1')!.source).toBe('expect');
    expect(again.jobs.get('unsaved-2')).toBeUndefined();
  });

  it('GET never registers: waiting on an unknown job is a 404, and thousands of them leave the registrations alone', async () => {
    const hc = await startHookCatch({ maxJobs: 10 });
    await hc.expect('real-1');
    for (let i = 0; i < 50; i++) {
      const reply = await send(`${hc.inspectorUrl}/api/jobs/ghost-${i}/wait?timeout=1ms`, { headers: { Origin: 'http://evil.example' } });
      expect(reply.status).toBe(404);
    }
    expect(hc.jobs.list().map((j) => j.id)).toEqual(['real-1']);
    const known = json(await send(`${hc.inspectorUrl}/api/jobs/real-1/wait?timeout=1ms`));
    expect(known).toMatchObject({ outcome: 'timeout', job: { id: 'real-1' } });
  });

  it('past maxJobs the jobs nobody registered are forgotten first: a registration stays, however old its webhook, also after a restart', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir, maxJobs: 10 });
    await hc.expect('registered-old');
    await deliver(hc, { jobId: 'registered-old', status: 'running' });
    for (let i = 0; i < 30; i++) await deliver(hc, { jobId: `unregistered-${i}`, status: 'running' });
    expect(hc.jobs.list().length).toBeLessThanOrEqual(11);
    expect(hc.jobs.get('registered-old')).toMatchObject({ source: 'expect', status: 'in_progress' });
    expect(hc.jobs.get('unregistered-0')).toBeUndefined(); // idle longest, and nobody registered it
    await hc.close();
    const again = await startHookCatch({ dir, maxJobs: 10 });
    await again.waitFor('registered-old', { timeoutMs: 1, any: true });
    expect(again.jobs.get('registered-old')).toMatchObject({ source: 'expect', status: 'in_progress', deliveries: [{ statusWord: 'running' }] });
  });

  it('the library gets a read-only view: changing what it hands out changes nothing', async () => {
    const hc = await startHookCatch();
    await hc.expect('ro-1');
    await deliver(hc, { jobId: 'ro-1', status: 'running' });
    const job = hc.jobs.get('ro-1')!;
    job.status = 'completed';
    job.deliveries.length = 0;
    hc.jobs.list()[0]!.label = 'changed';
    expect(hc.jobs.get('ro-1')).toMatchObject({ status: 'in_progress', label: null, deliveries: [{ statusWord: 'running' }] });
    expect('expect' in hc.jobs).toBe(false);
    expect((await hc.waitFor('ro-1', { timeoutMs: 1, any: true })).job.deliveries).toHaveLength(1);
  });

  it('announces registration, delivery, status change and expiry as job events', async () => {
    const hc = await startHookCatch();
    const seen: string[] = [];
    let expired: () => void;
    const expiredEvent = new Promise<void>((resolve) => (expired = resolve));
    hc.events.on('job', (event: JobEvent) => {
      seen.push(`${event.type} ${event.job.id}${event.type === 'status' ? ` ${event.from}->${event.to}` : ''}`);
      if (event.type === 'status' && event.to === 'expired') expired();
    });
    await hc.expect('ev-1');
    await deliver(hc, { jobId: 'ev-1', status: 'running' });
    await deliver(hc, { jobId: 'ev-1', status: 'done' });
    await hc.expect('ev-2', { ttlMs: 50 });
    await expiredEvent; // announced by itself, without anyone reading the job
    expect(seen).toEqual([
      'registered ev-1',
      'delivered ev-1',
      'status ev-1 pending->in_progress',
      'delivered ev-1',
      'status ev-1 in_progress->completed',
      'registered ev-2',
      'status ev-2 pending->expired',
    ]);
  });
});
