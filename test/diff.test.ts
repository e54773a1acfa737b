import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CaptureDiff } from '../src/wire/diff.js';
import { json, rawRequest, runCli, send, startHookCatch, tempDir } from './helpers/index.js';
import { fixtureOf } from './helpers/import.js';

// `hook-catch diff` (the real CLI, on a store a real hook-catch wrote) and `GET /api/requests/:a/diff/:b`.

const NO_STACK = /\n\s+at |Error:/;

type HC = Awaited<ReturnType<typeof startHookCatch>>;

/** Sends a webhook and returns the id it was stored under. */
async function capture(hc: HC, body: string | Buffer, headers: Record<string, string> = { 'Content-Type': 'application/json' }): Promise<string> {
  const reply = await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body, headers });
  expect(reply.status).toBe(200);
  return json(reply).id;
}

const diff = (hc: HC, ...args: string[]) => runCli(['diff', ...args, '--dir', hc.dir]);

describe('hook-catch diff', { timeout: 60_000 }, () => {
  it('two JSON bodies with the same values in another key order are the same: exit 0', async () => {
    const hc = await startHookCatch();
    const a = await capture(hc, '{"jobId":"j-1","data":{"amount":12,"currency":"eur"},"items":[1,2]}');
    const b = await capture(hc, '{ "items": [1, 2], "data": { "currency": "eur", "amount": 12 }, "jobId": "j-1" }');
    const result = await diff(hc, a, b);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Body, as JSON: the same values (key order and spacing aside)');
    expect(result.code).toBe(0);
  });

  it('names each changed, added, removed and retyped value by its path, says an array length, and exits 1', async () => {
    const hc = await startHookCatch();
    const a = await capture(
      hc,
      JSON.stringify({ status: 'InProgress', data: { object: { amount: 1200, note: 'x' } }, items: [{ sku: 'a' }, { sku: 'b' }], 'x-y': { n: 12 } }),
    );
    const b = await capture(
      hc,
      JSON.stringify({
        status: 'Completed',
        data: { object: { amount: 1500 } },
        items: [{ sku: 'a' }, { sku: 'c' }, { sku: 'd' }],
        'x-y': { n: '12' },
        text: 'hi',
      }),
    );
    const result = await diff(hc, a, b);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines).toContain('Body, as JSON: 7 differences: 4 changed, 2 added, 1 removed');
    for (const line of [
      '  ~ status: "InProgress" → "Completed"',
      '  ~ data.object.amount: 1200 → 1500',
      '  - data.object.note: "x"',
      '  # items: 2 items → 3 items',
      '  ~ items[1].sku: "b" → "c"',
      '  + items[2]: {"sku":"d"}',
      '  ~ ["x-y"].n: number 12 → string "12"',
      '  + text: "hi"',
    ])
      expect(lines).toContain(line);
    // Without --headers, the headers (whose Content-Length differs) are not compared.
    expect(result.stdout).not.toContain('Headers');
  });

  it('takes `last` and a fixture file as operands', async () => {
    const hc = await startHookCatch();
    const dir = await tempDir();
    const file = join(dir, 'done.json');
    await writeFile(file, JSON.stringify(fixtureOf({ jobId: 'j-2', status: 'Completed', pages: 3 })));
    await capture(hc, '{"jobId":"j-2","status":"InProgress"}');
    await capture(hc, '{"pages":3,"status":"Completed","jobId":"j-2"}');
    const same = await diff(hc, 'last', file);
    expect(same.stdout).toContain(`(fixture ${file})`);
    expect(same.code).toBe(0);
    // A path relative to where it runs: a `/` or `.json` says it is a file.
    const relative = await runCli(['diff', 'done.json', 'last', '--dir', hc.dir], { cwd: dir });
    expect(relative.code).toBe(0);
    await writeFile(file, JSON.stringify(fixtureOf({ jobId: 'j-2', status: 'Failed' })));
    const changed = await diff(hc, file, 'last');
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('  ~ status: "Failed" → "Completed"');
    expect(changed.stdout).toContain('  + pages: 3');
  });

  it('--headers compares the headers too: names in any case, order ignored, a repeated header as a list', async () => {
    const hc = await startHookCatch();
    const body = '{"jobId":"j-3"}';
    const a = await capture(hc, body, { 'Content-Type': 'application/json', 'X-Trace': 't-1', 'X-Env': 'dev', Date: 'Mon, 01 Jan 2024 00:00:00 GMT' });
    const b = await capture(hc, body, { 'x-env': 'dev', 'content-type': 'application/json', 'X-Trace': 't-2', 'X-Tag': 'a' });
    const plain = await diff(hc, a, b);
    expect(plain.stdout).toContain('Body, as JSON: identical (15 B)');
    expect(plain.code).toBe(0);
    const withHeaders = await diff(hc, a, b, '--headers');
    expect(withHeaders.code).toBe(1);
    const lines = withHeaders.stdout.split('\n');
    expect(lines).toContain('Headers: 3 differences: 1 changed, 1 added, 1 removed');
    expect(lines).toContain('  ~ headers["x-trace"]: "t-1" → "t-2"');
    expect(lines).toContain('  - headers.date: "Mon, 01 Jan 2024 00:00:00 GMT"');
    expect(lines).toContain('  + headers["x-tag"]: "a"');
    // A header sent twice on one side is a list on both: the second value is one more item.
    const c = await capture(hc, body, { 'Content-Type': 'application/json', 'X-Trace': 't-1', 'X-Env': 'dev', Date: 'Mon, 01 Jan 2024 00:00:00 GMT' });
    const raw = await rawCapture(hc, body, [
      'Content-Type: application/json',
      'X-Trace: t-1',
      'x-trace: t-9',
      'X-Env: dev',
      'Date: Mon, 01 Jan 2024 00:00:00 GMT',
    ]);
    const repeated = await diff(hc, c, raw, '--headers');
    expect(repeated.stdout.split('\n')).toContain('  + headers["x-trace"][1]: "t-9"');
    expect(repeated.stdout).toContain('# headers["x-trace"]: 1 item → 2 items');
  });

  it('--json prints the diff for scripts: each difference with its kind, path and both values', async () => {
    const hc = await startHookCatch();
    const a = await capture(hc, '{"count":12,"gone":true}');
    const b = await capture(hc, '{"count":"12","new":null}');
    const result = await diff(hc, a, b, '--json', '--headers');
    expect(result.code).toBe(1);
    const answer = JSON.parse(result.stdout) as CaptureDiff;
    expect(answer.equal).toBe(false);
    expect(answer.a).toMatchObject({ id: a, method: 'POST', url: '/webhook', bodySize: 24 });
    expect(answer.body).toMatchObject({ as: 'json', equal: false, identical: false, more: 0 });
    expect(answer.body.as === 'json' && answer.body.changes).toEqual([
      { kind: 'changed', path: 'count', a: 12, b: '12', types: ['number', 'string'] },
      { kind: 'removed', path: 'gone', a: true },
      { kind: 'added', path: 'new', b: null },
    ]);
    expect(answer.headers?.changes).toEqual([{ kind: 'changed', path: 'headers["content-length"]', a: '24', b: '25' }]);
  });

  it('compares other bodies as what they are: text line by line, forms by field, compressed ones decompressed, binary byte for byte', async () => {
    const hc = await startHookCatch();
    const text = (body: string) => capture(hc, body, { 'Content-Type': 'text/plain' });
    const t1 = await text('line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n');
    const t2 = await text('line 1\nline 2\nline 3\nline four\nline 5\nline 6\nline 7\n');
    const texts = await diff(hc, t1, t2);
    expect(texts.code).toBe(1);
    expect(texts.stdout).toContain('Body, as text: they differ (42 B and 52 B)');
    expect(texts.stdout).toMatch(/- 4 +line 4\n\+ +4 +line four\n/);
    expect(texts.stdout).toMatch(/\+ +7 +line 7\n/);
    expect(texts.stdout).not.toContain('line 1'); // far from any change: left out

    const form = (body: string) => capture(hc, body, { 'Content-Type': 'application/x-www-form-urlencoded' });
    const f1 = await form('a=1&b=2&payload=%7B%22action%22%3A%22opened%22%7D');
    const f2 = await form('b=2&a=1&payload=%7B%22action%22%3A%22closed%22%7D&tag=x&tag=y');
    const forms = await diff(hc, f1, f2);
    expect(forms.code).toBe(1);
    expect(forms.stdout).toContain('Body, as form fields: 2 differences: 1 changed, 1 added');
    expect(forms.stdout).toContain('  ~ payload.action: "opened" → "closed"');
    expect(forms.stdout).toContain('  + tag: ["x","y"]');

    const gz = await capture(hc, gzipSync('{"b":2,"a":1}'), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    const plain = await capture(hc, '{"a":1,"b":2}');
    const compressed = await diff(hc, gz, plain);
    expect(compressed.stdout).toContain('Body, as JSON: the same values');
    expect(compressed.code).toBe(0);

    const bin = (bytes: number[]) => capture(hc, Buffer.from(bytes), { 'Content-Type': 'application/octet-stream' });
    const b1 = await bin([0xff, 0x00, 0x01, 0x02]);
    const b2 = await bin([0xff, 0x00, 0x07, 0x02, 0x09]);
    const binary = await diff(hc, b1, b2);
    expect(binary.stdout).toContain('Body, byte for byte: they differ from byte 2 (4 B and 5 B)');
    expect(binary.code).toBe(1);

    const mixed = await diff(hc, t1, plain);
    expect(mixed.stdout).toContain('(a is text and b JSON: compared as text)');
    expect(mixed.code).toBe(1);
  });

  it('stays readable on bodies far apart: a long list is cut with a count, JSON nested deeper than it reads is compared as text', async () => {
    const hc = await startHookCatch();
    const a = await capture(hc, JSON.stringify(Array.from({ length: 1500 }, (_, i) => i)));
    const b = await capture(hc, JSON.stringify(Array.from({ length: 1500 }, (_, i) => -i)));
    const long = await diff(hc, a, b, '--json');
    const answer = JSON.parse(long.stdout) as CaptureDiff;
    expect(answer.body.as === 'json' && [answer.body.changes.length, answer.body.more]).toEqual([1000, 499]);
    // Two long texts that differ at both ends: the lines between are not searched for what they share (past a
    // million line pairs it would take long), they are listed as removed then added, cut after 200 lines.
    const lines = (first: string) => [first, ...Array.from({ length: 1200 }, (_, i) => `line ${i}`), first].join('\n');
    const t1 = await capture(hc, lines('one'), { 'Content-Type': 'text/plain' });
    const t2 = await capture(hc, lines('two'), { 'Content-Type': 'text/plain' });
    const text = JSON.parse((await diff(hc, t1, t2, '--json')).stdout) as CaptureDiff;
    expect(text.body.as === 'text' && [text.body.lines.length, text.body.more]).toEqual([200, 2404 - 200]);
    expect(text.body.as === 'text' && text.body.lines[0]).toEqual({ a: 1, b: null, text: 'one' });
    // A value that deep could not even be printed (JSON.stringify gives up a few thousand levels down).
    const d1 = await capture(hc, `{"deep":${'['.repeat(20_000)}1${']'.repeat(20_000)}}`);
    const d2 = await capture(hc, '{"deep":null}');
    for (const json of [[], ['--json']]) {
      const result = await diff(hc, d1, d2, ...json);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('JSON nested more than 1000 levels deep: compared as text');
      expect(result.code).toBe(1);
    }
  });

  it('an unknown id or an unreadable file is one line, no stack trace, exit 2 (never taken for a difference)', async () => {
    const hc = await startHookCatch();
    const a = await capture(hc, '{"a":1}');
    const unknown = await diff(hc, a, 'zzzzzz');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^hook-catch: No stored request matches "zzzzzz" in .*`hook-catch list` shows what is stored.*\n$/);
    expect(unknown.stderr).not.toMatch(NO_STACK);
    const missing = await diff(hc, './nowhere.json', a);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^hook-catch: Cannot read the fixture \.\/nowhere\.json: ENOENT[^\n]*\n$/);
    const dir = await tempDir();
    await writeFile(join(dir, 'not-a-fixture.json'), '{"hello":"world"}');
    const wrong = await diff(hc, join(dir, 'not-a-fixture.json'), a);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^hook-catch: .*not a hook-catch\/fixture@1 file[^\n]*\n$/);
    const usage = await runCli(['diff', a]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^hook-catch: missing required argument 'b'\n/);
  });

  it('works with hook-catch running on the folder and with none (offline, on the store)', async () => {
    const hc = await startHookCatch();
    const a = await capture(hc, '{"jobId":"j-4","status":"InProgress"}');
    const b = await capture(hc, '{"jobId":"j-4","status":"Completed"}');
    const running = await diff(hc, a, 'last');
    expect(running.code).toBe(1);
    await hc.close();
    const offline = await diff(hc, a, 'last');
    expect(offline.stderr).toBe('');
    expect(offline.code).toBe(1);
    expect(offline.stdout).toBe(running.stdout);
    expect(offline.stdout).toContain('  ~ status: "InProgress" → "Completed"');
    expect((await diff(hc, b, 'last')).code).toBe(0);
  });
});

