import { getJson, query } from './api.js';
import type { ForwardInfo, JobMatch, ListedRequest, RequestPage } from './types.js';

export interface Filters {
  /** Text in the URL, headers or body (searched by the server). */
  q: string;
  method: string;
  /** Paths that start with this. */
  path: string;
  job: string;
}

export const NO_FILTERS: Filters = { q: '', method: '', path: '', job: '' };
/** The smallest request id: "everything after nothing". */
export const FIRST_ID = '0'.repeat(18);
const PAGE = 200;
/** Rows the page keeps at most: older ones are dropped and come back page by page when scrolled to. */
const KEEP = 10_000;

/**
 * The requests the list shows, newest first: a first page from the API, then live ones from the
 * stream and older pages as the user scrolls. Ids sort by arrival, so every insert is by id and a
 * request seen twice (a resync, a reload racing the stream) is kept once.
 */
export class RequestList {
  rows: ListedRequest[] = [];
  /** Requests stored in all (not only those matching the filters). */
  total = 0;
  /** The newest id the page has seen, matching the filters or not: the stream resyncs from it. */
  newestSeen: string | null = null;
  filters: Filters = { ...NO_FILTERS };
  paused = false;
  /** Live requests that came while paused, shown on resume. */
  held: ListedRequest[] = [];
  loading = false;
  private ids = new Set<string>();
  private nextBefore: string | null = null;
  /** The newest id counted in `total`: a resync's requests were already counted by the status before them. */
  private countedThrough: string | null = null;
  private arrivedWhileLoading: ListedRequest[] | null = null;
  private generation = 0;
  private refreshTimer: number | undefined;

  constructor(private readonly changed: () => void) {}

  get hasFilters(): boolean {
    return Boolean(this.filters.q || this.filters.method || this.filters.path || this.filters.job);
  }

  get complete(): boolean {
    return this.nextBefore === null;
  }

  /**
   * Whether the filters surely leave request `id` out: it is not listed, though the pages loaded
   * reach back past it (or there are no more). An older one not loaded yet may still match: false.
   */
  hides(id: string): boolean {
    if (this.loading || this.ids.has(id)) return false;
    const oldest = this.rows.at(-1)?.id;
    return this.complete || (oldest !== undefined && id > oldest);
  }

  /** The first page for the current filters, replacing what is shown. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    this.loading = true;
    this.arrivedWhileLoading = [];
    this.changed();
    try {
      const page = await getJson<RequestPage>(`/api/requests${query({ ...this.filters, limit: PAGE })}`);
      if (generation !== this.generation) return;
      this.rows = [];
      this.ids.clear();
      this.nextBefore = page.nextBefore;
      this.insert(page.items);
      if (!this.hasFilters) {
        this.see(page.items[0]?.id);
        this.setStored(page.total, page.items[0]?.id ?? this.countedThrough);
      }
      const arrived = this.arrivedWhileLoading;
      this.arrivedWhileLoading = null;
      this.insert(arrived);
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.arrivedWhileLoading = null;
        this.changed();
      }
    }
  }

  /** The next older page, when the user scrolls near the end. */
  async loadMore(): Promise<void> {
    if (this.loading || this.nextBefore === null) return;
    const generation = this.generation;
    this.loading = true;
    try {
      const page = await getJson<RequestPage>(`/api/requests${query({ ...this.filters, limit: PAGE, before: this.nextBefore })}`);
      if (generation !== this.generation) return;
      this.insert(page.items, true);
      this.nextBefore = page.nextBefore;
    } finally {
      if (generation === this.generation) this.loading = false;
      this.changed();
    }
  }

  /** Requests from the stream, oldest first. */
  arrived(requests: ListedRequest[]): void {
    for (const r of requests) {
      this.see(r.id);
      if (this.countedThrough === null || r.id > this.countedThrough) {
        this.total++;
        this.countedThrough = r.id;
      }
    }
    if (this.paused) {
      this.held.push(...requests);
    } else {
      this.show(requests);
    }
    this.changed();
  }

  /** How many are stored, from the server, counted up to its newest id. */
  setStored(stored: number, newestId: string | null): void {
    this.total = stored;
    this.countedThrough = newestId;
    this.changed();
  }

  pause(paused: boolean): void {
    this.paused = paused;
    if (!paused && this.held.length) {
      const held = this.held;
      this.held = [];
      this.show(held);
    }
    this.changed();
  }

