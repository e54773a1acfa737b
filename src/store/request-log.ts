import { dirname, join } from 'node:path';
import { summarize, type CapturedRequest, type RequestSummary } from '../capture/capture.js';
import { HookCatchError, StoreWriteError } from '../errors.js';
import { ensurePrivateDir, storeProblem } from './files.js';
import { GroupCommit, type Pending } from './group-commit.js';
import type { ReplayRecord } from '../capture/records.js';
import { Notes } from './notes.js';
import { analysisLine, deletedLine, forwardLine, replayLine, requestLine, type AnalysisNote, type ForwardNote, type NoteLine } from './record-line.js';
import { readSegments } from './recover.js';
import { RequestIndex, type IndexEntry } from './request-index.js';
import { eventCounts, listPage, summariesAfter, type RequestPage, type RequestQuery } from './request-query.js';
import type { EventCounts } from '../capture/shapes.js';
import { listSegments, SegmentWriter } from './segment-files.js';
import { SegmentReader } from './segment-reader.js';

export interface RequestLogOptions {
  /** Requests kept; the oldest are dropped first. */
  maxRequests: number;
  /** Wait for the disk, not only the operating system, before an append resolves. */
  fsync: boolean;
  /** Read what is there without changing any file (for `list` / `show` beside a running instance). */
  readOnly?: boolean;
  /** A new segment file is started after this many lines or bytes. */
  segmentLines?: number;
  segmentBytes?: number;
}

export type { RequestPage, RequestQuery } from './request-query.js';

/** What was removed: one request by id, or all of them (how many there were). */
export type Removal = { id: string } | { all: number };

/** The request a line stores, the id a tombstone deletes, or the note it adds. */
type LineMeta = { summary: RequestSummary } | { deletes: string } | { note: NoteLine };

/**
 * The request log: append-only JSON-lines segment files under `<dir>/requests`, written by group
 * commit (every append made while the event loop was busy goes out in one write). An append
 * resolves once its line is in the file (and on the disk with `fsync`), so a 2xx that waits for it
 * is a stored request. The cost of an append does not depend on how many requests are stored.
 */
export class RequestLog {
  private readonly notes = new Notes();
  private readonly index = new RequestIndex((id) => this.notes.summaryOf(id));
  private readonly writer: SegmentWriter;
  private readonly commits: GroupCommit<LineMeta>;
  private closed = false;
  private readonly removalListeners = new Set<(removed: Removal) => void>();

  private constructor(
    private readonly folder: string,
    private readonly damagedFolder: string,
    private readonly options: Required<RequestLogOptions>,
  ) {
    this.writer = new SegmentWriter(folder);
    this.commits = new GroupCommit<LineMeta>({
      write: (batch) => this.writeBatch(batch),
      sync: options.fsync ? (done) => this.writer.datasync(done) : null,
      failure: (error, during) =>
        new StoreWriteError(during === 'write' ? storeProblem(error, dirname(folder)) : `syncing to the disk failed: ${storeProblem(error, dirname(folder))}`),
    });
  }

  static async open(dir: string, options: RequestLogOptions): Promise<{ log: RequestLog; warnings: string[] }> {
    const log = new RequestLog(join(dir, 'requests'), join(dir, 'damaged'), {
      readOnly: false,
      // Retention removes whole files, so a file holds a tenth of what is kept: at most 10% more on disk.
      segmentLines: Math.min(10_000, Math.max(100, Math.ceil(options.maxRequests / 10))),
      segmentBytes: 64 * 1024 * 1024,
      ...options,
    });
    const warnings = await log.load();
    return { log, warnings };
  }

  get count(): number {
    return this.index.size;
  }

  get lastId(): string | undefined {
    return this.index.newest()?.summary.id;
  }

  append(request: CapturedRequest): Promise<void> {
    return this.enqueue(requestLine(request), { summary: summarize(request) });
  }

  /** Keeps a replay of a stored capture; resolves once it is in the file. */
  appendReplay(record: ReplayRecord): Promise<void> {
    this.assertWritable();
    return this.enqueue(replayLine(record), { note: { kind: 'replay', of: record.of, record } });
  }

  /**
   * Keeps what was found in a capture's body after it was answered (schema verdict, drift, a large
   * body's JSON check and event type); resolves once it is in the file. Lists show it at once: a
   * reader that comes between this and the write is not left without it (it is found again, not
   * lost, should the write fail).
   */
  appendAnalysis(id: string, note: AnalysisNote): Promise<void> {
    const written = this.enqueue(analysisLine(id, note), { note: { kind: 'analysis', id, ...note } });
    if (this.index.get(id)) this.notes.addAnalysis(id, note);
    if (note.event) this.index.setEvent(id, note.event);
    return written;
  }

