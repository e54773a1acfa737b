import express, { type Request } from 'express';
import { fixtureFileName } from '../fixtures/file-name.js';
import { fixtureText, toFixture } from '../fixtures/fixture.js';
import { toHar } from '../fixtures/har.js';
import { DEFAULT_REDACT } from '../fixtures/redact.js';
import type { FixtureDeps } from './fixture-deps.js';
import { importRouter } from './import-routes.js';
import { parseQuery } from './requests-routes.js';

/** Most requests one HAR export holds. */
const HAR_LIMIT = 10_000;

/** Fixtures and HAR over the API: one capture as a fixture file, the filtered list as HAR, fixtures imported (import-routes.ts). */
export function fixtureRouter(deps: FixtureDeps): express.Router {
  const router = express.Router();

  router.use(importRouter(deps));

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
  const names =
    typeof value === 'string' && value
      ? value
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean)
      : [];
  return [...new Set(names.flatMap((name) => (name === 'default' ? DEFAULT_REDACT : [name])))];
}

function download(res: express.Response, name: string, type: string, text: string): void {
  res.set({ 'Content-Type': `${type}; charset=utf-8`, 'Content-Disposition': `attachment; filename="${name}"` });
  res.send(text);
}
