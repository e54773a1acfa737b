import { readFileSync } from 'node:fs';
import { appendFile, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CapturedRequest, RequestSummary } from '../src/capture/capture.js';
import { createIdGenerator } from '../src/capture/ids.js';
import { readNewest } from '../src/store/newest.js';
import { openForReading } from '../src/store/open-readonly.js';
import { RequestLog, type RequestLogOptions } from '../src/store/request-log.js';
import { RequestIndex } from '../src/store/request-index.js';
import { FLUSH_BYTES } from '../src/store/group-commit.js';
import { requestLine, TEXT_BYTES } from '../src/store/record-line.js';
import { isKnownJson, knownJson } from '../src/capture/parsed-json.js';
import { LARGE_BODY_BYTES } from '../src/capture/body-view.js';
import { capturedRequest, later, runCli, tempDir } from './helpers/index.js';

const request = capturedRequest;
const nextId = createIdGenerator();

async function openLog(dir: string, options: Partial<RequestLogOptions> = {}) {
  const opened = await RequestLog.open(dir, { maxRequests: 10_000, fsync: false, ...options });
  later(() => opened.log.close());
  return opened;
}

async function segments(dir: string) {
  return (await readdir(join(dir, 'requests'))).filter((n) => n.endsWith('.jsonl')).sort();
}

