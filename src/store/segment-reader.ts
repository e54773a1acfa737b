import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { CapturedRequest } from '../receiver/capture.js';
import { fromStored, parseLine } from './record-line.js';
import type { IndexEntry } from './request-index.js';
import { segmentName } from './segment-files.js';

/**
 * Reads stored requests by their index entries, keeping each segment file open once for as long
 * as the reader lives (a listing or a search reads many lines from few files). Close it after use.
 */
export class SegmentReader {
  private readonly handles = new Map<number, Promise<FileHandle | null>>();

  constructor(private readonly folder: string) {}

  /** The request, or null when its file is gone (dropped by retention meanwhile) or its line is damaged. */
  async read(entry: IndexEntry): Promise<CapturedRequest | null> {
    let handle = this.handles.get(entry.segment);
    if (!handle) {
      handle = open(join(this.folder, segmentName(entry.segment)), 'r').catch(() => null);
      this.handles.set(entry.segment, handle);
    }
    const file = await handle;
    if (!file) return null;
    const buffer = Buffer.allocUnsafe(entry.length);
    const { bytesRead } = await file.read(buffer, 0, entry.length, entry.offset);
    const line = parseLine(buffer.toString('utf8', 0, bytesRead));
    return line?.kind === 'request' ? fromStored(line.stored) : null;
  }

  async close(): Promise<void> {
    for (const handle of this.handles.values()) await (await handle)?.close();
    this.handles.clear();
  }
}
