import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { CapturedRequest } from '../capture/capture.js';
import { parseLine, type LogLine } from './record-line.js';
import type { LineAt } from './notes.js';
import type { IndexEntry } from './request-index.js';
import { segmentName } from './segment-files.js';

/**
 * Reads stored requests by their index entries, keeping each segment file open once for as long
 * as the reader lives (a listing or a search reads many lines from few files). Close it after use.
 */
export class SegmentReader {
  private readonly handles = new Map<number, Promise<FileHandle | null>>();
  private windowBuffer = Buffer.alloc(0);

  constructor(private readonly folder: string) {}

  /** The request, or null when its file is gone (dropped by retention meanwhile) or its line is damaged. */
  async read(entry: IndexEntry): Promise<CapturedRequest | null> {
    const line = await this.line(entry);
    return line?.kind === 'request' ? line.request : null;
  }

  /** Any line, or null when its file is gone or it is damaged. */
  async line(at: LineAt): Promise<LogLine | null> {
    const file = await this.handle(at.segment);
    if (!file) return null;
    const buffer = Buffer.allocUnsafe(at.length);
    const { bytesRead } = await file.read(buffer, 0, at.length, at.offset);
    return parseLine(buffer, 0, bytesRead);
  }

  /**
   * The requests of `entries` (in file order), in batches: each file is read a window at a time
   * rather than a line at a time, and a batch ends where a read begins, so that a caller working
   * through thousands of requests lets others in between.
   */
  async *inOrder(entries: Iterable<LineAt>): AsyncGenerator<CapturedRequest[]> {
    let window: Window | null = null;
    let batch: CapturedRequest[] = [];
    for (const entry of entries) {
      if (!window || !covers(window, entry)) {
        if (batch.length) yield batch;
        batch = [];
        window = await this.readWindow(entry.segment, entry.offset, Math.max(WINDOW_BYTES, entry.length));
      }
      const at = entry.offset - window.start;
      if (at + entry.length > window.bytes.length) continue; // the file is shorter: gone meanwhile
      const line = parseLine(window.bytes, at, at + entry.length);
      if (line?.kind === 'request') batch.push(line.request);
    }
    if (batch.length) yield batch;
  }

  /** Reads into one buffer, reused from window to window (what a window holds is parsed before the next read). */
  private async readWindow(segment: number, start: number, size: number): Promise<Window> {
    const file = await this.handle(segment);
    if (!file) return { segment, start, bytes: Buffer.alloc(0), end: Infinity };
    if (this.windowBuffer.length < size) this.windowBuffer = Buffer.allocUnsafe(size);
    const { bytesRead } = await file.read(this.windowBuffer, 0, size, start);
    return { segment, start, bytes: this.windowBuffer.subarray(0, bytesRead), end: start + size };
  }

  private handle(segment: number): Promise<FileHandle | null> {
    let handle = this.handles.get(segment);
    if (!handle) {
      handle = open(join(this.folder, segmentName(segment)), 'r').catch(() => null);
      this.handles.set(segment, handle);
    }
    return handle;
  }

  async close(): Promise<void> {
    for (const handle of this.handles.values()) await (await handle)?.close();
    this.handles.clear();
  }
}

/** How much of a file `inOrder` reads at once: a few hundred requests, parsed in a millisecond or two. */
const WINDOW_BYTES = 256 * 1000;

interface Window {
  segment: number;
  start: number;
  bytes: Buffer;
  /** Where the window was asked to end (a file that is gone covers its whole segment). */
  end: number;
}

function covers(window: Window, entry: LineAt): boolean {
  return window.segment === entry.segment && entry.offset >= window.start && entry.offset + entry.length <= window.end;
}
