import { Command } from 'commander';
import { HookCatchError } from '../../errors.js';
import { dirOption } from '../args.js';

/** A check that could not be made (no reference given, an unknown id, a spec or folder that cannot be used). */
const CHECK_ERROR = 2;

/** `hook-catch check` (check.ts does it): stored captures against your spec or your fixtures, offline, for CI. */
export function checkCommand(): Command {
  return new Command('check')
    .description("check stored webhooks' bodies against your spec (--schema) or your fixtures (--against), offline; for CI")
    .argument('[ids...]', 'request ids, short ids or "last" (default: every stored webhook)')
    .option(
      '--schema <file>',
      'the spec: an OpenAPI 3.1 file with webhooks, a JSON Schema, a folder of them per event type, or hook-catch types output (JSON or YAML)',
    )
    .option('--against <path>', 'a folder of hook-catch/fixture@1 files (or one file): new, missing or retyped fields against the fixtures of each event type')
    .option('-e, --event <type...>', 'with --schema: only these event types: a name, a family (issues takes issues.opened) or a pattern (*.succeeded)')
    .option('--json', 'print the verdicts as JSON')
    .addOption(dirOption())
    .addHelpText(
      'after',
      '\nExit status: 0 every webhook checked is valid and none drifts from the fixtures (unchecked ones, with no schema for their event type, do not fail), 1 one is invalid or drifts, 2 an error (no reference given, an id not stored, a spec or folder that cannot be used).',
    )
    .action(async (ids: string[], flags) => {
      try {
        const { check } = await import('./check.js');
        process.exitCode = await check(ids, flags);
      } catch (error) {
        // Said in one line by the program's catch, with this command's own exit code: 1 is kept for a failed check.
        if (error instanceof HookCatchError) throw new HookCatchError(error.message, CHECK_ERROR);
        throw error;
      }
    });
}
