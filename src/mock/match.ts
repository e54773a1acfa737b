import { splitTarget } from '../capture/capture.js';
import type { ScenarioMatch } from '../scenario/format.js';

// How a live request is compared with a recorded one: method, path, the names of the query
// parameters and the shape of the body (its fields and their types), never the values, which an
// app changes on every run (its webhook URL, a timestamp, an idempotency key). Headers are not
// compared. A scenario narrows it (`match.exactBody`: these fields' values must be the recorded
// ones) or widens it (`match.ignoreQuery`, `match.ignoreBody`: these names never count; `body`
// ignores the whole body). docs/provider-double.md says the same for users.

/** A request reduced to what matching compares. */
export interface Shape {
  method: string;
  path: string;
  queryKeys: Set<string>;
  body: BodyShape;
}

/** A JSON or form body as its fields (`body.a.b`) and their types; any other body is not compared. */
export type BodyShape = { kind: 'fields'; types: Map<string, string>; values: Map<string, unknown> } | { kind: 'other' };

/** What a scenario says about matching, with the names that never count filled in. */
export interface MatchRules {
  ignoreQuery: Set<string>;
  ignoreBody: string[];
  exactBody: string[];
}

export function rulesOf(match: ScenarioMatch | undefined, webhookUrlAt: string | undefined): MatchRules {
  const ignoreQuery = new Set(match?.ignoreQuery ?? []);
  const ignoreBody = (match?.ignoreBody ?? []).map(bodyPath);
  // The webhook URL's field is read, not compared: a run's URL differs from the recording's.
  if (webhookUrlAt?.startsWith('query.')) ignoreQuery.add(webhookUrlAt.slice(6));
  if (webhookUrlAt?.startsWith('body.')) ignoreBody.push(webhookUrlAt);
  return { ignoreQuery, ignoreBody, exactBody: (match?.exactBody ?? []).map(bodyPath) };
}

/** `metadata.at` and `body.metadata.at` name the same field. */
const bodyPath = (field: string) => (field === 'body' || field.startsWith('body.') ? field : `body.${field}`);

/** `body` undefined: its bytes are not known (left out of a scenario), so it is not compared. */
export function shapeOf(method: string, url: string, contentType: string | null, body: Buffer | string | null | undefined): Shape {
  const { path, query } = splitTarget(url);
  return { method: method.toUpperCase(), path, queryKeys: new Set(query.map(([key]) => key)), body: bodyShape(contentType, body) };
}

function bodyShape(contentType: string | null, body: Buffer | string | null | undefined): BodyShape {
  if (body === undefined) return { kind: 'other' };
  if (body === null || body.length === 0) return { kind: 'fields', types: new Map(), values: new Map() };
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const shape: BodyShape = { kind: 'fields', types: new Map(), values: new Map() };
  if (/x-www-form-urlencoded/i.test(contentType ?? '')) {
    for (const [key, value] of new URLSearchParams(text)) add(shape, `body.${key}`, value);
    return shape;
  }
  try {
    walk(shape, 'body', JSON.parse(text));
    return shape;
  } catch {
    return { kind: 'other' };
  }
}

function walk(shape: BodyShape & { kind: 'fields' }, path: string, value: unknown): void {
  if (path !== 'body') add(shape, path, value);
  if (value && typeof value === 'object' && !Array.isArray(value)) for (const [key, inner] of Object.entries(value)) walk(shape, `${path}.${key}`, inner);
}

function add(shape: BodyShape & { kind: 'fields' }, path: string, value: unknown): void {
  shape.types.set(path, value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
  shape.values.set(path, value);
}

/** What keeps `live` from matching `recorded`, in plain words (empty: it matches). Paths are compared by the caller. */
export function whyNot(live: Shape, recorded: Shape, rules: MatchRules): string[] {
  const reasons: string[] = [];
  if (live.method !== recorded.method) reasons.push(`method ${live.method}; the recording has ${recorded.method}`);
  for (const key of live.queryKeys)
    if (!recorded.queryKeys.has(key) && !rules.ignoreQuery.has(key)) reasons.push(`query key \`${key}\` was not in the recording`);
  for (const key of recorded.queryKeys)
    if (!live.queryKeys.has(key) && !rules.ignoreQuery.has(key)) reasons.push(`query key \`${key}\` is missing (the recording has it)`);
  reasons.push(...bodyReasons(live.body, recorded.body, rules));
  return reasons;
}

function bodyReasons(live: BodyShape, recorded: BodyShape, rules: MatchRules): string[] {
  if (recorded.kind === 'other' || rules.ignoreBody.includes('body')) return [];
  if (live.kind === 'other') return ["the body is not JSON or a form; the recording's is"];
  const ignored = (path: string) => rules.ignoreBody.some((field) => path === field || path.startsWith(`${field}.`));
  const reasons: string[] = [];
  for (const [path, type] of live.types) {
    if (ignored(path)) continue;
    const want = recorded.types.get(path);
    if (want === undefined) reasons.push(`body field \`${path}\` was not in the recording`);
    else if (want !== type) reasons.push(`body field \`${path}\` is ${article(type)}; the recording's is ${article(want)}`);
  }
  for (const path of recorded.types.keys())
    if (!live.types.has(path) && !ignored(path)) reasons.push(`body field \`${path}\` is missing (the recording has it)`);
  for (const path of rules.exactBody) {
    const [got, want] = [JSON.stringify(live.values.get(path)), JSON.stringify(recorded.values.get(path))];
    if (got !== want) reasons.push(`body field \`${path}\` is ${got ?? 'absent'}; the scenario wants ${want ?? 'it absent'} (exactBody)`);
  }
  return reasons;
}

const article = (type: string) => (type === 'null' ? 'null' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/**
 * Why `livePath` is not `recordedPath`, where the recorded job id (when given) stands for any job
 * id this mock gave out; null when they are the same. `{id}` marks the id in what is shown.
 */
export function pathReason(livePath: string, recordedPath: string, recordedId: string | null, knownId: (id: string) => boolean): string | null {
  const shown = recordedId ? recordedPath.split(recordedId).join('{id}') : recordedPath;
  const live = livePath.split('/');
  const want = recordedPath.split('/');
  if (live.length !== want.length) return `path ${livePath}; the recording has ${shown}`;
  let unknown: string | null = null;
  for (const [i, segment] of want.entries()) {
    if (segment === live[i]) continue;
    if (recordedId && segment.includes(recordedId)) {
      if (knownId(decodeURIComponent(live[i]!))) continue;
      unknown = live[i]!;
      continue;
    }
    return `path ${livePath}; the recording has ${shown}`;
  }
  return unknown === null ? null : `\`${unknown}\` is not a job id this mock gave out (submit a job first)`;
}
