import { isUtf8 } from 'node:buffer';
import { LARGE_BODY_BYTES } from '../capture/body-view.js';
import { isRequestId } from '../capture/ids.js';
import { MARK_FLAGS, summarize, type CaptureMarks, type CapturedRequest, type PollInfo, type Refusal, type RequestSummary } from '../capture/capture.js';
import { decodeBody, encodeBody } from '../capture/encoded-body.js';
import type { ForwardInfo, ReplayRecord } from '../capture/records.js';
import type { SignatureVerdict } from '../capture/signature.js';
import type { DriftInfo, EventType, FieldChange, OutboundInfo, ProviderAnswer, SchemaVerdict } from '../capture/shapes.js';
import { isKnownJson, rememberJson } from '../capture/parsed-json.js';

/** What the user's app answered a forwarded capture, and so what its sender was answered. */
export interface ForwardNote {
  /** What the sender of the capture was answered (the app's status, or 502 / 504). */
  answered: number;
  forward: ForwardInfo;
}

/** A line that adds to a capture stored earlier: a replay of it, or its forward's answer. */
export type NoteLine =
  | { kind: 'replay'; of: string; record: ReplayRecord }
  | ({ kind: 'forwarded'; id: string } & ForwardNote)
  | ({ kind: 'analysis'; id: string } & AnalysisNote);

/**
 * What was found in a capture's body after it was answered: its schema verdict, its drift, and for a
 * body too large to be looked into before (see the receiver's late-check.ts), whether it is valid
 * JSON and its event type. A later note adds to an earlier one.
 */
export type AnalysisNote = Pick<CaptureMarks, 'schema' | 'drift' | 'invalidJson' | 'event'>;

/**
 * One line of a request-log segment: a captured request, a tombstone for a deleted one, or a note
 * about one (replay, forward). The body is the last field of a request, so that reading the index
 * at start-up can skip it (see parseIndexLine).
 */
export type LogLine = { kind: 'request'; request: CapturedRequest } | { kind: 'deleted'; id: string } | NoteLine;
export type IndexLine = { kind: 'request'; summary: RequestSummary } | { kind: 'deleted'; id: string } | NoteLine;

/**
 * A request's line, in parts. A body that is valid JSON text as it came (the receiver parsed it:
 * parsed-json.ts) and holds no line break goes into the line as a JSON value, bytes untouched,
 * between the head and `}`: `…,"headers":[…],"bodyJson":{"jobId":"a1"}}`. So does a large body that
 * looks like JSON and was not parsed before it was stored (isRawJson), with its length in the head
 * (`"bodyLength":1048576`): it is read back by that length, so the line need not be valid JSON (it is,
 * when the body is). Any other body is a string: `…,"bodyEncoding":"utf8"|"base64","body":"…"}`,
 * base64 when it is not UTF-8 or is over TEXT_BYTES.
 */
export function requestLine(request: CapturedRequest): Buffer[] {
  const { body } = request;
  const known = body.length > 0 && isKnownJson(body) && !hasLineBreak(body);
  const raw = !known && isRawJson(body);
  const head = {
    // What lists show comes first: start-up parses only up to "query" (see parseIndexLine).
    id: request.id,
    receivedAt: request.receivedAt,
    method: request.method,
    url: request.url,
    path: request.path,
    contentType: request.contentType,
    bodySize: request.bodySize,
    // Before "query", so that start-up can check a raw body's line is whole without parsing the rest.
    bodyLength: raw ? body.length : undefined,
    bodyDiscarded: request.bodyDiscarded,
    response: request.response,
    remoteAddress: request.remoteAddress,
    refusal: request.refusal,
    invalidJson: request.invalidJson,
    imported: request.imported,
    forwardOwed: request.forwardOwed,
    signature: request.signature,
    poll: request.poll,
    outbound: request.outbound,
    event: request.event,
    httpVersion: request.httpVersion,
    query: request.query,
    headers: request.headers,
    // A provider's answer (outbound calls) after the headers: start-up does not read it either.
    answer: request.answer && storedAnswer(request.answer),
  };
  if (known || raw) {
    const text = JSON.stringify(head);
    return [Buffer.from(`${text.slice(0, -1)},"bodyJson":`), body, LINE_CLOSE];
  }
  // The body last, after its encoding: start-up reads a line only up to there (parseIndexLine).
  if (body.length > TEXT_BYTES) {
    const text = JSON.stringify(head);
    return [Buffer.from(`${text.slice(0, -1)},"bodyEncoding":"base64","body":"`), Buffer.from(body.toString('base64'), 'latin1'), BASE64_CLOSE];
  }
  const encoded = encodeBody(body);
  return [Buffer.from(JSON.stringify({ ...head, bodyEncoding: encoded.bodyEncoding, body: encoded.body }) + '\n')];
}

