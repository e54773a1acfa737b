// `npm run reliability`: what hook-catch survives, and what it loses (it must lose nothing it
// acknowledged). Four parts, each against the real CLI (bin/hook-catch.js) on loopback only:
//   kill    kill -9 rounds under load, restarts on the same --dir        (reliability/kill-rounds.js)
//   forward kill -9 rounds with --forward-mode ack: nothing acknowledged left unforwarded and unmarked (reliability/forward-rounds.js)
//   fuzz    a seeded fuzz of well-formed and hostile requests             (reliability/fuzz.js)
//   disk    a full disk (a small tmpfs), then room again, no restart      (reliability/full-disk.js)
//   loris   slow-loris sockets beside normal traffic                      (reliability/slow-loris.js)
// Progress goes to stderr, the Markdown table to stdout, JSON to bench/results/reliability.json.
// Exits 1 when a check fails (an acknowledged request lost, a request unanswered, hook-catch dead …).
//   RELIABILITY_SEED=n        replays a run (the seed is printed first)
//   RELIABILITY_QUICK=1       (or --quick) a short run while developing
//   RELIABILITY_ONLY=kill,forward,fuzz,disk,loris   only those parts
//   RELIABILITY_FUZZ=n        the number of fuzz cases (default 50,000; 3,000 quick)
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forwardRounds } from './reliability/forward-rounds.js';
import { fullDisk } from './reliability/full-disk.js';
import { fuzz } from './reliability/fuzz.js';
import { killRounds } from './reliability/kill-rounds.js';
import { cleanUp } from './reliability/procs.js';
import { failures, notes, table } from './reliability/report.js';
import { newSeed } from './reliability/rng.js';
import { slowLoris } from './reliability/slow-loris.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.env.RELIABILITY_QUICK === '1' || process.argv.includes('--quick');
const seed = process.env.RELIABILITY_SEED ?? newSeed();
const only = process.env.RELIABILITY_ONLY?.split(',');

const SETTINGS = {
  kill: quick ? { rounds: 3, loadMs: [300, 1200], connections: 32 } : { rounds: 10, loadMs: [400, 2500], connections: 32 },
  forward: quick ? { rounds: 3, loadMs: [300, 1200], connections: 32 } : { rounds: 15, loadMs: [400, 2500], connections: 32 },
  fuzz: { count: Number(process.env.RELIABILITY_FUZZ ?? (quick ? 3000 : 50_000)), connections: 32 },
  disk: quick ? { diskMb: 16, fillerMb: 8, connections: 32, fullMs: 1000 } : { diskMb: 32, fillerMb: 8, connections: 32, fullMs: 3000 },
  // holdSeconds: how long the slow sockets are watched for hook-catch to close them (node:http's
  // default header timeout is 60 s, checked every 30 s).
  loris: quick
    ? { slowHeads: 100, slowBodies: 10, seconds: 3, holdSeconds: 0, fdLimit: { limit: 256, slowHeads: 300 } }
    : { slowHeads: 500, slowBodies: 50, seconds: 8, holdSeconds: 100, fdLimit: { limit: 1024, slowHeads: 1100 } },
};
const PARTS = [
  ['kill', killRounds],
  ['forward', forwardRounds],
  ['fuzz', fuzz],
  ['disk', fullDisk],
  ['loris', slowLoris],
].filter(([name]) => !only || only.includes(name));

// No child and no temp folder outlives the run, however it ends.
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));

const t0 = performance.now();
const log = (line) => process.stderr.write(`reliability [${((performance.now() - t0) / 1000).toFixed(1)} s]: ${line}\n`);

log(`seed ${seed} (RELIABILITY_SEED=${seed} replays it)${quick ? '; a quick run' : ''}; parts: ${PARTS.map(([name]) => name).join(', ')}`);
const results = {};
const errors = [];
for (const [name, run] of PARTS) {
  try {
    results[name] = await run({ seed, ...SETTINGS[name], log });
  } catch (error) {
    errors.push(`${name}: ${error.message}`);
    log(`${name} FAILED: ${error.stack ?? error}`);
  }
}
const seconds = Math.round((performance.now() - t0) / 1000);
const broken = [...errors.map((e) => `${e} (the part did not finish)`), ...failures(results)];
const meta = {
  date: new Date().toISOString(),
  seed,
  quick,
  settings: SETTINGS,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  seconds,
};

const out = [
  `hook-catch reliability: seed ${seed}${quick ? ' (quick)' : ''}, Node ${process.version}, ${meta.cpus} CPUs, ${seconds} s`,
  '',
  table(results),
  '',
  notes(results),
  '',
  broken.length ? `CHECKS FAILED:\n${broken.map((b) => `- ${b}`).join('\n')}` : 'Every check passed.',
];
process.stdout.write(out.join('\n') + '\n');

const file = join(here, 'results', 'reliability.json');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify({ meta, failures: broken, ...results }, null, 2) + '\n');
log(`done in ${seconds} s; results written to ${file}`);
if (broken.length) process.exitCode = 1;
