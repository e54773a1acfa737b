import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { HookCatchError } from '../../errors.js';
import { exportWithReport } from '../../fixtures/export.js';
import { writeScenarios } from '../../scenario/write.js';
import { inClearNote } from '../../fixtures/redact.js';
import { selectRequests, type Selection } from '../../fixtures/select.js';
import { readJobsOffline } from '../../jobs/offline.js';
import { dirOption, duration, wholeNumber } from '../args.js';
import { writeWarnings } from '../output.js';
import { addFixtureFlags, redactList } from '../fixture-flags.js';
import { runningOn } from '../instance-or-store.js';

export interface ExportCommandOptions extends Selection {
  dir: string;
  out: string;
  redact: string[];
  format: 'fixture' | 'har';
  json?: boolean;
}

/** `hook-catch export … --out DIR`: stored requests as fixture files (or one HAR file); returns the paths. */
export async function exportCommandRun(options: ExportCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<string[]> {
  const { registry, log, warnings } = await readJobsOffline(options.dir);
  writeWarnings(stderr, warnings);
  const requests = await selectRequests(log, (id) => registry.matchOf(id), options);
  if (requests.length === 0) throw new HookCatchError('No stored request matches; nothing exported. `hook-catch list` shows what is stored.');
  const instance = (await runningOn(options.dir))?.instance;
  const { files, redacted, inClear } = await exportWithReport(requests, options.out, {
    format: options.format,
    redact: options.redact,
    matchOf: (id) => registry.matchOf(id),
    baseUrl: instance?.publicUrl ?? instance?.receiverUrl,
  });
  if (options.json) stdout.write(JSON.stringify({ files, count: requests.length }, null, 2) + '\n');
  else for (const file of files) stdout.write(file + '\n');
  const what =
    options.format === 'har'
      ? `${requests.length} request${requests.length === 1 ? '' : 's'} in one HAR file`
      : `${files.length} fixture${files.length === 1 ? '' : 's'}`;
  stderr.write(`hook-catch: exported ${what} to ${resolve(options.out)}${redacted.length ? ` (blanked: ${redacted.join(', ')})` : ''}\n`);
  if (inClear.length) stderr.write(`hook-catch: ${inClearNote(inClear)}\n`);
  return files;
}

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

export interface ScenarioCommandOptions {
  dir: string;
  out: string;
  jobs: string[];
  redact: string[];
  keep: string[];
  keepBodies?: boolean;
  json?: boolean;
}

/** `hook-catch export --scenario [--job ID…] --out DIR`: one scenario file per job; returns the paths. */
export async function scenarioCommandRun(options: ScenarioCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<string[]> {
  const { registry, log, warnings } = await readJobsOffline(options.dir);
  writeWarnings(stderr, warnings);
  const { files, redacted } = await writeScenarios(registry, log, options.out, {
    jobs: options.jobs,
    redact: options.redact,
    keep: options.keep,
    maxBodyBytes: options.keepBodies ? Number.POSITIVE_INFINITY : undefined,
  });
  if (options.json) stdout.write(`${JSON.stringify({ files, count: files.length, redacted }, null, 2)}\n`);
  else for (const file of files) stdout.write(`${file}\n`);
  const note = redacted.length ? ` (redacted: ${redacted.join(', ')}; hook-catch mock signs webhooks again when given the secret)` : '';
  stderr.write(`hook-catch: exported ${files.length} scenario${files.length === 1 ? '' : 's'} to ${resolve(options.out)}${note}\n`);
  return files;
}
