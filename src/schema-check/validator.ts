import { Ajv, type AnySchema, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { errorWords } from './words.js';

// The validators behind a spec (Ajv). Each schema is compiled twice over: once to answer valid or
// not as fast as Ajv can (it stops at the first error), and, only when a body is invalid, once
// with every error and the values that failed, to say what was wrong.

/** The JSON Schema dialects hook-catch checks against, by the `$schema` that names them (none: 2020-12, OpenAPI 3.1's). */
export type Dialect = '2020-12' | '2019-09' | 'draft-07';

/** The dialect a schema names, or null for one hook-catch does not check (draft-04). */
export function dialectOf(schema: unknown): Dialect | null {
  const named = typeof schema === 'object' && schema !== null ? (schema as { $schema?: unknown }).$schema : undefined;
  if (typeof named !== 'string' || named.includes('2020-12')) return '2020-12';
  if (named.includes('2019-09')) return '2019-09';
  if (named.includes('draft-07') || named.includes('draft-06')) return 'draft-07';
  return null;
}

/** What Ajv checks a body with: schemas added under keys, then compiled by reference. */
export interface Compiler {
  /** Adds a whole document (an OpenAPI file is one, not itself a schema: it is not checked as one). */
  add(document: AnySchema, key: string, asSchema: boolean): void;
  /**
   * A validator of the schema at `ref` (`<key>#/webhooks/…`). Throws Ajv's error when it cannot be
   * compiled: now, or with `later`, at its first use (a spec of hundreds of webhooks is not compiled
   * whole at start: a few ms each).
   */
  compile(ref: string, later?: boolean): Validator;
}

/** Checks a value: null when it is valid, else the first few errors in plain words. */
export interface Validator {
  /** Throws when the schema, compiled at its first use, cannot be (see compileProblem). */
  errorsOf(value: unknown): string[] | null;
}

/** Ajv's reason a schema cannot be used, in a user's words (a `$ref` to nothing, a keyword used wrong). */
export function compileProblem(error: unknown): string {
  const missing = (error as { missingRef?: string }).missingRef;
  if (missing) return `$ref "${missing.replace(/^hook-catch:spec(:[^#]*)?/, '')}" points at nothing in it`;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
  if (message.startsWith('schema is invalid: ')) return `is not a valid JSON Schema: ${message.slice('schema is invalid: '.length).replace(/\bdata\//g, '')}`;
  return `cannot be used as a JSON Schema: ${message}`;
}

export function createCompiler(dialect: Dialect): Compiler {
  const fast = ajvFor(dialect, {});
  let full: Ajv | null = null;
  const documents: [AnySchema, string, boolean][] = [];
  const fullAjv = () => {
    if (full) return full;
    full = ajvFor(dialect, { allErrors: true, verbose: true });
    for (const [document, key, asSchema] of documents) full.addSchema(document, key, undefined, asSchema);
    return full;
  };
  return {
    add(document, key, asSchema) {
      fast.addSchema(document, key, undefined, asSchema);
      documents.push([document, key, asSchema]);
    },
    compile(ref, later = false) {
      let check: ValidateFunction | null = later ? null : fast.compile({ $ref: ref });
      let explain: ValidateFunction | null = null;
      return {
        errorsOf(value) {
          check ??= fast.compile({ $ref: ref });
          if (check(value)) return null;
          explain ??= fullAjv().compile({ $ref: ref });
          explain(value);
          const words = errorWords(explain.errors ?? [], value);
          return words.length ? words : ['body: does not match the schema'];
        },
      };
    },
  };
}

/**
 * Lenient about what is not JSON Schema (OpenAPI's `example`, `discriminator`, `xml`: strict off)
 * and silent (no logger), with the formats of ajv-formats (OpenAPI's int32, int64, float, double, byte among them).
 */
function ajvFor(dialect: Dialect, options: Options): Ajv {
  const settings: Options = { strict: false, logger: false, allowUnionTypes: true, ...options };
  const ajv = dialect === '2020-12' ? new Ajv2020(settings) : dialect === '2019-09' ? new Ajv2019(settings) : new Ajv(settings);
  addFormats.default(ajv);
  return ajv;
}
