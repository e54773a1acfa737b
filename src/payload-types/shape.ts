// The merged shape of many JSON values: what a field was seen as, how often, and in how many of its
// parents. Built one sample at a time (a few operations a value, no copies of the samples), so that
// ten thousand captures fold into one small tree per event type. What it is read as (optional,
// union, enum, date) is decided later, from the counts (see infer.ts).

/** Different string values a field keeps; one more and it is not an enum. */
export const STRING_VALUES_KEPT = 12;

/** What was seen at one place of the payload (the top, a field, the items of an array). */
export interface Shape {
  /** Values seen here (a field: in how many of its parent objects it was present). */
  seen: number;
  nulls: number;
  booleans: number;
  /** Numbers seen, and how many of them were whole (and safe: within 2^53). */
  numbers: number;
  integers: number;
  strings?: StringStats;
  /** Arrays seen; `items` is the merged shape of all their items. */
  arrays?: { count: number; items: Shape };
  /** Objects seen; each field's shape counts the objects it was present in. */
  objects?: { count: number; fields: Map<string, Shape> };
}

export interface StringStats {
  count: number;
  /** The different values, while there are at most STRING_VALUES_KEPT of them; null past that. */
  values: Set<string> | null;
  /** How many were an ISO 8601 date-time, a date, an http(s) URL. */
  dateTimes: number;
  dates: number;
  urls: number;
}

export const emptyShape = (): Shape => ({ seen: 0, nulls: 0, booleans: 0, numbers: 0, integers: 0 });

/** Folds one value into `shape`. */
export function addValue(shape: Shape, value: unknown): void {
  shape.seen++;
  if (value === null || value === undefined) shape.nulls++;
  else if (typeof value === 'boolean') shape.booleans++;
  else if (typeof value === 'number') {
    shape.numbers++;
    if (Number.isSafeInteger(value)) shape.integers++;
  } else if (typeof value === 'string') addString((shape.strings ??= { count: 0, values: new Set(), dateTimes: 0, dates: 0, urls: 0 }), value);
  else if (Array.isArray(value)) {
    const arrays = (shape.arrays ??= { count: 0, items: emptyShape() });
    arrays.count++;
    for (const item of value) addValue(arrays.items, item);
  } else if (typeof value === 'object') {
    const objects = (shape.objects ??= { count: 0, fields: new Map() });
    objects.count++;
    const record = value as Record<string, unknown>;
    for (const key in record) {
      let field = objects.fields.get(key);
      if (!field) objects.fields.set(key, (field = emptyShape()));
      addValue(field, record[key]);
    }
  }
}

// Formats as JSON Schema's `format` means them, and as strict as the validators read them (zod's
// `iso.datetime({ offset: true })`, ajv-formats): seconds present, `Z` or `±hh:mm`; a URL with no
// character a URI may not hold (GitHub's `{/owner}` templates are not URIs).
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const URL_TEXT = /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?([/?][A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*)?(#[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*)?$/;

function addString(stats: StringStats, value: string): void {
  stats.count++;
  if (stats.values && !stats.values.has(value)) {
    if (stats.values.size === STRING_VALUES_KEPT) stats.values = null;
    else stats.values.add(value);
  }
  // A format needs every value to be one: once one was not, the rest need no test.
  const tested = stats.count - 1;
  const first = value.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    if (stats.dateTimes === tested && DATE_TIME.test(value)) stats.dateTimes++;
    else if (stats.dates === tested && DATE.test(value)) stats.dates++;
  } else if (first === 104 && stats.urls === tested && URL_TEXT.test(value)) stats.urls++;
}
