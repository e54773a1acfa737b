import type { ChalkInstance } from 'chalk';
import type { JobMatch } from '../jobs/types.js';
import type { EventType, RequestSummary } from '../capture/capture.js';
import type { DriftInfo, FieldChange, SchemaVerdict } from '../capture/shapes.js';
import { shortId } from '../capture/ids.js';
import { formatBytes, formatTime } from '../units.js';
import type { ForwardInfo } from '../capture/records.js';
import type { ForwardNote } from '../store/record-line.js';
import type { SignatureVerdict } from '../capture/signature.js';

const METHOD_COLORS: Record<string, 'green' | 'blue' | 'yellow' | 'red' | 'magenta'> = {
  POST: 'green',
  GET: 'blue',
  PUT: 'yellow',
  PATCH: 'yellow',
  DELETE: 'red',
};

/**
 * `12:04:05  POST    /webhook  200  1.2 kB  application/json  7hz2kq`, and for a request node:http
 * refused: `12:04:06  FOO     /webhook  501  34 B  -  k2m9xq  refused: unknown HTTP method FOO`
 */
export function requestLine(request: RequestSummary, c: ChalkInstance, withDate = false): string {
  if (request.outbound) return callLine(request, c, withDate);
  const time = formatTime(request.receivedAt, withDate);
  const method = request.poll ? c.cyan('POLLED ') : c[METHOD_COLORS[request.method] ?? 'magenta'](request.method.padEnd(7));
  const statusText = request.unanswered ? c.red.bold(request.unanswered) : httpStatus(request.status, c);
  const url = (request.url.length > 60 ? `${request.url.slice(0, 59)}…` : request.url).padEnd(20);
  const size = request.bodyDiscarded ? c.yellow(`${formatBytes(request.bodySize)} refused (--max-body)`) : formatBytes(request.bodySize);
  const type = request.contentType ? request.contentType.split(';')[0]! : '-';
  const refused = request.refusal ? `  ${c.yellow.bold(`refused: ${request.refusal.reason}`)}` : '';
  const forward = request.forward ? `  ${appNote(request.forward, c)}` : '';
  const signature = request.signature ? `  ${signatureNote(request.signature, c)}` : '';
  const schema = request.schema ? `  ${schemaNote(request.schema, c)}` : '';
  // Its time is when it was first received, elsewhere: the mark says why it is out of time order.
  const imported = request.imported ? `  ${c.cyan('imported')}` : '';
  const event = request.event ? `  ${eventNote(request.event, c)}` : '';
  const drift = request.drift?.changes.length ? `  ${c.yellow(`drift: ${changesText(request.drift.changes)}`)}` : '';
  return `${c.dim(time)}  ${method} ${url}  ${statusText}  ${size}  ${c.dim(type)}  ${c.dim(shortId(request.id))}${imported}${event}${signature}${schema}${forward}${refused}${drift}`;
}

/**
 * A call the app made to its provider through the provider port:
 * `12:04:05  → POST  /ai/v1/transcribe?webhook=…  200  41 ms  7hz2kq  submitted job a919…`, or
 * `12:04:06  → POST  /v1/tasks  502  k2m9xq  provider unreachable: api.example.com refused the connection`.
 */
function callLine(request: RequestSummary, c: ChalkInstance, withDate: boolean): string {
  const call = request.outbound!;
  const time = formatTime(request.receivedAt, withDate);
  const method = c.cyan(`→ ${request.method}`.padEnd(8));
  const statusText = httpStatus(request.status, c);
  const url = (request.url.length > 60 ? `${request.url.slice(0, 59)}…` : request.url).padEnd(20);
  const head = `${c.dim(time)}  ${method}${url}  ${statusText}  ${c.dim(`${Math.round(call.latencyMs)} ms`)}  ${c.dim(shortId(request.id))}`;
  if (call.error) return `${head}  ${c.red(`provider unreachable: ${call.error}`)}`;
  const upload = request.bodyDiscarded ? `  ${c.dim(`${formatBytes(request.bodySize)} sent on, kept as its hash`)}` : '';
  const rewritten = call.rewrittenTo ? `  ${c.magenta(`webhook URL → ${call.rewrittenTo}`)}` : '';
  return `${head}${upload}${rewritten}`;
}

/** `github issues.opened`, `stripe payment_intent.succeeded`, `Succeeded`: a capture's event type. */
export function eventNote(event: EventType, c: ChalkInstance): string {
  return event.provider ? `${c.dim(event.provider)} ${c.bold(event.type)}` : c.bold(event.type);
}

/** `answered 429`, or for a request a rule answered nothing, `no answer: hung` / `no answer: dropped`. */
export function answeredText(answered: number, unanswered: 'hung' | 'dropped' | undefined, c: ChalkInstance): string {
  return unanswered ? c.red(`no answer: ${unanswered}`) : `answered ${httpStatus(answered, c)}`;
}

