import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { HookCatch } from '../src/start.js';
import { jobReaches, json, later, runCli, send, spawnCli, startHookCatch, tempDir } from './helpers/index.js';
import { seedApp } from './helpers/seed-app.js';
import { SEEDS, seedProvider, type SeedName } from './helpers/seed-providers.js';

// The provider port (`start --provider`): the app's calls go to its provider as they came and come
// back as they were answered, each kept with its answer; a submit registers its job, a status call
// is kept under it, and --rewrite-webhook-url brings a local webhook URL's webhooks home. Real fake
// providers of the four seed APIs, real apps, on local ports.

/** Where each seed's answer names the job, and where its submit names the webhook URL. */
const SHAPES: Record<SeedName, { idAt: string; webhookUrlAt: string }> = {
  ai: { idAt: 'body.jobId', webhookUrlAt: 'query.webhook' },
  videodb: { idAt: 'body.response_id', webhookUrlAt: 'body.callback_url' },
  deepaffects: { idAt: 'body.request_id', webhookUrlAt: 'query.webhook' },
  tasks: { idAt: 'body.taskId', webhookUrlAt: 'body.webhook.url' },
};

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  later(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the provider port records each seed API as the app uses it', () => {
  for (const seed of SEEDS) {
    it(`${seed}: calls pass byte for byte, the submit registers the job, status calls and webhooks join it`, async () => {
      const provider = await seedProvider(seed);
      const hc = await startHookCatch({ provider: provider.url, providerPort: 0 });
      // The app gives the provider hook-catch's webhook URL and gets each webhook by --forward: here, straight from the job.
      const app = await seedApp(seed, { apiBase: hc.providerUrl!, webhookUrl: `${hc.receiverUrl}/hooks/${seed}` });
      const submitted = await app.submit();
      expect(submitted.http).toBeLessThan(300);
      const jobId = submitted.jobId!;
      const call = provider.calls[0]!;
      // What the provider got is what the app sent (bytes, credentials); what the app got is what the provider answered.
      expect(call.body.equals(Buffer.from(await storedBody(hc, 0)))).toBe(true);
      expect(JSON.stringify(submitted.body)).toBe(JSON.stringify(JSON.parse(call.answer.body.toString())));
      const job = await jobReaches(hc, jobId, (j) => j.source === 'submit');
      expect(job.submit).toMatchObject({ provider: provider.url, webhookUrl: `${hc.receiverUrl}/hooks/${seed}`, rewrittenTo: null });
      const stored = await hc.store.get(job.submit!.requestId);
      expect(stored!.outbound).toMatchObject({ role: 'submit', jobId, idAt: SHAPES[seed].idAt, webhookUrlAt: SHAPES[seed].webhookUrlAt });
      expect(stored!.answer!.status).toBe(submitted.http);

      const polled = await app.poll(jobId);
      await jobReaches(hc, jobId, (j) => j.deliveries.some((d) => d.source === 'poll' && d.statusWord === polled.status));
      await provider.complete(jobId, 'success');
      const done = await jobReaches(hc, jobId, (j) => j.status === 'completed');
      expect(done.deliveries.map((d) => d.source)).toEqual(['submit', 'poll', 'webhook']);
      const final = await app.poll(jobId);
      await jobReaches(hc, jobId, (j) => j.deliveries.filter((d) => d.source === 'poll').length === 2);
      expect(hc.jobs.get(jobId)!.deliveries.at(-1)!.statusWord).toBe(final.status);
    });
  }

  it('--rewrite-webhook-url: the provider gets hook-catch URL, the app gets each webhook at its own, still verifying', async () => {
    const provider = await seedProvider('ai');
    const hc = await startHookCatch({ provider: provider.url, providerPort: 0, rewriteWebhookUrl: true });
    const app = await seedApp('ai', { apiBase: hc.providerUrl! });
    const { jobId } = await app.submit();
    const given = provider.jobs.get(jobId!)!.webhookUrl!;
    expect(given).toBe(`${hc.receiverUrl}${new URL(app.webhookUrl).pathname}`);
    const job = await jobReaches(hc, jobId!, (j) => j.source === 'submit');
    expect(job.submit).toMatchObject({ webhookUrl: app.webhookUrl, rewrittenTo: given });
    await provider.complete(jobId!, 'success', { duplicate: true });
    const [first, second] = await app.waitForWebhooks(2);
    expect([first!.verdict, second!.verdict]).toEqual(['valid', 'valid']);
    expect(first!.body.equals(provider.deliveries[0]!.body)).toBe(true);
    const settled = await jobReaches(hc, jobId!, (j) => j.deliveries.filter((d) => d.source === 'webhook').length === 2);
    expect(settled.status).toBe('completed');
  });

  it('--rewrite-webhook-url in a JSON body: only the URL changes; a URL that is not local is left alone', async () => {
    const provider = await seedProvider('tasks');
    const hc = await startHookCatch({ provider: provider.url, providerPort: 0, rewriteWebhookUrl: true });
    const app = await seedApp('tasks', { apiBase: hc.providerUrl! });
    const { jobId } = await app.submit({ idempotencyKey: 'order-7' });
    const sent = JSON.parse(provider.calls[0]!.body.toString());
    expect(sent.webhook.url).toBe(`${hc.receiverUrl}${new URL(app.webhookUrl).pathname}`);
    expect(sent.idempotencyKey).toBe('order-7');
    app.failFirst(1);
    await provider.complete(jobId!, 'success');
    await app.waitForWebhooks(2);
    expect(app.received.map((w) => w.answered)).toEqual([500, 200]);
    expect(app.received[1]!.verdict).toBe('valid');

    const other = await seedApp('tasks', { apiBase: hc.providerUrl!, webhookUrl: 'https://hooks.example.com/tasks' });
    await other.submit();
    expect(JSON.parse(provider.calls.at(-1)!.body.toString()).webhook.url).toBe('https://hooks.example.com/tasks');
  });

  it('an unreachable provider gets the app a 502 that says why, one terminal line, and the call is kept', async () => {
    const closed = createServer();
    const url = await listening(closed);
    await new Promise((resolve) => closed.close(resolve));
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk) => (text += chunk));
    const hc = await startHookCatch({ provider: url, providerPort: 0, output: 'pretty', stdout: out, stderr: out });
    const reply = await send(`${hc.providerUrl}/v1/tasks`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' });
    expect(reply.status).toBe(502);
    expect(json(reply).error).toMatch(/refused the connection: check the --provider URL/);
    const [summary] = (await hc.store.list({ limit: 1 })).items;
    expect(summary!.outbound).toMatchObject({ role: 'call', error: expect.stringMatching(/refused/) });
    await expect.poll(() => text, { timeout: 15_000 }).toMatch(/→ POST\s+\/v1\/tasks\s+502 .*provider unreachable: /);
  });

  it('a provider that does not answer in time gets the app a 504', async () => {
    const silent = createServer(() => undefined);
    const url = await listening(silent);
    later(() => silent.closeAllConnections());
    const hc = await startHookCatch({ provider: url, providerPort: 0, providerTimeoutMs: 200 });
    const reply = await send(`${hc.providerUrl}/status`);
    expect(reply.status).toBe(504);
    expect(json(reply).error).toMatch(/did not answer within/);
  });

  it('a large upload streams through and is kept as its size, hash and parts', async () => {
    const received: Buffer[] = [];
    const upstream = createServer((req, res) => {
      req.on('data', (chunk: Buffer) => received.push(chunk));
      req.on('end', () => res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"jobId":"up-1"}'));
    });
    const url = await listening(upstream);
    const hc = await startHookCatch({ provider: url, providerPort: 0, maxBody: 100_000 });
    const media = Buffer.alloc(3_000_000, 7);
    const boundary = 'b0undary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nfast\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="call.wav"\r\nContent-Type: audio/wav\r\n\r\n`),
      media,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const reply = await send(`${hc.providerUrl}/ai/v1/transcribe`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(reply.status).toBe(202);
    expect(Buffer.concat(received).equals(body)).toBe(true);
    const job = await jobReaches(hc, 'up-1', (j) => j.source === 'submit');
    const call = await hc.store.get(job.submit!.requestId);
    expect(call).toMatchObject({ bodySize: body.length, bodyDiscarded: true });
    expect(call!.outbound!.bodySha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(call!.outbound!.parts).toEqual([
      { name: 'model', size: 4 },
      { name: 'media', filename: 'call.wav', contentType: 'audio/wav', size: media.length },
    ]);
  });

  it('a --job-id-path rule names the job in a submit answer; the jobs are derived again after a restart', async () => {
    const upstream = createServer((req, res) => {
      req.resume();
      res.setHeader('Content-Type', 'application/json');
      if (req.method === 'POST') res.end('{"data":{"handle":"h-42"}}');
      else res.end('{"state":"Running"}');
    });
    const url = await listening(upstream);
    const dir = await tempDir();
    const options = { dir, provider: url, providerPort: 0, jobIdPaths: ['body.data.handle'] };
    const first = await startHookCatch(options);
    await send(`${first.providerUrl}/jobs`, {
      method: 'POST',
      body: '{"callback_url":"http://localhost:3000/h"}',
      headers: { 'Content-Type': 'application/json' },
    });
    await send(`${first.providerUrl}/jobs/h-42`);
    await jobReaches(first, 'h-42', (j) => j.deliveries.length === 2);
    await first.close();
    const again = await startHookCatch(options);
    const job = await jobReaches(again, 'h-42', (j) => j.deliveries.length === 2);
    expect(job.source).toBe('submit');
    expect(job.submit).toMatchObject({ webhookUrl: 'http://localhost:3000/h' });
    expect(job.deliveries.map((d) => [d.source, d.matchedBy, d.statusWord])).toEqual([
      ['submit', 'rule body.data.handle', null],
      ['poll', 'provider port', 'Running'],
    ]);
  });

  it('start refuses --rewrite-webhook-url without --provider, and a --provider that is not a URL, in one line', async () => {
    const rewrite = await runCli(['start', '--rewrite-webhook-url', '--no-tunnel', '--port', '0', '--inspector-port', '0', '--dir', await tempDir()]);
    expect(rewrite.code).not.toBe(0);
    expect(rewrite.stderr.trim().split('\n')).toHaveLength(1);
    expect(rewrite.stderr).toMatch(/--provider/);
    const bad = await runCli(['start', '--provider', 'api.example.com', '--no-tunnel', '--dir', await tempDir()]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--provider/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

/** The body the app sent in the n-th stored call, from the store. */
async function storedBody(hc: HookCatch, n: number): Promise<Buffer> {
  const page = await hc.store.list({ limit: 100 });
  const calls = page.items.filter((s) => s.outbound).reverse();
  return (await hc.store.get(calls[n]!.id))!.body;
}

describe('a lost webhook, told by the app own status calls', () => {
  it('the status call says the job ended and no webhook comes within the grace period: webhook_lost, said once', async () => {
    const upstream = createServer((req, res) => {
      req.resume();
      res.setHeader('Content-Type', 'application/json');
      res.end(req.method === 'POST' ? '{"taskId":"t-lost"}' : '{"taskId":"t-lost","status":"completed"}');
    });
    const url = await listening(upstream);
    let clock = Date.now();
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk) => (text += chunk));
    const hc = await startHookCatch({ provider: url, providerPort: 0, now: () => clock, output: 'pretty', stdout: out, stderr: out });
    await send(`${hc.providerUrl}/v1/tasks`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    await send(`${hc.providerUrl}/v1/tasks/t-lost`);
    const ended = await jobReaches(hc, 't-lost', (j) => j.submit?.ended != null);
    expect(ended.status).toBe('pending');
    expect(ended.submit!.ended).toMatchObject({ status: 'completed', statusWord: 'completed' });
    clock += 3 * 60_000;
    expect(hc.jobs.get('t-lost')!.status).toBe('webhook_lost');
    await expect.poll(() => text, { timeout: 15_000 }).toMatch(/job t-lost: its provider said "completed" at .* no webhook came within 2m 0s: webhook lost/);
  });
});

describe('hook-catch url --provider', () => {
  it("prints the provider port's URL for the app's API base URL, and says when there is none", async () => {
    const upstream = createServer((_req, res) => res.end('{}'));
    const url = await listening(upstream);
    const dir = await tempDir();
    const hc = await startHookCatch({ dir, provider: url, providerPort: 0 });
    const printed = await runCli(['url', '--provider', '--dir', dir]);
    expect(printed.stdout.trim()).toBe(hc.providerUrl);
    const all = await runCli(['url', '--json', '--dir', dir]);
    expect(JSON.parse(all.stdout).providerUrl).toBe(hc.providerUrl);
    const other = await tempDir();
    await startHookCatch({ dir: other });
    const none = await runCli(['url', '--provider', '--dir', other]);
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toBe('hook-catch: The running hook-catch has no provider port: start it with --provider <your API base URL>.');
  });
});

describe('--rewrite-webhook-url alone', () => {
  it('a webhook of no rewritten job is answered 200 by hook-catch and sent nowhere', async () => {
    const upstream = createServer((_req, res) => res.end('{}'));
    const url = await listening(upstream);
    const hc = await startHookCatch({ provider: url, providerPort: 0, rewriteWebhookUrl: true });
    const reply = await send(`${hc.receiverUrl}/webhook`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"jobId":"other"}' });
    expect(reply.status).toBe(200);
    const stored = await hc.store.get(json(reply).id);
    expect(stored).toMatchObject({ response: { status: 200 } });
    expect(stored!.forward).toBeUndefined();
    expect(stored!.forwardOwed).toBeUndefined();
  });
});

describe('--rewrite-webhook-url across a crash', () => {
  it("a webhook whose forward had not ended at kill -9 is forwarded to its job's own URL at the next start", async () => {
    const upstream = createServer((req, res) => {
      req.resume();
      res.setHeader('Content-Type', 'application/json');
      res.end('{"jobId":"j-owed"}');
    });
    const url = await listening(upstream);
    // The app: its first webhook hangs (hook-catch is killed meanwhile), then it answers.
    const got: string[] = [];
    const app = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        got.push(`${req.url} ${body}`);
        if (got.length > 1) res.end('ok');
      });
    });
    const appUrl = await listening(app);
    later(() => app.closeAllConnections());
    const dir = await tempDir();
    const flags = ['--provider', url, '--rewrite-webhook-url', '--dir', dir, '--no-tunnel', '--port', '0', '--inspector-port', '0', '--provider-port', '0'];
    const cli = spawnCli(['start', ...flags, '--json']);
    const ready = await cli.jsonLine<{ providerUrl: string; receiverUrl: string }>((v) => v.type === 'ready');
    await send(`${ready.providerUrl}/jobs?callback_url=${encodeURIComponent(`${appUrl}/hooks/j`)}`, { method: 'POST', body: '{}' });
    // The provider's webhook waits for the app's answer (--forward-mode wait, the default), which never comes.
    const hook = send(`${ready.receiverUrl}/hooks/j`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"jobId":"j-owed"}' });
    hook.catch(() => undefined);
    await expect.poll(() => got.length, { timeout: 15_000 }).toBe(1);
    cli.child.kill('SIGKILL');
    await cli.exited;
    await startHookCatch({ dir, provider: url, providerPort: 0, rewriteWebhookUrl: true });
    await expect.poll(() => got.length, { timeout: 15_000 }).toBe(2);
    expect(got[1]).toBe('/hooks/j {"jobId":"j-owed"}');
  });
});

describe('an app that goes away mid-request', () => {
  it('leaves hook-catch serving (a submit cut short while it was read to rewrite it reaches nobody)', async () => {
    const calls: string[] = [];
    const upstream = createServer((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      req.resume();
      res.end('{}');
    });
    const url = await listening(upstream);
    const hc = await startHookCatch({ provider: url, providerPort: 0, rewriteWebhookUrl: true });
    const { port } = new URL(hc.providerUrl!);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"callback_url":"http://localhost:3000/h"');
    await new Promise((resolve) => setImmediate(resolve));
    socket.destroy();
    const after = await send(`${hc.providerUrl}/status`);
    expect(after.status).toBe(200);
    expect(calls).toEqual(['GET /status']);
  });
});
