import { describe, expect, it } from 'vitest';
import { shortId } from '../../src/capture/ids.js';
import type { HookCatch } from '../../src/start.js';
import { json, runCli, send, startHookCatch } from '../helpers/index.js';
import { fixtureOf, importThrough } from '../helpers/import.js';

// Imported fixtures (`hook-catch import`) are shown under their jobs, marked, but they are not live
// deliveries: no attempt, no retry, no status of the job comes from them. Lists go by arrival here.

async function deliver(hc: HookCatch, body: object): Promise<string> {
  const reply = await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  expect(reply.status).toBe(200);
  return json(reply).id;
}

const apiJob = async (hc: HookCatch, id: string) => json(await send(`${hc.inspectorUrl}/api/jobs`)).items.find((j: { id: string }) => j.id === id);

// Several CLI runs each: on a busy shared machine they get more time than the default.
describe('imported fixtures and jobs', { timeout: 120_000 }, () => {
  it("a job's own fixtures imported again add no attempt and no retry: shown under it, marked, counted apart", async () => {
    const hc = await startHookCatch();
    await hc.expect('imp-1');
    const progress = { jobId: 'imp-1', status: 'InProgress' };
    const done = { jobId: 'imp-1', status: 'Completed' };
    const live = [await deliver(hc, progress), await deliver(hc, done)];
    const imported = await importThrough(hc.inspectorUrl, [fixtureOf(progress), fixtureOf(done)]);

    const job = hc.jobs.get('imp-1')!;
    expect(job.status).toBe('completed');
    expect(job.deliveries.map((d) => [d.requestId, d.source, d.attempt, d.duplicate])).toEqual([
      [live[0], 'webhook', 1, false],
      [live[1], 'webhook', 1, false],
      [imported[0], 'import', 1, false],
      [imported[1], 'import', 1, false],
    ]);
    expect(hc.jobs.matchOf(imported[1]!)).toMatchObject({ jobId: 'imp-1', source: 'import', duplicate: false, refused: false });
    expect(await apiJob(hc, 'imp-1')).toMatchObject({ status: 'completed', deliveryCount: 2, importedCount: 2, lastRequestId: live[1] });
    const table = await runCli(['jobs', '--dir', hc.dir]);
    expect(table.stdout).toMatch(/^imp-1\s+completed\s+2 deliveries, 2 imported\s/m);

    // A live retry after the imports is attempt 2 of the live ones.
    const retry = await deliver(hc, done);
    expect(hc.jobs.get('imp-1')!.deliveries.at(-1)).toMatchObject({ requestId: retry, attempt: 2, duplicate: true });
  });

  it('newest first is by arrival here: imports (with their older times) come first in list, the API and jobs; list and show mark them', async () => {
    const hc = await startHookCatch();
    const a = await deliver(hc, { jobId: 'order-a', status: 'done' });
    const b = await deliver(hc, { jobId: 'order-b', status: 'done' });
    const [old] = await importThrough(hc.inspectorUrl, [fixtureOf({ jobId: 'order-a', status: 'done', n: 2 })]);

    const page = json(await send(`${hc.inspectorUrl}/api/requests`));
    expect(page.items.map((r: { id: string }) => r.id)).toEqual([old, b, a]);
    expect(page.items[0]).toMatchObject({ imported: true, receivedAt: '2020-03-01T12:00:00.000Z', job: { jobId: 'order-a', source: 'import' } });
    expect(page.items[1].imported).toBeUndefined();
    // The job whose import arrived last was active last, whatever the import's own time.
    expect(json(await send(`${hc.inspectorUrl}/api/jobs`)).items.map((j: { id: string }) => j.id)).toEqual(['order-a', 'order-b']);

    await hc.close();
    const listed = (await runCli(['list', '--dir', hc.dir])).stdout.trimEnd().split('\n');
    expect(listed.map((line) => /\s([0-9a-z]{6})(\s|$)/.exec(line.slice(20))![1])).toEqual([old, b, a].map((id) => shortId(id!)));
    // Marked imported, then its event type (the fixture's status word).
    expect(listed[0]).toMatch(/^2020-03-01 .* imported {2}\S+$/);
    expect(listed[1]).not.toContain('imported');
    const jobs = (await runCli(['jobs', '--dir', hc.dir])).stdout;
    expect(jobs).toMatch(/^order-a\s+completed\s+1 delivery, 1 imported\s.*\norder-b\s+completed\s+1 delivery\s/);
    const shown = (await runCli(['show', shortId(old!), '--dir', hc.dir])).stdout;
    expect(shown).toMatch(/^received {2}2020-03-01 .* \(imported from a fixture: first received then, stored here later\)$/m);
    expect(shown).toMatch(/^job {7}order-a: imported, not a live delivery \("done"\); the job is completed \(not expected\)$/m);
  });

  it('an import does not settle a job that is waiting; a job known only from imports is `imported`, does not expire, and waits for a live delivery', async () => {
    const hc = await startHookCatch();
    await hc.expect('waiting');
    await importThrough(hc.inspectorUrl, [fixtureOf({ jobId: 'waiting', status: 'Completed' }), fixtureOf({ jobId: 'only-imported', status: 'Completed' })]);
    expect(hc.jobs.get('waiting')).toMatchObject({ status: 'pending', deliveries: [{ source: 'import' }] });
    expect((await hc.waitFor('waiting', { timeoutMs: 200 })).outcome).toBe('timeout');

    // Its import's own time is years ago: a job dated by it would have expired at once.
    const only = hc.jobs.get('only-imported')!;
    expect(only.status).toBe('imported');
    expect(Date.parse(only.firstSeenAt)).toBeGreaterThan(Date.parse('2025-01-01'));
    expect(await apiJob(hc, 'only-imported')).toMatchObject({ status: 'imported', deliveryCount: 0, importedCount: 1 });
    expect((await runCli(['jobs', '--status', 'imported', '--dir', hc.dir])).stdout).toMatch(/^only-imported\s+imported\s+no delivery, 1 imported\s/);
    const waited = hc.waitFor('only-imported', { timeoutMs: 30_000 });
    await deliver(hc, { jobId: 'only-imported', status: 'Completed', live: true });
    const result = await waited;
    expect(result).toMatchObject({ outcome: 'completed', delivery: { source: 'webhook' } });
    expect(result.job.history.map((h) => h.status)).toEqual(['pending', 'imported', 'completed']);
    // Registered after its import: waiting, as any registered job.
    await importThrough(hc.inspectorUrl, [fixtureOf({ jobId: 'later', status: 'Completed' })]);
    expect((await hc.expect('later')).status).toBe('pending');
  });
});
