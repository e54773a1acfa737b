// hook-catch in its own process, as `hook-catch start` would run it, minus the terminal output.
// Usage: node bench/hook-catch-server.js --dir <dir> [--max-requests N] [--fsync] [--jobs N] [--options JSON]
// (or BENCH_DIR, BENCH_MAX_REQUESTS, BENCH_FSYNC=1, BENCH_JOBS in the environment).
// --jobs N registers N jobs (the ids bench/payload.js names) with hc.expect() before it reports ready;
// --job-offset K makes them jobs K to K+N-1 (default 0).
// --options '{"maxBody":…,"rules":[…],"verify":[…]}' adds start() options (as the library takes them).
// Besides reset and loop-delay (child-control.js), it answers `waits N` once N long-polls of
// GET /api/jobs/:id/wait have reached its inspector (bench/wait-latency.js).
import { subscribe } from 'node:diagnostics_channel';
import { parseArgs } from 'node:util';
import { start } from '../dist/index.js';
import { answerRunner } from './child-control.js';
import { jobId } from './payload.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: process.env.BENCH_DIR },
    'max-requests': { type: 'string', default: process.env.BENCH_MAX_REQUESTS ?? '100000' },
    fsync: { type: 'boolean', default: process.env.BENCH_FSYNC === '1' },
    jobs: { type: 'string', default: process.env.BENCH_JOBS ?? '0' },
    'job-offset': { type: 'string', default: '0' },
    options: { type: 'string', default: '{}' },
  },
});
if (!values.dir) {
  console.error('hook-catch-server: --dir is required');
  process.exit(2);
}
const jobCount = Number(values.jobs);
if (!Number.isSafeInteger(jobCount) || jobCount < 0) {
  console.error(`hook-catch-server: --jobs "${values.jobs}" is not a number of jobs; give a whole number, 0 or more`);
  process.exit(2);
}

const waits = countWaits();
const t0 = performance.now();
const hc = await start({
  ...JSON.parse(values.options),
  port: 0,
  host: '127.0.0.1',
  inspectorPort: 0,
  dir: values.dir,
  output: 'none',
  tunnel: false, // the benchmark never dials out
  maxRequests: Number(values['max-requests']),
  fsync: values.fsync,
});
const startMs = performance.now() - t0;
// Jobs are derived from the stored requests in the background after start(); the jobs API answers
// once that is done. The load starts after it, so that rows measure steady state; the time is reported.
await (await fetch(`${hc.inspectorUrl}/api/jobs?status=expired`)).json();
const jobsReadyMs = performance.now() - t0;

// All at once, as a client that submits a batch would: registrations that arrive together share a save.
const t1 = performance.now();
const offset = Number(values['job-offset']);
await Promise.all(Array.from({ length: jobCount }, (_, i) => hc.expect(jobId(offset + i))));
const registerMs = performance.now() - t1;

process.stdout.write(
  JSON.stringify({
    ready: true,
    port: hc.receiverPort,
    inspectorPort: hc.inspectorPort,
    providerPort: hc.providerUrl ? Number(new URL(hc.providerUrl).port) : null,
    startMs,
    jobsReadyMs,
    stored: hc.store.count,
    jobs: hc.jobs.list().length,
    registeredJobs: hc.jobs.list().filter((job) => job.source === 'expect').length,
    registerMs,
    warnings: hc.warnings,
  }) + '\n',
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(1), 3000).unref();
  await hc.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
answerRunner(stop, { waits: (n) => waits.reached(Number(n)) });

/**
 * Counts the long-polls node:http hands to the inspector (diagnostics channel, before express sees
 * them). `reached(n)` resolves once n have arrived, a turn of the loop later (express has then
 * taken each to its route or to the turn that leads there).
 */
function countWaits() {
  let count = 0;
  const pending = [];
  const settle = () => {
    for (const p of pending.filter((p) => count >= p.n)) {
      pending.splice(pending.indexOf(p), 1);
      setImmediate(() => p.resolve({ waits: count }));
    }
  };
  subscribe('http.server.request.start', ({ request }) => {
    if (/^\/api\/jobs\/[^/?]+\/wait(\?|$)/.test(request.url)) count++, settle();
  });
  return { reached: (n) => new Promise((resolve) => (pending.push({ n, resolve }), settle())) };
}
