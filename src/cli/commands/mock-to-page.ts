import type { MockEvent } from '../../mock/index.js';
import type { MockEventBatch, MockEventReport } from '../../wire/mock.js';
import type { Client } from '../../client/client.js';

/** A POST not answered within this is taken as the instance gone (the command's end waits for the last one). */
const ANSWER_WITHIN_MS = 5000;
/** Events waiting for the instance past this many: the oldest are let go (it keeps only its last 500 anyway). */
const WAITING_LIMIT = 500;

/** Sends a mock's events to a running hook-catch, for its page; never waits the mock, never fails it. */
export interface PageReporter {
  /** Queues `event`, stamped now; the queue goes out in one POST per event-loop turn. */
  add(event: MockEvent): void;
  /** Resolves once what was queued went out (or could not): before the command ends. */
  flush(): Promise<void>;
}

/**
 * Reports to `client` (the instance on the mock's --dir). One POST is in flight at a time; events
 * that come meanwhile go in the next one. The first failure (the instance stopped, or does not know
 * the route) ends the reporting, quietly: the page is a view, the mock goes on as it would alone.
 */
export function pageReporter(client: Client): PageReporter {
  let waiting: MockEventReport[] = [];
  let sending: Promise<void> = Promise.resolve();
  let scheduled = false;
  let gone = false;

  const send = async () => {
    scheduled = false;
    if (gone || waiting.length === 0) return;
    const batch: MockEventBatch = { events: waiting };
    waiting = [];
    await client.api('POST', '/api/mock/events', batch, AbortSignal.timeout(ANSWER_WITHIN_MS)).catch(() => {
      gone = true;
      waiting = [];
    });
  };
  return {
    add(event) {
      if (gone) return;
      // Stamped as it happens: a batch goes out later, and the page shows when each one was.
      waiting.push({ ...event, at: new Date().toISOString() } satisfies MockEventReport);
      if (waiting.length > WAITING_LIMIT) waiting.splice(0, waiting.length - WAITING_LIMIT);
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => (sending = sending.then(send)));
    },
    async flush() {
      await sending;
      await send();
    },
  };
}
