// Child processes for the benchmark: spawn, wait for the ready line, read peak RSS, stop.
// Every child is tracked so that none outlives the run, whatever happens.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const live = new Set();

/** Runs `node <script> ...args` and resolves with the first JSON line it prints. */
export function runNode(script, args = [], { timeoutMs = 60_000, waitForExit = false } = {}) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  live.add(child);
  child.on('exit', () => live.delete(child));
  return new Promise((resolve, reject) => {
    let reported = null;
    let readyAt = 0;
    const timer = setTimeout(() => fail(new Error(`${script} did not report within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (!reported) fail(new Error(`${script} exited (${signal ?? code}) before reporting`));
      else if (waitForExit) resolve({ child, info: reported, readyMs: readyAt - t0 });
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      readyAt = performance.now();
      try {
        reported = JSON.parse(line);
      } catch {
        return fail(new Error(`${script} printed something that is not JSON: ${line}`));
      }
      clearTimeout(timer);
      if (!waitForExit) resolve({ child, info: reported, readyMs: readyAt - t0 });
    });
  });
}

/** Peak resident set size of a live process, in MB (VmHWM from /proc). */
export function peakRssMb(pid) {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : null;
}

/** Asks a child to stop (SIGTERM), then kills it if it has not gone within `graceMs`. */
export function stop(child, graceMs = 4000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Last resort, synchronous (safe in an 'exit' handler): kills whatever is still running. */
export function killAll() {
  for (const child of live) child.kill('SIGKILL');
}
