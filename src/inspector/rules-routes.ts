import express from 'express';
import { HookCatchError } from '../errors.js';
import { DEFAULT_HANG_MS, parseFailRate, parseGoneAfter, parseHang, parseThrottle } from '../rules/check.js';
import type { RuleSet } from '../rules/rule-set.js';
import type { RuleInput } from '../rules/types.js';
import { parseDuration } from '../units.js';
import type { DeletedAll, DeletedOne } from '../wire/requests.js';
import type { ResponseRule, RuleList, RuleRequest } from '../wire/rules.js';

/** `/api/rules`: the response rules in force; changes take effect on the next request and are kept across restarts. */
export function rulesRouter(rules: RuleSet): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/', (_req, res) => {
    res.json({ items: rules.list() } satisfies RuleList);
  });

  router.post('/', async (req, res) => {
    res.status(201).json((await rules.add(ruleInput(req.body))) satisfies ResponseRule);
  });

  router.delete('/', async (_req, res) => {
    res.json({ deleted: await rules.clear() } satisfies DeletedAll);
  });

  router.delete('/:id', async (req, res) => {
    const id = req.params.id as string;
    if (!(await rules.remove(id))) {
      res.status(404).json({ error: `No response rule ${id}. GET /api/rules lists them.` });
      return;
    }
    res.json({ deleted: id } satisfies DeletedOne);
  });

  return router;
}

/** A rule from JSON: `{"path"?, "status"?, "body"?, "headers"?: [[name, value]], "delay"?: "2s" | "delayMs"?, "failFirst"?}`. */
function ruleInput(value: unknown): RuleInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HookCatchError(
      'POST /api/rules takes {"status"?, "body"?, "headers"?, "delay"?, "failFirst"?, "failRate"?, "seed"?, "throttle"?, "goneAfter"?, "hang"?, "drop"?, "path"?}.',
    );
  }
  const v = value as Partial<Record<keyof RuleRequest, unknown>>;
  const input: RuleInput = {};
  if (v.path !== undefined && v.path !== null && v.path !== '') input.path = v.path as string;
  if (v.status !== undefined) input.status = typeof v.status === 'string' ? Number(v.status) : (v.status as number);
  if (v.body !== undefined && v.body !== null) input.body = v.body as string;
  if (v.headers !== undefined) {
    const ok = Array.isArray(v.headers) && v.headers.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'string'));
    if (!ok) throw new HookCatchError('headers is a list of [name, value] pairs.');
    input.headers = v.headers as [string, string][];
  }
  if (v.delay !== undefined && v.delay !== '') {
    const ms = typeof v.delay === 'number' ? v.delay * 1000 : parseDuration(String(v.delay));
    if (!Number.isFinite(ms)) throw new HookCatchError(`delay is a duration such as 2s or 500ms; got "${String(v.delay)}".`);
    input.delayMs = ms;
  }
  if (v.delayMs !== undefined) input.delayMs = v.delayMs as number;
  if (v.failFirst !== undefined) input.failFirst = typeof v.failFirst === 'string' ? Number(v.failFirst) : (v.failFirst as number);
  return { ...input, ...chaosInput(v) };
}

/** The rule's fail-rate, seed, throttle, gone-after, hang and drop: each as its flag's text, or as GET /api/rules shows it. */
function chaosInput(v: Partial<Record<keyof RuleRequest, unknown>>): RuleInput {
  const input: RuleInput = {};
  const given = (value: unknown) => value !== undefined && value !== null && value !== '' && value !== false;
  if (given(v.failRate)) input.failRate = typeof v.failRate === 'number' ? v.failRate : parseFailRate(String(v.failRate), 'failRate');
  if (given(v.seed)) input.seed = typeof v.seed === 'string' && /^\d+$/.test(v.seed) ? Number(v.seed) : (v.seed as number);
  if (given(v.throttle))
    input.throttle = typeof v.throttle === 'string' ? parseThrottle(v.throttle, 'throttle') : (v.throttle as { status: number; ms: number });
  if (given(v.goneAfter)) {
    const gone = v.goneAfter;
    input.goneAfter = typeof gone === 'number' ? { count: gone } : typeof gone === 'string' ? parseGoneAfter(gone, 'goneAfter') : (gone as { count: number });
  }
  if (given(v.hang)) input.hangMs = v.hang === true ? DEFAULT_HANG_MS : typeof v.hang === 'number' ? v.hang * 1000 : parseHang(String(v.hang), 'hang');
  if (given(v.hangMs)) input.hangMs = v.hangMs as number;
  if (v.drop !== undefined) input.drop = v.drop as boolean;
  return input;
}
