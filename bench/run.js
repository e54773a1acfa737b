// `npm run bench`: hook-catch against a bare node:http server, the durable floor (the least a catcher
// that writes every request before answering does) and two peers (a provider's express sample server,
// mockttp), every server in its own child process, all on 127.0.0.1. mockttp is installed once into
// the bench's own peer folder (peer-install.js: the only time the bench uses the network).
// Progress goes to stderr; the Markdown report to stdout; JSON to bench/results/latest.json.
// BENCH_SECONDS=n sets the measured run length (default 8); --quick means 2; BENCH_ONLY=key,… picks rows;
// BENCH_PIN=0 runs unpinned (by default each server is on one CPU, the load generator on another: pin.js);
// BENCH_PEERS_DIR=path puts the installed peers there.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll } from './children.js';
import { addThroughput, largeBodyLines, LARGE_BODY_SCENARIOS, rssFit } from './large-bodies.js';
import { pinning, pinningWords, pinRunner } from './pin.js';
import { PROVIDER_SCENARIO, providerPortLines } from './provider-port.js';
import { MOCK_SCENARIO, mockLines } from './mock-playback.js';
import { EVENT_TYPING_SCENARIO, eventTypingLines } from './event-typing.js';
import { PEER_SCENARIOS, peerLines } from './peers.js';
import { CLI_STARTUP_SCENARIO, cliStartupLines } from './cli-startup.js';
import { addRatios, hadErrors, streamedNote, table, targetLines, targets } from './report.js';
import { runScenario, SMALL_BODY } from './scenario.js';
import { SCHEMA_SCENARIO, schemaLines } from './schema-check.js';
import { SIGNED_RULES_SCENARIO, signedRulesNote } from './signed-rules.js';
import { STARTUP_SCENARIO, startupLines } from './startup.js';
import { WAIT_SCENARIO, waitLines } from './wait-latency.js';
import { TYPES_SCENARIO, typesLines } from './payload-types.js';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? (process.argv.includes('--quick') ? 2 : 8));

const ALL_SCENARIOS = [
  { key: 'bare-1', name: 'bare node:http', server: 'bare', connections: 1 },
  { key: 'bare-32', name: 'bare node:http', server: 'bare', connections: 32 },
  ...PEER_SCENARIOS, // the durable floor, the express sample, mockttp (peers.js)
  { key: 'hook-catch-1', name: 'hook-catch, empty store', server: 'hook-catch', connections: 1 },
  { key: 'hook-catch-32', name: 'hook-catch, empty store', server: 'hook-catch', connections: 32 },
  { key: 'hook-catch-10k-32', name: 'hook-catch, 10,000 stored', server: 'hook-catch', connections: 32, stored: 10_000 },
  { key: 'hook-catch-50k-32', name: 'hook-catch, 50,000 stored', server: 'hook-catch', connections: 32, stored: 50_000 },
  // 5,000 jobs registered before the load; every request is a delivery to one of them, round-robin.
  { key: 'hook-catch-5k-jobs-32', name: 'hook-catch, 5,000 jobs', server: 'hook-catch', connections: 32, jobs: 5_000 },
  // The same as the empty store, with a reader on the live stream (as the inspector page is one).
  { key: 'hook-catch-stream-32', name: 'hook-catch, empty store, a /ws reader', server: 'hook-catch', connections: 32, streamReader: true },
  { key: 'hook-catch-fsync-32', name: 'hook-catch, empty store, fsync', server: 'hook-catch', connections: 32, fsync: true },
  SIGNED_RULES_SCENARIO, // response rules + a signature secret (signed-rules.js)
  ...LARGE_BODY_SCENARIOS, // 1 MiB and 10 MB bodies (large-bodies.js)
  WAIT_SCENARIO, // webhook acknowledged -> `wait` returning (wait-latency.js)
  STARTUP_SCENARIO, // start-up with 50,000 stored and 5,000 jobs (startup.js)
  PROVIDER_SCENARIO, // an app's calls through the provider port against straight to its provider (provider-port.js)
  TYPES_SCENARIO, // hook-catch types over 10,000 captures of 20 event types (payload-types.js)
  MOCK_SCENARIO, // hook-catch mock playing 1,000 jobs to a local app (mock-playback.js)
  EVENT_TYPING_SCENARIO, // what telling a capture's event type costs per request (event-typing.js)
  SCHEMA_SCENARIO, // start --schema: one 1 kB body checked against an OpenAPI spec (schema-check.js)
  CLI_STARTUP_SCENARIO, // the quick commands, spawn to exit, against node -e 1 (cli-startup.js)
];
// BENCH_ONLY=bare-32,hook-catch-32 runs only those rows (while tuning; the table in docs/performance.md is a full run).
const only = process.env.BENCH_ONLY?.split(',');
const unknown = only?.filter((key) => !ALL_SCENARIOS.some((s) => s.key === key)) ?? [];
if (unknown.length) {
  process.stderr.write(`bench: no row ${unknown.join(', ')}; the rows are ${ALL_SCENARIOS.map((s) => s.key).join(', ')}\n`);
  process.exit(2);
}
const SCENARIOS = only ? ALL_SCENARIOS.filter((s) => only.includes(s.key)) : ALL_SCENARIOS;

