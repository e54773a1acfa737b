import type { EventType, Refusal, RequestSummary } from '../capture/capture.js';
import type { SignatureVerdict } from '../capture/signature.js';
import { createInterner } from '../interner.js';
import { decodeId, encodeId, type IdParts } from '../capture/ids.js';
import type { LineAt } from './notes.js';
import { CHUNK_MASK, CHUNK_SHIFT, CHUNK_SLOTS, IndexChunk } from './index-chunk.js';

/** Where a stored request's line is, and what lists show of it (made on demand from the columns). */
export interface IndexEntry {
  summary: RequestSummary;
  segment: number;
  offset: number;
  length: number;
}

export type Resolved = { entry: IndexEntry } | { ambiguous: string[] } | null;

/** What a search tests a request by before its summary is made (see RequestIndex.search). */
export interface EntryHead {
  method: string;
  url: string;
  event: EventType | undefined;
}

/** How many live requests have one event type, and its newest request. */
export interface EventTally {
  event: EventType;
  count: number;
  lastId: string;
  lastAt: string;
}

/** Requests a search looks at between two of its pauses (a null it yields). */
const SEARCH_STEP = 2048;

const DEAD = 1;
const ID_LENGTH = 18;
const RANDOM_DIGITS = 6;
const DISCARDED = 2;
const REFUSED = 4;
/** The Content-Type says JSON and the body is not valid JSON (RequestSummary.invalidJson). */
const INVALID_JSON = 8;
/** Stored with a forward to make (RequestSummary.forwardOwed). */
const FORWARD_OWED = 16;
/** Put in the store from a fixture (RequestSummary.imported). */
const IMPORTED = 32;
/** A response rule answered it nothing (`--hang`, `--drop`): `unanswered` in its summary. */
const HUNG = 64;
const DROPPED = 128;
/**
 * What drift does not compare even with an event type (drift/watch.ts, comparable): an import, a
 * refused request, one whose body was not kept; polled answers and calls to the provider (polls) neither.
 */
const UNTYPED = IMPORTED | REFUSED | DISCARDED;

/**
 * The in-memory index of the request log, in arrival (= id) order. It is kept in columns (typed
 * arrays, and arrays of mostly shared strings) rather than an object per request, a chunk of 4,096
 * requests at a time (index-chunk.ts): with 50,000 stored it holds a few megabytes, and a request
 * that arrives or is dropped leaves no object behind for the garbage collector. Adding, dropping the
 * oldest and finding by id cost the same however many requests are stored.
 *
 * Each request has a slot, numbered for good from the first request this index held: a slot's number
 * stays its own while others come and go, so a walk through the index (places, newestFirst) that
 * waits between steps goes on where it was.
 */
export class RequestIndex {
  private chunks: IndexChunk[] = [];
  /** The slot of chunks[0]'s first place. */
  private base = 0;
  /** The oldest slot that may still be live; slots before it are gone. */
  private head = 0;
  /** The slot the next request takes. */
  private tail = 0;
  private live = 0;
  /** The refusals, by slot: few requests are refused, so the other slots cost nothing here. */
  private readonly refusals = new Map<number, Refusal>();
  /** Live requests per segment file: a segment whose count reaches 0 can be removed. */
  readonly segmentLive = new Map<number, number>();

  /** @param notes what was learned about a request after its line was written (its forward), laid over its summary */
  constructor(private readonly notes: (id: string) => Partial<RequestSummary> | undefined = () => undefined) {}

  get size(): number {
    return this.live;
  }

