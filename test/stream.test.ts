import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { json, later, send, startHookCatch, tempDir } from './helpers/index.js';

type HC = Awaited<ReturnType<typeof startHookCatch>>;

/** A live-stream client that keeps every message, and awaits the ones a test needs (30 s at most). */
function openStream(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const messages: any[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    expect(Array.isArray(frame)).toBe(true); // each frame: the messages of one turn, in order
    messages.push(...frame);
    for (const w of waiters.splice(0)) w();
  });
  later(() => ws.terminate());
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  /** Resolves with the messages so far once `count` of them pass `match`. */
  const received = (match: (m: any) => boolean, count = 1) =>
    new Promise<any[]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${messages.filter(match).length} of ${count} messages in 30 s: ${JSON.stringify(messages)}`)),
        30_000,
      );
      const look = () => {
        if (messages.filter(match).length >= count) return (clearTimeout(timer), resolve(messages.filter(match)));
        waiters.push(look);
      };
      look();
    });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return { ws, messages, opened, received, closed };
}

/** The status of a refused upgrade, or 101 when it was accepted. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => (ws.terminate(), resolve(101)));
    ws.once('unexpected-response', (_req, res) => (res.resume(), resolve(res.statusCode!)));
    ws.once('error', reject);
  });
}

async function deliver(hc: HC, body: unknown, path = '/webhook') {
  const reply = await send(`${hc.receiverUrl}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  expect(reply.status).toBe(200);
  return json(reply).id as string;
}

const isRequest = (m: any) => m.type === 'request';

