import { resolve } from 'node:path';
import { Command, Option, type OptionValues } from 'commander';
import { HookCatchError } from '../../errors.js';
import { DEFAULTS } from '../../defaults.js';
import { readFixtures } from '../../fixtures/import.js';
import { fixtureRequest } from '../../fixtures/fixture.js';
import { selectRequests } from '../../fixtures/select.js';
import { readJobsOffline } from '../../jobs/offline.js';
import { shortId } from '../../capture/ids.js';
import { deliver, type DeliverOptions } from '../../deliver/deliver.js';
import { parseBackoff, parseShare, parseSpeed, PROVIDER_SCHEDULE } from '../../deliver/deliver-plan.js';
import type { DeliverItem } from '../../deliver/deliver-types.js';
import { parseTarget } from '../../send/target.js';
import { chalkFor } from '../../terminal/reporter.js';
import { formatFlagDuration } from '../../units.js';
import { checkedBy, dirOption, duration, wholeNumber } from '../args.js';
import { writeWarnings } from '../output.js';
import { progressReporter, reportText } from './deliver-report.js';
import { forwardUrlOf, ownAddresses, runningOn } from '../instance-or-store.js';
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

export function deliverCommand(): Command {
  const backoff = PROVIDER_SCHEDULE.backoffMs.map(formatFlagDuration).join(',');
  return new Command('deliver')
    .description('rehearse a provider against your app: send webhooks with its retries, backoff, duplicates and disorder; report whether your app held up')
    .argument('[ids...]', 'request ids, short ids or "last" (or --job, or --file)')
    .option('--job <id>', "the job's deliveries, in the order they came")
    .option('-f, --file <path>', 'fixtures instead: a hook-catch/fixture@1 file, or every *.json in a folder')
    .option('-t, --to <url>', "your app; the captured path and query go below this URL's path (default: the running instance's --forward URL)")
    .addOption(
      new Option('--retries <n>', 'attempts per webhook in all, as a provider counts them ("up to 5 times")')
        .default(PROVIDER_SCHEDULE.attempts)
        .argParser(wholeNumber('--retries', 1)),
    )
    .addOption(
      new Option('--backoff <durations>', 'waits between attempts, comma-separated; the last repeats')
        .default([...PROVIDER_SCHEDULE.backoffMs], backoff)
        .argParser(checkedBy(parseBackoff, '--backoff')),
    )
    .addOption(
      new Option('--speed <factor>', 'run the schedule this many times faster: 60x turns 2m into 2s')
        .default(1, '1x')
        .argParser(checkedBy(parseSpeed, '--speed')),
    )
    .addOption(
      new Option('--timeout <duration>', 'an attempt not answered within this fails and is retried, as a provider would')
        .default(DEFAULTS.sendTimeoutMs, '10s')
        .argParser(duration),
    )
    .addOption(
      new Option('--duplicates <share>', 'send this share of the webhooks a second time, later (0.2 or 20%)')
        .default(0, 'none')
        .argParser(checkedBy(parseShare, '--duplicates')),
    )
    .option('--shuffle', 'send them out of order')
    .addOption(new Option('--concurrency <n>', 'webhooks in flight at once').default(1).argParser(wholeNumber('--concurrency', 1)))
    .addOption(new Option('--seed <n>', 'the same number gives the same order and duplicates again').default(1).argParser(wholeNumber('--seed', 0)))
    .option(
      '--resign <scheme:secret>',
      "sign each attempt again, timestamped now (for Twilio: for your app's URL): stripe:SECRET, '$NAME', or a scheme alone (its own variable, such as TWILIO_AUTH_TOKEN)",
    )
    .option('--insecure', 'accept a self-signed TLS certificate from an https app')
    .option('--json', 'print the report as JSON')
    .addOption(dirOption())
    .addHelpText(
      'after',
      `
Each webhook is sent the byte-exact way replay sends it (signatures still verify) and retried on a
non-2xx answer or a timeout. The report lists every send in the order sent, with its attempts, and
checks that every webhook was finally acknowledged, that the same body was answered the same way
every time (idempotent), and that no duplicate got a 5xx (a duplicate: a send of a body already
sent, whichever capture went first).

Exit status: 0 every check passed, 2 a check failed, 130 stopped (Ctrl-C), 1 an error.

Example: seed 003's schedule (5 attempts, 2, 4, 8, 16 minutes apart) in 30 seconds:
  $ hook-catch deliver --job a9199e4e --to http://localhost:3000 --speed 60x --duplicates 50% --shuffle`,
    )
    .action(async (ids: string[], flags) => {
      process.exitCode = await deliverCommandRun(optionsOf(ids, flags), process.stdout, process.stderr);
    });
}

/** Commander's flags to deliver's options (the names differ where a flag reads better). */
function optionsOf(ids: string[], flags: OptionValues): DeliverCommandOptions {
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
