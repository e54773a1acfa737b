import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LARGE_BODY_BYTES, VIEW_BYTES } from '../src/capture/body-view.js';
import { RequestLog } from '../src/store/request-log.js';
import type { HookCatch } from '../src/start.js';
import { capturedRequest, json, runCli, send, startHookCatch, tempDir } from './helpers/index.js';
import { recordingApp } from './helpers/recording-app.js';

// A body over LARGE_BODY_BYTES is stored as it came and its sender answered before hook-catch looks
// into it: its "not valid JSON" mark and its event type are told right after the answer, before the
// jobs, the page and the terminal hear of it, and kept in a note beside its line.

const pad = 'x'.repeat(LARGE_BODY_BYTES + 1000);
const jsonType = { 'Content-Type': 'application/json' };

async function deliver(hc: HookCatch, body: string, headers: Record<string, string> = jsonType): Promise<string> {
  const reply = await send(hc.webhookUrl, { method: 'POST', headers, body });
  expect(reply.status).toBe(200);
  return json(reply).id as string;
}

/** The lines of the store's log files, in order. */
async function logLines(dir: string): Promise<string[]> {
  const folder = join(dir, 'requests');
  const files = (await readdir(folder)).filter((name) => name.endsWith('.jsonl')).sort();
  const texts = await Promise.all(files.map((name) => readFile(join(folder, name), 'utf8')));
  return texts.join('').split('\n').filter(Boolean);
}

