import { chalkFor } from '../../terminal/color.js';
import { requestLine } from '../../terminal/request-line.js';
import { writeWarnings } from '../output.js';
import { openForReading } from '../../store/open-readonly.js';
import type { RequestQuery } from '../../store/request-log.js';

export interface ListOptions extends RequestQuery {
  dir: string;
  json?: boolean;
}

/** `hook-catch list`: stored requests, newest first, straight from the store. */
export async function listRequests(options: ListOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream) {
  const { log, warnings } = await openForReading(options.dir);
  writeWarnings(stderr, warnings);
  const page = await log.list(options);
  if (options.json) {
    stdout.write(JSON.stringify(page, null, 2) + '\n');
    return;
  }
  const c = chalkFor(stdout);
  if (page.items.length === 0) {
    stderr.write(page.total === 0 ? `No requests stored in ${options.dir} yet.\n` : 'No stored request matches.\n');
    return;
  }
  for (const item of page.items) stdout.write(requestLine(item, c, true) + '\n');
  const more = page.nextBefore ? `; older ones: --before ${page.nextBefore}` : '';
  stderr.write(c.dim(`${page.items.length} shown of ${page.total} stored${more}\n`));
}
