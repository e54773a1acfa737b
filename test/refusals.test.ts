import { describe, expect, it } from 'vitest';
import type { RequestSummary } from '../src/capture/capture.js';
import { createIdGenerator } from '../src/capture/ids.js';
import { RequestIndex } from '../src/store/request-index.js';
import { RequestLog } from '../src/store/request-log.js';
import { json, rawExchange, rawRequest, runCli, send, spawnCli, startHookCatch, tempDir } from './helpers/index.js';

type HC = Awaited<ReturnType<typeof startHookCatch>>;

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3}) /.exec(response)?.[1]);
const idOf = (response: string) => /\r\nX-Hook-Catch-Id: (\S+)\r\n/i.exec(response)?.[1];

/** What node:http's parser refuses, and how hook-catch answers and records each. */
const CASES = [
  {
    name: 'an unknown method',
    bytes: 'FOO /webhook HTTP/1.1\r\nHost: x\r\nX-Signature: sig\r\n\r\n',
    status: 501,
    method: 'FOO',
    path: '/webhook',
    code: 'HPE_INVALID_METHOD',
    reason: 'unknown HTTP method FOO',
    headers: [
      ['Host', 'x'],
      ['X-Signature', 'sig'],
    ],
  },
  {
    name: 'a lower-case method',
    bytes: 'post /webhook?source=ci HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    status: 501,
    method: 'post',
    path: '/webhook',
    code: 'HPE_INVALID_METHOD',
    reason: 'unknown HTTP method post (methods are case-sensitive: POST)',
  },
  {
    name: 'headers over the size limit',
    bytes: `POST /webhook HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
    status: 431,
    method: 'POST',
    path: '/webhook',
    code: 'HPE_HEADER_OVERFLOW',
    reason: 'headers larger than the 64 kB limit (--max-header-size)',
  },
  {
    name: 'an Expect other than 100-continue',
    bytes: 'POST /webhook HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\nContent-Length: 2\r\n\r\n{}',
    status: 417,
    method: 'POST',
    path: '/webhook',
    code: 'EXPECT_UNSUPPORTED',
    reason: 'unsupported Expect header "bogus" (only 100-continue is understood)',
  },
  {
    name: 'CONNECT',
    bytes: 'CONNECT host.example:443 HTTP/1.1\r\nHost: host.example:443\r\n\r\n',
    status: 405,
    method: 'CONNECT',
    path: 'host.example:443',
    code: 'CONNECT_UNSUPPORTED',
    reason: 'CONNECT host.example:443 asks for a proxy tunnel; hook-catch receives webhooks and is no proxy',
  },
  {
    name: 'https:// on the plain-HTTP port',
    bytes: Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0x5e]),
    status: 400,
    method: '-',
    path: '-',
    code: 'HPE_INVALID_METHOD',
    reason: 'a TLS handshake: https:// was used on this plain-HTTP port (use http:// here)',
  },
  {
    name: 'a malformed chunked body',
    bytes: 'POST /webhook/chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    status: 400,
    method: 'POST',
    path: '/webhook/chunked',
    code: 'HPE_INVALID_CHUNK_SIZE',
    reason: 'malformed request: invalid character in chunk size',
  },
];

async function stillServes(hc: HC) {
  const reply = await send(hc.webhookUrl, { method: 'POST', body: '{"after":"refusal"}' });
  expect(reply.status).toBe(200);
  expect((await hc.store.get(json(reply).id))!.body.toString()).toBe('{"after":"refusal"}');
}

describe('receiver: headers', () => {
  it('keeps every header that fits the size limit: 1,100 small ones, then X-Signature', async () => {
    const hc = await startHookCatch();
    const filler = Array.from({ length: 1100 }, (_, i) => `X-Filler-${i}: v${i}\r\n`).join('');
    const response = await rawRequest(hc.receiverPort, `POST /webhook HTTP/1.1\r\nHost: x\r\n${filler}X-Signature: t=1,v1=abc\r\nContent-Length: 2\r\n\r\n{}`);
    expect(statusOf(response)).toBe(200);
    const stored = await hc.store.get(idOf(response)!);
    expect(stored!.headers).toHaveLength(1 + 1100 + 2);
    expect(stored!.headers[1100]).toEqual(['X-Filler-1099', 'v1099']);
    expect(stored!.headers[1101]).toEqual(['X-Signature', 't=1,v1=abc']);
  });

  it('takes a 40 kB header by default (node:http alone stops at 16 KiB), and maxHeaderSize raises the limit', async () => {
    const hc = await startHookCatch();
    const token = 'a'.repeat(40_000);
    const reply = await send(hc.webhookUrl, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: '{}' });
    expect(reply.status).toBe(200);
    expect((await hc.store.get(json(reply).id))!.headers).toContainEqual(['Authorization', `Bearer ${token}`]);

    const huge = 'b'.repeat(200_000);
    const refused = await rawExchange(hc.receiverPort, `POST /webhook HTTP/1.1\r\nHost: x\r\nX-Big: ${huge}\r\n\r\n`);
    expect(statusOf(refused)).toBe(431);
    const roomy = await startHookCatch({ maxHeaderSize: 300_000 });
    const taken = await send(roomy.webhookUrl, { method: 'POST', headers: { 'X-Big': huge }, body: '{}' });
    expect(taken.status).toBe(200);
    expect((await roomy.store.get(json(taken).id))!.headers).toContainEqual(['X-Big', huge]);
  });

  it('captures an HTTP/1.1 request without a Host header (node:http answers it 400 unseen)', async () => {
    const hc = await startHookCatch();
    const response = await rawRequest(hc.receiverPort, 'POST /webhook HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}');
    expect(statusOf(response)).toBe(200);
    expect((await hc.store.get(idOf(response)!))!.body.toString()).toBe('{}');
  });
});

describe('receiver: what node:http refuses is answered and recorded', () => {
  it.each(CASES)('$name: answered $status, kept with its reason, shown by the API', async (c) => {
    const hc = await startHookCatch();
    const seen: unknown[] = [];
    hc.events.on('request', (r) => seen.push(r.refusal));
    const response = await rawExchange(hc.receiverPort, c.bytes);
    expect(statusOf(response), response).toBe(c.status);
    expect(response).toMatch(/\r\nConnection: close\r\n/i);
    const id = idOf(response)!;
    expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toEqual({
      ok: false,
      id,
      error: `hook-catch refused this request: ${c.reason}`,
    });
    expect(seen).toEqual([{ code: c.code, reason: c.reason }]);

    const page = json(await send(`${hc.inspectorUrl}/api/requests`));
    expect(page.items[0]).toMatchObject({ id, method: c.method, path: c.path, status: c.status, refusal: { code: c.code, reason: c.reason } });
    const record = json(await send(`${hc.inspectorUrl}/api/requests/${id}`));
    expect(record).toMatchObject({ method: c.method, path: c.path, response: { status: c.status }, refusal: { code: c.code, reason: c.reason } });
    if (c.headers) expect(record.headers).toEqual(c.headers);
    await stillServes(hc);
  });

  it('list and show give each refusal with its reason; show --body gives the first bytes exactly', async () => {
    const hc = await startHookCatch();
    const ids: string[] = [];
    for (const c of CASES) ids.push(idOf(await rawExchange(hc.receiverPort, c.bytes))!);
    const list = await runCli(['list', '--dir', hc.dir]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n').reverse();
    CASES.forEach((c, i) => {
      expect(lines[i]).toContain(ids[i]!.slice(-6));
      expect(lines[i]).toContain(`${c.method} `);
      expect(lines[i]).toContain(` ${c.status} `);
      expect(lines[i]).toContain(`refused: ${c.reason}`);
    });
    const listed = JSON.parse((await runCli(['list', '--dir', hc.dir, '--json'])).stdout);
    expect(listed.items.map((item: RequestSummary) => item.refusal?.code)).toEqual(CASES.map((c) => c.code).reverse());

    const shown = await runCli(['show', ids[0]!, '--dir', hc.dir]);
    expect(shown.stdout).toContain('FOO /webhook');
    expect(shown.stdout).toMatch(/refused +unknown HTTP method FOO \(HPE_INVALID_METHOD\)/);
    const body = await runCli(['show', ids[0]!, '--dir', hc.dir, '--body']);
    expect(body.stdoutBytes.equals(Buffer.from(CASES[0]!.bytes))).toBe(true);
    const tls = await runCli(['show', ids[5]!, '--dir', hc.dir, '--body']);
    expect(tls.stdoutBytes.equals(CASES[5]!.bytes as Buffer)).toBe(true);
  });

  it('keeps at most the first 8 kB of a refused request', async () => {
    const hc = await startHookCatch();
    const sent = Buffer.from(`POST /webhook HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(300_000)}\r\n\r\n`);
    const response = await rawExchange(hc.receiverPort, sent);
    expect(statusOf(response)).toBe(431);
    const stored = await hc.store.get(idOf(response)!);
    expect(stored!.body.equals(sent.subarray(0, 8000))).toBe(true);
    expect(stored!.bodySize).toBe(8000);
    expect(stored!.headers).toEqual([['Host', 'x']]);
    await stillServes(hc);
  });

  it('a head over the limit in many small headers still shows its path and the headers read', async () => {
    const hc = await startHookCatch();
    const sent = `POST /webhook?source=ci HTTP/1.1\r\nHost: x\r\n${'X-Many: value\r\n'.repeat(20_000)}\r\n`;
    const response = await rawExchange(hc.receiverPort, sent);
    expect(statusOf(response)).toBe(431);
    const stored = await hc.store.get(idOf(response)!);
    expect(stored).toMatchObject({ url: '/webhook?source=ci', path: '/webhook', refusal: { code: 'HPE_HEADER_OVERFLOW' } });
    expect(stored!.body.length).toBeLessThanOrEqual(8000);
    expect(stored!.headers[0]).toEqual(['Host', 'x']);
    expect(stored!.headers.length).toBeGreaterThan(400);
    expect(stored!.headers.slice(1).every(([name, value]) => name === 'X-Many' && value === 'value')).toBe(true);
    await stillServes(hc);
  });

  it('a refusal is kept across a restart, and is no delivery for a job its path names', async () => {
    const hc = await startHookCatch();
    await hc.expect('job-77');
    const response = await rawExchange(hc.receiverPort, 'FOO /webhook/job-77 HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(statusOf(response)).toBe(501);
    expect(hc.jobs.get('job-77')!.status).toBe('pending');
    await hc.close();
    const { log } = await RequestLog.open(hc.dir, { maxRequests: 100, fsync: false, readOnly: true });
    const refusal = { code: 'HPE_INVALID_METHOD', reason: 'unknown HTTP method FOO' };
    expect((await log.list()).items[0]).toMatchObject({ method: 'FOO', path: '/webhook/job-77', status: 501, refusal });
    expect(await log.get(idOf(response)!)).toMatchObject({ refusal });
    await log.close();
  });

  it('the index gives refusals back as the window of kept requests moves and grows', () => {
    const nextId = createIdGenerator();
    const index = new RequestIndex();
    const refused = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const summary: RequestSummary = {
        id: nextId(),
        receivedAt: new Date().toISOString(),
        method: 'POST',
        url: '/webhook',
        path: '/webhook',
        contentType: null,
        bodySize: 2,
        bodyDiscarded: false,
        status: i % 97 === 0 ? 431 : 200,
        remoteAddress: null,
        ...(i % 97 === 0 ? { refusal: { code: 'HPE_HEADER_OVERFLOW', reason: `refusal ${i}` } } : {}),
      };
      if (summary.refusal) refused.add(summary.id);
      index.add(summary, 1, i * 10, 9);
      index.dropOldestBeyond(i < 3000 ? 2500 : 700);
    }
    const kept = [...index.newestFirst()].map((e) => e.summary);
    expect(kept).toHaveLength(700);
    for (const s of kept) {
      expect(s.refusal !== undefined, s.id).toBe(refused.has(s.id));
      if (s.refusal) expect(s.status).toBe(431);
    }
    expect(kept.filter((s) => s.refusal)).toHaveLength(7);
  });
});

describe('hook-catch start: refusals in the terminal, --max-header-size', () => {
  it('prints a refusal in the request line, in --json too, and --max-header-size lets a large header through', async () => {
    const pretty = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', await tempDir(), '--no-tunnel']);
    const banner = /Webhook\s+http:\/\/127\.0\.0\.1:(\d+)/;
    await expect.poll(() => pretty.stdout(), { timeout: 10_000 }).toMatch(banner);
    await rawExchange(Number(banner.exec(pretty.stdout())![1]), 'FOO /webhook HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => pretty.stdout(), { timeout: 10_000 }).toMatch(/FOO +\/webhook +501 .* refused: unknown HTTP method FOO/);

    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', await tempDir(), '--no-tunnel', '--json', '--max-header-size', '300kb']);
    const ready = await cli.jsonLine((v) => v.type === 'ready');
    const big = 'c'.repeat(200_000);
    const taken = await rawRequest(ready.receiverPort, `POST /webhook HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\nContent-Length: 2\r\n\r\n{}`);
    expect(statusOf(taken)).toBe(200);
    const refused = await rawExchange(ready.receiverPort, `POST /webhook HTTP/1.1\r\nHost: x\r\nX-Big: ${big}${big}\r\n\r\n`);
    expect(statusOf(refused)).toBe(431);
    const line = await cli.jsonLine((v) => v.type === 'request' && v.refusal);
    expect(line).toMatchObject({
      id: idOf(refused),
      status: 431,
      refusal: { code: 'HPE_HEADER_OVERFLOW', reason: expect.stringMatching(/--max-header-size/) },
    });
    const help = await runCli(['start', '--help']);
    expect(help.stdout).toMatch(/--max-header-size <size>/);
  });
});
