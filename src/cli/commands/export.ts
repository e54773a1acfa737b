import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { HookCatchError } from '../../errors.js';
import { exportWithReport } from '../../fixtures/export.js';
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
    .description('write stored requests as fixture files (hook-catch/fixture@1 JSON, one per request) or one HAR file')
    .argument('[ids...]', 'request ids, short ids or "last" (default: every stored request the filters leave)')
    .requiredOption('-o, --out <dir>', 'the folder to write into (created if needed)')
    .option('--job <id>', "only this job's deliveries")
    .addOption(new Option('--last <n>', 'only the newest n').argParser(wholeNumber('--last', 1)))
    .addOption(new Option('--since <duration>', 'only those from the last 10m, 2h, 1d …').argParser(duration))
    .option('-s, --search <text>', 'only those whose URL, headers or body contain this')
    .option('--json', 'print the files written as JSON')
    .addOption(dirOption());
  return addFixtureFlags(command).action(async (ids: string[], flags) => {
    await exportCommandRun(
      {
        dir: flags.dir,
        out: flags.out,
        ids,
        job: flags.job,
        last: flags.last,
        sinceMs: flags.since,
        search: flags.search,
        redact: redactList(flags),
        format: flags.format,
        json: flags.json,
      },
      process.stdout,
      process.stderr,
    );
  });
}
