import { DEFAULTS } from '../defaults.js';
import type { CapturedRequest, RequestSummary } from '../capture/capture.js';
import type { EventCount, EventCounts } from '../capture/shapes.js';
import { isRequestId } from '../capture/ids.js';
import { eventFilter } from '../capture/event-match.js';
import type { EntryHead, RequestIndex } from './request-index.js';
import type { SegmentReader } from './segment-reader.js';

export interface RequestQuery {
  /** Page size, 1 to 1000. Default 50. */
  limit?: number;
  /** Only requests older than this id (the `nextBefore` of the previous page). */
  before?: string;
  /** Only this method (any case). */
  method?: string;
  /** Only paths that start with this. */
  path?: string;
  /** Only requests whose URL, headers or text body contain this (any case). */
  q?: string;
  /** Only these event types: a name, a family by its start (`issues`), or a `*` pattern; several: any. */
  event?: string | string[];
  /** Only captures whose body drifted from the earlier ones of their event type (a new, missing or retyped field). */
  drift?: boolean;
  /**
   * Only requests whose summary passes this test (the inspector's `job` filter, for one). It runs
   * before `q`, so a request it leaves out is never read from disk.
   */
  where?: (summary: RequestSummary) => boolean;
}

export interface RequestPage {
  items: RequestSummary[];
  /** Requests stored in all. */
  total: number;
  /** Pass as `before` for the next page; null on the last one. */
  nextBefore: string | null;
}

/** Walks the index newest first; reads a request's line only to search its text. */
export async function listPage(index: RequestIndex, reader: SegmentReader, query: RequestQuery): Promise<RequestPage> {
  const limit = Math.min(Math.max(query.limit ?? DEFAULTS.pageSize, 1), 1000);
  const method = query.method?.toUpperCase();
  const needle = query.q?.toLowerCase();
  const ofEvent = query.event === undefined ? null : eventFilter(typeof query.event === 'string' ? [query.event] : query.event);
  const path = query.path;
  const keep = (head: EntryHead) => (!method || head.method === method) && (!path || pathStarts(head.url, path)) && (!ofEvent || ofEvent(head.event));
  const items: RequestSummary[] = [];
  let more = false;
  for (const entry of index.search(query.before, keep)) {
    // A search through many requests lets the receiver in now and then.
    if (entry === null) {
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    const s = entry.summary;
    if (query.drift && !s.drift?.changes.length) continue;
    if (query.where && !query.where(s)) continue;
    if (needle) {
      const full = await reader.read(entry);
      if (!full || !searchText(full).includes(needle)) continue;
    }
    if (items.length === limit) {
      more = true;
      break;
    }
    items.push(s);
  }
  return { items, total: index.size, nextBefore: more ? items[items.length - 1]!.id : null };
}

/** Whether the path of `url` (its part before `?`) starts with `prefix`, with no string made. */
function pathStarts(url: string, prefix: string): boolean {
  const query = url.indexOf('?');
  return url.startsWith(prefix) && (query === -1 || prefix.length <= query);
}

function searchText(request: CapturedRequest): string {
  let text = request.url;
  for (const [name, value] of request.headers) text += `\n${name}: ${value}`;
  return `${text}\n${request.body.toString('utf8')}`.toLowerCase();
}

/** The summaries stored after `after`, oldest first; null past `limit` of them or when `after` is not an id. */
export function summariesAfter(index: RequestIndex, after: string, limit: number): RequestSummary[] | null {
  if (!isRequestId(after)) return null;
  const items: RequestSummary[] = [];
  for (const entry of index.newestFirst()) {
    if (entry.summary.id <= after) break;
    if (items.length === limit) return null;
    items.push(entry.summary);
  }
  return items.reverse();
}

/** How many stored captures there are of each event type, most first, and how many have none. */
export function eventCounts(index: RequestIndex): EventCounts {
  const byKey = new Map<string, EventCount>();
  const { tallies, untyped } = index.eventTallies();
  // Newest first: the first tally of a type has its newest capture (one type may have several, past the shared ones).
  for (const { event, count, lastId, lastAt } of tallies) {
    const key = `${event.provider ?? ''} ${event.type}`;
    const known = byKey.get(key);
    if (known) known.count += count;
    else byKey.set(key, { type: event.type, ...(event.provider && { provider: event.provider }), count, lastId, lastAt });
  }
  const items = [...byKey.values()].sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : 1));
  return { items, untyped };
}
