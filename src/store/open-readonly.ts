import { HookCatchError } from '../errors.js';
import { hasStore, RequestLog } from './request-log.js';

/** Opens `<dir>` for reading beside a running instance, or says why there is nothing to read. */
export async function openForReading(dir: string): Promise<{ log: RequestLog; warnings: string[] }> {
  if (!(await hasStore(dir))) {
    throw new HookCatchError(`No hook-catch store in ${dir}. Start one with \`hook-catch start\`, or point at it with --dir.`);
  }
  return RequestLog.open(dir, { maxRequests: Number.MAX_SAFE_INTEGER, fsync: false, readOnly: true });
}
