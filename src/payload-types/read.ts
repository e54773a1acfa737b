import type { JobMatch } from '../jobs/types.js';
import { selectSummaries, type Selection } from '../fixtures/select.js';
import type { RequestLog } from '../store/request-log.js';
import { PayloadCollector, type PayloadSet } from './collect.js';

/** Requests read from the store at a time: a window of files each, never all bodies at once. */
const BATCH = 1000;

/** Which stored webhooks to infer the types from (`types --event --job --since`, `?event=&job=`). */
export type PayloadQuery = Pick<Selection, 'event' | 'job' | 'sinceMs'>;

/**
 * The payloads of the stored webhooks `query` selects (oldest first), read a batch at a time and
 * folded as they come. `captures` 0: none matched.
 */
export async function storedPayloads(log: RequestLog, matchOf: (id: string) => JobMatch | null, query: PayloadQuery): Promise<PayloadSet> {
  const summaries = await selectSummaries(log, matchOf, query);
  const ids = summaries
    .filter(PayloadCollector.isWebhook)
    .map((summary) => summary.id)
    .sort();
  const collector = new PayloadCollector();
  for (let i = 0; i < ids.length; i += BATCH) {
    for (const request of await log.getMany(ids.slice(i, i + BATCH))) collector.add(request);
  }
  return collector.result();
}
