import { Command } from 'commander';
import { HookCatchError } from '../../errors.js';
import { dirOption } from '../args.js';
import { checkAgainst } from './check-against.js';
import { checkSchema } from './check-schema.js';

/**
 * `hook-catch check`: stored captures against a reference, offline, for CI: your spec (`--schema`,
 * check-schema.ts) and your fixtures (`--against`, payload drift: check-against.ts), or both.
 */
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
        process.exitCode = await check(ids, flags);
      } catch (error) {
        // Said in one line by the program's catch, with this command's own exit code: 1 is kept for a failed check.
        if (error instanceof HookCatchError) throw new HookCatchError(error.message, CHECK_ERROR);
        throw error;
      }
    });
}

/** A check that could not be made (no reference given, an unknown id, a spec or folder that cannot be used). */
const CHECK_ERROR = 2;

async function check(ids: string[], flags: { dir: string; schema?: string; against?: string; event?: string[]; json?: boolean }): Promise<number> {
  if (!flags.schema && !flags.against) {
    throw new HookCatchError('Give what to check against: hook-catch check --schema openapi.yaml (your spec), or --against test/fixtures (your fixtures).');
  }
  if (flags.schema && flags.against && flags.json) {
    throw new HookCatchError('--json prints one report: give --schema or --against, one at a time.');
  }
  let code = 0;
  if (flags.schema) {
    code = await checkSchema({ dir: flags.dir, schema: flags.schema, refs: ids, events: flags.event ?? [], json: flags.json }, process.stdout, process.stderr);
  }
  if (flags.against) {
    code = Math.max(code, await checkAgainst({ dir: flags.dir, against: flags.against, ids, json: flags.json }, process.stdout, process.stderr));
  }
  return code;
}
