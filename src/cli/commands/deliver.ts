import { resolve } from 'node:path';
import type { OptionValues } from 'commander';
import { HookCatchError } from '../../errors.js';
import { readFixtures } from '../../fixtures/import.js';
import { fixtureRequest } from '../../fixtures/fixture.js';
import { selectRequests } from '../../fixtures/select.js';
import { readJobsOffline } from '../../jobs/offline.js';
import { shortId } from '../../capture/ids.js';
import { deliver, type DeliverOptions } from '../../deliver/deliver.js';
import type { DeliverItem } from '../../deliver/deliver-types.js';
import { parseTarget } from '../../send/target.js';
import { chalkFor } from '../../terminal/color.js';
import { writeWarnings } from '../output.js';
import { progressReporter, reportText } from './deliver-report.js';
import { runningOn } from '../../client/instance.js';
import { forwardUrlOf, ownAddresses } from '../instance-or-store.js';
import { resignRule } from '../resign-flag.js';

/** 0 every check passed; 2 one failed (a webhook never acknowledged, a body answered two ways, a duplicate answered 5xx). */
export const DELIVER_EXIT = { passed: 0, checkFailed: 2 } as const;

/** The schedule and the mix as deliver() takes them; what to send and where, as the flags give them. */
export interface DeliverCommandOptions extends Omit<DeliverOptions, 'to' | 'own' | 'onProgress' | 'signal'> {
  dir: string;
  ids: string[];
  job?: string;
  file?: string;
  to?: string;
  json?: boolean;
}

/** `hook-catch deliver …`: rehearses a provider's deliveries against the app; returns the exit code. */
export async function deliverCommandRun(
  options: DeliverCommandOptions,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream & { isTTY?: boolean },
): Promise<number> {
  const dir = resolve(options.dir);
  const client = await runningOn(dir);
  const forward = client && !options.to ? await forwardUrlOf(client) : undefined;
  const to = options.to ?? forward;
  if (!to) throw new HookCatchError('Where to? Give --to <url> (your app), such as --to http://localhost:3000.');
  const items = await itemsOf(options, stderr);
  const progress = progressReporter(stderr, chalkFor(stderr));
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  try {
    const { dir: _dir, ids: _ids, job: _job, file: _file, to: _to, json: _json, ...schedule } = options;
    const report = await deliver(items, {
      ...schedule,
      to: parseTarget(to, '--to'),
      own: ownAddresses(client),
      onProgress: (event) => progress.event(event),
      signal: stop.signal,
    });
    progress.end();
    stdout.write(options.json ? JSON.stringify(report, null, 2) + '\n' : reportText(report, chalkFor(stdout)));
    if (stop.signal.aborted) return 130;
    return report.ok ? DELIVER_EXIT.passed : DELIVER_EXIT.checkFailed;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

/** The webhooks to deliver: fixtures, a job's deliveries, or the captures named, oldest first. */
async function itemsOf(options: DeliverCommandOptions, stderr: NodeJS.WritableStream): Promise<DeliverItem[]> {
  const given = [options.ids.length > 0, options.job !== undefined, options.file !== undefined].filter(Boolean).length;
  if (given !== 1) throw new HookCatchError('What to deliver? Give request ids, or --job <id>, or --file <fixture or folder> (one of them).');
  if (options.file) return (await readFixtures(options.file)).map((fixture) => ({ label: shortId(fixture.id), id: null, request: fixtureRequest(fixture) }));
  const { registry, log, warnings } = await readJobsOffline(options.dir);
  writeWarnings(stderr, warnings);
  const requests = await selectRequests(log, (id) => registry.matchOf(id), options.job ? { job: options.job } : { ids: options.ids });
  if (requests.length === 0) throw new HookCatchError(`No stored delivery of job ${options.job}. \`hook-catch jobs\` lists the jobs.`);
  return requests.filter((r) => !r.refusal && !r.bodyDiscarded).map((request) => ({ label: shortId(request.id), id: request.id, request }));
}

/** Commander's flags to deliver's options (the names differ where a flag reads better). */
export function optionsOf(ids: string[], flags: OptionValues): DeliverCommandOptions {
  return {
    dir: flags.dir,
    ids,
    job: flags.job,
    file: flags.file,
    to: flags.to,
    attempts: flags.retries,
    backoffMs: flags.backoff,
    speed: flags.speed,
    timeoutMs: flags.timeout,
    duplicates: flags.duplicates,
    shuffle: flags.shuffle ?? false,
    concurrency: flags.concurrency,
    seed: flags.seed,
    insecure: flags.insecure,
    resign: flags.resign === undefined ? undefined : resignRule(flags.resign),
    json: flags.json,
  };
}
