import type { NextFunction, Request, Response } from 'express';
import { HookCatchError, UnavailableError } from '../errors.js';

/** Every error as a JSON answer: 400 for what the caller can fix, 503 for what cannot be done now, 500 otherwise. */
export function jsonErrors(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (error instanceof UnavailableError) {
    res.status(503).json({ error: error.message });
    return;
  }
  const known = error instanceof HookCatchError;
  const status = (error as { status?: number }).status;
  if (!known && status && status >= 400 && status < 500) {
    res.status(status).json({ error: `Bad request: ${(error as Error).message}` });
    return;
  }
  res.status(known ? 400 : 500).json({ error: known ? error.message : `Inspector error: ${String(error)}` });
}
