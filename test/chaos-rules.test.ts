import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import type { HookCatch } from '../src/start.js';
import type { RuleInput } from '../src/rules/types.js';
import { timelineLines } from '../src/cli/commands/job-timeline.js';
import { createServer, connect, type Socket } from 'node:net';
import { toHar } from '../src/fixtures/har.js';
import { fixtureText, parseFixture, toFixture } from '../src/fixtures/fixture.js';
import { Unanswered } from '../src/receiver/unanswered.js';
import { jobReaches, json, send, startHookCatch } from './helpers/index.js';
import { deliverWithRetries } from './helpers/retrying-sender.js';

// A provider's worst days as response rules (fail-rate, throttle, gone-after, hang, drop), each
// rehearsed with a sender that retries as providers do: what it got, what was captured and marked,
// and how the job's timeline reads. Nothing the sender sent may go missing from the store.

const plain = new Chalk({ level: 0 });
const webhook = (jobId: string) => JSON.stringify({ jobId, status: 'completed' });

const record = async (hc: HookCatch, id: string) => json(await send(`${hc.inspectorUrl}/api/requests/${id}`));
const listed = async (hc: HookCatch) =>
  json(await send(`${hc.inspectorUrl}/api/requests?limit=100`)).items as { id: string; status: number; unanswered?: string }[];
const timeline = (hc: HookCatch, jobId: string) => timelineLines(hc.jobs.get(jobId)!, plain).join('\n');

/** Every request the sender made is stored (nothing vanished), in order. */
async function capturedCount(hc: HookCatch, count: number) {
  await expect.poll(() => hc.store.count, { timeout: 15_000 }).toBe(count);
}

