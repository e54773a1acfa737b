#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// In a clone (src/ beside bin/), dist/ is built first when it is missing or older than the sources;
// the published package ships dist/ and no src/, so nothing is built there.
const root = fileURLToPath(new URL('..', import.meta.url));
if (existsSync(`${root}src`)) (await import('../scripts/build-from-source.js')).buildIfStale(root);

// `hook-catch --version` alone is answered here, as the program would answer it (the version is
// package.json's, and it exits at once), without loading the program.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version}\n`);
  process.exit(0);
}
const { run } = await import('../dist/cli/program.js');
run(process.argv);
