import express from 'express';
import { HookCatchError } from '../errors.js';
import { checkStored } from '../signatures/verifier.js';
import { checkVerify } from '../signatures/verify-rules.js';
import type { VerifyInput } from '../capture/signature.js';
import type { VerifyAnswer, VerifyRequest } from '../wire/requests.js';
import type { RequestLog } from '../store/request-log.js';

/**
 * `POST /api/requests/:id/verify {"scheme"?, "secret", "header"?, "toleranceSeconds"?}`: the
 * verdict a secret gives a stored capture, to try secrets. Nothing is stored; the secret is not echoed.
 */
export function signatureRouter(log: RequestLog, publicUrl: () => string | null): express.Router {
  const router = express.Router();
  router.post('/:id/verify', express.json({ limit: 64_000 }), async (req, res) => {
    const request = await log.get(req.params.id as string);
    if (!request) {
      res.status(404).json({ error: `No stored request with id ${req.params.id}.` });
      return;
    }
    const body = (req.body ?? {}) as Partial<Record<keyof VerifyRequest, unknown>>;
    if (typeof body.secret !== 'string' || body.secret === '') throw new HookCatchError('Give the signing secret: {"secret": "…", "scheme"?: "stripe"}.');
    const rule = checkVerify({
      scheme: (body.scheme ?? 'auto') as VerifyInput['scheme'],
      secret: body.secret,
      header: typeof body.header === 'string' && body.header ? body.header : null,
      toleranceSeconds: typeof body.toleranceSeconds === 'number' ? body.toleranceSeconds : undefined,
    });
    res.json({ signature: await checkStored(request, rule, publicUrl()) } satisfies VerifyAnswer);
  });
  return router;
}
