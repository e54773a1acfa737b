import { Chalk, supportsColor, type ChalkInstance } from 'chalk';
import { summarize, type CapturedRequest, type RequestSummary } from '../receiver/capture.js';
import { describe } from '../errors.js';
import { formatBytes, formatTime } from '../units.js';
import { shortId } from '../receiver/ids.js';
import type { Correlation } from '../jobs/registry.js';
import type { OutputMode } from '../options.js';
import type { PublicState } from '../tunnel/public-url.js';
import type { TunnelStatus } from '../tunnel/ngrok.js';

export interface ReadyInfo {
  version: string;
  webhookUrl: string;
  receiverUrl: string;
  inspectorUrl: string;
  publicUrl: string | null;
  /** `<publicUrl>/webhook`: what to paste into a provider's `webhook=` parameter. */
  publicWebhookUrl: string | null;
  tunnel: PublicState;
  dir: string;
  stored: number;
  maxRequests: number;
  pid: number;
}

/** What the terminal shows: a banner, one line per request, warnings. One object per output mode. */
export interface Reporter {
  /** Something is under way (pretty mode only), e.g. opening the tunnel. */
  progress(text: string): void;
  ready(info: ReadyInfo): void;
  request(request: CapturedRequest, latencyMs: number, correlation: Correlation | null): void;
  storeFailed(request: CapturedRequest, error: unknown): void;
  tunnel(status: TunnelStatus, publicUrl: string | null): void;
  /** Information a user may act on (hidden by --quiet). */
  notice(text: string): void;
  warning(text: string): void;
}

