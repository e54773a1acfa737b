import { connect } from './client.js';
import { formatDuration, formatTime } from '../units.js';
import type { Job, JobStatus } from '../jobs/types.js';
import { chalkFor } from '../terminal/reporter.js';

type JobSummary = Omit<Job, 'deliveries' | 'history'> & { deliveryCount: number; lastDeliveryAt: string | null };

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
  const already = job.deliveries.length
    ? ` It was already delivered ${job.deliveries.length} time${job.deliveries.length === 1 ? '' : 's'}: ${statusText(job.status, c)}.`
    : '';
  stdout.write(`Expecting job ${c.bold(job.id)}${job.label ? ` (${job.label})` : ''}; expires in ${until}.${already}\n`);
}

export interface JobsCommandOptions {
  dir: string;
  status?: JobStatus;
  json?: boolean;
}

/** `hook-catch jobs`: the running instance's jobs, most recently active first. */
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