// No child and no temp folder outlives the run, however it ends.
const tempDirs = new Set();
process.on('exit', () => {
  killAll();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const fmtMs = (ms) => `${Math.round(ms).toLocaleString('en-US')} ms`;
const log = (line) => process.stderr.write(`bench: ${line}\n`);

/** What the jobs row did: registration, deliveries per job, the size of jobs.json it left. */
function jobsNote(r) {
  const n = (x) => Math.round(x).toLocaleString('en-US');
  const parts = [`${n(r.jobsAtStart)} jobs registered with hc.expect() in ${fmtMs(r.registerMs)}`];
  if (r.capturedSinceStart != null) {
    parts.push(`${n(r.capturedSinceStart)} deliveries to them (warm-up included), about ${n(r.capturedSinceStart / r.jobs)} per job`);
  }
  if (r.jobsFileMb != null) parts.push(`jobs.json ${r.jobsFileMb.toFixed(1)} MB when hook-catch closed`);
  return parts.join('; ');
}

/** The file system the stores live on (fsync means little on tmpfs). */
function fileSystemOf(path) {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' '));
    const best = mounts.filter((m) => m[1] && (path === m[1] || path.startsWith(m[1].endsWith('/') ? m[1] : `${m[1]}/`)));
    best.sort((a, b) => b[1].length - a[1].length);
    return best[0]?.[2] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const meta = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  seconds,
  warmupSeconds: 1,
  bodyBytes: Buffer.byteLength(SMALL_BODY),
  maxRequests: 'N for a store that starts with N stored; uncapped for an empty one; about 1 GB of bodies for the large-body rows',
  pinning: pinning(),
  jobBodies: 'with N jobs: each body, built per request, names the next job round-robin; a job hears running, running, succeeded, and again',
  loopDelay:
    "perf_hooks.monitorEventLoopDelay in the server's process, 1 ms resolution, reset after the warm-up; ms beyond the 1 ms tick; maxOwnMs is maxMs less the main thread's waits for a CPU",
  tmpdir: tmpdir(),
  tmpdirFileSystem: fileSystemOf(tmpdir()),
};

