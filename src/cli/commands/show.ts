import { toJsonRecord, type CapturedRequest } from '../../capture/capture.js';
import { formatBytes, formatTime } from '../../units.js';
import { shortId } from '../../capture/ids.js';
import { openForReading } from '../../store/open-readonly.js';
import { chalkFor } from '../../terminal/color.js';
import { appNote, changesText, eventNote, signatureNote } from '../../terminal/request-line.js';
import type { ReplayRecord } from '../../capture/records.js';
import type { JobMatch } from '../../jobs/types.js';
import type { RequestRecord } from '../../wire/requests.js';
import { bodyLines } from './show-body.js';
import { answerLines, answeredNote, callRows } from './show-call.js';
import { noSuchRequest } from './show-newest.js';

export interface ShowOptions {
  dir: string;
  /** Write the exact body bytes and nothing else. */
  body?: boolean;
  json?: boolean;
}

/** `hook-catch show <id>`: one stored request in full. */
export async function showRequest(ref: string, options: ShowOptions, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream = process.stderr) {
  const { log } = await openForReading(options.dir);
  const request = await log.get(ref);
  if (!request) {
    // A job id names no request: its timeline, as `jobs <id>` shows it.
    const job = options.body ? null : await (await import('./jobs.js')).readJob(options.dir, ref, stderr);
    if (job) {
      const { describeJob } = await import('./job-timeline.js');
      return void stdout.write(options.json ? JSON.stringify(job, null, 2) + '\n' : describeJob(job, chalkFor(stdout)));
    }
    throw noSuchRequest(ref, options.dir);
  }
  if (options.body) {
    stdout.write(request.body);
    return;
  }
  const job = await jobOf(options.dir, request.id);
  if (options.json) {
    stdout.write(JSON.stringify({ ...toJsonRecord(request), job, replays: await log.replaysOf(request.id) }, null, 2) + '\n');
    return;
  }
  const replays = await log.replaysOf(request.id);
  stdout.write(describeRequest(request, job, stdout) + describeReplays(replays, stdout));
}

/**
 * The job a request was matched to: as the running instance has it, or worked out from the store when
 * none runs. The jobs are loaded here, when shown (`show --body` needs none of them).
 */
async function jobOf(dir: string, id: string): Promise<JobMatch | null> {
  const [{ readJobsOffline }, { withInstanceOrStore }] = await Promise.all([import('../../jobs/offline.js'), import('../instance-or-store.js')]);
  // Also when the instance cannot say (gone meanwhile): the store is read beside it.
  const fromStore = async () => (await readJobsOffline(dir)).registry.matchOf(id);
  return withInstanceOrStore(dir, {
    online: async (client) => {
      const answer = await client.api<RequestRecord>('GET', `/api/requests/${id}`).catch(() => null);
      return answer?.summary ? (answer.summary.job ?? null) : fromStore();
    },
    offline: fromStore,
  });
}

/**
 * `a9199e4e: delivery, "Completed"; the job is completed`, `t-42: retry 2 (duplicate), refused (answered
 * 500): not acknowledged, its sender will usually send it again`, `a1: imported, not a live delivery`.
 */
function jobLine(match: JobMatch, answered: string, c: ReturnType<typeof chalkFor>): string {
  const said = match.statusWord ?? match.status;
  const state = `the job is ${match.jobStatus.replace('_', ' ')}${match.expected ? '' : ' (not expected)'}`;
  if (match.source === 'submit') return `${match.jobId}: its submit (job id at ${match.matchedBy}); ${state}`;
  if (match.source === 'poll' && match.matchedBy === 'provider port') return `${match.jobId}: the app's status call, the provider said "${said}"; ${state}`;
  if (match.source === 'poll') return `${match.jobId}: a polled answer, the provider said "${said}"; ${state}`;
  if (match.source === 'import') return `${match.jobId}: ${c.cyan('imported, not a live delivery')} ("${said}"); ${state}`;
  const which = match.duplicate ? `retry ${match.attempt} (duplicate)` : 'delivery';
  const refused = match.refused ? `, ${c.red(`refused (answered ${answered}): not acknowledged, its sender will usually send it again`)}` : '';
  return `${match.jobId}: ${which}${refused}, "${said}"; ${state}`;
}

