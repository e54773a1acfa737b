import type { RequestSummary } from '../capture.js';

/** Where a stored request's line is, and what lists show of it. */
export interface IndexEntry {
  summary: RequestSummary;
  segment: number;
  offset: number;
  length: number;
  dead: boolean;
}

export type Resolved = { entry: IndexEntry } | { ambiguous: string[] } | null;

/**
 * The in-memory index of the request log: summaries in arrival (= id) order and where each line
 * lives. Adding and dropping the oldest cost the same however many requests are stored.
 */
export class RequestIndex {
  private entries: IndexEntry[] = [];
  private head = 0;
  private readonly byId = new Map<string, IndexEntry>();
  /** Live requests per segment file: a segment whose count reaches 0 can be removed. */
  readonly segmentLive = new Map<number, number>();

  get size(): number {
    return this.byId.size;
  }

  add(entry: IndexEntry): void {
    this.entries.push(entry);
    this.byId.set(entry.summary.id, entry);
    this.segmentLive.set(entry.segment, (this.segmentLive.get(entry.segment) ?? 0) + 1);
  }

  remove(id: string): IndexEntry | undefined {
    const entry = this.byId.get(id);
    if (!entry) return undefined;
    entry.dead = true;
    this.byId.delete(id);
    this.segmentLive.set(entry.segment, this.segmentLive.get(entry.segment)! - 1);
    return entry;
  }

  /** Drops the oldest requests until at most `max` remain; returns how many went. */
  dropOldestBeyond(max: number): number {
    let dropped = 0;
    while (this.byId.size > max && this.head < this.entries.length) {
      const entry = this.entries[this.head++]!;
      if (!entry.dead) {
        this.remove(entry.summary.id);
        dropped++;
      }
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return dropped;
  }

  get(id: string): IndexEntry | undefined {
    return this.byId.get(id);
  }

  newest(): IndexEntry | undefined {
    for (let i = this.entries.length - 1; i >= this.head; i--) {
      if (!this.entries[i]!.dead) return this.entries[i];
    }
    return undefined;
  }

  /** A full id, `last`, or the end of an id (the short id the terminal shows). */
  resolve(ref: string): Resolved {
    if (ref === 'last') {
      const entry = this.newest();
      return entry ? { entry } : null;
    }
    const exact = this.byId.get(ref);
    if (exact) return { entry: exact };
    if (ref.length < 4) return null;
    const matches: IndexEntry[] = [];
    for (const entry of this.byId.values()) if (entry.summary.id.endsWith(ref)) matches.push(entry);
    if (matches.length === 1) return { entry: matches[0]! };
    return matches.length ? { ambiguous: matches.map((m) => m.summary.id) } : null;
  }

  /** Live entries, newest first, strictly older than `before` when given. */
  *newestFirst(before?: string): Generator<IndexEntry> {
    let i = this.entries.length - 1;
    if (before !== undefined) {
      let lo = this.head;
      let hi = this.entries.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.entries[mid]!.summary.id < before) lo = mid + 1;
        else hi = mid;
      }
      i = lo - 1;
    }
    for (; i >= this.head; i--) {
      const entry = this.entries[i]!;
      if (!entry.dead) yield entry;
    }
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.byId.clear();
    this.segmentLive.clear();
  }
}
