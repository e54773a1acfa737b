import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HookCatch } from '../src/start.js';
import { json, runCli, send, startHookCatch, tempDir, type Reply } from './helpers/index.js';
import { recordingApp } from './helpers/recording-app.js';

/** A fixture file as export writes one; `fields` replace what they name. */
function fixture(fields: Record<string, unknown> = {}) {
  return {
    format: 'hook-catch/fixture@1',
    id: '0000000000000abcdef',
    receivedAt: '2026-11-23T14:02:11.482Z',
    method: 'POST',
    url: '/webhook/imp-1?attempt=2',
    path: '/webhook/imp-1',
    query: [['attempt', '2']],
    httpVersion: '1.1',
    headers: [
      ['Content-Type', 'application/json'],
      ['X-Dup', 'a'],
    ],
    redacted: [],
    job: null,
    status: 200,
    contentType: 'application/json',
    bodySize: 2,
    bodyDiscarded: false,
    bodyEncoding: 'utf8',
    body: '{}',
    ...fields,
  };
}

async function writeFixtures(files: Record<string, object>): Promise<string> {
  const dir = join(await tempDir(), 'fixtures');
  await mkdir(dir);
  for (const [name, value] of Object.entries(files)) await writeFile(join(dir, name), JSON.stringify(value, null, 2));
  return dir;
}

/** 61 bytes, though the file says 5. */
const BODY = '{"jobId":"imp-1","status":"completed","result":{"url":"/x"}}\n';

/** Files a user may have edited: two good ones (one lies about its size), and one bad field in each of the others. */
const FILES = {
  'a-good.json': fixture({ body: BODY, bodySize: 5, contentType: 'text/plain', path: '/elsewhere' }),
  'b-method.json': fixture({ method: 'GET /x HTTP/1.1\r\nX-Injected: 1' }),
  'c-header-value.json': fixture({
    headers: [
      ['Content-Type', 'application/json'],
      ['X-A', 'a\r\nX-Injected: 1'],
    ],
  }),
  'd-header-name.json': fixture({ headers: [['X A', '1']] }),
  'e-url.json': fixture({ url: '/x y' }),
  'f-base64.json': fixture({ bodyEncoding: 'base64', body: 'not base64!' }),
  'g-over-max-body.json': fixture({ body: 'x'.repeat(1001), bodySize: 0 }),
  'h-not-kept.json': fixture({ body: '', bodySize: 40_000_000, bodyDiscarded: true }),
};

/** The one line each refused file gets: the file, the field, what is wrong. */
const REFUSED = [
  'b-method.json: "method" is not an HTTP method ("GET /x HTTP/1.1\\r\\nX-Injected: 1"); nothing was imported from it.',
  'c-header-value.json: "headers" item 2 ("X-A") has a value with a line break, control character or non-Latin-1 character ("a\\r\\nX-Injected: 1"); nothing was imported from it.',
  'd-header-name.json: "headers" item 1 has a name that is not an HTTP header name ("X A"); nothing was imported from it.',
  'e-url.json: "url" is not a path that starts with / and has no space or control character ("/x y"); nothing was imported from it.',
  'f-base64.json: "body" is not valid base64, though its "bodyEncoding" says it is; nothing was imported from it.',
  'g-over-max-body.json: "body" is 1 kB (1,001 bytes), over --max-body 1 kB; nothing was imported from it.',
];

