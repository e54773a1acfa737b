import type { CapturedRequest } from '../capture/capture.js';

export interface ForwardQueueDeps {
  /** Reads stored captures back (those gone since are left out), oldest first. */
  load: (ids: string[]) => Promise<CapturedRequest[]>;
  /** The job a capture belongs to: captures of one job are sent one at a time, in arrival order. */
  jobOf: (id: string) => string | null;
  /** Sends one capture and keeps what came of it; never rejects. */
  send: (request: CapturedRequest) => Promise<void>;
  /** Keeps that a capture will not be forwarded, and why (the queue is full). */
  drop: (id: string, why: string, request: CapturedRequest | null) => void;
  /** The number of captures waiting or being sent changed. */
  changed: () => void;
}

export interface ForwardQueueLimits {
  /** Sends at once. */
  concurrency: number;
  /** Bytes of bodies held in memory while waiting; past it a capture waits as its id and is read back in its turn. */
  memoryBytes: number;
  /** Captures waiting; past it a capture is dropped (and marked so). */
  maxWaiting: number;
}

interface Item {
  id: string;
  /** Null while it waits as an id only (read back from the store in its turn). */
  request: CapturedRequest | null;
  /** Could not be read back: passed over. */
  gone?: true;
}

/** How many ids are read back from the store at once (their bodies are then held: a few times the sends at once). */
const LOAD_BATCH = 32;

/**
 * The captures waiting to be forwarded, oldest first. Every one of them is in the store, marked
 * `forwardOwed`, so what waits here when hook-catch stops is found again at the next start. A few
 * are sent at once, but never two of the same job: a job's deliveries reach the app in the order
 * they arrived. Bodies are held in memory up to a bound; past it a capture waits as its id alone.
 */
export class ForwardQueue {
  private items: Item[] = [];
  private head = 0;
  /** Captures whose job had a send running, waiting for it to end, per job. */
  private readonly held = new Map<string, CapturedRequest[]>();
  private heldCount = 0;
  private readonly busyJobs = new Set<string>();
  private running = 0;
  private heldBytes = 0;
  private loading = false;
  private closed = false;

  constructor(
    private readonly limits: ForwardQueueLimits,
    private readonly deps: ForwardQueueDeps,
  ) {}

  /** Captures waiting to be sent (not those being sent; a few passed over may still count until reached). */
  get waiting(): number {
    return this.items.length - this.head + this.heldCount;
  }

  /** Captures being sent now. */
  get sending(): number {
    return this.running;
  }

  /** Adds a capture at the end: its request when given, else its id (read back in its turn). */
  add(id: string, request: CapturedRequest | null = null): void {
    if (this.closed) return;
    if (this.waiting >= this.limits.maxWaiting) {
      this.deps.drop(id, `not forwarded: ${this.limits.maxWaiting.toLocaleString('en-US')} forwards were already waiting (replay it later)`, request);
      return;
    }
    const keep = request !== null && this.heldBytes + request.body.length <= this.limits.memoryBytes;
    if (keep) this.heldBytes += request.body.length;
    this.items.push({ id, request: keep ? request : null });
    this.deps.changed();
    this.pump();
  }

  /** Stops sending; what waits stays owed in the store and is sent after the next start. Idempotent. */
  close(): void {
    this.closed = true;
    this.items = [];
    this.head = 0;
    this.held.clear();
    this.heldCount = 0;
  }

  private pump(): void {
    // Held captures have their bodies read: a few per send at most, then the queue waits for sends to end.
    while (!this.closed && this.running < this.limits.concurrency && this.head < this.items.length && this.heldCount < this.limits.concurrency * 8) {
      const item = this.items[this.head]!;
      if (item.gone) {
        this.shift();
        continue;
      }
      if (!item.request) break; // read back by loadAhead, which pumps again
      this.shift();
      const job = this.deps.jobOf(item.id);
      if (job !== null && this.busyJobs.has(job)) this.hold(job, item.request);
      else this.run(job, item.request);
    }
    this.loadAhead();
  }

  private hold(job: string, request: CapturedRequest): void {
    const list = this.held.get(job);
    if (list) list.push(request);
    else this.held.set(job, [request]);
    this.heldCount++;
  }

  private run(job: string | null, request: CapturedRequest): void {
    this.running++;
    if (job !== null) this.busyJobs.add(job);
    this.deps.changed();
    void this.deps.send(request).finally(() => {
      this.running--;
      if (job !== null) this.next(job);
      this.deps.changed();
      this.pump();
    });
  }

  /** A job's send ended: its next capture, if one was held, goes now. */
  private next(job: string): void {
    const list = this.held.get(job);
    const request = list?.shift();
    if (!list?.length) this.held.delete(job);
    this.busyJobs.delete(job);
    if (request && !this.closed) {
      this.heldCount--;
      this.run(job, request);
    }
  }

  private shift(): void {
    const item = this.items[this.head]!;
    if (item.request) this.heldBytes -= item.request.body.length;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Reads the next captures that wait as ids back from the store, a batch ahead of the sends, then
   * goes on. Those it cannot read (deleted or dropped by --max-requests since; or the store failed)
   * are passed over: a capture still stored stays owed, and the next start sends it.
   */
  private loadAhead(): void {
    if (this.loading || this.closed) return;
    const batch: Item[] = [];
    for (let i = this.head; i < this.items.length && i < this.head + 2 * LOAD_BATCH && batch.length < LOAD_BATCH; i++) {
      const item = this.items[i]!;
      if (!item.request && !item.gone) batch.push(item);
      else if (batch.length) break;
    }
    if (batch.length === 0) return;
    this.loading = true;
    this.deps
      .load(batch.map((item) => item.id))
      .catch(() => [] as CapturedRequest[])
      .then((requests) => {
        if (this.closed) return;
        const byId = new Map(requests.map((request) => [request.id, request]));
        for (const item of batch) {
          item.request = byId.get(item.id) ?? null;
          if (item.request) this.heldBytes += item.request.body.length;
          else item.gone = true;
        }
      })
      .finally(() => {
        this.loading = false;
        this.pump();
      });
  }
}