describe('the live stream, /ws', () => {
  it('is open to this machine and the inspector page only: a foreign Origin or Host gets 403 and no socket', async () => {
    const hc = await startHookCatch();
    const own = `http://127.0.0.1:${hc.inspectorPort}`;
    expect(await upgradeStatus(hc.streamUrl, { Origin: own })).toBe(101);
    expect(await upgradeStatus(hc.streamUrl, { Origin: `http://localhost:${hc.inspectorPort}` })).toBe(101);
    expect(await upgradeStatus(hc.streamUrl, {})).toBe(101); // a tool on this machine, not a page
    // Cross-site WebSocket hijacking: any page the user has open may try.
    for (const origin of ['http://evil.example', `http://127.0.0.1:${hc.receiverPort}`, 'null', `https://localhost:${hc.inspectorPort}`]) {
      expect(await upgradeStatus(hc.streamUrl, { Origin: origin }), origin).toBe(403);
    }
    expect(await upgradeStatus(hc.streamUrl, { 'Sec-Fetch-Site': 'cross-site' })).toBe(403);
    // DNS rebinding: a loopback address reached under a foreign name.
    expect(await upgradeStatus(hc.streamUrl, { Host: 'attacker.example' })).toBe(403);
    expect(await upgradeStatus(`${hc.streamUrl.replace('/ws', '/other')}`, {})).toBe(404);
    // The receiver (and so the tunnel) never upgrades: it captures the attempt like any request.
    expect(await upgradeStatus(`ws://127.0.0.1:${hc.receiverPort}/ws`, {})).toBe(200);
    expect(json(await send(`${hc.inspectorUrl}/api/status`)).stream).toEqual({ clients: 0 });
  });

  it('sends status first, then small summaries: each request with its job match, job changes, deletions', async () => {
    const hc = await startHookCatch();
    const stream = openStream(hc.streamUrl);
    await stream.opened;
    const [status] = await stream.received((m) => m.type === 'status');
    expect(status).toMatchObject({ webhookUrl: hc.webhookUrl, requests: { stored: 0, maxRequests: 10_000 }, tunnel: { status: 'off' } });
    await hc.expect('s-1');
    const secret = randomBytes(8).toString('hex');
    const first = await deliver(hc, { jobId: 's-1', status: 'done', secret });
    const second = await deliver(hc, { jobId: 's-1', status: 'done', secret });
    const [one, two] = await stream.received(isRequest, 2);
    expect(one.request).toMatchObject({
      id: first,
      method: 'POST',
      path: '/webhook',
      status: 200,
      job: { jobId: 's-1', attempt: 1, duplicate: false, statusWord: 'done', expected: true },
    });
    expect(two.request.job).toMatchObject({ jobId: 's-1', attempt: 2, duplicate: true });
    expect(JSON.stringify(stream.messages)).not.toContain(secret); // never a body
    expect(one.request).not.toHaveProperty('headers');
    // A delivery that comes with its request is told by the request's `job`: no second message.
    const jobEvents = await stream.received((m) => m.type === 'job', 2);
    expect(jobEvents.map((m) => `${m.event} ${m.job.id} ${m.job.status}`)).toEqual(['registered s-1 pending', 'status s-1 completed']);
    // The API list carries the same match.
    const listedItems = json(await send(`${hc.inspectorUrl}/api/requests`)).items;
    expect(listedItems[0]).toMatchObject({ id: second, job: { jobId: 's-1', attempt: 2, duplicate: true } });
    expect(json(await send(`${hc.inspectorUrl}/api/requests/${first}`)).summary.job).toMatchObject({ jobId: 's-1' });

    await send(`${hc.inspectorUrl}/api/requests/${first}`, { method: 'DELETE' });
    await hc.store.delete(second); // through the library too
    expect(await stream.received((m) => m.type === 'deleted', 2)).toEqual([
      { type: 'deleted', id: first },
      { type: 'deleted', id: second },
    ]);
    await deliver(hc, { note: 'no job' });
    await send(`${hc.inspectorUrl}/api/requests`, { method: 'DELETE' });
    expect(await stream.received((m) => m.type === 'cleared')).toEqual([{ type: 'cleared', count: 1 }]);
    expect((await stream.received(isRequest, 3))[2].request.job).toBeNull();

    // One found later (a job registered after the webhook that named it in its path) has its own message.
    const early = await deliver(hc, { note: 'no id in the body' }, '/webhook/s-2');
    await hc.expect('s-2');
    const [claimed] = await stream.received((m) => m.type === 'job' && m.event === 'delivered');
    expect(claimed.delivery).toMatchObject({ requestId: early, attempt: 1 });
    expect(claimed.job).toMatchObject({ id: 's-2' });
  });

  it('a request whose JSON-typed body does not parse carries invalidJson: true; others do not carry it', async () => {
    const hc = await startHookCatch();
    const stream = openStream(hc.streamUrl);
    await stream.opened;
    const headers = { 'Content-Type': 'application/json' };
    const broken = json(await send(hc.webhookUrl, { method: 'POST', body: '{"jobId": ', headers })).id;
    const valid = await deliver(hc, { jobId: 'fine' });
    const [first, second] = await stream.received(isRequest, 2);
    expect(first.request).toMatchObject({ id: broken, invalidJson: true });
    expect(second.request.id).toBe(valid);
    expect(second.request).not.toHaveProperty('invalidJson');
  });

  it('a large body, looked into after its answer, carries what was found in its request message (and its job)', async () => {
    const hc = await startHookCatch();
    const stream = openStream(hc.streamUrl);
    await stream.opened;
    const headers = { 'Content-Type': 'application/json' };
    const pad = 'x'.repeat(100_000);
    const broken = json(await send(hc.webhookUrl, { method: 'POST', body: `{"jobId":"big-1","pad":"${pad}"`, headers })).id;
    const typed = await deliver(hc, { type: 'invoice.paid', jobId: 'big-2', status: 'completed', pad });
    const [first, second] = await stream.received(isRequest, 2);
    expect(first.request).toMatchObject({ id: broken, invalidJson: true });
    expect(second.request).toMatchObject({ id: typed, event: { type: 'invoice.paid' }, job: { jobId: 'big-2', jobStatus: 'completed' } });
    expect(second.request).not.toHaveProperty('invalidJson');
  });

  it('resync: a client that comes back with ?after=<last id> gets what it missed, in order, then live events, also across a restart', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    const first = openStream(hc.streamUrl);
    await first.opened;
    for (let i = 0; i < 3; i++) await deliver(hc, { n: i });
    const seen = (await first.received(isRequest, 3)).map((m) => m.request.id);
    first.ws.close();
    await first.closed;
    const missed: string[] = [];
    for (let i = 3; i < 7; i++) missed.push(await deliver(hc, { n: i }));

    const back = openStream(`${hc.streamUrl}?after=${seen.at(-1)}`);
    await back.opened;
    const live = await deliver(hc, { n: 7 });
    const ids = (await back.received(isRequest, 5)).map((m) => m.request.id);
    expect(ids).toEqual([...missed, live]);
    await hc.close();

    // hook-catch restarts (new ports); the page reconnects with the last id it saw.
    const again = await startHookCatch({ dir });
    const afterRestart = await deliver(again, { n: 8 });
    const resumed = openStream(`${again.streamUrl}?after=${live}`);
    await resumed.opened;
    const next = await deliver(again, { n: 9 });
    expect((await resumed.received(isRequest, 2)).map((m) => m.request.id)).toEqual([afterRestart, next]);
    // Nothing missed: no request message at all, only live ones.
    const none = openStream(`${again.streamUrl}?after=${next}`);
    await none.opened;
    await none.received((m) => m.type === 'status');
    const last = await deliver(again, { n: 10 });
    expect((await none.received(isRequest)).map((m) => m.request.id)).toEqual([last]);
    // An id that is not one, or too much to replay: reload the list.
    const lost = openStream(`${again.streamUrl}?after=nonsense`);
    await lost.opened;
    expect((await lost.received((m) => m.type === 'reset'))[0].reason).toMatch(/reload the list/);
  });

  it('a client that stops reading is dropped once its unsent messages pass the bound, never waited for; the receiver keeps answering', async () => {
    const hc = await startHookCatch({ streamBufferBytes: 20_000, maxRequests: 100_000 });
    // A raw WebSocket handshake, then never another read.
    const socket = connect(hc.inspectorPort, '127.0.0.1');
    later(() => socket.destroy());
    let head = '';
    await new Promise<void>((resolve) => {
      socket.on('data', function onData(d) {
        head += d.toString('latin1');
        if (head.includes('\r\n\r\n')) socket.off('data', onData), socket.pause(), resolve();
      });
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    expect(head).toMatch(/^HTTP\/1.1 101/);
    const clients = async () => json(await send(`${hc.inspectorUrl}/api/status`)).stream.clients;
    expect(await clients()).toBe(1);
    // Webhooks until the stuck client is dropped (the kernel's socket buffers fill first).
    const padding = 'x'.repeat(500);
    let sent = 0;
    while ((await clients()) === 1) {
      expect(sent, 'the stuck client should be dropped within 40,000 webhooks').toBeLessThan(40_000);
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, i) => send(hc.webhookUrl, { method: 'POST', body: `{"n":${sent + i},"p":"${padding}"}` })),
      );
      for (const reply of batch) expect(reply.status).toBe(200);
      sent += batch.length;
    }
    // A reader that keeps up is not affected.
    const healthy = openStream(hc.streamUrl);
    await healthy.opened;
    await deliver(hc, { after: 'drop' });
    expect((await healthy.received(isRequest))[0].request.path).toBe('/webhook');
    expect(hc.store.count).toBe(sent + 1);
  });
});

