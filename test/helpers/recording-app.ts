import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { later } from './index.js';

/** One request as the fake user's app received it. */
export interface Recorded {
  method: string;
  url: string;
  /** Headers exactly as received: order, case, duplicates. */
  headers: [string, string][];
  body: Buffer;
}

/** What the app answers; `hang` never answers (until closed). */
export type AppAnswer = { status: number; headers?: Record<string, string>; body?: string | Buffer } | 'hang';

export interface RecordingApp {
  url: string;
  port: number;
  received: Recorded[];
  /** Resolves once `count` requests in all have come (the first by default). */
  got(count?: number, timeoutMs?: number): Promise<Recorded>;
}

/** A local stand-in for the user's app: records every request, answers what `answer` says. Closed after the test. */
export async function recordingApp(answer: (request: Recorded) => AppAnswer = () => ({ status: 200, body: 'ok' })): Promise<RecordingApp> {
  const received: Recorded[] = [];
  const waiters: { count: number; resolve: (r: Recorded) => void }[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const recorded = { method: req.method!, url: req.url!, headers, body: Buffer.concat(chunks) };
      received.push(recorded);
      for (const w of waiters.filter((w) => received.length >= w.count)) w.resolve(received[w.count - 1]!);
      const reply = answer(recorded);
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  later(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    got(count = 1, timeoutMs = 20_000) {
      if (received.length >= count) return Promise.resolve(received[count - 1]!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the app got ${received.length} requests, not ${count}, within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
  };
}

/** The headers a replay or forward must carry: the captured ones less Host and hop-by-hop ones, in order. */
export function passedOn(headers: [string, string][]): [string, string][] {
  const hop = new Set([
    'host',
    'connection',
    'keep-alive',
    'transfer-encoding',
    'te',
    'trailer',
    'upgrade',
    'expect',
    'proxy-connection',
    'proxy-authorization',
  ]);
  return headers.filter(([name]) => !hop.has(name.toLowerCase()));
}
