import type { Shape, StringStats } from './shape.js';

// A merged shape read as a type: a field missing from some of its parents is optional, a place
// seen as several kinds is a union, arrays' items are one merged type, a string is an enum when
// its values are few words that repeat in a field named for a kind (status, type, action …), and a
// date-time, date or URL when every value is one. The emitters (typescript.ts, zod.ts, json-schema.ts) write this tree out.

export type TypeNode =
  | { kind: 'unknown' }
  | { kind: 'null' }
  | { kind: 'boolean' }
  | { kind: 'integer' }
  | { kind: 'number' }
  | { kind: 'string'; format?: StringFormat; values?: string[] }
  | { kind: 'array'; items: TypeNode }
  | { kind: 'object'; fields: Field[] }
  | { kind: 'union'; of: TypeNode[] };

export type StringFormat = 'date-time' | 'date' | 'uri';

export interface Field {
  name: string;
  type: TypeNode;
  optional: boolean;
}

/** At most this many different words make an enum … */
export const ENUM_MAX_VALUES = 8;
/** … seen in at least this many samples, with at least one word repeated. */
export const ENUM_MIN_SAMPLES = 3;
// A status word: letters and separators, no digit (ids, hashes and counts have digits) nor space
// (titles and names), short.
const WORD = /^[A-Za-z][A-Za-z_.:/-]{0,39}$/;
// Fields that name a kind of thing. Only they become enums: a login, a name or a repository seen
// in every sample is the same few words too, but it is not a closed set.
const KIND_FIELD = /(status|state|type|kind|action|event|object|role|level|reason|mode|phase|result|outcome|conclusion|category|severity|priority)$/i;

/** The type `shape` was seen as; `name`: the field it is (or the array field its items are in). */
export function typeOf(shape: Shape, name = ''): TypeNode {
  const kinds: TypeNode[] = [];
  if (shape.objects) kinds.push(objectType(shape.objects));
  if (shape.arrays) kinds.push({ kind: 'array', items: typeOf(shape.arrays.items, name) });
  if (shape.strings) kinds.push(stringType(shape.strings, KIND_FIELD.test(name)));
  if (shape.numbers > 0) kinds.push({ kind: shape.integers === shape.numbers ? 'integer' : 'number' });
  if (shape.booleans > 0) kinds.push({ kind: 'boolean' });
  if (shape.nulls > 0) kinds.push({ kind: 'null' });
  if (kinds.length === 0) return { kind: 'unknown' };
  return kinds.length === 1 ? kinds[0]! : { kind: 'union', of: kinds };
}

function objectType(objects: NonNullable<Shape['objects']>): TypeNode {
  const fields: Field[] = [];
  for (const [name, field] of objects.fields) fields.push({ name, type: typeOf(field, name), optional: field.seen < objects.count });
  return { kind: 'object', fields };
}

function stringType(stats: StringStats, kindField: boolean): TypeNode {
  if (stats.dateTimes === stats.count) return { kind: 'string', format: 'date-time' };
  if (stats.dates === stats.count) return { kind: 'string', format: 'date' };
  if (stats.urls === stats.count) return { kind: 'string', format: 'uri' };
  const values = stats.values;
  const enumLike =
    kindField &&
    values !== null &&
    values.size <= ENUM_MAX_VALUES &&
    stats.count >= ENUM_MIN_SAMPLES &&
    values.size < stats.count &&
    [...values].every((value) => WORD.test(value));
  return enumLike ? { kind: 'string', values: [...values].sort() } : { kind: 'string' };
}
