import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { later } from './index.js';

/** One request to the fake provider's status endpoint. */
export interface StatusRequest {
  at: number;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export type StatusAnswer = { status: number; headers?: Record<string, string>; body: string };

export interface FakeProvider {
  url: string;
  requests: StatusRequest[];
  /** What the next requests get (the job's status, by default as `{"jobId", "status"}`). */
  answer: (request: StatusRequest, n: number) => StatusAnswer;
  /** Resolves once `count` requests in all have come. */
  polled(count: number, timeoutMs?: number): Promise<StatusRequest>;
}

/** A provider's status endpoint on a local port (an async API's `GET /jobs/{jobId}`), closed after the test. */
export async function fakeProvider(answer: FakeProvider['answer']): Promise<FakeProvider> {
  const waiters: { count: number; resolve: (r: StatusRequest) => void }[] = [];
  const provider: FakeProvider = {
    url: '',
    requests: [],
    answer,
    polled(count, timeoutMs = 20_000) {
      if (provider.requests.length >= count) return Promise.resolve(provider.requests[count - 1]!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the provider was polled ${provider.requests.length} times, not ${count}, within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({ count, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
  };
  const server = createServer((req, res) => {
    const request = { at: Date.now(), url: req.url!, headers: req.headers };
    provider.requests.push(request);
    const reply = provider.answer(request, provider.requests.length);
    res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
    res.end(reply.body);
    for (const w of waiters.filter((w) => provider.requests.length >= w.count)) w.resolve(provider.requests[w.count - 1]!);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  later(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  provider.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return provider;
}

/** `{"jobId": …, "status": …}` with 200: a status endpoint's usual answer. */
export const says = (jobId: string, status: string, extra: object = {}): StatusAnswer => ({ status: 200, body: JSON.stringify({ jobId, status, ...extra }) });
