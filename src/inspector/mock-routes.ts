import express from 'express';
import { DEFAULTS } from '../defaults.js';
import { HookCatchError } from '../errors.js';
import type { KeptMockEvent, MockEventBatch, MockEventList, MockEventReport, MockEventsTaken } from '../wire/mock.js';

/** The kinds of event a mock reports (src/wire/mock.ts). */
const KINDS = new Set(['submit', 'poll', 'webhook', 'no-webhook-url', 'unmatched', 'job-done']);

/**
 * `/api/mock/events`: what a running `hook-catch mock` on this folder reports, for the page's Mock
 * panel. The newest DEFAULTS.mockEventsKept are kept in memory, not in the store: they are the
 * mock's calls, not captures, and a restart forgets them. Each one kept is told to `announce`
 * (the live stream).
 */
export function mockRouter(announce: (event: KeptMockEvent) => void): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  const kept: KeptMockEvent[] = [];
  let seq = 0;

  router.get('/events', (_req, res) => {
    res.json({ items: kept } satisfies MockEventList);
  });

  router.post('/events', (req, res) => {
    const events = batchOf(req.body);
    for (const event of events) {
      const one = { ...event, seq: ++seq };
      kept.push(one);
      announce(one);
    }
    if (kept.length > DEFAULTS.mockEventsKept) kept.splice(0, kept.length - DEFAULTS.mockEventsKept);
    res.json({ taken: events.length } satisfies MockEventsTaken);
  });

  return router;
}

/** The events of a `{"events": [...]}` body: each an object with a known `type` and a time `at`. */
function batchOf(body: unknown): MockEventReport[] {
  const events = (body as Partial<MockEventBatch> | null)?.events;
  const fits = (e: unknown) =>
    typeof e === 'object' && e !== null && KINDS.has((e as { type?: unknown }).type as string) && typeof (e as { at?: unknown }).at === 'string';
  if (!Array.isArray(events) || !events.every(fits)) {
    throw new HookCatchError('POST /api/mock/events takes {"events": [...]}: each event as `hook-catch mock --json` prints it, with its time "at".');
  }
  return events;
}
