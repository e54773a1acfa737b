import { constants } from 'node:fs';
import { chmod, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/** Captured webhooks carry secrets: every folder and file of the store is readable by its owner only. */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

export async function ensurePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: DIR_MODE });
  await chmod(path, DIR_MODE);
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
