import type { ChalkInstance } from 'chalk';
import { statuses } from '../replay/deliver-checks.js';
import type { Check, DeliverProgress, DeliverReport, SendReport } from '../replay/deliver-types.js';
import { formatDuration, formatFlagDuration } from '../units.js';

/** The report: a line per send (statuses in order, attempts, latencies), the checks, a summary. */
export function reportText(report: DeliverReport, c: ChalkInstance): string {
  const { schedule } = report;
  const backoff = schedule.backoffMs.map(formatFlagDuration).join(',');
  const lines = [c.bold(`Delivered ${report.webhooks.length} webhook${report.webhooks.length === 1 ? '' : 's'} to ${report.to}`) + c.dim(`  (up to ${schedule.attempts} attempts, ${backoff} apart${schedule.speed === 1 ? '' : ` at ${schedule.speed}x`})`), ''];
  for (const webhook of report.webhooks) {
    for (const send of webhook.sends) lines.push(`  ${webhook.label.padEnd(8)} ${`${webhook.method} ${shorten(webhook.path)}`.padEnd(28)} ${sendText(send, c)}`);
    if (webhook.sends.length === 0) lines.push(`  ${webhook.label.padEnd(8)} ${`${webhook.method} ${shorten(webhook.path)}`.padEnd(28)} ${c.dim('not sent (stopped)')}`);
  }
  lines.push('');
  for (const check of Object.values(report.checks)) lines.push(...checkLines(check, c));
  const sends = report.webhooks.flatMap((w) => w.sends);
  const acked = sends.filter((s) => s.acknowledged).length;
  lines.push('', `${acked} of ${sends.length} sends acknowledged in ${formatDuration(report.durationMs)}${report.ok ? '' : c.red('; some never were')}`);
  return lines.join('\n') + '\n';
}

function sendText(send: SendReport, c: ChalkInstance): string {
  const latencies = send.attempts.map((a) => Math.round(a.latencyMs)).join(', ');
  const n = send.attempts.length;
  const result = send.acknowledged ? c.green('acknowledged') : c.red('never acknowledged');
  const error = send.attempts.at(-1)?.error;
  return `${statuses(send.attempts).padEnd(24)} ${`${n} attempt${n === 1 ? '' : 's'}`.padEnd(11)} ${`${latencies} ms`.padEnd(16)} ${result}${send.duplicate ? c.magenta(' (duplicate)') : ''}${!send.acknowledged && error ? c.dim(`  ${error}`) : ''}`;
}

function checkLines(check: Check, c: ChalkInstance): string[] {
  return [`${check.ok ? c.green('✓') : c.red('✗')} ${check.rule}`, ...check.problems.map((p) => c.yellow(`    ${p}`))];
}

const shorten = (path: string) => (path.length > 26 ? `${path.slice(0, 25)}…` : path);

/**
 * Progress on stderr: on a terminal, one bar redrawn in place; elsewhere (CI logs), a line per
 * attempt that was not acknowledged and per webhook settled.
 */
export function progressReporter(stderr: NodeJS.WritableStream & { isTTY?: boolean }, c: ChalkInstance) {
  let total = 0;
  let acknowledged = 0;
  let givenUp = 0;
  let retrying = 0;
  const draw = () => {
    const done = acknowledged + givenUp;
    const width = 24;
    const filled = total ? Math.round((done / total) * width) : width;
    stderr.write(`\r\x1b[K${c.cyan('█'.repeat(filled))}${c.dim('░'.repeat(width - filled))} ${done}/${total} settled · ${acknowledged} acknowledged · ${retrying} waiting to retry${givenUp ? c.red(` · ${givenUp} given up`) : ''}`);
  };
  return {
    event(event: DeliverProgress) {
      if (event.type === 'planned') total = event.sends;
      else if (event.type === 'attempt') {
        if (event.willRetry) retrying++;
        if (event.attempt.attempt > 1) retrying--;
        if (!stderr.isTTY && event.attempt.status !== null && event.attempt.status < 300 && event.attempt.status >= 200) return;
        if (!stderr.isTTY) stderr.write(`hook-catch: ${event.label}${event.duplicate ? ' (duplicate)' : ''} attempt ${event.attempt.attempt}: ${event.attempt.status ?? event.attempt.failure}${event.willRetry ? ', will retry' : ''}\n`);
      } else {
        if (event.acknowledged) acknowledged++;
        else givenUp++;
      }
      if (stderr.isTTY) draw();
    },
    end() {
      if (stderr.isTTY) stderr.write('\r\x1b[K');
    },
  };
}