  /** Keeps what a capture's forward answered (and so what its sender got); resolves once it is in the file. */
  appendForward(id: string, note: ForwardNote): Promise<void> {
    return this.enqueue(forwardLine(id, note), { note: { kind: 'forwarded', id, ...note } });
  }

  /**
   * The captures stored with a forward to make whose forward's end was never kept (hook-catch
   * stopped first), oldest first: what a restart forwards, or marks as not forwarded.
   */
  unforwarded(): { id: string; status: number }[] {
    const owed = this.index.ids(true).filter((id) => !this.notes.hasForward(id));
    return owed.map((id) => ({ id, status: this.index.get(id)!.summary.status }));
  }

  /** The replays of a capture, oldest first. */
  async replaysOf(ref: string): Promise<ReplayRecord[]> {
    const id = this.resolveId(ref);
    const places = id ? this.notes.replaysOf(id) : [];
    if (places.length === 0) return [];
    const lines = await this.withReader((reader) => Promise.all(places.map((at) => reader.line(at))));
    return lines.flatMap((line) => (line?.kind === 'replay' ? [line.record] : []));
  }

  /** The full id for a full id, a short id (its end) or `last`; null when nothing matches. */
  resolveId(ref: string): string | null {
    return this.lookup(ref)?.summary.id ?? null;
  }

  /** Resolves a full id, a short id (its end) or `last`. */
  async get(ref: string): Promise<CapturedRequest | null> {
    const entry = this.lookup(ref);
    const request = entry ? await this.withReader((reader) => reader.read(entry)) : null;
    return request && entry ? withNotes(request, entry.summary) : null;
  }

  /**
   * The stored requests of `ids` (full ids), oldest first, read a window of a file at a time: an
   * export of thousands costs a few reads, not one a request. Ids no longer stored are left out.
   */
  async getMany(ids: Iterable<string>): Promise<CapturedRequest[]> {
    const entries = [...new Set(ids)]
      .sort()
      .map((id) => this.index.get(id))
      .filter((e): e is IndexEntry => e !== undefined);
    const byId = new Map(entries.map((entry) => [entry.summary.id, entry]));
    const requests: CapturedRequest[] = [];
    await this.withReader(async (reader) => {
      for await (const batch of reader.inOrder(entries)) for (const request of batch) requests.push(withNotes(request, byId.get(request.id)!.summary));
    });
    return requests;
  }

  /** The event types stored and how many of each (from the index: no file is read). */
  eventCounts(): EventCounts {
    return eventCounts(this.index);
  }

  /** A page of summaries, newest first, filtered (see RequestQuery). */
  list(query: RequestQuery = {}): Promise<RequestPage> {
    return this.withReader((reader) => listPage(this.index, reader, query));
  }

  /**
   * The summaries of the requests stored after `after`, oldest first, or null when there are more
   * than `limit` of them (or `after` is not an id): what a reconnecting reader missed. Synchronous,
   * from the index, so nothing can be stored between this and what the caller does next.
   */
  summariesAfter(after: string, limit: number): RequestSummary[] | null {
    return summariesAfter(this.index, after, limit);
  }

  /**
   * Every stored request, oldest first, in batches (see SegmentReader.inOrder); those stored meanwhile
   * are not included. With `typed`, only the captures drift compares (received, with an event type and
   * their body): the others are not read.
   */
  async *readAll(typed = false): AsyncGenerator<CapturedRequest[]> {
    const reader = new SegmentReader(this.folder);
    try {
      // With what was learned after each line was written (the status the app answered a forward):
      // jobs derived again tell refused deliveries from acknowledged ones as they were told live.
      for await (const batch of reader.inOrder(this.index.places(typed))) {
        for (const request of batch) {
          const note = this.notes.summaryOf(request.id);
          if (note) withNotes(request, note);
        }
        yield batch;
      }
    } finally {
      await reader.close();
    }
  }

  /** Deletes one request; false when there is none with that id. */
  async delete(id: string): Promise<boolean> {
    this.assertWritable();
    if (!this.index.get(id)) return false;
    await this.enqueue(deletedLine(id), { deletes: id });
    for (const listener of this.removalListeners) listener({ id });
    return true;
  }

  /** Deletes every request and their files; returns how many there were. */
  async clear(): Promise<number> {
    this.assertWritable();
    await this.commits.whenIdle();
    const count = this.index.size;
    const last = this.writer.segment;
    this.writer.close();
    for (const segment of listSegments(this.folder)) this.writer.remove(segment);
    this.index.clear();
    this.notes.clear();
    this.writer.open(last + 1);
    for (const listener of this.removalListeners) listener({ all: count });
    return count;
  }

  /** Calls `listener` after a request is deleted, or after all are; returns what stops it. */
  onRemoved(listener: (removed: Removal) => void): () => void {
    this.removalListeners.add(listener);
    return () => this.removalListeners.delete(listener);
  }

