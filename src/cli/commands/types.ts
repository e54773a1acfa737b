import { resolve } from 'node:path';
import { HookCatchError } from '../../errors.js';
import { writeExportFile } from '../../fixtures/write-file.js';
import { readJobsOffline } from '../../jobs/offline.js';
import { openForReading } from '../../store/open-readonly.js';
import { renderTypes, storedPayloads, summaryLine, type TypeLang } from '../../payload-types/index.js';
import { writeWarnings } from '../output.js';

export interface TypesOptions {
  dir: string;
  event?: string[];
  job?: string[];
  sinceMs?: number;
  lang: TypeLang;
  out?: string;
}

/** `hook-catch types`: one type per event type, inferred from every matching stored capture. */
export async function typesCommandRun(options: TypesOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<void> {
  // The jobs are derived from the whole store: only when --job asks for them.
  const { log, warnings, matchOf } = options.job?.length ? await withJobs(options.dir) : { ...(await openForReading(options.dir)), matchOf: () => null };
  writeWarnings(stderr, warnings);
  const set = await storedPayloads(log, matchOf, { event: options.event, job: options.job, sinceMs: options.sinceMs });
  if (set.captures === 0)
    throw new HookCatchError(`No stored webhook matches${filtersText(options)}: nothing to infer types from. \`hook-catch list\` shows what is stored.`);
  if (set.groups.length === 0) {
    const which = set.captures === 1 ? 'The 1 matching capture has no' : `None of the ${set.captures} matching captures has a`;
    throw new HookCatchError(`${which} JSON or form body: nothing to infer types from.`);
  }
  const { text, types } = renderTypes(set, options.lang);
  if (options.out) await writeExportFile(options.out, text);
  else stdout.write(text);
  stderr.write(`hook-catch: ${summaryLine(set, types)}${options.out ? `; written to ${resolve(options.out)}` : ''}\n`);
}

async function withJobs(dir: string) {
  const { registry, log, warnings } = await readJobsOffline(dir);
  return { log, warnings, matchOf: (id: string) => registry.matchOf(id) };
}

function filtersText(options: TypesOptions): string {
  const parts = [
    ...(options.event?.length ? [`--event ${options.event.join(' ')}`] : []),
    ...(options.job?.length ? [`--job ${options.job.join(' ')}`] : []),
    ...(options.sinceMs !== undefined ? ['--since'] : []),
  ];
  return parts.length ? ` ${parts.join(', ')}` : '';
}
