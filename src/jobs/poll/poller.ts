import type { JobRegistry } from '../registry.js';
import type { Job } from '../types.js';
import type { CapturedRequest } from '../../capture/capture.js';
import { send } from '../../send/send.js';
import { formatDuration, formatFlagDuration } from '../../units.js';
import type { NotAnswered } from '../../capture/records.js';
import { VERSION } from '../../version.js';
import { answerKey, pollCapture, retryAfterMs } from './answer.js';
import { expandPoll, type PollSecrets, type PollSpec } from './spec.js';

export interface PollerDeps {
  registry: JobRegistry;
  /** Stores a polled answer and announces it (so it is matched to its job like any capture). */
  keep: (answer: CapturedRequest) => Promise<void>;
  nextId: () => string;
  now: () => number;
  /** Largest answer kept (the receiver's --max-body). */
  maxBody: number;
  timeoutMs: number;
}

/** The wait grows by half each time nothing changes, up to this many times `every`. */
const MAX_BACKOFF = 10;
const JITTER = 0.1;

interface Watched {
  spec: PollSpec;
  secrets?: PollSecrets;
  timer?: NodeJS.Timeout;
  /** Polls in a row that changed nothing (or failed): the backoff step. */
  quiet: number;
  /** The last answer stored, to store only what changed. */
  lastKey: string | null;
  busy: boolean;
}

/**
 * Asks each watched job's status endpoint until the job settles, expires, or its provider says it
 * ended: every `everyMs` at first, backing off (with jitter) while nothing changes, waiting as long
 * as a 429's Retry-After asks. Each answer that differs from the last is kept as a capture of
 * source `poll`. Failures show on the job (`poll.error`); nothing here throws.
 */
export class Poller {
  private readonly watched = new Map<string, Watched>();
  private closed = false;

  constructor(private readonly deps: PollerDeps) {}

  /** Starts (or restarts, with a new spec) polling job `jobId`, first right away. */
  watch(jobId: string, spec: PollSpec, secrets?: PollSecrets, firstInMs = 0): void {
    if (this.closed) return;
    this.unwatch(jobId);
    this.watched.set(jobId, { spec, secrets, quiet: 0, lastKey: null, busy: false });
    this.schedule(jobId, firstInMs);
  }

  unwatch(jobId: string): void {
    const watched = this.watched.get(jobId);
    clearTimeout(watched?.timer);
    this.watched.delete(jobId);
  }

  close(): void {
    this.closed = true;
    for (const id of [...this.watched.keys()]) this.unwatch(id);
  }

  private schedule(jobId: string, inMs: number): void {
    const watched = this.watched.get(jobId);
    if (!watched || this.closed) return;
    const at = this.deps.now() + inMs;
    this.deps.registry.updatePoll(jobId, { nextAt: new Date(at).toISOString(), state: 'polling' });
    watched.timer = setTimeout(() => void this.pollOnce(jobId), inMs);
    watched.timer.unref();
  }

  private async pollOnce(jobId: string): Promise<void> {
    const watched = this.watched.get(jobId);
    const job = this.deps.registry.get(jobId);
    if (!watched || !job?.poll || watched.busy) return;
    if (finished(job)) return this.finish(jobId, job);
    const request = expandPoll(watched.spec, watched.secrets);
    if ('problem' in request) {
      this.unwatch(jobId);
      return this.deps.registry.updatePoll(jobId, { state: 'paused', error: request.problem, nextAt: null });
    }
    watched.busy = true;
    const at = this.deps.now();
    const url = new URL(request.url);
    const given = new Set(request.headers.map(([name]) => name.toLowerCase()));
    const headers: [string, string][] = [['Host', url.host], ...request.headers];
    if (!given.has('user-agent')) headers.push(['User-Agent', `hook-catch/${VERSION}`]);
    if (!given.has('accept')) headers.push(['Accept', 'application/json, */*']);
    const answer = await send(
      { url, method: 'GET', headers, body: Buffer.alloc(0), path: '', edited: false },
      { timeoutMs: this.deps.timeoutMs, keepBytes: this.deps.maxBody },
    );
    watched.busy = false;
    if (this.closed || this.watched.get(jobId) !== watched) return;
    const count = (this.deps.registry.get(jobId)?.poll?.count ?? 0) + 1;
    if (!answer.ok) {
      watched.quiet++;
      this.deps.registry.updatePoll(jobId, {
        count,
        lastPolledAt: new Date(at).toISOString(),
        lastHttpStatus: null,
        error: pollError(answer, url, this.deps.timeoutMs),
      });
      return this.schedule(jobId, this.backoff(watched));
    }
    const key = answerKey(answer);
    if (key !== watched.lastKey) {
      watched.lastKey = key;
      watched.quiet = 0;
      // Stored and announced: the registry matches it to the job and reads what the provider says.
      await this.deps.keep(pollCapture(answer, { id: this.deps.nextId(), at, jobId, specUrl: watched.spec.url })).catch(() => undefined);
    } else watched.quiet++;
    const limited = answer.status === 429 ? (retryAfterMs(answer, this.deps.now()) ?? this.backoff(watched) * 2) : null;
    const error =
      limited !== null
        ? `rate-limited (429): next poll in ${formatFlagDuration(limited)}, as the provider asked`
        : answer.status >= 400
          ? `the status endpoint answered ${answer.status}`
          : null;
    this.deps.registry.updatePoll(jobId, { count, lastPolledAt: new Date(at).toISOString(), lastHttpStatus: answer.status, error });
    const now = this.deps.registry.get(jobId);
    if (!now || finished(now)) return this.finish(jobId, now);
    this.schedule(jobId, Math.max(limited ?? 0, this.backoff(watched)));
  }

  /** The next wait: `every`, half again longer for each quiet poll (up to 10x), give or take a tenth. */
  private backoff(watched: Watched): number {
    const base = watched.spec.everyMs * Math.min(MAX_BACKOFF, 1.5 ** watched.quiet);
    return Math.round(base * (1 - JITTER + Math.random() * 2 * JITTER));
  }

  private finish(jobId: string, job: Job | undefined): void {
    this.unwatch(jobId);
    if (job?.poll) this.deps.registry.updatePoll(jobId, { state: 'done', nextAt: null });
  }
}

/** Polling is over once the provider said the job ended, or the job settled, expired or lost its webhook. */
function finished(job: Job): boolean {
  return job.poll?.doneAt != null || (job.status !== 'pending' && job.status !== 'in_progress');
}

/** Why a poll got no answer, in words about a provider's endpoint (send.ts words them for the user's app). */
function pollError(answer: NotAnswered, url: URL, timeoutMs: number): string {
  if (answer.failure === 'refused') return `${url.origin} refused the connection: the status endpoint is down, or the --poll URL is wrong`;
  if (answer.failure === 'timeout') return `${url.origin} did not answer within ${formatDuration(timeoutMs)}; polling goes on, backing off`;
  return answer.error;
}
