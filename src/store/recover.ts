import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from './files.js';
import { listSegments, segmentName } from './segment-files.js';
import { rebuildSegment, scanSegment, type ScannedLine } from './segment-scan.js';

export interface RecoverOptions {
  folder: string;
  damagedFolder: string;
  /** Change no file: skip damage instead of mending it (for readers beside a running writer). */
  readOnly: boolean;
}

/**
 * Reads every segment, oldest first, handing its valid lines to `onSegment`. A damaged or torn line
 * is kept aside in `damagedFolder` and the segment rewritten without it, so nothing valid is lost
 * and the next start is clean. Returns one warning per segment that needed it.
 */
export async function readSegments(
  options: RecoverOptions,
  onSegment: (segment: number, lines: ScannedLine[]) => void,
): Promise<string[]> {
  const { folder, damagedFolder, readOnly } = options;
  const warnings: string[] = [];
  const segments = await listSegments(folder);
  for (const segment of segments) {
    const path = join(folder, segmentName(segment));
    const scan = await scanSegment(path);
    let lines = scan.lines;
    // A reader may catch the writer in the middle of a line: that is not damage.
    const writerAtWork = readOnly && segment === segments[segments.length - 1] && scan.tornTailOnly;
    if (scan.damaged.length && !writerAtWork) {
      const bytes = scan.damaged.reduce((n, d) => n + d.length, 0);
      const what = `${scan.damaged.length} damaged line${scan.damaged.length === 1 ? '' : 's'} (${bytes} bytes)`;
      if (readOnly) {
        warnings.push(`${path}: skipped ${what}; \`hook-catch start\` recovers the file and keeps them aside.`);
      } else {
        const aside = join(damagedFolder, `${segmentName(segment).replace('.jsonl', '')}-${stamp()}.jsonl`);
        await ensurePrivateDir(damagedFolder);
        await writeFileAtomic(aside, Buffer.concat(scan.damaged.flatMap((d) => [d, Buffer.from('\n')])));
        warnings.push(`Recovered ${lines.length} records from ${path}; ${what} kept aside in ${aside}.`);
      }
    }
    if (scan.needsRewrite && !readOnly) {
      const rebuilt = rebuildSegment(await readFile(path), lines);
      await writeFileAtomic(path, rebuilt.data);
      lines = rebuilt.lines;
    }
    onSegment(segment, lines);
  }
  return warnings;
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}
