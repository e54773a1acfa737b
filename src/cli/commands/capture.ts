import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { OptionValues } from 'commander';
import { HookCatchError, describe } from '../../errors.js';
import { exportWithReport } from '../../fixtures/export.js';
import { requestsById } from '../../fixtures/select.js';
import type { HookCatchOptions } from '../../options.js';
import { start, type HookCatch } from '../../start.js';
import { NO_TOKEN_NOTICE } from '../../tunnel/public-url.js';
import { redactList } from '../fixture-flags.js';
import { toOptions } from '../start-options.js';
import { CaptureReport, savedCounts, type CaptureResult, type Target } from './capture-report.js';
import { isSettled, jobsOutcome, settleTime, waitForCount, waitForJobs, watchArrivals, type Arrivals, type Settled, type WaitLimits } from './capture-wait.js';

export interface CaptureOptions {
  target: Target;
  out: string;
  timeoutMs: number;
  /** With --expect: how long to listen on after the last job settled (each delivery meanwhile starts it again); 0: not at all. */
  settleMs: number;
  urlFile?: string;
  json?: boolean;
  quiet?: boolean;
  redact: string[];
  format: 'fixture' | 'har';
  /** How hook-catch runs (start's flags); its output is capture's own. No `dir`: a temporary store, removed at the end. */
  start: HookCatchOptions;
}

interface IO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * `hook-catch capture`: starts hook-catch, publishes the webhook URL, waits for the expected jobs
 * (or n requests), writes what came as fixtures, stops. Returns the exit code.
 */
export async function captureRun(options: CaptureOptions, io: IO, signal: AbortSignal): Promise<number> {
  const report = new CaptureReport(io, options);
  let hc: HookCatch | undefined;
  try {
    if (options.urlFile) await removeStale(options.urlFile);
    // Warnings and a dropped tunnel still reach the user, on stderr: stdout is capture's alone.
    hc = await start({ ...options.start, output: 'quiet', stdout: io.stderr, stderr: io.stderr });
    const running = hc;
    const arrivals = watchArrivals(running);
    arrivals.onArrival((request) => report.arrived(request, running, options.target, arrivals.ids.length));
    // Registered before anyone has the URL: a webhook that beats the wait still counts.
    if ('jobs' in options.target) for (const id of options.target.jobs) await running.expect(id);
    // Stopped while starting (a tunnel can take a while): no URL is handed out, nothing came.
    if (!signal.aborted) {
      const url = running.publicWebhookUrl ?? running.webhookUrl;
      if (options.urlFile) await writeUrlFile(options.urlFile, url);
      if (!running.publicWebhookUrl && options.start.tunnel !== false && running.tunnel.status !== 'failed') report.progress(NO_TOKEN_NOTICE);
      report.ready(running, url, options.target);
    }
    const result = await waitAndSave(running, arrivals, options, { deadline: Date.now() + options.timeoutMs, signal }, report);
    arrivals.stop();
    return report.done(result, options.target, options.out, signal.reason as string | undefined);
  } finally {
    await hc?.close();
  }
}

async function waitAndSave(hc: HookCatch, arrivals: Arrivals, options: CaptureOptions, limits: WaitLimits, report: CaptureReport): Promise<CaptureResult> {
  const { target } = options;
  let result: Omit<CaptureResult, 'files' | 'requests' | 'redacted' | 'inClear' | 'saved'>;
  let ids: string[];
  if ('jobs' in target) {
    result = await waitForExpected(hc, arrivals, target.jobs, options, limits, report);
    ids = result.jobs.flatMap((job) => job.deliveries.map((d) => d.requestId));
  } else {
    const outcome = await waitForCount(arrivals, target.count, limits);
    ids = arrivals.ids.slice(0, target.count);
    result = { outcome, jobs: [], arrived: ids.length, settled: null };
  }
  const { requests, missing } = await requestsById(hc.store, ids);
  if (missing.length)
    report.problem(`${missing.length} of the deliveries are no longer in the store (deleted, or dropped by --max-requests): ${missing.join(', ')}.`);
  const saved = savedCounts(
    requests.map((r) => r.id),
    (id) => hc.jobs.matchOf(id),
  );
  const { files, redacted, inClear } = requests.length
    ? await exportWithReport(requests, options.out, {
        redact: options.redact,
        format: options.format,
        matchOf: (id) => hc.jobs.matchOf(id),
        baseUrl: hc.publicUrl ?? hc.receiverUrl,
      })
    : { files: [], redacted: [], inClear: [] };
  return { ...result, files, redacted, inClear, requests: requests.length, saved };
}

/** Waits for the jobs to settle, then listens on for the settle time; the jobs as they stand at the end. */
async function waitForExpected(hc: HookCatch, arrivals: Arrivals, ids: string[], options: CaptureOptions, limits: WaitLimits, report: CaptureReport) {
  let jobs = await waitForJobs(hc, ids, limits, (job, settled) => report.settled(job, settled, ids.length));
  // Interrupted while waiting for the jobs: what came is saved at once. Interrupted in the settle time: it only ends it sooner.
  const interrupted = limits.signal.aborted;
  let settled: Settled | null = null;
  if (!interrupted && options.settleMs > 0 && jobs.every(isSettled)) {
    report.settling(options.settleMs);
    settled = await settleTime(hc, arrivals, ids, options.settleMs, limits);
    jobs = jobs.map((job) => hc.jobs.get(job.id) ?? job);
  }
  return { outcome: jobsOutcome(jobs, interrupted), jobs, arrived: arrivals.ids.length, settled };
}

/** A URL file left from an earlier run must not be read as this one's. */
async function removeStale(file: string): Promise<void> {
  await rm(file, { force: true }).catch((error: unknown) => {
    throw new HookCatchError(`Cannot replace --url-file ${file}: ${describe(error)}.`);
  });
}

/** Written whole or not at all (a rename), so that a step polling for it never reads half a URL. */
async function writeUrlFile(file: string, url: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(resolve(file)), { recursive: true });
    await writeFile(temp, url + '\n');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new HookCatchError(`Cannot write the webhook URL into --url-file ${file}: ${describe(error)}.`);
  }
}

/** Commander's flags to capture's options; says in one line what is missing or contradictory. */
export function captureOptions(flags: OptionValues): CaptureOptions {
  const expect: string[] | undefined = flags.expect;
  if (expect && flags.count !== undefined) throw new HookCatchError('capture takes --expect <job ids…> or --count <n>, not both.');
  if (!expect && flags.count === undefined) {
    throw new HookCatchError('capture needs --expect <job ids…> (wait for these jobs to complete or fail) or --count <n> (wait for n requests).');
  }
  const target: Target = expect ? { jobs: [...new Set(expect.map((id) => id.trim()))] } : { count: flags.count };
  if ('jobs' in target && target.jobs.some((id) => !id || id.length > 200)) throw new HookCatchError('--expect: a job id is 1 to 200 characters.');
  return {
    target,
    out: flags.out,
    timeoutMs: flags.timeout,
    settleMs: flags.settle,
    urlFile: flags.urlFile,
    json: flags.json,
    quiet: flags.quiet,
    redact: redactList(flags),
    format: flags.format,
    start: toOptions({ ...flags, json: false, quiet: false }),
  };
}
