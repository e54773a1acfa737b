import type { ChalkInstance } from 'chalk';
import { statuses } from '../../deliver/deliver-checks.js';
import type { Check, DeliverProgress, DeliverReport, SendReport } from '../../deliver/deliver-types.js';
import { formatDuration, formatFlagDuration } from '../../units.js';
import { writeWarnings } from '../output.js';

/** The report: a line per send in the order sent (statuses, attempts, latencies), the checks, a summary. */
export function reportText(report: DeliverReport, c: ChalkInstance): string {
  const { schedule } = report;
  const backoff = schedule.backoffMs.map(formatFlagDuration).join(',');
  const title = c.bold(`Delivered ${report.webhooks.length} webhook${report.webhooks.length === 1 ? '' : 's'} to ${report.to}`);
  const lines = [title + c.dim(`  (up to ${schedule.attempts} attempts, ${backoff} apart${schedule.speed === 1 ? '' : ` at ${schedule.speed}x`})`), ''];
  // A row per send in the order they went out (with --shuffle, not the order given); those never sent last.
  const rows = report.webhooks
    .flatMap((w) => (w.sends.length ? w.sends : [null]).map((send) => ({ w, cells: send ? sendCells(send) : null, send })))
    .sort((a, b) => (a.send?.order ?? Infinity) - (b.send?.order ?? Infinity));
  // Each column as wide as its widest cell, so that long retry chains stay aligned.
  const width = (i: number) => Math.max(0, ...rows.map((r) => r.cells?.[i]?.length ?? 0));
  const what = Math.max(...rows.map((r) => `${r.w.method} ${shorten(r.w.path)}`.length));
  for (const { w, cells, send } of rows) {
    const head = `  ${w.label.padEnd(8)} ${`${w.method} ${shorten(w.path)}`.padEnd(what)}  `;
    if (!cells || !send) {
      lines.push(head + c.dim('not sent (stopped)'));
      continue;
    }
    const result = send.acknowledged ? c.green('acknowledged') : c.red('never acknowledged');
    const error = send.attempts.at(-1)?.error;
    lines.push(
      `${head}${cells.map((cell, i) => cell.padEnd(width(i))).join('  ')}  ${result}${send.duplicate ? c.magenta(' (duplicate)') : ''}${!send.acknowledged && error ? c.dim(`  ${error}`) : ''}`,
    );
  }
  lines.push('');
  for (const check of Object.values(report.checks)) lines.push(...checkLines(check, c));
  const sends = report.webhooks.flatMap((w) => w.sends);
  const acked = sends.filter((s) => s.acknowledged).length;
  const failed = Object.values(report.checks).filter((check) => !check.ok).length;
  const verdict = failed ? c.red(`; ${failed} check${failed === 1 ? '' : 's'} failed`) : '';
  lines.push('', `${acked} of ${sends.length} sends acknowledged in ${formatDuration(report.durationMs)}${verdict}`);
  return lines.join('\n') + '\n';
}

/** `500 → 500 → 200`, `3 attempts`, `9, 2, 5 ms`. */
function sendCells(send: SendReport): string[] {
  const n = send.attempts.length;
  return [statuses(send.attempts), `${n} attempt${n === 1 ? '' : 's'}`, `${send.attempts.map((a) => Math.round(a.latencyMs)).join(', ')} ms`];
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
    stderr.write(
      `\r\x1b[K${c.cyan('█'.repeat(filled))}${c.dim('░'.repeat(width - filled))} ${done}/${total} settled · ${acknowledged} acknowledged · ${retrying} waiting to retry${givenUp ? c.red(` · ${givenUp} given up`) : ''}`,
    );
  };
  return {
    event(event: DeliverProgress) {
      if (event.type === 'warning') return void writeWarnings(stderr, [event.text]);
      if (event.type === 'planned') total = event.sends;
      else if (event.type === 'attempt') {
        if (event.willRetry) retrying++;
        if (event.attempt.attempt > 1) retrying--;
        if (!stderr.isTTY && event.attempt.status !== null && event.attempt.status < 300 && event.attempt.status >= 200) return;
        if (!stderr.isTTY)
          stderr.write(
            `hook-catch: ${event.label}${event.duplicate ? ' (duplicate)' : ''} attempt ${event.attempt.attempt}: ${event.attempt.status ?? event.attempt.failure}${event.willRetry ? ', will retry' : ''}\n`,
          );
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
