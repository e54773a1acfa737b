import express, { type NextFunction, type Request, type Response } from 'express';
import { summarize, toJsonRecord } from '../receiver/capture.js';
import { HookCatchError } from '../errors.js';
import { loopbackGuard } from './guard.js';
import { jobsRouter } from './jobs-routes.js';
import type { Jobs } from '../jobs/service.js';
import type { RequestLog, RequestQuery } from '../store/request-log.js';

export interface InspectorDeps {
  log: RequestLog;
  jobs: Jobs;
  /** The inspector's own port (known once it listens), for the Origin check. */
  port: () => number;
  /** What `GET /api/status` answers. */
  status: () => object;
}

/**
 * The inspector: a JSON API over the store, on its own loopback-only port. Nothing here is
 * reachable through the receiver or a tunnel. (express earns its keep here, not per webhook.)
 */
export function createInspector(deps: InspectorDeps): express.Express {
  const { log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(loopbackGuard(deps.port));
  app.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    next();
  });

  app.get('/', (_req, res) => {
    res.json({
      name: 'hook-catch inspector API',
      endpoints: [
        'GET /api/status',
        'GET /api/requests?limit=&before=&q=&method=&path=',
        'GET /api/requests/:id',
        'GET /api/requests/:id/body',
        'DELETE /api/requests/:id',
        'DELETE /api/requests',
        'POST /api/jobs {"id","label"?,"ttl"?}',
        'GET /api/jobs?status=',
        'GET /api/jobs/:id',
        'GET /api/jobs/:id/wait?timeout=&any=1',
      ],
    });
  });

  app.get('/api/status', (_req, res) => {
    res.json(deps.status());
  });

  app.get('/api/requests', async (req, res) => {
    res.json(await log.list(parseQuery(req)));
  });

  app.delete('/api/requests', async (_req, res) => {
    res.json({ deleted: await log.clear() });
  });

  app.get('/api/requests/:id', async (req, res) => {
    const request = await log.get(req.params.id as string);
    if (!request) return notFound(res, req.params.id as string);
    res.json({ ...toJsonRecord(request), summary: summarize(request) });
  });

  app.get('/api/requests/:id/body', async (req, res) => {
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

  app.delete('/api/requests/:id', async (req, res) => {
    const id = log.resolveId(req.params.id as string);
    if (!id || !(await log.delete(id))) return notFound(res, req.params.id as string);
    res.json({ deleted: id });
  });

  app.use('/api/jobs', jobsRouter(deps.jobs, log));

  app.use('/api', (req, res) => {
    res.status(404).json({ error: `No such API endpoint: ${req.method} ${req.originalUrl}` });
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const known = error instanceof HookCatchError;
    const status = (error as { status?: number }).status;
    if (!known && status && status >= 400 && status < 500) {
      res.status(status).json({ error: `Bad request: ${(error as Error).message}` });
      return;
    }
    res.status(known ? 400 : 500).json({ error: known ? error.message : `Inspector error: ${String(error)}` });
  });

  return app;
}

function notFound(res: Response, id: string): void {
  res.status(404).json({ error: `No stored request with id ${id}.` });
}

function parseQuery(req: Request): RequestQuery {
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
  };
}
