import { constants } from 'node:fs';
import { chmod, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HookCatchError, StoreWriteError } from '../errors.js';
import { isRunning } from './alive.js';

/** Captured webhooks carry secrets: what hook-catch creates is readable by its owner only. */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/**
 * Makes `path` (and missing parents) owner-only, leaving a folder that already exists as it is:
 * `--dir .` must not lock the user's project, nor `--dir /tmp/x` take a sticky bit away. Returns
 * true when it created `path`.
 */
export async function ensurePrivateDir(path: string): Promise<boolean> {
  const created = await makeDir(path);
  if (created) await chmod(path, DIR_MODE);
  return created;
}

/** A warning when others on this machine can list or enter the store folder; null when they cannot. */
export async function exposureWarning(path: string): Promise<string | null> {
  const mode = (await stat(path)).mode & 0o7777;
  if ((mode & 0o077) === 0) return null;
  return (
    `${path} can be opened by other users of this machine (mode ${mode.toString(8).padStart(4, '0')}); hook-catch's own files ` +
    `in it are owner-only, but their names show. \`chmod 700 ${path}\` closes it, or choose a private folder with --dir.`
  );
}

/**
 * `mkdir -p`, written out: Node's own recursive mkdir spins forever on some special file systems
 * (a path under /proc, for one), where this fails with the error instead.
 */
async function makeDir(path: string, depth = 0): Promise<boolean> {
  try {
    await mkdir(path, { mode: DIR_MODE });
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path || depth > 100) throw error;
    if (await makeDir(parent, depth + 1)) await chmod(parent, DIR_MODE);
    try {
      await mkdir(path, { mode: DIR_MODE });
      return true;
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
      return false;
    }
  }
}

/**
 * The temporary files of what hook-catch writes whole (writeFileAtomic): instance.json, jobs.json,
 * rules.json and drift.json in the store folder, and the damaged lines kept aside in `damaged/`. Only these:
 * `--dir .` may hold other tools' files, which are not ours to remove.
 */
const TEMP_NAME = /^\.(?:instance\.json|jobs\.json|rules\.json|drift\.json|\d{8}-[\w-]+\.jsonl)\.(\d+)\.tmp$/;

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/**
 * Replaces `path` whole: readers see the old file or the new one, never half of one. A write that
 * fails (a full disk) leaves nothing behind: neither a temporary file nor, with `exclusive`, an
 * empty `path`. With `fsync`, the data reaches the disk before the file is in place.
 */
export async function writeFileAtomic(path: string, data: FileData, options: { exclusive?: boolean; fsync?: boolean } = {}) {
  if (options.exclusive) {
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, FILE_MODE);
    await writeAndClose(handle, data, options.fsync, path);
    return;
  }
  const tmp = tempPath(path);
  await writeAndClose(await open(tmp, 'w', FILE_MODE), data, options.fsync, tmp);
  try {
    await rename(tmp, path);
  } catch (error) {
    await removeIfPresent(tmp).catch(() => undefined);
    throw error;
  }
}

/** A file's content: text, bytes, or bytes in parts (written one after another, never joined in memory). */
export type FileData = string | Buffer | Buffer[];

async function writeAndClose(handle: Awaited<ReturnType<typeof open>>, data: FileData, fsync: boolean | undefined, path: string) {
  try {
    if (Array.isArray(data)) await writeParts(handle, data);
    else await handle.writeFile(data);
    if (fsync) await handle.datasync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeIfPresent(path).catch(() => undefined);
    throw error;
  }
  await handle.close();
}

async function writeParts(handle: Awaited<ReturnType<typeof open>>, parts: Buffer[]): Promise<void> {
  const rest = parts.filter((part) => part.length > 0);
  while (rest.length) {
    let { bytesWritten } = await handle.writev(rest);
    // A short write: what is left of the part it stopped in, and the parts after it.
    while (rest.length && bytesWritten >= rest[0]!.length) bytesWritten -= rest.shift()!.length;
    if (rest.length) rest[0] = rest[0]!.subarray(bytesWritten);
  }
}

/**
 * Removes the temporary files that writes of processes no longer running left in `dir` (a kill
 * between a temporary file's write and its rename). One of a process still running is its write
 * under way: an offline `hook-catch rules add` writes rules.json without taking the folder.
 */
export async function removeStaleTemps(dir: string): Promise<void> {
  for (const folder of [dir, join(dir, 'damaged')]) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const pid = Number(TEMP_NAME.exec(name)?.[1]);
      if (pid && pid !== process.pid && !isRunning(pid)) await removeIfPresent(join(folder, name)).catch(() => undefined);
    }
  }
}

export async function removeIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** A failed write under `dir` as what callers refuse a change with (see notSaved). */
export function storeWriteError(error: unknown, dir: string): StoreWriteError {
  return error instanceof StoreWriteError ? error : new StoreWriteError(storeProblem(error, dir));
}

/** What a failed file operation means for the user, in plain words, with what to do. */
export function storeProblem(error: unknown, dir: string): string {
  if (error instanceof StoreWriteError) return error.message; // said already
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `the disk holding ${dir} is full (${code}): free some space, or choose another folder with --dir`;
    case 'EROFS':
      return `${dir} is on a read-only file system (EROFS): choose another folder with --dir`;
    case 'EACCES':
    case 'EPERM':
      return `this user may not write in ${dir} (${code}): fix its permissions, or choose another folder with --dir`;
    case 'EIO':
      return `the disk holding ${dir} reported an I/O error (EIO): check the disk, or choose another folder with --dir`;
    default: {
      const text = (error as Error)?.message ?? String(error);
      return `${text}${code && !text.includes(code) ? ` (${code})` : ''}; check ${dir}, or choose another folder with --dir`;
    }
  }
}

/** True when `dir` holds a request log (for commands that only read). */
export async function hasStore(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, 'requests'))).isDirectory();
  } catch {
    return false;
  }
}

/** For the commands that work on a store with no instance running: says what to do when `dir` holds none. */
export async function mustHaveStore(dir: string): Promise<void> {
  if (!(await hasStore(dir))) throw new HookCatchError(`No hook-catch store in ${dir}. Start one with \`hook-catch start\`, or point at it with --dir.`);
}
