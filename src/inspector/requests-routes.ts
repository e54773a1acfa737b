import express, { type Request, type Response } from 'express';
import { HookCatchError, notSaved } from '../errors.js';
import { summarize, toJsonRecord } from '../capture/capture.js';
import { diffCaptures } from '../diff/captures.js';
import type { RequestLog, RequestQuery } from '../store/request-log.js';
import { listed, type MatchOf } from './summaries.js';
import type { DeletedAll, DeletedOne, ErrorAnswer, RequestPage, RequestRecord } from '../wire/requests.js';
import type { CaptureDiff } from '../wire/diff.js';

/** `/api/requests`: list, read one (record or exact body bytes), diff two, delete one or all. */
export function requestsRouter(log: RequestLog, matchOf: MatchOf): express.Router {
  const router = express.Router();

  router.get('/', async (req, res) => {
    const page = await log.list(parseQuery(req, matchOf));
    res.json({ ...page, items: page.items.map((summary) => listed(summary, matchOf)) } satisfies RequestPage);
  });

  router.delete('/', async (_req, res) => {
    res.json({ deleted: await log.clear() } satisfies DeletedAll);
  });

  router.get('/:id', async (req, res) => {
    const request = await log.get(req.params.id as string);
    if (!request) return notFound(res, req.params.id as string);
    const replays = await log.replaysOf(request.id);
    res.json({ ...toJsonRecord(request), summary: listed(summarize(request), matchOf), replays } satisfies RequestRecord);
  });

  router.get('/:id/body', async (req, res) => {
    const request = await log.get(req.params.id as string);
    if (!request) return notFound(res, req.params.id as string);
    // A download, never a page in the inspector's origin: whatever the body holds cannot run here.
    res.set({
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${request.id}.bin"`,
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'X-Hook-Catch-Content-Type': request.contentType ?? '',
    });
    res.end(request.body);
  });

  // `?headers=1`: the headers are compared too.
  router.get('/:a/diff/:b', async (req, res) => {
    const [a, b] = [req.params.a as string, req.params.b as string];
    const [x, y] = await Promise.all([log.get(a), log.get(b)]);
    if (!x || !y) return notFound(res, x ? b : a);
    const headers = req.query.headers === '1' || req.query.headers === 'true';
    res.json(diffCaptures(x, y, { headers }) satisfies CaptureDiff);
  });

  router.delete('/:id', async (req, res) => {
    const id = log.resolveId(req.params.id as string);
    if (!id || !(await deleteOrRefuse(log, id))) return notFound(res, req.params.id as string);
    res.json({ deleted: id } satisfies DeletedOne);
  });

  return router;
}

/** Deletes request `id`; a deletion the store cannot write is refused with why (503). */
async function deleteOrRefuse(log: RequestLog, id: string): Promise<boolean> {
  try {
    return await log.delete(id);
  } catch (error) {
    throw notSaved(`Request ${id} was not deleted`, error);
  }
}

function notFound(res: Response, id: string): void {
  res.status(404).json({ error: `No stored request with id ${id}.` } satisfies ErrorAnswer);
}

/** The list's filters from the query string; `job` becomes a test on each request's job match. */
export function parseQuery(req: Request, matchOf: MatchOf): RequestQuery {
  const q = req.query;
  const text = (name: string): string | undefined => (typeof q[name] === 'string' && q[name] !== '' ? (q[name] as string) : undefined);
  const limit = text('limit');
  if (limit !== undefined && !/^\d+$/.test(limit)) {
    throw new HookCatchError(`limit must be a whole number from 1 to 1000; got "${limit}".`);
  }
  return {
    limit: limit === undefined ? undefined : Number(limit),
    before: text('before'),
    method: text('method'),
    path: text('path'),
    q: text('q'),
    event: text('event'),
    drift: flag(text('drift'), 'drift'),
    where: ofJob(text('job'), matchOf),
  };
}

/** A yes-or-no query parameter: `1` or `true` is yes, `0`, `false` or none is no. */
function flag(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value === '0' || value === 'false') return undefined;
  if (value === '1' || value === 'true') return true;
  throw new HookCatchError(`${name} must be 1 (only those) or 0; got "${value}".`);
}

/** Only the requests matched to job `jobId`; no test when none is asked for. */
function ofJob(jobId: string | undefined, matchOf: MatchOf): RequestQuery['where'] {
  return jobId === undefined ? undefined : (summary) => matchOf(summary.id)?.jobId === jobId;
}
