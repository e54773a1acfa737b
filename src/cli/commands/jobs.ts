import { Command, Option } from 'commander';
import { countsWords, jobSummary, type JobSummary } from '../../jobs/summary.js';
import { JOB_STATUSES, type JobPoll, type JobStatus } from '../../jobs/types.js';
import { chalkFor } from '../../terminal/reporter.js';
import { formatDuration, formatTime } from '../../units.js';
import { dirOption } from '../args.js';
import { writeWarnings } from '../output.js';
import { statusText } from '../job-status.js';
import { withInstanceOrStore } from '../instance-or-store.js';
import type { JobList } from '../../wire/jobs.js';

export interface JobsCommandOptions {
  dir: string;
  status?: JobStatus;
  json?: boolean;
}

/** `hook-catch jobs`: the jobs, most recently active first; from the running instance, or read from the store. */
export async function listJobs(options: JobsCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream) {
  const items = await readJobs(options, stderr);
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
    const counts = countsWords({ deliveries: job.deliveryCount, refused: job.refusedCount, refusedWith: job.refusedWith, imported: job.importedCount });
    const deliveries = job.refusedCount ? c.red(counts) : counts;
    stdout.write(
      `${job.id.padEnd(width)}  ${statusText(job.status, c).padEnd(22)}  ${deliveries.padEnd(13)}  ${c.dim(formatTime(when, true))}` +
        `${job.label ? `  ${job.label}` : ''}${job.source === 'webhook' ? c.dim('  (not expected)') : ''}${job.poll ? `  ${pollNote(job.poll, c)}` : ''}\n`,
    );
  }
}

async function readJobs(options: JobsCommandOptions, stderr: NodeJS.WritableStream): Promise<JobSummary[]> {
  return withInstanceOrStore(options.dir, {
    online: async (client) => {
      const path = `/api/jobs${options.status ? `?status=${options.status}` : ''}`;
      return (await client.api<JobList>('GET', path)).items;
    },
    offline: async (store) => {
      const { registry, warnings } = await store.jobs();
      writeWarnings(stderr, warnings);
      return registry.list(options.status).map(jobSummary);
    },
  });
}

/** `polled 3 times: provider says "Completed"; webhook 4.2s after`, `poll paused: …`: a job's polling in words. */
export function pollNote(poll: JobPoll, c: ReturnType<typeof chalkFor>): string {
  if (poll.state === 'paused') return c.red(`poll paused: ${poll.error}`);
  const said = poll.provider ? `provider says "${poll.provider.statusWord ?? poll.provider.status ?? '?'}"` : 'no answer yet';
  const lag = poll.webhookLagMs === null ? '' : `; webhook ${formatDuration(Math.abs(poll.webhookLagMs))} ${poll.webhookLagMs >= 0 ? 'after' : 'before'} it`;
  const error = poll.error ? c.yellow(` (${poll.error})`) : '';
  return c.cyan(`polled ${poll.count}×: ${said}${lag}`) + error;
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
