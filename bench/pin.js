// Pinning for `npm run bench`: on a machine with 2 or more CPUs and taskset, the server under test
// (bare node:http or hook-catch) runs on one CPU and this process (autocannon, the load generator)
// with its helper children (the /ws reader, the prefill, the waiters) on another, so that a row
// measures the server, not how it and the load generator share a CPU. BENCH_PIN=0 runs unpinned.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

const TASKSET = '/usr/bin/taskset';
export const LOAD_CPU = 0;
export const SERVER_CPU = 1;

function hasTaskset() {
  try {
    execFileSync(TASKSET, ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why the run is not pinned, or null when it is. */
function whyNot() {
  if (process.env.BENCH_PIN === '0') return 'BENCH_PIN=0';
  if (cpus().length < 2) return 'one CPU';
  if (!hasTaskset()) return 'no taskset';
  return null;
}

const unpinnedBecause = whyNot();
export const PINNED = unpinnedBecause === null;

/** Pins every thread of this process (and so the children it starts, unless told otherwise) to LOAD_CPU. */
export function pinRunner() {
  if (PINNED) execFileSync(TASKSET, ['-a', '-cp', String(LOAD_CPU), String(process.pid)], { stdio: 'ignore' });
}

/** The command and arguments that run `node <script> ...args` on `cpu` (as they are when unpinned). */
export function pinnedCommand(cpu, script, args) {
  if (!PINNED || cpu == null) return [process.execPath, [script, ...args]];
  return [TASKSET, ['-c', String(cpu), process.execPath, script, ...args]];
}

/** For the JSON: which CPU each side runs on. */
export function pinning() {
  if (!PINNED) return { pinned: false, why: unpinnedBecause };
  return { pinned: true, serverCpu: SERVER_CPU, loadGeneratorCpu: LOAD_CPU, helpersCpu: LOAD_CPU };
}

/** For the report's header line. */
export function pinningWords() {
  if (!PINNED) return `unpinned (${unpinnedBecause})`;
  return `each server pinned to CPU ${SERVER_CPU} (taskset), the load generator (autocannon, the runner) and its helpers to CPU ${LOAD_CPU}`;
}