describe('a large body: answered first, looked into after', () => {
  it('one that is not valid JSON is marked after its answer, the mark kept in a note beside its line, and still there after a restart', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    const body = `{"jobId":"big-broken-1","pad":"${pad}"`;
    const id = await deliver(hc, body);
    expect((await hc.store.list()).items[0]).toMatchObject({ id, invalidJson: true });
    // The capture's line was written before its body was looked into; the mark follows it.
    await expect.poll(async () => (await logLines(dir)).filter((line) => line.includes(`"${id}"`)), { timeout: 15_000 }).toHaveLength(2);
    const [capture, note] = (await logLines(dir)).filter((line) => line.includes(`"${id}"`));
    expect(capture!.startsWith(`{"id":"${id}"`)).toBe(true);
    expect(capture!.slice(0, capture!.indexOf(',"bodyJson":'))).not.toContain('invalidJson');
    expect(JSON.parse(note!)).toEqual({ analysis: id, invalidJson: true });
    await hc.close();

    const again = await startHookCatch({ dir });
    expect(again.warnings).toEqual([]);
    expect((await again.store.list()).items[0]).toMatchObject({ id, invalidJson: true });
    const record = json(await send(`${again.inspectorUrl}/api/requests/${id}`));
    expect(record.summary.invalidJson).toBe(true);
    expect(Buffer.from(record.body, record.bodyEncoding).toString()).toBe(body);
  });

  it('its event type, told from its body after the answer, is on the terminal line and in lists, and kept across a restart', async () => {
    const dir = await tempDir();
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk) => (text += chunk));
    const hc = await startHookCatch({ dir, output: 'pretty', stdout: out, stderr: out });
    const id = await deliver(hc, `{"type":"invoice.paid","data":{"pad":"${pad}"}}`);
    const small = await deliver(hc, '{"type":"invoice.paid"}');
    await expect.poll(() => text, { timeout: 15_000 }).toMatch(new RegExp(`${id.slice(-6)}\\s+invoice\\.paid`));
    expect((await hc.store.list({ event: 'invoice.paid' })).items.map((s) => s.id)).toEqual([small, id]);
    await expect.poll(async () => (await logLines(dir)).some((line) => line.startsWith(`{"analysis":"${id}"`)), { timeout: 15_000 }).toBe(true);
    const capture = (await logLines(dir)).find((line) => line.startsWith(`{"id":"${id}"`))!;
    expect(capture.slice(0, capture.indexOf(',"bodyJson":'))).not.toContain('invoice.paid');
    await hc.close();

    const again = await startHookCatch({ dir });
    expect((await again.store.list({ event: 'invoice.paid' })).items.map((s) => s.id)).toEqual([small, id]);
    expect((await again.store.get(id))!.event).toMatchObject({ type: 'invoice.paid', from: 'body.type' });
    expect(again.store.eventCounts().items).toEqual([expect.objectContaining({ type: 'invoice.paid', count: 2 })]);
  });

  it('its job is matched once it is answered, and `wait` returns with it', async () => {
    const hc = await startHookCatch();
    await hc.expect('big-job-1');
    const waited = hc.waitFor('big-job-1', { timeoutMs: 20_000 });
    const id = await deliver(hc, `{"jobId":"big-job-1","status":"completed","pad":"${pad}"}`);
    const result = await waited;
    expect(result).toMatchObject({ outcome: 'completed', delivery: { requestId: id, matchedBy: 'body.jobId', attempt: 1 } });
    // The same body again is a retry; one byte changed in its middle is not.
    const retry = await deliver(hc, `{"jobId":"big-job-1","status":"completed","pad":"${pad}"}`);
    const other = await deliver(hc, `{"jobId":"big-job-1","status":"completed","pad":"${pad.slice(0, 500)}y${pad.slice(501)}"}`);
    expect(hc.jobs.get('big-job-1')!.deliveries.map((d) => [d.requestId, d.attempt, d.duplicate])).toEqual([
      [id, 1, false],
      [retry, 2, true],
      [other, 1, false],
    ]);
  });

  it('one over the bound of what is looked into is stored and answered, and not looked into', async () => {
    const hc = await startHookCatch();
    const id = await deliver(hc, `{"jobId":"too-big-1","type":"invoice.paid","pad":"${'x'.repeat(VIEW_BYTES)}"`);
    const [summary] = (await hc.store.list()).items;
    expect(summary!.id).toBe(id);
    expect(summary).not.toHaveProperty('invalidJson');
    expect(summary).not.toHaveProperty('event');
    expect(hc.jobs.get('too-big-1')).toBeUndefined();
  });

  it('is read back byte for byte by show, export and replay', async () => {
    const hc = await startHookCatch();
    const body = `{"jobId":"big-2","text":"caf\u00e9 \\"q\\" \\u00e9","pad":"${pad}"}`;
    const id = await deliver(hc, body);
    const app = await recordingApp();
    await hc.replay(id, app.url);
    expect((await app.got()).body.toString()).toBe(body);
    const [file] = await hc.export([id], await tempDir());
    const fixture = JSON.parse(await readFile(file!, 'utf8'));
    expect(Buffer.from(fixture.body, fixture.bodyEncoding).toString()).toBe(body);
    await hc.close();
    const shown = await runCli(['show', id, '--body', '--dir', hc.dir]);
    expect(shown.stdoutBytes.toString()).toBe(body);
  });
});

describe('a crash between a large body and its note', () => {
  it('leaves the capture, byte for byte, and its job, matched again at start-up; the marks told after its answer are left out', async () => {
    // What a crash right after the answers leaves: the captures' lines, and no note after them.
    const dir = await tempDir();
    const { log } = await RequestLog.open(dir, { maxRequests: 100, fsync: false });
    const valid = Buffer.from(`{"jobId":"crashed-1","type":"invoice.paid","status":"completed","pad":"${pad}"}`);
    const broken = Buffer.from(`{"jobId":"crashed-2","pad":"${pad}",`);
    const captures = [capturedRequest(valid), capturedRequest(broken)];
    for (const capture of captures) await log.append(capture);
    const ids = captures.map((capture) => capture.id);
    await log.close();

    const hc = await startHookCatch({ dir });
    expect(hc.warnings).toEqual([]);
    expect((await hc.store.get(ids[0]))!.body.equals(valid)).toBe(true);
    expect((await hc.store.get(ids[1]))!.body.equals(broken)).toBe(true);
    expect((await hc.waitFor('crashed-1', { timeoutMs: 20_000 })).delivery).toMatchObject({ requestId: ids[0], matchedBy: 'body.jobId' });
    for (const summary of (await hc.store.list()).items) {
      expect(summary).not.toHaveProperty('invalidJson');
      expect(summary).not.toHaveProperty('event');
    }
  });
});
