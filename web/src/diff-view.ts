import { h } from './dom.js';
import { clock, size } from './format.js';
import type { BodyDiff, CaptureDiff, DiffSide, HeaderDiff, TextLine, ValueChange } from './types.js';

// Two captures side by side, as `GET /api/requests/:a/diff/:b` says they differ: each difference at
// its JSON path with the value on each side, a text body line by line, and the headers apart.

export interface DiffViewDeps {
  /** Opens one of the two requests in the detail. */
  open: (id: string) => void;
  /** Leaves the diff (back to the request last shown). */
  close: () => void;
}

/** A value shown in a cell at most this long (the JSON tree of each request has all of it). */
const VALUE_WIDTH = 300;

export function diffView(diff: CaptureDiff, deps: DiffViewDeps): HTMLElement {
  return h(
    'div',
    { class: 'diff', data: { equal: String(diff.equal) } },
    h(
      'div',
      { class: 'detail-head' },
      h('h2', { class: 'diff-title' }, 'Compare'),
      h('div', { class: 'actions' }, h('button', { attrs: { type: 'button' }, data: { action: 'close-diff' }, on: { click: deps.close } }, 'Close')),
    ),
    h('div', { class: 'diff-sides' }, sideView('A', diff.a, deps), sideView('B', diff.b, deps)),
    h('section', { class: 'part diff-body' }, h('h3', null, `Body · ${AS[diff.body.as]}`), ...bodyParts(diff.body)),
    diff.headers ? h('section', { class: 'part diff-headers' }, h('h3', null, 'Headers'), ...headerParts(diff.headers)) : null,
  );
}

const AS: Record<BodyDiff['as'], string> = { json: 'as JSON', form: 'as form fields', text: 'as text', bytes: 'byte for byte' };

/** One capture: its request line, when, its size; its id opens it. */
function sideView(name: string, side: DiffSide, deps: DiffViewDeps): HTMLElement {
  const open = h(
    'a',
    {
      attrs: { href: '#', title: side.file ? `read from ${side.file}` : 'open this request' },
      data: { open: side.id },
      on: {
        click: (e) => {
          e.preventDefault();
          deps.open(side.id);
        },
      },
    },
    side.id.slice(-6),
  );
  return h(
    'div',
    { class: 'diff-side', data: { side: name.toLowerCase() } },
    h('span', { class: 'diff-name' }, name),
    h(
      'div',
      { class: 'request-line' },
      h('span', { class: `c-method m-${side.method.toLowerCase()}` }, side.method),
      ' ',
      h('span', { class: 'url' }, side.url),
    ),
    h('div', { class: 'muted' }, open, ` · ${clock(side.receivedAt)} · ${size(side.bodySize)}${side.contentType ? ` · ${side.contentType}` : ''}`),
  );
}

function bodyParts(body: BodyDiff): (HTMLElement | null)[] {
  const parts: (HTMLElement | null)[] = [
    verdict(body.equal, body.equal ? sameWords(body) : differWords(body)),
    body.note ? h('p', { class: 'note' }, body.note) : null,
  ];
  if (body.as === 'text') parts.push(body.lines.length ? textTable(body.lines, body.more) : null);
  else if (body.as !== 'bytes') parts.push(body.changes.length ? changeTable(body.changes, body.more) : null);
  return parts;
}

function headerParts(headers: HeaderDiff): (HTMLElement | null)[] {
  if (headers.equal) return [verdict(true, 'the same headers (names in any case, in any order)')];
  return [verdict(false, counts(headers.changes, headers.more, 'header')), changeTable(headers.changes, headers.more)];
}

function verdict(equal: boolean, words: string): HTMLElement {
  return h('p', { class: `diff-verdict ${equal ? 'same' : 'differ'}` }, words);
}

function sameWords(body: BodyDiff): string {
  if (body.identical) return body.sizes[0] === 0 ? 'identical body (both empty)' : 'identical body';
  if (body.as === 'json') return 'the same values (key order and spacing aside)';
  return body.as === 'form' ? 'the same fields' : 'the same once decompressed';
}

function differWords(body: BodyDiff): string {
  const sizes = `${size(body.sizes[0])} and ${size(body.sizes[1])}`;
  if (body.as === 'text') return `the texts differ (${sizes})`;
  if (body.as === 'bytes')
    return body.firstDifference === null ? `one is the start of the other (${sizes})` : `they differ from byte ${body.firstDifference} (${sizes})`;
  return counts(body.changes, body.more, 'difference');
}

/** `3 differences: 1 changed, 1 added, 1 removed`. */
function counts(changes: ValueChange[], more: number, noun: string): string {
  const of = (kind: ValueChange['kind']) => changes.filter((c) => c.kind === kind).length;
  const total = changes.length - of('length') + more;
  const parts = [`${of('changed')} changed`, `${of('added')} added`, `${of('removed')} removed`].filter((p) => !p.startsWith('0 '));
  const label = noun === 'header' ? `header difference${total === 1 ? '' : 's'}` : `difference${total === 1 ? '' : 's'}`;
  return `${total} ${label}${more ? '' : `: ${parts.join(', ')}`}`;
}

