import { Command, type CommanderError } from 'commander';
import { HookCatchError } from '../../errors.js';
import { dirOption } from '../args.js';
import { DIFF_EXIT } from './diff-exit.js';

export function diffCommand(): Command {
  return new Command('diff')
    .description('show what differs between two captures: their bodies by JSON path (key order aside), with --headers their headers')
    .argument('<a>', 'a request id, its short id, "last" (the newest), or a fixture file (a path with a / or ending in .json)')
    .argument('<b>', 'the same, for the other side')
    .option('--headers', 'compare the headers too: names in any case, in any order, a repeated header as the list of its values')
    .option('--json', 'print the diff as JSON: each difference with its path, kind and both values')
    .addOption(dirOption())
    .addHelpText(
      'after',
      `
A JSON body is compared by its values: key order and spacing do not count; each difference is named
by its path (data.object.amount, items[2].sku, headers["x-request-id"]), and a value that changed type
says both (number 12 → string "12"). Arrays are compared item by item. A form is compared by its
fields, other text line by line, anything else byte for byte. A compressed body is compared as sent
before compression.

Exit status: 0 the same, 1 they differ, 2 an error (an unknown id, a file that is not a fixture).

Examples:
  $ hook-catch diff 7hz2kq last                 the retry against the first delivery
  $ hook-catch diff last test/fixtures/done.json --headers   the newest capture against a fixture
  $ hook-catch diff 7hz2kq last --json | jq '.body.changes[].path'`,
    )
    .exitOverride(usageErrorExit)
    .action(async (a: string, b: string, flags) => {
      try {
        const { diffCommandRun } = await import('./diff.js');
        process.exitCode = await diffCommandRun([a, b], { dir: flags.dir, headers: flags.headers, json: flags.json }, process.stdout);
      } catch (error) {
        // Said in one line by the program's catch, as every error is, with this command's own exit code.
        if (error instanceof HookCatchError) throw new HookCatchError(error.message, DIFF_EXIT.error);
        throw error;
      }
    });
}

/** A usage error (a missing operand, an unknown flag) exits 2 too, after commander has said it in one line; help and version exit 0. */
function usageErrorExit(error: CommanderError): never {
  process.exit(error.exitCode === 0 ? 0 : DIFF_EXIT.error);
}
