import express from 'express';
import { HookCatchError } from '../errors.js';
import { decodeBody } from '../capture/encoded-body.js';
import { checkEdits } from '../replay/edits.js';
import { notKeptWarning, replayCapture } from '../replay/replay.js';
import { parseTarget, type OwnAddresses } from '../send/target.js';
import type { Edits, ReplayRecord } from '../capture/records.js';
import type { RequestLog } from '../store/request-log.js';
import type { ResignRule } from '../signatures/resign.js';
import type { VerifyInput, VerifyRule } from '../capture/signature.js';
import { rulesFor } from '../signatures/verifier.js';
import { checkVerify } from '../signatures/verify-rules.js';
import type { ReplayAnswer, ReplayList, ReplayRequest } from '../wire/replay.js';

export interface ReplayDeps {
  log: RequestLog;
  /** Where hook-catch listens (never a target). */
  own: () => OwnAddresses;
  /** The `--forward` URL, the target when none is given; null when not forwarding. */
  forwardUrl: string | null;
  /** Largest body an edited replay may send (the receiver's --max-body). */
  maxBody: number;
  /** After a replay was sent and kept. */
  onReplayed: (record: ReplayRecord) => void;
  /** The `--verify` rules in force: `"resign": true` signs with the one covering the capture's path. */
  verifyRules: VerifyRule[];
}

/** What `POST /api/requests/:id/replay` takes (every field may be left out), each checked here. */
type ReplayBody = Partial<Record<keyof ReplayRequest, unknown>>;

/**
 * `POST /api/requests/:id/replay`: send a capture again (edited or not) and keep the record;
 * `GET /api/requests/:id/replays`: the replays of a capture. Only this machine and the inspector's
 * own page get here (the guard in app.ts), never the receiver or its tunnel.
 */
export function replayRouter(deps: ReplayDeps): express.Router {
  const router = express.Router();
  // An edited body comes as base64 at worst: 4 characters for 3 bytes.
  router.use(express.json({ limit: Math.ceil(deps.maxBody * 1.4) + 64_000 }));

  router.post('/:id/replay', async (req, res) => {
    const body = (req.body ?? {}) as ReplayBody;
    const request = await deps.log.get(req.params.id as string);
    if (!request) {
      res.status(404).json({ error: `No stored request with id ${req.params.id}.` });
      return;
    }
    const to = typeof body.to === 'string' && body.to ? body.to : deps.forwardUrl;
    if (!to) throw new HookCatchError('Where to? Give "to": "http://localhost:3000" (or start hook-catch with --forward <url>, the default target).');
    const record = await replayCapture(deps.log, request, {
      to: parseTarget(to, 'to'),
      edits: editsOf(body, deps.maxBody),
      timeoutMs: timeoutOf(body.timeoutMs),
      insecure: body.insecure === true,
      own: deps.own(),
      resign: resignOf(body.resign, request.url, deps.verifyRules),
    });
    // Sent either way; the stream announces only the replays the store holds.
    const warning = notKeptWarning(record);
    if (warning === null) deps.onReplayed(record);
    res.json({ replay: record, kept: warning === null, ...(warning !== null && { warning }) } satisfies ReplayAnswer);
  });

  router.get('/:id/replays', async (req, res) => {
    const id = deps.log.resolveId(req.params.id as string);
    if (!id) {
      res.status(404).json({ error: `No stored request with id ${req.params.id}.` });
      return;
    }
    res.json({ items: await deps.log.replaysOf(id) } satisfies ReplayList);
  });

  return router;
}

function editsOf(body: ReplayBody, maxBody: number): Edits {
  const edits: Edits = {};
  if (body.method !== undefined) edits.method = text(body.method, 'method');
  if (body.path !== undefined) edits.path = text(body.path, 'path');
  if (body.headers !== undefined) edits.headers = pairs(body.headers, 'headers');
  if (body.setHeaders !== undefined) edits.setHeaders = pairs(body.setHeaders, 'setHeaders');
  if (body.removeHeaders !== undefined) {
    if (!Array.isArray(body.removeHeaders)) throw new HookCatchError('removeHeaders is a list of header names.');
    edits.removeHeaders = body.removeHeaders.map((name) => text(name, 'removeHeaders'));
  }
  if (body.body !== undefined) {
    const encoding = body.bodyEncoding ?? 'utf8';
    if (encoding !== 'utf8' && encoding !== 'base64') throw new HookCatchError('bodyEncoding is "utf8" or "base64".');
    edits.body = decodeBody({ body: text(body.body, 'body'), bodyEncoding: encoding });
    if (edits.body.length > maxBody) throw new HookCatchError(`The edited body is larger than --max-body (${maxBody} bytes).`);
  }
  return checkEdits(edits);
}

/**
 * `"resign": true`: the secret of the `--verify` rule covering the capture's path;
 * `"resign": {"scheme"?, "secret", "header"?}`: that one. Never echoed back.
 */
function resignOf(value: unknown, url: string, rules: VerifyRule[]): ResignRule | undefined {
  if (value === undefined || value === false || value === null) return undefined;
  if (value === true) {
    const rule = rulesFor(rules, url)[0];
    if (!rule)
      throw new HookCatchError(
        `No --verify of this hook-catch covers ${url.split('?')[0]}, so there is no secret to re-sign with: give "resign": {"scheme": "stripe", "secret": "…"}.`,
      );
    return rule;
  }
  const given = value as { scheme?: unknown; secret?: unknown; header?: unknown };
  if (typeof given !== 'object' || typeof given.secret !== 'string')
    throw new HookCatchError('resign is true (the --verify secret) or {"scheme"?, "secret", "header"?}.');
  return checkVerify({
    scheme: (given.scheme ?? 'auto') as VerifyInput['scheme'],
    secret: given.secret,
    header: typeof given.header === 'string' ? given.header : null,
  });
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new HookCatchError(`${name} must be text.`);
  return value;
}

function pairs(value: unknown, name: string): [string, string][] {
  const ok = Array.isArray(value) && value.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string');
  if (!ok) throw new HookCatchError(`${name} is a list of [name, value] pairs, such as [["X-Env", "staging"]].`);
  return value as [string, string][];
}

function timeoutOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new HookCatchError('timeoutMs must be a number of milliseconds above 0.');
  return value;
}
