import { HookCatchError, notSaved } from '../errors.js';
import type { CapturedRequest } from '../capture/capture.js';
import type { RequestLog } from '../store/request-log.js';
import { RegistrationFile, type Registration } from './registrations.js';
import { deriveJobs } from './derive.js';
import type { JobIdRule } from './extract.js';
import { JobRegistry } from './registry.js';
import type { Job, JobEvent, JobMatch, JobStatus } from './types.js';
import { waitForJob, type WaitOptions, type WaitResult } from './wait.js';
import { checkPoll, variablesOf, type PollInput, type PollSecrets, type PollSpec } from './poll/spec.js';
import type { Poller } from './poll/poller.js';

export interface JobsOptions {
  dir: string;
  store: RequestLog;
  rules: JobIdRule[];
  /** The rules as the user wrote them, saved so that commands reading offline match the same way. */
  ruleTexts: string[];
  now: () => number;
  ttlMs: number;
  maxJobs: number;
  fsync: boolean;
}

export interface ExpectOptions {
  label?: string;
  ttlMs?: number;
  /**
   * Poll the provider's status endpoint beside the webhook: when it says the job ended and no
   * webhook says so within `graceMs`, the job becomes `webhook_lost`. Each changed answer is kept.
   */
  poll?: PollInput;
}

/** The jobs as they stand, to read: copies, so that nothing outside changes a job behind the registry's back. */
export interface JobsView {
  get(id: string): Job | undefined;
  list(status?: JobStatus): Job[];
  matchOf(requestId: string): JobMatch | null;
}

export interface Jobs {
  /** The registry itself, for hook-catch's own readers (the inspector); the library hands out `view`. */
  registry: JobRegistry;
  view: JobsView;
  warnings: string[];
  /** Settles once the jobs are derived from what was stored before this start (done in the background). */
  ready: Promise<void>;
  /** Matches a request just stored and answered. */
  record(request: CapturedRequest): void;
  /** Registers a job: resolves once the registration is saved; refused (UnavailableError) when it cannot be. */
  expect(id: string, options?: ExpectOptions): Promise<Job>;
  /** Registers the job if nobody did and no webhook named it yet, then waits for it. */
  waitFor(id: string, options: WaitOptions): Promise<WaitResult>;
  /** Waits for a job that is known already; null when there is none by that id. */
  waitForKnown(id: string, options: WaitOptions): Promise<WaitResult | null>;
  onChange(listener: (event: JobEvent) => void): () => void;
  /**
   * `--rewrite-webhook-url`: where a webhook goes when its job's submit was rewritten: the app's own
   * webhook URL (its origin: the webhook's path and query are the app's, kept in the rewrite). Null otherwise.
   */
  forwardTargetOf(request: CapturedRequest): URL | null;
  /** Polls the jobs registered with `poll` (those saved from before too, once derived) with this poller. */
  startPolling(poller: Poller): void;
  close(): Promise<void>;
}

/** The job registry over the store: registrations saved, deliveries derived from the request log. */
export async function openJobs(options: JobsOptions): Promise<Jobs> {
  const { file, warnings } = await RegistrationFile.open(options.dir, { maxRegistrations: options.maxJobs, fsync: options.fsync });
  await file.saveSettings({ jobIdPaths: options.ruleTexts, jobTtlMs: options.ttlMs });
  const registry = new JobRegistry(options);
  const stop = new AbortController();
  const ready = deriveJobs(registry, file.list(), options.store, stop.signal).catch(() => undefined);

  let poller: Poller | null = null;
  const expect = async (id: string, opts: ExpectOptions = {}): Promise<Job> => {
    await ready;
    const polling = opts.poll ? checkPoll(opts.poll, id.trim()) : null;
    if (polling) checkVariables(polling.spec, polling.secrets);
    const saved = file.get(id.trim());
    const registration = makeRegistration(id, opts, registry.get(id.trim())?.label ?? null, options, polling?.spec ?? saved?.poll);
    try {
      await file.add(registration);
    } catch (error) {
      throw notSaved(`Job ${registration.id} was not registered`, error);
    }
    const job = registry.register(registration);
    if (polling) poller?.watch(job.id, polling.spec, polling.secrets);
    return copy(job);
  };

  return {
    registry,
    view: viewOf(registry),
    warnings,
    ready,
    record: (request) => void registry.record(request),
    expect,
    waitFor: async (id, opts) => {
      await ready;
      if (!registry.get(id)) await expect(id);
      return copy(await waitForJob(registry, id, opts));
    },
    waitForKnown: async (id, opts) => {
      await ready;
      return registry.get(id) ? copy(await waitForJob(registry, id, opts)) : null;
    },
    onChange: (listener) => registry.onChange(listener),
    forwardTargetOf: (request) => {
      const jobId = registry.matchOf(request.id)?.jobId ?? registry.jobIdOf(request);
      const submit = jobId === null ? undefined : registry.get(jobId)?.submit;
      return submit?.rewrittenTo && submit.webhookUrl ? new URL(new URL(submit.webhookUrl).origin) : null;
    },
    startPolling: (given) => {
      poller = given;
      void ready.then(() => {
        for (const registration of file.list()) {
          const job = registry.get(registration.id);
          // Spread over the first seconds, so that a restart does not ask every provider at once.
          if (registration.poll && job?.poll?.state === 'polling' && (job.status === 'pending' || job.status === 'in_progress')) {
            given.watch(job.id, registration.poll, undefined, Math.random() * 2000);
          }
        }
      });
    },
    close: async () => {
      stop.abort();
      poller?.close();
      registry.close();
      await ready;
    },
  };
}

function makeRegistration(id: string, opts: ExpectOptions, label: string | null, options: JobsOptions, poll: PollSpec | undefined): Registration {
  const jobId = id.trim();
  if (!jobId || jobId.length > 200) throw new HookCatchError('A job id is 1 to 200 characters.');
  return {
    id: jobId,
    label: opts.label ?? label,
    registeredAt: new Date(options.now()).toISOString(),
    ttlMs: opts.ttlMs ?? options.ttlMs,
    ...(poll && { poll }),
  };
}

/** Every `$NAME` of a poll must be given with it or set where hook-catch runs: said now, not at the first poll. */
function checkVariables(spec: PollSpec, secrets: PollSecrets): void {
  const missing = variablesOf(spec).filter((name) => secrets.env[name] === undefined && process.env[name] === undefined);
  if (missing.length) {
    throw new HookCatchError(
      `${missing.map((n) => `$${n}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set, neither in the shell that registers the job nor where hook-catch start runs; export ${missing.length === 1 ? 'it' : 'them'} first.`,
    );
  }
}

export function viewOf(registry: JobRegistry): JobsView {
  return {
    get: (id) => {
      const job = registry.get(id);
      return job && copy(job);
    },
    list: (status) => registry.list(status).map(copy),
    matchOf: (requestId) => registry.matchOf(requestId),
  };
}

/**
 * A deep copy of a job (or of what holds jobs). A job is plain data (strings, numbers, booleans,
 * null, arrays and plain objects), which this copies member by member: several times faster than
 * structuredClone, which serializes and parses each job, and for a list of thousands of jobs that
 * is the difference between a few milliseconds and a few hundred, the receiver waiting meanwhile.
 */
function copy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copy) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
  return out as T;
}
