// Preloaded into a command (`node --import ./record.mjs`) by test/cli-loads.test.ts: writes every
// module the command loads into the file RECORD_LOADS names, one a line: `file:` and `node:` URLs as
// the module loader hands them over (hooks.mjs), then, when the process ends, Node's own built-in
// modules (`builtin …`, from process.moduleLoadList). Works alike on Node 20.19, 22 and 24.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

const out = process.env.RECORD_LOADS;
if (!out) throw new Error('record.mjs: set RECORD_LOADS to the file to write the loaded modules into');
register(new URL('./hooks.mjs', import.meta.url), { data: { out } });
process.on('exit', () => appendFileSync(out, process.moduleLoadList.map((name) => `builtin ${name}\n`).join('')));
