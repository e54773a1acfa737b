import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { later, send } from '../index.js';
import { mustBeLoopback, parseJson, type RawHeaders, rawHeaders, readBody, type SeedName, waiting } from './common.js';

// A user's integration with one seed API, as it would be written: it submits jobs with its own
// credentials and webhook URL, polls their status, and receives the webhooks on its own port,
// checking their signatures. A client (seeds/ai.ts …) says how its API's requests look.

export type Outgoing = { method: string; path: string; headers: Record<string, string>; body?: string | Buffer };

export interface SubmitInput {
  /** The operation's path, instead of the seed's usual one (ai: `/ai/v1/<operation>`). */
  path?: string;
  /** Fields of the JSON body, besides (or instead of) the usual ones. */
  json?: Record<string, unknown>;
  /** A binary media upload (ai: the body itself; deepaffects: base64 in `content`). */
  media?: Buffer;
  /** The media's content type (ai; `audio/wav` by default). */
  contentType?: string;
  /** tasks: the idempotencyKey (a fresh one by default). */
  idempotencyKey?: string;
  /** This call's credential instead of the app's; null sends none. */
  apiKey?: string | null;
}

export interface Client {
  seed: SeedName;
  submit(input: SubmitInput, context: { webhookUrl: string; apiKey: string | null }): Outgoing;
  jobIdOf(answer: any): string | null;
  poll(jobId: string, apiKey: string | null): Outgoing;
  /** The status word in a status answer. */
  statusOf(answer: any): string | null;
  /** The job and status word a webhook names. */
  fromWebhook(json: any): { jobId: string | null; status: string | null };
  /** Throws when the signature does not verify (seeds that sign only). */
  verify?(body: Buffer, headers: Record<string, string>, secret: string): void;
}

/** The app's view of an answer from the API: the HTTP status, the job's status word, the body as JSON (or text). */
export interface ApiAnswer {
  http: number;
  status: string | null;
  body: any;
}

export interface ReceivedWebhook {
  at: number;
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: RawHeaders;
  /** The exact bytes. */
  body: Buffer;
  json: any;
  jobId: string | null;
  status: string | null;
  /** The signature check: unchecked when the seed does not sign or the app has no secret. */
  verdict: 'valid' | 'invalid' | 'unchecked';
  /** Why it is invalid, in the verifying library's words. */
  reason?: string;
  /** What the app answered. */
  answered: number;
}

export interface SeedApp {
  seed: SeedName;
  /** The webhook URL it gives the provider: its own receiver's, or the `webhookUrl` option. */
  webhookUrl: string;
  /** Its own receiver, http://127.0.0.1:PORT/hooks/<seed> (it takes a POST on any path). */
  receiverUrl: string;
  apiBase: string;
  received: ReceivedWebhook[];
  submit(input?: SubmitInput): Promise<ApiAnswer & { jobId: string | null }>;
  poll(jobId: string, options?: { apiKey?: string | null }): Promise<ApiAnswer>;
  /** Resolves with all webhooks received once there are `count`; rejects after timeoutMs saying what came. */
  waitForWebhooks(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  /** Answers 500 to the next n webhooks. */
  failFirst(n: number): void;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Where it sends its API calls: the fake provider, hook-catch's provider port, or a mock. */
  apiBase: string;
  /** The webhook URL to give the provider instead of its own receiver's (e.g. hook-catch's, forwarding here). */
  webhookUrl?: string;
  /** Its credential (SEED_KEYS by default); null sends none. */
  apiKey?: string | null;
  /** The webhook secret it verifies with (SEED_SECRETS by default). */
  secret?: string | null;
  /** What it does with a webhook whose signature is invalid: answer 400, as a real app does (default), or 200. */
  onInvalid?: 'reject' | 'accept';
}

export async function startApp(client: Client, apiKey: string | null, secret: string | null, options: AppOptions): Promise<SeedApp> {
  mustBeLoopback(options.apiBase, `the ${client.seed} app's apiBase`);
  const apiBase = options.apiBase.replace(/\/+$/, '');
  const received: ReceivedWebhook[] = [];
  const events = waiting();
  let failing = 0;

  const check = (body: Buffer, headers: Record<string, string>): Pick<ReceivedWebhook, 'verdict' | 'reason'> => {
    if (!client.verify || !secret) return { verdict: 'unchecked' };
    try {
      client.verify(body, headers, secret);
      return { verdict: 'valid' };
    } catch (error) {
      return { verdict: 'invalid', reason: (error as Error).message };
    }
  };

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const json = parseJson(body);
    const verdict = check(body, req.headers as Record<string, string>);
    const answered = failing > 0 ? (failing--, 500) : verdict.verdict === 'invalid' && options.onInvalid !== 'accept' ? 400 : 200;
    const webhook = {
      at: Date.now(),
      method: req.method!,
      url: req.url!,
      headers: rawHeaders(req),
      body,
      json,
      ...client.fromWebhook(json),
      ...verdict,
      answered,
    };
    received.push(webhook);
    res.writeHead(answered, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify(
        answered === 200 ? { received: true } : { error: answered === 500 ? 'failing on purpose (failFirst)' : `invalid signature: ${verdict.reason}` },
      ),
    );
    events.notify();
  });

  const call = async (outgoing: Outgoing): Promise<ApiAnswer> => {
    const url = apiBase + outgoing.path;
    const reply = await send(url, outgoing).catch((error: Error) => {
      throw new Error(`the ${client.seed} app could not reach ${url}: ${error.message}`);
    });
    const body = parseJson(reply.body) ?? reply.body.toString('utf8');
    return { http: reply.status, status: client.statusOf(body), body };
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/${client.seed}`;
  const webhookUrl = options.webhookUrl ?? receiverUrl;
  let closed = false;
  const app: SeedApp = {
    seed: client.seed,
    webhookUrl,
    receiverUrl,
    apiBase,
    received,
    async submit(input = {}) {
      const answer = await call(client.submit(input, { webhookUrl, apiKey: input.apiKey === undefined ? apiKey : input.apiKey }));
      return { ...answer, jobId: answer.http < 300 ? client.jobIdOf(answer.body) : null };
    },
    poll: (jobId, opts = {}) => call(client.poll(jobId, opts.apiKey === undefined ? apiKey : opts.apiKey)),
    waitForWebhooks: (count, timeoutMs = 20_000) =>
      events.until(
        () => (received.length >= count ? received : undefined),
        () =>
          `the ${client.seed} app got ${received.length} of ${count} webhooks (${received.map((w) => `${w.jobId} ${w.status} → ${w.answered}`).join('; ') || 'none'})`,
        timeoutMs,
      ),
    failFirst: (n) => void (failing = n),
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  later(() => app.close());
  return app;
}
