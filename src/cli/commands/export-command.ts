import { Command, Option } from 'commander';
import { HookCatchError } from '../../errors.js';
import { dirOption, duration, wholeNumber } from '../args.js';
import { addFixtureFlags, redactList } from '../fixture-flags.js';

export function exportCommand(): Command {
  const command = new Command('export')
    .description(
      'write stored requests as fixture files (hook-catch/fixture@1 JSON, one per request) or one HAR file; with --scenario, one hook-catch/scenario@1 file per job recorded through the provider port',
    )
    .argument('[ids...]', 'request ids, short ids or "last" (default: every stored request the filters leave)')
    .requiredOption('-o, --out <dir>', 'the folder to write into (created if needed)')
    .option('--job <id>', "only this job's deliveries (repeatable); with --scenario, the jobs to write", (v: string, p: string[] = []) => [...p, v])
    .addOption(new Option('--last <n>', 'only the newest n').argParser(wholeNumber('--last', 1)))
    .addOption(new Option('--since <duration>', 'only those from the last 10m, 2h, 1d …').argParser(duration))
    .option('-s, --search <text>', 'only those whose URL, headers or body contain this')
    .option('-e, --event <type...>', 'only these event types: a name, a family (issues takes issues.opened) or a pattern (*.succeeded)')
    .option('--json', 'print the files written as JSON')
    .addOption(dirOption())
    .optionsGroup('Scenarios (the provider double: hook-catch mock plays them back):')
    .option('--scenario', 'one scenario file per job: submit, status calls and webhooks with their answers and times (credentials redacted)')
    .option(
      '--keep <names>',
      'with --scenario: keep these header or query values in clear though they are redacted by default, comma-separated',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--keep-bodies', 'with --scenario: keep large request bodies (uploads) as bytes, not as size and hash');
  return addFixtureFlags(command).action(async (ids: string[], flags) => {
    const { exportCommandRun, scenarioCommandRun } = await import('./export.js');
    if (flags.scenario) {
      if (ids.length) throw new HookCatchError(`export --scenario writes whole jobs: name them with --job <job id>, not as request ids ("${ids[0]}").`);
      if (flags.format === 'har') throw new HookCatchError('export --scenario writes scenario files; --format har is for requests. Use one or the other.');
      await scenarioCommandRun(
        {
          dir: flags.dir,
          out: flags.out,
          jobs: flags.job ?? [],
          redact: redactList(flags),
          keep: redactList({ redact: flags.keep }),
          keepBodies: flags.keepBodies,
          json: flags.json,
        },
        process.stdout,
        process.stderr,
      );
      return;
    }
    await exportCommandRun(
      {
        dir: flags.dir,
        out: flags.out,
        ids,
        job: flags.job,
        last: flags.last,
        sinceMs: flags.since,
        search: flags.search,
        event: flags.event,
        redact: redactList(flags),
        format: flags.format,
        json: flags.json,
      },
      process.stdout,
      process.stderr,
    );
  });
}