  /** Writes what is pending and closes the file. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.commits.whenIdle();
    this.writer.close();
  }

  private lookup(ref: string): IndexEntry | undefined {
    const found = this.index.resolve(ref);
    if (found && 'ambiguous' in found) {
      throw new HookCatchError(`"${ref}" matches ${found.ambiguous.length} requests; give more of the id.`);
    }
    return found?.entry;
  }

  private enqueue(line: Buffer | Buffer[], meta: LineMeta): Promise<void> {
    if (this.closed) return Promise.reject(new HookCatchError('The request log is closed.'));
    return this.commits.add(Array.isArray(line) ? line : [line], meta);
  }

  /** Writes a batch into the current segment (starting the next when it is full), then indexes it. */
  private writeBatch(batch: Pending<LineMeta>[]): void {
    const w = this.writer;
    if (!w.isOpen || w.lines >= this.options.segmentLines || w.size >= this.options.segmentBytes) {
      w.open(w.segment + 1);
      // Known from the start, so that a file holding only deletions is removed in its turn too.
      this.index.segmentLive.set(w.segment, this.index.segmentLive.get(w.segment) ?? 0);
    }
    let offset = w.write(batch.length === 1 ? batch[0]!.line : batch.flatMap((p) => p.line), batch.length);
    for (const { size, meta } of batch) {
      const length = size - 1;
      if ('summary' in meta) this.index.add(meta.summary, w.segment, offset, length);
      else if ('deletes' in meta) this.index.remove(meta.deletes);
      else this.note(meta.note, { segment: w.segment, offset, length });
      offset += length + 1;
    }
    this.index.dropOldestBeyond(this.options.maxRequests);
    this.removeEmptySegments();
  }

  private note(note: NoteLine, at: { segment: number; offset: number; length: number }): void {
    if (note.kind === 'replay') this.notes.addReplay(note.of, at);
    else if (note.kind === 'analysis') {
      this.notes.addAnalysis(note.id, analysisOf(note));
      if (note.event) this.index.setEvent(note.id, note.event);
    } else this.notes.setForward(note.id, note);
  }

  /**
   * Removes segments at the old end whose requests are all gone (oldest first, so tombstones and
   * notes outlive the requests they are about), and forgets the notes of requests that are gone.
   */
  private removeEmptySegments(): void {
    let removed = false;
    for (const [segment, live] of this.index.segmentLive) {
      if (live > 0 || segment === this.writer.segment) break;
      this.index.segmentLive.delete(segment);
      this.writer.remove(segment);
      removed = true;
    }
    if (removed)
      this.notes.prune(
        (id) => this.index.get(id) !== undefined,
        (segment) => !this.index.segmentLive.has(segment),
      );
  }

  private async withReader<T>(work: (reader: SegmentReader) => Promise<T>): Promise<T> {
    const reader = new SegmentReader(this.folder);
    try {
      return await work(reader);
    } finally {
      await reader.close();
    }
  }

  private assertWritable(): void {
    if (this.options.readOnly) throw new HookCatchError('This store was opened read-only.');
  }

  /** Reads every segment into the index (setting damaged lines aside); returns warnings to print. */
  private async load(): Promise<string[]> {
    const { readOnly } = this.options;
    if (!readOnly) await ensurePrivateDir(this.folder);
    let last = 0;
    let lastLines = 0;
    const warnings = await readSegments(
      { folder: this.folder, damagedFolder: this.damagedFolder, readOnly },
      (segment) => {
        this.index.segmentLive.set(segment, 0);
        last = segment;
        lastLines = 0;
      },
      (segment, line, offset, length) => {
        if (line.kind === 'request') this.index.add(line.summary, segment, offset, length);
        else if (line.kind === 'deleted') this.index.remove(line.id);
        else this.note(line, { segment, offset, length });
        lastLines++;
      },
    );
    this.index.dropOldestBeyond(this.options.maxRequests);
    if (!readOnly) {
      this.writer.open(last || 1, last ? lastLines : 0);
      this.removeEmptySegments();
    }
    return warnings;
  }
}

/**
 * What was learned after a request's line was written, from its summary or its notes: what its
 * sender was answered, its forward, and what was found in its body after it was answered.
 */
function withNotes(request: CapturedRequest, later: Partial<RequestSummary>): CapturedRequest {
  if (later.status !== undefined) request.response.status = later.status;
  if (later.forward) request.forward = later.forward;
  if (later.invalidJson) request.invalidJson = true;
  if (later.event) request.event = later.event;
  if (later.schema) request.schema = later.schema;
  if (later.drift) request.drift = later.drift;
  return request;
}

/** What an analysis note found, without the note's kind and id. */
function analysisOf({ invalidJson, event, schema, drift }: AnalysisNote): AnalysisNote {
  return { ...(invalidJson && { invalidJson }), ...(event && { event }), ...(schema && { schema }), ...(drift && { drift }) };
}
