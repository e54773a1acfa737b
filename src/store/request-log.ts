import { open, readdir, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { summarize, type CapturedRequest, type RequestSummary } from '../capture.js';
import { describe, HookCatchError } from '../errors.js';
import { ensurePrivateDir, FILE_MODE, writeFileAtomic } from './files.js';
import { deletedLine, fromStored, parseLine, requestLine } from './record-line.js';
import { RequestIndex, type IndexEntry } from './request-index.js';
import { rebuildSegment, scanSegment } from './segment-scan.js';

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
}

export interface RequestPage {
  items: RequestSummary[];
  /** Requests stored in all. */
  total: number;
  /** Pass as `before` for the next page; null on the last one. */
  nextBefore: string | null;
}

interface Pending {
  line: string;
  /** The request this line stores, or the id this tombstone deletes. */
  summary: RequestSummary | null;
  deletes: string | null;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const SEGMENT_NAME = /^(\d{8})\.jsonl$/;
const segmentName = (n: number) => `${String(n).padStart(8, '0')}.jsonl`;

/**
 * The request log: append-only JSON-lines segment files under `<dir>/requests`, written by group
 * commit (every append that arrives while a write is in flight goes out in the next single write).
 * An append resolves once its line is in the file, so a 2xx that waits for it is a stored request.
 * The cost of an append does not depend on how many requests are stored.
 */
export class RequestLog {
  private readonly index = new RequestIndex();
  private pending: Pending[] = [];
  private flushQueued = false;
  private tail: Promise<unknown> = Promise.resolve();
  private handle: FileHandle | null = null;
  private segment = 0;
  private segmentLines = 0;
  private segmentSize = 0;
  private closed = false;

  private constructor(
    private readonly folder: string,
    private readonly damagedFolder: string,
    private readonly options: Required<RequestLogOptions>,
  ) {}

  static async open(dir: string, options: RequestLogOptions): Promise<{ log: RequestLog; warnings: string[] }> {
    const log = new RequestLog(join(dir, 'requests'), join(dir, 'damaged'), {
      readOnly: false,
      segmentLines: 1000,
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
    return this.enqueue({ line: requestLine(request), summary: summarize(request), deletes: null });
  }

  /** The full id for a full id, a short id (its end) or `last`; null when nothing matches. */
  resolveId(ref: string): string | null {
    return this.lookup(ref)?.summary.id ?? null;
  }

  /** Resolves a full id, a short id (its end) or `last`. */
  async get(ref: string): Promise<CapturedRequest | null> {
    const entry = this.lookup(ref);
    if (!entry) return null;
    const handle = await this.openSegment(entry.segment);
    if (!handle) return null;
    try {
      return await readEntry(handle, entry);
    } finally {
      await handle.close();
    }
  }

  async list(query: RequestQuery = {}): Promise<RequestPage> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 1000);
    const method = query.method?.toUpperCase();
    const needle = query.q?.toLowerCase();
    const handles = new Map<number, FileHandle | null>();
    const items: RequestSummary[] = [];
    let more = false;
    try {
      for (const entry of this.index.newestFirst(query.before)) {
        const s = entry.summary;
        if (method && s.method !== method) continue;
        if (query.path && !s.path.startsWith(query.path)) continue;
        if (needle) {
          if (!handles.has(entry.segment)) handles.set(entry.segment, await this.openSegment(entry.segment));
          const handle = handles.get(entry.segment);
          const full = handle ? await readEntry(handle, entry) : null;
          if (!full || !searchText(full).includes(needle)) continue;
        }
        if (items.length === limit) {
          more = true;
          break;
        }
        items.push(s);
      }
    } finally {
      for (const handle of handles.values()) await handle?.close();
    }
    return { items, total: this.index.size, nextBefore: more ? items[items.length - 1]!.id : null };
  }

  /** Deletes one request; false when there is none with that id. */
  async delete(id: string): Promise<boolean> {
    this.assertWritable();
    if (!this.index.get(id)) return false;
    await this.enqueue({ line: deletedLine(id), summary: null, deletes: id });
    return true;
  }

  /** Deletes every request and their files; returns how many there were. */
  async clear(): Promise<number> {
    this.assertWritable();
    return this.serial(async () => {
      const count = this.index.size;
      await this.handle?.close();
      this.handle = null;
      for (const segment of await this.segmentNumbers()) await unlink(join(this.folder, segmentName(segment)));
      this.index.clear();
      await this.startSegment(this.segment + 1);
      return count;
    });
  }

