import { open } from 'node:fs/promises';
import { parseIndexLine, type IndexLine } from './record-line.js';

export interface DamagedLine {
  offset: number;
  bytes: Buffer;
}

export interface SegmentScan {
  /** Lines that are not whole records, as they were found. */
  damaged: DamagedLine[];
  /** True when the last line is damaged (a write cut short, in the common case). */
  tornTail: boolean;
  /** True when the last line is whole but has no newline after it. */
  missingNewline: boolean;
  size: number;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const CHUNK = 1024 * 1024;

/** A buffer scanSegment reads into: one serves every file of a store, read one after another. */
export function scanChunk(): Buffer {
  return Buffer.allocUnsafe(CHUNK);
}

/**
 * Reads a segment file line by line, handing each whole record to `onLine` with where it is, and
 * noting every line that does not parse. The file is read a chunk at a time into one reused
 * buffer, so reading 50,000 requests holds none of them. Lines of spaces are blanked damage.
 * `chunk`: the buffer to read into (see scanChunk).
 */
export async function scanSegment(
  path: string,
  onLine: (line: IndexLine, offset: number, length: number) => void,
  chunk: Buffer = scanChunk(),
): Promise<SegmentScan> {
  const damaged: DamagedLine[] = [];
  let tornTail = false;
  let missingNewline = false;
  const handle = await open(path, 'r');
  let base = 0; // file offset of buffer[0]
  try {
    let buffer = chunk;
    let filled = 0;
    let eof = false;
    while (!eof || filled > 0) {
      if (!eof) {
        if (filled === buffer.length) buffer = grow(buffer);
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, base + filled);
        filled += bytesRead;
        eof = bytesRead === 0;
      }
      let start = 0;
      while (start < filled) {
        let end = buffer.indexOf(NEWLINE, start);
        if (end === -1 || end >= filled) {
          if (!eof) break; // the rest of this line is still to be read
          end = filled;
        }
        const last = eof && end === filled;
        if (end > start && !blank(buffer, start, end)) {
          const line = parseIndexLine(buffer, start, end);
          if (line) {
            onLine(line, base + start, end - start);
            if (last) missingNewline = true;
          } else {
            damaged.push({ offset: base + start, bytes: Buffer.from(buffer.subarray(start, end)) });
            if (last) tornTail = true;
          }
        }
        start = end + 1;
      }
      start = Math.min(start, filled);
      buffer.copy(buffer, 0, start, filled);
      filled -= start;
      base += start;
    }
  } finally {
    await handle.close();
  }
  return { damaged, tornTail, missingNewline, size: base };
}

/** A line of spaces: damage blanked when the file was mended. */
export function blank(buffer: Buffer, start: number, end: number): boolean {
  if (buffer[start] !== SPACE) return false;
  for (let i = start + 1; i < end; i++) if (buffer[i] !== SPACE) return false;
  return true;
}

function grow(buffer: Buffer): Buffer {
  const bigger = Buffer.allocUnsafe(buffer.length * 2);
  buffer.copy(bigger);
  return bigger;
}