  removed(id: string): void {
    this.total = Math.max(0, this.total - 1);
    this.held = this.held.filter((r) => r.id !== id);
    if (this.ids.delete(id)) this.rows = this.rows.filter((r) => r.id !== id);
    this.changed();
  }

  cleared(): void {
    this.rows = [];
    this.held = [];
    this.ids.clear();
    this.total = 0;
    this.nextBefore = null;
    this.changed();
  }

  /** A job claimed a request after it was listed (registered later, or a later delivery renumbered it). */
  matched(requestId: string, match: JobMatch): void {
    this.patch(requestId, { job: match });
  }

  /** A capture's background forward ended: what the user's app answered, and what its sender got. */
  forwarded(requestId: string, status: number, forward: ForwardInfo): void {
    this.patch(requestId, { status, forward });
  }

  /** Something was found in a capture's body after it was listed (its drift). */
  analysed(requestId: string, found: Pick<ListedRequest, 'schema' | 'drift'>): void {
    this.patch(requestId, found);
  }

  /** Changes a listed (or held) row: a new object, so that the list draws it again. */
  private patch(requestId: string, change: Partial<ListedRequest>): void {
    const held = this.held.findIndex((r) => r.id === requestId);
    if (held !== -1) this.held[held] = { ...this.held[held]!, ...change };
    if (!this.ids.has(requestId)) return;
    const i = this.indexOf(requestId);
    if (i !== -1) this.rows[i] = { ...this.rows[i]!, ...change };
    this.changed();
  }

  private show(requests: ListedRequest[]): void {
    if (this.arrivedWhileLoading) {
      this.arrivedWhileLoading.push(...requests);
      return;
    }
    const local = requests.filter((r) => this.matchesHere(r));
    this.insert(local);
    // Text search looks inside bodies, which the stream does not carry: ask the server again.
    if (this.filters.q && requests.length) this.refreshTop();
  }

  /** The filters the page can check without the body: method, path and job. */
  private matchesHere(r: ListedRequest): boolean {
    const f = this.filters;
    if (f.q) return false;
    if (f.method && r.method !== f.method.toUpperCase()) return false;
    if (f.path && !r.path.startsWith(f.path)) return false;
    if (f.job && r.job?.jobId !== f.job) return false;
    return true;
  }

  private refreshTop(): void {
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = window.setTimeout(async () => {
      this.refreshTimer = undefined;
      const generation = this.generation;
      const page = await getJson<RequestPage>(`/api/requests${query({ ...this.filters, limit: PAGE })}`).catch(() => null);
      if (!page || generation !== this.generation) return;
      this.insert(page.items);
      this.changed();
    }, 250);
  }

  private see(id: string | undefined): void {
    if (id && (this.newestSeen === null || id > this.newestSeen)) this.newestSeen = id;
  }

  /**
   * Adds requests in id order (newest first), skipping those already shown, and (unless they are
   * the next older page) those older than the pages loaded so far: they come with their page.
   */
  private insert(requests: ListedRequest[], olderPage = false): void {
    const fresh = requests.filter((r) => !this.ids.has(r.id));
    if (!fresh.length) return;
    // The stream sends them oldest first: turning them around is enough, unless they came mixed.
    if (fresh.every((r, i) => i === 0 || fresh[i - 1]!.id < r.id)) fresh.reverse();
    else fresh.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const oldestLoaded = this.rows.at(-1)?.id;
    const newestLoaded = this.rows[0]?.id;
    if (newestLoaded === undefined || fresh.at(-1)!.id > newestLoaded) {
      this.rows = fresh.concat(this.rows);
      for (const r of fresh) this.ids.add(r.id);
      this.trim();
      return;
    }
    for (const r of fresh) {
      if (!olderPage && this.nextBefore !== null && oldestLoaded !== undefined && r.id < oldestLoaded) continue;
      this.rows.splice(this.insertionPoint(r.id), 0, r);
      this.ids.add(r.id);
    }
  }

  /** A page open for days at hundreds of webhooks a second keeps its memory bounded: the oldest rows go. */
  private trim(): void {
    if (this.rows.length <= KEEP) return;
    for (const r of this.rows.splice(KEEP)) this.ids.delete(r.id);
    this.nextBefore = this.rows.at(-1)!.id;
  }

  private insertionPoint(id: string): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.rows[mid]!.id > id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(id: string): number {
    const i = this.insertionPoint(id);
    return this.rows[i]?.id === id ? i : -1;
  }
}
