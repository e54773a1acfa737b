import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { splitTarget, type CapturedRequest } from '../capture/capture.js';
import { encodeBody } from '../capture/encoded-body.js';
import { describe } from '../errors.js';
import { explain } from '../send/send.js';
import { formatDuration } from '../units.js';
import { BodyTap } from './body-tap.js';
import { classify, type JobLookup } from './classify.js';
import { answerHeaders, pairs, type Upstream } from './upstream.js';
import { planRewrite, type Rewrite } from './rewrite.js';

export interface ProxyDeps {
  upstream: Upstream;
  /** Stores a call with its answer and sends it on its route (jobs, stream, terminal); resolves once it is in the file. */
  keep: (call: CapturedRequest) => Promise<void>;
  nextId: () => string;
  now: () => number;
  /** Bytes of a request or an answer body kept (the receiver's --max-body): past it, a request body is kept as size and hash. */
  maxBody: number;
  timeoutMs: number;
  jobs: JobLookup;
  /** `--rewrite-webhook-url`: the base URL a local webhook URL is replaced with (null: no rewriting). */
  rewriteTo: (() => string) | null;
}

/**
 * The provider port: every request the app sends is sent on to the provider as it came (but a
 * local webhook URL with --rewrite-webhook-url), and the provider's answer goes back as it came,
 * streamed both ways. The call and its answer are stored before the answer's last byte reaches the
 * app, so an app that read a job id finds the job registered; a provider that cannot be reached
 * gets the app a 502 (504 when it does not answer in time) saying why, stored the same way.
 */
export function createProxy(deps: ProxyDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    proxyCall(req, res, deps).catch((error: unknown) => {
      // Reading a submit to rewrite it failed (the app went away mid-body): nothing reached the provider.
      if (res.headersSent) return void res.destroy();
      res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(`${JSON.stringify({ ok: false, error: `hook-catch could not read the request to send it on: ${describe(error)}` })}\n`);
    });
  };
}

async function proxyCall(req: IncomingMessage, res: ServerResponse, deps: ProxyDeps): Promise<void> {
  const startedAt = deps.now();
  const started = performance.now();
  const target = req.url ?? '/';
  const contentType = header(req.rawHeaders, 'content-type');
  const tap = new BodyTap(deps.maxBody, contentType);
  const rewrite: Rewrite | null = deps.rewriteTo ? await planRewrite(req, target, contentType, tap, deps.maxBody, deps.rewriteTo) : null;
  const upstream = deps.upstream.open(req.method ?? 'GET', rewrite?.target ?? target, req.rawHeaders, rewrite?.body ? rewrite.body.length : null);
  const answerTap = new BodyTap(deps.maxBody, null);
  const exchanged = exchange(upstream, res, answerTap, deps);
  if (rewrite?.body) upstream.end(rewrite.body);
  else
    req
      .on('data', (chunk: Buffer) => tap.push(chunk))
      .on('error', (error) => upstream.destroy(error))
      .pipe(upstream);
  const { appStatus, failure, answered } = await exchanged;
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const call = callRecord(req, target, contentType, tap, { startedAt, latencyMs, appStatus, failure, answered, answerTap, rewrite }, deps);
  await deps.keep(call).catch(() => undefined);
  if (!res.writableEnded) res.end();
}

type Answered = { status: number; statusText: string; headers: [string, string][] };

/**
 * The provider's answer streamed to the app as it comes (all but its end, which waits for the call
 * to be stored), or the app's 502 / 504 saying why there was none. Resolves when the exchange is over.
 */
