import { decodeBody } from '../../capture/encoded-body.js';
import { shortId } from '../../capture/ids.js';
import type { ReplayRecord } from '../../capture/records.js';
import { notKeptWarning } from '../../replay/replay.js';
import { chalkFor } from '../../terminal/color.js';
import { formatBytes } from '../../units.js';

/** What the target's answer means for the exit code: 0 a 2xx, 2 another status, 1 no answer. */
export const REPLAY_EXIT = { answered2xx: 0, unreachable: 1, otherStatus: 2 } as const;
/** Of the answer's body, this much is printed (all of what was kept with `--json`). */
const SHOWN_BYTES = 2000;

/** Prints each replay; the exit code: 1 when any target could not be reached, else 2 when any answer was not 2xx, else 0. */
export function report(records: ReplayRecord[], json: boolean | undefined, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): number {
  if (json) stdout.write(JSON.stringify(records.length === 1 ? records[0] : records, null, 2) + '\n');
  else for (const record of records) print(record, stdout);
  let code: number = REPLAY_EXIT.answered2xx;
  for (const record of records) {
    const { result } = record;
    // A replay that went out but could not be kept says so; the exit code still tells what the app answered.
    const said = notKeptWarning(record) ?? (result.ok ? null : result.error);
    if (said) stderr.write(`hook-catch: ${said}\n`);
    if (!result.ok) code = REPLAY_EXIT.unreachable;
    else if ((result.status < 200 || result.status >= 300) && code === REPLAY_EXIT.answered2xx) code = REPLAY_EXIT.otherStatus;
  }
  return code;
}

/** `→ POST http://…/webhook  (replay of 7hz2kq)`, `← 200 OK in 12 ms, 35 B`, then the start of the body. */
function print(record: ReplayRecord, stdout: NodeJS.WritableStream): void {
  const c = chalkFor(stdout);
  const what = `replay of ${shortId(record.of)}${record.edited ? ', edited' : ''}${record.resigned ? `, re-signed (${record.resigned})` : ''}`;
  const lines = [`${c.bold('→')} ${c.bold(record.sent.method)} ${record.to}  ${c.dim(`(${what})`)}`];
  const { result } = record;
  if (!result.ok) {
    lines.push(`${c.bold('←')} ${c.red('no answer')}  ${c.dim(`after ${Math.round(result.latencyMs)} ms`)}`);
    stdout.write(lines.join('\n') + '\n');
    return;
  }
  const color = result.status < 300 ? c.green : result.status < 500 ? c.yellow : c.red;
  const type = result.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  lines.push(
    `${c.bold('←')} ${color(`${result.status} ${result.statusText}`.trim())}  ${c.dim(`in ${Math.round(result.latencyMs)} ms, ${formatBytes(result.bodySize)}${type ? `, ${type}` : ''}`)}`,
  );
  const body = decodeBody(result);
  if (body.length) {
    const text =
      result.bodyEncoding === 'utf8' ? body.toString('utf8', 0, SHOWN_BYTES) : c.dim(`(${formatBytes(result.bodySize)} of binary; --json has it as base64)`);
    lines.push(text);
    if (result.bodyEncoding === 'utf8' && result.bodySize > SHOWN_BYTES)
      lines.push(c.dim(`… first ${formatBytes(SHOWN_BYTES)} of ${formatBytes(result.bodySize)} shown; --json for all of it`));
  }
  stdout.write(lines.join('\n') + '\n');
}