  /**
   * Adds a request after all others (ids only go up: the receiver hands them out in the order it
   * stores requests); false, and nothing added, when the id is not one of ours.
   */
  add(s: RequestSummary, segment: number, offset: number, length: number): boolean {
    const id = decodeId(s.id);
    if (!id) return false;
    const slot = this.tail - this.base;
    if (slot === this.chunks.length * CHUNK_SLOTS) this.chunks.push(new IndexChunk());
    const c = this.chunks[slot >>> CHUNK_SHIFT]!;
    const i = slot & CHUNK_MASK;
    c.idTimes[i] = id.time;
    c.idSeqs[i] = id.seq;
    c.idRandoms[i] = id.random;
    c.urls[i] = intern(s.url);
    c.methods[i] = intern(s.method);
    c.contentTypes[i] = s.contentType === null ? null : intern(s.contentType);
    c.remotes[i] = s.remoteAddress === null ? null : intern(s.remoteAddress);
    c.signatures[i] = s.signature ? shareVerdict(s.signature) : null;
    c.polls[i] = s.poll ? { poll: s.poll } : s.outbound ? { outbound: s.outbound } : null;
    c.events[i] = s.event ? shareEvent(s.event) : null;
    const time = Date.parse(s.receivedAt);
    c.received[i] = Number.isNaN(time) ? 0 : time;
    c.bodySizes[i] = s.bodySize;
    c.segments[i] = segment;
    c.offsets[i] = offset;
    c.lengths[i] = length;
    c.statuses[i] = s.status;
    c.flags[i] =
      (s.bodyDiscarded ? DISCARDED : 0) |
      (s.refusal ? REFUSED : 0) |
      (s.invalidJson ? INVALID_JSON : 0) |
      (s.forwardOwed ? FORWARD_OWED : 0) |
      (s.imported ? IMPORTED : 0) |
      (s.unanswered === 'hung' ? HUNG : s.unanswered === 'dropped' ? DROPPED : 0);
    if (s.refusal) this.refusals.set(this.tail, s.refusal);
    this.tail++;
    this.live++;
    this.segmentLive.set(segment, (this.segmentLive.get(segment) ?? 0) + 1);
    return true;
  }

  /**
   * A live request's event type told after its line was written (a large body's, looked into after
   * its answer): into its column, so that filters and counts, which read the columns, find it.
   */
  setEvent(id: string, event: EventType): void {
    const slot = this.find(id);
    if (slot === -1 || this.isDead(slot)) return;
    const [c, i] = this.at(slot);
    c.events[i] = shareEvent(event);
  }

  /** Marks a request gone; false when there is no live request with that id. */
  remove(id: string): boolean {
    const slot = this.find(id);
    if (slot === -1) return false;
    this.kill(slot);
    return true;
  }

  /** Drops the oldest requests until at most `max` remain; returns how many went. */
  dropOldestBeyond(max: number): number {
    let dropped = 0;
    while (this.live > max && this.head < this.tail) {
      const slot = this.head++;
      if (!this.isDead(slot)) {
        this.kill(slot);
        dropped++;
      }
    }
    // A chunk whose every slot is behind the head holds nothing any more.
    while (this.head - this.base >= CHUNK_SLOTS) {
      this.chunks.shift();
      this.base += CHUNK_SLOTS;
    }
    return dropped;
  }

  get(id: string): IndexEntry | undefined {
    const slot = this.find(id);
    return slot === -1 ? undefined : this.entry(slot);
  }

  newest(): IndexEntry | undefined {
    for (let slot = this.tail - 1; slot >= this.head; slot--) if (!this.isDead(slot)) return this.entry(slot);
    return undefined;
  }

  /** A full id, `last`, or the end of an id (the short id the terminal shows). */
  resolve(ref: string): Resolved {
    if (ref === 'last') {
      const entry = this.newest();
      return entry ? { entry } : null;
    }
    const exact = this.get(ref);
    if (exact) return { entry: exact };
    if (ref.length < 4 || ref.length >= ID_LENGTH || !/^[0-9a-z]+$/.test(ref)) return null;
    // The short id is the random part's end: compared as a number, so a scan builds no strings.
    const short = ref.length <= RANDOM_DIGITS ? { value: parseInt(ref, 36), modulus: 36 ** ref.length } : null;
    const matches: number[] = [];
    for (let slot = this.tail - 1; slot >= this.head; slot--) {
      if (this.isDead(slot)) continue;
      const [c, i] = this.at(slot);
      if (short ? c.idRandoms[i]! % short.modulus === short.value : this.idAt(slot).endsWith(ref)) matches.push(slot);
    }
    if (matches.length === 1) return { entry: this.entry(matches[0]!) };
    return matches.length ? { ambiguous: matches.map((slot) => this.idAt(slot)) } : null;
  }

