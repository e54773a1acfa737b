import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, HookCatchError } from '../errors.js';
import { isObject, webhookSchemas } from './openapi.js';
import { specOver, type Spec, type Target } from './spec.js';
import { compileProblem, createCompiler, dialectOf, type Compiler, type Dialect } from './validator.js';

// `--schema FILE`: an OpenAPI 3.1 document with a `webhooks` section, the output of
// `hook-catch types --lang json-schema` (`x-hook-catch-events`), one JSON Schema (for every
// capture), or a folder of JSON Schemas named after their event types (`issues.opened.json`).
// JSON or YAML. Everything is compiled here, at start: a spec that cannot be used is one line then,
// naming the file and the part of it that is wrong, not an error per capture later.

/** The key the document is added to Ajv under (its `$ref`s are resolved within it). */
const KEY = 'hook-catch:spec';
const SCHEMA_FILE = /(\.schema)?\.(json|ya?ml)$/i;

/** Reads and compiles a spec; a HookCatchError of one line when it cannot be used. */
export async function loadSpec(file: string): Promise<Spec> {
  const found = await stat(file).catch((error: unknown) => {
    throw bad(file, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${describe(error)})`);
  });
  if (found.isDirectory()) return folderSpec(file);
  const doc = await readDocument(file, file);
  if (!isObject(doc)) throw bad(file, 'it holds no object: give an OpenAPI 3.1 document, a JSON Schema, or the JSON Schema output of hook-catch types');
  if ('openapi' in doc || 'swagger' in doc) return openApiSpec(doc, file);
  if ('x-hook-catch-events' in doc) return typesSpec(doc, file);
  const compiler = compilerFor(doc, file);
  const name = basename(file);
  add(compiler, doc, KEY, true, file, name);
  return specOver(file, 'a JSON Schema for every capture', [{ name, against: name, pins: [], validator: compile(compiler, KEY, file, name, 1) }], 'schema');
}

function openApiSpec(doc: Record<string, unknown>, file: string): Spec {
  const version = String(doc.openapi ?? `Swagger ${String(doc.swagger)}`);
  if (!isObject(doc.webhooks)) {
    throw bad(file, `it is OpenAPI ${version} with no webhooks section: hook-catch reads OpenAPI 3.1's webhooks (webhooks: <name>: post: requestBody: …)`);
  }
  const { found, without } = webhookSchemas(doc, doc.webhooks);
  if (found.length === 0) {
    throw bad(file, `none of its webhooks (${without.join(', ')}) has a JSON request body schema (post: requestBody: content: application/json: schema)`);
  }
  const compiler = createCompiler('2020-12');
  add(compiler, doc, KEY, false, file, 'the document');
  const targets = found.map(({ name, pointer, pins }) => {
    const against = `webhooks.${name}`;
    return { name, against, pins, validator: compile(compiler, `${KEY}#${pointer}`, file, against, found.length) };
  });
  const skipped = without.length ? ` (${without.length} without a JSON body schema, not checked)` : '';
  return specOver(file, `OpenAPI ${version}, ${count(found.length, 'webhook')}${skipped}${asUsed(found.length)}`, targets, 'webhook');
}

/** `hook-catch types --lang json-schema`: `x-hook-catch-events` maps each event type to its `$ref` in `$defs`. */
function typesSpec(doc: Record<string, unknown>, file: string): Spec {
  const events = doc['x-hook-catch-events'];
  if (!isObject(events)) throw bad(file, 'its x-hook-catch-events is not an object of event types');
  const compiler = compilerFor(doc, file);
  add(compiler, doc, KEY, true, file, 'the document');
  const targets: Target[] = Object.entries(events).map(([event, entry]) => {
    const ref = isObject(entry) ? entry.$ref : undefined;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) throw bad(file, `x-hook-catch-events["${event}"] has no $ref into the document ("#/$defs/…")`);
    const against = ref.slice(2).split('/').map(decodeURIComponent).join('.');
    return { name: event, against, pins: [], validator: compile(compiler, `${KEY}${ref}`, file, against, Object.keys(events).length) };
  });
  if (targets.length === 0) throw bad(file, 'its x-hook-catch-events names no event type');
  return specOver(file, `hook-catch types output, ${count(targets.length, 'event type')}${asUsed(targets.length)}`, targets, 'schema');
}

