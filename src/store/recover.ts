import { appendFile, open, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { IndexLine } from './record-line.js';
import { ensurePrivateDir, writeFileAtomic } from './files.js';
import { listSegments, segmentName } from './segment-files.js';
import { scanChunk, scanSegment, type DamagedLine } from './segment-scan.js';

export interface RecoverOptions {
  folder: string;
  damagedFolder: string;
  /** Change no file: skip damage instead of mending it (for readers beside a running writer). */
  readOnly: boolean;
}

export type OnLine = (segment: number, line: IndexLine, offset: number, length: number) => void;

/**
 * Reads every segment, oldest first, handing each valid line to `onLine`. Damaged lines are copied
 * to `damagedFolder` and mended in place without moving any valid line: a torn last line is cut
 * off, one in the middle is blanked with spaces. Nothing valid is lost, and the next start is
 * clean. Returns one warning per segment that needed mending.
 */
export async function readSegments(options: RecoverOptions, onSegment: (segment: number) => void, onLine: OnLine): Promise<string[]> {
  const { folder, damagedFolder, readOnly } = options;
  const warnings: string[] = [];
  const segments = listSegments(folder);
  const chunk = scanChunk();
  for (const segment of segments) {
    const path = join(folder, segmentName(segment));
    let valid = 0;
    onSegment(segment);
    const scan = await scanSegment(
      path,
      (line, offset, length) => {
        valid++;
        onLine(segment, line, offset, length);
      },
      chunk,
    );
    const { damaged } = scan;
    // A reader may catch the writer in the middle of a line: that is not damage.
    const writerAtWork = readOnly && segment === segments[segments.length - 1] && scan.tornTail && damaged.length === 1;
    if (damaged.length && !writerAtWork) {
      const bytes = damaged.reduce((n, d) => n + d.bytes.length, 0);
      const what = `${damaged.length} damaged line${damaged.length === 1 ? '' : 's'} (${bytes} bytes)`;
      if (readOnly) {
        warnings.push(`${path}: skipped ${what}; \`hook-catch start\` recovers the file and keeps them aside.`);
      } else {
        const aside = join(damagedFolder, `${segmentName(segment).replace('.jsonl', '')}-${stamp()}.jsonl`);
        await ensurePrivateDir(damagedFolder);
        await writeFileAtomic(aside, Buffer.concat(damaged.flatMap((d) => [d.bytes, Buffer.from('\n')])));
        await mend(path, damaged, scan.tornTail);
        warnings.push(`Recovered ${valid} records from ${path}; ${what} kept aside in ${aside}.`);
      }
    }
    if (scan.missingNewline && !readOnly) await appendFile(path, '\n');
  }
  return warnings;
}

async function mend(path: string, damaged: DamagedLine[], tornTail: boolean): Promise<void> {
  const inPlace = tornTail ? damaged.slice(0, -1) : damaged;
  if (inPlace.length) {
    const handle = await open(path, 'r+');
    try {
      for (const d of inPlace) await handle.write(Buffer.alloc(d.bytes.length, ' '), 0, d.bytes.length, d.offset);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
  if (tornTail) await truncate(path, damaged[damaged.length - 1]!.offset);
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}
