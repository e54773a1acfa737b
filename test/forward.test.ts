import { createServer, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { start } from '../src/start.js';
import type { HookCatch } from '../src/start.js';
import { json, later, send, spawnCli, startHookCatch, tempDir } from './helpers/index.js';
import { passedOn, recordingApp } from './helpers/recording-app.js';

const post = (hc: HookCatch, path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  send(`${hc.receiverUrl}${path}`, { method: 'POST', headers, body });

const summaryOf = async (hc: HookCatch, id: string) => json(await send(`${hc.inspectorUrl}/api/requests/${id}`)).summary;

describe("--forward: the user's app answers the provider", () => {
  it("the sender gets the app's status, headers and body; the app gets the exact bytes; the capture keeps the app's status and latency", async () => {
    const app = await recordingApp(() => ({ status: 201, headers: { 'Content-Type': 'application/json', 'X-App': 'yes' }, body: '{"taken":true}' }));
    const hc = await startHookCatch({ forward: `${app.url}/app` });
    const body = gzipSync(Buffer.from('{"jobId":"f-1","status":"completed"}'));
    const reply = await post(hc, '/webhook/f-1?attempt=1', body, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'X-Sig': 's' });
    expect(reply.status).toBe(201);
    expect(reply.headers['x-app']).toBe('yes');
    expect(reply.body.toString()).toBe('{"taken":true}');
    const id = String(reply.headers['x-hook-catch-id']);
    const got = await app.got();
    expect(got.url).toBe('/app/webhook/f-1?attempt=1');
    expect(got.body.equals(body)).toBe(true);
    const record = json(await send(`${hc.inspectorUrl}/api/requests/${id}`));
    expect(passedOn(got.headers)).toEqual(passedOn(record.headers));
    expect(record.summary).toMatchObject({ status: 201, forward: { status: 201 } });
    expect(record.summary.forward.latencyMs).toBeGreaterThanOrEqual(0);
    expect(record.response.status).toBe(201);
  });

  it('app down: the sender gets 502 saying so, and the capture is kept', async () => {
    const hc = await startHookCatch({ forward: 'http://127.0.0.1:1' });
    const reply = await post(hc, '/webhook', '{"jobId":"down-1"}', { 'Content-Type': 'application/json' });
    expect(reply.status).toBe(502);
    expect(json(reply).error).toMatch(/kept this webhook .* but your app did not take it: http:\/\/127\.0\.0\.1:1 refused the connection/);
    const id = String(reply.headers['x-hook-catch-id']);
    expect(hc.store.count).toBe(1);
    expect(await summaryOf(hc, id)).toMatchObject({ status: 502, forward: { status: null, error: expect.stringMatching(/refused the connection/) } });
  });

  it('app too slow: the sender gets 504, the capture is kept', async () => {
    const app = await recordingApp(() => 'hang');
    const hc = await startHookCatch({ forward: app.url, forwardTimeoutMs: 200 });
    const reply = await post(hc, '/webhook', 'slow');
    expect(reply.status).toBe(504);
    expect(json(reply).error).toMatch(/did not answer within 0\.2s/);
    expect(await summaryOf(hc, String(reply.headers['x-hook-catch-id']))).toMatchObject({ status: 504, forward: { status: null } });
  });

  it('app answering 500: the provider sees 500 (and so retries), the job still gets its delivery', async () => {
    const app = await recordingApp(() => ({ status: 500, body: 'handler crashed' }));
    const hc = await startHookCatch({ forward: app.url });
    const reply = await post(hc, '/webhook', '{"jobId":"j-500","status":"completed"}', { 'Content-Type': 'application/json' });
    expect(reply.status).toBe(500);
    expect(reply.body.toString()).toBe('handler crashed');
    expect(hc.jobs.get('j-500')?.deliveries).toHaveLength(1);
  });

  it('--forward-mode ack: 200 at once, forwarded in the background, the answer kept and announced (and still there after a restart)', async () => {
    const app = await recordingApp(() => 'hang');
    const dir = await tempDir();
    const hc = await start({ port: 0, inspectorPort: 0, dir, tunnel: false, forward: app.url, forwardMode: 'ack', forwardTimeoutMs: 300 });
    later(() => hc.close());
    const forwarded = new Promise<[string, any]>((resolve) => hc.events.once('forwarded', (id, note) => resolve([id, note])));
    const reply = await post(hc, '/webhook', 'ack me');
    // Answered while the app has not answered (it never does).
    expect(reply.status).toBe(200);
    const id = String(reply.headers['x-hook-catch-id']);
    await app.got();
    const [forwardedId, note] = await forwarded;
    expect(forwardedId).toBe(id);
    expect(note).toMatchObject({ answered: 200, forward: { status: null, error: expect.stringMatching(/did not answer/) } });
    await hc.close();
    const again = await start({ port: 0, inspectorPort: 0, dir, tunnel: false });
    later(() => again.close());
    const listed = (await again.store.list()).items[0]!;
    expect(listed).toMatchObject({ id, status: 200, forward: { status: null } });
  });

  it('the terminal line shows what the app answered; --json has it too', async () => {
    const app = await recordingApp(() => ({ status: 202 }));
    const dir = await tempDir();
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--no-tunnel', '--forward', app.url]);
    const [, receiver] = await cli.printed(/Webhook\s+(http:\/\/\S+)\/webhook/);
    expect(cli.stdout()).toMatch(/Forward\s+http:\/\/127\.0\.0\.1:\d+\/\s+senders get your app's answer/);
    await send(`${receiver}/webhook`, { method: 'POST', body: 'x' });
    await cli.printed(/POST\s+\/webhook\s+202 .*→ app 202 \d+ ms/);
    const jsonCli = spawnCli([
      'start',
      '--port',
      '0',
      '--inspector-port',
      '0',
      '--dir',
      await tempDir(),
      '--no-tunnel',
      '--json',
      '--forward',
      app.url,
      '--forward-mode',
      'ack',
    ]);
    const ready = await jsonCli.jsonLine((v) => v.type === 'ready');
    expect(ready.forward).toEqual({ url: `${app.url}/`, mode: 'ack' });
    await send(ready.webhookUrl, { method: 'POST', body: 'y' });
    const line = await jsonCli.jsonLine((v) => v.type === 'forwarded');
    expect(line).toMatchObject({ status: 200, forward: { status: 202 } });
  });

  it('refuses a target that is not http(s), or that is hook-catch itself, in one line', async () => {
    const bad = spawnCli(['start', '--port', '0', '--dir', await tempDir(), '--no-tunnel', '--forward', 'ftp://x']);
    expect((await bad.exited).code).toBe(1);
    expect(bad.stderr().split('\n')[0]).toMatch(/^hook-catch: .*--forward must be an http:\/\/ or https:\/\/ URL; got "ftp:\/\/x"\.$/);
    const port = await freePort();
    const loop = spawnCli([
      'start',
      '--port',
      String(port),
      '--inspector-port',
      '0',
      '--dir',
      await tempDir(),
      '--no-tunnel',
      '--forward',
      `http://localhost:${port}/app`,
    ]);
    expect((await loop.exited).code).toBe(1);
    expect(loop.stderr().trim()).toBe(
      `hook-catch: --forward http://localhost:${port}/app: http://localhost:${port} is this hook-catch itself (port ${port} is its own): sending there would loop. Give your app's URL.`,
    );
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