describe('GET /api/requests/:a/diff/:b', { timeout: 60_000 }, () => {
  it('answers the diff (the headers with ?headers=1); ids may be short or `last`; an unknown one is a 404 naming it', async () => {
    const hc = await startHookCatch();
    const a = await capture(hc, '{"status":"InProgress","n":1}', { 'Content-Type': 'application/json', 'X-Attempt': '1' });
    const b = await capture(hc, '{"n":1,"status":"Completed"}', { 'Content-Type': 'application/json', 'X-Attempt': '2' });
    const plain = await send(`${hc.inspectorUrl}/api/requests/${a}/diff/last`);
    expect(plain.status).toBe(200);
    const answer = json<CaptureDiff>(plain);
    expect(answer).toMatchObject({ a: { id: a }, b: { id: b }, equal: false, body: { as: 'json', changes: [{ kind: 'changed', path: 'status' }] } });
    expect(answer.headers).toBeUndefined();
    const headers = json<CaptureDiff>(await send(`${hc.inspectorUrl}/api/requests/${a.slice(-6)}/diff/${b}?headers=1`));
    expect(headers.headers).toMatchObject({ equal: false, more: 0 });
    expect(headers.headers?.changes).toContainEqual({ kind: 'changed', path: 'headers["x-attempt"]', a: '1', b: '2' });
    const missing = await send(`${hc.inspectorUrl}/api/requests/${a}/diff/zzzzzz`);
    expect(missing.status).toBe(404);
    expect(json(missing)).toEqual({ error: 'No stored request with id zzzzzz.' });
  });
});

/** Sends a request with exactly these header lines (a repeated header, as node's client would not). */
async function rawCapture(hc: HC, body: string, headerLines: string[]): Promise<string> {
  const port = Number(new URL(hc.receiverUrl).port);
  const head = [`POST /webhook HTTP/1.1`, 'Host: x', ...headerLines, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'].join('\r\n');
  const raw = await rawRequest(port, `${head}\r\n\r\n${body}`);
  return /X-Hook-Catch-Id: (\w+)/i.exec(raw)![1]!;
}
