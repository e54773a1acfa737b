import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HookCatchError, describe } from '../errors.js';

export interface StoreFolder {
  dir: string;
  temporary: boolean;
  /** Removes a temporary folder (also done at process exit, whatever the way out); keeps a given one. */
  release(): Promise<void>;
}

/** The folder given, or a fresh temporary one that is gone at the end: a capture starts from nothing. */
export async function storeFolder(given: string | undefined): Promise<StoreFolder> {
  if (given !== undefined) return { dir: resolve(given), temporary: false, release: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'hook-catch-capture-')).catch((error: unknown) => {
    throw new HookCatchError(`Cannot create a temporary store folder in ${tmpdir()}: ${describe(error)}. Give one with --dir.`);
  });
  const removeNow = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeNow);
  return {
    dir,
    temporary: true,
    release: async () => {
      process.off('exit', removeNow);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
