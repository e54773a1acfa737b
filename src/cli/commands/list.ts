import { Command, Option } from 'commander';
import { DEFAULTS } from '../../defaults.js';
import { chalkFor, requestLine } from '../../terminal/reporter.js';
import { dirOption, wholeNumber } from '../args.js';
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

export function listCommand(): Command {
  return new Command('list')
    .description('list stored requests, newest first (works with or without a running instance)')
    .addOption(dirOption())
    .addOption(new Option('-n, --limit <n>', 'how many').default(DEFAULTS.pageSize).argParser(wholeNumber('--limit', 1)))
    .option('--before <id>', 'only requests older than this id (for paging)')
    .option('-m, --method <method>', 'only this method')
    .option('--path <prefix>', 'only paths starting with this')
    .option('-s, --search <text>', 'only requests whose URL, headers or body contain this text')
    .option('-e, --event <type...>', 'only these event types: a name, a family (issues takes issues.opened) or a pattern (*.succeeded)')
    .option('--drift', 'only captures whose body drifted from the earlier ones of their event type (a new, missing or retyped field)')
    .option('--json', 'print the page as JSON')
    .action(async (flags) => {
      const { dir, limit, before, method, path, search, event, drift, json } = flags;
      await listRequests({ dir, limit, before, method, path, q: search, event, drift, json }, process.stdout, process.stderr);
    });
}
