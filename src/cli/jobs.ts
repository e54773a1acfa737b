import { Command, Option } from 'commander';
import type { Job, JobStatus } from '../jobs/types.js';
import { chalkFor } from '../terminal/reporter.js';
import { formatTime } from '../units.js';
import { dirOption } from './args.js';
import { connect } from './client.js';

type JobSummary = Omit<Job, 'deliveries' | 'history'> & { deliveryCount: number; lastDeliveryAt: string | null };

const JOB_STATUSES: JobStatus[] = ['pending', 'in_progress', 'completed', 'failed', 'expired'];

export interface JobsCommandOptions {
  dir: string;
  status?: JobStatus;
  json?: boolean;
}

/** `hook-catch jobs`: the jobs, most recently active first. */
export async function listJobs(options: JobsCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream) {
  const client = await connect(options.dir);
  const { items } = await client.api<{ items: JobSummary[] }>('GET', `/api/jobs${options.status ? `?status=${options.status}` : ''}`);
  if (options.json) {
    stdout.write(JSON.stringify(items, null, 2) + '\n');
    return;
  }
  if (items.length === 0) {
    stderr.write(options.status ? `No ${options.status} jobs.\n` : 'No jobs yet: `hook-catch expect <jobId>` registers one.\n');
    return;
  }
  const c = chalkFor(stdout);
  const width = Math.min(40, Math.max(...items.map((j) => j.id.length)));
  for (const job of items) {
    const when = job.lastDeliveryAt ?? job.registeredAt ?? job.firstSeenAt;
    const deliveries = `${job.deliveryCount} deliver${job.deliveryCount === 1 ? 'y' : 'ies'}`;
    stdout.write(
      `${job.id.padEnd(width)}  ${statusText(job.status, c).padEnd(22)}  ${deliveries.padEnd(13)}  ${c.dim(formatTime(when, true))}` +
        `${job.label ? `  ${job.label}` : ''}${job.source === 'webhook' ? c.dim('  (not expected)') : ''}\n`,
    );
  }
}

export function statusText(status: JobStatus, c: ReturnType<typeof chalkFor>): string {
  const text = status.replace('_', ' ');
  return status === 'completed' ? c.green(text) : status === 'failed' || status === 'expired' ? c.red(text) : c.yellow(text);
}

export function jobsCommand(): Command {
  return new Command('jobs')
    .description('list the jobs, most recently active first')
    .addOption(new Option('--status <status>', 'only jobs in this state').choices(JOB_STATUSES))
    .addOption(dirOption())
    .option('--json', 'print the jobs as JSON')
    .action(async (flags) => {
      await listJobs({ dir: flags.dir, status: flags.status, json: flags.json }, process.stdout, process.stderr);
    });
}
