import type { ErrorObject } from 'ajv';

// Ajv's errors as a person reads them: a JSON path of the body, then what was expected and what
// came (`data.object.amount: expected integer, got string "12"`). Only the first few are kept.

/** Errors kept per capture: enough to see the pattern, short enough for a terminal line and a badge's title. */
export const MAX_ERRORS = 5;

/** The first MAX_ERRORS of Ajv's errors (made with allErrors and verbose) in plain words; `body` is the value checked. */
export function errorWords(errors: readonly ErrorObject[], body: unknown): string[] {
  const words: string[] = [];
  for (const error of withoutBranches(errors)) {
    const said = errorWord(error, body);
    if (said && !words.includes(said)) words.push(said);
    if (words.length === MAX_ERRORS) break;
  }
  return words;
}

/**
 * A `oneOf`/`anyOf` that no branch matched says so once: the errors of each branch it tried are
 * dropped (they contradict each other: "expected string" beside "expected object"). An `if` that
 * failed is no error of its own: its `then`/`else` says what was wrong.
 */
function withoutBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  const branches = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  return errors.filter((e) => e.keyword !== 'if' && !branches.some((prefix) => e.schemaPath.startsWith(prefix)));
}

function errorWord(error: ErrorObject, body: unknown): string {
  const at = jsonPath(error.instancePath, body);
  const p = error.params as Record<string, unknown>;
  const got = error.data;
  switch (error.keyword) {
    case 'type':
      return `${at}: expected ${String(p.type).split(',').join(' or ')}, got ${typed(got)}`;
    case 'required':
      return `${at}: missing required field ${quote(p.missingProperty)}`;
    case 'dependentRequired':
    case 'dependencies':
      return `${at}: missing field ${quote(p.missingProperty)} (required when ${quote(p.property)} is there)`;
    case 'enum':
      return `${at}: expected one of ${(p.allowedValues as unknown[]).map(short).join(', ')}, got ${short(got)}`;
    case 'const':
      return `${at}: expected ${short(p.allowedValue)}, got ${short(got)}`;
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return `${at}: unexpected field ${quote(p.additionalProperty ?? p.unevaluatedProperty)}`;
    case 'false schema':
      return `${at}: not allowed here`;
    case 'format':
      return `${at}: expected format ${quote(p.format)}, got ${typed(got)}`;
    case 'pattern':
      return `${at}: expected to match /${String(p.pattern)}/, got ${typed(got)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${at}: expected ${BOUND_WORDS[error.keyword]} ${String(p.limit)}, got ${short(got)}`;
    case 'multipleOf':
      return `${at}: expected a multiple of ${String(p.multipleOf)}, got ${short(got)}`;
    case 'minLength':
    case 'maxLength':
      return `${at}: expected ${error.keyword === 'minLength' ? 'at least' : 'at most'} ${count(p.limit, 'character')}, got ${typed(got)}`;
    case 'minItems':
    case 'maxItems':
      return `${at}: expected ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${count(p.limit, 'item')}, got ${Array.isArray(got) ? got.length : typed(got)}`;
    case 'minProperties':
    case 'maxProperties':
      return `${at}: expected ${error.keyword === 'minProperties' ? 'at least' : 'at most'} ${count(p.limit, 'field')}`;
    case 'uniqueItems':
      return `${at}: items ${String(p.j)} and ${String(p.i)} are the same`;
    case 'oneOf':
      return p.passingSchemas ? `${at}: matches more than one of the allowed shapes` : `${at}: matches none of the allowed shapes`;
    case 'anyOf':
      return `${at}: matches none of the allowed shapes`;
    case 'not':
      return `${at}: matches a shape it must not`;
    default:
      return `${at}: ${error.message ?? `fails ${error.keyword}`}`;
  }
}

const BOUND_WORDS: Record<string, string> = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'more than', exclusiveMaximum: 'less than' };

/**
 * `/data/object/amount` as `data.object.amount`, an item of an array as `items[0]`, a name that is
 * not a plain word as `["two words"]`; the body itself is `body` (and `body[0]`, `body["two words"]` start with it).
 */
export function jsonPath(pointer: string, body: unknown): string {
  if (pointer === '') return 'body';
  let path = '';
  let value = body;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) path += `[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(key)) path += path ? `.${key}` : key;
    else path += `[${JSON.stringify(key)}]`;
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return path.startsWith('[') ? `body${path}` : path;
}

/** `string "12"`, `number 12.5`, `null`, `an object`, `an array`: a value with its JSON type. */
function typed(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${short(value)}`;
}

/** A value as JSON, cut short: `"done"`, `12`, `{…}`. */
function short(value: unknown): string {
  if (Array.isArray(value)) return '[…]';
  if (typeof value === 'object' && value !== null) return '{…}';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 42 ? `${text.slice(0, 40)}…"` : text;
}

const quote = (value: unknown) => JSON.stringify(String(value));
const count = (n: unknown, word: string) => `${String(n)} ${word}${n === 1 ? '' : 's'}`;
