import { describe, expect, it } from 'vitest';
import { mockProvider, type MockProvider } from '../src/index.js';
import { json, send } from './helpers/index.js';
import { mock, nextEvent, poll, submit } from './helpers/mock.js';
import { LIVE_SUBMIT_BODY, scenarioDir, SUBMIT_PATH, transcribeScenario } from './helpers/scenario.js';

// Which recorded request a live one is (docs/provider-double.md#matching-rules), and the 501 for none.

describe('mockProvider: matching', () => {
  const post = (provider: MockProvider, path: string, body: string) =>
    send(`${provider.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

  it('answers a request that matches nothing 501, naming the closest recorded requests and why each did not match', { timeout: 30_000 }, async () => {
    const provider = await mock({ scenarios: [transcribeScenario()], speed: Infinity });
    const told = nextEvent(provider, (event) => event.type === 'unmatched');
    const extraKey = await post(provider, `${SUBMIT_PATH('http://127.0.0.1:1/')}&lang=en`, LIVE_SUBMIT_BODY);
    expect(extraKey.status).toBe(501);
    const answer = json(extraKey);
    expect(answer.error).toMatch(/no recorded request matches POST \/ai\/v1\/transcribe/);
    expect(answer.closest[0]).toEqual({ scenario: 'scenario 1', request: 'POST /ai/v1/transcribe', why: 'query key `lang` was not in the recording' });
    expect(answer.closest.length).toBeLessThanOrEqual(3);
    expect(await told).toMatchObject({ type: 'unmatched', method: 'POST' });
    const shape = json(await post(provider, SUBMIT_PATH('http://127.0.0.1:1/'), '{"model":1,"audio":{"url":"x"},"extra":true}'));
    expect(shape.closest[0].why).toBe(
      "body field `body.model` is a number; the recording's is a string; body field `body.extra` was not in the recording; body field `body.requestedAt` is missing (the recording has it)",
    );
    const unknownJob = json(await poll(provider, 'b0000000-0000-0000-0000-000000000000'));
    expect(unknownJob.closest[0]).toEqual({
      scenario: 'scenario 1',
      request: 'GET /ai/status/v1/jobs/{id}',
      why: '`b0000000-0000-0000-0000-000000000000` is not a job id this mock gave out (submit a job first)',
    });
    const summary = provider.summary();
    expect(summary.unmatchedCount).toBe(3);
    expect(summary.unmatched[0]).toMatchObject({ method: 'POST', url: expect.stringContaining('lang=en') });
  });

  it('lets a scenario widen (ignoreQuery, ignoreBody) and narrow (exactBody) the match', { timeout: 30_000 }, async () => {
    const wide = await mock({ scenarios: [transcribeScenario({ match: { ignoreQuery: ['lang'], ignoreBody: ['metadata'] } })], speed: Infinity });
    expect((await post(wide, `${SUBMIT_PATH('http://127.0.0.1:1/')}&lang=en`, LIVE_SUBMIT_BODY.replace('{', '{"metadata":{"a":1},'))).status).toBe(201);
    const narrow = await mock({ scenarios: [transcribeScenario({ match: { exactBody: ['model'] } })], speed: Infinity });
    const other = json(await post(narrow, SUBMIT_PATH('http://127.0.0.1:1/'), LIVE_SUBMIT_BODY));
    expect(other.closest[0].why).toBe('body field `body.model` is "whisper-small"; the scenario wants "whisper-large" (exactBody)');
    expect((await post(narrow, SUBMIT_PATH('http://127.0.0.1:1/'), LIVE_SUBMIT_BODY.replace('whisper-small', 'whisper-large'))).status).toBe(201);
  });

  it('serves scenarios of the same submit in turn: the first unused, then round-robin', { timeout: 30_000 }, async () => {
    const a = transcribeScenario({ id: 'job_aaaa1111' });
    const b = transcribeScenario({ id: 'job_bbbb2222' });
    const provider = await mock({ scenarios: await scenarioDir({ 'a.json': a, 'b.json': b }), speed: Infinity });
    for (let n = 0; n < 3; n++) await submit(provider, 'http://127.0.0.1:1/');
    expect(provider.summary().jobs.map((job) => [job.scenario, job.recordedId])).toEqual([
      ['a.json', 'job_aaaa1111'],
      ['b.json', 'job_bbbb2222'],
      ['a.json', 'job_aaaa1111'],
    ]);
  });

  it('refuses what is not a scenario, in one line naming the file', async () => {
    const dir = await scenarioDir({ 'fixture.json': { format: 'hook-catch/fixture@1' } as never });
    await expect(mockProvider({ scenarios: dir, port: 0 })).rejects.toThrow(
      /fixture\.json is not a hook-catch\/scenario@1 file \(its format is "hook-catch\/fixture@1"\)/,
    );
    await expect(mockProvider({ scenarios: `${dir}/missing.json`, port: 0 })).rejects.toThrow(/missing\.json: no such file or folder\./);
    // A webhook with no signature header and no recorded scheme cannot be signed again with a secret alone: said before serving.
    await expect(mockProvider({ scenarios: [transcribeScenario()], port: 0, resign: { secret: 'shh' } })).rejects.toThrow(
      /^scenario 1, webhook 1: Cannot re-sign: .*name the scheme, such as stripe:SECRET\.$/,
    );
  });
});
