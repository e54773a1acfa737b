// Child processes for the benchmark: spawn, wait for the ready line, ask, read peak RSS, stop.
// Every child is tracked so that none outlives the run, whatever happens.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CONTROL_FD } from './child-control.js';
import { pinnedCommand } from './pin.js';

const live = new Set();
/** Each live child's stdout, line by line: its ready line, then its answers to `ask`. */
const lineReaders = new Map();
/** How many bytes each child with `stdoutLog` printed to its stdout. */
const logBytes = new Map();

/**
 * Runs `node <script> ...args` and resolves with the first JSON line it prints. `cpu`: the CPU it is
 * pinned to (bench/pin.js; ignored when the run is unpinned); without it, it runs where this process does.
 * `stdoutLog`: the child's stdout is its own log (a sample server printing each payload, as to a
 * terminal), so it reports on CONTROL_FD (child-control.js) instead, and its stdout is read as fast
 * as it comes and dropped (counted: stdoutBytes), so that its writes never wait for a full pipe.
 */
export function runNode(script, args = [], { timeoutMs = 60_000, waitForExit = false, cpu, stdoutLog = false } = {}) {
  const t0 = performance.now();
  const [command, argv] = pinnedCommand(cpu, script, args);
  const stdio = ['pipe', 'pipe', 'inherit'];
  if (stdoutLog) stdio[CONTROL_FD] = 'pipe';
  const child = spawn(command, argv, { stdio });
  live.add(child);
  if (stdoutLog) {
    logBytes.set(child, 0);
    child.stdout.on('data', (chunk) => logBytes.set(child, logBytes.get(child) + chunk.length));
  }
  const lines = createInterface({ input: stdoutLog ? child.stdio[CONTROL_FD] : child.stdout });
  lineReaders.set(child, lines);
  child.on('exit', () => {
    live.delete(child);
    lineReaders.delete(child);
    logBytes.delete(child);
  });
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
    lines.once('line', (line) => {
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

/** Sends a command line to a server child (see bench/child-control.js) and resolves with its JSON answer. */
export function ask(child, command, timeoutMs = 10_000) {
  const lines = lineReaders.get(child);
  if (!lines) return Promise.reject(new Error(`the server is gone; cannot ask it "${command}"`));
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      lines.off('line', onLine);
      child.off('exit', onExit);
    };
    const onLine = (line) => {
      done();
      let answer;
      try {
        answer = JSON.parse(line);
      } catch {
        return reject(new Error(`the answer to "${command}" is not JSON: ${line}`));
      }
      if (answer?.error) reject(new Error(answer.error));
      else resolve(answer);
    };
    const onExit = () => {
      done();
      reject(new Error(`the server exited before answering "${command}"`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`the server did not answer "${command}" within ${timeoutMs} ms`));
    }, timeoutMs);
    lines.once('line', onLine);
    child.once('exit', onExit);
    child.stdin.write(`${command}\n`);
  });
}

/** Bytes a live child started with `stdoutLog` has printed to its stdout so far. */
export function stdoutBytes(child) {
  return logBytes.get(child) ?? null;
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
