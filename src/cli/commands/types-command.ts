import { Command, Option } from 'commander';
import { TYPE_LANGS } from '../../payload-types/langs.js';
import { dirOption, sinceDuration } from '../args.js';

export function typesCommand(): Command {
  return new Command('types')
    .description('infer one payload type per event type from every matching stored capture, as TypeScript, zod or JSON Schema')
    .option('-e, --event <type...>', 'only these event types: a name, a family (issues takes issues.opened) or a pattern (*.succeeded)')
    .option('--job <id...>', "only these jobs' deliveries")
    .addOption(
      new Option('--since <duration|time>', 'only captures from the last 30m, 2h, 7d …, or since a time (2026-05-01T09:00:00Z)').argParser(sinceDuration),
    )
    .addOption(new Option('--lang <lang>', 'what to write').choices(TYPE_LANGS).default('ts'))
    .option('-o, --out <file>', 'write to this file (else to stdout)')
    .addOption(dirOption())
    .action(async (flags) => {
      const { typesCommandRun } = await import('./types.js');
      await typesCommandRun(
        { dir: flags.dir, event: flags.event, job: flags.job, sinceMs: flags.since, lang: flags.lang, out: flags.out },
        process.stdout,
        process.stderr,
      );
    });
}
