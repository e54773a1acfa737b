import { request as httpRequest } from 'node:http';
import { setTimeout as wait } from 'node:timers/promises';

// A webhook sender that retries as providers do, for rehearsing a provider's worst days against
// response rules: it delivers one webhook (to 127.0.0.1 only) and sends it again on a 5xx or a 429
// (after the Retry-After it was given), on its own client timeout, and on a connection closed without
// an answer; it stops on a 2xx (delivered) and on 410 Gone (the receiver unsubscribed).

/** What one attempt came to. */
export interface Attempt {
  /** `answered`: a status came back; `timeout`: none within the sender's timeout; `closed`: the connection closed without one. */
  outcome: 'answered' | 'timeout' | 'closed';
  status?: number;
  retryAfter?: string;
  /** The capture's id, from X-Hook-Catch-Id, when answered. */
  id?: string;
}

export interface Delivered {
  attempts: Attempt[];
  /** Why the sender stopped. */
  end: 'delivered' | 'gone' | 'refused' | 'gave up';
}

export interface SenderOptions {
  /** The sender's own client timeout for one attempt (as a provider's delivery timeout). */
  timeoutMs?: number;
  maxAttempts?: number;
  /** The wait between attempts when no Retry-After says one (providers back off; a test needs it short). */
  backoffMs?: number;
}

export async function deliverWithRetries(url: string, body: string, options: SenderOptions = {}): Promise<Delivered> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`the test sender sends to 127.0.0.1 only, not ${url}`);
  const { timeoutMs = 10_000, maxAttempts = 10, backoffMs = 20 } = options;
  const attempts: Attempt[] = [];
  while (attempts.length < maxAttempts) {
    const attempt = await attemptOnce(url, body, timeoutMs);
    attempts.push(attempt);
    const status = attempt.status ?? 0;
    if (status >= 200 && status < 300) return { attempts, end: 'delivered' };
    if (status === 410) return { attempts, end: 'gone' };
    // Any other 4xx is a receiver that will not take it: providers do not retry those.
    if (status >= 400 && status < 500 && status !== 429) return { attempts, end: 'refused' };
    const after = Number(attempt.retryAfter);
    await wait(Number.isFinite(after) && after > 0 ? after * 1000 : backoffMs);
  }
  return { attempts, end: 'gave up' };
}

function attemptOnce(url: string, body: string, timeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (attempt: Attempt) => {
      if (settled) return;
      settled = true;
      resolve(attempt);
    };
    // A fresh connection per attempt (agent: false), as a provider's retry comes later, on its own.
    const req = httpRequest(
      url,
      { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          const id = res.headers['x-hook-catch-id'];
          settle({
            outcome: 'answered',
            status: res.statusCode!,
            ...(typeof retryAfter === 'string' && { retryAfter }),
            ...(typeof id === 'string' && { id }),
          });
        });
      },
    );
    req.setTimeout(timeoutMs, () => {
      settle({ outcome: 'timeout' });
      req.destroy();
    });
    req.on('error', () => settle({ outcome: 'closed' }));
    req.end(body);
  });
}
