import { constants } from 'node:fs';
import { chmod, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/** Captured webhooks carry secrets: every folder and file of the store is readable by its owner only. */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

export async function ensurePrivateDir(path: string): Promise<void> {
  await makeDir(path);
  await chmod(path, DIR_MODE);
}

/**
 * `mkdir -p`, written out: Node's own recursive mkdir spins forever on some special file systems
 * (a path under /proc, for one), where this fails with the error instead.
 */
async function makeDir(path: string, depth = 0): Promise<void> {
  try {
    await mkdir(path, { mode: DIR_MODE });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path || depth > 100) throw error;
    await makeDir(parent, depth + 1);
    try {
      await mkdir(path, { mode: DIR_MODE });
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}

/** Replaces `path` whole: readers see the old file or the new one, never half of one. */
export async function writeFileAtomic(path: string, data: string | Buffer, options: { exclusive?: boolean } = {}) {
  if (options.exclusive) {
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, FILE_MODE);
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
    return;
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const handle = await open(tmp, 'w', FILE_MODE);
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

export async function removeIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
