import { DEFAULTS } from '../defaults.js';
import { openForReading } from '../store/open-readonly.js';
import type { RequestLog } from '../store/request-log.js';
import { RegistrationFile } from './registrations.js';
import { deriveJobs } from './derive.js';
import { parseRule } from './extract.js';
import { JobRegistry } from './registry.js';

/**
 * The jobs of a store with no instance running, derived the way the last instance did (its
 * `--job-id-path` rules and `--job-ttl` are saved in jobs.json), without changing any file.
 */
export async function readJobsOffline(dir: string): Promise<{ registry: JobRegistry; log: RequestLog; warnings: string[] }> {
  const { log, warnings } = await openForReading(dir);
  const opened = await RegistrationFile.open(dir, { maxRegistrations: Number.MAX_SAFE_INTEGER, fsync: false, readOnly: true });
  const settings = opened.file.settings ?? { jobIdPaths: [], jobTtlMs: DEFAULTS.jobTtlMs };
  const registry = new JobRegistry({
    rules: settings.jobIdPaths.map((rule) => parseRule(rule)),
    now: Date.now,
    ttlMs: settings.jobTtlMs,
    maxJobs: DEFAULTS.maxJobs,
  });
  await deriveJobs(registry, opened.file.list(), log);
  registry.close();
  return { registry, log, warnings: [...warnings, ...opened.warnings] };
}
