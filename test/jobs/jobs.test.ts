import { describe, expect, it } from 'vitest';
import { extract, LIMITS, parseRule } from '../../src/jobs/extract.js';
import { statusOfWord } from '../../src/jobs/status-words.js';
import { json, send, startHookCatch, tempDir } from '../helpers/index.js';

type HC = Awaited<ReturnType<typeof startHookCatch>>;

async function deliver(hc: HC, body: unknown, path = '/webhook', headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const reply = await send(`${hc.receiverUrl}${path}`, { method: 'POST', body: text, headers: { 'Content-Type': 'application/json', ...headers } });
  expect(reply.status).toBe(200);
  return json(reply).id as string;
}

describe('job correlation: the four providers in shared/seeds', () => {
  it('jobId at the top level, a status endpoint shape, one-week expiry (AI API)', async () => {
    const hc = await startHookCatch();
    const job = await hc.expect('a919924e-ce4e-11ed-8c4a-0050568c48bc', { label: 'speech-to-text' });
    expect(job).toMatchObject({ status: 'pending', source: 'expect', label: 'speech-to-text' });
    expect(Date.parse(job.expiresAt) - Date.parse(job.registeredAt!)).toBe(7 * 24 * 3600 * 1000);
    const requestId = await deliver(hc, {
      jobId: 'a919924e-ce4e-11ed-8c4a-0050568c48bc',
      api: '/ai/audio/v1/async/speech-to-text',
      creationTime: '2023-04-04T21:20:20.246Z',
      status: 'Success',
      response: { utterances: [{ text: 'hello' }] },
    });
    const after = hc.jobs.get('a919924e-ce4e-11ed-8c4a-0050568c48bc')!;
    expect(after.status).toBe('completed');
    expect(after.deliveries).toEqual([expect.objectContaining({ requestId, matchedBy: 'body.jobId', statusWord: 'Success', attempt: 1, duplicate: false })]);
  });

  it('a response id in the body, pending -> processing -> done (async responses)', async () => {
    const hc = await startHookCatch();
    await hc.expect('async-response-id-123');
    await deliver(hc, { response_id: 'async-response-id-123', status: 'processing' });
    expect(hc.jobs.get('async-response-id-123')!.status).toBe('in_progress');
    await deliver(hc, { response_id: 'async-response-id-123', status: 'done', data: { url: 'https://cdn.example/v.mp4' } });
    const job = hc.jobs.get('async-response-id-123')!;
    expect(job.status).toBe('completed');
    expect(job.history.map((h) => h.status)).toEqual(['pending', 'in_progress', 'completed']);
  });

  it('a nested request_id with Completed / Failed / Running (job status API)', async () => {
    const hc = await startHookCatch();
    await hc.expect('req-ok');
    await hc.expect('req-bad');
    await deliver(hc, { response: { request_id: 'req-ok', response: { transcript: 'Hi! Hello, this is Susan.' } }, status: 'Running' });
    expect(hc.jobs.get('req-ok')!.status).toBe('in_progress');
    await deliver(hc, { response: { request_id: 'req-ok', response: { transcript: 'Hi! Hello, this is Susan.', num_speakers: 2 } }, status: 'Completed' });
    await deliver(hc, { response: { request_id: 'req-bad' }, status: 'Failed' });
    expect(hc.jobs.get('req-ok')).toMatchObject({ status: 'completed', deliveries: [{ matchedBy: 'body.response.request_id' }, {}] });
    expect(hc.jobs.get('req-bad')!.status).toBe('failed');
  });

  it('a taskId with an idempotencyKey, delivered five times with backoff: attempts 1 to 5 (task API)', async () => {
    const hc = await startHookCatch();
    await hc.expect('task-5');
    const body = { taskId: 'task-5', idempotencyKey: 'order-991', status: 'completed', result: { pages: 3 } };
    for (let i = 0; i < 5; i++) await deliver(hc, body);
    const job = hc.jobs.get('task-5')!;
    expect(job.deliveries.map((d) => [d.attempt, d.duplicate])).toEqual([
      [1, false],
      [2, true],
      [3, true],
      [4, true],
      [5, true],
    ]);
    // A different body for the same job is a new delivery, not a retry.
    await deliver(hc, { ...body, result: { pages: 4 } });
    expect(hc.jobs.get('task-5')!.deliveries.at(-1)).toMatchObject({ attempt: 1, duplicate: false });
    // The user's own idempotency key finds the same delivery when that is what they registered.
    const other = await startHookCatch();
    await other.expect('order-991');
    await deliver(other, body);
    expect(other.jobs.get('order-991')!.deliveries[0]!.matchedBy).toBe('body.idempotencyKey');
  });
});