pinRunner();
log(`${SCENARIOS.length} scenarios, ${seconds} s each after a 1 s warm-up; ${pinningWords()}`);
const rows = [];
for (const s of SCENARIOS) {
  log(`${s.name}${s.connections ? `, ${s.connections} connection(s)` : ''}`);
  const ctx = { seconds, log, tempDirs };
  rows.push(await (s.run ? s.run(s, ctx) : runScenario(s, ctx)));
}
addRatios(rows);
addThroughput(rows);
const checks = targets(rows);
// The rows of the table: an autocannon run each; the others report in lines of their own.
const ownLines = {
  [WAIT_SCENARIO.key]: waitLines,
  [STARTUP_SCENARIO.key]: startupLines,
  [PROVIDER_SCENARIO.key]: providerPortLines,
  [TYPES_SCENARIO.key]: typesLines,
  [MOCK_SCENARIO.key]: mockLines,
  [EVENT_TYPING_SCENARIO.key]: eventTypingLines,
  [SCHEMA_SCENARIO.key]: schemaLines,
  [CLI_STARTUP_SCENARIO.key]: cliStartupLines,
  'disk-1mib': () => [],
}; // the disk row: in largeBodyLines
const loadRows = rows.filter((r) => !ownLines[r.key]);

const out = [
  `hook-catch benchmark: Node ${meta.node}, ${meta.cpus} CPUs, ${pinningWords()}; ${seconds} s per run after a 1 s warm-up, ` +
    `${meta.bodyBytes}-byte JSON POST unless the row says otherwise, store on ${meta.tmpdirFileSystem} (${meta.tmpdir}); ` +
    'a store that starts with N stored is capped at N (--max-requests), a large-body store at about 1 GB of bodies',
  '',
];
if (loadRows.length) {
  out.push(
    table(loadRows),
    '',
    "Longest stall and p99 loop delay: how late a 1 ms timer in the server's process ran during the measured run " +
      '(perf_hooks.monitorEventLoopDelay, the 1 ms tick taken off); while the loop stalls, that server answers nothing. ' +
      "Less CPU waits: the longest stall once the time the server's main thread waited for a CPU held by other " +
      'processes is taken off (Linux /proc/self/schedstat): most, not all, of what a busy machine adds (a wait to be woken ' +
      'or for the host to run a virtual CPU stays in); compare with the bare rows.',
    '',
    "CPU µs/req: the CPU time (user and system, every thread) the server's process used during the measured run, " +
      'per request answered: what a request costs that server, which a machine busy with other work changes less than req/s.',
    '',
  );
}
for (const r of rows.filter((r) => r.load && hadErrors(r))) {
  out.push(`WARNING: ${r.name} at ${r.connections} conns had ${r.load.non2xx} non-2xx, ${r.load.errors} errors, ${r.load.timeouts} timeouts`);
}
for (const r of rows.filter((r) => r.server === 'hook-catch' && r.load)) {
  const dropped = r.storedAtEnd == null ? 0 : r.stored + r.capturedSinceStart - r.storedAtEnd;
  const notes = [];
  if (r.prefillMs != null)
    notes.push(
      `prefilled in ${fmtMs(r.prefillMs)}, start() ${fmtMs(r.startMs)} (ready to receive), jobs derived from the stored requests ${fmtMs(r.jobsReadyMs)} after start (in the background; the load began after it)`,
    );
  if (r.jobs) notes.push(jobsNote(r));
  if (dropped > 0)
    notes.push(
      `captured ${r.capturedSinceStart.toLocaleString('en-US')} (warm-up included), so ${dropped.toLocaleString('en-US')} oldest were dropped (maxRequests)`,
    );
  if (r.key === SIGNED_RULES_SCENARIO.key && r.checked) notes.push(signedRulesNote(r));
  if (r.streamed) notes.push(streamedNote(r));
  if (notes.length) out.push(`- ${r.name}, ${r.connections} conns: ${notes.join('; ')}`);
}
out.push(...peerLines(rows));
out.push(...largeBodyLines(rows));
for (const r of rows) if (ownLines[r.key]) out.push(...ownLines[r.key](r));
out.push('', targetLines(checks));
process.stdout.write(out.join('\n') + '\n');

const file = join(here, 'results', 'latest.json');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify({ meta, scenarios: rows, memoryBound10MB: rssFit(rows), targets: checks }, null, 2) + '\n');
log(`results written to ${file}`);
