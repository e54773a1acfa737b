// One body as drift sees it: every field's JSON path with the JSON types found there. Array items
// share one path (`items[].sku`): a field is in a sample when any item has it. The walk is bounded
// (depth, fields, values looked at), so that a hostile body costs no more than a large honest one.
// Types are bits of a number (a field's types are their union): this runs for every capture.

/** The JSON types drift tells apart, one bit each; `integer` and `number` are one kind when compared (NUMBERS). */
export const KIND = { integer: 1, number: 2, string: 4, boolean: 8, null: 16, object: 32, array: 64 } as const;
export type Kind = keyof typeof KIND;
/** A whole number and a fraction are both numbers: an amount of 12 one day and 12.5 the next has not changed type. */
export const NUMBERS = KIND.integer | KIND.number;

/** Fields this deep (the top level is 1) are not looked into. */
export const MAX_DEPTH = 12;
/** Paths read from one body at most; the rest of it is not looked into. */
export const MAX_SAMPLE_PATHS = 1000;
/** Values looked at in one body at most (a long array of small items costs no more than this). */
const MAX_VALUES = 20_000;
/** Items of one array looked at: its first ones (their fields are what the array's items carry). */
const MAX_ITEMS = 100;
/** A path longer than this is not kept (a key made of a whole document is not a field name). */
const MAX_PATH_LENGTH = 300;

/**
 * The path of each field, made once: bodies of one kind repeat their keys, and a path that is the
 * same string each time costs no new string and no new hashing in the maps it is looked up in (a
 * third of the work per capture). Bounded: past CACHED_PATHS, paths are made anew each time.
 */
const childPaths = new Map<string, Map<string, string>>();
const itemsPaths = new Map<string, string>();
const CACHED_PATHS = 20_000;
let cachedPaths = 0;

/** `a` + `b` → `a.b` (the body's own fields: `b`). */
function childPath(parent: string, key: string): string {
  let children = childPaths.get(parent);
  const known = children?.get(key);
  if (known !== undefined) return known;
  const path = parent === '' ? key : `${parent}.${key}`;
  if (cachedPaths < CACHED_PATHS) {
    if (!children) childPaths.set(parent, (children = new Map()));
    children.set(key, path);
    cachedPaths++;
  }
  return path;
}

/** `items` → `items[]`. */
function itemsPath(parent: string): string {
  const known = itemsPaths.get(parent);
  if (known !== undefined) return known;
  const path = `${parent}[]`;
  if (cachedPaths < CACHED_PATHS) {
    itemsPaths.set(parent, path);
    cachedPaths++;
  }
  return path;
}

/** Each path found in a body, with the types seen there (KIND bits). The body itself is '' (an object) when it is one. */
export type Sample = Map<string, number>;

/** The fields of a parsed body; null when it is not an object or an array (a bare string has no fields). */
export function sampleOf(body: unknown): Sample | null {
  if (typeof body !== 'object' || body === null) return null;
  const sample: Sample = new Map();
  let budget = MAX_VALUES;
  const walk = (value: unknown, path: string, depth: number) => {
    if (budget-- <= 0) return;
    const kind = kindOf(value);
    const known = sample.get(path);
    if (known !== undefined) sample.set(path, known | kind);
    else if (sample.size < MAX_SAMPLE_PATHS && path.length <= MAX_PATH_LENGTH) sample.set(path, kind);
    else return;
    if (depth >= MAX_DEPTH) return;
    if (kind === KIND.array) {
      const items = value as unknown[];
      for (let i = 0; i < items.length && i < MAX_ITEMS; i++) walk(items[i], itemsPath(path), depth + 1);
    } else if (kind === KIND.object) {
      for (const key in value as object) walk((value as Record<string, unknown>)[key], childPath(path, key), depth + 1);
    }
  };
  // The body itself is the root (''), not a field: its fields start without a dot.
  if (Array.isArray(body)) for (let i = 0; i < body.length && i < MAX_ITEMS; i++) walk(body[i], '[]', 1);
  else {
    sample.set('', KIND.object);
    for (const key in body) walk((body as Record<string, unknown>)[key], key, 1);
  }
  return sample;
}

export function kindOf(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return KIND.string;
    case 'number':
      return Number.isInteger(value) ? KIND.integer : KIND.number;
    case 'boolean':
      return KIND.boolean;
    case 'object':
      return value === null ? KIND.null : Array.isArray(value) ? KIND.array : KIND.object;
    default:
      return KIND.string;
  }
}

/** The types of `kinds` in words: `integer`, `integer or string`. */
export function kindWords(kinds: number): string {
  return (Object.keys(KIND) as Kind[]).filter((name) => kinds & KIND[name]).join(' or ');
}

/** The path one level up: `a.b` → `a`, `a[]` → `a`, `a[].b` → `a[]`, `b` → '' (the body). */
export function parentOf(path: string): string {
  if (path.endsWith('[]')) return path.slice(0, -2);
  const dot = path.lastIndexOf('.');
  return dot === -1 ? '' : path.slice(0, dot);
}