export function createReporter(mode: OutputMode, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Reporter {
  const c = chalkFor(stdout);
  const e = chalkFor(stderr);
  const out = (line: string) => stdout.write(line + '\n');
  const err = (line: string) => stderr.write(line + '\n');
  const warning = (text: string) => err(e.yellow(`hook-catch: warning: ${text}`));
  const storeFailed = (request: CapturedRequest, error: unknown) =>
    err(e.red(`hook-catch: could not store ${request.method} ${request.url}; answered 503 so the sender retries: ${describe(error)}`));

  const notice = (text: string) => err(`hook-catch: ${text}`);
  const tunnelLine = (status: TunnelStatus, url: string | null) =>
    status === 'closed'
      ? err(e.yellow('hook-catch: the ngrok tunnel dropped; ngrok is reconnecting (webhooks to the public URL fail meanwhile).'))
      : err(e.green(`hook-catch: the ngrok tunnel is back: ${url ?? ''}`));
  const nothing = () => {};

  switch (mode) {
    case 'none':
      return { progress: nothing, ready: nothing, request: nothing, storeFailed: nothing, tunnel: nothing, notice: nothing, warning: nothing };
    case 'quiet':
      return { progress: nothing, ready: nothing, request: nothing, storeFailed, tunnel: tunnelLine, notice: nothing, warning };
    case 'json':
      return {
        progress: nothing,
        notice,
        tunnel: (status, publicUrl) => out(JSON.stringify({ type: 'tunnel', status, publicUrl })),
        ready: (info) => out(JSON.stringify({ type: 'ready', ...info })),
        request: (request, latencyMs, correlation) =>
          out(
            JSON.stringify({
              type: 'request',
              ...summarize(request),
              latencyMs: Math.round(latencyMs * 100) / 100,
              job: correlation && {
                id: correlation.job.id,
                jobStatus: correlation.job.status,
                deliveryStatus: correlation.delivery.status,
                statusWord: correlation.delivery.statusWord,
                matchedBy: correlation.delivery.matchedBy,
                attempt: correlation.delivery.attempt,
                duplicate: correlation.delivery.duplicate,
              },
            }),
          ),
        storeFailed: (request, error) =>
          out(JSON.stringify({ type: 'store-failed', ...summarize(request), error: describe(error) })),
        warning,
      };
    case 'pretty':
      return {
        progress: (text) => err(e.dim(`hook-catch: ${text}`)),
        notice,
        tunnel: tunnelLine,
        ready: (info) => out(banner(info, c)),
        request: (request, _latency, correlation) => out(requestLine(summarize(request), c) + jobNote(correlation, c)),
        storeFailed,
        warning,
      };
  }
}

function banner(info: ReadyInfo, c: ChalkInstance): string {
  const row = (label: string, value: string, note = '') => `  ${c.bold(label.padEnd(10))}${value}${note ? c.dim(`  ${note}`) : ''}`;
  return [
    '',
    `  ${c.bold.cyan('hook-catch')} ${c.dim(info.version)}`,
    '',
    ...(info.publicWebhookUrl
      ? [
          row('Public', c.green.bold(info.publicWebhookUrl), publicNote(info.tunnel)),
          row('Local', c.green(info.webhookUrl), 'any method and path is captured'),
        ]
      : [row('Webhook', c.green(info.webhookUrl), 'any method and path is captured; local only')]),
    row('Inspector', c.cyan(info.inspectorUrl), 'JSON API: /api/requests, /api/status'),
    row('Store', info.dir, `${info.stored.toLocaleString('en-US')} kept, up to ${info.maxRequests.toLocaleString('en-US')}`),
    '',
    c.dim('  Waiting for webhooks. Ctrl-C to stop.'),
    '',
  ].join('\n');
}

/** `  job a9199e4e completed`, `  job t-1 retry #2 (duplicate)` */
function jobNote(correlation: Correlation | null, c: ChalkInstance): string {
  if (!correlation) return '';
  const { job, delivery } = correlation;
  const id = job.id.length > 24 ? `${job.id.slice(0, 23)}…` : job.id;
  const color = job.status === 'completed' ? c.green : job.status === 'failed' ? c.red : c.yellow;
  const state = delivery.duplicate ? c.magenta(`retry #${delivery.attempt} (duplicate)`) : color(job.status.replace('_', ' '));
  return `  ${c.bold(`job ${id}`)} ${state}${job.source === 'webhook' ? c.dim(' (not expected)') : ''}`;
}

function publicNote(tunnel: PublicState): string {
  if (tunnel.via === 'public-url') return 'your own (--public-url)';
  const source = tunnel.tokenSource?.includes('ngrok.yml') ? `the ngrok config ${tunnel.tokenSource}` : tunnel.tokenSource;
  return `ngrok, authtoken from ${source}`;
}

const METHOD_COLORS: Record<string, 'green' | 'blue' | 'yellow' | 'red' | 'magenta'> = {
  POST: 'green',
  GET: 'blue',
  PUT: 'yellow',
  PATCH: 'yellow',
  DELETE: 'red',
};

/**
 * `12:04:05  POST    /webhook  200  1.2 KB  application/json  7hz2kq`, and for a request node:http
 * refused: `12:04:06  FOO     /webhook  501  34 B  -  k2m9xq  refused: unknown HTTP method FOO`
 */
export function requestLine(request: RequestSummary, c: ChalkInstance, withDate = false): string {
  const time = formatTime(request.receivedAt, withDate);
  const method = c[METHOD_COLORS[request.method] ?? 'magenta'](request.method.padEnd(7));
  const status = request.status;
  const statusText = status < 300 ? c.green(String(status)) : status < 500 ? c.yellow(String(status)) : c.red(String(status));
  const url = (request.url.length > 60 ? `${request.url.slice(0, 59)}…` : request.url).padEnd(20);
  const size = request.bodyDiscarded ? c.yellow(`${formatBytes(request.bodySize)} refused (--max-body)`) : formatBytes(request.bodySize);
  const type = request.contentType ? request.contentType.split(';')[0]! : '-';
  const refused = request.refusal ? `  ${c.yellow.bold(`refused: ${request.refusal.reason}`)}` : '';
  return `${c.dim(time)}  ${method} ${url}  ${statusText}  ${size}  ${c.dim(type)}  ${c.dim(shortId(request.id))}${refused}`;
}

export function chalkFor(stream: NodeJS.WritableStream): ChalkInstance {
  const env = process.env;
  if ('NO_COLOR' in env) return new Chalk({ level: 0 });
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  const level = supportsColor ? supportsColor.level : 0;
  return new Chalk({ level: tty || env.FORCE_COLOR ? level || 1 : 0 });
}
