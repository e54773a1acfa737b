// `npm run bench`: hook-catch against a bare node:http server, every server in its own child process,
// all on 127.0.0.1. Progress goes to stderr; the Markdown report to stdout; JSON to bench/results/latest.json.
// BENCH_SECONDS=n sets the measured run length (default 8); --quick means 2; BENCH_ONLY=key,… picks rows.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ask, killAll, peakRssMb, runNode, stop } from './children.js';
import { measure } from './load.js';
import { jobDeliveries, webhookPayload } from './payload.js';
import { addRatios, hadErrors, table, targetLines, targets } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? (process.argv.includes('--quick') ? 2 : 8));
// A store that starts with N requests is capped at N, so it holds exactly N throughout the run (the
// oldest are dropped as new ones arrive, as in a full store in real use). An empty store is not capped.
const UNCAPPED = 10_000_000;
const body = webhookPayload(0);

const ALL_SCENARIOS = [
  { key: 'bare-1', name: 'bare node:http', server: 'bare', connections: 1 },
  { key: 'bare-32', name: 'bare node:http', server: 'bare', connections: 32 },
  { key: 'hook-catch-1', name: 'hook-catch, empty store', server: 'hook-catch', connections: 1 },
  { key: 'hook-catch-32', name: 'hook-catch, empty store', server: 'hook-catch', connections: 32 },
  { key: 'hook-catch-10k-32', name: 'hook-catch, 10,000 stored', server: 'hook-catch', connections: 32, stored: 10_000 },
  { key: 'hook-catch-50k-32', name: 'hook-catch, 50,000 stored', server: 'hook-catch', connections: 32, stored: 50_000 },
  // 5,000 jobs registered before the load; every request is a delivery to one of them, round-robin.
  { key: 'hook-catch-5k-jobs-32', name: 'hook-catch, 5,000 jobs', server: 'hook-catch', connections: 32, jobs: 5_000 },
  // The same as the empty store, with a reader on the live stream (as the inspector page is one).
  { key: 'hook-catch-stream-32', name: 'hook-catch, empty store, a /ws reader', server: 'hook-catch', connections: 32, streamReader: true },
  { key: 'hook-catch-fsync-32', name: 'hook-catch, empty store, fsync', server: 'hook-catch', connections: 32, fsync: true },
];
// BENCH_ONLY=bare-32,hook-catch-32 runs only those rows (while tuning; the README's table is a full run).
const only = process.env.BENCH_ONLY?.split(',');
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

