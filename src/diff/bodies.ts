import { isUtf8 } from 'node:buffer';
import { viewBody, VIEW_FIELDS, type BodyView } from '../capture/body-view.js';
import type { CapturedRequest } from '../capture/capture.js';
import type { BodyDiff } from '../wire/diff.js';
import { pairObjects } from './pairs.js';
import { diffLines } from './text.js';
import { diffValues, type ValueDiff } from './values.js';

// Two bodies compared as what they say, read the way `hook-catch show` reads them (body-view.ts:
// decompressed, a form as its fields, JSON parsed): JSON by its values, forms by their fields,
// other text line by line, anything else byte for byte. The stored bytes are never changed.

type Body = Pick<CapturedRequest, 'body' | 'bodyDiscarded' | 'headers' | 'contentType'>;

/**
 * JSON nested deeper than this is compared as text: JSON.parse reads any depth, but printing a
 * value (JSON.stringify, in the API's answer) fails a few thousand levels down.
 */
const DEEPEST_JSON = 1000;

export function diffBodies(a: Body, b: Body): BodyDiff {
  const { equal, ...diff } = compareBodies(a, b);
  // Equal as read, but not as stored (key order, spacing, compression): said apart from the same bytes.
  const identical = !a.bodyDiscarded && !b.bodyDiscarded && a.body.equals(b.body);
  return { equal, identical, ...diff } as BodyDiff;
}

/** A BodyDiff without `identical` (each way of comparing says the rest). */
type Compared = BodyDiff extends infer D ? (D extends BodyDiff ? Omit<D, 'identical'> : never) : never;

function compareBodies(a: Body, b: Body): Compared {
  const views = [viewBody(a), viewBody(b)] as const;
  const unread = unreadNote(a, views[0], 'a') ?? unreadNote(b, views[1], 'b');
  if (unread) return byBytes(a.body, b.body, unread);
  const [x, y] = views.map((view) => view.bytes ?? Buffer.alloc(0)) as [Buffer, Buffer];
  const sizes: [number, number] = [x.length, y.length];
  const [kindA, kindB] = [kindOf(views[0], x), kindOf(views[1], y)];
  if (kindA === 'JSON' && kindB === 'JSON') {
    const deep = tooDeep(views[0].value) || tooDeep(views[1].value);
    if (!deep) return { as: 'json', ...counted(diffValues(views[0].value, views[1].value)), sizes };
    return byText(x, y, `JSON nested more than ${DEEPEST_JSON} levels deep: compared as text`);
  }
  if (kindA === 'a form' && kindB === 'a form') return byFields(views[0], views[1], sizes);
  const note = kindA === kindB ? undefined : `a is ${kindA} and b ${kindB}: compared as ${isUtf8(x) && isUtf8(y) ? 'text' : 'bytes'}`;
  return isUtf8(x) && isUtf8(y) ? byText(x, y, note) : byBytes(x, y, note);
}

type Kind = 'JSON' | 'a form' | 'text' | 'binary' | 'empty';

function kindOf(view: BodyView, bytes: Buffer): Kind {
  if (view.format === 'json') return 'JSON';
  if (view.format === 'form') return 'a form';
  if (bytes.length === 0) return 'empty';
  return isUtf8(bytes) ? 'text' : 'binary';
}

/** Why a body cannot be read as what it says (not kept, over the size looked into, not decompressible), or null. */
function unreadNote(request: Body, view: BodyView, side: 'a' | 'b'): string | undefined {
  if (request.bodyDiscarded) return `the body of ${side} was not kept (it was over --max-body); compared as stored, byte for byte`;
  if (view.problem === null) return undefined;
  const sent = view.encodings.length ? ` was sent ${view.encodings.join('+')}-compressed, but` : ':';
  return `the body of ${side}${sent} ${view.problem}; compared as stored, byte for byte`;
}

function counted({ changes, more }: ValueDiff) {
  return { changes, more, equal: changes.length === 0 && more === 0 };
}

/** Forms by their fields: a field whose value is JSON (GitHub's `payload=`) is compared by its values too. */
function byFields(a: BodyView, b: BodyView, sizes: [number, number]): Compared {
  const [x, y] = pairObjects(a.fields, b.fields);
  const cut = a.fieldsCut || b.fieldsCut ? `only the first ${VIEW_FIELDS.toLocaleString('en')} fields of each form are compared` : undefined;
  return { as: 'form', ...counted(diffValues(x, y)), sizes, ...(cut && { note: cut }) };
}

function byText(a: Buffer, b: Buffer, note?: string): Compared {
  const equal = a.equals(b);
  const lines = equal ? { lines: [], more: 0 } : diffLines(a.toString('utf8'), b.toString('utf8'));
  return { as: 'text', ...lines, equal, sizes: [a.length, b.length], ...(note && { note }) };
}

function byBytes(a: Buffer, b: Buffer, note?: string): Compared {
  let first: number | null = null;
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    if (a[i] !== b[i]) {
      first = i;
      break;
    }
  }
  return { as: 'bytes', firstDifference: first, equal: a.equals(b), sizes: [a.length, b.length], ...(note && { note }) };
}

/** Whether `value` nests deeper than DEEPEST_JSON (looked into with a stack of its own, as deep as it goes). */
function tooDeep(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= DEEPEST_JSON) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
