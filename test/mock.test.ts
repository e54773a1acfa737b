import { describe, expect, it } from 'vitest';
import { mockProvider, type MockEvent, type MockOptions, type MockProvider } from '../src/index.js';
import { json, later, send } from './helpers/index.js';
import { recordingApp, type Recorded } from './helpers/recording-app.js';
import { LIVE_SUBMIT_BODY, RECORDED_ID, scenarioDir, SUBMIT_PATH, transcribeScenario } from './helpers/scenario.js';

// The provider double, through the library: a real mock on port 0, a real local "app" that submits,
// polls and receives the webhooks. Nothing dials out; nothing sleeps (events are awaited).

async function mock(options: MockOptions): Promise<MockProvider> {
  const provider = await mockProvider({ port: 0, ...options });
  later(() => provider.close());
  return provider;
}

/** The app submits a job to the mock, naming `webhookUrl`; the fresh job id from the answer. */
async function submit(provider: MockProvider, webhookUrl: string, body = LIVE_SUBMIT_BODY) {
  const reply = await send(`${provider.url}${SUBMIT_PATH(webhookUrl)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  return { reply, id: reply.status === 201 ? (json(reply).jobId as string) : '' };
}

const poll = (provider: MockProvider, id: string) => send(`${provider.url}/ai/status/v1/jobs/${id}`, { headers: { Authorization: 'Bearer live' } });
const header = (r: Recorded, name: string) => r.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);

/** Resolves with the first event `match` accepts. */
function nextEvent(provider: MockProvider, match: (event: MockEvent) => boolean, timeoutMs = 20_000): Promise<MockEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no such event within ${timeoutMs} ms`)), timeoutMs);
    const stop = provider.onEvent((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

describe('mockProvider: a submit, its polls and its webhooks', () => {
  it('gives a fresh job id of the same form, in the answer, its Location, the polls and the webhooks; all else byte-exact', { timeout: 30_000 }, async () => {
    const app = await recordingApp();
    const provider = await mock({ scenarios: [transcribeScenario()], speed: Infinity });
    const { reply, id } = await submit(provider, `${app.url}/hooks/transcribe?tenant=7`);
    expect(reply.status).toBe(201);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(id).not.toBe(RECORDED_ID);
    expect(reply.body.toString()).toBe(`{"jobId":"${id}"}`);
    expect(reply.headers.location).toBe(`/ai/status/v1/jobs/${id}`);
    expect(reply.headers['transfer-encoding']).toBeUndefined();
    const summary = await provider.done();
    const [progress, final] = app.received;
    expect(app.received).toHaveLength(2);
    expect(progress!.url).toBe('/hooks/transcribe?tenant=7');
    expect(progress!.body.toString()).toBe(`{"jobId":"${id}","status":"InProgress","progress":50}`);
    expect(final!.body.toString('utf8')).toBe(`{"jobId":"${id}","status":"Success","text":"h\u00e9llo w\u00f6rld"}`);
    // Recorded headers in order and case, the id replaced; Host and Content-Length for what is sent; the recorded Connection
    // left out (node's keep-alive one comes last).
    expect(final!.headers.map(([name]) => name).filter((name) => name !== 'Connection')).toEqual(['Host', 'Content-Type', 'Content-Length', 'X-Provider-Job']);
    expect(header(final!, 'Connection')).toEqual(['keep-alive']);
    expect(header(final!, 'Host')).toEqual([`127.0.0.1:${app.port}`]);
    expect(header(final!, 'Content-Length')).toEqual([String(final!.body.length)]);
    expect(header(final!, 'X-Provider-Job')).toEqual([id]);
    const polled = await poll(provider, id);
    expect(polled.body.toString()).toBe(`{"jobId":"${id}","status":"Success"}`);
    expect(polled.headers['x-job']).toBe(id);
    expect(polled.headers['content-length']).toBe(String(polled.body.length));
    expect(summary.jobs).toEqual([expect.objectContaining({ recordedId: RECORDED_ID, id, scenario: 'scenario 1', settled: true })]);
    expect(summary.webhooks).toEqual({ sent: 2, acknowledged: 2, givenUp: 0, notSent: 0 });
  });

  it('keeps a prefix and the alphabet of an id that is not a UUID', { timeout: 30_000 }, async () => {
    const app = await recordingApp();
    const provider = await mock({ scenarios: [transcribeScenario({ id: 'job_9f3a0c71be' })], speed: Infinity });
    const { id } = await submit(provider, app.url);
    expect(id).toMatch(/^job_[0-9a-f]{10}$/);
    expect(id).not.toBe('job_9f3a0c71be');
    await provider.done();
    expect(app.received.map((r) => JSON.parse(r.body.toString()).jobId)).toEqual([id, id]);
  });

  it('answers a poll with the in-progress answer before the final webhook went out, the final one after', { timeout: 30_000 }, async () => {
    const app = await recordingApp();
    // Real time (1x): the final webhook is a minute away, so the polls come before it.
    const slow = await mock({ scenarios: [transcribeScenario({ webhooks: [{ atMs: 60_000, body: `{"jobId":"${RECORDED_ID}","status":"Success"}` }] })] });
    const early = await submit(slow, app.url);
    expect(json((await poll(slow, early.id))).status).toBe('InProgress');
    await slow.close();
    await slow.close(); // idempotent
    expect(slow.summary().jobs[0]!.sends).toEqual([expect.objectContaining({ attempts: [], notSent: 'stopped' })]);
    expect(app.received).toHaveLength(0);
    // Instant: the app polls as each webhook comes; the final answer once the final webhook went out.
    const fast = await mock({ scenarios: [transcribeScenario()], speed: Infinity });
    const { id } = await submit(fast, app.url);
    await fast.done();
    expect(json(await poll(fast, id))).toEqual({ jobId: id, status: 'Success' });
    expect(fast.summary().polls).toBe(1);
  });

  it('at --speed instant sends the webhooks in the recorded order, duplicates and disorder as recorded', { timeout: 30_000 }, async () => {
    const app = await recordingApp();
    const body = (n: number, status: string) => `{"jobId":"${RECORDED_ID}","seq":${n},"status":"${status}"}`;
    const webhooks = [
      { atMs: 900, body: body(2, 'Success'), status: 'completed' as const },
      { atMs: 1000, body: body(1, 'InProgress'), status: 'in_progress' as const },
      { atMs: 1100, body: body(2, 'Success'), duplicate: true },
      { atMs: 1200, body: body(3, 'Success') },
    ];
    const provider = await mock({ scenarios: [transcribeScenario({ webhooks })], speed: Infinity });
    await submit(provider, app.url);
    const summary = await provider.done();
    expect(app.received.map((r) => JSON.parse(r.body.toString()).seq)).toEqual([2, 1, 2, 3]);
    expect(summary.jobs[0]!.sends.map((s) => s.duplicate)).toEqual([false, false, true, false]);
  });
});
