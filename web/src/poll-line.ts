import { h } from './dom.js';
import { duration } from './format.js';
import { graceEnd } from './jobs.js';
import type { Job, JobPoll } from './types.js';

/**
 * A polled job's polling in one line, as `hook-catch jobs` says it: `polled 3×: provider says "done" ·
 * next in 20 s`, the poll's error in its own plain words (refused, rate-limited, an HTTP error),
 * `poll paused: …`, and once the webhook came, how long after the provider's done it did.
 */
export function pollLine(job: Job, now: number): HTMLElement | null {
  const poll = job.poll;
  if (!poll) return null;
  const { text, tone } = pollWords(job, poll, now);
  return h('div', { class: `job-poll ${tone}`, data: { poll: poll.state }, title: pollTitle(poll) }, text);
}

function pollWords(job: Job, poll: JobPoll, now: number): { text: string; tone: 'info' | 'warn' | 'bad' } {
  if (poll.state === 'paused') return { text: `poll paused: ${poll.error ?? 'no reason given'}`, tone: 'bad' };
  const head = poll.count > 0 ? `polled ${poll.count}×` : poll.provider ? 'polled' : 'polling';
  const error = poll.error?.replace(/[.\s]+$/, '') ?? null;
  // A non-2xx answer says nothing about the job (the server keeps it as the provider's last, with no status).
  const said =
    poll.provider && (poll.provider.status !== null || poll.provider.statusWord !== null)
      ? `provider says "${poll.provider.statusWord ?? poll.provider.status}"`
      : null;
  const silent = !poll.provider
    ? 'no answer yet'
    : poll.statusPath
      ? `no status word at ${poll.statusPath} in the answer`
      : 'no status word we know in the answer (say where it is: status at)';
  // `polled 3×: provider says "running" · <error>`, or without a status, `polled 3×: <error>`.
  const parts = [`${head}: ${said ?? error ?? silent}`];
  if (said && error) parts.push(error);
  if (poll.webhookLagMs !== null) {
    parts.push(`webhook ${duration(Math.abs(poll.webhookLagMs))} ${poll.webhookLagMs >= 0 ? 'after' : 'before'} the provider's done`);
  } else if (job.status === 'webhook_lost') {
    parts.push(`no webhook within ${duration(poll.graceMs)}`);
  } else if (poll.doneAt && (job.status === 'pending' || job.status === 'in_progress')) {
    const left = Date.parse(graceEnd(job)!) - now;
    parts.push(left > 0 ? `webhook due within ${duration(left)}` : 'webhook due now');
  } else if (poll.state === 'polling' && poll.nextAt && !/next poll in/.test(poll.error ?? '')) {
    // (A rate-limited poll's error already says when the next one is, as the provider asked.)
    const next = Date.parse(poll.nextAt) - now;
    parts.push(next > 1000 ? `next in ${duration(next)}` : 'next now');
  }
  const tone = job.status === 'webhook_lost' ? 'bad' : poll.error ? 'warn' : 'info';
  return { text: parts.join(' · '), tone };
}

/** Everything else about the polling, for the line's tooltip. */
function pollTitle(poll: JobPoll): string {
  const lines = [
    `polls ${poll.url}`,
    `every ${duration(poll.everyMs)} at first (slower while nothing changes); the webhook has ${duration(poll.graceMs)} after the provider's done`,
  ];
  if (poll.statusPath) lines.push(`status read at ${poll.statusPath}`);
  if (poll.lastPolledAt)
    lines.push(`last polled ${new Date(poll.lastPolledAt).toLocaleTimeString()}${poll.lastHttpStatus === null ? '' : `, answered ${poll.lastHttpStatus}`}`);
  return lines.join('\n');
}
