import express, { type NextFunction, type Request, type Response } from 'express';
import { HookCatchError } from '../errors.js';
import { fileTooLarge, FixtureRefused, largestFixtureFile } from '../fixtures/check.js';
import { parseJson, readFixture, type LoadedFixture } from '../fixtures/fixture.js';
import { importFixtures } from '../fixtures/import.js';
import type { FixtureDeps } from './fixture-deps.js';
import type { ErrorAnswer, ImportAnswer } from '../wire/requests.js';

/**
 * `POST /requests/import`: a fixture file's bytes as they are (what `hook-catch import` streams), or
 * {"fixtures": [...]}, stored as new captures. The request may be as large as a fixture whose body is
 * within --max-body, no larger, so what is held in memory follows --max-body. It is read as text
 * (decoded as it comes, so its bytes are not held beside it) for JSON.parse.
 */
export function importRouter(deps: FixtureDeps): express.Router {
  const router = express.Router();
  const limit = largestFixtureFile(deps.maxBody);
  const tooLarge = (req: Request, res: Response, length: number | null) =>
    res.status(413).json({ error: fileTooLarge(nameOf(req), length, deps.maxBody).notImported() } satisfies ErrorAnswer);

  // A larger Content-Length is answered at once, before a byte is read (express.text would read it all first).
  const announcedSize = (req: Request, res: Response, next: NextFunction) => {
    const length = Number(req.headers['content-length']);
    if (length > limit) tooLarge(req, res, length);
    else next();
  };

  router.post('/requests/import', announcedSize, express.text({ type: () => true, limit }), async (req, res) => {
    try {
      const fixtures = fixturesOf(takeBody(req), nameOf(req), deps.maxBody);
      // Those stored are announced even when the disk took only some of them.
      const stored = await importFixtures(deps.log, fixtures, deps.nextId, deps.onImported, deps.eventOf);
      res.status(201).json({ ids: stored.map((request) => request.id) } satisfies ImportAnswer);
    } catch (error) {
      if (!(error instanceof FixtureRefused)) throw error;
      res.status(error.status).json({ error: error.notImported() } satisfies ErrorAnswer);
    }
  });

  // Over the limit with no Content-Length (chunked, or compressed): known once that much was read.
  router.use('/requests/import', (error: { type?: string }, req: Request, res: Response, next: NextFunction) => {
    if (error?.type === 'entity.too.large') tooLarge(req, res, null);
    else next(error);
  });
  return router;
}

/** What the import's answers call the fixture: `?name=` (the CLI gives the file's path), else "the fixture". */
function nameOf(req: Request): string {
  return typeof req.query.name === 'string' && req.query.name ? req.query.name : 'the fixture';
}

/** The request's text, no longer held by it: once parsed, a large fixture is in memory once (decoded) while it is stored. */
function takeBody(req: Request): unknown {
  const text: unknown = req.body;
  req.body = undefined;
  return text;
}

/** The fixtures a request to import holds: one fixture file as it is, or several in {"fixtures": [...]}, all or none. */
function fixturesOf(text: unknown, name: string, maxBody: number): LoadedFixture[] {
  if (typeof text !== 'string' || text === '')
    throw new HookCatchError('POST /api/requests/import takes a hook-catch/fixture@1 file as it is, or {"fixtures": [<fixture objects>]}.');
  const value = parseJson(text, name) as { fixtures?: unknown };
  if (!Array.isArray(value?.fixtures)) return [readFixture(value, name, maxBody)];
  const list: unknown[] = value.fixtures;
  if (list.length === 0) throw new HookCatchError('{"fixtures": []} holds no fixture to import.');
  try {
    return list.map((item, i) => readFixture(item, `fixture ${i + 1}`, maxBody));
  } catch (error) {
    if (error instanceof FixtureRefused) throw new FixtureRefused(error.line, error.status, list.length);
    throw error;
  }
}
