import type { RequestLog } from '../store/request-log.js';
import { PayloadCollector, type PayloadSet } from './collect.js';

/** Requests read from the store at a time: a window of files each, never all bodies at once. */
const BATCH = 1000;

/** The payloads of the stored captures `ids`, read a batch at a time and folded as they come. */
export async function collectPayloads(log: RequestLog, ids: string[]): Promise<PayloadSet> {
  const collector = new PayloadCollector();
  const sorted = [...ids].sort();
  for (let i = 0; i < sorted.length; i += BATCH) {
    for (const request of await log.getMany(sorted.slice(i, i + BATCH))) collector.add(request);
  }
  return collector.result();
}
