import express, { type Request } from 'express';
import { HookCatchError } from '../errors.js';
import { fixtureFileName } from '../fixtures/file-name.js';
import { checkFixture, fixtureText, toFixture } from '../fixtures/fixture.js';
import { toHar } from '../fixtures/har.js';
import { importFixtures } from '../fixtures/import.js';
import { DEFAULT_REDACT } from '../fixtures/redact.js';
import { decodeBody, type CapturedRequest } from '../receiver/capture.js';
import type { RequestLog } from '../store/request-log.js';
import type { MatchOf } from './summaries.js';
import { parseQuery } from './requests-routes.js';

export interface FixtureDeps {
  log: RequestLog;
  matchOf: MatchOf;
  /** The receiver's id generator (imported captures take their place among received ones). */
  nextId: () => string;
  /** After fixtures were stored as captures: announce each like a received one. */
  onImported: (request: CapturedRequest) => void;
  /** The base URL HAR entries are made absolute with (the public webhook URL's origin, or the receiver's). */
  baseUrl: () => string;
}

/** Most requests one HAR export holds. */
const HAR_LIMIT = 10_000;

/** Fixtures and HAR over the API: one capture as a fixture file, the filtered list as HAR, fixtures imported. */
export function fixtureRouter(deps: FixtureDeps): express.Router {
  const router = express.Router();

  router.post('/requests/import', express.json({ limit: '200mb' }), async (req, res) => {
    const list = (req.body as { fixtures?: unknown })?.fixtures;
    if (!Array.isArray(list) || list.length === 0) throw new HookCatchError('POST /api/requests/import takes {"fixtures": [<hook-catch/fixture@1 objects>]}.');
    const fixtures = list.map((value, i) => {
      const fixture = checkFixture(value, `fixture ${i + 1}`);
      return { ...fixture, body: decodeBody(fixture), file: `fixture ${i + 1}` };
    });
    const stored = await importFixtures(deps.log, fixtures, deps.nextId, deps.onImported);
    res.status(201).json({ ids: stored.map((request) => request.id) });
  });

  router.get('/requests/:id/fixture', async (req, res) => {
    const request = await deps.log.get(req.params.id as string);
    if (!request) {
      res.status(404).json({ error: `No stored request with id ${req.params.id}.` });
      return;
    }
    const match = deps.matchOf(request.id);
    const name = fixtureFileName(request.receivedAt, match?.jobId ?? request.path, request.id);
    download(res, name, 'application/json', fixtureText(toFixture(request, match, { redact: redactOf(req) })));
  });

  router.get('/export.har', async (req, res) => {
    const query = parseQuery(req, deps.matchOf);
    const ids: string[] = [];
    let before: string | undefined;
    do {
      const page = await deps.log.list({ ...query, limit: 1000, before });
      ids.push(...page.items.map((summary) => summary.id));
      before = page.nextBefore ?? undefined;
    } while (before && ids.length < HAR_LIMIT);
    const requests = await deps.log.getMany(ids.slice(0, HAR_LIMIT));
    const name = fixtureFileName(requests[0]?.receivedAt ?? new Date().toISOString(), `${requests.length}-requests`, requests.at(-1)?.id ?? 'none', '.har');
    download(res, name, 'application/json', JSON.stringify(toHar(requests, deps.baseUrl(), redactOf(req)), null, 2) + '\n');
  });

  return router;
}

/** `redact=Name,Other`; the name `default` stands for the usual secrets (DEFAULT_REDACT, as --redact-default). */
function redactOf(req: Request): string[] {
  const value = req.query.redact;
  const names = typeof value === 'string' && value ? value.split(',').map((name) => name.trim()).filter(Boolean) : [];
  return [...new Set(names.flatMap((name) => (name === 'default' ? DEFAULT_REDACT : [name])))];
}

function download(res: express.Response, name: string, type: string, text: string): void {
  res.set({ 'Content-Type': `${type}; charset=utf-8`, 'Content-Disposition': `attachment; filename="${name}"` });
  res.send(text);
}
