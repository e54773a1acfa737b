import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import ts from 'typescript';
import { expect } from 'vitest';
import { later, ROOT, spawnCommand } from '../helpers/index.js';

// What a user does with the types `types` writes: compile the TypeScript with `tsc --strict`, parse
// the samples with the zod schemas, validate them with the JSON Schema (ajv, 2020-12, formats).

/** One sample as hook-catch grouped it: its event type (or, untyped, its path) and its payload. */
export interface Sample {
  key: string;
  untyped: boolean;
  payload: unknown;
}

/** A folder with zod and TypeScript installed, as in a user's project. */
export async function project(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hook-catch-types-'));
  later(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'node_modules'));
  await symlink(join(ROOT, 'node_modules', 'zod'), join(dir, 'node_modules', 'zod'), 'dir');
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  return dir;
}

/**
 * `tsc --strict` over the TypeScript `types` wrote and, when samples are given, a file that assigns
 * each one to its type: every sample must be a value of the type inferred from it.
 */
export async function compiles(dir: string, typescript: string, samples: Sample[] = []): Promise<void> {
  await writeFile(join(dir, 'webhooks.ts'), typescript);
  const lines = samples.map(
    (s, n) => `export const s${n}: ${s.untyped ? 'UntypedPayloads' : 'WebhookPayloads'}[${JSON.stringify(s.key)}] = ${JSON.stringify(s.payload)};`,
  );
  const imports = `import type { WebhookPayloads${samples.some((s) => s.untyped) ? ', UntypedPayloads' : ''} } from './webhooks.js';`;
  await writeFile(join(dir, 'samples.ts'), `${imports}\n${lines.join('\n')}\n`);
  const files = samples.length ? ['webhooks.ts', 'samples.ts'] : ['webhooks.ts'];
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', ...files];
  const run = spawnCommand([process.execPath, ...args], { cwd: dir });
  const { code } = await run.exited;
  expect(code, run.stdout() + run.stderr()).toBe(0);
}

/** The zod file `types --lang zod` wrote, compiled as a user's build would, imported. */
export async function zodModule(
  dir: string,
  code: string,
): Promise<{ WebhookPayloads: Record<string, Parser>; UntypedPayloads?: Record<string, Parser>; WebhookEvent: Parser }> {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const file = join(dir, `webhooks-zod-${Date.now()}.mjs`);
  await writeFile(file, js);
  return import(file);
}
interface Parser {
  safeParse(value: unknown): { success: boolean; error?: unknown };
}

/** Each sample parsed by its schema, and as a `{ event, payload }` by the discriminated union; the failures. */
export function zodFailures(module: Awaited<ReturnType<typeof zodModule>>, samples: Sample[]): string[] {
  const failures: string[] = [];
  for (const s of samples) {
    const schema = (s.untyped ? module.UntypedPayloads : module.WebhookPayloads)?.[s.key];
    const one = schema?.safeParse(s.payload);
    if (!one?.success) failures.push(`${s.key}: ${JSON.stringify(one?.error ?? 'no schema').slice(0, 300)}`);
    if (!s.untyped && !module.WebhookEvent.safeParse({ event: s.key, payload: s.payload }).success) failures.push(`${s.key}: not a WebhookEvent`);
  }
  return failures;
}

/**
 * Each sample validated against its event type's schema, picked as check --schema picks it
 * (x-hook-catch-events, its `$ref` into `$defs`); each definition compiled alone, once (ajv takes
 * seconds over a document of GitHub's 160 event types).
 */
export function jsonSchemaFailures(document: Record<string, any>, samples: Sample[]): string[] {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats.default(ajv);
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  const failures: string[] = [];
  for (const s of samples) {
    const ref: string | undefined = document[s.untyped ? 'x-hook-catch-paths' : 'x-hook-catch-events']?.[s.key]?.$ref;
    const name = ref?.replace('#/$defs/', '');
    if (!name || !document.$defs[name]) {
      failures.push(`${s.key}: no schema`);
      continue;
    }
    let validate = compiled.get(name);
    if (!validate) compiled.set(name, (validate = ajv.compile(document.$defs[name])));
    if (!validate(s.payload)) failures.push(`${s.key}: ${ajv.errorsText(validate.errors)}`);
  }
  return failures;
}
