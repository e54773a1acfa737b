import type { ChalkInstance } from 'chalk';
import { shortId } from '../../capture/ids.js';
import { formatBytes, formatTime } from '../../units.js';
import type { BodyDiff, CaptureDiff, DiffSide, HeaderDiff, TextLine, ValueChange } from '../../wire/diff.js';

// What `hook-catch diff` prints: the two captures, then what differs in the body (and the headers),
// one line per difference at its path. Colours only on a terminal (chalkFor).

/** A value shown in a line at most this long (the whole of it: --json). */
const VALUE_WIDTH = 100;
/** A text line shown at most this long. */
const LINE_WIDTH = 200;

export function describeDiff(diff: CaptureDiff, c: ChalkInstance): string {
  const lines = [side('a', diff.a, c), side('b', diff.b, c), '', ...bodyLines(diff.body, c)];
  if (diff.headers) lines.push('', ...headerLines(diff.headers, c));
  return lines.join('\n') + '\n';
}

/** `a  7hz2kq  POST /webhook  2026-12-05 12:00:01  42 B, application/json`, and the file of a fixture. */
function side(name: string, s: DiffSide, c: ChalkInstance): string {
  const what = `${formatBytes(s.bodySize)}${s.contentType ? `, ${s.contentType}` : ''}`;
  const file = s.file ? c.dim(`  (fixture ${s.file})`) : '';
  return `${c.bold(name)}  ${c.dim(shortId(s.id))}  ${c.bold(s.method)} ${s.url}  ${c.dim(formatTime(s.receivedAt, true))}  ${c.dim(what)}${file}`;
}

const AS: Record<BodyDiff['as'], string> = { json: 'as JSON', form: 'as form fields', text: 'as text', bytes: 'byte for byte' };

function bodyLines(body: BodyDiff, c: ChalkInstance): string[] {
  const heading = `${c.bold('Body')}, ${AS[body.as]}: ${body.equal ? c.green(sameWords(body)) : c.yellow(differWords(body))}`;
  const lines = [heading];
  if (body.note) lines.push(c.dim(`  (${body.note})`));
  if (body.as === 'json' || body.as === 'form') lines.push(...changeLines(body.changes, body.more, c));
  if (body.as === 'text') lines.push(...textLines(body.lines, body.more, c));
  return lines;
}

function sameWords(body: BodyDiff): string {
  if (body.identical) return body.sizes[0] === 0 ? 'identical (both empty)' : `identical (${formatBytes(body.sizes[0])})`;
  if (body.as === 'json') return 'the same values (key order and spacing aside)';
  if (body.as === 'form') return 'the same fields';
  return 'the same once decompressed';
}

function differWords(body: BodyDiff): string {
  const sizes = `${formatBytes(body.sizes[0])} and ${formatBytes(body.sizes[1])}`;
  if (body.as === 'text') return `they differ (${sizes})`;
  if (body.as === 'bytes')
    return body.firstDifference === null ? `one is the start of the other (${sizes})` : `they differ from byte ${body.firstDifference} (${sizes})`;
  return counts(body.changes, body.more);
}

/** `3 differences: 1 changed, 1 added, 1 removed`. */
function counts(changes: ValueChange[], more: number): string {
  const of = (kind: ValueChange['kind']) => changes.filter((change) => change.kind === kind).length;
  const total = changes.length - of('length') + more;
  const parts = [`${of('changed')} changed`, `${of('added')} added`, `${of('removed')} removed`].filter((part) => !part.startsWith('0 '));
  return `${total} difference${total === 1 ? '' : 's'}${more ? '' : `: ${parts.join(', ')}`}`;
}

function headerLines(headers: HeaderDiff, c: ChalkInstance): string[] {
  const heading = `${c.bold('Headers')}: ${headers.equal ? c.green('the same (names in any case, in any order)') : c.yellow(counts(headers.changes, headers.more))}`;
  return [heading, ...changeLines(headers.changes, headers.more, c)];
}

/** One line per difference: `~ path: a → b`, `+ path: b`, `- path: a`, and an array's lengths. */
function changeLines(changes: ValueChange[], more: number, c: ChalkInstance): string[] {
  const lines = changes.map((change) => {
    const path = change.path || '(the whole value)';
    if (change.kind === 'added') return `  ${c.green('+')} ${path}: ${c.green(shown(change.b))}`;
    if (change.kind === 'removed') return `  ${c.red('-')} ${path}: ${c.red(shown(change.a))}`;
    if (change.kind === 'length') return c.dim(`  # ${path}: ${items(change.a)} → ${items(change.b)}`);
    const [from, to] = change.types ? [`${change.types[0]} ${shown(change.a)}`, `${change.types[1]} ${shown(change.b)}`] : [shown(change.a), shown(change.b)];
    return `  ${c.yellow('~')} ${path}: ${c.red(from)} → ${c.green(to)}`;
  });
  if (more) lines.push(c.dim(`  … and ${more.toLocaleString('en')} more, not listed`));
  return lines;
}

const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;

/** A value as JSON on one line, cut to VALUE_WIDTH. */
function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text;
}

/** The lines of a text diff with their numbers on each side; `⋯` where unchanged lines are left out. */
function textLines(lines: TextLine[], more: number, c: ChalkInstance): string[] {
  const width = String(Math.max(0, ...lines.map((line) => Math.max(line.a ?? 0, line.b ?? 0)))).length;
  const number = (n: number | null) => (n === null ? ' '.repeat(width) : String(n).padStart(width));
  const out: string[] = [];
  let last: { a: number; b: number } = { a: 0, b: 0 };
  for (const line of lines) {
    // Unchanged lines were left out here: a number on either side jumps.
    if ((line.a !== null && line.a > last.a + 1) || (line.b !== null && line.b > last.b + 1)) out.push(c.dim('  ⋯'));
    last = { a: line.a ?? last.a, b: line.b ?? last.b };
    const text = line.text.length > LINE_WIDTH ? `${line.text.slice(0, LINE_WIDTH - 1)}…` : line.text;
    const numbers = c.dim(`${number(line.a)} ${number(line.b)}`);
    if (line.b === null) out.push(`${c.red('-')} ${numbers}  ${c.red(text)}`);
    else if (line.a === null) out.push(`${c.green('+')} ${numbers}  ${c.green(text)}`);
    else out.push(`  ${numbers}  ${text}`);
  }
  if (more) out.push(c.dim(`  … and ${more.toLocaleString('en')} more lines of difference, not listed`));
  return out;
}
