#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// In a clone (src/ beside bin/), dist/ is built first when it is missing or older than the sources;
// the published package ships dist/ and no src/, so nothing is built there.
const root = fileURLToPath(new URL('..', import.meta.url));
if (existsSync(`${root}src`)) (await import('../scripts/build-from-source.js')).buildIfStale(root);

const { run } = await import('../dist/cli/program.js');
run(process.argv);
