import type { IncomingMessage } from 'node:http';

// What the fake providers and the apps of the four seed APIs share: the seeds' names, loopback-only
// URLs (the tests never dial out), a request's bytes, and waiting for an event with a deadline.

export type SeedName = 'ai' | 'videodb' | 'deepaffects' | 'tasks';
export const SEEDS: SeedName[] = ['ai', 'videodb', 'deepaffects', 'tasks'];

/** Headers exactly as received: order, case, duplicates. */
export type RawHeaders = [string, string][];

/** Defaults of each seed's credentials and webhook secret, shared by its fake provider and its app. */
export const SEED_KEYS: Record<SeedName, string> = {
  ai: 'ai_test_key_7f3c',
  videodb: 'sk-videodb-test-91ab',
  deepaffects: 'deepaffects-test-key-5d2e',
  tasks: 'tasks_test_key_c41f',
};
export const SEED_SECRETS: Record<SeedName, string | null> = {
  // Standard Webhooks: `whsec_` and the base64 of the key's bytes.
  ai: `whsec_${Buffer.from('hook-catch ai seed secret key!!').toString('base64')}`,
  videodb: null,
  deepaffects: null,
  tasks: 'whsec_tasks_seed_3fA9kQ1xLm0pR7sT',
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Whether a URL stays on this machine. */
export const isLoopback = (url: string): boolean => {
  try {
    return LOOPBACK.has(new URL(url).hostname);
  } catch {
    return false;
  }
};
export function mustBeLoopback(url: string, what: string): void {
  if (!isLoopback(url)) throw new Error(`${what} ${url} is not on 127.0.0.1: the seed helpers never dial out`);
}

export const rawHeaders = (req: IncomingMessage): RawHeaders => {
  const headers: RawHeaders = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  return headers;
};

/** The request's bytes; never rejects (a request cut short, e.g. at close, gives what came). */
export const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });

/** The body as JSON, or undefined when it is not JSON. */
export const parseJson = (body: Buffer): any => {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
};

/**
 * Waiting for something that events make true: `until(check)` resolves with check()'s first value that
 * is not undefined, looking again on each notify(); it rejects with failure()'s words after timeoutMs.
 */
export function waiting() {
  const looks = new Set<() => void>();
  return {
    notify: () => {
      for (const look of [...looks]) look();
    },
    until<T>(check: () => T | undefined, failure: () => string, timeoutMs: number): Promise<T> {
      return new Promise((resolve, reject) => {
        const look = () => {
          const value = check();
          if (value === undefined) return;
          looks.delete(look), clearTimeout(timer);
          resolve(value);
        };
        const timer = setTimeout(() => (looks.delete(look), reject(new Error(`${failure()} within ${timeoutMs} ms`))), timeoutMs);
        looks.add(look);
        look();
      });
    },
  };
}

/** One header or query parameter carrying a credential, or none when there is no credential to send. */
export const credential = (name: string, value: string | null): Record<string, string> => (value === null ? {} : { [name]: value });