describe('the live stream tells forwards, replays and rule changes', () => {
  it('forwarded (a background forward ended), replay (a capture sent again) and rules (the rules now in force), with no bodies', async () => {
    const { recordingApp } = await import('./helpers/recording-app.js');
    const app = await recordingApp(() => ({ status: 204 }));
    const hc = await startHookCatch({ forward: app.url, forwardMode: 'ack' });
    const stream = openStream(hc.streamUrl, { Origin: hc.inspectorUrl });
    await stream.opened;
    await stream.received((m) => m.type === 'status');
    const id = await deliver(hc, { secret: 'body-text' });
    const [forwarded] = await stream.received((m) => m.type === 'forwarded');
    expect(forwarded).toMatchObject({ id, status: 200, forward: { status: 204 } });
    await send(`${hc.inspectorUrl}/api/requests/${id}/replay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ setHeaders: [['X-Again', '1']] }),
    });
    const [replay] = await stream.received((m) => m.type === 'replay');
    expect(replay.replay).toMatchObject({ of: id, edited: true, method: 'POST', status: 204, to: `${app.url}/webhook` });
    await hc.rules.add({ status: 503 });
    const [rules] = await stream.received((m) => m.type === 'rules');
    expect(rules.rules.map((r: { id: string; status: number }) => [r.id, r.status])).toEqual([['r1', 503]]);
    expect(JSON.stringify(stream.messages)).not.toContain('body-text');
  });
});
