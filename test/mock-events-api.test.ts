import { describe, expect, it } from 'vitest';
import { json, send, startHookCatch } from './helpers/index.js';

// `/api/mock/events`: what a running `hook-catch mock` reports to the instance on its --dir, kept in
// memory (the newest 500) for the page. A POST is a change: only this machine's tools and the page.

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  send(`${url}/api/mock/events`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

const unmatched = (n: number) => ({ type: 'unmatched', at: '2026-12-05T18:00:00.000Z', method: 'GET', url: `/nothing/${n}`, closest: [] });

describe('inspector API: the calls of a running mock', () => {
  it('keeps what is posted, oldest first, numbered; the newest 500 only; says what a bad batch is', async () => {
    const hc = await startHookCatch();
    expect(json(await send(`${hc.inspectorUrl}/api/mock/events`))).toEqual({ items: [] });
    const taken = await post(hc.inspectorUrl, { events: [unmatched(1), unmatched(2)] });
    expect([taken.status, json(taken)]).toEqual([200, { taken: 2 }]);
    expect(json(await send(`${hc.inspectorUrl}/api/mock/events`)).items).toEqual([
      { ...unmatched(1), seq: 1 },
      { ...unmatched(2), seq: 2 },
    ]);

    await post(hc.inspectorUrl, { events: Array.from({ length: 499 }, (_, i) => unmatched(i + 3)) });
    const { items } = json(await send(`${hc.inspectorUrl}/api/mock/events`));
    expect([items.length, items[0].seq, items.at(-1).seq, items.at(-1).url]).toEqual([500, 2, 501, '/nothing/501']);

    for (const body of [{}, { events: [{ type: 'shrug', at: 'now' }] }, { events: [{ type: 'poll' }] }]) {
      const bad = await post(hc.inspectorUrl, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(json(bad).error).toMatch(/^POST \/api\/mock\/events takes \{"events": \[\.\.\.\]\}/);
    }
    expect(json(await send(`${hc.inspectorUrl}/api/mock/events`)).items).toHaveLength(500);
  });

  it('refuses a POST from a foreign Origin, takes one from its own page', async () => {
    const hc = await startHookCatch();
    for (const origin of ['http://evil.example', `http://127.0.0.1:${hc.receiverPort}`]) {
      const refused = await post(hc.inspectorUrl, { events: [unmatched(1)] }, { Origin: origin });
      expect(refused.status, origin).toBe(403);
    }
    expect(json(await send(`${hc.inspectorUrl}/api/mock/events`)).items).toEqual([]);
    const own = await post(hc.inspectorUrl, { events: [unmatched(1)] }, { Origin: `http://127.0.0.1:${hc.inspectorPort}` });
    expect(own.status).toBe(200);
  });
});
