import { Command, Option } from 'commander';
import type { Job } from '../jobs/types.js';
import { chalkFor } from '../terminal/reporter.js';
import { formatDuration } from '../units.js';
import { dirOption, duration } from './args.js';
import { connect } from './client.js';
import { statusText } from './jobs.js';

export interface ExpectCommandOptions {
  dir: string;
  label?: string;
  ttlMs?: number;
  json?: boolean;
}

/** `hook-catch expect <jobId>`: registers a job with the running instance. */
export async function expectJob(id: string, options: ExpectCommandOptions, stdout: NodeJS.WritableStream) {
  const client = await connect(options.dir);
  const job = await client.api<Job>('POST', '/api/jobs', { id, label: options.label, ttl: options.ttlMs });
  if (options.json) {
    stdout.write(JSON.stringify(job, null, 2) + '\n');
    return;
  }
  const c = chalkFor(stdout);
  const until = formatDuration(Date.parse(job.expiresAt) - Date.now());
  const count = job.deliveries.length;
  const already = count ? ` It was already delivered ${count} time${count === 1 ? '' : 's'}: ${statusText(job.status, c)}.` : '';
  stdout.write(`Expecting job ${c.bold(job.id)}${job.label ? ` (${job.label})` : ''}; expires in ${until}.${already}\n`);
}

export function expectCommand(): Command {
  return new Command('expect')
    .description('register a job you just submitted, so its webhook is matched to it (even one that came first)')
    .argument('<jobId>', 'the id the provider gave you (jobId, taskId, request_id …)')
    .option('-l, --label <text>', 'a note to recognise it by')
    .addOption(new Option('--ttl <duration>', "how long it may wait for its webhook (default: start's --job-ttl, 7d unless set)").argParser(duration))
    .addOption(dirOption())
    .option('--json', 'print the job as JSON')
    .action(async (id: string, flags) => {
      await expectJob(id, { dir: flags.dir, label: flags.label, ttlMs: flags.ttl, json: flags.json }, process.stdout);
    });
}
