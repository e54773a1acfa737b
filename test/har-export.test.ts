import { readFile } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { HookCatch } from '../src/start.js';
import { fakeProvider, says } from './helpers/fake-provider.js';
import { rawExchange, rawRequest, runCli, send, startHookCatch, tempDir } from './helpers/index.js';
import { recordingApp } from './helpers/recording-app.js';

interface NameValue {
  name: string;
  value: string;
}

interface HarEntry {
  comment: string;
  request: { method: string; url: string; headers: NameValue[]; postData?: { text: string; encoding?: string; comment?: string } };
  response: {
    status: number;
    statusText: string;
    headers: NameValue[];
    content: { size: number; mimeType: string; text?: string; encoding?: string; comment?: string };
    bodySize: number;
  };
}

/** What node:http adds to any answer on its own (not hook-catch's answer): the date, and keep-alive. */
const transport = (h: NameValue) => h.name === 'Date' || h.name === 'Keep-Alive' || (h.name === 'Connection' && h.value === 'keep-alive');

/** A raw HTTP answer: status, headers in order (less node:http's own), body bytes. */
function parseAnswer(raw: string) {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers = lines.map((line) => ({ name: line.slice(0, line.indexOf(':')), value: line.slice(line.indexOf(':') + 1).trim() }));
  return { status: Number(statusLine!.split(' ')[1]), headers: headers.filter((h) => !transport(h)), body: Buffer.from(raw.slice(end + 4), 'latin1') };
}

/** An entry's answer as bytes (content.text, base64 when it says so). */
const contentOf = (entry: HarEntry) => Buffer.from(entry.response.content.text ?? '', entry.response.content.encoding === 'base64' ? 'base64' : 'utf8');

async function harOf(hc: HookCatch, ids: string[]): Promise<HarEntry[]> {
  const [file] = await hc.export(ids, await tempDir(), { format: 'har' });
  return JSON.parse(await readFile(file!, 'utf8')).log.entries;
}

const BINARY = Buffer.from([0, 0xff, 0xfe, 0x80]);

const idOf = (raw: string) => /X-Hook-Catch-Id: (\S+)/.exec(raw)![1]!;