  /** Live entries, newest first, strictly older than `before` when given. */
  *newestFirst(before?: string): Generator<IndexEntry> {
    const parts = before === undefined ? null : decodeId(before);
    const from = parts ? this.lowerBound(parts) : this.tail;
    for (let slot = from - 1; slot >= this.head; slot--) if (!this.isDead(slot)) yield this.entry(slot);
  }

  /**
   * Live entries newest first, strictly older than `before` when given, those `keep` passes: it is
   * given what the summary is made from, not the summary, so that a search through 50,000 that few
   * match makes few summaries. Every 2,048 requests looked at, it yields null: the caller's moment to
   * let others in (slots are for good: the search goes on where it was after a pause).
   */
  *search(before: string | undefined, keep: (head: EntryHead) => boolean): Generator<IndexEntry | null> {
    const parts = before === undefined ? null : decodeId(before);
    const head: EntryHead = { method: '', url: '', event: undefined };
    let step = 0;
    for (let slot = (parts ? this.lowerBound(parts) : this.tail) - 1; slot >= this.head; slot--) {
      if (++step % SEARCH_STEP === 0) yield null;
      if (slot < this.head) break; // dropped during the pause
      const [c, i] = this.at(slot);
      if (c.flags[i]! & DEAD) continue;
      head.method = c.methods[i]!;
      head.url = c.urls[i]!;
      head.event = c.events[i] ?? undefined;
      if (keep(head)) yield this.entry(slot);
    }
  }

  /**
   * The live requests' event types: how many have each (one entry per shared event type object,
   * newest first; see shareEvent) and how many have none. Counted from the columns: no summary is made.
   */
  eventTallies(): { tallies: EventTally[]; untyped: number } {
    const bySame = new Map<EventType, { count: number; slot: number }>();
    let untyped = 0;
    for (let slot = this.tail - 1; slot >= this.head; slot--) {
      const [c, i] = this.at(slot);
      if (c.flags[i]! & DEAD) continue;
      const event = c.events[i];
      if (!event) untyped++;
      else {
        const known = bySame.get(event);
        if (known) known.count++;
        else bySame.set(event, { count: 1, slot });
      }
    }
    const tallies = [...bySame].map(([event, { count, slot }]) => {
      const [c, i] = this.at(slot);
      return { event, count, lastId: this.idAt(slot), lastAt: new Date(c.received[i]!).toISOString() };
    });
    return { tallies, untyped };
  }

  /**
   * Where the live requests' lines are, oldest first (with `typed`, only those drift compares: see
   * UNTYPED). Each is looked at as it is reached: one dropped or deleted meanwhile is skipped, one
   * added meanwhile is not included. No id or summary is made: reading a whole store goes through here.
   */
  *places(typed = false): Generator<LineAt> {
    const end = this.tail;
    for (let slot = this.head; ; slot++) {
      slot = Math.max(slot, this.head); // past those dropped meanwhile
      if (slot >= end) return;
      if (this.isDead(slot)) continue;
      const [c, i] = this.at(slot);
      if (typed && (c.events[i] === null || c.polls[i] !== null || c.flags[i]! & UNTYPED)) continue;
      yield { segment: c.segments[i]!, offset: c.offsets[i]!, length: c.lengths[i]! };
    }
  }

  /** The ids of the live entries, oldest first (only those stored with a forward to make, with `forwardOwed`). */
  ids(forwardOwed = false): string[] {
    const ids: string[] = [];
    const want = forwardOwed ? FORWARD_OWED : 0;
    for (let slot = this.head; slot < this.tail; slot++) {
      const [c, i] = this.at(slot);
      if (!(c.flags[i]! & DEAD) && (c.flags[i]! & want) === want) ids.push(this.idAt(slot));
    }
    return ids;
  }

  clear(): void {
    this.chunks = [];
    this.base = this.head = this.tail;
    this.live = 0;
    this.refusals.clear();
    this.segmentLive.clear();
  }

  /** A slot's chunk and its place in it. */
  private at(slot: number): [IndexChunk, number] {
    const k = slot - this.base;
    return [this.chunks[k >>> CHUNK_SHIFT]!, k & CHUNK_MASK];
  }

  private isDead(slot: number): boolean {
    const k = slot - this.base;
    return (this.chunks[k >>> CHUNK_SHIFT]!.flags[k & CHUNK_MASK]! & DEAD) !== 0;
  }