describe('request log', () => {
  it('keeps what it acknowledged across a reopen, byte for byte', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    const sent = [request('{"a":1}'), request(Buffer.from([0, 255, 128, 10])), request('')];
    await Promise.all(sent.map((r) => log.append(r)));
    await log.close();
    const { log: again, warnings } = await openLog(dir);
    expect(warnings).toEqual([]);
    expect(again.count).toBe(3);
    for (const r of sent) expect((await again.get(r.id))!.body.equals(r.body)).toBe(true);
  });

  it('keeps the "not valid JSON" mark among the summary fields, and reads lines without it as unmarked', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    const marked = request('{"a":', { invalidJson: true });
    const plain = request('{"a":1}'); // written as lines were before the mark existed: no field
    await Promise.all([log.append(marked), log.append(plain)]);
    await log.close();
    const lines = (await readFile(join(dir, 'requests', (await segments(dir))[0]!), 'utf8')).split('\n');
    expect(lines[0]!.indexOf('"invalidJson":true')).toBeGreaterThan(-1);
    expect(lines[0]!.indexOf('"invalidJson":true')).toBeLessThan(lines[0]!.indexOf('"query":'));
    expect(lines[1]).not.toContain('invalidJson');
    const { log: again, warnings } = await openLog(dir);
    expect(warnings).toEqual([]);
    const [newest, oldest] = (await again.list()).items;
    expect(oldest).toMatchObject({ id: marked.id, invalidJson: true });
    expect(newest!.id).toBe(plain.id);
    expect(newest).not.toHaveProperty('invalidJson');
    expect((await again.get(marked.id))!.invalidJson).toBe(true);
  });

  it('groups appends that arrive together into one write', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    await log.append(request('first')); // the segment file is open
    // The write system calls this process makes (Linux counts them in /proc/self/io).
    const writeCalls = () => Number(/^syscw:\s*(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
    const before = writeCalls();
    await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(request(`{"n":${i}}`))));
    const made = writeCalls() - before;
    expect(log.count).toBe(101);
    // One write for the hundred lines (one per line would be 100); the test runner may write a few
    // messages of its own meanwhile.
    expect(made).toBeGreaterThanOrEqual(1);
    expect(made).toBeLessThan(10);
    const lines = (await readFile(join(dir, 'requests', (await segments(dir))[0]!), 'utf8')).split('\n');
    expect(lines).toHaveLength(102);
  });

  it('writes at once, within the turn, when large bodies arriving together pass FLUSH_BYTES', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    await log.append(request('first'));
    const file = join(dir, 'requests', (await segments(dir))[0]!);
    const size = () => readFileSync(file).length;
    const before = size();
    const big = () => request(Buffer.alloc(FLUSH_BYTES / 2 + 1, 0x61), { contentType: 'text/plain' });
    const first = log.append(big());
    expect(size()).toBe(before); // one large body waits for the turn's write, as any other
    const second = log.append(big());
    expect(size()).toBeGreaterThan(before + FLUSH_BYTES); // both written before this turn ends
    await Promise.all([first, second]);
    expect(log.count).toBe(3);
  });

  it("writes a large body's line at once, within the turn, while its bytes are fresh", async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    await log.append(request('first'));
    const file = join(dir, 'requests', (await segments(dir))[0]!);
    const before = readFileSync(file).length;
    const written = log.append(request(Buffer.alloc(LARGE_BODY_BYTES + 1, 0x61), { contentType: 'text/plain' }));
    expect(readFileSync(file).length).toBeGreaterThan(before + LARGE_BODY_BYTES);
    await written;
  });

  it('writes a large text body that is not spliced as base64 (cheaper than escaping it) and reads it back byte for byte', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    const unit = `caf\u00e9 "quoted" \\ \n`;
    const text = unit.repeat(Math.ceil((TEXT_BYTES + 1) / Buffer.byteLength(unit)));
    const small = request('caf\u00e9 "small"', { contentType: 'text/plain' });
    const large = request(text, { contentType: 'text/plain' });
    await Promise.all([log.append(small), log.append(large)]);
    const lines = (await readFile(join(dir, 'requests', (await segments(dir))[0]!), 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).bodyEncoding)).toEqual(['utf8', 'base64']);
    await log.close();
    const { log: again, warnings } = await openLog(dir);
    expect(warnings).toEqual([]);
    expect((await again.get(large.id))!.body.equals(large.body)).toBe(true);
    expect((await again.list({ q: 'CAFÉ "QUOTED"' })).items.map((s) => s.id)).toEqual([large.id]);
  });

  it('drops the oldest beyond --max-requests and removes their segment files', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir, { maxRequests: 25, segmentLines: 10 });
    const sent: CapturedRequest[] = [];
    for (let i = 0; i < 60; i++) {
      const r = request(`{"n":${i}}`);
      sent.push(r);
      await log.append(r);
    }
    expect(log.count).toBe(25);
    const page = await log.list({ limit: 1000 });
    expect(page.items.map((i) => i.id)).toEqual(
      sent
        .slice(35)
        .reverse()
        .map((r) => r.id),
    );
    expect(await log.get(sent[34]!.id)).toBeNull();
    // 60 lines in files of 10: the first three files hold only dropped requests.
    expect((await segments(dir)).length).toBeLessThanOrEqual(4);
    await log.close();
    const { log: again } = await openLog(dir, { maxRequests: 25, segmentLines: 10 });
    expect(again.count).toBe(25);
    expect((await again.list({ limit: 1 })).items[0]!.id).toBe(sent[59]!.id);
  });

  it('reads the whole store oldest first while requests arrive, are deleted and dropped: only what is still stored when it is reached', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir, { maxRequests: 3000, segmentLines: 500 });
    const sent: CapturedRequest[] = [];
    for (let i = 0; i < 3000; i++) sent.push(request(`{"n":${i},"pad":"${'x'.repeat(300)}"}`));
    await Promise.all(sent.map((r) => log.append(r)));
    const read: string[] = [];
    let reached = 0;
    for await (const batch of log.readAll()) {
      read.push(...batch.map((r) => r.id));
      if (reached === 0) {
        // The next one is reached already (it ends this batch). Then one not reached is deleted, and
        // 1,200 more arrive: the oldest 1,199 are dropped, and the index's columns move and grow.
        reached = read.length + 1;
        await log.delete(sent[2500]!.id);
        await Promise.all(Array.from({ length: 1200 }, (_, i) => log.append(request(`{"later":${i}}`))));
      }
    }
    const stillThere = (_: CapturedRequest, i: number) => (i < reached || i >= 1199) && i !== 2500;
    expect(read).toEqual(sent.filter(stillThere).map((r) => r.id));
  });

  it('deletes one request or all of them, and the deletion survives a reopen', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    const [a, b, c] = [request('a'), request('b'), request('c')];
    for (const r of [a, b, c]) await log.append(r!);
    expect(await log.delete(b!.id)).toBe(true);
    expect(await log.delete(b!.id)).toBe(false);
    await log.close();
    const { log: again } = await openLog(dir);
    expect((await again.list()).items.map((i) => i.id)).toEqual([c!.id, a!.id]);
    expect(await again.clear()).toBe(2);
    expect(again.count).toBe(0);
    await again.append(request('d'));
    await again.close();
    const { log: third } = await openLog(dir);
    expect((await third.list()).items.map((i) => i.bodySize)).toEqual([1]);
  });

  it('finds requests by full id, short id and "last"; says when a short id is ambiguous', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    await log.append(request('older'));
    const r = request('x');
    await log.append(r);
    expect((await log.get(r.id))!.id).toBe(r.id);
    expect((await log.get(r.id.slice(-6)))!.id).toBe(r.id);
    expect((await log.get('last'))!.id).toBe(r.id);
    expect(await log.get('zzzzzzzz')).toBeNull();
    const twin = request('twin', { id: `${request('').id.slice(0, -6)}${r.id.slice(-6)}` });
    await log.append(twin);
    await expect(log.get(r.id.slice(-6))).rejects.toThrow(/matches 2 requests/);
  });

  it('lists newest first with paging and filters', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    const sent: CapturedRequest[] = [];
    for (let i = 0; i < 7; i++) {
      const r = request(`{"jobId":"job-${i}","status":"${i % 2 ? 'failed' : 'done'}"}`, {
        method: i % 3 === 0 ? 'PUT' : 'POST',
        url: `/webhook/${i}`,
        path: `/webhook/${i}`,
      });
      sent.push(r);
      await log.append(r);
    }
    const first = await log.list({ limit: 3 });
    expect(first.items.map((i) => i.url)).toEqual(['/webhook/6', '/webhook/5', '/webhook/4']);
    expect(first.total).toBe(7);
    const second = await log.list({ limit: 3, before: first.nextBefore! });
    expect(second.items.map((i) => i.url)).toEqual(['/webhook/3', '/webhook/2', '/webhook/1']);
    const last = await log.list({ limit: 3, before: second.nextBefore! });
    expect(last.items.map((i) => i.url)).toEqual(['/webhook/0']);
    expect(last.nextBefore).toBeNull();
    expect((await log.list({ method: 'put' })).items.map((i) => i.url)).toEqual(['/webhook/6', '/webhook/3', '/webhook/0']);
    expect((await log.list({ path: '/webhook/5' })).items).toHaveLength(1);
    expect((await log.list({ q: 'FAILED' })).items.map((i) => i.url)).toEqual(['/webhook/5', '/webhook/3', '/webhook/1']);
    expect((await log.list({ q: 'job-4' })).items.map((i) => i.url)).toEqual(['/webhook/4']);
  });

  it('a listing through thousands of requests that few match lets other work in on the way, and finds what it found before', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    const sent = Array.from({ length: 10_000 }, (_, i) =>
      request(`{"n":${i}}`, i % 2500 === 7 ? { method: 'PUT', url: `/hooks/${i}?x=1`, path: `/hooks/${i}` } : {}),
    );
    await Promise.all(sent.map((r) => log.append(r)));
    const order: string[] = [];
    const listing = log.list({ method: 'put', path: '/hooks/' }).then((page) => {
      order.push('listed');
      return page;
    });
    let stored: Promise<void> | undefined;
    setImmediate(() => {
      order.push('other work');
      stored = log.append(request('{}', { method: 'PUT', url: '/hooks/new', path: '/hooks/new' }));
    });
    const page = await listing;
    await stored;
    expect(order).toEqual(['other work', 'listed']);
    expect(page.items.map((s) => s.url)).toEqual(['/hooks/7507?x=1', '/hooks/5007?x=1', '/hooks/2507?x=1', '/hooks/7?x=1']);
    expect((await log.list({ path: '/hooks/7507?' })).items).toEqual([]); // the path ends before the query
    expect(log.eventCounts()).toEqual({ items: [], untyped: 10_000 }); // at most maxRequests: the oldest went
  });

  it('recovers a store with a damaged line and a torn last write: keeps the rest, sets the damage aside', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    const good = [request('one'), request('two')];
    for (const r of good) await log.append(r);
    await log.close();
    const file = join(dir, 'requests', (await segments(dir))[0]!);
    const lines = (await readFile(file, 'utf8')).split('\n');
    const third = request('three');
    // Damage in the middle, then a whole record, then a write cut short.
    await writeFile(file, `${lines[0]}\n{"id":"broken",garbage\n${lines[1]}\n`);
    const { requestLine } = await import('../src/store/record-line.js');
    await appendFile(file, Buffer.concat(requestLine(third)));
    const torn = Buffer.concat(requestLine(request('four'))).toString();
    await appendFile(file, torn.slice(0, 40));

    const { log: again, warnings } = await openLog(dir);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Recovered 3 records .* 2 damaged lines .* kept aside in .*damaged/);
    expect(again.count).toBe(3);
    for (const r of [...good, third]) expect((await again.get(r.id))!.body.equals(r.body)).toBe(true);
    const aside = await readdir(join(dir, 'damaged'));
    expect(aside).toHaveLength(1);
    const kept = await readFile(join(dir, 'damaged', aside[0]!), 'utf8');
    expect(kept).toBe(`{"id":"broken",garbage\n${torn.slice(0, 40)}\n`);
    // The file was rewritten clean: appends go on, and the next start has nothing to warn about.
    await again.append(request('five'));
    await again.close();
    const { log: third2, warnings: none } = await openLog(dir);
    expect(none).toEqual([]);
    expect(third2.count).toBe(4);
  });

  it('recovers a file truncated in the middle of a line', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    for (let i = 0; i < 10; i++) await log.append(request(`{"n":${i}}`));
    await log.close();
    const file = join(dir, 'requests', (await segments(dir))[0]!);
    const { size } = await stat(file);
    await truncate(file, Math.floor(size * 0.55));
    const { log: again, warnings } = await openLog(dir);
    expect(warnings).toHaveLength(1);
    expect(again.count).toBe(5);
  });

  it('read-only: reads beside a writer without changing files, and tolerates its unfinished last line', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    await log.append(request('one'));
    const file = join(dir, 'requests', (await segments(dir))[0]!);
    await appendFile(file, '{"id":"half-writ');
    const before = await readFile(file);
    const { log: reader, warnings } = await openLog(dir, { readOnly: true });
    expect(warnings).toEqual([]);
    expect(reader.count).toBe(1);
    expect((await readFile(file)).equals(before)).toBe(true);
    await expect(reader.clear()).rejects.toThrow(/read-only/);
  });

  it('creates its folders and files owner-only', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    await log.append(request('secret'));
    expect((await stat(join(dir, 'requests'))).mode & 0o777).toBe(0o700);
    const file = join(dir, 'requests', (await segments(dir))[0]!);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe('the log line of a JSON body', () => {
  it('a JSON body the receiver parsed goes into its line as a JSON value, bytes untouched; anything else as a string; both read back byte for byte, also after a restart', async () => {
    const { startHookCatch, send } = await import('./helpers/index.js');
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    const bodies: [string, string | Buffer, 'bodyJson' | 'utf8' | 'base64'][] = [
      ['application/json', '{"jobId":"a1","status":"done","note":"caf\u00e9 \\u00e9 \\"q\\"","n":1.50,"x":[ 1 ,2 ]}', 'bodyJson'],
      // The field names a body could hold cannot fool the reader: the first marker in a line is the field.
      ['application/json', '{"a":1,"bodyEncoding":"base64","body":"x","bodyJson":{"b":2}}', 'bodyJson'],
      ['application/json', '{\n  "pretty": true\n}', 'utf8'], // a line break: written as a string
      ['application/json', '{"broken": ', 'utf8'],
      ['text/plain', '{"not":"declared json"}', 'utf8'],
      ['application/octet-stream', Buffer.from([0xff, 0x00, 0x7b]), 'base64'],
    ];
    const ids: string[] = [];
    for (const [type, body] of bodies)
      ids.push((await send(`${hc.receiverUrl}/webhook`, { method: 'POST', headers: { 'Content-Type': type }, body })).headers['x-hook-catch-id'] as string);
    const lines = (await readFile(join(dir, 'requests', (await segments(dir))[0]!), 'utf8')).trimEnd().split('\n');
    lines.forEach((line, i) => {
      const value = JSON.parse(line); // every line is one JSON object, as jq reads it
      const [, body, form] = bodies[i]!;
      if (form === 'bodyJson') {
        expect(value.bodyJson).toEqual(JSON.parse(String(body)));
        expect(line.endsWith(`,"bodyJson":${body}}`)).toBe(true);
        expect(value.body).toBeUndefined();
      } else expect(value.bodyEncoding).toBe(form);
    });
    const check = async (read: (id: string) => Promise<CapturedRequest | null>) => {
      for (const [i, id] of ids.entries()) expect((await read(id))!.body.equals(Buffer.from(bodies[i]![1]))).toBe(true);
    };
    await check((id) => hc.store.get(id));
    const summary = (await hc.store.list({})).items.find((s) => s.id === ids[3]);
    expect(summary!.invalidJson).toBe(true);
    await hc.close();
    const { log, warnings } = await openLog(dir);
    expect(warnings).toEqual([]);
    expect(log.count).toBe(bodies.length);
    await check((id) => log.get(id));
    expect((await log.list({ q: 'declared json' })).items.map((s) => s.id)).toEqual([ids[4]]);
    // Read back from a bodyJson line, a body is known JSON with the value parsed with its line (job
    // matching at start-up does not parse it again); one read back from a string is not.
    const spliced = (await log.get(ids[0]!))!;
    expect([isKnownJson(spliced.body), knownJson(spliced.body)]).toEqual([true, JSON.parse(String(bodies[0]![1]))]);
    expect(isKnownJson((await log.get(ids[4]!))!.body)).toBe(false);
    expect((await log.list({ q: 'café' })).items.map((s) => s.id)).toEqual([ids[0]]);
  });
});

describe('the log line of a large body', () => {
  const pad = 'x'.repeat(TEXT_BYTES);
  const lineOf = async (dir: string, i: number) => (await readFile(join(dir, 'requests', (await segments(dir))[0]!), 'utf8')).split('\n')[i]!;

  it('a large body that looks like JSON goes into its line as it came, unparsed, with its length; read back byte for byte, also after a restart', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    const bodies = [
      `{"jobId":"big-1","pad":"${pad}","note":"caf\u00e9 \\"q\\""}`,
      // The fields a body could hold cannot fool the reader: the first marker in a line is the field.
      `{"bodyLength":1,"bodyJson":{"x":1},"bodyEncoding":"base64","body":"x","query":[],"pad":"${pad}"}`,
      `  [1,2,"${pad}"]`,
      // Not valid JSON (its line is not either): read back by its length all the same.
      `{"a":1,"bodyJson":{"b":2},"bodyLength":3,"pad":"${pad}", "café`,
    ];
    const sent = bodies.map((body) => request(body));
    await Promise.all(sent.map((r) => log.append(r)));
    for (const [i, body] of bodies.entries()) {
      const line = await lineOf(dir, i);
      expect(line.indexOf(`,"bodyLength":${Buffer.byteLength(body)},`)).toBeGreaterThan(-1);
      expect(line.indexOf('"bodyLength"')).toBeLessThan(line.indexOf('"query":'));
      expect(line.endsWith(`,"bodyJson":${body}}`)).toBe(true);
      // The line of a valid body is JSON, as jq reads it; the other is not.
      if (i < 3) expect(JSON.parse(line).bodyJson).toEqual(JSON.parse(body));
      else expect(() => JSON.parse(line)).toThrow();
    }
    const check = async (read: RequestLog) => {
      for (const r of sent) expect((await read.get(r.id))!.body.equals(r.body)).toBe(true);
      expect((await read.getMany(sent.map((r) => r.id))).map((r) => r.body.toString())).toEqual(bodies);
      expect((await read.list({ q: 'CAFÉ' })).items.map((s) => s.id)).toEqual([sent[3]!.id, sent[0]!.id]);
    };
    await check(log);
    await log.close();
    const { log: again, warnings } = await openLog(dir);
    expect(warnings).toEqual([]);
    expect(again.count).toBe(bodies.length);
    await check(again);
  });

  it('a large body with a line break, not UTF-8, or not shaped like JSON goes in as base64', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    const bodies = [
      `{"pad":"${pad}",\n"b":1}`,
      `{"pad":"${pad}",\r"b":1}`,
      Buffer.concat([Buffer.from(`{"pad":"${pad}"`), Buffer.from([0xff, 0x7d])]),
      `<pad>${pad}</pad>`,
    ];
    const sent = bodies.map((body) => request(body));
    for (const r of sent) await log.append(r);
    for (const i of bodies.keys()) expect(JSON.parse(await lineOf(dir, i)).bodyEncoding).toBe('base64');
    for (const r of sent) expect((await log.get(r.id))!.body.equals(r.body)).toBe(true);
  });

  it("a large body's line cut short is set aside at recovery, even where the cut ends with a closing brace", async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    const kept = [request('{"n":1}'), request(`{"n":2,"pad":"${pad}"}`)];
    for (const r of kept) await log.append(r);
    await log.close();
    const file = join(dir, 'requests', (await segments(dir))[0]!);
    const { requestLine } = await import('../src/store/record-line.js');
    const line = Buffer.concat(requestLine(request(`{"a":{"b":1},"pad":"${pad}"}`)));
    const torn = line.subarray(0, line.indexOf('{"b":1}') + '{"b":1}'.length); // ends with `}`, as a whole line does
    await appendFile(file, torn);
    const { log: again, warnings } = await openLog(dir);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Recovered 2 records .* 1 damaged line /);
    expect(again.count).toBe(2);
    for (const r of kept) expect((await again.get(r.id))!.body.equals(r.body)).toBe(true);
    expect(await readFile(join(dir, 'damaged', (await readdir(join(dir, 'damaged')))[0]!), 'utf8')).toBe(`${torn.toString()}\n`);
  });
});

