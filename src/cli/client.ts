import { resolve } from 'node:path';
import { describe, HookCatchError } from '../errors.js';
import { readInstance, type InstanceInfo } from '../store/instance-file.js';

export interface Client {
  instance: InstanceInfo;
  /** Calls the running instance's inspector API; a non-2xx answer becomes a HookCatchError with its message. */
  api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
}

/** The running instance on `dir`, for the commands that talk to it (expect, jobs, wait). */
export async function connect(dir: string): Promise<Client> {
  const instance = await readInstance(resolve(dir));
  if (!instance) throw notRunning(dir);
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
        throw new HookCatchError(`Cannot reach hook-catch at ${instance.inspectorUrl} (${describe((error as Error).cause ?? error)}). Is it still running?`);
      }
      const answer = (await response.json().catch(() => ({}))) as { error?: string };
      if (!response.ok) throw new HookCatchError(answer.error ?? `hook-catch answered ${response.status} to ${method} ${path}.`);
      return answer as T;
    },
  };
}

export function notRunning(dir: string): HookCatchError {
  return new HookCatchError(`No hook-catch is running on ${dir}. Start one with \`hook-catch start\` (or point at it with --dir).`);
}
