import type { ChalkInstance } from 'chalk';
import { statuses } from '../../deliver/deliver-checks.js';
import type { MockEvent, MockJobSummary, MockSummary } from '../../mock/index.js';
import { formatTime } from '../../units.js';

/** `instant`, `1x`, `10x`. */
export const speedText = (speed: number) => (speed === Infinity ? 'instant' : `${speed}x`);

const status = (code: number | null, c: ChalkInstance, failure?: string) =>
  code === null ? c.red(failure ?? 'no answer') : code < 300 ? c.green(String(code)) : code < 500 ? c.yellow(String(code)) : c.red(String(code));

/** One line per event, as the run goes: a submit matched, a poll answered, a webhook sent and how the app answered, a request unmatched. */
export function eventLine(event: MockEvent, c: ChalkInstance): string {
  const time = c.dim(formatTime(new Date().toISOString()));
  switch (event.type) {
    case 'submit':
      return `${time}  ${c.green('submit ')}  ${event.method} ${event.url}  → job ${c.bold(event.id)}  ${c.dim(`${event.scenario}, recorded ${event.recordedId}`)}`;
    case 'poll':
      return `${time}  ${c.blue('poll   ')}  ${event.method} ${event.url}  ${status(event.status, c)}${event.statusWord ? ` ${event.statusWord}` : ''}`;
    case 'webhook': {
      const { attempt } = event;
      const what = `job ${event.id} webhook ${event.send}${event.duplicate ? ' (duplicate)' : ''}, attempt ${attempt.attempt}`;
      const retry = event.willRetry ? c.yellow(', will retry') : '';
      const error = attempt.error ? c.dim(`  ${attempt.error}`) : '';
      return `${time}  ${c.magenta('webhook')}  ${what}  → app answered ${status(attempt.status, c, attempt.failure)}${retry}${error}`;
    }
    case 'no-webhook-url':
      return `${time}  ${c.yellow('no URL ')}  job ${event.id}: ${event.webhooks} webhook${event.webhooks === 1 ? '' : 's'} not sent: the submit named no webhook URL (give --webhook-url)`;
    case 'unmatched': {
      const nearest = event.closest[0];
      const hint = nearest ? `; closest: ${nearest.scenario} ${nearest.request} (${nearest.why})` : '';
      return `${time}  ${c.red('501    ')}  ${event.method} ${event.url}  matches nothing recorded${c.dim(hint)}`;
    }
    case 'job-done':
      return `${time}  ${c.dim('done   ')}  job ${event.id}: ${event.acknowledged ? c.green('every webhook acknowledged') : c.red('a webhook was never acknowledged')}`;
  }
}

/** Jobs listed one by one in the summary; past this many, the count (--json lists them all). */
const LISTED_JOBS = 20;

/** The summary: the counts, a line per job (its sends' statuses), the unmatched requests. */
export function summaryText(summary: MockSummary, c: ChalkInstance): string {
  const { webhooks } = summary;
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const counts = [
    n(summary.jobs.length, 'job') + ' played',
    `${n(webhooks.sent, 'webhook')} sent (${webhooks.acknowledged} acknowledged${webhooks.givenUp ? c.red(`, ${webhooks.givenUp} never acknowledged`) : ''}${webhooks.notSent ? c.yellow(`, ${webhooks.notSent} not sent`) : ''})`,
    `${n(summary.polls, 'poll')} answered`,
    summary.unmatchedCount ? c.red(`${n(summary.unmatchedCount, 'request')} unmatched`) : '0 requests unmatched',
  ];
  const lines = ['', c.bold(counts.join(', '))];
  for (const job of summary.jobs.slice(0, LISTED_JOBS)) lines.push(jobLine(job, c));
  if (summary.jobs.length > LISTED_JOBS) lines.push(c.dim(`  … and ${summary.jobs.length - LISTED_JOBS} more jobs (--json lists them all)`));
  if (summary.unmatched.length) lines.push('', 'Unmatched (the 501 answer names the closest recorded requests):');
  for (const request of summary.unmatched) {
    const nearest = request.closest[0];
    lines.push(`  ${request.method} ${request.url}${nearest ? c.dim(`  closest: ${nearest.scenario} ${nearest.request}: ${nearest.why}`) : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `  a919924e… → 7c1e…  transcribe.json  2 polls  webhooks: 500 → 200, 200`. */
function jobLine(job: MockJobSummary, c: ChalkInstance): string {
  const sends = job.sends.map((send) =>
    send.attempts.length
      ? `${statuses(send.attempts)}${send.duplicate ? ' (duplicate)' : ''}`
      : c.yellow(`not sent${send.notSent ? ` (${send.notSent})` : ''}`),
  );
  const webhooks = sends.length ? `  webhooks: ${sends.join(', ')}` : '';
  return `  ${job.recordedId} → ${c.bold(job.id)}  ${c.dim(job.scenario)}  ${job.polls} poll${job.polls === 1 ? '' : 's'}${webhooks}`;
}
