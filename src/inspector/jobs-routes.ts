import express, { type Request, type Response } from 'express';
import { toJsonRecord } from '../capture/capture.js';
import { DEFAULTS } from '../defaults.js';
import { HookCatchError } from '../errors.js';
import { parseDuration } from '../units.js';
import type { Jobs } from '../jobs/service.js';
import { jobSummary } from '../jobs/summary.js';
import { JOB_STATUSES as STATUSES, type JobStatus } from '../jobs/types.js';
import type { RequestLog } from '../store/request-log.js';
import type { PollInput } from '../jobs/poll/spec.js';
import type { Job, JobList, JobRequest, JobSummary, WaitAnswer } from '../wire/jobs.js';
import type { ErrorAnswer } from '../wire/requests.js';

/** One long-poll answers within this, whatever it asks: clients poll again for longer waits. */
const LONGEST_POLL_MS = 10 * 60 * 1000;

/** `/api/jobs`: register jobs, list them, read one with its deliveries, and long-poll for one. */
export function jobsRouter(jobs: Jobs, log: RequestLog): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));

  router.post('/', async (req, res) => {
    const { id, label, ttl, poll } = (req.body ?? {}) as Partial<Record<keyof JobRequest, unknown>>;
    if (typeof id !== 'string' && typeof id !== 'number') throw new HookCatchError('POST /api/jobs takes {"id": "<job id>", "label"?, "ttl"?, "poll"?}.');
    const ttlMs = ttl === undefined ? undefined : durationOf(ttl, 'ttl');
    await jobs.ready;
    const existed = jobs.registry.get(String(id)) !== undefined;
    const job = await jobs.expect(String(id), {
      label: typeof label === 'string' ? label : undefined,
      ttlMs,
      poll: poll === undefined || poll === null ? undefined : pollOf(poll),
    });
    res.status(existed ? 200 : 201).json(job satisfies Job);
  });

  router.get('/', async (req, res) => {
    await jobs.ready;
    const status = typeof req.query.status === 'string' && req.query.status ? req.query.status : undefined;
    if (status && !STATUSES.includes(status as JobStatus)) {
      throw new HookCatchError(`status must be one of ${STATUSES.join(', ')}; got "${status}".`);
    }
    const list = jobs.registry.list(status as JobStatus | undefined);
    // `full=1`: each job with its deliveries and history (the page draws every job's timeline).
    const full = req.query.full === '1' || req.query.full === 'true';
    res.json({ items: full ? list : list.map(jobSummary) } satisfies JobList<Job | JobSummary>);
  });

  router.get('/:id', async (req, res) => {
    await jobs.ready;
    const job = jobs.registry.get(req.params.id as string);
    if (!job) return notFound(res, req.params.id as string);
    res.json(job satisfies Job);
  });

  router.get('/:id/wait', async (req: Request, res: Response) => {
    const timeout = typeof req.query.timeout === 'string' ? durationOf(req.query.timeout, 'timeout') : DEFAULTS.apiWaitTimeoutMs;
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    // A GET never changes state: waiting for a job nobody registered and no webhook named is a 404.
    const result = await jobs.waitForKnown(req.params.id as string, {
      timeoutMs: Math.min(timeout, LONGEST_POLL_MS),
      any: req.query.any === '1' || req.query.any === 'true',
      signal: abort.signal,
    });
    if (abort.signal.aborted) return;
    if (!result) return notFound(res, req.params.id as string);
    const request = result.delivery ? await log.get(result.delivery.requestId) : null;
    res.json({ ...result, request: request && toJsonRecord(request) } satisfies WaitAnswer);
  });

  return router;
}

/** `"poll": {"url", "headers"?: ["K: V"] | [["K", "V"]], "every"?, "statusPath"?, "grace"?, "env"?: {"NAME": "value"}}`. */
function pollOf(value: unknown): PollInput {
  const v = value as Record<string, unknown>;
  if (typeof v !== 'object' || typeof v.url !== 'string')
    throw new HookCatchError('poll takes {"url": "https://…/{jobId}", "headers"?, "every"?, "statusPath"?, "grace"?, "env"?}.');
  const headers = v.headers ?? [];
  if (
    !Array.isArray(headers) ||
    !headers.every((h) => typeof h === 'string' || (Array.isArray(h) && h.length === 2 && h.every((x) => typeof x === 'string')))
  ) {
    throw new HookCatchError('poll.headers is a list of "Name: value" texts or [name, value] pairs.');
  }
  const env = v.env ?? {};
  if (typeof env !== 'object' || env === null || !Object.values(env).every((x) => typeof x === 'string'))
    throw new HookCatchError('poll.env maps variable names to their values.');
  if (v.statusPath !== undefined && v.statusPath !== null && typeof v.statusPath !== 'string')
    throw new HookCatchError('poll.statusPath is a rule such as body.data.state.');
  return {
    url: v.url,
    headers: headers as PollInput['headers'],
    everyMs: v.every === undefined ? undefined : durationOf(v.every, 'poll.every'),
    graceMs: v.grace === undefined ? undefined : durationOf(v.grace, 'poll.grace'),
    statusPath: (v.statusPath as string | null | undefined) ?? null,
    env: env as Record<string, string>,
  };
}

function durationOf(value: unknown, name: string): number {
  const ms = typeof value === 'number' ? value : parseDuration(String(value));
  if (!Number.isFinite(ms) || ms <= 0) throw new HookCatchError(`${name} is a duration such as 30s, 10m or 7d; got "${String(value)}".`);
  return ms;
}

function notFound(res: Response, id: string): void {
  res.status(404).json({ error: `No job ${id}. Register it with \`hook-catch expect ${id}\` or POST /api/jobs.` } satisfies ErrorAnswer);
}
