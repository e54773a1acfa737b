// One body as drift sees it: every field's JSON path with the JSON types found there. Array items
// share one path (`items[].sku`): a field is in a sample when any item has it. The walk is bounded
// (depth, fields, values looked at), so that a hostile body costs no more than a large honest one.

/** The JSON types drift tells apart; `integer` and `number` are one kind when compared (see sameKind). */
export type Kind = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'object' | 'array';

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

export interface Sample {
  /** Each path found, with the types seen there. */
  paths: Map<string, Set<Kind>>;
  /** The paths that held an object: their fields are expected to be there (see parentOf). */
  objects: Set<string>;
}

/** The fields of a parsed body; null when it is not an object or an array (a bare string has no fields). */
export function sampleOf(body: unknown): Sample | null {
  if (typeof body !== 'object' || body === null) return null;
  const sample: Sample = { paths: new Map(), objects: new Set() };
  let budget = MAX_VALUES;
  const add = (path: string, kind: Kind): boolean => {
    const kinds = sample.paths.get(path);
    if (kinds) kinds.add(kind);
    else if (sample.paths.size < MAX_SAMPLE_PATHS && path.length <= MAX_PATH_LENGTH) sample.paths.set(path, new Set([kind]));
    else return false;
    return true;
  };
  const walk = (value: unknown, path: string, depth: number) => {
    if (budget-- <= 0 || !add(path, kindOf(value)) || depth >= MAX_DEPTH) return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, MAX_ITEMS)) walk(item, `${path}[]`, depth + 1);
    } else if (typeof value === 'object' && value !== null) {
      sample.objects.add(path);
      for (const key in value) walk((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
    }
  };
  // The body itself is the root (''), not a field: its fields start without a dot.
  if (Array.isArray(body)) for (const item of body.slice(0, MAX_ITEMS)) walk(item, '[]', 1);
  else {
    sample.objects.add('');
    for (const key in body) walk((body as Record<string, unknown>)[key], key, 1);
  }
  return sample;
}

export function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  return typeof value === 'object' ? 'object' : 'string';
}

/** `integer` and `number` are one kind: an amount sent as 12 one day and 12.5 the next has not changed type. */
export function sameKind(a: Kind, b: Kind): boolean {
  return a === b || ((a === 'integer' || a === 'number') && (b === 'integer' || b === 'number'));
}

/** The path one level up: `a.b` → `a`, `a[]` → `a`, `a[].b` → `a[]`, `b` → '' (the body). */
export function parentOf(path: string): string {
  if (path.endsWith('[]')) return path.slice(0, -2);
  const dot = path.lastIndexOf('.');
  return dot === -1 ? '' : path.slice(0, dot);
}
