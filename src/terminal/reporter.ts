import { describe } from '../errors.js';
import type { Job, JobMatch } from '../jobs/types.js';
import { jobSummary } from '../jobs/summary.js';
import { providerEnd } from '../jobs/ended.js';
import { shortId } from '../capture/ids.js';
import { formatDuration, formatTime } from '../units.js';
import { summarize, type CapturedRequest } from '../capture/capture.js';
import type { TunnelStatus } from '../tunnel/ngrok.js';
import { banner, type ReadyInfo } from './banner.js';
import { chalkFor } from './color.js';
import { driftLine, forwardLine, jobNote, requestLine, shapedNote } from './request-line.js';
import type { DriftInfo } from '../capture/shapes.js';
import type { ForwardNote } from '../store/record-line.js';
import { StoreHealth, type HealthNews } from './store-health.js';

export type { ReadyInfo } from './banner.js';
export { chalkFor } from './color.js';
export { requestLine } from './request-line.js';

/** How `start()` reports to a terminal. The library default is `'none'`; the CLI passes one. */
export type OutputMode = 'pretty' | 'json' | 'quiet' | 'none';

/** What the terminal shows: a banner, one line per request, warnings. One object per output mode. */
export interface Reporter {
  /** Something is under way (pretty mode only), e.g. opening the tunnel. */
  progress(text: string): void;
  ready(info: ReadyInfo): void;
  request(request: CapturedRequest, latencyMs: number, match: JobMatch | null): void;
  /** A capture forwarded in the background got the app's answer. */
  forwarded(id: string, note: ForwardNote): void;
  /** A capture's body differs from the earlier ones of its event type (told once per field). */
  drift(id: string, drift: DriftInfo): void;
  /** The store could not keep a request (answered 503). */
  unstored(request: CapturedRequest, error: unknown): void;
  /** A polled job's provider said it ended and its webhook did not come within the grace period. */
  webhookLost(job: Job): void;
  tunnel(status: TunnelStatus, publicUrl: string | null): void;
  /** Information a user may act on (hidden by --quiet). */
  notice(text: string): void;
  warning(text: string): void;
}

const nothing = () => {};

