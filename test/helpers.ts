import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { start, type HookCatch } from '../src/start.js';
import type { HookCatchOptions } from '../src/options.js';

export const BIN = fileURLToPath(new URL('../bin/hook-catch.js', import.meta.url));

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
  /** Resolves with the first stdout line that parses as JSON and passes `match`. */
  jsonLine: <T = any>(match: (value: any) => boolean, timeoutMs?: number) => Promise<T>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the real CLI (bin/hook-catch.js, built dist/) as a user would; killed after the test. It gets
 * an empty HOME and no NGROK_AUTHTOKEN, so it finds no ngrok token and never dials out, unless a
 * test passes one (always with --ngrok-server-addr on a closed or silent local port).
 */
export function spawnCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Spawned {
  const home = mkdtempSync(join(tmpdir(), 'hook-catch-home-'));
  later(() => rm(home, { recursive: true, force: true }));
  const { NGROK_AUTHTOKEN: _ignored, XDG_CONFIG_HOME: _ignoredToo, ...env } = process.env;
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...env, HOME: home, NO_COLOR: '1', ...options.env },
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
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const w of waiters.splice(0)) w();
    }),
  );
  later(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exited;
  });
  const jsonLine = <T,>(match: (value: any) => boolean, timeoutMs = 10_000) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching JSON line in ${timeoutMs} ms; stdout: ${out} stderr: ${err}`)), timeoutMs);
      const look = () => {
        for (const line of out.split('\n')) {
          try {
            const value = JSON.parse(line);
            if (match(value)) {
              clearTimeout(timer);
              return resolve(value);
            }
          } catch {
            // not a JSON line
          }
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          return reject(new Error(`exited before the line; stdout: ${out} stderr: ${err}`));
        }
        waiters.push(look);
      };
      look();
    });
  return { child, stdout: () => out, stdoutBytes: () => Buffer.concat(outChunks), stderr: () => err, jsonLine, exited };
}

/** Runs the CLI to completion. */
export async function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
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
