import express from 'express';
import type { Jobs } from '../jobs/service.js';
import type { RequestLog } from '../store/request-log.js';
import { jsonErrors } from './errors.js';
import { pageRoutes } from './page.js';
import { loopbackGuard } from './guard.js';
import { jobsRouter } from './jobs-routes.js';
import { requestsRouter } from './requests-routes.js';
import { replayRouter, type ReplayDeps } from './replay-routes.js';
import { rulesRouter } from './rules-routes.js';
import { mockRouter } from './mock-routes.js';
import { signatureRouter } from './signature-routes.js';
import { typesRouter } from './types-routes.js';
import type { FixtureDeps } from './fixture-deps.js';
import { fixtureRouter } from './fixture-routes.js';
import type { RuleSet } from '../rules/rule-set.js';
import type { ApiIndex, Status } from '../wire/status.js';
import type { KeptMockEvent } from '../wire/mock.js';
import type { EventCounts } from '../wire/requests.js';

export interface InspectorDeps {
  log: RequestLog;
  jobs: Jobs;
  rules: RuleSet;
  replay: ReplayDeps;
  fixtures: FixtureDeps;
  /** The inspector's own port (known once it listens), for the Origin check. */
  port: () => number;
  /** What `GET /api/status` answers. */
  status: () => Status;
  /** The public URL now (Twilio signs the URL a webhook was sent to). */
  publicUrl: () => string | null;
  /** A running `hook-catch mock` reported an event (the live stream tells it). */
  onMockEvent: (event: KeptMockEvent) => void;
}

const ENDPOINTS = [
  'GET / (the inspector page)',
  'GET /ws?after= (live stream, WebSocket)',
  'GET /api/status',
  'GET /api/requests?limit=&before=&q=&method=&path=&job=&event=',
  'GET /api/event-types (the event types stored, with how many of each)',
  'GET /api/types?lang=ts|zod|json-schema&event=&job= (one payload type per event type, inferred from the stored webhooks, with their sample counts)',
  'GET /api/requests/:id',
  'GET /api/requests/:id/body',
  'DELETE /api/requests/:id',
  'DELETE /api/requests',
  'POST /api/requests/:id/replay {"to"?, "method"?, "path"?, "headers"?, "setHeaders"?, "removeHeaders"?, "body"?, "bodyEncoding"?, "timeoutMs"?, "resign"?: true | {"scheme"?, "secret"}}',
  'GET /api/requests/:id/replays',
  'POST /api/requests/:id/verify {"secret", "scheme"?, "header"?, "toleranceSeconds"?} (the verdict; nothing stored)',
  'GET /api/requests/:id/fixture?redact=Name,…|default (a hook-catch/fixture@1 file)',
  'GET /api/export.har?q=&method=&path=&job=&event=&redact= (the list as HAR 1.2)',
  'POST /api/requests/import?name= <a hook-catch/fixture@1 file as it is> or {"fixtures": [...]}',
  'POST /api/jobs {"id","label"?,"ttl"?}',
  'GET /api/jobs?status=&full=1',
  'GET /api/jobs/:id',
  'GET /api/jobs/:id/wait?timeout=&any=1',
  'GET /api/rules',
  'POST /api/rules {"status"?, "body"?, "headers"?, "delay"?, "failFirst"?, "path"?}',
  'DELETE /api/rules/:id',
  'DELETE /api/rules',
  'GET /api/mock/events (the last 500 calls a running hook-catch mock reported)',
  'POST /api/mock/events {"events": [...]} (what hook-catch mock reports)',
];

/**
 * The inspector: a JSON API over the store, on its own loopback-only port. Nothing here is
 * reachable through the receiver or a tunnel. (express earns its keep here, not per webhook.)
 */
export function createInspector(deps: InspectorDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(loopbackGuard(deps.port));
  app.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    next();
  });
  app.get('/api', (_req, res) => {
    res.json({ name: 'hook-catch inspector API', endpoints: ENDPOINTS } satisfies ApiIndex);
  });
  app.get('/api/status', (_req, res) => {
    res.json(deps.status() satisfies Status);
  });
  app.get('/api/event-types', (_req, res) => {
    res.json(deps.log.eventCounts() satisfies EventCounts);
  });
  app.use(
    '/api/types',
    typesRouter(deps.log, (id) => deps.jobs.registry.matchOf(id)),
  );
  app.use('/api', fixtureRouter(deps.fixtures));
  app.use('/api/requests', replayRouter(deps.replay));
  app.use('/api/requests', signatureRouter(deps.log, deps.publicUrl));
  app.use(
    '/api/requests',
    requestsRouter(deps.log, (id) => deps.jobs.registry.matchOf(id)),
  );
  app.use('/api/rules', rulesRouter(deps.rules));
  app.use('/api/jobs', jobsRouter(deps.jobs, deps.log));
  app.use('/api/mock', mockRouter(deps.onMockEvent));
  app.use('/api', (req, res) => {
    res.status(404).json({ error: `No such API endpoint: ${req.method} ${req.originalUrl}` });
  });
  app.use(pageRoutes());
  app.use(jsonErrors);
  return app;
}
