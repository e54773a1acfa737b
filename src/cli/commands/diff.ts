import { Command, type CommanderError } from 'commander';
import { HookCatchError } from '../../errors.js';
import { diffCaptures, type Comparable } from '../../diff/captures.js';
import { fixtureRequest, loadFixture } from '../../fixtures/fixture.js';
import { openForReading } from '../../store/open-readonly.js';
import type { RequestLog } from '../../store/request-log.js';
import { chalkFor } from '../../terminal/reporter.js';
import { dirOption } from '../args.js';
import { describeDiff } from './diff-report.js';

/** As diff(1): 0 the same, 1 they differ, 2 the diff could not be made (so that a script never takes an error for a difference). */
export const DIFF_EXIT = { same: 0, differ: 1, error: 2 } as const;

export interface DiffCommandOptions {
  dir: string;
  headers?: boolean;
  json?: boolean;
}

/** `hook-catch diff <a> <b>`: what differs between two captures (or fixture files); returns the exit code. */
export async function diffCommandRun(refs: [string, string], options: DiffCommandOptions, stdout: NodeJS.WritableStream): Promise<number> {
  const [a, b] = await operands(refs, options.dir);
  const diff = diffCaptures(a, b, { headers: options.headers });
  stdout.write(options.json ? JSON.stringify(diff, null, 2) + '\n' : describeDiff(diff, chalkFor(stdout)));
  return diff.equal ? DIFF_EXIT.same : DIFF_EXIT.differ;
}

/** An operand that names a file (it holds a / or ends in .json) rather than a stored request. */
export const isFilePath = (ref: string) => /[\\/]/.test(ref) || ref.toLowerCase().endsWith('.json');

/**
 * Each operand as a capture: a fixture file read and checked, or a stored request read from the
 * store (beside a running instance or not, as `show` reads it; the store is opened once, if at all).
 */
async function operands(refs: [string, string], dir: string): Promise<[Comparable, Comparable]> {
  let log: RequestLog | null = null;
  const read = async (ref: string): Promise<Comparable> => {
    if (isFilePath(ref)) return { ...fixtureRequest(await loadFixture(ref)), file: ref };
    log ??= (await openForReading(dir)).log;
    const request = await log.get(ref);
    if (!request) {
      throw new HookCatchError(
        `No stored request matches "${ref}" in ${dir}. \`hook-catch list\` shows what is stored; a fixture file is named by a path with a / or ending in .json.`,
      );
    }
    return request;
  };
  return [await read(refs[0]), await read(refs[1])];
}

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
