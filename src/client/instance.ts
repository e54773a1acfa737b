import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HookCatchError } from '../errors.js';
import { readInstance } from '../store/instance-file.js';
import { clientFor, type Client } from './client.js';

// The running instance on a --dir, found by its instance file: all that `expect`, `wait` and `url`
// need, so they load neither the store nor the jobs (instance-or-store.ts does, for the others).

/** The running instance on `dir` (its addresses and its API), or null when none runs there. */
export async function runningOn(dir: string): Promise<Client | null> {
  const instance = await readInstance(resolve(dir));
  return instance && clientFor(instance);
}

/** The running instance on `dir`, for the commands that need one (expect, url): none running says how to start one. */
export async function connect(dir: string): Promise<Client> {
  const client = await runningOn(dir);
  if (!client) throw notRunning(dir);
  return client;
}

export function notRunning(dir: string): HookCatchError {
  return new HookCatchError(`No hook-catch is running on ${dir}. Start one with \`hook-catch start\` (or point at it with --dir).`);
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
    const client = await runningOn(dir);
    if (client) return client;
    if (Date.now() >= deadline) return null;
    if (!told) onWaiting();
    told = true;
    await sleep(Math.min(LOOK_EVERY_MS, Math.max(1, deadline - Date.now())));
  }
}