/** A folder of JSON Schemas, one per event type, named after it: `issues.opened.json`, `invoice.paid.schema.yaml`. */
async function folderSpec(folder: string): Promise<Spec> {
  const names = (await readdir(folder)).filter((name) => SCHEMA_FILE.test(name)).sort();
  if (names.length === 0) throw bad(folder, 'the folder holds no schema file (one per event type, named after it: issues.opened.json)');
  const compilers = new Map<Dialect, Compiler>();
  const loaded: [string, Compiler][] = [];
  for (const name of names) {
    const where = join(folder, name);
    const schema = await readDocument(where, where);
    if (!isObject(schema)) throw bad(where, 'it holds no JSON Schema object');
    const dialect = checkedDialect(schema, where);
    let compiler = compilers.get(dialect);
    if (!compiler) compilers.set(dialect, (compiler = createCompiler(dialect)));
    add(compiler, schema, `${KEY}:${encodeURIComponent(name)}`, true, where, name);
    loaded.push([name, compiler]);
  }
  // Compiled once all are added: a schema may `$ref` another by its `$id`.
  const targets = loaded.map(([name, compiler]) => ({
    name: name.replace(SCHEMA_FILE, ''),
    against: name,
    pins: [],
    validator: compile(compiler, `${KEY}:${encodeURIComponent(name)}`, join(folder, name), name, loaded.length),
  }));
  return specOver(folder, `a folder of ${count(targets.length, 'schema')}, one per event type${asUsed(targets.length)}`, targets, 'schema');
}

/** A file's document: JSON for `.json`, else YAML (which reads JSON too). */
async function readDocument(path: string, file: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw bad(file, `cannot be read (${describe(error)})`);
  });
  try {
    return extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const what = extname(path).toLowerCase() === '.json' ? 'not valid JSON' : 'not valid YAML';
    // yaml's own code (`BAD_INDENT: `) and the colon before its excerpt go: the line and column stay.
    throw bad(
      file,
      `${what}: ${firstLine(error)
        .replace(/^[A-Z_]+: /, '')
        .replace(/:$/, '')}`,
    );
  }
}

function compilerFor(schema: Record<string, unknown>, file: string): Compiler {
  return createCompiler(checkedDialect(schema, file));
}

function checkedDialect(schema: Record<string, unknown>, file: string): Dialect {
  const dialect = dialectOf(schema);
  if (dialect) return dialect;
  throw bad(file, `its $schema is ${String(schema.$schema)}: hook-catch checks JSON Schema 2020-12 (OpenAPI 3.1's), 2019-09 and draft-07`);
}

function add(compiler: Compiler, doc: Record<string, unknown>, key: string, asSchema: boolean, file: string, what: string): void {
  try {
    compiler.add(doc, key, asSchema);
  } catch (error) {
    throw bad(file, `${what} ${compileProblem(error)}`);
  }
}

/**
 * A spec of more schemas than this is compiled as each is first used, not all at start (each costs a
 * few ms: hundreds would hold the start for seconds); one that cannot be then leaves its captures
 * unchecked, with the reason.
 */
export const COMPILED_AT_START = 50;

function compile(compiler: Compiler, ref: string, file: string, what: string, count: number) {
  try {
    return compiler.compile(ref, count > COMPILED_AT_START);
  } catch (error) {
    throw bad(file, `${what}: ${compileProblem(error)}`);
  }
}

const firstLine = (error: unknown) => describe(error).split('\n')[0]!.trim();
const asUsed = (n: number) => (n > COMPILED_AT_START ? ', each compiled when first used' : '');
const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function bad(file: string, what: string): HookCatchError {
  return new HookCatchError(`--schema ${file}: ${what}.`);
}
