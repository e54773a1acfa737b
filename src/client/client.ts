import { createReadStream } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { describe, HookCatchError } from '../errors.js';
import type { InstanceInfo } from '../store/instance-file.js';
import type { Job } from '../wire/jobs.js';

export interface Client {
  instance: InstanceInfo;
  /** Calls the running instance's inspector API; a non-2xx answer becomes a HookCatchError with its message. `T` is the answer's type in the wire contract (src/wire/). */
  api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
  /** POSTs the `size` bytes of `file` as they are, streamed (see upload), and reads the answer as `api` does. */
  upload<T>(path: string, file: string, size: number): Promise<T>;
}

/** The instance could not be reached (it stopped, or is restarting). */
export class Unreachable extends HookCatchError {}

/** An answer of the API that is not 2xx, with its status. */
export class ApiError extends HookCatchError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A client for the API of `instance` (instance.ts finds it). */
export function clientFor(instance: InstanceInfo): Client {
  return {
    instance,
    async api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
      // Made before the call: a body that cannot be made is no sign that the instance is gone.
      const text = body === undefined ? undefined : JSON.stringify(body);
      let answer: { status: number; text: string };
      try {
        answer = await call(`${instance.inspectorUrl}${path}`, method, text, signal);
      } catch (error) {
        if (signal?.aborted) throw error;
        throw unreachable(instance, error);
      }
      return answerOf<T>(answer.status, answer.text, `${method} ${path}`);
    },
    upload: (path, file, size) => upload(instance, path, file, size),
  };
}

/**
 * One call, its answer read whole. node:http rather than fetch: a command that makes a call or two
 * (expect, wait) would otherwise spend more time loading fetch's client than on its calls. It fails
 * only when no answer came; an answer cut off is read as an empty one, as fetch's is.
 */
function call(url: string, method: string, text: string | undefined, signal: AbortSignal | undefined): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = text === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) };
    // A connection of its own (no pool): nothing is left open to keep the command from ending.
    const req = request(url, { method, headers, signal, agent: false });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, text: '' }));
      res.on('close', () => resolve({ status: res.statusCode ?? 0, text: '' }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

function unreachable(instance: InstanceInfo, error: unknown): Unreachable {
  return new Unreachable(`Cannot reach hook-catch at ${instance.inspectorUrl} (${describe(error)}). Is it still running?`);
}

/** The API's JSON answer, or its error as an ApiError (the API says every error in a line of JSON). */
function answerOf<T>(status: number, text: string, call: string): T {
  let answer: { error?: string } = {};
  try {
    answer = JSON.parse(text) as { error?: string };
  } catch {
    // not JSON: said below by its status
  }
  if (status < 200 || status > 299) throw new ApiError(answer?.error ?? `hook-catch answered ${status} to ${call}.`, status);
  return answer as T;
}

/** Most bytes of an answer to an upload read: the API answers it in a line of JSON. */
const UPLOAD_ANSWER_LIMIT = 1_000_000;

/**
 * POSTs a file's bytes as they are, streamed from the disk: the file is never whole in memory, however
 * large. The instance may answer before it has read all of it (a file over its limit): then the rest
 * is not sent, and its answer is what the caller gets. Only a connection that could not be made at
 * all is "cannot reach".
 */
function upload<T>(instance: InstanceInfo, path: string, file: string, size: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const source = createReadStream(file);
    const req = request(`${instance.inspectorUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': size } });
    let connected = false;
    let answered = false;
    req.on('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => (connected = true));
      else connected = true;
    });
    req.on('response', (res) => {
      answered = true;
      source.unpipe(req);
      source.destroy();
      readAnswer(res).then((text) => {
        if (!req.writableFinished) req.destroy();
        try {
          resolve(answerOf<T>(res.statusCode ?? 0, text, `POST ${path}`));
        } catch (error) {
          reject(error);
        }
      }, reject);
    });
    req.on('error', (error) => {
      if (answered) return;
      reject(
        connected
          ? new HookCatchError(`hook-catch at ${instance.inspectorUrl} closed the connection before it answered (${describe(error)}).`)
          : unreachable(instance, error),
      );
    });
    source.on('error', (error) => {
      req.destroy();
      reject(new HookCatchError(`Cannot read ${file}: ${describe(error)}.`));
    });
    source.pipe(req);
  });
}

function readAnswer(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= UPLOAD_ANSWER_LIMIT) chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', (error) => reject(new HookCatchError(`hook-catch's answer was cut off (${describe(error)}).`)));
  });
}

/** Registers job `id` unless the instance knows it already (a GET never registers anything). */
export async function ensureRegistered(client: Client, id: string): Promise<void> {
  const path = `/api/jobs/${encodeURIComponent(id)}`;
  try {
    await client.api<Job>('GET', path);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    await client.api<Job>('POST', '/api/jobs', { id });
  }
}
