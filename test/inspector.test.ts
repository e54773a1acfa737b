import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { json, send, startHookCatch, tempDir } from './helpers/index.js';

async function capture(hc: Awaited<ReturnType<typeof startHookCatch>>, path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return json(await send(`${hc.receiverUrl}${path}`, { method: 'POST', body, headers })).id as string;
}

describe('inspector API', () => {
  it('lists summaries newest first, pages with before, filters by q, method and path', async () => {
    const hc = await startHookCatch();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await capture(hc, `/webhook/${i}`, `{"taskId":"t-${i}","status":"${i === 2 ? 'FAILED' : 'done'}"}`));
    await send(`${hc.receiverUrl}/ping`);
    const page = json(await send(`${hc.inspectorUrl}/api/requests?limit=2&method=post`));
    expect(page.items.map((i: any) => i.id)).toEqual([ids[4], ids[3]]);
    expect(page.total).toBe(6);
    expect(page.items[0]).not.toHaveProperty('body');
    expect(page.items[0]).not.toHaveProperty('headers');
    const next = json(await send(`${hc.inspectorUrl}/api/requests?limit=2&method=POST&before=${page.nextBefore}`));
    expect(next.items.map((i: any) => i.id)).toEqual([ids[2], ids[1]]);
    expect(json(await send(`${hc.inspectorUrl}/api/requests?q=failed`)).items.map((i: any) => i.id)).toEqual([ids[2]]);
    expect(json(await send(`${hc.inspectorUrl}/api/requests?path=/ping`)).items).toHaveLength(1);
    const bad = await send(`${hc.inspectorUrl}/api/requests?limit=lots`);
    expect(bad.status).toBe(400);
    expect(json(bad).error).toMatch(/limit/);
  });

  it('gives the full record: text bodies as UTF-8, binary as base64, and says which', async () => {
    const hc = await startHookCatch();
    const text = await capture(hc, '/webhook?jobId=j1', '{"jobId":"j1","note":"café"}', { 'Content-Type': 'application/json', 'X-Sig': 'abc' });
    const binary = Buffer.from([0xff, 0x00, 0xc3, 0x28]);
    const bin = await capture(hc, '/webhook', binary);
    const one = json(await send(`${hc.inspectorUrl}/api/requests/${text}`));
    expect(one).toMatchObject({
      id: text,
      method: 'POST',
      url: '/webhook?jobId=j1',
      query: [['jobId', 'j1']],
      bodyEncoding: 'utf8',
      body: '{"jobId":"j1","note":"café"}',
      contentType: 'application/json',
      response: { status: 200 },
    });
    expect(one.headers).toContainEqual(['X-Sig', 'abc']);
    const two = json(await send(`${hc.inspectorUrl}/api/requests/${bin.slice(-6)}`));
    expect(two.bodyEncoding).toBe('base64');
    expect(Buffer.from(two.body, 'base64').equals(binary)).toBe(true);
  });

  it('serves the raw body as a download the browser will not render in the inspector origin', async () => {
    const hc = await startHookCatch();
    const html = '<script>alert(document.domain)</script>';
    const id = await capture(hc, '/webhook', html, { 'Content-Type': 'text/html' });
    const reply = await send(`${hc.inspectorUrl}/api/requests/${id}/body`);
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe(html);
    expect(reply.headers['content-type']).toBe('application/octet-stream');
    expect(reply.headers['content-disposition']).toMatch(/^attachment/);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-security-policy']).toMatch(/sandbox/);
    expect(reply.headers['x-hook-catch-content-type']).toBe('text/html');
  });

  it('deletes one request or all, and answers 404 with a JSON error for unknown ids', async () => {
    const hc = await startHookCatch();
    const a = await capture(hc, '/webhook', 'a');
    const b = await capture(hc, '/webhook', 'b');
    const del = await send(`${hc.inspectorUrl}/api/requests/${a}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(json(del)).toEqual({ deleted: a });
    for (const path of [`/api/requests/${a}`, `/api/requests/${a}/body`, '/api/requests/nope']) {
      const reply = await send(`${hc.inspectorUrl}${path}`);
      expect(reply.status).toBe(404);
      expect(json(reply).error).toMatch(/No stored request/);
    }
    expect((await send(`${hc.inspectorUrl}/api/requests/${a}`, { method: 'DELETE' })).status).toBe(404);
    // Deleting a left b whole: listed alone, its record and its body readable.
    expect(json(await send(`${hc.inspectorUrl}/api/requests`)).items.map((i: any) => i.id)).toEqual([b]);
    expect(json(await send(`${hc.inspectorUrl}/api/requests/${b}`))).toMatchObject({ id: b, body: 'b' });
    expect((await send(`${hc.inspectorUrl}/api/requests/${b}/body`)).body.toString()).toBe('b');
    // Deleting all answers how many it removed: b and a third one, not the a already gone.
    const c = await capture(hc, '/webhook', 'c');
    expect(json(await send(`${hc.inspectorUrl}/api/requests`, { method: 'DELETE' }))).toEqual({ deleted: 2 });
    expect(json(await send(`${hc.inspectorUrl}/api/requests`)).total).toBe(0);
    for (const id of [b, c]) expect((await send(`${hc.inspectorUrl}/api/requests/${id}`)).status).toBe(404);
    expect(json(await send(`${hc.inspectorUrl}/api/requests`, { method: 'DELETE' }))).toEqual({ deleted: 0 });
    const unknown = await send(`${hc.inspectorUrl}/api/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(json(unknown).error).toMatch(/No such API endpoint/);
  });

  it('reports status: version, urls, counts, uptime', async () => {
    const hc = await startHookCatch();
    await capture(hc, '/webhook', '{}');
    const status = json(await send(`${hc.inspectorUrl}/api/status`));
    expect(status).toMatchObject({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      receiverUrl: hc.receiverUrl,
      webhookUrl: hc.webhookUrl,
      inspectorUrl: hc.inspectorUrl,
      publicUrl: null,
      pid: process.pid,
      requests: { stored: 1, capturedSinceStart: 1, maxRequests: 10000 },
      uptimeSeconds: expect.any(Number),
    });
  });

  it('answers only loopback Host names (DNS rebinding)', async () => {
    const hc = await startHookCatch();
    for (const host of ['evil.example', 'attacker.test:4040', '192.168.1.5', '127.0.0.1.nip.io']) {
      const reply = await send(`${hc.inspectorUrl}/api/requests`, { headers: { Host: host } });
      expect(reply.status, host).toBe(403);
      expect(json(reply).error).toMatch(/loopback/);
    }
    for (const host of ['localhost', `127.0.0.1:${hc.inspectorPort}`, `[::1]:${hc.inspectorPort}`, 'app.localhost']) {
      expect((await send(`${hc.inspectorUrl}/api/requests`, { headers: { Host: host } })).status, host).toBe(200);
    }
  });

  it('refuses state-changing calls from a foreign Origin, accepts its own page and tools without one', async () => {
    const hc = await startHookCatch();
    await capture(hc, '/webhook', 'x');
    for (const origin of ['http://evil.example', `http://127.0.0.1:${hc.receiverPort}`, 'null', `https://localhost:${hc.inspectorPort}`]) {
      const reply = await send(`${hc.inspectorUrl}/api/requests`, { method: 'DELETE', headers: { Origin: origin } });
      expect(reply.status, origin).toBe(403);
    }
    const crossSite = await send(`${hc.inspectorUrl}/api/requests`, { method: 'DELETE', headers: { 'Sec-Fetch-Site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect(hc.store.count).toBe(1);
    // Reading with a foreign Origin is harmless (no CORS headers are ever sent), so GET is not refused.
    const read = await send(`${hc.inspectorUrl}/api/requests`, { headers: { Origin: 'http://evil.example' } });
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    const own = await send(`${hc.inspectorUrl}/api/requests`, { method: 'DELETE', headers: { Origin: `http://localhost:${hc.inspectorPort}` } });
    expect(own.status).toBe(200);
    await capture(hc, '/webhook', 'y');
    expect((await send(`${hc.inspectorUrl}/api/requests`, { method: 'DELETE' })).status).toBe(200);
  });
});

describe('inspector API: the "not valid JSON" mark', () => {
  it('marks a JSON-typed body that does not parse, in the list and the record, and still after a restart', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    const gzipped = { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' };
    const marked = {
      broken: await capture(hc, '/webhook', '{"jobId":"j1",', { 'Content-Type': 'application/json; charset=utf-8' }),
      suffix: await capture(hc, '/webhook', '<data/>', { 'Content-Type': 'Application/VND.API+JSON' }),
      brokenGzip: await capture(hc, '/webhook', gzipSync('{"a":'), gzipped),
    };
    const unmarked = {
      valid: await capture(hc, '/webhook', '{"jobId":"j1"}', { 'Content-Type': 'application/json' }),
      validGzip: await capture(hc, '/webhook', gzipSync('{"a":1}'), gzipped),
      text: await capture(hc, '/webhook', 'not json at all', { 'Content-Type': 'text/plain' }),
      empty: await capture(hc, '/webhook', '', { 'Content-Type': 'application/json' }),
    };
    const expectMarks = async (inspectorUrl: string) => {
      const items = new Map<string, any>(json(await send(`${inspectorUrl}/api/requests`)).items.map((i: any) => [i.id, i]));
      for (const [name, id] of Object.entries(marked)) {
        expect(items.get(id)!.invalidJson, name).toBe(true);
        expect(json(await send(`${inspectorUrl}/api/requests/${id}`)).summary.invalidJson, name).toBe(true);
      }
      for (const [name, id] of Object.entries(unmarked)) {
        expect(items.get(id), name).not.toHaveProperty('invalidJson');
        expect(json(await send(`${inspectorUrl}/api/requests/${id}`)).summary, name).not.toHaveProperty('invalidJson');
      }
    };
    await expectMarks(hc.inspectorUrl);
    await hc.close();
    const again = await startHookCatch({ dir });
    expect(again.warnings).toEqual([]);
    await expectMarks(again.inspectorUrl);
  });
});

describe('inspector API: the job filter', () => {
  it('lists only the deliveries of one job, newest first; pages them; combines with q, method and path; unknown job: none', async () => {
    const hc = await startHookCatch();
    const post = (body: unknown) => capture(hc, '/webhook', JSON.stringify(body), { 'Content-Type': 'application/json' });
    const delivered: Record<'A' | 'B', string[]> = { A: [], B: [] };
    for (let i = 0; i < 3; i++) {
      delivered.A.push(await post({ jobId: 'job-A', status: i === 2 ? 'done' : 'running', n: i }));
      await capture(hc, '/elsewhere', `unrelated ${i}`);
      delivered.B.push(await post({ jobId: 'job-B', status: 'running', n: i }));
    }
    const list = async (query: string) => json(await send(`${hc.inspectorUrl}/api/requests?${query}`));
    const ids = (page: any): string[] => page.items.map((i: any) => i.id);
    const newestFirst = (sent: string[]) => [...sent].reverse();
    await expect.poll(async () => ids(await list('job=job-A')), { timeout: 5000 }).toEqual(newestFirst(delivered.A));
    expect(ids(await list('job=job-B'))).toEqual(newestFirst(delivered.B));
    expect((await list('job=job-A')).items.map((i: any) => i.job.jobId)).toEqual(['job-A', 'job-A', 'job-A']);

    // A page at a time: each has one item and points at the next, the last at none.
    const walked: string[] = [];
    let before: string | null = null;
    do {
      const page = await list(`job=job-A&limit=1${before ? `&before=${before}` : ''}`);
      expect(page.items).toHaveLength(1);
      walked.push(...ids(page));
      before = page.nextBefore;
    } while (before && walked.length < 3);
    expect(walked).toEqual(newestFirst(delivered.A));
    expect(before).toBeNull();

    expect(ids(await list('job=job-A&q=done'))).toEqual([delivered.A[2]]);
    expect(ids(await list('job=job-B&q=done'))).toEqual([]);
    expect(ids(await list('job=job-A&method=post&path=/webhook&limit=2'))).toEqual(newestFirst(delivered.A).slice(0, 2));
    expect(ids(await list('job=job-A&method=get'))).toEqual([]);
    expect(ids(await list('job=job-A&path=/elsewhere'))).toEqual([]);
    const unknown = await list('job=no-such-job');
    expect(unknown).toEqual({ items: [], total: 9, nextBefore: null });
  });
});
