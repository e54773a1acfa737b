import { Command } from 'commander';
import { dirOption } from '../args.js';
import { checkAgainst } from './check-against.js';

/** `hook-catch check`: stored captures compared with a reference (the logic is in check-against.ts). */
export function checkCommand(): Command {
  return new Command('check')
    .description('compare stored captures with a fixture set: new, missing or retyped fields (payload drift)')
    .argument('[ids...]', 'the captures to check (ids, short ids, "last"); default: every stored one')
    .requiredOption('--against <path>', 'a folder of hook-catch/fixture@1 files (or one file): the fixtures of each event type are the reference')
    .option('--json', 'print the report as JSON')
    .addOption(dirOption())
    .addHelpText('after', '\nExit status: 0 no capture drifts from the fixtures, 1 one does (or an error).')
    .action(async (ids: string[], flags) => {
      process.exitCode = await checkAgainst({ dir: flags.dir, against: flags.against, ids, json: flags.json }, process.stdout, process.stderr);
    });
}