  /** Writes what is pending and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return this.tail.then(() => undefined);
    this.closed = true;
    await this.serial(async () => {
      await this.handle?.close();
      this.handle = null;
    });
  }

  private lookup(ref: string): IndexEntry | undefined {
    const found = this.index.resolve(ref);
    if (found && 'ambiguous' in found) {
      throw new HookCatchError(`"${ref}" matches ${found.ambiguous.length} requests; give more of the id.`);
    }
    return found?.entry;
  }

  private enqueue(item: Omit<Pending, 'resolve' | 'reject'>): Promise<void> {
    if (this.closed) return Promise.reject(new HookCatchError('The request log is closed.'));
    return new Promise((resolve, reject) => {
      this.pending.push({ ...item, resolve, reject });
      if (!this.flushQueued) {
        this.flushQueued = true;
        void this.serial(() => this.flush());
      }
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async flush(): Promise<void> {
    this.flushQueued = false;
    const batch = this.pending;
    this.pending = [];
    try {
      if (!this.handle || this.segmentLines >= this.options.segmentLines || this.segmentSize >= this.options.segmentBytes) {
        await this.handle?.close();
        this.handle = null;
        await this.startSegment(this.segment + 1);
      }
      let text = '';
      for (const p of batch) text += p.line;
      const data = Buffer.from(text);
      await writeAll(this.handle!, data);
      if (this.options.fsync) await this.handle!.datasync();
    } catch (error) {
      await this.abandonPartialWrite();
      const failure = new HookCatchError(`hook-catch could not write to its store in ${this.folder}: ${describe(error)}`);
      for (const p of batch) p.reject(failure);
      return;
    }
    for (const p of batch) {
      const length = Buffer.byteLength(p.line) - 1;
      if (p.summary) {
        this.index.add({ summary: p.summary, segment: this.segment, offset: this.segmentSize, length, dead: false });
      } else {
        this.index.remove(p.deletes!);
      }
      this.segmentLines++;
      this.segmentSize += length + 1;
    }
    this.index.dropOldestBeyond(this.options.maxRequests);
    await this.removeEmptySegments();
    for (const p of batch) p.resolve();
  }

  /** Removes segments at the old end whose requests are all gone (oldest first, so tombstones outlive their targets). */
  private async removeEmptySegments(): Promise<void> {
    for (const [segment, live] of this.index.segmentLive) {
      if (live > 0 || segment === this.segment) break;
      this.index.segmentLive.delete(segment);
      await unlink(join(this.folder, segmentName(segment))).catch(() => undefined);
    }
  }

  private async startSegment(segment: number, lines = 0): Promise<void> {
    const handle = await open(join(this.folder, segmentName(segment)), 'a', FILE_MODE);
    this.handle = handle;
    this.segment = segment;
    this.segmentSize = (await handle.stat()).size;
    this.segmentLines = lines;
    this.index.segmentLive.set(segment, this.index.segmentLive.get(segment) ?? 0);
  }

  /** After a failed write, cut the file back to its last whole line, or leave it for a new segment. */
  private async abandonPartialWrite(): Promise<void> {
    try {
      await this.handle?.truncate(this.segmentSize);
    } catch {
      await this.handle?.close().catch(() => undefined);
      this.handle = null;
    }
  }

  private async openSegment(segment: number): Promise<FileHandle | null> {
    try {
      return await open(join(this.folder, segmentName(segment)), 'r');
    } catch {
      return null;
    }
  }

  private async segmentNumbers(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .map((name) => SEGMENT_NAME.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private assertWritable(): void {
    if (this.options.readOnly) throw new HookCatchError('This store was opened read-only.');
  }

  /** Reads every segment into the index, setting damaged lines aside; returns warnings to print. */
  private async load(): Promise<string[]> {
    const { readOnly } = this.options;
    if (!readOnly) await ensurePrivateDir(this.folder);
    const warnings: string[] = [];
    const segments = await this.segmentNumbers();
    for (const segment of segments) {
      const path = join(this.folder, segmentName(segment));
      const data = await readFile(path);
      const scan = scanSegment(data);
      let lines = scan.lines;
      const isNewest = segment === segments[segments.length - 1];
      if (scan.damaged.length && !(readOnly && isNewest && scan.tornTailOnly)) {
        const bytes = scan.damaged.reduce((n, d) => n + d.length, 0);
        const what = `${scan.damaged.length} damaged line${scan.damaged.length === 1 ? '' : 's'} (${bytes} bytes)`;
        if (readOnly) {
          warnings.push(`${path}: skipped ${what}; \`hook-catch start\` recovers the file and keeps them aside.`);
        } else {
          const aside = join(this.damagedFolder, `${segmentName(segment).replace('.jsonl', '')}-${stamp()}.jsonl`);
          await ensurePrivateDir(this.damagedFolder);
          await writeFileAtomic(aside, Buffer.concat(scan.damaged.flatMap((d) => [d, Buffer.from('\n')])));
          warnings.push(`Recovered ${lines.length} records from ${path}; ${what} kept aside in ${aside}.`);
        }
      }
      if (scan.needsRewrite && !readOnly) {
        const rebuilt = rebuildSegment(data, lines);
        await writeFileAtomic(path, rebuilt.data);
        lines = rebuilt.lines;
      }
      this.index.segmentLive.set(segment, 0);
      for (const { line, offset, length } of lines) {
        if (line.kind === 'request') {
          this.index.add({ summary: summarize(line.stored), segment, offset, length, dead: false });
        } else {
          this.index.remove(line.id);
        }
      }
      this.segment = segment;
      this.segmentLines = lines.length;
    }
    this.index.dropOldestBeyond(this.options.maxRequests);
    if (!readOnly) {
      await this.removeEmptySegments();
      if (this.segment === 0) await this.startSegment(1);
      else await this.startSegment(this.segment, this.segmentLines);
    }
    return warnings;
  }
}

async function readEntry(handle: FileHandle, entry: IndexEntry): Promise<CapturedRequest | null> {
  const buffer = Buffer.allocUnsafe(entry.length);
  const { bytesRead } = await handle.read(buffer, 0, entry.length, entry.offset);
  const line = parseLine(buffer.toString('utf8', 0, bytesRead));
  return line?.kind === 'request' ? fromStored(line.stored) : null;
}

function searchText(request: CapturedRequest): string {
  let text = request.url;
  for (const [name, value] of request.headers) text += `\n${name}: ${value}`;
  return `${text}\n${request.body.toString('utf8')}`.toLowerCase();
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written);
    written += bytesWritten;
  }
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** True when `dir` holds a request log (for commands that only read). */
export async function hasStore(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, 'requests'))).isDirectory();
  } catch {
    return false;
  }
}