async function runScenario(s) {
  const row = { key: s.key, name: s.name, server: s.server, connections: s.connections, stored: s.stored ?? 0, jobs: s.jobs ?? 0, fsync: !!s.fsync };
  let child;
  let dir;
  let reader;
  try {
    let script = join(here, 'bare-server.js');
    let args = [];
    if (s.server === 'hook-catch') {
      dir = await mkdtemp(join(tmpdir(), 'hook-catch-bench-'));
      tempDirs.add(dir);
      script = join(here, 'hook-catch-server.js');
      args = await hookCatchArgs(s, row, dir);
    }
    const started = await runNode(script, args);
    child = started.child;
    row.readyMs = started.readyMs;
    row.startMs = started.info.startMs ?? null;
    if (s.server === 'hook-catch') Object.assign(row, { storedAtStart: started.info.stored, jobsAtStart: started.info.jobs, registerMs: started.info.registerMs, jobsReadyMs: started.info.jobsReadyMs });
    if (s.streamReader) reader = (await runNode(join(here, 'stream-reader.js'), [`ws://127.0.0.1:${started.info.inspectorPort}/ws`])).child;
    log(`  ready in ${Math.round(started.readyMs)} ms; warm-up 1 s, then ${seconds} s at ${s.connections} connection(s)`);
    row.load = await measure({
      url: `http://127.0.0.1:${started.info.port}/webhook`,
      body,
      nextBody: row.jobs ? jobDeliveries(row.jobs) : undefined,
      connections: s.connections,
      seconds,
      afterWarmup: () => ask(child, 'reset'),
    });
    row.loopDelay = await ask(child, 'loop-delay');
    if (reader) row.streamed = await ask(reader, 'count');
    row.peakRssMb = peakRssMb(child.pid);
    if (s.server === 'hook-catch') {
      const status = await (await fetch(`http://127.0.0.1:${started.info.inspectorPort}/api/status`)).json();
      row.storedAtEnd = status.requests?.stored;
      row.capturedSinceStart = status.requests?.capturedSinceStart;
    }
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${row.error}`);
  } finally {
    if (reader) await stop(reader);
    if (child) await stop(child);
    if (dir && row.jobs) row.jobsFileMb = fileMb(join(dir, 'jobs.json'));
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    }
  }
  return row;
}

/** Fills the store first when the scenario starts with requests stored; the child's arguments. */
async function hookCatchArgs(s, row, dir) {
  if (s.stored) {
    log(`  prefilling ${s.stored} requests`);
    const { info } = await runNode(join(here, 'prefill.js'), [dir, String(s.stored), String(s.stored)], { waitForExit: true });
    row.prefillMs = info.ms;
  }
  return ['--dir', dir, '--max-requests', String(s.stored || UNCAPPED), ...(s.fsync ? ['--fsync'] : []), '--jobs', String(row.jobs)];
}

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

function fileMb(path) {
  try {
    return statSync(path).size / 1024 / 1024;
  } catch {
    return null;
  }
}

/** The file system the stores live on (fsync means little on tmpfs). */
function fileSystemOf(path) {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' '));
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
  bodyBytes: Buffer.byteLength(body),
  maxRequests: 'N for a store that starts with N stored; uncapped for an empty one',
  jobBodies: 'with N jobs: each body, built per request, names the next job round-robin; a job hears running, running, succeeded, and again',
  loopDelay: "perf_hooks.monitorEventLoopDelay in the server's process, 1 ms resolution, reset after the warm-up; ms beyond the 1 ms tick; maxOwnMs is maxMs less the main thread's waits for a CPU",
  tmpdir: tmpdir(),
  tmpdirFileSystem: fileSystemOf(tmpdir()),
};

log(`${SCENARIOS.length} scenarios, ${seconds} s each after a 1 s warm-up`);
const rows = [];
for (const s of SCENARIOS) {
  log(`${s.name}, ${s.connections} connection(s)`);
  rows.push(await runScenario(s));
}
addRatios(rows);
const checks = targets(rows);

const out = [
  `hook-catch benchmark: Node ${meta.node}, ${meta.cpus} CPUs, ${seconds} s per run after a 1 s warm-up, ` +
    `${meta.bodyBytes}-byte JSON POST, store on ${meta.tmpdirFileSystem} (${meta.tmpdir}); a store that starts with N stored is capped at N (--max-requests)`,
  '',
  table(rows),
  '',
  "Longest stall and p99 loop delay: how late a 1 ms timer in the server's process ran during the measured run " +
    '(perf_hooks.monitorEventLoopDelay, the 1 ms tick taken off); while the loop stalls, that server answers nothing. ' +
    "Less CPU waits: the longest stall once the time the server's main thread waited for a CPU held by other " +
    'processes is taken off (Linux /proc/self/schedstat): most, not all, of what a busy machine adds (a wait to be woken ' +
    'or for the host to run a virtual CPU stays in); compare with the bare rows.',
  '',
];
for (const r of rows.filter((r) => r.load && hadErrors(r))) {
  out.push(`WARNING: ${r.name} at ${r.connections} conns had ${r.load.non2xx} non-2xx, ${r.load.errors} errors, ${r.load.timeouts} timeouts`);
}
for (const r of rows.filter((r) => r.server === 'hook-catch' && r.load)) {
  const dropped = r.storedAtEnd == null ? 0 : r.stored + r.capturedSinceStart - r.storedAtEnd;
  const notes = [];
  if (r.prefillMs != null) notes.push(`prefilled in ${fmtMs(r.prefillMs)}, start() ${fmtMs(r.startMs)} (ready to receive), jobs derived from the stored requests ${fmtMs(r.jobsReadyMs)} after start (in the background; the load began after it)`);
  if (r.jobs) notes.push(jobsNote(r));
  if (dropped > 0) notes.push(`captured ${r.capturedSinceStart.toLocaleString('en-US')} (warm-up included), so ${dropped.toLocaleString('en-US')} oldest were dropped (maxRequests)`);
  if (notes.length) out.push(`- ${r.name}, ${r.connections} conns: ${notes.join('; ')}`);
}
out.push('', targetLines(checks));
process.stdout.write(out.join('\n') + '\n');

const file = join(here, 'results', 'latest.json');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify({ meta, scenarios: rows, targets: checks }, null, 2) + '\n');
log(`results written to ${file}`);