describe('the event type and what was found in a body after it was answered', () => {
  it('keeps the event type in the line, and schema and drift notes beside it, across a restart', async () => {
    const dir = await tempDir();
    const first = await openLog(dir);
    const stored = request('{"type":"invoice.paid"}', { event: { type: 'invoice.paid', provider: 'stripe', from: 'body.type (Stripe-Signature)' } });
    const other = request('{"a":1}');
    await first.log.append(stored);
    await first.log.append(other);
    await first.log.appendAnalysis(stored.id, {
      schema: { verdict: 'invalid', against: 'webhooks.invoicePaid', errors: ['amount: expected integer, got string "12"'] },
    });
    await first.log.appendAnalysis(stored.id, {
      drift: { event: 'invoice.paid', changes: [{ path: 'amount', change: 'type', was: 'integer', now: 'string' }] },
    });
    const check = async (log: RequestLog) => {
      const page = await log.list({ event: 'invoice' });
      expect(page.items.map((item) => item.id)).toEqual([stored.id]);
      expect(page.items[0]).toMatchObject({
        event: { type: 'invoice.paid', provider: 'stripe' },
        schema: { verdict: 'invalid' },
        drift: { changes: [{ path: 'amount' }] },
      });
      const read = await log.get(stored.id);
      expect(read?.schema?.errors).toEqual(['amount: expected integer, got string "12"']);
      expect(read?.drift?.event).toBe('invoice.paid');
      expect(log.eventCounts()).toEqual({ items: [expect.objectContaining({ type: 'invoice.paid', provider: 'stripe', count: 1 })], untyped: 1 });
    };
    await check(first.log);
    await first.log.close();
    await check((await openLog(dir)).log);
  });
});