describe('job correlation: rules', () => {
  it('a webhook that beats its registration is attached when the job is registered', async () => {
    const hc = await startHookCatch();
    await deliver(hc, { jobId: 'fast-1', status: 'done' });
    expect(hc.jobs.get('fast-1')).toMatchObject({ source: 'webhook', status: 'completed' });
    const job = await hc.expect('fast-1');
    expect(job).toMatchObject({ source: 'expect', status: 'completed', deliveries: [{ matchedBy: 'body.jobId' }] });
    const result = await hc.waitFor('fast-1', { timeoutMs: 20_000 });
    expect(result.outcome).toBe('completed');
  });

  it('a registration claims a delivery filed under another id, or under a bare id', async () => {
    const hc = await startHookCatch();
    await deliver(hc, { jobId: 'provider-1', request_id: 'mine-7', status: 'done' });
    await deliver(hc, { id: 'evt_42', object: 'event', status: 'succeeded' });
    expect(hc.jobs.get('evt_42')).toBeUndefined(); // a bare id alone makes no job
    await hc.expect('mine-7');
    expect(hc.jobs.get('mine-7')!.deliveries).toHaveLength(1);
    expect(hc.jobs.get('provider-1')).toBeUndefined();
    await hc.expect('evt_42');
    expect(hc.jobs.get('evt_42')).toMatchObject({ status: 'completed', deliveries: [{ statusWord: 'succeeded' }] });
  });

  it('an id under a job/task/request object counts; a bare id matches only a registered job', async () => {
    const hc = await startHookCatch();
    await deliver(hc, { event: 'job.failed', job: { id: 'j-9' } });
    expect(hc.jobs.get('j-9')).toMatchObject({ status: 'failed', deliveries: [{ matchedBy: 'body.job.id', statusWord: 'job.failed' }] });
    await hc.expect('plain-1');
    await deliver(hc, { id: 'plain-1', state: 'COMPLETE' });
    expect(hc.jobs.get('plain-1')!.status).toBe('completed');
  });

  it('progress does not end a job, a late progress does not undo the end, no status word means completed', async () => {
    const hc = await startHookCatch();
    await hc.expect('p-1');
    await deliver(hc, { jobId: 'p-1', status: 'queued' });
    await deliver(hc, { jobId: 'p-1', status: 'In Progress', percent: 50 });
    expect(hc.jobs.get('p-1')!.status).toBe('in_progress');
    await deliver(hc, { jobId: 'p-1', status: 'SUCCEEDED' });
    await deliver(hc, { jobId: 'p-1', status: 'running', late: true });
    expect(hc.jobs.get('p-1')!.status).toBe('completed');
    await hc.expect('n-1');
    await deliver(hc, { jobId: 'n-1', result: { text: 'no status word here' } });
    expect(hc.jobs.get('n-1')).toMatchObject({ status: 'completed', deliveries: [{ statusWord: null, status: 'completed' }] });
  });

  it('user rules come first: header, body path, query, path.last', async () => {
    const hc = await startHookCatch({ jobIdPaths: ['header.x-job-id', 'body.meta.ref', 'query.ref'] });
    for (const id of ['h-1', 'b-1', 'q-1']) await hc.expect(id);
    await deliver(hc, { jobId: 'decoy', status: 'done' }, '/webhook', { 'X-Job-Id': 'h-1' });
    await deliver(hc, { jobId: 'decoy', meta: { ref: 'b-1' }, status: 'done' });
    await deliver(hc, { status: 'done' }, '/webhook?ref=q-1');
    expect(hc.jobs.get('h-1')!.deliveries[0]!.matchedBy).toBe('rule header.x-job-id');
    expect(hc.jobs.get('b-1')!.deliveries[0]!.matchedBy).toBe('rule body.meta.ref');
    expect(hc.jobs.get('q-1')!.deliveries[0]!.matchedBy).toBe('rule query.ref');
    expect(() => parseRule('cookie.x')).toThrow(/not a rule hook-catch knows/);
  });

  it('a per-job URL (/webhook/<id>) correlates by itself, and query parameters by their names', async () => {
    const hc = await startHookCatch();
    await hc.expect('tag-1');
    await deliver(hc, 'not even json', '/webhook/tag-1');
    expect(hc.jobs.get('tag-1')).toMatchObject({ status: 'completed', deliveries: [{ matchedBy: 'path' }] });
    await deliver(hc, '', '/webhook?task_id=qq-1&status=failed');
    expect(hc.jobs.get('qq-1')!.deliveries[0]!.matchedBy).toBe('query.task_id');
    // "/webhook" itself is not a job.
    await deliver(hc, { status: 'done' });
    expect(hc.jobs.get('webhook')).toBeUndefined();
  });

  it('a path segment alone makes no job: odd paths and HEAD are captured, not jobs; a registration or path.last claims it', async () => {
    const hc = await startHookCatch();
    await deliver(hc, '', '/some/odd/path');
    expect((await send(`${hc.receiverUrl}/webhook/head`, { method: 'HEAD' })).status).toBe(200);
    await deliver(hc, { status: 'done' }, '/webhook/late-7');
    expect(hc.jobs.list()).toEqual([]);
    // A registration that comes later claims the delivery its path named.
    await hc.expect('late-7');
    expect(hc.jobs.get('late-7')).toMatchObject({ status: 'completed', deliveries: [{ matchedBy: 'path (claimed on registration)' }] });
    expect(hc.jobs.get('path')).toBeUndefined();
    expect(hc.jobs.get('head')).toBeUndefined();

    const ruled = await startHookCatch({ jobIdPaths: ['path.last'] });
    await deliver(ruled, { status: 'done' }, '/hooks/rule-1');
    expect(ruled.jobs.get('rule-1')).toMatchObject({ source: 'webhook', status: 'completed', deliveries: [{ matchedBy: 'rule path.last' }] });
  });

  it('pending jobs expire by the clock, with no timer per job; a late delivery still lands', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const hc = await startHookCatch({ now: () => now });
    await hc.expect('slow-1', { ttlMs: 60_000 });
    now += 59_000;
    expect(hc.jobs.get('slow-1')!.status).toBe('pending');
    now += 2_000;
    expect(hc.jobs.get('slow-1')!.status).toBe('expired');
    expect(hc.jobs.list('expired').map((j) => j.id)).toEqual(['slow-1']);
    expect((await hc.waitFor('slow-1', { timeoutMs: 20_000 })).outcome).toBe('expired');
    await deliver(hc, { jobId: 'slow-1', status: 'done' });
    expect(hc.jobs.get('slow-1')!.status).toBe('completed');
  });

  it('waitFor resolves on a later delivery, at once for an earlier one, and times out', async () => {
    const hc = await startHookCatch();
    const waiting = hc.waitFor('later-1', { timeoutMs: 20_000 });
    const progress = hc.waitFor('later-1', { timeoutMs: 20_000, any: true });
    await deliver(hc, { jobId: 'later-1', status: 'processing' });
    expect((await progress).outcome).toBe('delivered');
    await deliver(hc, { jobId: 'later-1', status: 'error', message: 'bad audio' });
    const result = await waiting;
    expect(result).toMatchObject({ outcome: 'failed', delivery: { statusWord: 'error' } });
    expect((await hc.waitFor('later-1', { timeoutMs: 10 })).outcome).toBe('failed');
    expect((await hc.waitFor('never-1', { timeoutMs: 50 })).outcome).toBe('timeout');
  });

  it('the jobs the library hands out are copies: changing one, however deep, changes nothing in hook-catch', async () => {
    const hc = await startHookCatch();
    await hc.expect('copy-1', { label: 'mine' });
    await deliver(hc, { jobId: 'copy-1', status: 'processing' });
    const job = hc.jobs.get('copy-1')!;
    expect(job).toEqual(hc.jobs.list()[0]);
    job.label = 'changed';
    job.history.push({ status: 'failed', at: job.history[0]!.at });
    job.deliveries[0]!.statusWord = 'changed';
    job.deliveries.pop();
    const waited = await hc.waitFor('copy-1', { timeoutMs: 10, any: true });
    waited.job.deliveries[0]!.attempt = 99;
    expect(hc.jobs.get('copy-1')).toMatchObject({ label: 'mine', status: 'in_progress', history: [{ status: 'pending' }, { status: 'in_progress' }] });
    expect(hc.jobs.get('copy-1')!.deliveries).toMatchObject([{ statusWord: 'processing', attempt: 1 }]);
  });

  it('jobs and their deliveries survive a restart', async () => {
    const dir = await tempDir();
    const first = await startHookCatch({ dir });
    await first.expect('keep-1', { label: 'kept' });
    await deliver(first, { jobId: 'keep-1', status: 'done' });
    await first.close();
    const second = await startHookCatch({ dir });
    expect(second.jobs.get('keep-1')).toMatchObject({ label: 'kept', status: 'completed', deliveries: [{ matchedBy: 'body.jobId' }] });
  });

  it('a damaged jobs.json is kept aside with one warning, and the jobs are rebuilt from the stored requests', async () => {
    const { readdir, readFile, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const dir = await tempDir();
    const first = await startHookCatch({ dir });
    await first.expect('rebuilt-1');
    await deliver(first, { jobId: 'rebuilt-1', status: 'done' });
    await first.close();
    const saved = await readFile(join(dir, 'jobs.json'), 'utf8');
    await writeFile(join(dir, 'jobs.json'), saved.slice(0, saved.length / 2));
    const second = await startHookCatch({ dir });
    expect(second.warnings).toEqual([expect.stringMatching(/jobs\.json was damaged; it is kept aside in .*damaged.*rebuilt from the stored requests/)]);
    expect(await readdir(join(dir, 'damaged'))).toEqual([expect.stringMatching(/^jobs-.*\.json$/)]);
    const result = await second.waitFor('rebuilt-1', { timeoutMs: 20_000 });
    expect(result).toMatchObject({ outcome: 'completed', job: { deliveries: [{ matchedBy: 'body.jobId' }] } });
  });

  it('maps status words without case or punctuation', () => {
    expect(['Completed', 'complete', 'DONE', 'succeeded', 'Success', 'job.completed'].map(statusOfWord)).toEqual(Array(6).fill('completed'));
    expect(['failed', 'ERROR', 'Canceled', 'cancelled', 'timed_out'].map(statusOfWord)).toEqual(Array(5).fill('failed'));
    expect(['InProgress', 'in_progress', 'Running', 'processing', 'queued'].map(statusOfWord)).toEqual(Array(5).fill('in_progress'));
    expect(statusOfWord('purple')).toBeNull();
  });
});

