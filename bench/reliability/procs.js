// Every child process and temp folder of the reliability run, tracked so that none outlives it,
// however it ends. hook-catch runs as a user runs it: the real CLI (bin/hook-catch.js), its stdout and
// stderr going to files (nothing to drain while it is under load), in a process group of its own.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/hook-catch.js', import.meta.url));

const children = new Set();
const dirs = new Set();

/** A new folder under the system's temp folder, removed when the run ends. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `hook-catch-reliability-${prefix}-`));
  dirs.add(dir);
  return dir;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** Synchronous (safe in an 'exit' handler): kills every child still running, removes every temp folder. */
export function cleanUp() {
  for (const child of children) killGroup(child, 'SIGKILL');
  children.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

let home;
/** An empty HOME and no ngrok settings: hook-catch finds no token and never dials out. */
function childEnv(extra = {}) {
  home ??= tempDir('home');
  const { NGROK_AUTHTOKEN: _t, XDG_CONFIG_HOME: _x, ...env } = process.env;
  return { ...env, HOME: home, NO_COLOR: '1', ...extra };
}

function track(command, args, stdio, env) {
  const child = spawn(command, args, { stdio, env: childEnv(env), detached: true });
  children.add(child);
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  child.on('error', () => undefined);
  return { child, exited };
}

/**
 * Starts `hook-catch start --json` (loopback, no tunnel) with `args`, its output in files under
 * `logDir`, and resolves once it prints its ready line. `prefix` is a command it runs under (the
 * small-disk wrapper); the CLI is then exec'd by it, so the pid is hook-catch's own once ready.
 */
export async function startHookCatch({ dir, args = [], logDir, prefix = [], env = {}, timeoutMs = 120_000 }) {
  const stdoutPath = join(logDir, `stdout-${Date.now()}-${Math.random().toString(36).slice(2, 6)}.log`);
  const stderrPath = stdoutPath.replace('stdout-', 'stderr-');
  const out = openSync(stdoutPath, 'w');
  const err = openSync(stderrPath, 'w');
  const cli = [BIN, 'start', '--port', '0', '--inspector-port', '0', '--no-tunnel', '--json', '--dir', dir, ...args];
  const command = prefix.length ? prefix : [process.execPath];
  const { child, exited } = track(command[0], [...command.slice(1), ...(prefix.length ? [process.execPath] : []), ...cli], ['ignore', out, err], env);
  closeSync(out);
  closeSync(err);
  let ended = null;
  exited.then((how) => (ended = how));
  const stderr = () => readFileSync(stderrPath, 'utf8');
  const t0 = performance.now();
  let ready = null;
  while (!ready) {
    if (ended) throw new Error(`hook-catch exited (${ended.signal ?? ended.code}) before it was ready: ${stderr().trim()}`);
    if (performance.now() - t0 > timeoutMs) {
      killGroup(child, 'SIGKILL');
      throw new Error(`hook-catch was not ready within ${timeoutMs} ms: ${stderr().trim()}`);
    }
    const text = readFileSync(stdoutPath, 'utf8');
    const lineEnd = text.indexOf('\n');
    if (lineEnd !== -1) {
      const firstLine = text.slice(0, lineEnd);
      ready = JSON.parse(firstLine);
      if (ready.type !== 'ready') throw new Error(`hook-catch's first line is not its ready line: ${firstLine}`);
    } else await sleep(20);
  }
  return {
    child,
    pid: child.pid,
    ready,
    readyMs: performance.now() - t0,
    receiverUrl: ready.receiverUrl,
    receiverPort: ready.receiverPort,
    inspectorUrl: ready.inspectorUrl,
    exited,
    alive: () => ended === null,
    ended: () => ended,
    stderr,
    stdoutPath,
    /** kill -9: no chance to finish anything. */
    kill9: async () => {
      if (ended === null) killGroup(child, 'SIGKILL');
      return exited;
    },
    /** SIGTERM (a clean stop), then SIGKILL after `graceMs`. */
    stop: async (graceMs = 10_000) => {
      if (ended !== null) return ended;
      const force = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        // it ended meanwhile
      }
      const how = await exited;
      clearTimeout(force);
      return how;
    },
  };
}

/** Runs another hook-catch command (show, expect …) to its end; resolves with its exit code and output bytes. */
export function runCli(args, { timeoutMs = 30_000 } = {}) {
  const { child, exited } = track(process.execPath, [BIN, ...args], ['ignore', 'pipe', 'pipe']);
  const out = [];
  let err = '';
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => (err += d));
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
  return exited.then(({ code, signal }) => {
    clearTimeout(timer);
    return { code, signal, stdout: Buffer.concat(out), stderr: err };
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
