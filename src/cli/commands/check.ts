import { Command } from 'commander';
import { HookCatchError } from '../../errors.js';
import { dirOption } from '../args.js';
import { checkSchema } from './check-schema.js';

export function checkCommand(): Command {
  return new Command('check')
    .description("check stored webhooks' bodies against your spec, offline (for CI: exit 1 when one is invalid)")
    .argument('[ids...]', 'request ids, short ids or "last" (default: every stored webhook)')
    .option(
      '--schema <file>',
      'the spec: an OpenAPI 3.1 file with webhooks, a JSON Schema, a folder of them per event type, or hook-catch types output (JSON or YAML)',
    )
    .option('-e, --event <type...>', 'only these event types: a name, a family (issues takes issues.opened) or a pattern (*.succeeded)')
    .option('--json', 'print the verdicts as JSON')
    .addOption(dirOption())
    .addHelpText(
      'after',
      '\nExit status: 0 every webhook checked is valid (unchecked ones, with no schema for their event type, do not fail), 1 one is invalid or an error.',
    )
    .action(async (ids: string[], flags) => {
      if (!flags.schema)
        throw new HookCatchError('Give the spec to check against: hook-catch check --schema openapi.yaml (or a JSON Schema, or a folder of them).');
      process.exitCode = await checkSchema(
        { dir: flags.dir, schema: flags.schema, refs: ids, events: flags.event ?? [], json: flags.json },
        process.stdout,
        process.stderr,
      );
    });
}
