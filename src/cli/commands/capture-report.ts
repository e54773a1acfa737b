import { resolve } from 'node:path';
import { inClearNote } from '../../fixtures/redact.js';
import { countsWords, deliveryCounts, deliveryWords } from '../../jobs/summary.js';
import type { Job, JobMatch } from '../../jobs/types.js';
import type { CapturedRequest } from '../../capture/capture.js';
import type { HookCatch } from '../../start.js';
import { formatDuration } from '../../units.js';
import { CAPTURE_EXIT, isSettled, type CaptureOutcome, type Settled } from './capture-wait.js';

/** What capture waits for: these jobs, or this many requests. */
export type Target = { jobs: string[] } | { count: number };

/** The end of a capture, as printed. */
export interface CaptureResult {
  outcome: CaptureOutcome;
  files: string[];
  /** The expected jobs as they stand at the end (none with --count). */
  jobs: Job[];
  /** How many requests were exported. */
  requests: number;
  /** The header names found and blanked (--redact). */
  redacted: string[];
  /** Credential-looking header names the files hold in clear. */
  inClear: string[];
  /** Arrived, for --count. */
  arrived: number;
  /** What came in the settle time after the jobs settled; null when there was none (--count, --settle 0, a timeout). */
  settled: Settled | null;
  /** What the saved requests are. */
  saved: SavedCounts;
}

/** The saved requests by what they are to their jobs. */
export interface SavedCounts {
  /** Webhooks the provider sent (duplicates and refused ones included). */
  deliveries: number;
  duplicates: number;
  refused: number;
  /** The provider's status endpoint's answers (`expect --poll`). */
  polled: number;
  /** Fixtures imported into the store (with --dir). */
  imported: number;
  /** Requests matched to no job (--count). */
  other: number;
}

export function savedCounts(ids: string[], matchOf: (id: string) => JobMatch | null): SavedCounts {
  const counts: SavedCounts = { deliveries: 0, duplicates: 0, refused: 0, polled: 0, imported: 0, other: 0 };
  for (const id of ids) {
    const match = matchOf(id);
    if (!match) counts.other++;
    else if (match.source === 'poll') counts.polled++;
    else if (match.source === 'import') counts.imported++;
    else {
      counts.deliveries++;
      if (match.duplicate) counts.duplicates++;
      if (match.refused) counts.refused++;
    }
  }
  return counts;
}

