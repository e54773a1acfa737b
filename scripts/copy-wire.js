// The inspector page compiles the wire contract as it is, never a hand copy: src/wire/ and the files
// of src/capture/ it is made of are copied into web/src/generated/ (not in git) before the page is
// compiled, by `npm run build` and by the command's own build in a clone (build-from-source.js).
// So is the code the page runs as the server does (SHARED): counting a job's deliveries.
// The page's tsconfig takes no node types, so a contract file that needed node would not compile there.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the copies go, below the page's sources; their paths below it are their paths below src/. */
export const GENERATED = 'web/src/generated';

/** Copies src/wire/*.ts and every file they import into web/src/generated/; returns the paths copied (below src/). */
export function copyWire(root = '.') {
  const src = join(root, 'src');
  const files = wireFiles(src);
  // A copy that has not changed is not written again: its time stays older than dist/, so that the
  // command in a clone does not build again after a type check (bin/hook-catch.js compares times).
  for (const stale of existing(join(root, GENERATED)).filter((file) => !files.includes(file))) rmSync(join(root, GENERATED, stale));
  for (const file of files) {
    const target = join(root, GENERATED, file);
    mkdirSync(dirname(target), { recursive: true });
    const header = `// Generated from src/${file} by scripts/copy-wire.js at each build: do not edit here, edit src/${file}.\n`;
    const text = header + readFileSync(join(src, file), 'utf8');
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) writeFileSync(target, text);
  }
  return files;
}

/** The files below `dir` (paths below it, with /), none when it is not there. */
function existing(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      posix.join(
        ...join(entry.parentPath, entry.name)
          .slice(dir.length + 1)
          .split(/[\\/]/),
      ),
    );
}

/** Code the page runs as the server does, copied with the contract (below src/; it may import the contract and src/capture/). */
export const SHARED = ['jobs/counts.ts', 'capture/event-match.ts'];

/** The contract's files (below src/): src/wire/*.ts, SHARED and, followed through, every file they import. */
export function wireFiles(src) {
  const found = new Set();
  const visit = (file) => {
    if (found.has(file)) return;
    found.add(file);
    const text = readFileSync(join(src, file), 'utf8');
    if (file.startsWith('wire/') && /^import (?!type )/m.test(text)) {
      throw new Error(`src/${file} imports a value: the wire contract holds types only (write \`import type\`).`);
    }
    for (const [, spec] of text.matchAll(/^(?:import|export)\b[^'"]*\bfrom '([^']+)'/gm)) {
      const target = spec.startsWith('.') ? posix.join(posix.dirname(file), spec).replace(/\.js$/, '.ts') : null;
      if (target === null || !(/^(wire|capture)\//.test(target) || SHARED.includes(target))) {
        throw new Error(`src/${file} imports ${spec}: the page compiles the wire contract, so it may import only src/wire/ and src/capture/.`);
      }
      visit(target);
    }
  };
  for (const name of readdirSync(join(src, 'wire')).sort()) if (name.endsWith('.ts')) visit(`wire/${name}`);
  for (const file of SHARED) visit(file);
  return [...found].sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) copyWire();
