import { HookCatchError, UnavailableError } from '../errors.js';
import { mustHaveStore, storeProblem } from './files.js';
import { claimInstance, releaseInstance } from './instance-file.js';
import { RequestLog } from './request-log.js';

/**
 * Runs `work` on the request log of `dir` with no hook-catch running there (replay and import
 * without an instance): the folder is taken for as long as it takes, so that a `start` cannot write
 * beside it, and nothing is dropped by retention (the next `start` applies it). When the folder
 * cannot be taken (a full disk), nothing is done, and `what` says what was not.
 */
export async function withWritableStore<T>(dir: string, what: string, work: (log: RequestLog) => Promise<T>): Promise<T> {
  await mustHaveStore(dir);
  await claimInstance(dir).catch((error: unknown) => {
    throw error instanceof HookCatchError ? error : new UnavailableError(`${what}: ${storeProblem(error, dir)}.`);
  });
  try {
    const { log } = await RequestLog.open(dir, { maxRequests: Number.MAX_SAFE_INTEGER, fsync: false });
    try {
      return await work(log);
    } finally {
      await log.close();
    }
  } finally {
    releaseInstance(dir);
  }
}
