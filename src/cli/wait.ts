import { connect } from './client.js';
import { decodeBody, type EncodedBody } from '../receiver/capture.js';
import { HookCatchError } from '../errors.js';
import { formatDuration } from '../units.js';
import type { WaitResult } from '../jobs/wait.js';

export interface WaitCommandOptions {
  dir: string;
  timeoutMs: number;
  any?: boolean;
  json?: boolean;
}

/** `wait`'s exit codes: a script can tell a failed job from a late one. */
export const WAIT_EXIT = { completed: 0, delivered: 0, failed: 3, timeout: 124, expired: 1 } as const;

/** Each long-poll asks for at most this long, so no proxy or idle timeout cuts it. */
const POLL_MS = 60_000;

type Answer = WaitResult & { request: (EncodedBody & Record<string, unknown>) | null };

/**
 * `hook-catch wait <jobId>`: blocks until the job's webhook says it completed (or failed, or with
 * --any until any delivery), also when that happened before the call. Prints the payload body.
 * Returns the exit code.
 */
export async function waitForJob(id: string, options: WaitCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WriteStream): Promise<number> {
  const client = await connect(options.dir);
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const progress = stderr.isTTY ? setInterval(() => showProgress(stderr, id, started, options), 1000) : undefined;
  try {
    for (;;) {
      const left = deadline - Date.now();
      const answer = await client.api<Answer>('GET', `/api/jobs/${encodeURIComponent(id)}/wait?timeout=${Math.max(1, Math.min(left, POLL_MS))}ms${options.any ? '&any=1' : ''}`);
      if (answer.outcome !== 'timeout' || Date.now() >= deadline) return finish(answer, options, stdout, stderr);
    }
  } finally {
    clearInterval(progress);
    if (stderr.isTTY) stderr.write('\r\x1b[K');
  }
}

function finish(answer: Answer, options: WaitCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): number {
  const code = WAIT_EXIT[answer.outcome];
  if (options.json) stdout.write(JSON.stringify(answer, null, 2) + '\n');
  else if (answer.request) stdout.write(decodeBody(answer.request));
  if (answer.outcome === 'timeout') stderr.write(`hook-catch: job ${answer.job.id} did not ${options.any ? 'get a delivery' : 'complete'} within ${formatDuration(options.timeoutMs)} (it is ${answer.job.status.replace('_', ' ')}).\n`);
  if (answer.outcome === 'failed') stderr.write(`hook-catch: job ${answer.job.id} failed (the payload says "${answer.delivery?.statusWord ?? 'failed'}").\n`);
  if (answer.outcome === 'expired') throw new HookCatchError(`job ${answer.job.id} expired at ${answer.job.expiresAt} with no delivery.`);
  return code;
}

function showProgress(stderr: NodeJS.WriteStream, id: string, started: number, options: WaitCommandOptions): void {
  const what = options.any ? 'any delivery' : 'completion';
  stderr.write(`\r\x1b[Khook-catch: waiting for ${what} of job ${id}… ${formatDuration(Date.now() - started)} of ${formatDuration(options.timeoutMs)}`);
}
