import { countsWords, jobSummary, type JobSummary } from '../../jobs/summary.js';
import type { JobPoll, JobStatus } from '../../jobs/types.js';
import { chalkFor } from '../../terminal/color.js';
import { formatDuration, formatTime } from '../../units.js';
import { writeWarnings } from '../output.js';
import { statusText } from '../job-status.js';
import { withInstanceOrStore } from '../instance-or-store.js';
import type { Job, JobList } from '../../wire/jobs.js';
import { HookCatchError } from '../../errors.js';
import { ApiError } from '../../client/client.js';
import { describeJob } from './job-timeline.js';

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
        `${job.label ? `  ${job.label}` : ''}${sourceNote(job, c)}${job.poll ? `  ${pollNote(job.poll, c)}` : ''}\n`,
    );
  }
}

/** `  (not expected)` for a job only webhooks named, `  submitted` for one the app submitted through the provider port. */
function sourceNote(job: JobSummary, c: ReturnType<typeof chalkFor>): string {
  return job.source === 'webhook' ? c.dim('  (not expected)') : job.source === 'submit' ? c.cyan('  submitted') : '';
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

/** `hook-catch jobs <id>`: one job's timeline, or with --json the job as the API gives it. */
export async function showJob(id: string, options: JobsCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream) {
  const job = await readJob(options.dir, id, stderr);
  if (!job) throw new HookCatchError(`No job ${id} in ${options.dir}. \`hook-catch jobs\` lists the jobs known.`);
  stdout.write(options.json ? JSON.stringify(job, null, 2) + '\n' : describeJob(job, chalkFor(stdout)));
}

/** One job with its deliveries: as the running instance has it, or worked out from the store; null when none has that id. */
export async function readJob(dir: string, id: string, stderr: NodeJS.WritableStream): Promise<Job | null> {
  return withInstanceOrStore(dir, {
    online: (client) =>
      client.api<Job>('GET', `/api/jobs/${encodeURIComponent(id)}`).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    offline: async (store) => {
      const { registry, warnings } = await store.jobs();
      writeWarnings(stderr, warnings);
      return registry.get(id) ?? null;
    },
  });
}
