import type { Job } from '../../jobs/types.js';
import { chalkFor } from '../../terminal/color.js';
import { formatDuration } from '../../units.js';
import { connect } from '../../client/instance.js';
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
