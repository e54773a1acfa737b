import type { Job } from '../../jobs/types.js';
import { chalkFor } from '../../terminal/color.js';
import { formatDuration } from '../../units.js';
import { connect } from '../../client/instance.js';
import { jobRequest, type JobRegistration } from '../../client/job-request.js';
import { statusText } from '../job-status.js';
import { deliveryCounts } from '../../jobs/summary.js';

export interface ExpectCommandOptions extends JobRegistration {
  dir: string;
  json?: boolean;
}

/** `hook-catch expect <jobId>`: registers a job with the running instance. */
export async function expectJob(id: string, options: ExpectCommandOptions, stdout: NodeJS.WritableStream) {
  const client = await connect(options.dir);
  const job = await client.api<Job>('POST', '/api/jobs', jobRequest(id, options));
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
