import type { IncomingMessage } from 'node:http';

/** A refused body is read and thrown away up to this much … */
export const DRAIN_BYTES = 64_000_000;
/** … or for this long, before the 413 goes out. */
export const DRAIN_MS = 5000;

/**
 * Reads what is left of a refused request's body, keeping nothing, then calls `then`: a sender
 * still sending when the answer and the close came would get a connection reset instead of the
 * 413. A sender that waits for `100 Continue` sends no body: `then` runs at once. Past DRAIN_BYTES
 * or DRAIN_MS the answer goes out anyway.
 */
export function afterDrain(req: IncomingMessage, waitsForContinue: boolean, then: () => void): void {
  let done = false;
  let seen = 0;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    req.off('data', count);
    then();
  };
  const count = (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DRAIN_BYTES) finish();
  };
  const timer = setTimeout(finish, waitsForContinue || req.complete ? 0 : DRAIN_MS);
  req.on('data', count);
  req.once('end', finish);
  req.once('close', finish);
  req.once('error', finish);
  req.resume();
}
