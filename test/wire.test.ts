import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { GENERATED, wireFiles } from '../scripts/copy-wire.js';

// The wire contract (src/wire/) is the one declaration of what the inspector API and its stream
// send. These tests type-check the server and the page as the build does (with the tsconfigs), with
// one change made in memory, and look for the compiler's refusal: a drift between the server, the
// contract and the page must fail the build, never reach a user.

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const WEB_SRC = join(ROOT, 'web/src');
const GENERATED_DIR = join(ROOT, GENERATED);

/** A change to one source file (below the root), made in memory: `from` must be in it. */
type Change = { file: string; from: string; to: string };

/**
 * The compiler's errors in `files` (below the root), for a program of `config` with `changes` made.
 * The page's copies of the contract (web/src/generated/) are read from src/ itself, as the build
 * copies them, so the page is checked against the contract as it is now, built or not.
 */
function errors(config: string, roots: string[] | 'all', changes: Change[] = []): string[] {
  const configPath = join(ROOT, config);
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, join(configPath, '..'));
  const host = ts.createCompilerHost(parsed.options);
  const source = (path: string) => (path.startsWith(GENERATED_DIR + '/') ? join(SRC, relative(GENERATED_DIR, path)) : path);
  const readFile = host.readFile.bind(host);
  const applied = new Set<Change>();
  host.readFile = (path) => {
    let text = readFile(source(path));
    for (const change of changes) {
      if (text === undefined || source(path) !== join(ROOT, change.file)) continue;
      expect(text, `${change.file} holds the text changed`).toContain(change.from);
      text = text.replace(change.from, change.to);
      applied.add(change);
    }
    return text;
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (path) => fileExists(source(path));
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (path) => (path === GENERATED_DIR || path.startsWith(GENERATED_DIR + '/') ? true : (directoryExists?.(path) ?? true));
  const rootNames = roots === 'all' ? parsed.fileNames.filter((f) => !f.startsWith(GENERATED_DIR + '/')) : roots.map((f) => join(ROOT, f));
  const program = ts.createProgram({ rootNames, options: { ...parsed.options, noEmit: true }, host });
  const checked =
    roots === 'all'
      ? program.getSourceFiles().filter((f) => !f.isDeclarationFile && !f.fileName.includes('/node_modules/'))
      : rootNames.map((f) => program.getSourceFile(f)!);
  const found = checked.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]);
  expect(applied.size, 'every change was made').toBe(changes.length);
  return found.map((d) => `${d.file ? relative(ROOT, source(d.file.fileName)) : '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** Every type the contract declares (its files, and the capture shapes it is made of). */
function contractNames(): string[] {
  return wireFiles(SRC).flatMap((file) => [...readFileSync(join(SRC, file), 'utf8').matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]!));
}

/** The page's own sources (not the copies of the contract the build makes). */
function pageSources(): string[] {
  return readdirSync(WEB_SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !join(WEB_SRC, file).startsWith(GENERATED_DIR + '/'))
    .map((file) => join(WEB_SRC, file));
}

describe('the wire contract: one declaration of what the inspector sends, read by the server, the page and the CLI', () => {
  it('the page declares none of its shapes: it compiles the contract itself (the drift the issue found is gone)', () => {
    const names = contractNames();
    expect(names).toEqual(expect.arrayContaining(['ListedRequest', 'RequestSummary', 'JobSummary', 'StreamMessage', 'Status', 'ResponseRule', 'ReplayRecord']));
    const again = pageSources().flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return names
        .filter((name) => new RegExp(`^\\s*(?:export\\s+)?(?:interface\\s+${name}\\b|type\\s+${name}\\b[^=;]*=)`, 'm').test(text))
        .map((name) => `${relative(ROOT, file)} declares ${name}`);
    });
    expect(again).toEqual([]);
    // The page's record has every field the server's has (these three were missing from its hand copy).
    const summary = readFileSync(join(SRC, 'capture/shapes.ts'), 'utf8');
    for (const field of ['invalidJson?: true', 'imported?: true', 'poll?: PollInfo']) expect(summary).toContain(field);
  });

  it('as it is, the server and the page compile against it', () => {
    expect(errors('web/tsconfig.json', 'all')).toEqual([]);
    expect(errors('tsconfig.json', ['src/inspector/stream.ts', 'src/inspector/requests-routes.ts', 'src/jobs/registry.ts'])).toEqual([]);
  }, 180_000);

  it('a field taken out of the contract fails both the server that sends it and the page that reads it', () => {
    const noRefused: Change = { file: 'src/wire/jobs.ts', from: '  refused: boolean;\n}', to: '}' };
    expect(errors('tsconfig.json', ['src/jobs/registry.ts'], [noRefused]).join('\n')).toMatch(/^src\/jobs\/registry\.ts: .*'refused'/m);
    const page = errors('web/tsconfig.json', 'all', [
      noRefused,
      {
        file: 'src/capture/shapes.ts',
        from: '  /** Set when the Content-Type says JSON but the body does not parse as JSON: see json-check.ts. */\n  invalidJson?: true;\n',
        to: '',
      },
    ]).join('\n');
    expect(page).toMatch(/^web\/src\/jobs\.ts: .*'refused'/m);
    expect(page).toMatch(/^web\/src\/list-view\.ts: .*'invalidJson'/m);
  }, 180_000);

  it('an answer or a stream message the server shapes differently from the contract does not compile', () => {
    const found = errors(
      'tsconfig.json',
      ['src/inspector/stream.ts', 'src/inspector/requests-routes.ts'],
      [
        { file: 'src/inspector/stream.ts', from: "({ type: 'forwardQueue', waiting, sending })", to: "({ type: 'forwardQueue', waiting, inFlight: sending })" },
        {
          file: 'src/inspector/requests-routes.ts',
          from: 'res.json({ deleted: id } satisfies DeletedOne);',
          to: 'res.json({ deletedId: id } satisfies DeletedOne);',
        },
      ],
    ).join('\n');
    expect(found).toMatch(
      /^src\/inspector\/stream\.ts: Type '\{ type: "forwardQueue"; waiting: number; inFlight: number; \}' is not assignable to type 'StreamMessage'/m,
    );
    expect(found).toMatch(/^src\/inspector\/requests-routes\.ts: .*'deletedId'/m);
  }, 180_000);
});