/** `Replays` and one line per replay: when, edited or not, where to, what came back. */
function describeReplays(replays: ReplayRecord[], stdout: NodeJS.WritableStream): string {
  if (replays.length === 0) return '';
  const c = chalkFor(stdout);
  const lines = ['', c.bold(`Replays (${replays.length})`)];
  for (const replay of replays) {
    const { result } = replay;
    const answer = result.ok ? `${result.status} in ${Math.round(result.latencyMs)} ms` : c.red(result.error);
    lines.push(
      `  ${formatTime(replay.at, true)}  ${replay.sent.method} ${replay.to}${replay.edited ? c.yellow(' (edited)') : ''}  ${c.bold('→')} ${answer}  ${c.dim(replay.id)}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** The verdict, whether the scheme was found from the headers, and the reason for any verdict but invalid (which has it already). */
function signatureLine(signature: NonNullable<CapturedRequest['signature']>, c: ReturnType<typeof chalkFor>): string {
  const detected = signature.detected ? c.dim(' (scheme found from the headers)') : '';
  const reason = signature.verdict !== 'invalid' && signature.reason ? c.dim(`: ${signature.reason}`) : '';
  return signatureNote(signature, c) + reason + detected;
}

/** `✓ valid against webhooks.orderCreated`, or the verdict then each error on a line of its own, or why it is unchecked. */
function schemaRows(schema: NonNullable<CapturedRequest['schema']>, c: ReturnType<typeof chalkFor>): string[] {
  const against = schema.against ? c.dim(` against ${schema.against}`) : '';
  if (schema.verdict === 'valid') return [c.green('✓ valid') + against];
  if (schema.verdict === 'unchecked') return [c.dim(`? unchecked: ${schema.reason ?? 'no reason kept'}`)];
  return [c.red('✗ invalid') + against, ...(schema.errors ?? []).map((error) => c.red(`  ${error}`))];
}

function describeRequest(request: CapturedRequest, job: JobMatch | null, stdout: NodeJS.WritableStream): string {
  const c = chalkFor(stdout);
  const row = (label: string, value: string) => `${c.dim(label.padEnd(10))}${value}`;
  const lines = [
    `${c.bold(request.method)} ${request.url}  ${c.dim(`HTTP/${request.httpVersion}`)}`,
    row('id', `${request.id} ${c.dim(`(short ${shortId(request.id)})`)}`),
    row(
      'received',
      `${formatTime(request.receivedAt, true)} from ${request.remoteAddress ?? 'unknown'}${request.imported ? c.cyan(' (imported from a fixture: first received then, stored here later)') : ''}`,
    ),
    row(
      'answered',
      `${request.response.unanswered ? c.red(`nothing: ${request.response.unanswered}, the connection was closed without an answer`) : request.response.status}${request.response.rule ? c.magenta(`  (${request.response.rule})`) : ''}${request.outbound ? c.dim(answeredNote(request)) : ''}`,
    ),
    ...(request.forward
      ? [row('forward', appNote(request.forward, c))]
      : request.forwardOwed
        ? [row('forward', c.yellow('waiting: not sent to your app yet (sent after the next start with --forward, if hook-catch is not running)'))]
        : []),
    ...(request.outbound ? callRows(request, c).map(([label, value]) => row(label, value)) : []),
    ...(job ? [row('job', jobLine(job, request.response.unanswered ? `nothing, ${request.response.unanswered}` : String(request.response.status), c))] : []),
    ...(request.event ? [row('event', `${eventNote(request.event, c)}${c.dim(`  (from ${request.event.from})`)}`)] : []),
    ...(request.signature ? [row('signature', signatureLine(request.signature, c))] : []),
    ...(request.schema ? schemaRows(request.schema, c).map((text, i) => row(i === 0 ? 'schema' : '', text)) : []),
    ...(request.drift?.changes.length ? [row('drift', c.yellow(changesText(request.drift.changes, Infinity)))] : []),
    ...(request.poll
      ? [
          row(
            'polled',
            `${c.cyan(request.poll.url)} for job ${request.poll.jobId}, answered in ${Math.round(request.poll.latencyMs)} ms ${c.dim("(the headers and body below are the provider's answer)")}`,
          ),
        ]
      : []),
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
  if (request.outbound) lines.push(...answerLines(request, c));
  return lines.join('\n') + '\n';
}
