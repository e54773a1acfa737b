import type { JobStatus } from '../jobs/types.js';
import type { chalkFor } from '../terminal/color.js';

const BAD = new Set<JobStatus>(['failed', 'expired', 'webhook_lost', 'refused']);

/** A job's state in words, coloured: green completed, red when it went wrong, cyan imported, yellow the others. */
export function statusText(status: JobStatus, c: ReturnType<typeof chalkFor>): string {
  const text = status.replace('_', ' ');
  return status === 'completed' ? c.green(text) : BAD.has(status) ? c.red(text) : status === 'imported' ? c.cyan(text) : c.yellow(text);
}
