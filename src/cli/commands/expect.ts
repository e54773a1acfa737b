import { Command, Option } from 'commander';
import type { Job } from '../../jobs/types.js';
import { chalkFor } from '../../terminal/reporter.js';
import { formatDuration } from '../../units.js';
import { collect, dirOption, duration } from '../args.js';
import { DEFAULTS } from '../../defaults.js';
import { HookCatchError } from '../../errors.js';
import { connect } from '../instance-or-store.js';
import { statusText } from '../job-status.js';
import { deliveryCounts } from '../../jobs/summary.js';
import type { JobRequest } from '../../wire/jobs.js';

export interface ExpectCommandOptions {
  dir: string;
  label?: string;
  ttlMs?: number;
  json?: boolean;
  poll?: { url: string; headers: string[]; everyMs?: number; statusPath?: string; graceMs?: number };
}

/** `hook-catch expect <jobId>`: registers a job with the running instance. */
export async function expectJob(id: string, options: ExpectCommandOptions, stdout: NodeJS.WritableStream) {
  const client = await connect(options.dir);
  const poll = options.poll && {
    url: options.poll.url,
    headers: options.poll.headers,
    every: options.poll.everyMs,
    statusPath: options.poll.statusPath,
    grace: options.poll.graceMs,
    env: variablesFromHere(options.poll),
  };
  const job = await client.api<Job>('POST', '/api/jobs', { id, label: options.label, ttl: options.ttlMs, poll } satisfies JobRequest);
  if (options.json) {
    stdout.write(JSON.stringify(job, null, 2) + '\n');
    return;
  }
  const c = chalkFor(stdout);
  const until = formatDuration(Date.parse(job.expiresAt) - Date.now());
  const count = deliveryCounts(job).deliveries;
  const already = count ? ` It was already delivered ${count} time${count === 1 ? '' : 's'}: ${statusText(job.status, c)}.` : '';
  stdout.write(`Expecting job ${c.bold(job.id)}${job.label ? ` (${job.label})` : ''}; expires in ${until}.${already}\n`);
  if (job.poll)
    stdout.write(
      `Polling ${job.poll.url} every ${formatDuration(job.poll.everyMs)} (backing off while nothing changes); a webhook later than ${formatDuration(job.poll.graceMs)} after the provider says done is flagged lost.\n`,
    );
}

/**
 * The values of the `$NAME`s the poll names, from this shell: sent to the running hook-catch over
 * loopback and kept in its memory only (the saved registration keeps the names).
 */
function variablesFromHere(poll: { url: string; headers: string[] }): Record<string, string> {
  const env: Record<string, string> = {};
  for (const text of [poll.url, ...poll.headers]) {
    for (const [, name] of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) if (process.env[name!] !== undefined) env[name!] = process.env[name!]!;
  }
  return env;
}

export function expectCommand(): Command {
  return new Command('expect')
    .description('register a job you just submitted, so its webhook is matched to it (even one that came first)')
    .argument('<jobId>', 'the id the provider gave you (jobId, taskId, request_id …)')
    .option('-l, --label <text>', 'a note to recognise it by')
    .addOption(new Option('--ttl <duration>', "how long it may wait for its webhook (default: start's --job-ttl, 7d unless set)").argParser(duration))
    .addOption(dirOption())
    .option('--json', 'print the job as JSON')
    .optionsGroup('Poll the provider too (catch a lost webhook):')
    .option('--poll <url>', "the provider's status endpoint, {jobId} filled in: https://api.example.com/jobs/{jobId}")
    .option(
      '--poll-header <name: value>',
      "a header to send (repeatable); '$API_KEY' in a value reads that variable, so the secret is never stored or printed",
      collect,
    )
    .addOption(
      new Option('--every <duration>', 'ask this often at first (backing off, with jitter, while nothing changes)')
        .default(DEFAULTS.pollEveryMs, '30s')
        .argParser(duration),
    )
    .option('--status-path <rule>', 'where the status word is when the usual job rules miss it: body.data.state')
    .addOption(
      new Option('--grace <duration>', 'how long after the provider says done the webhook may take before the job is flagged webhook lost')
        .default(DEFAULTS.pollGraceMs, '2m')
        .argParser(duration),
    )
    .action(async (id: string, flags) => {
      if (!flags.poll && (flags.pollHeader || flags.statusPath)) throw new HookCatchError('--poll-header and --status-path go with --poll <url>.');
      const poll = flags.poll
        ? { url: flags.poll, headers: flags.pollHeader ?? [], everyMs: flags.every, statusPath: flags.statusPath, graceMs: flags.grace }
        : undefined;
      await expectJob(id, { dir: flags.dir, label: flags.label, ttlMs: flags.ttl, json: flags.json, poll }, process.stdout);
    });
}
