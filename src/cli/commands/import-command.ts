import { Command, Option } from 'commander';
import { DEFAULTS } from '../../defaults.js';
import { dirOption, size } from '../args.js';

export function importCommand(): Command {
  return new Command('import')
    .description('put fixtures (a file, or every *.json in a folder) back into the store, as new captures')
    .argument('<path>', 'a fixture file or a folder of them')
    .option('--json', 'print the new ids (and the files refused) as JSON')
    .addOption(
      new Option('--max-body <size>', 'largest body imported when no hook-catch is running (a running one applies its own --max-body)')
        .default(DEFAULTS.maxBody, '10mb')
        .argParser(size),
    )
    .addOption(dirOption())
    .action(async (path: string, flags) => {
      const { importCommandRun } = await import('./import.js');
      const { refused } = await importCommandRun(path, { dir: flags.dir, json: flags.json, maxBody: flags.maxBody }, process.stdout, process.stderr);
      if (refused.length) process.exitCode = 1;
    });
}