describe('import checks every field, and the size of the body, of each file', () => {
  for (const through of ['the running instance', 'the store, with none running'] as const) {
    it(`refuses each bad file in one line naming it and the field, and imports the others (${through})`, async () => {
      const folder = await writeFixtures(FILES);
      const hc = await startHookCatch({ maxBody: 1000 });
      const before = (await hc.store.list()).items.length;
      // With none running, --max-body says the limit; a running instance applies its own.
      const running = through === 'the running instance';
      if (!running) await hc.close();
      const run = await runCli(['import', folder, '--dir', hc.dir, ...(running ? [] : ['--max-body', '1kb'])]);
      expect(run.code).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines.slice(0, -1)).toEqual(REFUSED.map((line) => `hook-catch: ${join(folder, line)}`));
      expect(lines.at(-1)).toMatch(/imported 2 fixtures into .*; 6 of 8 files were refused \(above\)$/);
      const ids = run.stdout.trim().split('\n');
      expect(ids).toHaveLength(2);
      const store = running ? hc.store : (await startHookCatch({ dir: hc.dir })).store;
      expect((await store.list()).items).toHaveLength(before + 2);
      const good = (await store.get(ids[0]!))!;
      // Sizes from the bytes, path and Content-Type from the request itself: not as the file says.
      expect([good.body.toString(), good.bodySize, good.path, good.query, good.contentType]).toEqual([
        BODY,
        61,
        '/webhook/imp-1',
        [['attempt', '2']],
        'application/json',
      ]);
      const notKept = (await store.get(ids[1]!))!;
      expect([notKept.bodyDiscarded, notKept.bodySize, notKept.body.length]).toEqual([true, 40_000_000, 0]);
    });
  }

  it('replay --file refuses a method node:http could not send, in one line, and sends nothing', async () => {
    const folder = await writeFixtures({ 'bad.json': FILES['b-method.json'] });
    const app = await recordingApp(() => ({ status: 204 }));
    const run = await runCli(['replay', '--file', folder, '--to', app.url, '--dir', await tempDir()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`hook-catch: ${join(folder, 'bad.json')}: "method" is not an HTTP method ("GET /x HTTP/1.1\\r\\nX-Injected: 1").\n`);
    expect(app.received).toEqual([]);
  });
});

/** A POST with no Content-Length: its size is known only once it is read. */
function sendChunked(url: string, body: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.write(body.subarray(0, 1000));
    req.end(body.subarray(1000));
  });
}

describe('import into a running instance: the file is streamed, the limit follows its --max-body', () => {
  const importApi = (hc: HookCatch, body: string | Buffer, query = '') =>
    send(`${hc.inspectorUrl}/api/requests/import${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

  it('a file or body over the limit is refused with the limit in --max-body units; a body at the limit goes in', async () => {
    const hc = await startHookCatch({ maxBody: 1_000_000 });
    const atLimit = '"'.repeat(1_000_000); // JSON text doubles it: the largest file a 1 MB body can make
    const folder = await writeFixtures({
      'a-file-too-large.json': fixture({ bodyEncoding: 'base64', body: randomBytes(3_000_000).toString('base64') }),
      'b-body-too-large.json': fixture({ bodyEncoding: 'base64', body: randomBytes(1_000_001).toString('base64') }),
      'c-at-the-limit.json': fixture({ body: atLimit }),
    });
    const run = await runCli(['import', folder, '--dir', hc.dir]);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').slice(0, 2)).toEqual([
      `hook-catch: ${join(folder, 'a-file-too-large.json')} is 4 MB: with --max-body 1 MB, a fixture file is at most 3 MB; nothing was imported from it.`,
      `hook-catch: ${join(folder, 'b-body-too-large.json')}: "body" is 1 MB (1,000,001 bytes), over --max-body 1 MB; nothing was imported from it.`,
    ]);
    expect(run.stderr).not.toMatch(/Cannot reach/);
    const [id] = run.stdout.trim().split('\n');
    expect((await hc.store.get(id!))!.body.toString()).toBe(atLimit);
  });

  it('the API takes a fixture file as it is, or several all or none; a chunked upload over the limit gets 413', async () => {
    const hc = await startHookCatch({ maxBody: 1000 });
    const one = await importApi(hc, JSON.stringify(fixture({ body: BODY })), '?name=one.json');
    expect(one.status).toBe(201);
    expect((await hc.store.get(json(one).ids[0]))!.bodySize).toBe(61);
    const batch = await importApi(hc, JSON.stringify({ fixtures: [fixture(), FILES['c-header-value.json']] }));
    expect([batch.status, json(batch).error]).toEqual([
      400,
      'fixture 2: "headers" item 2 ("X-A") has a value with a line break, control character or non-Latin-1 character ("a\\r\\nX-Injected: 1"); none of the 2 fixtures was imported.',
    ]);
    expect((await hc.store.list()).items).toHaveLength(1);
    const chunked = await sendChunked(`${hc.inspectorUrl}/api/requests/import?name=big.json`, Buffer.alloc(1_002_001, 'x'));
    expect([chunked.status, json(chunked).error]).toEqual([
      413,
      'big.json is larger than a fixture file may be: with --max-body 1 kB, at most 1 MB (1,002,000 bytes); nothing was imported from it.',
    ]);
  });
});