/** A captured POST to /hook whose body is `body` as JSON, for extract() alone. */
const requestWith = (body: unknown) =>
  ({
    id: '0mwt9vgst000pq8z3b',
    receivedAt: new Date().toISOString(),
    method: 'POST',
    url: '/hook',
    path: '/hook',
    query: [],
    httpVersion: '1.1',
    headers: [],
    remoteAddress: null,
    contentType: 'application/json',
    bodySize: 0,
    bodyDiscarded: false,
    response: { status: 200 },
    body: Buffer.from(JSON.stringify(body)),
  }) as any;

describe('job correlation: hostile bodies', () => {
  it('100,000-deep nesting, 50 MB of keys and __proto__ keys are stored and answered, and neither crash nor pollute anything', async () => {
    // Built first: building it can take seconds on a busy machine, longer than node:http keeps an
    // idle kept-alive connection (5 s), and a request sent on one it is closing gets a reset.
    const keys: string[] = [];
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i++) {
      const entry = `"key_${i}_${'x'.repeat(40)}":${i}`;
      keys.push(entry);
      size += entry.length + 1;
    }
    const huge = `{"jobId":"huge-1",${keys.join(',')}}`;
    const hc = await startHookCatch({ maxBody: 64 * 1024 * 1024 });
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const deepObject = `${'{"a":'.repeat(100_000)}{"jobId":"too-deep"}${'}'.repeat(100_000)}`;
    await deliver(hc, deep);
    await deliver(hc, deepObject);
    expect(hc.jobs.get('too-deep')).toBeUndefined();

    const id = await deliver(hc, huge);
    expect((await hc.store.get(id))!.bodySize).toBe(Buffer.byteLength(huge));
    expect(hc.jobs.get('huge-1')).toBeUndefined(); // bigger than extraction looks into: stored, not parsed

    await deliver(hc, '{"__proto__":{"jobId":"evil","polluted":true},"constructor":{"prototype":{"x":1}},"jobId":"safe-1"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(hc.jobs.get('safe-1')!.deliveries[0]!.matchedBy).toBe('body.jobId');
    expect((await send(hc.webhookUrl, { method: 'POST', body: '{"jobId":"after-1"}' })).status).toBe(200);
    expect(hc.jobs.get('after-1')).toBeDefined();
  });

  it('extraction stops at its bounds', () => {
    const wide = (n: number) => ({ items: Array.from({ length: n }, (_, i) => ({ n: i })), tail: { jobId: 'beyond' } });
    const ids = (body: unknown) => extract(requestWith(body), []).candidates.map((c) => c.id);
    expect(ids(wide(100))).toContain('beyond');
    expect(JSON.stringify(wide(40_000)).length).toBeLessThan(LIMITS.parseBytes); // parsed, but past the node bound
    expect(ids(wide(40_000))).not.toContain('beyond');
  });

  it('reads no further once a registered id and a status are found, and still finds a registered id deeper down', () => {
    const body = { jobId: 'top', status: 'done', data: { task_id: 'deep', state: 'failed' } };
    const registered = (ids: string[]) => (id: string) => ids.includes(id);
    // `top` is registered: it wins whatever is below, and the status is the first one found.
    // (`hook` is the path's last segment, a weak candidate: the path is read after the body.)
    const ids = (found: { candidates: { id: string }[] }) => found.candidates.map((c) => c.id);
    const settled = extract(requestWith(body), [], registered(['top']));
    expect([ids(settled), settled.statusWord]).toEqual([['top', 'hook'], 'done']);
    // Not registered: the whole body is read, so that a registration of `deep` (now or later) finds it.
    for (const known of [[], ['deep']]) expect(ids(extract(requestWith(body), [], registered(known)))).toEqual(['top', 'deep', 'hook']);
    // A registered id with no status word yet: reading goes on until one is found.
    const later = extract(requestWith({ jobId: 'top', data: { state: 'failed', task_id: 'deep' } }), [], registered(['top']));
    expect([ids(later), later.statusWord]).toEqual([['top', 'hook'], 'failed']);
  });

  it('looks 32 levels into a body and no deeper', async () => {
    const hc = await startHookCatch();
    // The id's object `levels` objects below the body: {"a":{"a":…{"jobId":"…"}…}}
    const nested = (levels: number, id: string) => `${'{"a":'.repeat(levels)}{"jobId":"${id}","status":"done"}${'}'.repeat(levels)}`;
    for (const id of ['depth-32', 'depth-33']) await hc.expect(id);
    await deliver(hc, nested(32, 'depth-32'));
    await deliver(hc, nested(33, 'depth-33'));
    expect(hc.jobs.get('depth-32')).toMatchObject({ status: 'completed', deliveries: [{ matchedBy: `body.${'a.'.repeat(32)}jobId` }] });
    expect(hc.jobs.get('depth-33')).toMatchObject({ status: 'pending', deliveries: [] });
  });
});
