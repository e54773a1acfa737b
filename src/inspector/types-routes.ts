import { type Request, Router } from 'express';
import { HookCatchError } from '../errors.js';
import type { JobMatch } from '../jobs/types.js';
import { renderTypes, storedPayloads, summaryLine, TYPE_LANGS, type TypeLang } from '../payload-types/index.js';
import type { RequestLog } from '../store/request-log.js';
import type { TypesAnswer } from '../wire/payload-types.js';

/** `GET /api/types?lang=ts|zod|json-schema&event=&job=`: the payload types of the stored webhooks (what `hook-catch types` writes). */
export function typesRouter(log: RequestLog, matchOf: (id: string) => JobMatch | null): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const lang = langOf(req);
    const text = (name: string) => (typeof req.query[name] === 'string' && req.query[name] !== '' ? (req.query[name] as string) : undefined);
    const event = text('event');
    const job = text('job');
    const set = await storedPayloads(log, matchOf, { event: event === undefined ? undefined : [event], job });
    const { text: code, types } = set.groups.length > 0 ? renderTypes(set, lang) : { text: '', types: [] };
    res.json({ lang, text: code, types, captures: set.captures, leftOut: set.leftOut, summary: summaryLine(set, types) } satisfies TypesAnswer);
  });
  return router;
}

function langOf(req: Request): TypeLang {
  const lang = req.query.lang ?? 'ts';
  if (typeof lang === 'string' && (TYPE_LANGS as readonly string[]).includes(lang)) return lang as TypeLang;
  throw new HookCatchError(`lang must be one of ${TYPE_LANGS.join(', ')}; got "${String(lang)}".`);
}
