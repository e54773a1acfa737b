import { type ClientRequest, createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { later } from '../index.js';
import { isLoopback, parseJson, type RawHeaders, rawHeaders, readBody, type SeedName, waiting } from './common.js';

// The server and webhook sender every fake seed provider shares. A shape (seeds/ai.ts …) says how its
// API answers a call and what its webhook looks like; this file records the calls, keeps the jobs,
// and delivers the webhooks with the shape's retry schedule, recording each attempt.

/** One request the provider got, with its answer. */
export interface Call {
  at: number;
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: RawHeaders;
  body: Buffer;
  answer: { status: number; body: Buffer };
}

export interface SeedJob {
  id: string;
  /** Where its webhook goes: the URL the submit named, or null when it named none. */
  webhookUrl: string | null;
  createdAt: Date;
  /** Set by complete(). */
  outcome: 'success' | 'failure' | null;
  /** The submit's call. */
  submit: Call;
  /** The submit's `idempotencyKey` (tasks). */
  idempotencyKey?: string;
}

/** One webhook attempt. */
export interface Delivery {
  jobId: string;
  url: string;
  /** 1 for the first try of a sending, n for its n-th (a retry). */
  attempt: number;
  /** The second sending of the same webhook (`complete(id, outcome, { duplicate: true })`). */
  duplicate: boolean;
  headers: Record<string, string>;
  body: Buffer;
  /** What the receiver answered; null when it did not (then `error` says why). */
  status: number | null;
  error?: string;
}

export type CompleteOptions = {
  /** Send the same webhook a second time once the first is done with (ai does, as real providers do). */
  duplicate?: boolean;
  /** Deliver to this URL instead of the job's. */
  to?: string;
};

export interface SeedProvider {
  seed: SeedName;
  /** Base URL, http://127.0.0.1:PORT: the app's API base. */
  url: string;
  apiKey: string;
  secret: string | null;
  jobs: Map<string, SeedJob>;
  calls: Call[];
  deliveries: Delivery[];
  /** Ends the job: polls answer its final status, and its webhook is sent. Resolves with this job's attempts once all are done. */
  complete(jobId: string, outcome: 'success' | 'failure', options?: CompleteOptions): Promise<Delivery[]>;
  /** Resolves once `count` webhook attempts in all were answered 2xx; rejects with what happened after timeoutMs. */
  delivered(count: number, timeoutMs?: number): Promise<Delivery[]>;
  close(): Promise<void>;
}

export interface ProviderOptions {
  /** The one credential the API accepts (SEED_KEYS by default). */
  apiKey?: string;
  /** The webhook signing secret (SEED_SECRETS by default; ignored by the shapes that do not sign). */
  secret?: string;
  /** Wait before each retry, in ms; its length is the number of retries. */
  backoffMs?: number[];
  /** Deliver every webhook here instead of where the submit said. */
  deliverTo?: string;
  /** How long one attempt waits for the receiver's answer (10 s). */
  attemptTimeoutMs?: number;
}

export type Answer = { status: number; body: unknown };
/** A call as a shape reads it. */
export type Request = Call & { path: string; query: URLSearchParams; json: any; header(name: string): string | undefined };

export interface ShapeApi {
  url: string;
  apiKey: string;
  /** Opens a job for a submit. */
  open(id: string, call: Request, webhookUrl: string | null, extra?: Partial<SeedJob>): SeedJob;
  job(id: string): SeedJob | undefined;
  jobs(): Iterable<SeedJob>;
}

export interface Shape {
  seed: SeedName;
  /** Wait before each retry, in ms (none: one attempt). */
  backoffMs: number[];
  /** The answer to one call, or undefined when no endpoint has its method and path (then a 404). */
  answer(request: Request, api: ShapeApi): Answer | undefined;
  /** The webhook's body for an ended job. */
  webhook(job: SeedJob): unknown;
  /** The headers that sign a webhook body, for one attempt. */
  sign?(body: Buffer, job: SeedJob, secret: string): Record<string, string>;
}

const ok = (status: number | null) => status !== null && status >= 200 && status < 300;

export async function startProvider(shape: Shape, apiKey: string, secret: string | null, options: ProviderOptions): Promise<SeedProvider> {
  const backoffMs = options.backoffMs ?? shape.backoffMs;
  const events = waiting();
  // What close() cuts short: attempts in flight and waits before a retry.
  const stoppers = new Set<() => void>();
  let closed = false;
  const jobs = new Map<string, SeedJob>();
  const calls: Call[] = [];
  const deliveries: Delivery[] = [];

  const api: ShapeApi = {
    url: '',
    apiKey,
    open(id, call, webhookUrl, extra = {}) {
      const job: SeedJob = { id, webhookUrl, createdAt: new Date(), outcome: null, submit: call, ...extra };
      jobs.set(id, job);
      return job;
    },
    job: (id) => jobs.get(id),
    jobs: () => jobs.values(),
  };

  const server = createServer(async (req, res: ServerResponse) => {
    const body = await readBody(req);
    const url = new URL(req.url!, 'http://provider');
    const headers = rawHeaders(req);
    const call: Call = { at: Date.now(), method: req.method!, url: req.url!, headers, body, answer: { status: 0, body: Buffer.alloc(0) } };
    const header = (name: string) => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
    const request: Request = { ...call, path: url.pathname, query: url.searchParams, json: parseJson(body), header };
    const answer = shape.answer(request, api) ?? {
      status: 404,
      body: { error: 'not_found', message: `${req.method} ${url.pathname} is not an endpoint of the fake ${shape.seed} provider` },
    };
    call.answer = { status: answer.status, body: Buffer.from(JSON.stringify(answer.body)) };
    calls.push(call);
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(call.answer.body);
  });

  /** One POST of the webhook; never rejects (a failure is an attempt without a status). */
  const attempt = (to: string, job: SeedJob, body: Buffer, n: number, duplicate: boolean): Promise<Delivery> => {
    const headers = { 'Content-Type': 'application/json', ...(secret && shape.sign ? shape.sign(body, job, secret) : {}) };
    const delivery: Delivery = { jobId: job.id, url: to, attempt: n, duplicate, headers, body, status: null };
    if (!isLoopback(to)) return Promise.resolve({ ...delivery, error: `not sent: ${to} is not on 127.0.0.1 (the seed providers never dial out)` });
    return new Promise((resolve) => {
      let req: ClientRequest | undefined;
      const abort = () => (req?.destroy(), done(null, 'the provider was closed'));
      const done = (status: number | null, error?: string) => (
        stoppers.delete(abort), resolve(error ? { ...delivery, status, error } : { ...delivery, status })
      );
      try {
        req = httpRequest(to, { method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) }, timeout: options.attemptTimeoutMs ?? 10_000 });
      } catch (error) {
        // An https:// or malformed URL: node:http cannot send it.
        return done(null, (error as Error).message);
      }
      stoppers.add(abort);
      req.on('response', (res) => (res.resume(), res.on('end', () => done(res.statusCode!))));
      req.on('timeout', () => req!.destroy(new Error('no answer in time')));
      req.on('error', (error) => done(null, error.message));
      req.end(body);
    });
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const end = () => (clearTimeout(timer), stoppers.delete(end), resolve());
      const timer = setTimeout(end, ms);
      stoppers.add(end);
    });

  /** One sending: the first attempt and the retries the schedule allows, until one is answered 2xx. */
  const send = async (to: string, job: SeedJob, body: Buffer, duplicate: boolean) => {
    const mine: Delivery[] = [];
    for (let n = 1; !closed; n++) {
      const delivery = await attempt(to, job, body, n, duplicate);
      if (closed) break;
      deliveries.push(delivery), mine.push(delivery);
      events.notify();
      if (ok(delivery.status) || n > backoffMs.length || !isLoopback(to)) break;
      await pause(backoffMs[n - 1]!);
    }
    return mine;
  };

  const provider: SeedProvider = {
    seed: shape.seed,
    url: '',
    apiKey,
    secret,
    jobs,
    calls,
    deliveries,
    async complete(jobId, outcome, opts = {}) {
      const job = jobs.get(jobId);
      if (!job) throw new Error(`the fake ${shape.seed} provider has no job ${jobId} (it has: ${[...jobs.keys()].join(', ') || 'none'})`);
      if (job.outcome) throw new Error(`job ${jobId} was already completed (${job.outcome})`);
      job.outcome = outcome;
      const to = opts.to ?? options.deliverTo ?? job.webhookUrl;
      if (!to) return [];
      const body = Buffer.from(JSON.stringify(shape.webhook(job)));
      const first = await send(to, job, body, false);
      return opts.duplicate ? [...first, ...(await send(to, job, body, true))] : first;
    },
    delivered(count, timeoutMs = 20_000) {
      const acknowledged = () => deliveries.filter((d) => ok(d.status));
      return events.until(
        () => (acknowledged().length >= count ? acknowledged() : undefined),
        () =>
          `the fake ${shape.seed} provider had ${acknowledged().length} of ${count} webhook attempts answered 2xx (attempts: ${
            deliveries.map((d) => `${d.jobId} #${d.attempt} → ${d.status ?? d.error}`).join('; ') || 'none'
          })`,
        timeoutMs,
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const stop of [...stoppers]) stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  later(() => provider.close());
  provider.url = api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return provider;
}