/**
 * A body over TEXT_BYTES that goes into its line as it came, unparsed: UTF-8 text with no line
 * break that starts like a JSON object or array. Checking that costs a few hundredths of a
 * millisecond per MiB, where base64 cost about one. A body that is not valid JSON makes a line that
 * is not JSON (`jq` stops at it); one with a line break, or not UTF-8, goes in as base64.
 */
function isRawJson(body: Buffer): boolean {
  if (body.length <= TEXT_BYTES || hasLineBreak(body)) return false;
  let i = 0;
  while (body[i] === 0x20 || body[i] === 0x09) i++;
  return (body[i] === 0x7b || body[i] === 0x5b) && isUtf8(body); // { or [
}

function hasLineBreak(body: Buffer): boolean {
  return body.indexOf(0x0a) !== -1 || body.indexOf(0x0d) !== -1;
}

/**
 * Above this, a body that is not spliced in goes in as base64 even when it is text: escaping a
 * string costs about four times what base64 does (1 MiB of JSON: 4 ms against 1.2 ms).
 */
export const TEXT_BYTES = LARGE_BODY_BYTES;
const LINE_CLOSE = Buffer.from('}\n');
const BASE64_CLOSE = Buffer.from('"}\n');

export function deletedLine(id: string): Buffer {
  return Buffer.from(JSON.stringify({ deleted: id }) + '\n');
}

export function replayLine(record: ReplayRecord): Buffer {
  return Buffer.from(JSON.stringify({ replayOf: record.of, replay: record }) + '\n');
}

export function analysisLine(id: string, note: AnalysisNote): Buffer {
  return Buffer.from(JSON.stringify({ analysis: id, invalidJson: note.invalidJson, event: note.event, schema: note.schema, drift: note.drift }) + '\n');
}

export function forwardLine(id: string, note: ForwardNote): Buffer {
  return Buffer.from(JSON.stringify({ forwarded: id, answered: note.answered, forward: note.forward }) + '\n');
}

/**
 * Parses one whole line (`data` from `start` to `end`); null when it is not a well-formed record (a
 * torn or damaged write). The request's body is its own copy: `data` may be reused.
 */
export function parseLine(data: Buffer, start = 0, end = data.length): LogLine | null {
  const raw = rawBodyAt(data, start, end);
  if (raw !== -1) {
    // A raw body's line: its head is JSON up to the body, the body is read by its length.
    const value = parseObject(data.toString('utf8', start, raw) + '}');
    if (!value || !wholeRawBody(value, data, raw, end)) return null;
    const request = requestOf(value, Buffer.from(data.subarray(raw + BODY_JSON.length, end - 1)));
    return request && { kind: 'request', request };
  }
  const text = data.toString('utf8', start, end);
  const value = parseObject(text);
  if (!value) return null;
  if (typeof value.deleted === 'string') return { kind: 'deleted', id: value.deleted };
  if ('replayOf' in value || 'forwarded' in value || 'analysis' in value) return noteOf(value);
  // A body written as a JSON value: its text is the line's, from after the field name to the closing brace.
  // Parsed with its line, it is known JSON (parsed-json.ts): job matching at start-up does not parse it again.
  if ('bodyJson' in value) {
    const body = Buffer.from(text.slice(text.indexOf(BODY_JSON_TEXT) + BODY_JSON_TEXT.length, -1), 'utf8');
    const request = requestOf(value, body);
    // Read back as known JSON (parsed-json.ts): job matching at start-up does not parse the body again.
    if (request) rememberJson(body, value.bodyJson);
    return request && { kind: 'request', request };
  }
  if (typeof value.body !== 'string' || !isEncoding(value.bodyEncoding)) return null;
  const request = requestOf(value, decodeBody({ body: value.body, bodyEncoding: value.bodyEncoding }));
  return request && { kind: 'request', request };
}

