import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixtureFileName, inside } from '../src/fixtures/file-name.js';
import type { HookCatch } from '../src/start.js';
import { ROOT, json, rawRequest, runCli, send, startHookCatch, tempDir } from './helpers/index.js';
import { recordingApp } from './helpers/recording-app.js';
import { github } from './helpers/signatures.js';

const post = (hc: HookCatch, path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  send(`${hc.receiverUrl}${path}`, { method: 'POST', headers, body });

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

/** Three captures that re-serializing would change: binary, gzip, and signed JSON text with unicode. */
async function captureThree(hc: HookCatch) {
  const binary = Buffer.from([0, 255, 128, 10, 13, 0x1f, 0x8b]);
  const gz = gzipSync('{"jobId":"fx-gz","status":"completed"}');
  const text = Buffer.from('{ "jobId": "fx-sig",  "status": "done", "note": "café ✓" }\n');
  await post(hc, '/bin', binary, { 'Content-Type': 'application/octet-stream' });
  await post(hc, '/webhook', gz, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
  await post(hc, '/webhook/fx-sig', text, { 'Content-Type': 'application/json', 'X-Dup': 'a', Authorization: 'Bearer t0ken', ...github.sign(text, 's3cret') });
  return [binary, gz, text];
}

describe('export writes fixtures (hook-catch/fixture@1), one file per request', () => {
  it('export -> import puts back the same bytes, headers, method and path, under new ids', async () => {
    const hc = await startHookCatch();
    const bodies = await captureThree(hc);
    const out = join(await tempDir(), 'fixtures');
    const exported = await runCli(['export', '--out', out, '--dir', hc.dir]);
    expect(exported.code).toBe(0);
    const files = exported.stdout.trim().split('\n');
    expect(files).toHaveLength(3);
    expect(files.every((file) => dirname(file) === resolve(out))).toBe(true);
    const fixtures = await Promise.all(files.map(readJson));
    expect(fixtures.map((f) => Buffer.from(f.body, f.bodyEncoding))).toEqual(bodies);
    expect(fixtures.map((f) => f.bodyEncoding)).toEqual(['base64', 'base64', 'utf8']);
    expect(fixtures[2].job).toMatchObject({ id: 'fx-sig', matchedBy: 'body.jobId', attempt: 1, duplicate: false });
    // Into a running instance (through its API) and into a store with none running.
    const imported = await runCli(['import', out, '--dir', hc.dir]);
    expect(imported.code).toBe(0);
    const ids = imported.stdout.trim().split('\n');
    expect(ids).toHaveLength(3);
    const originals = (await hc.store.list()).items.slice(3).reverse();
    for (const [i, id] of ids.entries()) {
      const copy = (await hc.store.get(id))!;
      const original = (await hc.store.get(originals[i]!.id))!;
      expect(copy.body.equals(original.body)).toBe(true);
      expect([copy.method, copy.url, copy.headers]).toEqual([original.method, original.url, original.headers]);
      expect(copy.imported).toBe(true);
    }
    expect(hc.jobs.get('fx-sig')!.deliveries).toHaveLength(2);
    await hc.close();
    const offline = await runCli(['import', files[0]!, '--dir', hc.dir]);
    expect(offline.code).toBe(0);
    const shown = await runCli(['show', 'last', '--body', '--dir', hc.dir]);
    expect(shown.stdoutBytes.equals(bodies[0]!)).toBe(true);
  });

  it('export -> replay --file sends the exact bytes; a signature still verifies at the app', async () => {
    const hc = await startHookCatch();
    const [, , text] = await captureThree(hc);
    const out = await tempDir();
    await runCli(['export', 'last', '--out', out, '--dir', hc.dir]);
    const app = await recordingApp(() => ({ status: 204 }));
    const run = await runCli(['replay', '--file', out, '--to', app.url, '--dir', hc.dir]);
    expect(run.code).toBe(0);
    const got = await app.got();
    expect(got.url).toBe('/webhook/fx-sig');
    expect(got.body.equals(text!)).toBe(true);
    expect(github.verify(got.body, got.headers, 's3cret')).toBe(true);
    expect(got.headers.filter(([n]) => n === 'X-Dup')).toEqual([['X-Dup', 'a']]);
    const down = await runCli(['replay', '--file', out, '--to', 'http://127.0.0.1:1', '--dir', hc.dir]);
    expect(down.code).toBe(1);
  });

  it('--redact and --redact-default blank header values and say which, in the file', async () => {
    const hc = await startHookCatch();
    await captureThree(hc);
    const out = await tempDir();
    const run = await runCli(['export', 'last', '--out', out, '--redact', 'x-dup', '--redact-default', '--dir', hc.dir]);
    expect(run.stderr).toMatch(/blanked: X-Dup, Authorization, X-Hub-Signature-256/);
    const fixture = await readJson(run.stdout.trim());
    expect(fixture.redacted).toEqual(['X-Dup', 'Authorization', 'X-Hub-Signature-256']);
    const value = (name: string) => fixture.headers.find(([n]: string[]) => n === name)[1];
    expect([value('X-Dup'), value('Authorization'), value('X-Hub-Signature-256')]).toEqual(['', '', '']);
    expect(value('Content-Type')).toBe('application/json');
    expect(await readFile(run.stdout.trim(), 'utf8')).not.toMatch(/t0ken|sha256=/);
  });

  it('selects by ids, --job, --last, --since and --search; the file is pretty, keys in schema order', async () => {
    const hc = await startHookCatch();
    await captureThree(hc);
    await post(hc, '/other', '{"jobId":"fx-sig","status":"done"}', { 'Content-Type': 'application/json' });
    const count = async (args: string[]) => {
      const out = await tempDir();
      const run = await runCli(['export', ...args, '--out', out, '--dir', hc.dir]);
      return run.code === 0 ? (await readdir(out)).length : run.stderr;
    };
    expect(await count(['--job', 'fx-sig'])).toBe(2);
    expect(await count(['--last', '2'])).toBe(2);
    expect(await count(['--since', '1h', '--search', 'café'])).toBe(1);
    expect(await count([hc.store.lastId!.slice(-6), 'last'])).toBe(1);
    expect(await count(['--job', 'nobody'])).toMatch(/^hook-catch: No stored request matches; nothing exported/);
    const out = await tempDir();
    const file = (await runCli(['export', 'last', '--out', out, '--dir', hc.dir])).stdout.trim();
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^ {4}\["Content-Type", "application\/json"\],?$/m);
    const schema = await readJson(join(ROOT, 'schema', 'fixture@1.schema.json'));
    expect(Object.keys(JSON.parse(text))).toEqual(schema.required);
    expect(Object.keys(schema.properties)).toEqual(schema.required);
  });
});

describe('file names stay inside --out', () => {
  it('hostile paths and job ids make safe names, all in the folder', async () => {
    const hc = await startHookCatch();
    const hostile = ['/../../../etc/passwd', '/..%2F..%2Fx', '/CON', '/' + 'a'.repeat(300), '/ünï/cödé?x=../../y', '/.hidden', '/'];
    for (const path of hostile) await rawRequest(hc.receiverPort, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi`);
    await post(hc, '/w', '{"jobId":"../../job\\\\x:y*z","status":"done"}', { 'Content-Type': 'application/json' });
    const out = await tempDir();
    const run = await runCli(['export', '--out', out, '--dir', hc.dir]);
    expect(run.code).toBe(0);
    const names = await readdir(out);
    expect(names).toHaveLength(hostile.length + 1);
    for (const name of names) expect(name).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[A-Za-z0-9._-]{1,60}-[a-z0-9]{6}\.json$/);
    expect(names.some((name) => /-_CON-/.test(name))).toBe(true);
    expect(names.some((name) => /-root-/.test(name))).toBe(true);
  });

  it('fixtureFileName never makes a path, and inside() refuses one that leaves the folder', () => {
    expect(fixtureFileName('not a date', '../..', '../../../../aaaaaa')).toBe('1970-01-01T00-00-00.000Z-root-aaaaaa.json');
    expect(() => inside('/tmp/out', '../escape.json')).toThrow(/outside/);
    expect(inside('/tmp/out', 'a.json')).toBe('/tmp/out/a.json');
  });
});

describe('--format har', () => {
  it('one HAR 1.2 file: every required field, absolute URLs, binary bodies as base64', async () => {
    const hc = await startHookCatch();
    const bodies = await captureThree(hc);
    const out = await tempDir();
    const run = await runCli(['export', '--format', 'har', '--out', out, '--dir', hc.dir]);
    expect(run.code).toBe(0);
    const har = await readJson(run.stdout.trim());
    expect(har.log).toMatchObject({ version: '1.2', creator: { name: 'hook-catch' } });
    expect(har.log.entries).toHaveLength(3);
    for (const [i, entry] of har.log.entries.entries()) {
      expect(Object.keys(entry)).toEqual(expect.arrayContaining(['startedDateTime', 'time', 'request', 'response', 'cache', 'timings']));
      expect(Number.isNaN(Date.parse(entry.startedDateTime))).toBe(false);
      const { request, response, timings } = entry;
      for (const key of ['method', 'url', 'httpVersion', 'cookies', 'headers', 'queryString', 'headersSize', 'bodySize']) expect(request).toHaveProperty(key);
      for (const key of ['status', 'statusText', 'httpVersion', 'cookies', 'headers', 'content', 'redirectURL', 'headersSize', 'bodySize'])
        expect(response).toHaveProperty(key);
      expect(response.content).toHaveProperty('size');
      expect(response.content).toHaveProperty('mimeType');
      for (const key of ['send', 'wait', 'receive']) expect(typeof timings[key]).toBe('number');
      expect(new URL(request.url).origin).toBe(hc.receiverUrl);
      expect(Buffer.from(request.postData.text, request.postData.encoding === 'base64' ? 'base64' : 'utf8')).toEqual(bodies[i]);
      expect(response.status).toBe(200);
    }
    expect(har.log.entries[2].request.headers).toContainEqual({ name: 'X-Dup', value: 'a' });
  });

  it('the API gives a capture as a fixture and the filtered list as HAR, as downloads', async () => {
    const hc = await startHookCatch();
    await captureThree(hc);
    const fixture = await send(`${hc.inspectorUrl}/api/requests/last/fixture?redact=Authorization`);
    expect(fixture.headers['content-disposition']).toMatch(/^attachment; filename="\d{4}-.*-fx-sig-[a-z0-9]{6}\.json"$/);
    expect(json(fixture)).toMatchObject({ format: 'hook-catch/fixture@1', redacted: ['Authorization'] });
    const har = await send(`${hc.inspectorUrl}/api/export.har?path=/webhook`);
    expect(har.headers['content-disposition']).toMatch(/\.har"$/);
    expect(json(har).log.entries.map((e: { request: { url: string } }) => new URL(e.request.url).pathname)).toEqual(['/webhook', '/webhook/fx-sig']);
  });
});