/** Path, A, B: one row per difference. */
function changeTable(changes: ValueChange[], more: number): HTMLElement {
  return h(
    'div',
    { class: 'diff-scroll' },
    h(
      'table',
      { class: 'kv diff-table' },
      h('colgroup', null, h('col', { class: 'path' }), h('col', null), h('col', null)),
      h('thead', null, h('tr', null, h('th', null, 'Path'), h('th', null, 'A'), h('th', null, 'B'))),
      h('tbody', null, ...changes.map(changeRow)),
    ),
    more ? h('p', { class: 'note' }, `… and ${more.toLocaleString()} more, not listed`) : null,
  );
}

function changeRow(change: ValueChange): HTMLElement {
  const path = h('td', { class: 'k' }, ...breakable(change.path || '(the whole body)'));
  const absent = () => h('td', { class: 'v d-absent' }, '—');
  if (change.kind === 'length') {
    const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
    return h('tr', { class: 'd-length', data: { kind: 'length' } }, path, h('td', { class: 'v' }, items(change.a)), h('td', { class: 'v' }, items(change.b)));
  }
  const a = change.kind === 'added' ? absent() : h('td', { class: 'v d-old' }, typed(change.a, change.kind === 'changed' ? change.types?.[0] : undefined));
  const b = change.kind === 'removed' ? absent() : h('td', { class: 'v d-new' }, typed(change.b, change.kind === 'changed' ? change.types?.[1] : undefined));
  return h('tr', { class: `d-${change.kind}`, data: { kind: change.kind, path: change.path } }, path, a, b);
}

/** A path that wraps, when it must, after a `.` or before a `[` (not inside a key, where it can). */
function breakable(path: string): (string | HTMLElement)[] {
  return path.split(/(?<=\.)|(?=\[)/).flatMap((part, i) => (i === 0 ? [part] : [h('wbr', null), part]));
}

/** A value as JSON on one line (`number 12` when the types differ), cut to VALUE_WIDTH. */
function typed(value: unknown, type: string | undefined): string {
  const text = JSON.stringify(value);
  const cut = text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text;
  return type ? `${type} ${cut}` : cut;
}

/** A text diff side by side: a removed run beside the added run that replaced it, unchanged lines on both. */
function textTable(lines: TextLine[], more: number): HTMLElement {
  const rows: HTMLElement[] = [];
  let last = { a: 0, b: 0 };
  for (const [a, b] of paired(lines)) {
    // Unchanged lines were left out here: a number on either side jumps.
    if ((a && a.a! > last.a + 1) || (b && b.b! > last.b + 1)) rows.push(h('tr', { class: 'd-gap' }, h('td', { attrs: { colspan: '4' } }, '⋯')));
    last = { a: a?.a ?? last.a, b: b?.b ?? last.b };
    const same = a !== null && b !== null && a === b;
    rows.push(
      h(
        'tr',
        { class: same ? 'd-same' : 'd-changed' },
        h('td', { class: 'n' }, a?.a ?? ''),
        h('td', { class: `v${same ? '' : a ? ' d-old' : ' d-absent'}` }, a?.text ?? ''),
        h('td', { class: 'n' }, b?.b ?? ''),
        h('td', { class: `v${same ? '' : b ? ' d-new' : ' d-absent'}` }, b?.text ?? ''),
      ),
    );
  }
  return h(
    'div',
    { class: 'diff-scroll' },
    h(
      'table',
      { class: 'kv diff-text' },
      h('colgroup', null, h('col', { class: 'n' }), h('col', null), h('col', { class: 'n' }), h('col', null)),
      h('tbody', null, ...rows),
    ),
    more ? h('p', { class: 'note' }, `… and ${more.toLocaleString()} more lines of difference, not listed`) : null,
  );
}

/** Rows of the side-by-side text: an unchanged line on both sides, or the n-th removed line of a run beside the n-th added one. */
function paired(lines: TextLine[]): [TextLine | null, TextLine | null][] {
  const rows: [TextLine | null, TextLine | null][] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if (line.a !== null && line.b !== null) {
      rows.push([line, line]);
      i++;
      continue;
    }
    const removed: TextLine[] = [];
    const added: TextLine[] = [];
    while (i < lines.length && lines[i]!.b === null) removed.push(lines[i++]!);
    while (i < lines.length && lines[i]!.a === null) added.push(lines[i++]!);
    for (let k = 0; k < Math.max(removed.length, added.length); k++) rows.push([removed[k] ?? null, added[k] ?? null]);
  }
  return rows;
}
