import type { CaptureMarks, EventType, Refusal, RequestSummary } from '../capture/capture.js';
import type { SignatureVerdict } from '../capture/signature.js';
import { createInterner } from '../interner.js';
import { decodeId, encodeId, type IdParts } from '../capture/ids.js';
import type { LineAt } from './notes.js';

/** Where a stored request's line is, and what lists show of it (made on demand from the columns). */
export interface IndexEntry {
  summary: RequestSummary;
  segment: number;
  offset: number;
  length: number;
}

export type Resolved = { entry: IndexEntry } | { ambiguous: string[] } | null;

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
/**
 * What drift does not compare even with an event type (drift/watch.ts, comparable): an import, a
 * refused request, one whose body was not kept; polled answers and calls to the provider (polls) neither.
 */
const UNTYPED = IMPORTED | REFUSED | DISCARDED;

/**
 * The in-memory index of the request log, in arrival (= id) order. It is kept in columns (typed
 * arrays, and arrays of mostly shared strings) rather than an object per request: with 50,000
 * stored it holds a few megabytes, and a request that arrives or is dropped leaves no object
 * behind for the garbage collector. Adding, dropping the oldest and finding by id cost the same
 * however many requests are stored.
 */
export class RequestIndex {
  private capacity = 1024;
  private head = 0;
  private tail = 0;
  /** Slots moved out of the columns so far (makeRoom, clear): a slot plus this is where a request stays for good (see places). */
  private moved = 0;
  private live = 0;
  private urls: string[] = [];
  private methods: string[] = [];
  private contentTypes: (string | null)[] = [];
  private remotes: (string | null)[] = [];
  /** Signature verdicts (`--verify`), mostly the same few objects shared. */
  private signatures: (SignatureVerdict | null)[] = [];
  /**
   * What polled answers (`expect --poll`) were polled for, and what calls through the provider port
   * were (`outbound`): few among webhooks, so the other slots hold null.
   */
  private polls: (Pick<CaptureMarks, 'poll' | 'outbound'> | null)[] = [];
  /** Event types, the same few objects shared. */
  private events: (EventType | null)[] = [];
  private idTimes = new Float64Array(this.capacity);
  private idSeqs = new Uint16Array(this.capacity);
  private idRandoms = new Uint32Array(this.capacity);
  private received = new Float64Array(this.capacity);
  private bodySizes = new Float64Array(this.capacity);
  private segments = new Uint32Array(this.capacity);
  private offsets = new Uint32Array(this.capacity);
  private lengths = new Uint32Array(this.capacity);
  private statuses = new Uint16Array(this.capacity);
  private flags = new Uint8Array(this.capacity);
  /** The refusals, by slot: few requests are refused, so the other slots cost nothing here. */
  private refusals = new Map<number, Refusal>();
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
    if (this.tail === this.capacity) this.makeRoom();
    const i = this.tail++;
    this.idTimes[i] = id.time;
    this.idSeqs[i] = id.seq;
    this.idRandoms[i] = id.random;
    this.urls[i] = intern(s.url);
    this.methods[i] = intern(s.method);
    this.contentTypes[i] = s.contentType === null ? null : intern(s.contentType);
    this.remotes[i] = s.remoteAddress === null ? null : intern(s.remoteAddress);
    this.signatures[i] = s.signature ? shareVerdict(s.signature) : null;
    this.polls[i] = s.poll ? { poll: s.poll } : s.outbound ? { outbound: s.outbound } : null;
    this.events[i] = s.event ? shareEvent(s.event) : null;
    const time = Date.parse(s.receivedAt);
    this.received[i] = Number.isNaN(time) ? 0 : time;
    this.bodySizes[i] = s.bodySize;
    this.segments[i] = segment;
    this.offsets[i] = offset;
    this.lengths[i] = length;
    this.statuses[i] = s.status;
    this.flags[i] =
      (s.bodyDiscarded ? DISCARDED : 0) |
      (s.refusal ? REFUSED : 0) |
      (s.invalidJson ? INVALID_JSON : 0) |
      (s.forwardOwed ? FORWARD_OWED : 0) |
      (s.imported ? IMPORTED : 0);
    if (s.refusal) this.refusals.set(i, s.refusal);
    this.live++;
    this.segmentLive.set(segment, (this.segmentLive.get(segment) ?? 0) + 1);
    return true;
  }

  /** Marks a request gone; false when there is no live request with that id. */
  remove(id: string): boolean {
    const i = this.find(id);
    if (i === -1) return false;
    this.kill(i);
    return true;
  }

  /** Drops the oldest requests until at most `max` remain; returns how many went. */
  dropOldestBeyond(max: number): number {
    let dropped = 0;
    while (this.live > max && this.head < this.tail) {
      const i = this.head++;
      if (!(this.flags[i]! & DEAD)) {
        this.kill(i);
        dropped++;
      }
    }
    return dropped;
  }

  get(id: string): IndexEntry | undefined {
    const i = this.find(id);
    return i === -1 ? undefined : this.entry(i);
  }

  newest(): IndexEntry | undefined {
    for (let i = this.tail - 1; i >= this.head; i--) if (!(this.flags[i]! & DEAD)) return this.entry(i);
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
    for (let i = this.tail - 1; i >= this.head; i--) {
      if (this.flags[i]! & DEAD) continue;
      if (short ? this.idRandoms[i]! % short.modulus === short.value : this.idAt(i).endsWith(ref)) matches.push(i);
    }
    if (matches.length === 1) return { entry: this.entry(matches[0]!) };
    return matches.length ? { ambiguous: matches.map((i) => this.idAt(i)) } : null;
  }

  /** Live entries, newest first, strictly older than `before` when given. */
  *newestFirst(before?: string): Generator<IndexEntry> {
    const parts = before === undefined ? null : decodeId(before);
    const from = parts ? this.lowerBound(parts) : this.tail;
    for (let i = from - 1; i >= this.head; i--) if (!(this.flags[i]! & DEAD)) yield this.entry(i);
  }

  /**
   * Where the live requests' lines are, oldest first (with `typed`, only those drift compares: see
   * TYPED). Each is looked at as it is reached: one dropped or deleted meanwhile is skipped, one
   * added meanwhile is not included. No id or summary is made: reading a whole store goes through here.
   */
  *places(typed = false): Generator<LineAt> {
    const end = this.tail + this.moved;
    for (let at = this.head + this.moved; ; at++) {
      at = Math.max(at, this.head + this.moved); // past those dropped meanwhile
      if (at >= end) return;
      const i = at - this.moved;
      if (this.flags[i]! & DEAD) continue;
      if (typed && (this.events[i] === null || this.polls[i] !== null || this.flags[i]! & UNTYPED)) continue;
      yield { segment: this.segments[i]!, offset: this.offsets[i]!, length: this.lengths[i]! };
    }
  }

  /** The ids of the live entries, oldest first (only those stored with a forward to make, with `forwardOwed`). */
  ids(forwardOwed = false): string[] {
    const ids: string[] = [];
    const want = forwardOwed ? FORWARD_OWED : 0;
    for (let i = this.head; i < this.tail; i++) if (!(this.flags[i]! & DEAD) && (this.flags[i]! & want) === want) ids.push(this.idAt(i));
    return ids;
  }

  clear(): void {
    this.moved += this.tail;
    this.head = this.tail = this.live = 0;
    this.urls = [];
    this.methods = [];
    this.contentTypes = [];
    this.remotes = [];
    this.signatures = [];
    this.polls = [];
    this.events = [];
    this.refusals.clear();
    this.segmentLive.clear();
  }

  private kill(i: number): void {
    this.flags[i]! |= DEAD;
    if (this.flags[i]! & REFUSED) this.refusals.delete(i);
    this.live--;
    const segment = this.segments[i]!;
    this.segmentLive.set(segment, this.segmentLive.get(segment)! - 1);
  }

  private entry(i: number): IndexEntry {
    const url = this.urls[i]!;
    const q = url.indexOf('?');
    const id = this.idAt(i);
    return {
      summary: {
        id,
        receivedAt: new Date(this.received[i]!).toISOString(),
        method: this.methods[i]!,
        url,
        path: q === -1 ? url : url.slice(0, q),
        contentType: this.contentTypes[i]!,
        bodySize: this.bodySizes[i]!,
        bodyDiscarded: (this.flags[i]! & DISCARDED) !== 0,
        status: this.statuses[i]!,
        remoteAddress: this.remotes[i]!,
        ...(this.flags[i]! & REFUSED ? { refusal: this.refusals.get(i)! } : {}),
        ...(this.flags[i]! & INVALID_JSON ? { invalidJson: true as const } : {}),
        ...(this.flags[i]! & FORWARD_OWED ? { forwardOwed: true as const } : {}),
        ...(this.flags[i]! & IMPORTED ? { imported: true as const } : {}),
        ...(this.signatures[i] && { signature: this.signatures[i] }),
        ...this.polls[i],
        ...(this.events[i] && { event: this.events[i] }),
        ...this.notes(id),
      },
      segment: this.segments[i]!,
      offset: this.offsets[i]!,
      length: this.lengths[i]!,
    };
  }

  private idAt(i: number): string {
    return encodeId({ time: this.idTimes[i]!, seq: this.idSeqs[i]!, random: this.idRandoms[i]! });
  }

  /** The slot of a live request, by binary search (ids only go up: by time, then sequence). */
  private find(id: string): number {
    const parts = decodeId(id);
    if (!parts) return -1;
    const i = this.lowerBound(parts);
    const same = i < this.tail && this.idTimes[i] === parts.time && this.idSeqs[i] === parts.seq && this.idRandoms[i] === parts.random;
    return same && !(this.flags[i]! & DEAD) ? i : -1;
  }

  /** The first slot whose id is not below `parts`. */
  private lowerBound(parts: IdParts): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.idTimes[mid]!;
      if (t < parts.time || (t === parts.time && this.idSeqs[mid]! < parts.seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Moves the live window to the start of the columns, growing them when more than half full. */
  private makeRoom(): void {
    const used = this.tail - this.head;
    const capacity = used * 2 > this.capacity ? this.capacity * 2 : this.capacity;
    const move = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(column: T, make: (n: number) => T): T => {
      const next = capacity === this.capacity ? column : make(capacity);
      next.set(column.subarray(this.head, this.tail));
      return next;
    };
    this.idTimes = move(this.idTimes, (n) => new Float64Array(n));
    this.idSeqs = move(this.idSeqs, (n) => new Uint16Array(n));
    this.idRandoms = move(this.idRandoms, (n) => new Uint32Array(n));
    this.received = move(this.received, (n) => new Float64Array(n));
    this.bodySizes = move(this.bodySizes, (n) => new Float64Array(n));
    this.segments = move(this.segments, (n) => new Uint32Array(n));
    this.offsets = move(this.offsets, (n) => new Uint32Array(n));
    this.lengths = move(this.lengths, (n) => new Uint32Array(n));
    this.statuses = move(this.statuses, (n) => new Uint16Array(n));
    this.flags = move(this.flags, (n) => new Uint8Array(n));
    for (const key of ['urls', 'methods', 'contentTypes', 'remotes', 'signatures', 'polls', 'events'] as const) {
      (this[key] as unknown[]) = moveColumn(this[key] as unknown[], this.head, this.tail, capacity);
    }
    if (this.refusals.size) this.refusals = new Map([...this.refusals].map(([slot, r]) => [slot - this.head, r]));
    this.capacity = capacity;
    this.moved += this.head;
    this.head = 0;
    this.tail = used;
  }
}

/**
 * The live window of a column of values at the start of an array of `capacity` slots: the same
 * array when it has room, else a new one made that large at once. Filled slot by slot, an array grows
 * by half again each time it is full: for 50,000 requests, several megabytes of arrays left behind.
 */
function moveColumn<T>(column: T[], head: number, tail: number, capacity: number): T[] {
  const used = tail - head;
  if (column.length >= capacity) {
    column.copyWithin(0, head, tail);
    return column.fill(undefined as T, used, tail);
  }
  const next = new Array<T>(capacity);
  for (let i = 0; i < used; i++) next[i] = column[head + i]!;
  return next;
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