// In JSON text every quote inside a string is escaped, so these sequences can only be the fields themselves.
const SUMMARY_END = Buffer.from(',"query":');
const BODY_FIELD = Buffer.from(',"bodyEncoding":"');
const BODY_JSON_TEXT = ',"bodyJson":';
/** Before the body (the only raw JSON in a line), so the first of these in a line is the field itself. */
const BODY_JSON = Buffer.from(BODY_JSON_TEXT);
/** In the head of a line whose body is raw (see requestLine), before the body. */
const BODY_LENGTH = Buffer.from(',"bodyLength":');
/** Notes start with their kind (and may hold bodies of their own): read whole. */
const NOTE_START = /^\{"(replayOf|forwarded|analysis)":/;
const LINE_END = Buffer.from('"}');

/** Where the `,"bodyJson":` of a line whose body is raw (its head has a bodyLength) is; -1 for any other line. */
function rawBodyAt(data: Buffer, start: number, end: number): number {
  // Searched within the line only: a line without the field must not send the search through the lines after it.
  const at = data.subarray(start, end).indexOf(BODY_JSON);
  return at !== -1 && data.subarray(start, start + at).indexOf(BODY_LENGTH) !== -1 ? start + at : -1;
}

/** True when a raw body is all there: as long as its head says, and closed (a torn write is neither). */
function wholeRawBody(head: Record<string, unknown>, data: Buffer, marker: number, end: number): boolean {
  return head.bodyLength === end - 1 - (marker + BODY_JSON.length) && data[end - 1] === 0x7d;
}

/**
 * What the index needs from a line, without decoding its headers or body: the summary fields at
 * the start of the line are parsed, the body is only checked to be where a whole line puts it.
 * Start-up reads every line, so this keeps it fast and light however large the requests are.
 */
export function parseIndexLine(data: Buffer, start: number, end: number): IndexLine | null {
  if (NOTE_START.test(data.toString('latin1', start, Math.min(start + 16, end)))) return parseLine(data, start, end) as IndexLine | null;
  // Searched within the line only: a line without the field must not send the search through the lines after it.
  const bytes = data.subarray(start, end);
  const at = bytes.indexOf(BODY_JSON);
  const json = at === -1 ? -1 : start + at;
  const field = json === -1 ? bytes.indexOf(BODY_FIELD) : -1;
  const marker = json !== -1 ? json : field === -1 ? -1 : start + field;
  if (marker === -1) {
    const line = parseLine(data, start, end);
    return line?.kind === 'request' ? { kind: 'request', summary: summarize(line.request) } : line;
  }
  if (marker === json) {
    // The body is the line's end: a whole line closes it with `}`.
    if (data[end - 1] !== 0x7d || end - marker <= BODY_JSON.length + 1) return null;
  } else {
    const tail = data.toString('latin1', marker + BODY_FIELD.length, Math.min(marker + BODY_FIELD.length + 16, end));
    if (!/^(utf8|base64)","body":"/.test(tail) || data.compare(LINE_END, 0, 2, end - 2, end) !== 0) return null;
  }
  const summaryEnd = data.indexOf(SUMMARY_END, start);
  const headEnd = summaryEnd !== -1 && summaryEnd < marker ? summaryEnd : marker;
  const value = parseObject(data.toString('utf8', start, headEnd) + '}');
  // A raw body's length is before "query": a line cut short within its body is found here.
  if (value && 'bodyLength' in value && (marker !== json || !wholeRawBody(value, data, marker, end))) return null;
  // The headers are after the summary fields: not read here.
  const head = value && requestOf(value, NO_BODY, false);
  return head ? { kind: 'request', summary: summarize(head) } : null;
}

const NO_BODY = Buffer.alloc(0);

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A note line, or null when it is not whole. */
function noteOf(v: Record<string, unknown>): NoteLine | null {
  if (typeof v.replayOf === 'string' && isRequestId(v.replayOf)) {
    const record = v.replay as ReplayRecord | undefined;
    return record && typeof record === 'object' && typeof record.id === 'string' && record.of === v.replayOf
      ? { kind: 'replay', of: v.replayOf, record }
      : null;
  }
  if (typeof v.analysis === 'string') {
    if (!isRequestId(v.analysis)) return null;
    const schema = schemaOf(v.schema);
    const drift = driftOf(v.drift);
    return {
      kind: 'analysis',
      id: v.analysis,
      ...(v.invalidJson === true && { invalidJson: true as const }),
      ...eventOf(v.event),
      ...(schema && { schema }),
      ...(drift && { drift }),
    };
  }
  const forward = v.forward as ForwardInfo | undefined;
  if (typeof v.forwarded !== 'string' || typeof v.answered !== 'number' || !forward || typeof forward !== 'object') return null;
  const info: ForwardInfo = { status: typeof forward.status === 'number' ? forward.status : null, latencyMs: Number(forward.latencyMs) || 0 };
  if (typeof forward.error === 'string') info.error = forward.error;
  if (forward.notSent === true) info.notSent = true;
  return { kind: 'forwarded', id: v.forwarded, answered: v.answered, forward: info };
}

function schemaOf(value: unknown): SchemaVerdict | undefined {
  const v = value as Partial<SchemaVerdict> | null | undefined;
  if (v?.verdict !== 'valid' && v?.verdict !== 'invalid' && v?.verdict !== 'unchecked') return undefined;
  const verdict: SchemaVerdict = { verdict: v.verdict };
  if (typeof v.against === 'string') verdict.against = v.against;
  if (Array.isArray(v.errors)) verdict.errors = v.errors.filter((e): e is string => typeof e === 'string');
  if (typeof v.reason === 'string') verdict.reason = v.reason;
  return verdict;
}

function driftOf(value: unknown): DriftInfo | undefined {
  const v = value as Partial<DriftInfo> | null | undefined;
  if (typeof v?.event !== 'string' || !Array.isArray(v.changes)) return undefined;
  const changes = v.changes.filter(
    (c): c is FieldChange => typeof c?.path === 'string' && (c.change === 'new' || c.change === 'missing' || c.change === 'type'),
  );
  return { event: v.event, changes };
}

const isEncoding = (v: unknown): v is 'utf8' | 'base64' => v === 'utf8' || v === 'base64';

/**
 * The request a line's fields and its body make; null when a field it must have is missing. Made in
 * one object literal, not spread from another: start-up reads every line through here, and a spread
 * of a large object is several times slower and leaves more for the garbage collector.
 */
function requestOf(v: Record<string, unknown>, body: Buffer, withHeaders = true): CapturedRequest | null {
  if (typeof v.id !== 'string' || !isRequestId(v.id) || typeof v.method !== 'string' || typeof v.url !== 'string') return null;
  if (withHeaders && !Array.isArray(v.headers)) return null;
  const response = (v.response ?? {}) as { status?: unknown; rule?: unknown; relayed?: unknown; unanswered?: unknown };
  return {
    id: v.id,
    receivedAt: String(v.receivedAt),
    method: v.method,
    url: v.url,
    path: typeof v.path === 'string' && v.path !== v.url ? v.path : v.url,
    query: Array.isArray(v.query) ? (v.query as [string, string][]) : [],
    httpVersion: String(v.httpVersion ?? '1.1'),
    headers: Array.isArray(v.headers) ? (v.headers as [string, string][]) : [],
    remoteAddress: typeof v.remoteAddress === 'string' ? v.remoteAddress : null,
    contentType: typeof v.contentType === 'string' ? v.contentType : null,
    bodySize: Number(v.bodySize ?? 0),
    bodyDiscarded: v.bodyDiscarded === true,
    response: {
      status: Number(response.status ?? 200),
      ...(typeof response.rule === 'string' && { rule: response.rule }),
      ...(response.relayed === true && { relayed: true }),
      ...((response.unanswered === 'hung' || response.unanswered === 'dropped') && { unanswered: response.unanswered }),
    },
    ...refusalOf(v.refusal),
    // Lines written before a mark existed have no field: read as not marked.
    ...flagsOf(v),
    ...signatureOf(v.signature),
    ...pollOf(v.poll),
    ...outboundOf(v.outbound),
    ...eventOf(v.event),
    ...answerOf(v.answer),
    body,
  };
}

/** A capture's event type; lines written before hook-catch told event types, and captures of no known event, have none. */
function eventOf(value: unknown): { event?: EventType } {
  const v = value as Partial<EventType> | null | undefined;
  if (typeof v?.type !== 'string' || typeof v.from !== 'string') return {};
  return { event: typeof v.provider === 'string' ? { type: v.type, provider: v.provider, from: v.from } : { type: v.type, from: v.from } };
}

/** What a call through the provider port was; lines of received requests have none. */
function outboundOf(value: unknown): { outbound?: OutboundInfo } {
  const v = value as Partial<OutboundInfo> | null | undefined;
  if (typeof v?.provider !== 'string' || (v.role !== 'submit' && v.role !== 'poll' && v.role !== 'call')) return {};
  return { outbound: { ...(v as OutboundInfo), latencyMs: Number(v.latencyMs) || 0 } };
}

/**
 * A provider's answer as its call's line holds it: its body under other names than the request's
 * (`encoding`, `data`), so that the request's own `,"bodyEncoding":"` stays the only one in the line.
 */
function storedAnswer(answer: ProviderAnswer) {
  const { body, bodyEncoding, ...head } = answer;
  return { ...head, encoding: bodyEncoding, data: body };
}

function answerOf(value: unknown): { answer?: ProviderAnswer } {
  const v = value as (Omit<ProviderAnswer, 'body' | 'bodyEncoding'> & { encoding: unknown; data: unknown }) | null | undefined;
  if (typeof v?.status !== 'number' || !Array.isArray(v.headers) || typeof v.data !== 'string' || !isEncoding(v.encoding)) return {};
  const { encoding, data, ...head } = v;
  return { answer: { ...head, body: data, bodyEncoding: encoding } };
}

/** The yes-or-no marks a line holds (MARK_FLAGS): only `true` counts. */
function flagsOf(v: Record<string, unknown>): CaptureMarks {
  const marks: CaptureMarks = {};
  for (const flag of MARK_FLAGS) if (v[flag] === true) marks[flag] = true;
  return marks;
}

/** A polled answer's job and URL; lines of received requests have none. */
function pollOf(value: unknown): { poll?: PollInfo } {
  const v = value as Partial<PollInfo> | null | undefined;
  return typeof v?.jobId === 'string' && typeof v.url === 'string' ? { poll: { jobId: v.jobId, url: v.url, latencyMs: Number(v.latencyMs) || 0 } } : {};
}

/** A signature verdict as stored; lines of captures no `--verify` covered have none. */
function signatureOf(value: unknown): { signature?: SignatureVerdict } {
  const v = value as Partial<SignatureVerdict> | null | undefined;
  if (!v || (v.verdict !== 'valid' && v.verdict !== 'invalid' && v.verdict !== 'unchecked')) return {};
  const signature: SignatureVerdict = { verdict: v.verdict, scheme: typeof v.scheme === 'string' ? (v.scheme as SignatureVerdict['scheme']) : null };
  if (v.detected === true) signature.detected = true;
  if (typeof v.reason === 'string') signature.reason = v.reason;
  return { signature };
}

/** A refusal as stored; lines written before refusals were recorded have none. */
function refusalOf(value: unknown): { refusal?: Refusal } {
  const r = value as Partial<Refusal> | null | undefined;
  return typeof r?.code === 'string' && typeof r.reason === 'string' ? { refusal: { code: r.code, reason: r.reason } } : {};
}
