import type { DriftInfo, FieldChange } from '../capture/shapes.js';
import { KIND, kindWords, NUMBERS, parentOf, type Kind, type Sample } from './sample.js';

// What the captures of each event type looked like so far: per field (its JSON path), the types
// seen there and in how many samples it was, and how many samples there were. A new sample is
// compared with it (new, missing, or retyped fields), then joins it. Each change of a field is
// said once, ever: the model remembers what it said (and is kept in the store's folder).

/** A field is "missing" only after this many earlier samples all had it: one odd first delivery is no rule. */
export const MISSING_AFTER = 3;
/** Event types modelled at most (a sender that names a new type each time adds no more). */
export const MAX_EVENT_TYPES = 200;
/** Fields of one event type modelled at most; fields past it are neither learned nor reported. */
export const MAX_FIELDS = 500;

interface Field {
  /** The types seen (KIND bits). */
  kinds: number;
  /** In how many samples it was. */
  seen: number;
}

interface EventModel {
  samples: number;
  fields: Map<string, Field>;
  /** What was already said: `new items[].sku`, `missing issue.body`, `type amount`. */
  said: Set<string>;
  /** The sample observed last and its fields in the model: the next sample of the same shape learns through it (see observe). */
  last: { sample: Sample; fields: Field[] } | null;
}

/** The types a field's known types stand for: a whole number stands for any number, and a fraction for a whole one. */
const widened = (kinds: number) => (kinds & NUMBERS ? kinds | NUMBERS : kinds);

/** The model as it is kept in drift.json. */
export interface ModelDocument {
  version: 1;
  events: Record<string, { samples: number; fields: Record<string, [seen: number, kinds: Kind[]]>; said: string[] }>;
}

export class DriftModel {
  private readonly events = new Map<string, EventModel>();

  /**
   * `minMissing`: how many earlier samples must all have had a field before its absence is said
   * (MISSING_AFTER live; 1 when the samples are fixtures the user chose as the reference).
   */
  constructor(private readonly minMissing = MISSING_AFTER) {}

  /** How `sample` differs from the earlier samples of `event`, each change not said before; then it joins them. */
  observe(event: string, sample: Sample): DriftInfo | null {
    const known = this.events.get(event);
    // The same shape as the sample just learned (as most deliveries of one event type are) has no
    // field that is new, retyped or missing: it only counts again, without a look at the model.
    if (known?.last && sameShape(known.last.sample, sample)) {
      known.samples++;
      for (const field of known.last.fields) field.seen++;
      return null;
    }
    const changes = this.compare(event, sample, true);
    this.learn(event, sample);
    const model = this.events.get(event);
    if (model) model.last = { sample, fields: fieldsOf(model, sample) };
    return changes.length ? { event, changes } : null;
  }

  /**
   * How `sample` differs from what the model holds of `event` (nothing when it holds no sample of
   * it). With `once`, only changes not said before, which are then remembered as said.
   */
  compare(event: string, sample: Sample, once = false): FieldChange[] {
    const model = this.events.get(event);
    if (!model || model.samples === 0) return [];
    const changes: FieldChange[] = [];
    const say = (change: FieldChange) => {
      const key = `${change.change} ${change.path}`;
      if (once && model.said.has(key)) return;
      if (once) model.said.add(key);
      changes.push(change);
    };
    for (const [path, kinds] of sample) {
      if (path === '') continue;
      const field = model.fields.get(path);
      if (!field) {
        if (model.fields.size < MAX_FIELDS && !insideNew(path, model, kinds)) say({ path, change: 'new' });
        continue;
      }
      // null is no type of its own: a field that is sometimes null has not changed type.
      const known = field.kinds & ~KIND.null;
      const now = kinds & ~KIND.null;
      if (known && now & ~widened(known)) say({ path, change: 'type', was: kindWords(known), now: kindWords(now) });
    }
    if (model.samples >= this.minMissing) {
      for (const [path, field] of model.fields) {
        // Only where its parent is an object in this sample: an absent parent is said itself, and an empty list has no items to lack fields.
        if (field.seen === model.samples && !sample.has(path) && !path.endsWith('[]') && (sample.get(parentOf(path)) ?? 0) & KIND.object) {
          say({ path, change: 'missing' });
        }
      }
    }
    return changes;
  }

