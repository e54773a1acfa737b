// Start-up with 50,000 stored requests AND 5,000 registered jobs: the store is prefilled
// (bench/prefill.js, each request naming a job of its own), then a hook-catch is started on it once
// to register 5,000 other jobs with hc.expect() (saved in jobs.json; still waiting for their
// webhooks, so the newest jobs there are) and closed. Then fresh hook-catch processes are started on that
// folder, one after another, each timed: start() (ready to receive) and the jobs derived.
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssMb, runNode, stop } from './children.js';
import { percentile } from './load.js';
import { LOAD_CPU, SERVER_CPU } from './pin.js';
import { fileMb } from './scenario.js';

const here = dirname(fileURLToPath(import.meta.url));
const STORED = 50_000;
const JOBS = 5_000;
/** Fresh starts timed; the median is judged, the slowest reported with it. */
const STARTS = 3;

export const STARTUP_SCENARIO = {
  key: 'hook-catch-ready-50k-5k-jobs',
  name: 'hook-catch start-up, 50,000 stored and 5,000 jobs',
  server: 'hook-catch',
  run: runStartup,
};

async function runStartup(s, { log, tempDirs }) {
  const row = { key: s.key, name: s.name, server: s.server, stored: STORED, jobs: JOBS, starts: [] };
  const dir = await mkdtemp(join(tmpdir(), 'hook-catch-bench-'));
  tempDirs.add(dir);
  const args = ['--dir', dir, '--max-requests', String(STORED)];
  try {
    log(`  prefilling ${STORED} requests`);
    row.prefillMs = (await runNode(join(here, 'prefill.js'), [dir, String(STORED), String(STORED)], { waitForExit: true, cpu: LOAD_CPU })).info.ms;
    log(`  registering ${JOBS} jobs with hc.expect() on it, then closing`);
    const first = await runNode(join(here, 'hook-catch-server.js'), [...args, '--jobs', String(JOBS), '--job-offset', String(STORED)], {
      cpu: LOAD_CPU,
      timeoutMs: 120_000,
    });
    row.registerMs = first.info.registerMs;
    await stop(first.child, 15_000);
    row.registrationsSaved = savedRegistrations(join(dir, 'jobs.json'));
    row.jobsFileMb = fileMb(join(dir, 'jobs.json'));
    if (row.registrationsSaved !== JOBS) throw new Error(`jobs.json holds ${row.registrationsSaved} registrations, not ${JOBS}`);
    if (first.info.registeredJobs !== JOBS) throw new Error(`hook-catch knew ${first.info.registeredJobs} registered jobs after registering ${JOBS}`);
    for (let i = 0; i < STARTS; i++) {
      const { child, info, readyMs } = await runNode(join(here, 'hook-catch-server.js'), [...args, '--jobs', '0'], { cpu: SERVER_CPU, timeoutMs: 120_000 });
      row.starts.push({
        startMs: info.startMs,
        jobsReadyMs: info.jobsReadyMs,
        spawnToReadyMs: readyMs,
        stored: info.stored,
        jobs: info.jobs,
        registeredJobs: info.registeredJobs,
        peakRssMb: peakRssMb(child.pid),
      });
      await stop(child, 15_000);
      log(`  start ${i + 1}: start() ${Math.round(info.startMs)} ms, jobs derived ${Math.round(info.jobsReadyMs)} ms after start began`);
    }
    Object.assign(row, summarize(row.starts));
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${row.error}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
  return row;
}

function savedRegistrations(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8')).registrations?.length ?? 0;
  } catch {
    return 0;
  }
}

function summarize(starts) {
  const sorted = (key) => Float64Array.from(starts.map((x) => x[key])).sort();
  const startMs = sorted('startMs');
  const jobsReadyMs = sorted('jobsReadyMs');
  return {
    startMs: percentile(startMs, 50),
    startMaxMs: startMs[startMs.length - 1],
    jobsReadyMs: percentile(jobsReadyMs, 50),
    jobsReadyMaxMs: jobsReadyMs[jobsReadyMs.length - 1],
    storedAtStart: starts[0].stored,
    jobsAtStart: starts[0].jobs,
    registeredJobsAtStart: Math.min(...starts.map((x) => x.registeredJobs)),
    peakRssMb: Math.max(...starts.map((x) => x.peakRssMb)),
  };
}

/** The report's line for this row. */
export function startupLines(row) {
  if (row.error) return [`- ${row.name}: FAILED: ${row.error}`];
  const ms = (n) => `${Math.round(n).toLocaleString('en-US')} ms`;
  const each = row.starts.map((x) => `${ms(x.startMs)} / ${ms(x.jobsReadyMs)}`).join(', ');
  return [
    `- ${row.name}: prefilled in ${ms(row.prefillMs)}; ${JOBS.toLocaleString('en-US')} jobs registered in ${ms(row.registerMs)}, jobs.json ${row.jobsFileMb?.toFixed(2)} MB; ` +
      `${row.starts.length} fresh starts (start() / jobs derived, both from the call to start()): ${each}; median start() ${ms(row.startMs)}, jobs derived ${ms(row.jobsReadyMs)}; ` +
      `each saw ${row.storedAtStart.toLocaleString('en-US')} stored and ${row.jobsAtStart.toLocaleString('en-US')} jobs, ${row.registeredJobsAtStart.toLocaleString('en-US')} of them registered; peak RSS ${row.peakRssMb.toFixed(0)} MB`,
  ];
}
