import type { CapturedRequest } from '../receiver/capture.js';
import { openJobsFile } from '../store/jobs-file.js';
import type { RequestLog } from '../store/request-log.js';
import type { JobIdRule } from './extract.js';
import { JobRegistry, type Correlation, type ExpectOptions } from './registry.js';
import type { Job } from './types.js';
import { waitForJob, type WaitOptions, type WaitResult } from './wait.js';

export interface JobsOptions {
  dir: string;
  store: RequestLog;
  rules: JobIdRule[];
  now: () => number;
  ttlMs: number;
  maxJobs: number;
}

export interface Jobs {
  registry: JobRegistry;
  warnings: string[];
  /** Settles once the requests stored before this start are correlated (done in the background). */
  ready: Promise<void>;
  /** Correlates a request just stored and answered. */
  record(request: CapturedRequest): Correlation | null;
  /** Registers a job and saves it before resolving. */
  expect(id: string, options?: ExpectOptions): Promise<Job>;
  /** Registers the job if it is not yet, then waits for it. */
  waitFor(id: string, options: WaitOptions): Promise<WaitResult>;
  close(): Promise<void>;
}

const SAVE_DELAY_MS = 500;
/** With no saved correlation (a first start, or a damaged jobs.json), this many of the newest requests are correlated again. */
const CATCH_UP_LIMIT = 10_000;

/** The job registry with its document: loaded, caught up with the request log, saved as it changes. */
export async function openJobs(options: JobsOptions): Promise<Jobs> {
  const { db, warnings } = await openJobsFile(options.dir);
  const registry = new JobRegistry(options);
  registry.load(db.data.jobs, db.data.unclaimed);
  let through = db.data.through;
  let saveTimer: NodeJS.Timeout | undefined;

  const save = () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    Object.assign(db.data, registry.snapshot(), { through });
    return db.write();
  };
  const saveSoon = () => {
    saveTimer ??= setTimeout(() => void save().catch(() => undefined), SAVE_DELAY_MS).unref();
  };
  registry.onChange(saveSoon);

  const record = (request: CapturedRequest) => {
    const correlation = registry.record(request);
    if (!through || request.id > through) through = request.id;
    saveSoon();
    return correlation;
  };

  // Requests stored after the saved correlation (a crash between the two) are correlated again.
  const ready = (async () => {
    for await (const request of options.store.readMany(options.store.idsAfter(through, CATCH_UP_LIMIT))) record(request);
  })().catch(() => undefined);

  return {
    registry,
    warnings,
    ready,
    record,
    expect: async (id, opts) => {
      await ready;
      const job = registry.expect(id, opts);
      await save();
      return job;
    },
    waitFor: async (id, opts) => {
      await ready;
      if (!registry.get(id)) {
        registry.expect(id);
        await save();
      }
      return waitForJob(registry, id, opts);
    },
    close: async () => {
      await ready;
      await save();
    },
  };
}
