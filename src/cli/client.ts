import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, HookCatchError } from '../errors.js';
import { readInstance, type InstanceInfo } from '../store/instance-file.js';

export interface Client {
  instance: InstanceInfo;
  /** Calls the running instance's inspector API; a non-2xx answer becomes a HookCatchError with its message. */
  api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
}

/** The instance could not be reached (it stopped, or is restarting). */
export class Unreachable extends HookCatchError {}

/** An answer of the API that is not 2xx, with its status. */
export class ApiError extends HookCatchError {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** The running instance on `dir`, for the commands that talk to it (expect, url --tag, wait). */
export async function connect(dir: string): Promise<Client> {
  const instance = await readInstance(resolve(dir));
  if (!instance) throw notRunning(dir);
  return clientFor(instance);
}

/** How often `waitForInstance` looks for instance.json. */
const LOOK_EVERY_MS = 100;

/**
 * The instance on `dir`, waiting for one to start until `deadline` (epoch ms): a script may run
 * `wait` before `start` is up. `onWaiting` is called once, when there is none yet.
 */
export async function waitForInstance(dir: string, deadline: number, onWaiting: () => void): Promise<Client | null> {
  let told = false;
  for (;;) {
    const instance = await readInstance(resolve(dir));
    if (instance) return clientFor(instance);
    if (Date.now() >= deadline) return null;
    if (!told) onWaiting();
    told = true;
    await sleep(Math.min(LOOK_EVERY_MS, Math.max(1, deadline - Date.now())));
  }
}

export function clientFor(instance: InstanceInfo): Client {
  return {
    instance,
    async api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
      let response: Response;
      try {
        response = await fetch(`${instance.inspectorUrl}${path}`, {
          method,
          signal,
          headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new Unreachable(`Cannot reach hook-catch at ${instance.inspectorUrl} (${describe((error as Error).cause ?? error)}). Is it still running?`);
      }
      const answer = (await response.json().catch(() => ({}))) as { error?: string };
      if (!response.ok) throw new ApiError(answer.error ?? `hook-catch answered ${response.status} to ${method} ${path}.`, response.status);
      return answer as T;
    },
  };
}

/** Registers job `id` unless the instance knows it already (a GET never registers anything). */
export async function ensureRegistered(client: Client, id: string): Promise<void> {
  const path = `/api/jobs/${encodeURIComponent(id)}`;
  try {
    await client.api('GET', path);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    await client.api('POST', '/api/jobs', { id });
  }
}

export function notRunning(dir: string): HookCatchError {
  return new HookCatchError(`No hook-catch is running on ${dir}. Start one with \`hook-catch start\` (or point at it with --dir).`);
}