/** An HTTP status coloured: green 1xx–2xx, yellow 3xx–4xx, red 5xx. */
export function httpStatus(status: number, c: ChalkInstance): string {
  return status < 300 ? c.green(String(status)) : status < 500 ? c.yellow(String(status)) : c.red(String(status));
}

/** `✓ stripe`, `✗ github: signature header missing (X-Hub-Signature-256)`, `? unchecked`: the `--verify` verdict. */
export function signatureNote(signature: SignatureVerdict, c: ChalkInstance): string {
  const scheme = signature.scheme ?? 'signature';
  if (signature.verdict === 'valid') return c.green(`✓ ${scheme}`);
  if (signature.verdict === 'invalid') return c.red(`✗ ${scheme}: ${signature.reason ?? 'invalid'}`);
  return c.dim(`? ${scheme} unchecked`);
}

/**
 * `✓ schema`, `✗ schema: data.object.amount: expected integer, got string "12" (+2 more)`,
 * `? schema unchecked`: the `--schema` verdict (the first error only: `show` has them all).
 */
export function schemaNote(schema: SchemaVerdict, c: ChalkInstance): string {
  if (schema.verdict === 'valid') return c.green('✓ schema');
  if (schema.verdict === 'unchecked') return c.dim('? schema unchecked');
  const [first, ...more] = schema.errors ?? [];
  return c.red(`✗ schema${first ? `: ${first}` : ''}`) + (more.length ? c.dim(` (+${more.length} more)`) : '');
}

/** `→ app 200 12 ms`, `→ app unreachable` : what the user's app answered a forwarded capture. */
export function appNote(forward: ForwardInfo, c: ChalkInstance): string {
  const ms = `${Math.round(forward.latencyMs)} ms`;
  if (forward.notSent) return c.red(`→ ${forward.error ?? 'not forwarded'}`);
  if (forward.status === null) return c.red(`→ app failed (${forward.error ?? 'no answer'})`);
  const color = forward.status < 300 ? c.green : forward.status < 500 ? c.yellow : c.red;
  return `→ app ${color(String(forward.status))} ${c.dim(ms)}`;
}

/** `  7hz2kq → app 200 12 ms`: a forward done in the background (`--forward-mode ack`, or a rule answered). */
export function forwardLine(id: string, note: ForwardNote, c: ChalkInstance): string {
  return `${' '.repeat(10)}${c.dim(`forwarded ${shortId(id)}`)} ${appNote(note.forward, c)}`;
}

/** `          drift  issues.opened  new field issue.labels[].color; missing issue.body  7hz2kq`: found after the capture's own line. */
export function driftLine(id: string, drift: DriftInfo, c: ChalkInstance): string {
  return `${' '.repeat(10)}${c.yellow('drift')}  ${c.bold(drift.event)}  ${changesText(drift.changes)}  ${c.dim(shortId(id))}`;
}

/** `new field a.b; missing c; type d: integer → string`, at most a few fields named, then how many more. */
export function changesText(changes: FieldChange[], most = 6): string {
  const named = changes.slice(0, most).map(changeText);
  const more = changes.length > most ? `; and ${changes.length - most} more` : '';
  return named.join('; ') + more;
}

export function changeText(change: FieldChange): string {
  if (change.change === 'new') return `new field ${change.path}`;
  if (change.change === 'missing') return `missing ${change.path}`;
  return `type ${change.path} ${change.was ?? '?'} → ${change.now ?? '?'}`;
}

/** `  (rule r1: 500 on purpose, delivery 1 of job t-1 (fail-first 2))` */
export function shapedNote(rule: string | undefined, c: ChalkInstance): string {
  return rule ? `  ${c.magenta(`(${rule})`)}` : '';
}

/** `  job a9199e4e completed`, `  job t-1 retry #2 (duplicate), refused`, `  job a1 imported (not a live delivery)` */
export function jobNote(match: JobMatch | null, c: ChalkInstance): string {
  if (!match) return '';
  const id = match.jobId.length > 24 ? `${match.jobId.slice(0, 23)}…` : match.jobId;
  if (match.source === 'submit') return `  ${c.bold(`submitted job ${id}`)}${c.dim(` (${match.matchedBy})`)}`;
  if (match.source === 'poll') return `  ${c.bold(`job ${id}`)} ${c.cyan(`provider says ${match.statusWord ?? 'nothing we know'}`)}`;
  if (match.source === 'import') return `  ${c.bold(`job ${id}`)} ${c.cyan('imported (not a live delivery)')}`;
  const color = match.jobStatus === 'completed' ? c.green : match.jobStatus === 'failed' || match.jobStatus === 'refused' ? c.red : c.yellow;
  const state = match.duplicate ? c.magenta(`retry #${match.attempt} (duplicate)`) : color(match.jobStatus.replace('_', ' '));
  // Said once: the job's state already reads `refused` when every delivery was.
  const refused = match.refused && (match.duplicate || match.jobStatus !== 'refused') ? c.red(', refused') : '';
  return `  ${c.bold(`job ${id}`)} ${state}${refused}${match.expected ? '' : c.dim(' (not expected)')}`;
}