  private kill(slot: number): void {
    const [c, i] = this.at(slot);
    c.flags[i]! |= DEAD;
    if (c.flags[i]! & REFUSED) this.refusals.delete(slot);
    // What the slot holds goes with the request (the slot itself goes with its chunk).
    c.urls[i] = c.methods[i] = '';
    c.contentTypes[i] = c.remotes[i] = c.signatures[i] = c.polls[i] = c.events[i] = null;
    this.live--;
    const segment = c.segments[i]!;
    this.segmentLive.set(segment, this.segmentLive.get(segment)! - 1);
  }

  private entry(slot: number): IndexEntry {
    const [c, i] = this.at(slot);
    const url = c.urls[i]!;
    const q = url.indexOf('?');
    const id = this.idAt(slot);
    return {
      summary: {
        id,
        receivedAt: new Date(c.received[i]!).toISOString(),
        method: c.methods[i]!,
        url,
        path: q === -1 ? url : url.slice(0, q),
        contentType: c.contentTypes[i]!,
        bodySize: c.bodySizes[i]!,
        bodyDiscarded: (c.flags[i]! & DISCARDED) !== 0,
        status: c.statuses[i]!,
        ...(c.flags[i]! & HUNG ? { unanswered: 'hung' as const } : c.flags[i]! & DROPPED ? { unanswered: 'dropped' as const } : {}),
        remoteAddress: c.remotes[i]!,
        ...(c.flags[i]! & REFUSED ? { refusal: this.refusals.get(slot)! } : {}),
        ...(c.flags[i]! & INVALID_JSON ? { invalidJson: true as const } : {}),
        ...(c.flags[i]! & FORWARD_OWED ? { forwardOwed: true as const } : {}),
        ...(c.flags[i]! & IMPORTED ? { imported: true as const } : {}),
        ...(c.signatures[i] && { signature: c.signatures[i] }),
        ...c.polls[i],
        ...(c.events[i] && { event: c.events[i] }),
        ...this.notes(id),
      },
      segment: c.segments[i]!,
      offset: c.offsets[i]!,
      length: c.lengths[i]!,
    };
  }

  private idAt(slot: number): string {
    const [c, i] = this.at(slot);
    return encodeId({ time: c.idTimes[i]!, seq: c.idSeqs[i]!, random: c.idRandoms[i]! });
  }

  /** The slot of a live request, by binary search (ids only go up: by time, then sequence). */
  private find(id: string): number {
    const parts = decodeId(id);
    if (!parts) return -1;
    const slot = this.lowerBound(parts);
    if (slot >= this.tail) return -1;
    const [c, i] = this.at(slot);
    const same = c.idTimes[i] === parts.time && c.idSeqs[i] === parts.seq && c.idRandoms[i] === parts.random;
    return same && !(c.flags[i]! & DEAD) ? slot : -1;
  }

  /** The first slot whose id is not below `parts`. */
  private lowerBound(parts: IdParts): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = lo + ((hi - lo) >>> 1);
      const [c, i] = this.at(mid);
      const t = c.idTimes[i]!;
      if (t < parts.time || (t === parts.time && c.idSeqs[i]! < parts.seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** One copy of the strings that repeat from request to request (URL, method, content type, sender address). */
const intern = createInterner();

const verdicts = new Map<string, SignatureVerdict>();
/** One copy of each verdict that repeats (`valid stripe`), up to a few thousand different ones. */
function shareVerdict(verdict: SignatureVerdict): SignatureVerdict {
  const key = `${verdict.verdict}|${verdict.scheme}|${verdict.detected ?? ''}|${verdict.reason ?? ''}`;
  const known = verdicts.get(key);
  if (known) return known;
  if (verdicts.size < 4096) verdicts.set(key, verdict);
  return verdict;
}

const events = new Map<string, EventType>();
/** One copy of each event type that repeats, up to a few thousand different ones. */
function shareEvent(event: EventType): EventType {
  const key = `${event.provider ?? ''}|${event.type}|${event.from}`;
  const known = events.get(key);
  if (known) return known;
  if (events.size < 4096) events.set(key, event);
  return event;
}
