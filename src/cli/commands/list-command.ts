import { Command, Option } from 'commander';
import { DEFAULTS } from '../../defaults.js';
import { dirOption, wholeNumber } from '../args.js';

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
      const { listRequests } = await import('./list.js');
      const { dir, limit, before, method, path, search, event, drift, json } = flags;
      await listRequests({ dir, limit, before, method, path, q: search, event, drift, json }, process.stdout, process.stderr);
    });
}
