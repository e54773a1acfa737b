import { mustHaveStore } from './files.js';
import { RequestLog } from './request-log.js';

/** Opens `<dir>` for reading beside a running instance, or says why there is nothing to read. */
export async function openForReading(dir: string): Promise<{ log: RequestLog; warnings: string[] }> {
  await mustHaveStore(dir);
  return RequestLog.open(dir, { maxRequests: Number.MAX_SAFE_INTEGER, fsync: false, readOnly: true });
}
