import type { JsonType, ValueChange } from '../wire/diff.js';

// Two JSON values compared structurally: objects by key (their order does not matter), arrays by
// index, anything else by value. What differs is said at its path, in the form people write it.

/** Differences listed at most; the rest are counted (two unrelated 100,000-item arrays stay readable). */
export const MOST_CHANGES = 1000;

export interface ValueDiff {
  changes: ValueChange[];
  /** Differences found beyond MOST_CHANGES. */
  more: number;
}

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `data.object`, `items[2]`, `headers["x-y"]`: a key that is not an identifier is quoted. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENTIFIER.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/**
 * What differs from `a` to `b`, in document order (an object's keys as `a` has them, then those
 * only `b` has). `root` prefixes every path. Walked with a stack of its own, not by recursion: a
 * body nested 100,000 deep (JSON.parse reads one) must not overflow the call stack.
 */
export function diffValues(a: unknown, b: unknown, root = ''): ValueDiff {
  const out: ValueDiff = { changes: [], more: 0 };
  const add = (change: ValueChange) => {
    if (out.changes.length < MOST_CHANGES) out.changes.push(change);
    else out.more++;
  };
  const stack: Pair[] = [[a, b, root]];
  while (stack.length) {
    const [x, y, path] = stack.pop()!;
    const children = compare(x, y, path, add);
    // Pushed last to first, so that they are compared (and listed) first to last.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

type Pair = [unknown, unknown, string];

/** Stands for a value one side does not have. */
const MISSING = Symbol('missing');

/** Says what differs at `path` itself; returns the pairs under it still to compare. */
function compare(a: unknown, b: unknown, path: string, add: (change: ValueChange) => void): Pair[] {
  if (a === MISSING || b === MISSING) {
    add(a === MISSING ? { kind: 'added', path, b } : { kind: 'removed', path, a });
    return [];
  }
  const types: [JsonType, JsonType] = [jsonType(a), jsonType(b)];
  if (types[0] !== types[1]) {
    add({ kind: 'changed', path, a, b, types });
    return [];
  }
  if (types[0] === 'array') return arrayPairs(a as unknown[], b as unknown[], path, add);
  if (types[0] === 'object') return objectPairs(a as Record<string, unknown>, b as Record<string, unknown>, path);
  if (a !== b) add({ kind: 'changed', path, a, b });
  return [];
}

/** Items by index; a length that differs is said first, the extra items are then added or removed. */
function arrayPairs(a: unknown[], b: unknown[], path: string, add: (change: ValueChange) => void): Pair[] {
  if (a.length !== b.length) add({ kind: 'length', path, a: a.length, b: b.length });
  const pairs: Pair[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) pairs.push([i < a.length ? a[i] : MISSING, i < b.length ? b[i] : MISSING, childPath(path, i)]);
  return pairs;
}

/** Keys as `a` has them, then those only `b` has. */
function objectPairs(a: Record<string, unknown>, b: Record<string, unknown>, path: string): Pair[] {
  const pairs: Pair[] = Object.keys(a).map((key) => [a[key], Object.hasOwn(b, key) ? b[key] : MISSING, childPath(path, key)]);
  for (const key of Object.keys(b)) if (!Object.hasOwn(a, key)) pairs.push([MISSING, b[key], childPath(path, key)]);
  return pairs;
}
