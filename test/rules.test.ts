import { describe, expect, it } from 'vitest';
import { start, type HookCatch } from '../src/start.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { json, later, rawExchange, runCli, send, spawnCli, startHookCatch, tempDir } from './helpers/index.js';

const post = (hc: HookCatch, path: string, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  send(`${hc.receiverUrl}${path}`, { method: 'POST', headers, body });

const api = (hc: HookCatch, method: string, path: string, body?: object) =>
  send(`${hc.inspectorUrl}${path}`, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body && JSON.stringify(body) });

describe('response rules shape what the receiver answers; every request is still captured', () => {
  it('status, body and headers; the capture keeps the status and which rule gave it', async () => {
    const hc = await startHookCatch({ rules: [{ status: 202, body: '{"queued":true}', headers: [['X-Rule', 'yes']] }] });
    const reply = await post(hc, '/webhook', '{"jobId":"r-1"}');
    expect(reply.status).toBe(202);
    expect(reply.body.toString()).toBe('{"queued":true}');
    expect(reply.headers['x-rule']).toBe('yes');
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    const id = String(reply.headers['x-hook-catch-id']);
    const record = json(await api(hc, 'GET', `/api/requests/${id}`));
    expect(record.response).toEqual({ status: 202, rule: 'rule r1: 202 Accepted' });
    expect(hc.store.count).toBe(1);
  });

  it('--fail-first 2: the first two deliveries of each job get 500, the third 200; jobs and bodies are counted apart', async () => {
    const hc = await startHookCatch({ rules: [{ failFirst: 2 }] });
    const job = (id: string) => JSON.stringify({ jobId: id, status: 'completed' });
    const statuses = [];
    for (const body of [job('a'), job('a'), job('b'), job('a'), job('b'), job('b')]) statuses.push((await post(hc, '/webhook', body)).status);
    expect(statuses).toEqual([500, 500, 500, 200, 500, 200]);
    const failed = await post(hc, '/webhook', job('c'));
    expect(json(failed).error).toMatch(/on purpose .* delivery 1 of job c \(fail-first 2\)/);
    // No job named: each distinct body is counted on its own.
    const plain = [];
    for (const body of ['one', 'two', 'one', 'two', 'one']) plain.push((await post(hc, '/hook', body, { 'Content-Type': 'text/plain' })).status);
    expect(plain).toEqual([500, 500, 500, 500, 200]);
    expect(hc.store.count).toBe(12);
    // The provider's retries show on the job: three deliveries, the first two answered 500.
    const a = hc.jobs.get('a')!;
    expect(a.deliveries).toHaveLength(3);
  });

  it('--delay: the request is stored and shown at once, answered after the delay', async () => {
    const hc = await startHookCatch({ rules: [{ delayMs: 300 }] });
    const order: string[] = [];
    hc.events.once('request', () => order.push('captured'));
    const reply = post(hc, '/webhook', '{}').then((r) => (order.push('answered'), r));
    expect((await reply).status).toBe(200);
    expect(order).toEqual(['captured', 'answered']);
  });

  it('a rule for a path prefix applies under it only; the longest prefix wins', async () => {
    const hc = await startHookCatch({
      rules: [
        { path: '/billing', status: 503 },
        { path: '/billing/refunds', status: 409 },
      ],
    });
    expect((await post(hc, '/billing/invoice', '{}')).status).toBe(503);
    expect((await post(hc, '/billing/refunds/1', '{}')).status).toBe(409);
    expect((await post(hc, '/webhook', '{}')).status).toBe(200);
  });

  it('rules change while running through the API, take effect on the next request, and are kept across restarts', async () => {
    const dir = await tempDir();
    const hc = await start({ port: 0, inspectorPort: 0, dir, tunnel: false, rules: [{ status: 500 }] });
    later(() => hc.close());
    const announced = new Promise((resolve) => hc.events.once('rules', resolve));
    const added = await api(hc, 'POST', '/api/rules', { path: '/slow', status: 429, delay: '10ms', headers: [['Retry-After', '1']] });
    expect(added.status).toBe(201);
    expect(json(added)).toMatchObject({ id: 'r2', path: '/slow', status: 429, delayMs: 10, source: 'api' });
    expect(await announced).toHaveLength(2);
    const limited = await post(hc, '/slow/x', '{}');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(json(await api(hc, 'GET', '/api/rules')).items.map((r: { id: string }) => r.id)).toEqual(['r1', 'r2']);
    expect((await api(hc, 'POST', '/api/rules', { status: 99 })).status).toBe(400);
    expect(json(await api(hc, 'POST', '/api/rules', { failFirst: -1 })).error).toMatch(/fail-first takes a whole number/);
    await hc.close();
    // A start without rule flags: the one the last start's flags made goes, the one added while running stays.
    const again = await start({ port: 0, inspectorPort: 0, dir, tunnel: false });
    later(() => again.close());
    expect(again.rules.list().map((r) => [r.id, r.source])).toEqual([['r2', 'api']]);
    expect((await post(again, '/slow', '{}')).status).toBe(429);
    expect((await post(again, '/other', '{}')).status).toBe(200);
    expect((await api(again, 'DELETE', '/api/rules/r2')).status).toBe(200);
    expect((await post(again, '/slow', '{}')).status).toBe(200);
    expect((await api(again, 'DELETE', '/api/rules/r2')).status).toBe(404);
  });

  it('CLI: start flags make a rule shown in the banner; `rules` lists, adds and removes on the running instance', async () => {
    const dir = await tempDir();
    const cli = spawnCli([
      'start',
      '--port',
      '0',
      '--inspector-port',
      '0',
      '--dir',
      dir,
      '--no-tunnel',
      '--respond',
      '503:busy',
      '--fail-first',
      '1',
      '--respond-path',
      '/hooks',
    ]);
    const [, receiver] = await cli.printed(/Webhook\s+(http:\/\/\S+)\/webhook/);
    expect(cli.stdout()).toMatch(/Rules\s+r1 {2}\/hooks {2}first 1 of each job answered 500, then 503 Service Unavailable, body "busy"/);
    const first = await send(`${receiver}/hooks/a`, { method: 'POST', body: 'same' });
    const second = await send(`${receiver}/hooks/a`, { method: 'POST', body: 'same' });
    expect([first.status, second.status]).toEqual([500, 503]);
    expect(second.body.toString()).toBe('busy');
    await cli.printed(/POST\s+\/hooks\/a\s+503 .*\(rule r1: 503 Service Unavailable\)/);
    const add = await runCli(['rules', 'add', '--respond', '204', '--delay', '5ms', '--dir', dir]);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('r2  every path  204 No Content, after 5ms');
    expect((await send(`${receiver}/webhook`, { method: 'POST', body: 'x' })).status).toBe(204);
    const list = await runCli(['rules', '--dir', dir, '--json']);
    expect(JSON.parse(list.stdout).map((r: { id: string }) => r.id)).toEqual(['r1', 'r2']);
    expect((await runCli(['rules', 'remove', 'r2', '--dir', dir])).stdout).toBe('Removed rule r2.\n');
    const missing = await runCli(['rules', 'remove', 'r9', '--dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('hook-catch: No response rule r9. `hook-catch rules` lists them.');
    expect((await send(`${receiver}/webhook`, { method: 'POST', body: 'y' })).status).toBe(200);
    const bad = await runCli(['start', '--respond', 'soon', '--dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n')[0]).toMatch(/--respond takes STATUS or STATUS:BODY/);
  });

  it('a header that frames the answer (Content-Length, Transfer-Encoding, Connection …) is refused with the reason, from the API, the library, rules add and start', async () => {
    const hc = await startHookCatch();
    const refused = await api(hc, 'POST', '/api/rules', { status: 202, body: 'queued', headers: [['Content-Length', '99']] });
    expect(refused.status).toBe(400);
    expect(json(refused).error).toBe(
      'A rule cannot set Content-Length: hook-catch frames the answer itself (its Content-Length follows the body it sends). Leave it out.',
    );
    expect(json(await api(hc, 'POST', '/api/rules', { headers: [['transfer-encoding', 'chunked']] })).error).toMatch(/cannot set transfer-encoding/);
    expect(json(await api(hc, 'POST', '/api/rules', { headers: [['Host', 'example.com']] })).error).toBe('Host means nothing in an answer. Leave it out.');
    expect(hc.rules.list()).toEqual([]);
    await expect(startHookCatch({ rules: [{ headers: [['Connection', 'close']] }] })).rejects.toThrow(/cannot set Connection/);
    const dir = await tempDir();
    const add = await runCli(['rules', 'add', '--respond', '200', '--respond-header', 'Content-Length: 5', '--dir', dir]);
    expect(add.code).toBe(1);
    expect(add.stderr.split('\n')[0]).toMatch(
      /^hook-catch: option '--respond-header <name:value>' argument 'Content-Length: 5' is invalid\. A rule cannot set Content-Length: hook-catch frames the answer itself \(its Content-Length follows the body it sends\)\. Leave it out\.$/,
    );
    const started = await runCli(['start', '--respond', '200:ok', '--respond-header', 'Keep-Alive: timeout=5', '--dir', dir, '--no-tunnel']);
    expect(started.code).toBe(1);
    expect(started.stderr.split('\n')[0]).toMatch(/A rule cannot set Keep-Alive: hook-catch frames the answer itself/);
  });

  it("a rule saved with a Content-Length (by an earlier version) answers with one length, hook-catch's own: the header is dropped with a warning", async () => {
    const dir = await tempDir();
    const saved = {
      id: 'r1',
      path: null,
      status: 202,
      body: 'queued',
      headers: [
        ['Content-Length', '99'],
        ['X-Rule', 'yes'],
      ],
      delayMs: 0,
      failFirst: 0,
      source: 'api',
      createdAt: '2026-12-01T00:00:00.000Z',
    };
    const plain = {
      ...saved,
      id: 'r2',
      path: '/plain',
      body: null,
      headers: [
        ['content-length', '3'],
        ['content-type', 'text/x-rule'],
      ],
    };
    await writeFile(join(dir, 'rules.json'), JSON.stringify({ version: 1, rules: [saved, plain] }));
    const hc = await startHookCatch({ dir });
    const answer = await rawExchange(hc.receiverPort, 'POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    expect(answer).toMatch(/^HTTP\/1\.1 202 /);
    expect(answer.match(/^content-length:.*$/gim)).toEqual(['Content-Length: 6']);
    expect(answer).toMatch(/\r\nX-Rule: yes\r\n/);
    expect(answer.endsWith('\r\n\r\nqueued')).toBe(true);
    // hook-catch's own JSON answer (no body in the rule): one length, and the rule's content-type instead of ours.
    const own = await rawExchange(hc.receiverPort, 'POST /plain HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    const body = own.slice(own.indexOf('\r\n\r\n') + 4);
    expect(own.match(/^content-length:.*$/gim)).toEqual([`Content-Length: ${Buffer.byteLength(body)}`]);
    expect(own.match(/^content-type:.*$/gim)).toEqual(['content-type: text/x-rule']);
    expect(hc.warnings).toEqual([
      expect.stringMatching(/^Response rule r1: its Content-Length header is left out\. A rule cannot set Content-Length/),
      expect.stringMatching(/^Response rule r2: its content-length header is left out/),
    ]);
    // Saved without them at the next start's save: no warning the second time.
    await hc.close();
    expect((await startHookCatch({ dir })).warnings).toEqual([]);
  });
});