/** The newest request's id and body as read from the end, and as opening the log reads them. */
async function bothWays(dir: string) {
  const fast = await readNewest(dir);
  const whole = await (await openForReading(dir)).log.get('last');
  return { fast: fast && { id: fast.id, body: fast.body.toString('latin1') }, whole: whole && { id: whole.id, body: whole.body.toString('latin1') } };
}

// `show last --body` reads the newest request from the end of the log (store/newest.ts) rather than
// opening the log, which reads every line: it must find the very request opening the log finds.
describe('the newest request, read from the end of the log', () => {
  it('is the one opening the log finds: past deletions, notes, damage and empty files, in any of the segment files', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir, { segmentLines: 3 });
    const kept = [request('{"n":1}'), request(Buffer.from([0, 255, 10, 13])), request('{"n":3}'), request('')];
    for (const r of kept) await log.append(r);
    expect(await bothWays(dir)).toEqual({ fast: { id: kept[3]!.id, body: '' }, whole: { id: kept[3]!.id, body: '' } });

    // Deleted: the one before it, in an older file, found past the tombstones and the notes after them.
    await log.delete(kept[3]!.id);
    await log.delete(kept[2]!.id);
    await log.appendForward(kept[1]!.id, { answered: 200, forward: { status: 200, latencyMs: 3 } });
    await log.appendAnalysis(kept[1]!.id, { drift: { event: 'x', changes: [] } });
    expect((await readdir(join(dir, 'requests'))).length).toBeGreaterThan(1);
    const second = { id: kept[1]!.id, body: '\x00\xff\n\r' };
    expect(await bothWays(dir)).toEqual({ fast: second, whole: second });

    // A torn last write and a damaged line are skipped, as opening the log skips them.
    await log.close();
    const file = join(dir, 'requests', (await readdir(join(dir, 'requests'))).sort().at(-1)!);
    await appendFile(
      file,
      `{"id":"broken",garbage\n${Buffer.concat(requestLine(request('{"torn":true}')))
        .toString()
        .slice(0, 60)}`,
    );
    expect(await bothWays(dir)).toEqual({ fast: second, whole: second });
  });

  it('finds a body longer than what it reads at once, and says when nothing is stored', async () => {
    const dir = await tempDir();
    const { log } = await openLog(dir);
    expect(await readNewest(dir)).toBeNull();
    const big = request(`{"data":"${'x'.repeat(300_000)}"}`);
    await log.append(big);
    await log.append(request(Buffer.alloc(200_000, 7)));
    await log.delete((await log.list({ limit: 1 })).items[0]!.id);
    expect((await readNewest(dir))!.body.equals(big.body)).toBe(true);
  });

  it('show last --body writes its bytes; with no store, or none stored, it says so as before', async () => {
    const dir = await tempDir();
    expect(await runCli(['show', 'last', '--body', '--dir', dir])).toMatchObject({
      code: 1,
      stderr: `hook-catch: No hook-catch store in ${dir}. Start one with \`hook-catch start\`, or point at it with --dir.\n`,
    });
    const { log } = await openLog(dir);
    expect(await runCli(['show', 'last', '--body', '--dir', dir])).toMatchObject({
      code: 1,
      stderr: `hook-catch: No stored request matches "last" in ${dir}, and no job has that id. \`hook-catch list\` shows what is stored, \`hook-catch jobs\` the jobs.\n`,
    });
    await log.append(request(Buffer.from([1, 2, 3, 0, 10])));
    const shown = await runCli(['show', 'last', '--body', '--dir', dir]);
    expect(shown.code).toBe(0);
    expect(shown.stdoutBytes.equals(Buffer.from([1, 2, 3, 0, 10]))).toBe(true);
  });
});

