import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { CapturedRequest } from '../capture/capture.js';
import { mustHaveStore } from './files.js';
import { parseIndexLine, parseLine } from './record-line.js';
import { listSegments, segmentName } from './segment-files.js';
import { blank } from './segment-scan.js';

const NEWLINE = 0x0a;
/** How much of a file is read at once, backwards; doubled for a line longer than that. */
const WINDOW_BYTES = 64 * 1024;

/** The newest request stored in `<dir>` as its line holds it (see newestRequest), read from the end; null when none is. */
export async function readNewest(dir: string): Promise<CapturedRequest | null> {
  await mustHaveStore(dir);
  return newestRequest(join(dir, 'requests'));
}

/**
 * The newest stored request in the segment files of `folder`, read from their end backwards: the
 * request `RequestLog.get('last')` reads, found without reading (and indexing) every line as opening
 * the log does. Lines are judged as opening the log judges them (a damaged line is skipped, a
 * deleted request is passed over); null when no request is stored. The request is as its line
 * holds it: what later lines add (the status its forward got, schema and drift marks) is not laid
 * over it, so this is for its bytes (`show last --body`).
 */
export async function newestRequest(folder: string): Promise<CapturedRequest | null> {
  const deleted = new Set<string>();
  for (const segment of listSegments(folder).reverse()) {
    const handle = await open(join(folder, segmentName(segment)), 'r').catch(() => null); // dropped by retention meanwhile
    if (!handle) continue;
    try {
      const found = await newestIn(handle, deleted);
      if (found) return found.request;
    } finally {
      await handle.close();
    }
  }
  return null;
}

/**
 * The newest live request of one file, its lines looked at from the last to the first; the ids of
 * the tombstones passed on the way are added to `deleted` (a tombstone always comes after the line
 * it deletes). `request` is null when the newest live line cannot be read whole, as `get` finds it.
 */
async function newestIn(handle: FileHandle, deleted: Set<string>): Promise<{ request: CapturedRequest | null } | null> {
  let end = (await handle.stat()).size;
  let size = WINDOW_BYTES;
  while (end > 0) {
    const start = Math.max(0, end - size);
    const window = Buffer.allocUnsafe(end - start);
    // Less than asked when the file was cut short meanwhile (a torn last line mended): what is there.
    const { bytesRead } = await handle.read(window, 0, window.length, start);
    const buffer = window.subarray(0, bytesRead);
    // Each line wholly in the window, last first; the first one may begin before the window.
    let lineEnd = buffer.length;
    for (;;) {
      const newline = lineEnd > 0 ? buffer.lastIndexOf(NEWLINE, lineEnd - 1) : -1;
      if (newline === -1 && start > 0) break;
      const found = lookAt(buffer, newline + 1, lineEnd, deleted);
      if (found) return found;
      if (newline === -1) return null;
      lineEnd = newline;
    }
    if (lineEnd === buffer.length) size *= 2; // not one whole line in the window: a longer one
    end = start + lineEnd;
  }
  return null;
}

/** A line as opening the log reads it (segment-scan.ts): the request when it is a live one. */
function lookAt(buffer: Buffer, start: number, end: number, deleted: Set<string>): { request: CapturedRequest | null } | null {
  if (end <= start || blank(buffer, start, end)) return null;
  const line = parseIndexLine(buffer, start, end);
  if (line?.kind === 'deleted') deleted.add(line.id);
  if (line?.kind !== 'request' || deleted.has(line.summary.id)) return null;
  const whole = parseLine(buffer, start, end);
  return { request: whole?.kind === 'request' ? whole.request : null };
}