export function createReporter(mode: OutputMode, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Reporter {
  if (mode === 'none') {
    return {
      progress: nothing,
      ready: nothing,
      request: nothing,
      forwarded: nothing,
      drift: nothing,
      unstored: nothing,
      webhookLost: nothing,
      tunnel: nothing,
      notice: nothing,
      warning: nothing,
    };
  }
  const health = new StoreHealth();
  return mode === 'json' ? jsonReporter(stdout, stderr, health) : textReporter(mode, stdout, stderr, health);
}

/** The banner and one readable line per request (`pretty`), or only what goes wrong (`quiet`). */
function textReporter(mode: 'pretty' | 'quiet', stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, health: StoreHealth): Reporter {
  const c = chalkFor(stdout);
  const e = chalkFor(stderr);
  const out = (line: string) => stdout.write(line + '\n');
  const err = (line: string) => stderr.write(line + '\n');
  const pretty = mode === 'pretty';
  const tellHealth = (news: HealthNews | null) => {
    if (!news) return;
    if (news.kind === 'failing')
      err(e.red(`hook-catch: the store cannot write: ${news.reason}. Requests are answered 503 so that their senders retry; counting them until it recovers.`));
    else if (news.kind === 'count')
      err(e.red(`hook-catch: the store still cannot write: ${news.refused.toLocaleString('en-US')} requests answered 503 so far.`));
    else
      err(
        e.green(
          `hook-catch: the store writes again; ${news.refused.toLocaleString('en-US')} request${news.refused === 1 ? ' was' : 's were'} answered 503 meanwhile (their senders retry them).`,
        ),
      );
  };
  return {
    progress: pretty ? (text) => err(e.dim(`hook-catch: ${text}`)) : nothing,
    notice: pretty ? (text) => err(`hook-catch: ${text}`) : nothing,
    warning: (text) => err(e.yellow(`hook-catch: warning: ${text}`)),
    ready: pretty ? (info) => out(banner(info, c)) : nothing,
    request: (request, _latency, match) => {
      tellHealth(health.stored());
      if (pretty) out(requestLine(summarize(request), c) + jobNote(match, c) + shapedNote(request.response.rule, c));
      // A provider that cannot be reached is said even with --quiet: the app got a 502 it did not expect.
      else if (request.outbound?.error)
        err(e.yellow(`hook-catch: warning: ${request.method} ${request.url}: the provider gave no answer: ${request.outbound.error}`));
    },
    forwarded: pretty ? (id, note) => out(forwardLine(id, note, c)) : nothing,
    drift: pretty ? (id, drift) => out(driftLine(id, drift, c)) : nothing,
    unstored: (_request, error) => tellHealth(health.failed(describe(error))),
    webhookLost: (job) => err(e.yellow(`hook-catch: warning: ${lostLine(job)}`)),
    tunnel: (status, url) =>
      status === 'closed'
        ? err(e.yellow('hook-catch: the ngrok tunnel dropped; ngrok is reconnecting (webhooks to the public URL fail meanwhile).'))
        : err(e.green(`hook-catch: the ngrok tunnel is back: ${url ?? ''}`)),
  };
}

/** One JSON object per line on stdout, for scripts; warnings stay on stderr. */
function jsonReporter(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, health: StoreHealth): Reporter {
  const out = (value: object) => stdout.write(JSON.stringify(value) + '\n');
  const tellHealth = (news: HealthNews | null) => {
    if (news?.kind === 'failing') out({ type: 'store', state: 'failing', error: news.reason });
    else if (news?.kind === 'count') out({ type: 'store', state: 'failing', error: news.reason, refused: news.refused });
    else if (news) out({ type: 'store', state: 'recovered', refused: news.refused });
  };
  return {
    progress: nothing,
    notice: (text) => stderr.write(`hook-catch: ${text}\n`),
    warning: (text) => stderr.write(`hook-catch: warning: ${text}\n`),
    ready: (info) => out({ type: 'ready', ...info }),
    request: (request, latencyMs, match) => {
      tellHealth(health.stored());
      const rule = request.response.rule;
      out({ type: 'request', ...summarize(request), latencyMs: Math.round(latencyMs * 100) / 100, job: match && jsonJob(match), ...(rule && { rule }) });
    },
    forwarded: (id, note) => out({ type: 'forwarded', id, status: note.answered, forward: note.forward }),
    drift: (id, drift) => out({ type: 'drift', id, ...drift }),
    unstored: (_request, error) => tellHealth(health.failed(describe(error))),
    webhookLost: (job) => out({ type: 'job', event: 'webhook_lost', job: jobSummary(job), message: lostLine(job) }),
    tunnel: (status, publicUrl) => out({ type: 'tunnel', status, publicUrl }),
  };
}

/** `job a1: its provider said completed at 14:02:11 and no webhook came within 2m: webhook lost. …` */
function lostLine(job: Job): string {
  const end = providerEnd(job);
  const at = end ? formatTime(end.at) : '?';
  const kept = end?.requestId ? ` Its answer is kept: hook-catch show ${shortId(end.requestId)}` : '';
  return `job ${job.id}: its provider said "${end?.said ?? 'it ended'}" at ${at} and no webhook came within ${formatDuration(end?.graceMs ?? 0)}: webhook lost.${kept}`;
}

function jsonJob(match: JobMatch) {
  const { jobId, jobStatus, status, statusWord, matchedBy, attempt, duplicate, expected, source, refused } = match;
  return { id: jobId, jobStatus, deliveryStatus: status, statusWord, matchedBy, attempt, duplicate, expected, source, refused };
}