/** `3 deliveries (1 duplicate, 1 refused), 2 polled answers`: what was saved, in words. */
function savedWords(saved: SavedCounts): string {
  const notes = [saved.duplicates && plural(saved.duplicates, 'duplicate'), saved.refused && `${saved.refused} refused`].filter(Boolean);
  const parts = [
    saved.deliveries || !(saved.polled || saved.imported || saved.other)
      ? `${deliveryWords(saved.deliveries)}${notes.length ? ` (${notes.join(', ')})` : ''}`
      : '',
  ];
  if (saved.polled) parts.push(plural(saved.polled, 'polled answer'));
  if (saved.imported) parts.push(`${saved.imported} imported`);
  if (saved.other) parts.push(`${plural(saved.other, 'request')} of no job`);
  return parts.filter(Boolean).join(', ');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * What capture tells its user: progress on stderr (hidden by --quiet, except what went wrong) and,
 * on stdout, the webhook URL first and the fixture paths last (or with --json one object each).
 */
export class CaptureReport {
  constructor(
    private readonly io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
    private readonly flags: { json?: boolean; quiet?: boolean; timeoutMs: number },
  ) {}

  /** Says something went wrong or ended early: shown even with --quiet. */
  problem(text: string): void {
    this.io.stderr.write(`hook-catch: ${text}\n`);
  }

  progress(text: string): void {
    if (!this.flags.quiet) this.io.stderr.write(`hook-catch: ${text}\n`);
  }

  ready(hc: HookCatch, url: string, target: Target): void {
    if (this.flags.json) {
      const { inspectorUrl, webhookUrl: localWebhookUrl, publicWebhookUrl } = hc;
      this.io.stdout.write(JSON.stringify({ type: 'ready', webhookUrl: url, localWebhookUrl, publicWebhookUrl, inspectorUrl }) + '\n');
    } else this.io.stdout.write(url + '\n');
    const what = 'jobs' in target ? `${plural(target.jobs.length, 'job')} (${target.jobs.join(', ')})` : plural(target.count, 'request');
    this.progress(`capturing on ${url}; waiting for ${what}, up to ${formatLimit(this.flags.timeoutMs)} (inspector: ${hc.inspectorUrl})`);
  }

  arrived(request: CapturedRequest, hc: HookCatch, target: Target, arrived: number): void {
    const match = hc.jobs.matchOf(request.id);
    const job = match ? ` - job ${match.jobId}, ${match.statusWord ?? match.status}${match.duplicate ? ' (a retry)' : ''}` : '';
    const count = 'count' in target ? ` (${arrived} of ${target.count})` : '';
    this.progress(`received ${request.method} ${request.path} ${request.response.unanswered ?? request.response.status}${job}${count}`);
  }

  settled(job: Job, settled: number, of: number): void {
    this.progress(`job ${job.id} ${job.status} (${settled} of ${of} settled)`);
  }

  settling(ms: number): void {
    this.progress(`every job settled; listening ${formatLimit(ms)} more for late deliveries, such as a duplicate (--settle)`);
  }

  /** The last words: stderr says how it ended and what was saved; stdout lists the files. Returns the exit code. */
  done(result: CaptureResult, target: Target, out: string, signal?: string): number {
    const exitCode = CAPTURE_EXIT[result.outcome];
    this.explain(result, target, signal);
    const blanked = result.redacted.length ? ` (blanked: ${result.redacted.join(', ')})` : '';
    const what = result.requests ? `: ${savedWords(result.saved)}` : '';
    const saved = result.files.length
      ? `saved ${plural(result.files.length, result.files.length === result.requests ? 'fixture' : 'file')} to ${resolve(out)}${what}${blanked}`
      : 'nothing to save';
    (result.outcome === 'completed' ? this.progress : this.problem).call(this, `${saved}${exitCode ? ` (exit ${exitCode})` : ''}.`);
    // Even with --quiet: the files may be about to be committed.
    if (result.inClear.length) this.problem(inClearNote(result.inClear));
    if (this.flags.json) {
      const jobs = result.jobs.map((job) => {
        const counts = deliveryCounts(job);
        return { id: job.id, status: job.status, deliveries: counts.deliveries, refused: counts.refused };
      });
      const { files, requests, saved, settled } = result;
      this.io.stdout.write(JSON.stringify({ type: 'done', outcome: result.outcome, exitCode, files, jobs, requests, saved, settled }) + '\n');
    } else for (const file of result.files) this.io.stdout.write(file + '\n');
    return exitCode;
  }

  private explain(result: CaptureResult, target: Target, signal?: string): void {
    const { outcome, jobs } = result;
    if (outcome === 'interrupted') this.problem(`${signal ?? 'interrupted'}: stopped waiting; saving what came.`);
    const waiting = jobs.filter((job) => !isSettled(job));
    const expired = waiting.length > 0 && waiting.every((job) => job.status === 'expired');
    if (outcome === 'timeout')
      this.problem(expired ? 'no delivery within --job-ttl: the jobs expired.' : `timed out after ${formatLimit(this.flags.timeoutMs)}.`);
    if ('count' in target) {
      if (outcome !== 'completed') this.problem(`${plural(result.arrived, 'request')} of ${target.count} came.`);
      else this.progress(`${plural(target.count, 'request')} came.`);
      return;
    }
    if (result.settled) this.progress(settledWords(result.settled));
    if (waiting.length && outcome !== 'completed') this.problem(`still waiting for ${waiting.map(describeWaiting).join('; ')}.`);
    for (const job of jobs.filter((j) => j.status === 'failed')) {
      this.problem(`job ${job.id} failed (the payload says "${job.deliveries.findLast((d) => d.status === 'failed')?.statusWord ?? 'failed'}").`);
    }
    if (outcome === 'completed') this.progress(`all ${plural(jobs.length, 'job')} completed.`);
  }
}

function describeWaiting(job: Job): string {
  return `job ${job.id} (${job.status.replace('_', ' ')}, ${countsWords(deliveryCounts(job))})`;
}

/** `in the 3s settle time, 1 more delivery came (1 duplicate)`, `nothing more came in the 3s settle time`. */
function settledWords(settled: Settled): string {
  const time = `the ${formatLimit(settled.ms)} settle time`;
  if (!settled.deliveries) return `nothing more came in ${time}.`;
  const dups = settled.duplicates ? ` (${plural(settled.duplicates, 'duplicate')})` : '';
  return `in ${time}, ${settled.deliveries} more ${settled.deliveries === 1 ? 'delivery' : 'deliveries'} came${dups}.`;
}

/** A limit as given: 10m rather than 10m 0s. */
const formatLimit = (ms: number) => formatDuration(ms).replace(/ 0[smh]$/, '');