function exchange(
  upstream: ClientRequest,
  res: ServerResponse,
  answerTap: BodyTap,
  deps: ProxyDeps,
): Promise<{ appStatus: number; failure: string | null; answered: Answered | null }> {
  const out = { appStatus: 0, failure: null as string | null, answered: null as Answered | null };
  return new Promise((resolve) => {
    const fail = (error: unknown) => {
      if (out.failure !== null) return;
      const timedOut = error instanceof Error && error.message === TIMED_OUT;
      out.failure = whyNot(error, deps.upstream.base, deps.timeoutMs, timedOut);
      upstream.destroy();
      if (!res.headersSent) {
        out.appStatus = timedOut ? 504 : 502;
        const body = `${JSON.stringify({ ok: false, error: `hook-catch could not get an answer from the provider: ${out.failure}` })}\n`;
        res.writeHead(out.appStatus, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      } else res.destroy();
      resolve(out);
    };
    upstream.setTimeout(deps.timeoutMs, () => upstream.destroy(new Error(TIMED_OUT)));
    upstream.on('error', fail);
    upstream.on('response', (answer) => {
      out.appStatus = answer.statusCode ?? 502;
      out.answered = { status: out.appStatus, statusText: answer.statusMessage ?? '', headers: pairs(answer.rawHeaders) };
      res.writeHead(out.appStatus, answer.statusMessage, answerHeaders(answer));
      answer.on('data', (chunk: Buffer) => {
        answerTap.push(chunk);
        if (!res.write(chunk)) {
          answer.pause();
          res.once('drain', () => answer.resume());
        }
      });
      answer.on('error', fail);
      answer.on('end', () => resolve(out));
    });
    // The app went away before the answer: the provider's call is cut too.
    res.on('close', () => {
      if (res.writableFinished || out.failure !== null) return;
      out.failure = 'the app closed the connection before the answer came';
      upstream.destroy();
      resolve(out);
    });
  });
}

const TIMED_OUT = 'hook-catch: the provider did not answer in time';

/** Why the provider gave no answer, in words about the provider (send.ts words them for the user's app). */
function whyNot(error: unknown, base: URL, timeoutMs: number, timedOut: boolean): string {
  if (timedOut) return `${base.origin} did not answer within ${formatDuration(timeoutMs)}.`;
  if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') return `${base.origin} refused the connection: check the --provider URL.`;
  return explain(error, base, timeoutMs).error;
}

interface Outcome {
  startedAt: number;
  latencyMs: number;
  appStatus: number;
  failure: string | null;
  answered: Answered | null;
  answerTap: BodyTap;
  rewrite: Rewrite | null;
}

/** The call as a capture: the app's request as it sent it, what the app got, and the provider's answer. */
function callRecord(req: IncomingMessage, target: string, contentType: string | null, tap: BodyTap, o: Outcome, deps: ProxyDeps): CapturedRequest {
  const { path, query } = splitTarget(target);
  const body = tap.bytes();
  const call: CapturedRequest = {
    id: deps.nextId(),
    receivedAt: new Date(o.startedAt).toISOString(),
    method: req.method ?? 'GET',
    url: target,
    path,
    query,
    httpVersion: req.httpVersion,
    headers: pairs(req.rawHeaders),
    remoteAddress: req.socket.remoteAddress ?? null,
    contentType,
    bodySize: tap.size,
    bodyDiscarded: tap.overflow,
    response: { status: o.appStatus },
    outbound: { provider: deps.upstream.href, role: 'call', latencyMs: o.latencyMs },
    body,
  };
  if (o.failure) call.outbound!.error = o.failure;
  if (tap.overflow) {
    call.outbound!.bodySha256 = tap.sha256();
    const parts = tap.multipart();
    if (parts) call.outbound!.parts = parts;
  }
  if (o.answered && !o.failure) {
    const kept = o.answerTap.overflow ? Buffer.alloc(0) : o.answerTap.bytes();
    call.answer = { ...o.answered, bodySize: o.answerTap.size, truncated: o.answerTap.overflow, ...encodeBody(kept) };
  }
  classify(call, o.rewrite, deps.jobs);
  return call;
}

function header(raw: string[], name: string): string | null {
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) return raw[i + 1]!;
  return null;
}
