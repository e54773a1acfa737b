import { parseLine, type LogLine } from './record-line.js';

export interface ScannedLine {
  offset: number;
  /** Bytes of the line without its newline. */
  length: number;
  line: LogLine;
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

/** Splits a segment file into its records, keeping every line that does not parse aside. */
export function scanSegment(data: Buffer): SegmentScan {
  const lines: ScannedLine[] = [];
  const damaged: Buffer[] = [];
  let tornTail = false;
  let needsRewrite = false;
  let start = 0;
  while (start < data.length) {
    let end = data.indexOf(NEWLINE, start);
    const last = end === -1;
    if (last) end = data.length;
    if (end > start) {
      const line = parseLine(data.toString('utf8', start, end));
      if (line) {
        lines.push({ offset: start, length: end - start, line });
        if (last) needsRewrite = true;
      } else {
        damaged.push(data.subarray(start, end));
        needsRewrite = true;
        if (last) tornTail = true;
      }
    }
    start = end + 1;
  }
  return { lines, damaged, tornTailOnly: tornTail && damaged.length === 1, needsRewrite };
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
