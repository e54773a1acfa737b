import type { ChalkInstance } from 'chalk';
import { arrivedAt, isRefused } from '../../jobs/counts.js';
import type { Delivery, Job } from '../../wire/jobs.js';
import { formatDuration, formatTime } from '../../units.js';
import { answeredText, httpStatus } from '../../terminal/request-line.js';
import { statusText } from '../job-status.js';

// One job as a conversation (`hook-catch jobs <id>`, `hook-catch show <jobId>`): the submit, each
// status call with what the provider said, each webhook with its attempt and what it was answered,
// then where the job stands; one line each, at its offset from the submit (or the first event).

/** States a job's timeline ends on: the line says when it got there. */
const SETTLED = new Set<Job['status']>(['completed', 'failed', 'expired', 'webhook_lost', 'refused', 'imported']);
/** Paths longer than this are cut (a status call's path holds the job id, already in the heading). */
const PATH_WIDTH = 60;

interface Entry {
  t: number;
  what: string;
  text: string;
}

/** The heading, then the timeline: `+1.2s  polled  GET /ai/status/v1/jobs/… → 200 InProgress`. */
export function describeJob(job: Job, c: ChalkInstance): string {
  const how = job.submit
    ? `submitted through the provider port to ${job.submit.provider}`
    : job.source === 'expect'
      ? 'registered with expect'
      : c.dim('not expected: only webhooks named it');
  const lines = [`${c.bold(`Job ${job.id}`)}  ${statusText(job.status, c)}  ${how}`];
  if (job.label) lines.push(c.dim(job.label));
  lines.push('', ...timelineLines(job, c));
  return lines.join('\n') + '\n';
}

export function timelineLines(job: Job, c: ChalkInstance): string[] {
  // Webhooks are numbered among themselves (status calls and imports are not webhooks).
  let webhooks = 0;
  const entries = job.deliveries.map((d) => entryOf(d, d.source === 'webhook' ? ++webhooks : 0, job, c));
  if (!job.submit && job.registeredAt) entries.push({ t: Date.parse(job.registeredAt), what: 'registered', text: c.dim('(expect)') });
  entries.sort((a, b) => a.t - b.t);
  const start = job.submit ? Date.parse(job.submit.at) : (entries[0]?.t ?? Date.parse(job.firstSeenAt));
  const last = job.history.at(-1);
  const width = Math.max(10, ...entries.map((e) => e.what.length));
  const offset = (t: number | null) => c.dim((t === null ? 'now' : since(t - start)).padEnd(9));
  const lines = entries.map((e) => `${offset(e.t)}${e.what.padEnd(width)}  ${e.text}`);
  // The state last: padded by its words, since its colour codes have a length of their own.
  const state = statusText(job.status, c) + ' '.repeat(Math.max(0, width - job.status.length));
  if (last && SETTLED.has(job.status)) lines.push(`${offset(Date.parse(last.at))}${state}`);
  else lines.push(`${offset(null)}${state}  ${job.status === 'pending' ? c.dim(`expires ${formatTime(job.expiresAt, true)}`) : ''}`);
  return lines.map((l) => l.trimEnd());
}

function entryOf(d: Delivery, n: number, job: Job, c: ChalkInstance): Entry {
  const t = Date.parse(arrivedAt(d));
  const sent = `${d.method} ${cut(d.path)}`;
  if (d.source === 'submit') return { t, what: 'submitted', text: `${sent} → ${httpStatus(d.answered, c)} ${c.dim(`(${submitNotes(job, d)})`)}` };
  if (d.source === 'poll') {
    const who = d.matchedBy === 'provider port' ? 'polled' : 'polled by hook-catch';
    return { t, what: who, text: `${sent} → ${httpStatus(d.answered, c)} ${c.cyan(d.statusWord ?? 'no status')}` };
  }
  const word = d.statusWord ?? d.status;
  if (d.source === 'import') return { t, what: 'imported', text: `${sent}  ${word}  ${c.cyan('not a live delivery')}` };
  const what = `webhook #${n}${d.duplicate ? ` (retry ${d.attempt})` : ''}`;
  const refused = isRefused(d) ? ` ${c.red('(refused)')}` : '';
  const rule = d.rule ? `  ${c.magenta(`(${d.rule})`)}` : '';
  return { t, what, text: `${sent}  ${word}  ${answeredText(d.answered, d.unanswered, c)}${refused}${rule}` };
}

/** `job id at body.jobId; webhook URL http://localhost:3000/hooks, given to the provider as https://….ngrok.app/hooks` */
function submitNotes(job: Job, d: Delivery): string {
  const submit = job.submit;
  const given = submit?.webhookUrl ? `webhook URL ${submit.webhookUrl}` : 'no webhook URL in it';
  const rewritten = submit?.rewrittenTo ? `, given to the provider as ${submit.rewrittenTo}` : '';
  return `job id at ${d.matchedBy}; ${given}${rewritten}`;
}

/** `+0 ms`, `+850 ms`, `+1.2s`, `+2m 5s`: under a second in milliseconds, since calls and webhooks come that close. */
function since(ms: number): string {
  const abs = Math.abs(ms);
  const text = abs < 1000 ? `${Math.round(abs)} ms` : formatDuration(abs);
  return `${ms < 0 ? '-' : '+'}${text}`;
}

function cut(path: string): string {
  return path.length > PATH_WIDTH ? `${path.slice(0, PATH_WIDTH - 1)}…` : path;
}