describe('the index of the request log', () => {
  const summary = (extra: Partial<RequestSummary> = {}): RequestSummary => ({
    id: nextId(),
    receivedAt: new Date().toISOString(),
    method: 'POST',
    url: '/webhook',
    path: '/webhook',
    contentType: 'application/json',
    bodySize: 2,
    bodyDiscarded: false,
    status: 200,
    remoteAddress: null,
    ...extra,
  });

  it('gives the places of the captures drift compares: received, with an event type and their body', () => {
    const index = new RequestIndex();
    const event = { type: 'job.completed', from: 'body.type' };
    const kinds: Partial<RequestSummary>[] = [
      { event },
      {},
      { event, imported: true },
      { event, bodyDiscarded: true },
      { event, status: 501, refusal: { code: 'HPE_INVALID_METHOD', reason: 'unknown HTTP method FOO' } },
      { event, poll: { jobId: 'job-1', url: 'http://127.0.0.1:9/status', latencyMs: 1 } },
      { event, status: 201 },
    ];
    for (const [i, kind] of kinds.entries()) index.add(summary(kind), 1, i * 10, 9);
    expect([...index.places(true)].map((at) => at.offset)).toEqual([0, 60]);
    expect([...index.places()].map((at) => at.offset)).toEqual([0, 10, 20, 30, 40, 50, 60]);
  });

  it('goes on where it was through requests newest first while thousands arrive and the oldest are dropped', () => {
    const index = new RequestIndex();
    const ids: string[] = [];
    const add = (n: number) => {
      for (let i = 0; i < n; i++) {
        const s = summary();
        ids.push(s.id);
        index.add(s, 1, ids.length * 10, 9);
      }
    };
    add(3000);
    const walk = index.newestFirst();
    const seen = Array.from({ length: 1000 }, () => walk.next().value!.summary.id);
    expect(seen).toEqual(ids.slice(2000, 3000).reverse());
    // The oldest 500 dropped, then 20,000 more: the walk goes on from the 2,000th, down to the 501st.
    index.dropOldestBeyond(2500);
    add(20_000);
    const rest = [...walk].map((e) => e.summary.id);
    expect(rest).toEqual(ids.slice(500, 2000).reverse());
    expect(index.get(ids[499]!)).toBeUndefined();
    expect(index.get(ids[500]!)!.summary.id).toBe(ids[500]);
    expect(index.get(ids[22_999]!)!.summary.id).toBe(ids[22_999]);
    index.dropOldestBeyond(10);
    expect([...index.newestFirst()].map((e) => e.summary.id)).toEqual(ids.slice(-10).reverse());
    expect(index.resolve(ids[22_995]!.slice(-6))).toEqual({ entry: index.get(ids[22_995]!) });
  });

  it('ends the places it gives when the index is cleared meanwhile', () => {
    const index = new RequestIndex();
    for (let i = 0; i < 10; i++) index.add(summary(), 1, i * 10, 9);
    const places = index.places();
    expect(places.next().value).toMatchObject({ offset: 0 });
    index.clear();
    for (let i = 0; i < 10; i++) index.add(summary(), 2, i * 10, 9);
    expect([...places]).toEqual([]);
  });
});
