import { resolve } from 'node:path';
import { HookCatchError } from '../../errors.js';
import { exportWithReport } from '../../fixtures/export.js';
import { writeScenarios } from '../../scenario/write.js';
import { inClearNote } from '../../fixtures/redact.js';
import { selectRequests, type Selection } from '../../fixtures/select.js';
import { readJobsOffline } from '../../jobs/offline.js';
import { writeWarnings } from '../output.js';
import { runningOn } from '../../client/instance.js';

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