describe('a provider that retries, against the rules of its worst days', () => {
  it('--throttle 429:1s: answered 429 with Retry-After until the window is over, then the rule recovers; each attempt is on the timeline', async () => {
    const hc = await startHookCatch({ rules: [{ throttle: { status: 429, ms: 1000 } }] });
    const sent = await deliverWithRetries(`${hc.receiverUrl}/hooks`, webhook('t-1'));
    expect(sent.end).toBe('delivered');
    const throttled = sent.attempts.slice(0, -1);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    for (const attempt of throttled) expect(attempt).toMatchObject({ outcome: 'answered', status: 429, retryAfter: '1' });
    expect(sent.attempts.at(-1)).toMatchObject({ status: 200 });
    await capturedCount(hc, sent.attempts.length);
    const first = await record(hc, throttled[0]!.id!);
    expect(first.response).toEqual({ status: 429, rule: 'rule r1: 429 Too Many Requests on purpose, Retry-After 1 (throttle 429:1s)' });
    const job = await jobReaches(hc, 't-1', (j) => j.deliveries.length === sent.attempts.length);
    expect(job.deliveries.map((d) => d.answered)).toEqual(sent.attempts.map((a) => a.status));
    expect(timeline(hc, 't-1')).toMatch(
      /webhook #1 +POST \/hooks {2}completed {2}answered 429 \(refused\) {2}\(rule r1: 429 Too Many Requests on purpose, Retry-After 1 \(throttle 429:1s\)\)/,
    );
    expect(timeline(hc, 't-1')).toMatch(
      new RegExp(`webhook #${sent.attempts.length} \\(retry ${sent.attempts.length}\\) +POST /hooks  completed  answered 200  \\(rule r1: 200 OK\\)`),
    );
  });

  it('--throttle 503:…: 503 with Retry-After is the other throttle a provider honours', async () => {
    const hc = await startHookCatch({ rules: [{ throttle: { status: 503, ms: 60_000 } }] });
    const reply = await send(`${hc.receiverUrl}/hooks`, { method: 'POST', body: webhook('t-2') });
    expect(reply.status).toBe(503);
    expect(Number(reply.headers['retry-after'])).toBeGreaterThan(50);
    expect(json(reply).error).toMatch(/on purpose \(rule r1: 503 Service Unavailable on purpose, Retry-After \d+ \(throttle 503:1m\)\)/);
  });

  it('--gone-after 2: the third request on is answered 410, and the sender stops delivering (no retry)', async () => {
    const hc = await startHookCatch({ rules: [{ goneAfter: { count: 2 } }] });
    const results = [];
    for (const id of ['g-1', 'g-2', 'g-3', 'g-4']) results.push(await deliverWithRetries(`${hc.receiverUrl}/hooks`, webhook(id)));
    expect(results.map((r) => r.end)).toEqual(['delivered', 'delivered', 'gone', 'gone']);
    expect(results.map((r) => r.attempts.length)).toEqual([1, 1, 1, 1]);
    await capturedCount(hc, 4);
    await jobReaches(hc, 'g-3', (j) => j.deliveries.length === 1);
    expect(timeline(hc, 'g-3')).toMatch(/answered 410 \(refused\) {2}\(rule r1: 410 Gone on purpose \(gone after 2 requests\)\)/);
  });

  it("--gone-after <time>: 410 once that long has passed since the rule's first request", async () => {
    const hc = await startHookCatch({ rules: [{ goneAfter: { ms: 200 } }] });
    const post = () => send(`${hc.receiverUrl}/hooks`, { method: 'POST', body: webhook('g-t') });
    expect((await post()).status).toBe(200);
    await expect.poll(async () => (await post()).status, { timeout: 15_000, interval: 50 }).toBe(410);
  });

  it('--hang on the first delivery: the request is stored and marked hung, the sender times out and retries, the retry is delivered', async () => {
    const hc = await startHookCatch({ rules: [{ failFirst: 1, hangMs: 120_000 }] });
    const captured: string[] = [];
    hc.events.on('request', (request) => captured.push(request.id));
    const sent = await deliverWithRetries(`${hc.receiverUrl}/hooks`, webhook('h-1'), { timeoutMs: 2000 });
    expect(sent.attempts.map((a) => a.outcome)).toEqual(['timeout', 'answered']);
    expect(sent.end).toBe('delivered');
    await capturedCount(hc, 2);
    const hung = await record(hc, captured[0]!);
    expect(hung.response).toEqual({
      status: 0,
      unanswered: 'hung',
      rule: 'rule r1: hung on purpose (no answer, closed after 2m), delivery 1 of job h-1 (fail-first 1)',
    });
    expect((await listed(hc)).find((r) => r.id === captured[0])).toMatchObject({ status: 0, unanswered: 'hung' });
    await jobReaches(hc, 'h-1', (j) => j.deliveries.length === 2);
    expect(timeline(hc, 'h-1')).toMatch(/webhook #1 +POST \/hooks {2}completed {2}no answer: hung \(refused\) {2}\(rule r1: hung on purpose/);
    expect(timeline(hc, 'h-1')).toMatch(/webhook #2 \(retry 2\) +POST \/hooks {2}completed {2}answered 200/);
  });

  it('--drop on the first delivery: stored and marked dropped, the sender sees the connection closed and retries', async () => {
    const hc = await startHookCatch({ rules: [{ failFirst: 1, drop: true }] });
    const sent = await deliverWithRetries(`${hc.receiverUrl}/hooks`, webhook('d-1'));
    expect(sent.attempts.map((a) => a.outcome)).toEqual(['closed', 'answered']);
    expect(sent.end).toBe('delivered');
    await capturedCount(hc, 2);
    const items = await listed(hc);
    expect(items.map((r) => r.unanswered ?? r.status)).toEqual([200, 'dropped']);
    const dropped = await record(hc, items[1]!.id);
    expect(dropped.response).toEqual({
      status: 0,
      unanswered: 'dropped',
      rule: 'rule r1: dropped on purpose (closed without an answer), delivery 1 of job d-1 (fail-first 1)',
    });
    await jobReaches(hc, 'd-1', (j) => j.deliveries.length === 2);
    expect(hc.jobs.get('d-1')!.deliveries[0]).toMatchObject({ answered: 0, unanswered: 'dropped' });
    expect(timeline(hc, 'd-1')).toMatch(/webhook #1 +POST \/hooks {2}completed {2}no answer: dropped \(refused\)/);
  });

  it('--hang alone: every request hangs; stopping hook-catch closes hung connections at once instead of waiting for them', async () => {
    // A grace of ten minutes: were hung requests waited for, close() would not end within the test.
    const hc = await startHookCatch({ rules: [{ hangMs: 600_000 }], closeGraceMs: 600_000 });
    const waiting = deliverWithRetries(`${hc.receiverUrl}/hooks`, webhook('h-2'), { timeoutMs: 600_000, maxAttempts: 1 });
    await capturedCount(hc, 1);
    await hc.close();
    expect((await waiting).attempts).toEqual([{ outcome: 'closed' }]);
  });

  it('--fail-rate 30% --seed 7: the same seed fails the same requests again, and about 30% of 200', async () => {
    const run = async (rule: RuleInput) => {
      const hc = await startHookCatch({ rules: [rule] });
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push((await send(`${hc.receiverUrl}/hooks`, { method: 'POST', body: webhook(`f-${i}`) })).status);
      return { hc, statuses };
    };
    const one = await run({ failRate: 30, seed: 7 });
    const two = await run({ failRate: 30, seed: 7 });
    expect(two.statuses).toEqual(one.statuses);
    const failed = one.statuses.filter((s) => s === 500).length;
    expect(one.statuses.filter((s) => s !== 500 && s !== 200)).toEqual([]);
    expect(failed).toBeGreaterThan(40);
    expect(failed).toBeLessThan(80);
    const other = await run({ failRate: 30, seed: 8 });
    expect(other.statuses).not.toEqual(one.statuses);
    const firstFailed = one.statuses.indexOf(500);
    const item = (await listed(one.hc)).find((r) => r.status === 500)!;
    expect((await record(one.hc, item.id)).response.rule).toMatch(/^rule r1: 500 on purpose, fail-rate 30% \(seed 7, draw \d+\)$/);
    expect(firstFailed).toBeGreaterThanOrEqual(0);
  });

  it('--fail-rate with a retrying sender: each failed delivery is retried until one gets through, and every attempt is kept on the job', async () => {
    const hc = await startHookCatch({ rules: [{ failRate: 50, seed: 3 }] });
    const ends = [];
    let attempts = 0;
    for (let i = 0; i < 10; i++) {
      const sent = await deliverWithRetries(`${hc.receiverUrl}/hooks`, webhook(`fr-${i}`), { maxAttempts: 50 });
      ends.push(sent.end);
      attempts += sent.attempts.length;
      await jobReaches(hc, `fr-${i}`, (j) => j.deliveries.length === sent.attempts.length);
      if (sent.attempts.length > 1)
        expect(timeline(hc, `fr-${i}`)).toMatch(/answered 500 \(refused\) {2}\(rule r1: 500 on purpose, fail-rate 50% \(seed 3, draw \d+\)\)/);
    }
    expect(ends.every((end) => end === 'delivered')).toBe(true);
    expect(attempts).toBeGreaterThan(10);
    await capturedCount(hc, attempts);
  });

  it('a fail-rate with --hang: the requests it fails hang, the others are answered', async () => {
    // Seed 18's sequence fails its first draw at 50% and passes its second.
    const hc = await startHookCatch({ rules: [{ failRate: 50, seed: 18, hangMs: 600_000 }] });
    const sent = await deliverWithRetries(`${hc.receiverUrl}/hooks`, webhook('fh-1'), { timeoutMs: 2000 });
    expect(sent.attempts.map((a) => a.outcome)).toEqual(['timeout', 'answered']);
    expect(sent.end).toBe('delivered');
    await capturedCount(hc, 2);
    expect((await listed(hc)).map((r) => r.unanswered ?? r.status)).toEqual([200, 'hung']);
  });

  it('a dropped capture exports as no answer: HAR status 0 with the rule in its comment, a fixture with status 0 that imports again', async () => {
    const hc = await startHookCatch({ rules: [{ failFirst: 1, drop: true }] });
    await deliverWithRetries(`${hc.receiverUrl}/hooks`, webhook('x-1'));
    await capturedCount(hc, 2);
    const dropped = (await hc.store.get((await listed(hc))[1]!.id))!;
    const [entry] = toHar([dropped], 'http://127.0.0.1').log.entries;
    expect(entry!.response.status).toBe(0);
    expect(entry!.comment).toMatch(/the answer: none: rule r1: dropped on purpose \(closed without an answer\)/);
    const fixture = toFixture(dropped, null);
    expect(fixture.status).toBe(0);
    expect(parseFixture(fixtureText(fixture), 'dropped.json').status).toBe(0);
  });

  it('at most so many connections are held hung: past it, the one held longest is closed; closeAll closes the rest', async () => {
    const server = createServer();
    const accepted: Socket[] = [];
    server.on('connection', (socket) => accepted.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const closed: number[] = [];
    const clients = [0, 1, 2].map((i) => connect(port, '127.0.0.1').on('close', () => closed.push(i)));
    await expect.poll(() => accepted.length, { timeout: 15_000 }).toBe(3);
    const held = new Unanswered(2);
    for (const socket of accepted) held.hang(socket, 600_000);
    await expect.poll(() => closed, { timeout: 15_000 }).toEqual([0]);
    expect(held.holding).toBe(2);
    held.closeAll();
    await expect.poll(() => closed.sort(), { timeout: 15_000 }).toEqual([0, 1, 2]);
    expect(held.holding).toBe(0);
    for (const client of clients) client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});
