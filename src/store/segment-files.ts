import { closeSync, fdatasync, fstatSync, ftruncateSync, openSync, readdirSync, unlinkSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_MODE } from './files.js';

const SEGMENT_NAME = /^(\d{8})\.jsonl$/;

export function segmentName(segment: number): string {
  return `${String(segment).padStart(8, '0')}.jsonl`;
}

/**
 * The segment numbers in `folder`, oldest first. Synchronous, so that `clear()` lists and removes
 * files with no turn of the event loop in between, in which a write could land in a file it removes.
 */
export function listSegments(folder: string): number[] {
  let names: string[];
  try {
    names = readdirSync(folder);
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

/**
 * The segment being appended to. Writes are synchronous: a batch of lines is one `writev` into the
 * page cache (tens of microseconds), which costs the event loop less than a round trip through the
 * thread pool would. Only the optional disk sync goes to the thread pool.
 */
export class SegmentWriter {
  private fd: number | null = null;
  segment = 0;
  lines = 0;
  size = 0;

  constructor(private readonly folder: string) {}

  get isOpen(): boolean {
    return this.fd !== null;
  }

  /** Continues `segment` (which already holds `lines` lines), or starts it. */
  open(segment: number, lines = 0): void {
    const fd = openSync(join(this.folder, segmentName(segment)), 'a', FILE_MODE);
    this.close();
    this.fd = fd;
    this.segment = segment;
    this.lines = lines;
    this.size = fstatSync(fd).size;
  }

  /** Appends whole lines (`count` of them, in `lines`' parts); returns the offset of the first. On failure, nothing half-written stays. */
  write(lines: Buffer[], count = lines.length): number {
    const start = this.size;
    try {
      let total = 0;
      for (const line of lines) total += line.length;
      let written = writevSync(this.fd!, lines);
      while (written < total) written += writevSync(this.fd!, remainder(lines, written));
    } catch (error) {
      this.cutBack(start);
      throw error;
    }
    for (const line of lines) this.size += line.length;
    this.lines += count;
    return start;
  }

  datasync(done: (error: NodeJS.ErrnoException | null) => void): void {
    fdatasync(this.fd!, done);
  }

  remove(segment: number): void {
    try {
      unlinkSync(join(this.folder, segmentName(segment)));
    } catch {
      // Already gone: nothing to free.
    }
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  private cutBack(size: number): void {
    try {
      ftruncateSync(this.fd!, size);
    } catch {
      this.close();
    }
  }
}

function remainder(lines: Buffer[], skip: number): Buffer[] {
  const out: Buffer[] = [];
  for (const line of lines) {
    if (skip >= line.length) {
      skip -= line.length;
      continue;
    }
    out.push(skip > 0 ? line.subarray(skip) : line);
    skip = 0;
  }
  return out;
}