  /** The sample joins the model of its event type (within the bounds). */
  learn(event: string, sample: Sample): void {
    let model = this.events.get(event);
    if (!model) {
      if (this.events.size >= MAX_EVENT_TYPES) return;
      model = { samples: 0, fields: new Map(), said: new Set(), last: null };
      this.events.set(event, model);
    }
    model.samples++;
    model.last = null;
    for (const [path, kinds] of sample) {
      if (path === '') continue;
      const field = model.fields.get(path);
      if (field) {
        field.seen++;
        field.kinds |= kinds;
      } else if (model.fields.size < MAX_FIELDS) model.fields.set(path, { kinds, seen: 1 });
    }
  }

  /** Remembers changes as said (those a store already holds, when the model is built again from it). */
  said(drift: DriftInfo): void {
    const model = this.events.get(drift.event);
    for (const change of drift.changes) model?.said.add(`${change.change} ${change.path}`);
  }

  /** Whether the model holds any sample of `event`. */
  knows(event: string): boolean {
    return (this.events.get(event)?.samples ?? 0) > 0;
  }

  toDocument(): ModelDocument {
    const events: ModelDocument['events'] = {};
    for (const [event, model] of this.events) {
      const fields: Record<string, [number, Kind[]]> = {};
      for (const [path, field] of model.fields) fields[path] = [field.seen, kindWords(field.kinds).split(' or ') as Kind[]];
      events[event] = { samples: model.samples, fields, said: [...model.said] };
    }
    return { version: 1, events };
  }

  /** The model kept in drift.json; throws a SyntaxError when it is not one (a damaged file). */
  static fromDocument(value: unknown, minMissing = MISSING_AFTER): DriftModel {
    const doc = value as Partial<ModelDocument> | null;
    if (doc?.version !== 1 || typeof doc.events !== 'object' || doc.events === null) throw new SyntaxError('not a drift model');
    const model = new DriftModel(minMissing);
    for (const [event, kept] of Object.entries(doc.events).slice(0, MAX_EVENT_TYPES)) {
      if (typeof kept?.samples !== 'number' || typeof kept.fields !== 'object' || !Array.isArray(kept.said)) throw new SyntaxError('not a drift model');
      const fields = new Map<string, Field>();
      for (const [path, [seen, kinds]] of Object.entries(kept.fields).slice(0, MAX_FIELDS)) {
        if (typeof seen !== 'number' || !Array.isArray(kinds)) throw new SyntaxError('not a drift model');
        fields.set(path, { seen, kinds: kinds.reduce((bits: number, kind) => bits | (KIND[kind as Kind] ?? 0), 0) });
      }
      model.events.set(event, { samples: kept.samples, fields, said: new Set(kept.said.filter((s) => typeof s === 'string')), last: null });
    }
    return model;
  }
}

/**
 * A new field inside a new field is named by the outer one (`new issue.milestone`, not each of its
 * fields too). Array items are no field of their own: a list that was always empty and now has
 * objects names their fields (`new items[].sku`), not `items[]`.
 */
function insideNew(path: string, model: EventModel, kinds: number): boolean {
  if (path.endsWith('[]') && !(kinds & ~(KIND.object | KIND.array))) return true;
  for (let up = parentOf(path); up !== ''; up = parentOf(up)) {
    if (model.fields.has(up)) return false;
    if (!up.endsWith('[]')) return true;
  }
  return false;
}

/** Whether two samples have the same fields with the same types. */
function sameShape(a: Sample, b: Sample): boolean {
  if (a.size !== b.size) return false;
  for (const [path, kinds] of b) if (a.get(path) !== kinds) return false;
  return true;
}

/** The model's fields that `sample` has (those it learned: past MAX_FIELDS, not all are there). */
function fieldsOf(model: EventModel, sample: Sample): Field[] {
  const fields: Field[] = [];
  for (const path of sample.keys()) {
    const field = path === '' ? undefined : model.fields.get(path);
    if (field) fields.push(field);
  }
  return fields;
}
