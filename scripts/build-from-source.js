// In a clone, the command runs from dist/, built from the TypeScript in src/ and web/src. When dist/
// is missing (the first run) or older than a source (a pull, an edit), bin/hook-catch.js builds it
// here first, saying so on stderr. The published package ships dist/ and no sources: never built.
//
// The quick way: each file is transpiled on its own (no type check, no .d.ts), a few seconds where
// tsc takes tens. `isolatedModules` in both tsconfigs makes `npm run build`, the full type-checked
// build (run by `npm test` and `npm pack`), refuse any code that this would compile differently.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { copyWebAssets, WEB_ASSETS } from './copy-web-assets.js';
import { copyWire } from './copy-wire.js';

/** The two compilations of `npm run build`: the CLI and library, and the inspector page. */
const CONFIGS = ['tsconfig.json', 'web/tsconfig.json'];

/** Builds dist/ in `root` when it is missing or stale; one line on stderr says so, and why. */
export function buildIfStale(root) {
  const why = staleness(root);
  if (!why) return;
  process.stderr.write(`hook-catch: building hook-catch from its sources into dist/ (${why}); a few seconds…\n`);
  try {
    build(root);
  } catch (error) {
    process.stderr.write(`hook-catch: cannot build from source: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  }
}

/** Why dist/ must be built, or null when every output is newer than its source. */
export function staleness(root) {
  if (!existsSync(join(root, 'dist'))) return 'the first run in this clone';
  for (const config of CONFIGS) {
    const base = dirname(join(root, config));
    const { rootDir, outDir } = JSON.parse(readFileSync(join(root, config), 'utf8')).compilerOptions;
    const why = staleIn(root, join(base, rootDir), join(base, outDir));
    if (why) return why;
  }
  for (const file of WEB_ASSETS) {
    const why = staleOutput(root, join(root, 'web', file), join(root, 'dist/web', file));
    if (why) return why;
  }
  return null;
}

/**
 * The first source below `source` whose output below `output` (as the tsconfigs' rootDir and outDir
 * say) is missing or older. Every run of the command in a clone makes this check before anything
 * else, so it is kept lean: one stat of each file, paths joined as strings (no normalizing).
 */
function staleIn(root, source, output) {
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const { name } = entry;
    if (entry.isDirectory()) {
      const why = staleIn(root, `${source}/${name}`, `${output}/${name}`);
      if (why) return why;
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
      const why = staleOutput(root, `${source}/${name}`, `${output}/${name.slice(0, -3)}.js`);
      if (why) return why;
    }
  }
  return null;
}

function staleOutput(root, source, output) {
  const built = mtimeOf(output);
  if (built === undefined) return `${relative(root, output)} is missing`;
  if (mtimeOf(source) > built) return `${relative(root, source)} changed since the last build`;
  return null;
}

function mtimeOf(path) {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs;
}

function build(root) {
  const ts = typescript(root);
  copyWire(root); // the page compiles the wire contract's own files
  for (const config of CONFIGS) {
    const path = join(root, config);
    const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(path, ts.sys.readFile).config, ts.sys, dirname(path));
    // A file alone cannot tell that package.json makes it an ES module (NodeNext's rule), so it is told.
    const compilerOptions = {
      ...parsed.options,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      declaration: false,
      sourceMap: false,
    };
    for (const file of parsed.fileNames) {
      const { outputText, diagnostics } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file, reportDiagnostics: true });
      if (diagnostics?.length)
        throw new Error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }).trim());
      writeWhole(join(parsed.options.outDir, relative(parsed.options.rootDir, file)).replace(/\.ts$/, '.js'), outputText);
    }
  }
  copyWebAssets(root);
}

/** The clone's own TypeScript (a devDependency): `npm install` puts it there. */
function typescript(root) {
  try {
    return createRequire(join(root, 'package.json'))('typescript');
  } catch {
    throw new Error(`TypeScript is not installed in ${root}: run \`npm install\` there first.`);
  }
}

/** Written whole or not at all (a rename): another hook-catch starting meanwhile never reads half a file. */
function writeWhole(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}
