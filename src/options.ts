import { resolve } from 'node:path';
import { HookCatchError } from './errors.js';

/** How `start()` reports to a terminal. The library default is `'none'`; the CLI passes one. */
export type OutputMode = 'pretty' | 'json' | 'quiet' | 'none';

export interface HookCatchOptions {
  /** Receiver port; every method and path on it is captured. `0` picks any free port. Default `8080`. */
  port?: number;
  /** Address the receiver binds to. Default `'127.0.0.1'`; `'0.0.0.0'` to accept from the network. */
  host?: string;
  /** Inspector (JSON API) port, always bound to 127.0.0.1. `0` picks any free port. Default `4040`. */
  inspectorPort?: number;
  /** Folder holding the store and `instance.json`. Default `.hook-catch` in the working directory. */
  dir?: string;
  /** Largest body accepted, in bytes; larger gets 413. Default 10 MB (`10 * 1024 * 1024`). */
  maxBody?: number;
  /** How many captured requests are kept; the oldest are dropped first. Default `10000`. */
  maxRequests?: number;
  /**
   * Answer 2xx only once the request has reached the disk (survives power loss), not just the
   * operating system (survives a crash of hook-catch). Default `false`.
   */
  fsync?: boolean;
  /** Terminal output: banner and one line per request. Default `'none'`. */
  output?: OutputMode;
  /** Where terminal output goes. Default `process.stdout` / `process.stderr`. */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** How long `close()` lets in-flight requests finish before cutting connections. Default `1500` ms. */
  closeGraceMs?: number;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  inspectorPort: number;
  inspectorHost: string;
  dir: string;
  maxBody: number;
  maxRequests: number;
  fsync: boolean;
  output: OutputMode;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  closeGraceMs: number;
}

export const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  inspectorPort: 4040,
  dir: '.hook-catch',
  maxBody: 10 * 1024 * 1024,
  maxRequests: 10_000,
} as const;

export function resolveOptions(options: HookCatchOptions = {}): ResolvedOptions {
  return {
    port: checkPort(options.port ?? DEFAULTS.port, '--port'),
    host: options.host ?? DEFAULTS.host,
    inspectorPort: checkPort(options.inspectorPort ?? DEFAULTS.inspectorPort, '--inspector-port'),
    inspectorHost: '127.0.0.1',
    dir: resolve(options.dir ?? DEFAULTS.dir),
    maxBody: checkCount(options.maxBody ?? DEFAULTS.maxBody, '--max-body', 0),
    maxRequests: checkCount(options.maxRequests ?? DEFAULTS.maxRequests, '--max-requests', 1),
    fsync: options.fsync ?? false,
    output: options.output ?? 'none',
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    closeGraceMs: options.closeGraceMs ?? 1500,
  };
}

function checkPort(port: number, flag: string): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new HookCatchError(`${flag} must be a port number from 0 to 65535 (0 picks any free port); got ${port}.`);
  }
  return port;
}

function checkCount(value: number, flag: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new HookCatchError(`${flag} must be a whole number of at least ${min}; got ${value}.`);
  }
  return value;
}
