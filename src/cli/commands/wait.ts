import { decodeBody } from '../../capture/encoded-body.js';
import { HookCatchError } from '../../errors.js';
import { countsWords, deliveryCounts } from '../../jobs/summary.js';
import { isRefused } from '../../jobs/delivery.js';
import type { Job } from '../../jobs/types.js';
import { formatDuration } from '../../units.js';
import { Unreachable } from '../../client/client.js';
import { waitForInstance } from '../../client/instance.js';
import { pollUntilSettled } from '../../client/wait.js';
import type { WaitAnswer } from '../../wire/jobs.js';

export interface WaitCommandOptions {
  dir: string;
  timeoutMs: number;
  any?: boolean;
  json?: boolean;
}

/** `wait`'s exit codes: a script can tell a failed job from a late one. */
export const WAIT_EXIT = { completed: 0, delivered: 0, failed: 3, lost: 4, timeout: 124, expired: 1 } as const;

/**
 * `hook-catch wait <jobId>`: blocks until the job's webhook says it completed (or failed, or with
 * --any until any delivery), also when that happened before the call. Prints the payload body.
 * Only an acknowledged webhook (answered 2xx) counts: a refused one is waited past, as its provider
 * will usually send it again, and a timeout says how many were refused.
 * An instance that is not up yet (or restarts meanwhile) is waited for, within the timeout.
 * Returns the exit code.
 */
export async function waitForJob(id: string, options: WaitCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WriteStream): Promise<number> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const progress = stderr.isTTY ? setInterval(() => showProgress(stderr, id, started, options), 1000) : undefined;
  try {
    for (;;) {
      const client = await waitForInstance(options.dir, deadline, () => {
        stderr.write(`hook-catch: no hook-catch is running on ${options.dir} yet; waiting for one to start…\n`);
      });
      if (!client) return timedOutWithoutInstance(id, options, stderr);
      try {
        const answer = await pollUntilSettled(client, id, deadline, { any: options.any });
        return finish(answer, options, stdout, stderr);
      } catch (error) {
        if (!(error instanceof Unreachable) || Date.now() >= deadline) throw error;
        // It stopped (or is restarting): wait for it again, within the same deadline.
      }
    }
  } finally {
    clearInterval(progress);
    if (stderr.isTTY) stderr.write('\r\x1b[K');
  }
}

function finish(answer: WaitAnswer, options: WaitCommandOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): number {
  const { outcome, job, delivery } = answer;
  if (outcome === 'expired') throw new HookCatchError(`job ${job.id} expired at ${job.expiresAt} with no delivery.`);
  if (delivery && !answer.request) {
    throw new HookCatchError(
      `job ${job.id} ${outcome}, but its request ${delivery.requestId} is no longer in the store (deleted, or dropped by --max-requests), so there is no payload to print.`,
    );
  }
  if (options.json) stdout.write(JSON.stringify(answer, null, 2) + '\n');
  else if (answer.request) stdout.write(decodeBody(answer.request));
  if (outcome === 'timeout')
    stderr.write(
      `hook-catch: job ${job.id} did not ${options.any ? 'get a delivery' : 'complete'} within ${formatDuration(options.timeoutMs)} (it is ${job.status.replace('_', ' ')}${refusedNote(job)}).\n`,
    );
  if (outcome === 'delivered' && delivery && isRefused(delivery))
    stderr.write(`hook-catch: job ${job.id}: this delivery was refused (answered ${delivery.answered}), so its provider will usually send it again.\n`);
  if (outcome === 'failed') stderr.write(`hook-catch: job ${job.id} failed (the payload says "${delivery?.statusWord ?? 'failed'}").\n`);
  if (outcome === 'lost') {
    const said = job.poll?.provider?.statusWord ?? 'it ended';
    stderr.write(
      `hook-catch: job ${job.id}: webhook lost. Its provider said "${said}" and no webhook came within ${formatDuration(job.poll?.graceMs ?? 0)}; printed is the provider's polled answer.\n`,
    );
  }
  return WAIT_EXIT[outcome];
}

/** `: 5 deliveries, every one refused (500): none was acknowledged`, when any was refused. */
function refusedNote(job: Job): string {
  const counts = deliveryCounts(job);
  if (counts.refused === 0) return '';
  const none = counts.refused === counts.deliveries ? ': none was acknowledged, and its provider will usually send it again' : '';
  return `: ${countsWords(counts)}${none}`;
}

function timedOutWithoutInstance(id: string, options: WaitCommandOptions, stderr: NodeJS.WritableStream): number {
  stderr.write(
    `hook-catch: job ${id} did not complete within ${formatDuration(options.timeoutMs)}: no hook-catch started on ${options.dir} meanwhile (\`hook-catch start\`, or point at it with --dir).\n`,
  );
  return WAIT_EXIT.timeout;
}

function showProgress(stderr: NodeJS.WriteStream, id: string, started: number, options: WaitCommandOptions): void {
  const what = options.any ? 'any delivery' : 'completion';
  stderr.write(`\r\x1b[Khook-catch: waiting for ${what} of job ${id}… ${formatDuration(Date.now() - started)} of ${formatDuration(options.timeoutMs)}`);
}