describe('HAR: each entry holds the answer its sender got', () => {
  it("hook-catch's own answers (stored, and refused) are there byte for byte, headers in order", async () => {
    const hc = await startHookCatch();
    const raws = [
      await rawRequest(
        hc.receiverPort,
        'POST /webhook/a?x=1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{"event":"paid"}',
      ),
      await rawRequest(
        hc.receiverPort,
        Buffer.concat([Buffer.from('POST /webhook/bin HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 4\r\n\r\n'), BINARY]),
      ),
      await rawExchange(hc.receiverPort, 'FOO /webhook HTTP/1.1\r\nHost: x\r\n\r\n'),
      await rawExchange(hc.receiverPort, 'POST /webhook HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\nContent-Length: 2\r\n\r\n{}'),
      await rawExchange(hc.receiverPort, 'CONNECT host.example:443 HTTP/1.1\r\nHost: host.example:443\r\n\r\n'),
    ];
    const answers = raws.map(parseAnswer);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 501, 417, 405]);
    await hc.close();
    // Offline, from the store's files: what was answered is made again from what they keep.
    const out = await tempDir();
    const run = await runCli(['export', '--format', 'har', '--out', out, '--dir', hc.dir]);
    expect(run.code).toBe(0);
    const entries: HarEntry[] = JSON.parse(await readFile(run.stdout.trim(), 'utf8')).log.entries;
    expect(entries.map((e) => e.comment)).toEqual(raws.map((raw) => `hook-catch id ${idOf(raw)}`));
    for (const [i, entry] of entries.entries()) {
      const { status, headers, body } = answers[i]!;
      expect(entry.response).toMatchObject({ status, statusText: STATUS_CODES[status], headers, bodySize: body.length });
      expect(contentOf(entry).equals(body)).toBe(true);
      expect(entry.response.content).toMatchObject({ size: body.length, mimeType: 'application/json; charset=utf-8' });
    }
    expect(entries[0]!.response.headers.map((h) => h.name)).toEqual(['Content-Type', 'Content-Length', 'X-Hook-Catch-Id']);
    expect(entries[4]!.response.headers.map((h) => h.name)).toEqual(['Content-Type', 'Content-Length', 'X-Hook-Catch-Id', 'Allow', 'Connection']);
    // The binary request body: base64, said so in the comment HAR 1.2 has for it.
    expect(entries[1]!.request.postData).toMatchObject({
      text: BINARY.toString('base64'),
      encoding: 'base64',
      comment: 'The body is not UTF-8: text is its base64.',
    });
    expect(entries[0]!.request.postData).toEqual({ mimeType: 'application/json', text: '{"event":"paid"}', params: [] });
  });

  it("--forward (wait mode): the app's status and X-Hook-Catch-Id, and the comment says its headers and body are not kept; a rule's and a 413 the same; ack mode: hook-catch's own answer", async () => {
    const app = await recordingApp(() => ({ status: 201, headers: { 'X-App': 'yes' }, body: 'app says hi' }));
    const hc = await startHookCatch({ forward: app.url, maxBody: 64, rules: [{ path: '/ruled', status: 202, body: '{"queued":true}' }] });
    const forwarded = await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body: '{"n":1}' });
    expect([forwarded.status, forwarded.body.toString()]).toEqual([201, 'app says hi']);
    const ruled = await send(`${hc.receiverUrl}/ruled`, { method: 'POST', body: '{"n":2}' });
    expect(ruled.status).toBe(202);
    const large = await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body: 'x'.repeat(100) });
    expect(large.status).toBe(413);
    const ids = [forwarded, ruled, large].map((reply) => String(reply.headers['x-hook-catch-id']));
    // The app's status reaches the store after its answer went out.
    await expect.poll(async () => (await hc.store.get(ids[0]!))?.response.status).toBe(201);

    const [fromApp, fromRule, tooLarge] = await harOf(hc, ids);
    for (const [entry, status] of [
      [fromApp, 201],
      [fromRule, 202],
      [tooLarge, 413],
    ] as const) {
      expect(entry!.response).toMatchObject({ status, statusText: STATUS_CODES[status], bodySize: -1 });
      expect(entry!.response.headers).toEqual([{ name: 'X-Hook-Catch-Id', value: ids[[201, 202, 413].indexOf(status)] }]);
      expect(entry!.response.content).toEqual({ size: 0, mimeType: 'x-unknown', comment: 'Not kept by hook-catch.' });
    }
    expect(fromApp!.comment).toBe(
      `hook-catch id ${ids[0]}; the answer: forwarded, and its sender got the app's answer: hook-catch keeps its status, not its headers or body`,
    );
    expect(fromRule!.comment).toMatch(/; the answer: answered by rule \S+: 202 Accepted: hook-catch keeps the status, not the rule's headers or body$/);
    expect(tooLarge!.comment).toMatch(/; the answer: its text named the --max-body limit of the time, which is not kept$/);

    const ack = await startHookCatch({ forward: app.url, forwardMode: 'ack' });
    const acked = await rawRequest(ack.receiverPort, 'POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');
    const [entry] = await harOf(ack, [idOf(acked)]);
    const { status, headers, body } = parseAnswer(acked);
    expect(entry!.response).toMatchObject({ status, headers });
    expect(contentOf(entry!).equals(body)).toBe(true);
    expect(body.toString()).toBe(`{"ok":true,"id":"${idOf(acked)}"}\n`);
  });

  it("a polled status endpoint's entry is the provider's answer; an imported capture's is its status", async () => {
    const provider = await fakeProvider(() => ({ ...says('p-1', 'processing'), headers: { 'X-Provider': 'fake' } }));
    const hc = await startHookCatch();
    await hc.expect('p-1', { poll: { url: `${provider.url}/v1/jobs/{jobId}`, everyMs: 60_000 } });
    await provider.polled(1);
    await expect.poll(() => hc.jobs.get('p-1')?.deliveries.length).toBe(1);
    const polled = (await hc.store.get(hc.jobs.get('p-1')!.deliveries[0]!.requestId))!;
    const id = (await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body: '{}' })).headers['x-hook-catch-id'] as string;
    const fixture = (await send(`${hc.inspectorUrl}/api/requests/${id}/fixture`)).body.toString();
    const imported = await send(`${hc.inspectorUrl}/api/requests/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"fixtures":[${fixture}]}`,
    });
    const [importedId] = JSON.parse(imported.body.toString()).ids;

    const [poll, copy] = await harOf(hc, [polled.id, importedId]);
    expect(poll!.request).toMatchObject({ method: 'GET', url: polled.poll!.url, headers: [] });
    expect(poll!.request.postData).toBeUndefined();
    expect(poll!.response).toMatchObject({ status: 200, headers: polled.headers.map(([name, value]) => ({ name, value })) });
    expect(poll!.response.headers).toContainEqual({ name: 'X-Provider', value: 'fake' });
    expect(contentOf(poll!).toString()).toBe(JSON.stringify({ jobId: 'p-1', status: 'processing' }));
    expect(copy!.response).toMatchObject({ status: 200, headers: [], content: { size: 0, comment: 'Not kept by hook-catch.' } });
    expect(copy!.comment).toMatch(/; the answer: imported from a fixture, which keeps only the status its sender was answered$/);
  });
});
