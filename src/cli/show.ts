import { Command } from 'commander';
import { toJsonRecord, type CapturedRequest } from '../receiver/capture.js';
import { HookCatchError } from '../errors.js';
import { formatBytes, formatTime } from '../units.js';
import { shortId } from '../receiver/ids.js';
import { openForReading } from '../store/open-readonly.js';
import { chalkFor } from '../terminal/reporter.js';
import { appNote, signatureNote } from '../terminal/request-line.js';
import type { ReplayRecord } from '../replay/types.js';
import { dirOption } from './args.js';
import { bodyLines } from './show-body.js';

export interface ShowOptions {
  dir: string;
  /** Write the exact body bytes and nothing else. */
  body?: boolean;
  json?: boolean;
}

/** `hook-catch show <id>`: one stored request in full. */
export async function showRequest(ref: string, options: ShowOptions, stdout: NodeJS.WritableStream) {
  const { log } = await openForReading(options.dir);
  const request = await log.get(ref);
  if (!request) {
    throw new HookCatchError(`No stored request matches "${ref}" in ${options.dir}. \`hook-catch list\` shows what is stored.`);
  }
  if (options.body) {
    stdout.write(request.body);
    return;
  }
  if (options.json) {
    stdout.write(JSON.stringify({ ...toJsonRecord(request), replays: await log.replaysOf(request.id) }, null, 2) + '\n');
    return;
  }
  const replays = await log.replaysOf(request.id);
  stdout.write(describeRequest(request, stdout) + describeReplays(replays, stdout));
}

/** `Replays` and one line per replay: when, edited or not, where to, what came back. */
function describeReplays(replays: ReplayRecord[], stdout: NodeJS.WritableStream): string {
  if (replays.length === 0) return '';
  const c = chalkFor(stdout);
  const lines = ['', c.bold(`Replays (${replays.length})`)];
  for (const replay of replays) {
    const { result } = replay;
    const answer = result.ok ? `${result.status} in ${Math.round(result.latencyMs)} ms` : c.red(result.error);
    lines.push(`  ${formatTime(replay.at, true)}  ${replay.sent.method} ${replay.to}${replay.edited ? c.yellow(' (edited)') : ''}  ${c.bold('→')} ${answer}  ${c.dim(replay.id)}`);
  }
  return lines.join('\n') + '\n';
}

/** The verdict, whether the scheme was found from the headers, and the reason for any verdict but invalid (which has it already). */
function signatureLine(signature: NonNullable<CapturedRequest['signature']>, c: ReturnType<typeof chalkFor>): string {
  const detected = signature.detected ? c.dim(' (scheme found from the headers)') : '';
  const reason = signature.verdict !== 'invalid' && signature.reason ? c.dim(`: ${signature.reason}`) : '';
  return signatureNote(signature, c) + reason + detected;
}

function describeRequest(request: CapturedRequest, stdout: NodeJS.WritableStream): string {
  const c = chalkFor(stdout);
  const row = (label: string, value: string) => `${c.dim(label.padEnd(10))}${value}`;
  const lines = [
    `${c.bold(request.method)} ${request.url}  ${c.dim(`HTTP/${request.httpVersion}`)}`,
    row('id', `${request.id} ${c.dim(`(short ${shortId(request.id)})`)}`),
    row('received', `${formatTime(request.receivedAt, true)} from ${request.remoteAddress ?? 'unknown'}`),
    row('answered', `${request.response.status}${request.response.rule ? c.magenta(`  (${request.response.rule})`) : ''}`),
    ...(request.forward ? [row('forward', appNote(request.forward, c))] : request.forwardOwed ? [row('forward', c.yellow('waiting: not sent to your app yet (sent after the next start with --forward, if hook-catch is not running)'))] : []),
    ...(request.signature ? [row('signature', signatureLine(request.signature, c))] : []),
    ...(request.poll ? [row('polled', `${c.cyan(request.poll.url)} for job ${request.poll.jobId}, answered in ${Math.round(request.poll.latencyMs)} ms ${c.dim('(the headers and body below are the provider\'s answer)')}`)] : []),
    ...(request.refusal ? [row('refused', c.yellow(`${request.refusal.reason} (${request.refusal.code})`))] : []),
    row('body', `${formatBytes(request.bodySize)}${request.contentType ? `, ${request.contentType}` : ''}`),
    '',
    c.bold('Headers'),
    ...request.headers.map(([name, value]) => `  ${c.cyan(name)}: ${value}`),
    '',
  ];
  if (request.bodyDiscarded) {
    lines.push(c.yellow('Body not kept: it was over the --max-body limit and was answered 413.'));
  } else if (request.body.length > 0) {
    if (request.refusal) {
      const { body, bodyEncoding } = toJsonRecord(request);
      lines.push(c.bold('First bytes received (--body gives them exactly)'));
      lines.push(bodyEncoding === 'utf8' ? body : c.dim(`(binary; save it with: hook-catch show ${shortId(request.id)} --body > file)`));
    } else lines.push(...bodyLines(request, c));
  }
  return lines.join('\n') + '\n';
}
export function showCommand(): Command {
  return new Command('show')
    .description('show one stored request: its headers and body')
    .argument('<id>', 'a request id, the short id from the log (its last characters), or "last"')
    .addOption(dirOption())
    .option('--body', 'write only the exact body bytes (for files and pipes)')
    .option('--json', 'print the whole record as JSON (body as text, or base64 when binary) and its replays')
    .action(async (id: string, flags) => {
      await showRequest(id, { dir: flags.dir, body: flags.body, json: flags.json }, process.stdout);
    });
}
