import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { start, type HookCatch } from '../../src/start.js';
import type { Job } from '../../src/jobs/types.js';
import type { CapturedRequest } from '../../src/capture/capture.js';
import { createIdGenerator } from '../../src/capture/ids.js';
import type { HookCatchOptions } from '../../src/options.js';

export const BIN = fileURLToPath(new URL('../../bin/hook-catch.js', import.meta.url));

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Runs after the current test, newest first. */
export function later(fn: () => Promise<unknown> | unknown): void {
  cleanups.push(fn);
}

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hook-catch-test-'));
  later(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A real hook-catch on free ports and a fresh store, closed after the test. */
export async function startHookCatch(options: HookCatchOptions = {}): Promise<HookCatch> {
  // No tunnel unless a test asks for one (with a fake, or the SDK pointed at a closed local port).
  const hc = await start({ port: 0, inspectorPort: 0, dir: await tempDir(), output: 'none', tunnel: false, ...options });
  later(() => hc.close());
  return hc;
}

const nextId = createIdGenerator();

/** A request as the receiver captures one (a JSON POST to /webhook, answered 200), to put in a store directly. */
export function capturedRequest(body: string | Buffer, extra: Partial<CapturedRequest> = {}): CapturedRequest {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return {
    id: nextId(),
    receivedAt: new Date().toISOString(),
    method: 'POST',
    url: '/webhook',
    path: '/webhook',
    query: [],
    httpVersion: '1.1',
    headers: [['Content-Type', 'application/json']],
    remoteAddress: '127.0.0.1',
    contentType: 'application/json',
    bodySize: bytes.length,
    bodyDiscarded: false,
    response: { status: 200 },
    body: bytes,
    ...extra,
  };
}

/** Sends bytes exactly as given and returns the raw HTTP response text (for header order, case, duplicates). */
export function rawRequest(port: number, text: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (d) => {
      out += d.toString('latin1');
      if (/\r\n\r\n/.test(out) && /Content-Length: (\d+)/i.test(out)) {
        const len = Number(/Content-Length: (\d+)/i.exec(out)![1]);
        if (Buffer.byteLength(out.slice(out.indexOf('\r\n\r\n') + 4), 'latin1') >= len) socket.end();
      }
    });
    socket.on('end', () => resolve(out));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.write(text);
  });
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A plain node:http request (fetch forbids setting Host and Origin, which these tests need). */
export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers };
    if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
    const req = httpRequest(url, { method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export function json<T = any>(reply: Reply): T {
  return JSON.parse(reply.body.toString('utf8')) as T;
}

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stdoutBytes: () => Buffer;
  stderr: () => string;
  /** Resolves with the first stdout line that parses as JSON and passes `match` (30 s by default). */
  jsonLine: <T = any>(match: (value: any) => boolean, timeoutMs?: number) => Promise<T>;
  /** Resolves with the first match of `pattern` in stdout (or stderr with `stream`), as soon as it is printed. */
  printed: (pattern: RegExp, options?: { stream?: 'stdout' | 'stderr'; timeoutMs?: number }) => Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * A command the CLI runs under (`ulimit -f`, `strace`): node and its arguments are appended to it.
   * `child.pid` is then the wrapper's; the `ready` line gives the CLI's own.
   */
  wrapper?: string[];
}

/**
 * A wrapper that runs the CLI under `ulimit -f <blocks>`: a write that would grow a file past that
 * many blocks (512 bytes with dash, 1024 with bash) fails with EFBIG, as one to a full disk fails.
 */
export const fileSizeLimit = (blocks: number) => ['/bin/sh', '-c', `ulimit -f ${blocks} && exec "$0" "$@"`];

/** The environment of a child hook-catch: an empty HOME and no ngrok settings, so it finds no token. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'hook-catch-home-'));
  later(() => rm(home, { recursive: true, force: true }));
  const { NGROK_AUTHTOKEN: _ignored, XDG_CONFIG_HOME: _ignoredToo, ...env } = process.env;
  return { ...env, HOME: home, NO_COLOR: '1', ...extra };
}

/**
 * Runs the real CLI (bin/hook-catch.js, built dist/) as a user would; killed after the test. It gets
 * an empty HOME and no NGROK_AUTHTOKEN, so it finds no ngrok token and never dials out, unless a
 * test passes one (always with --ngrok-server-addr on a closed or silent local port).
 */
export function spawnCli(args: string[], options: SpawnOptions = {}): Spawned {
  return spawnCommand([...(options.wrapper ?? []), process.execPath, BIN, ...args], options);
}

/**
 * Runs a shell script with a tmpfs of `size` (e.g. "1m") mounted at $DISK in a mount namespace of
 * its own: a real small disk that fills up, for the tests of a full disk. $NODE and $BIN run the
 * CLI. The namespace (and the disk) end with the script. As root, no user namespace is needed.
 */
export function spawnOnSmallDisk(size: string, script: string): Spawned {
  const disk = mkdtempSync(join(tmpdir(), 'hook-catch-disk-'));
  later(() => rm(disk, { recursive: true, force: true }));
  const mount = `mount -t tmpfs -o size=${size} tmpfs "$DISK" || { echo "cannot mount a tmpfs here" >&2; exit 97; }`;
  const unshare = process.getuid?.() === 0 ? ['unshare', '-m'] : ['unshare', '-Urm'];
  return spawnCommand([...unshare, 'sh', '-c', `${mount}\n${script}`], { env: { DISK: disk, NODE: process.execPath, BIN } });
}

/** Runs any command (killed after the test), as spawnCli runs the CLI. */
export function spawnCommand(command: string[], options: SpawnOptions): Spawned {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const outChunks: Buffer[] = [];
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    outChunks.push(d);
    out += d.toString('utf8');
    for (const w of waiters.splice(0)) w();
  });
  child.stderr!.on('data', (d) => {
    err += d;
    for (const w of waiters.splice(0)) w();
  });
  // 'close', not 'exit': at 'exit' the last of stdout may still be on its way.
  let closed = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      closed = true;
      resolve({ code, signal });
      for (const w of waiters.splice(0)) w();
    }),
  );
  later(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exited;
  });
  /** Resolves with what `find` finds in the output so far, looking again on each new chunk; rejects on exit or timeout. */
  const until = <T>(find: () => T | undefined, what: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} in ${timeoutMs} ms; stdout: ${out} stderr: ${err}`)), timeoutMs);
      const look = () => {
        const found = find();
        if (found !== undefined) {
          clearTimeout(timer);
          return resolve(found);
        }
        if (closed) {
          clearTimeout(timer);
          return reject(new Error(`exited before ${what}; stdout: ${out} stderr: ${err}`));
        }
        waiters.push(look);
      };
      look();
    });
  const jsonLine = <T>(match: (value: any) => boolean, timeoutMs = 30_000) =>
    until<T>(
      () => {
        for (const line of out.split('\n')) {
          try {
            const value = JSON.parse(line);
            if (match(value)) return value as T;
          } catch {
            // not a JSON line
          }
        }
        return undefined;
      },
      'matching JSON line',
      timeoutMs,
    );
  const printed = (pattern: RegExp, options: { stream?: 'stdout' | 'stderr'; timeoutMs?: number } = {}) =>
    until(() => pattern.exec(options.stream === 'stderr' ? err : out) ?? undefined, `output matching ${pattern}`, options.timeoutMs ?? 30_000);
  return { child, stdout: () => out, stdoutBytes: () => Buffer.concat(outChunks), stderr: () => err, jsonLine, printed, exited };
}

/** The package's folder: where `import 'hook-catch'` finds the built library. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs an ES module that imports the built package (`import { start } from 'hook-catch'`), as a
 * user's program would, in its own process (see `childEnv`); resolves with its stdout.
 */
export function runLibrary(script: string, options: { env?: NodeJS.ProcessEnv; wrapper?: string[] } = {}): Promise<string> {
  const command = [...(options.wrapper ?? []), process.execPath, '--input-type=module', '-e', script];
  return new Promise((resolve, reject) =>
    execFile(command[0]!, command.slice(1), { cwd: ROOT, env: childEnv(options.env), timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

/** Runs the CLI to completion. */
export async function runCli(args: string[], options: SpawnOptions = {}) {
  const spawned = spawnCli(args, options);
  const { code } = await spawned.exited;
  return { code, stdout: spawned.stdout(), stdoutBytes: spawned.stdoutBytes(), stderr: spawned.stderr() };
}

/**
 * Sends bytes and resolves with everything received once the connection closes: for answers the
 * server ends with a close (refusals), and for requests it answers while they are still being
 * written. A reset or a broken pipe ends the exchange like a close.
 */
export function rawExchange(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(out));
    socket.write(bytes);
  });
}

/** Resolves once job `id` passes `test` (checked now and on every job event); rejects, saying where it stands, after `timeoutMs`. */
export function jobReaches(hc: HookCatch, id: string, test: (job: Job) => boolean, timeoutMs = 20_000): Promise<Job> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const job = hc.jobs.get(id);
      if (!job || !test(job)) return;
      clearTimeout(timer);
      hc.events.off('job', check);
      resolve(job);
    };
    const timer = setTimeout(() => {
      hc.events.off('job', check);
      reject(new Error(`job ${id} did not get there within ${timeoutMs} ms: ${JSON.stringify(hc.jobs.get(id))}`));
    }, timeoutMs);
    hc.events.on('job', check);
    check();
  });
}
