import { open } from 'node:fs/promises';
import { parseIndexLine, type IndexLine } from './record-line.js';

export interface ScannedLine {
  offset: number;
  /** Bytes of the line without its newline. */
  length: number;
  line: IndexLine;
}

export interface SegmentScan {
  lines: ScannedLine[];
  /** Lines that are not whole records, as they were found. */
  damaged: Buffer[];
  /** True when the only damage is an unfinished last line (a write cut short). */
  tornTailOnly: boolean;
  /** True when the valid lines are not laid out as a clean file would be (damage, or no final newline). */
  needsRewrite: boolean;
}

const NEWLINE = 0x0a;
const CHUNK = 1024 * 1024;

/**
 * Splits a segment file into its records, keeping every line that does not parse aside. The file is
 * read a chunk at a time into one reused buffer, so reading 50,000 requests does not hold them all.
 */
export async function scanSegment(path: string): Promise<SegmentScan> {
  const lines: ScannedLine[] = [];
  const damaged: Buffer[] = [];
  let tornTail = false;
  let needsRewrite = false;
  const handle = await open(path, 'r');
  try {
    let buffer: Buffer = Buffer.allocUnsafe(CHUNK);
    let filled = 0; // bytes in buffer
    let base = 0; // file offset of buffer[0]
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
        if (end > start) {
          const line = parseIndexLine(buffer, start, end);
          if (line) {
            lines.push({ offset: base + start, length: end - start, line });
            if (last) needsRewrite = true;
          } else {
            damaged.push(Buffer.from(buffer.subarray(start, end)));
            needsRewrite = true;
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
  return { lines, damaged, tornTailOnly: tornTail && damaged.length === 1, needsRewrite };
}

function grow(buffer: Buffer): Buffer {
  const bigger = Buffer.allocUnsafe(buffer.length * 2);
  buffer.copy(bigger);
  return bigger;
}

/** The valid lines laid out again as a clean segment, with their new offsets. */
export function rebuildSegment(data: Buffer, lines: ScannedLine[]): { data: Buffer; lines: ScannedLine[] } {
  const parts: Buffer[] = [];
  const moved: ScannedLine[] = [];
  let offset = 0;
  for (const l of lines) {
    parts.push(data.subarray(l.offset, l.offset + l.length), Buffer.from('\n'));
    moved.push({ ...l, offset });
    offset += l.length + 1;
  }
  return { data: Buffer.concat(parts, offset), lines: moved };
}
