import { readFileSync, unlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HookCatchError } from '../errors.js';
import { isRunning } from './alive.js';
import { removeIfPresent, writeFileAtomic } from './files.js';
import type { InstanceInfo } from '../wire/status.js';

// instance.json is also what `GET /api/status` starts with: its shape is the wire contract's (src/wire/status.ts).
export type { InstanceInfo } from '../wire/status.js';

type InstanceFile = Partial<InstanceInfo> & { pid: number };

const FILE = 'instance.json';

export function instancePath(dir: string): string {
  return join(dir, FILE);
}

/**
 * Takes `<dir>` for this process, or explains who has it. A file left by a process that is gone
 * (killed, crashed) is taken over.
 */
export async function claimInstance(dir: string): Promise<void> {
  const path = instancePath(dir);
  const mine = JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFileAtomic(path, mine, { exclusive: true });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const other = await readInstanceFile(dir);
    if (other && other.pid !== process.pid && isRunning(other.pid)) {
      const where = other.inspectorUrl ? `, inspector ${other.inspectorUrl}` : '';
      throw new HookCatchError(
        `Another hook-catch is already running on ${dir} (pid ${other.pid}${where}). ` + `Stop it first, or start this one with another --dir.`,
      );
    }
    await removeIfPresent(path);
  }
  throw new HookCatchError(`Could not take ${path}: another hook-catch keeps starting on ${dir}. Use another --dir.`);
}

export async function publishInstance(dir: string, info: InstanceInfo): Promise<void> {
  await writeFileAtomic(instancePath(dir), JSON.stringify(info, null, 2) + '\n');
}

/** Removes the file if this process owns it. Synchronous so that it can run on process exit too. */
export function releaseInstance(dir: string): void {
  const path = instancePath(dir);
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as InstanceFile;
    if (owner.pid === process.pid) unlinkSync(path);
  } catch {
    // Gone already, or not ours to remove.
  }
}

/** The running instance on `dir`, or null when none is running there (a stale file counts as none). */
export async function readInstance(dir: string): Promise<InstanceInfo | null> {
  const info = await readInstanceFile(dir);
  if (!info || !isRunning(info.pid) || info.receiverUrl === undefined) return null;
  return info as InstanceInfo;
}

async function readInstanceFile(dir: string): Promise<InstanceFile | null> {
  try {
    const value = JSON.parse(await readFile(instancePath(dir), 'utf8')) as InstanceFile;
    return typeof value?.pid === 'number' ? value : null;
  } catch {
    return null;
  }
}
