import { resolve } from 'node:path';
import { type EventRule, parseEventRule } from './event-types/event-type.js';
import { DEFAULTS } from './defaults.js';
import { checkBasicAuth, checkPublicUrl } from './tunnel/url-checks.js';
import { HookCatchError } from './errors.js';
import { parseRule, type JobIdRule } from './jobs/extract.js';
import { openNgrokTunnel, type OpenTunnel } from './tunnel/ngrok.js';
import type { PublicUrlOptions } from './tunnel/public-url.js';
import type { ForwardMode } from './forward/forward.js';
import { parseProviderUrl, parseTarget } from './send/target.js';
import { checkRule } from './rules/check.js';
import type { RuleInput } from './rules/types.js';
import { checkVerify } from './signatures/verify-rules.js';
import { defaultMaxConnections } from './receiver/connection-cap.js';
import type { VerifyInput, VerifyRule } from './capture/signature.js';

import type { OutputMode } from './terminal/reporter.js';

export type { OutputMode };

export interface HookCatchOptions {
  /** Receiver port; every method and path on it is captured. `0` picks any free port. Default `8080`. */
  port?: number;
  /** Address the receiver binds to. Default `'127.0.0.1'`; `'0.0.0.0'` to accept from the network. */
  host?: string;
  /** Inspector (JSON API) port, always bound to 127.0.0.1. `0` picks any free port. Default `4040`. */
  inspectorPort?: number;
  /**
   * Folder holding the store and `instance.json`. Default: a new temporary folder, removed by
   * `close()` (so parallel test files never share one). The CLI's default is `.hook-catch`.
   */
  dir?: string;
  /** Largest body accepted, in bytes; larger gets 413 (the request is still logged, without its body). Default 10 MB (`10_000_000`). */
  maxBody?: number;
  /**
   * Largest request head (request line and headers) accepted, in bytes; larger is answered 431 and
   * kept as a refusal. Default 64 kB (`64_000`; node:http's own default is 16 KiB).
   */
  maxHeaderSize?: number;
  /** How many captured requests are kept; the oldest are dropped first. Default `10000`. */
  maxRequests?: number;
  /**
   * How long a request head may take to arrive whole; a connection still sending its head after
   * that is answered 408 and closed (a slow-loris sender). Default 10 s (`10_000`).
   */
  headersTimeoutMs?: number;
  /**
   * Receiver connections open at once. Past it, the one that has waited longest with no request in
   * progress is closed, never one being received or answered. Default: 90% of the process's
   * open-file limit less 64 (on Linux; elsewhere no cap), so that connections never starve the store.
   */
  maxConnections?: number;
  /**
   * Answer 2xx only once the request has reached the disk (survives power loss), not just the
   * operating system (survives a crash of hook-catch). Default `false`.
   */
  fsync?: boolean;
  /** Terminal output: banner and one line per request. Default `'none'`. */
  output?: OutputMode;
  /** Where terminal output goes. Default `process.stdout` / `process.stderr`. */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** How long `close()` lets requests in flight finish before cutting their connections. Default `1500` ms. */
  closeGraceMs?: number;

  /** Open a public ngrok URL to the receiver when an authtoken is found. Default `true`. */
  tunnel?: boolean;
  /** ngrok authtoken. Default: `NGROK_AUTHTOKEN`, then the ngrok agent's `ngrok.yml`. */
  authtoken?: string;
  /** A public URL you provide (your own tunnel or proxy): shown and used instead of ngrok. Default none. */
  publicUrl?: string;
  /** A reserved or static ngrok domain. Default: a random ngrok domain. */
  domain?: string;
  /** `user:pass` pairs the public URL asks for (ngrok basic auth). Default none. */
  basicAuth?: string[];
  /** CIDRs allowed / denied at the ngrok edge. Default: all allowed. */
  allowCidrs?: string[];
  denyCidrs?: string[];
  /** ngrok verifies each webhook's signature at its edge, e.g. `{ provider: 'github', secret }`. Default off. */
  verifyWebhook?: { provider: string; secret: string };
  /** How long to wait for the tunnel before going on local-only. Default `20000` ms. */
  tunnelTimeoutMs?: number;
  /** Fail start-up (exit 1) instead of going on local-only when no tunnel can be opened. Default `false`. */
  requireTunnel?: boolean;
  /** The ngrok service address, `host:port` (advanced: a self-hosted or test endpoint). Default ngrok's. */
  ngrokServerAddr?: string;
  /** Opens the tunnel (advanced: bring another tunnel). Default: the ngrok SDK. */
  openTunnel?: OpenTunnel;

  /**
   * Where job ids are, tried before the well-known keys: `body.response.request_id`,
   * `header.x-job-id`, `query.jobId`, `path.last`. Default none.
   */
  jobIdPaths?: string[];
  /**
   * Where your own provider names each webhook's event type, tried before what hook-catch knows:
   * `body.kind`, `header.x-acme-event`, `acme=body.resource+body.action` (a provider name first, parts
   * joined with `.`). Default none.
   */
  eventPaths?: string[];
  /** How long a registered job may wait for its webhook before it is expired. Default 7 days. */
  jobTtlMs?: number;
  /** Jobs kept; the ones idle longest are forgotten first. Default `5000`. */
  maxJobs?: number;
  /**
   * A live-stream (`/ws`) client whose unsent messages pass this many bytes is dropped with close
   * code 4001; it reconnects and resyncs. Default 1 MB (`1_000_000`).
   */
  streamBufferBytes?: number;
  /** The clock, in epoch milliseconds (advanced: tests of expiry). Default `Date.now`. */
  now?: () => number;

  /**
   * Send every capture on to your app at this URL (the captured path and query go below its
   * path), byte-exact, after it is stored. Default none.
   */
  forward?: string;
  /**
   * `'wait'`: the sender gets your app's answer (502 when it cannot be reached, 504 when it does
   * not answer in time). `'ack'`: the sender gets 200 at once and the forward runs in the
   * background. Default `'wait'`.
   */
  forwardMode?: ForwardMode;
  /** How long a forward waits for your app's answer. Default `10000` ms. */
  forwardTimeoutMs?: number;
  /** Accept a self-signed TLS certificate from an https forward target. Default `false`. */
  insecure?: boolean;
  /**
   * The provider's base URL (`https://api.example.com`): opens the provider port, a reverse proxy
   * the app uses as its API base URL. Each call goes to the provider as it came and is kept with its
   * answer; a submit whose answer names a job id registers the job. Default none.
   */
  provider?: string;
  /** The provider port (0 = any free port). Default `8081`. */
  providerPort?: number;
  /**
   * Replace a webhook URL the app gives in a submit that names its own machine
   * (`http://localhost:3000/hooks`) with hook-catch's public URL (or the receiver's, with no tunnel),
   * and forward each of that job's webhooks to the app's own URL. Default `false`.
   */
  rewriteWebhookUrl?: boolean;
  /** How long the provider port waits for the provider's answer (then the app gets 504). Default `120000` ms. */
  providerTimeoutMs?: number;
  /**
   * Response rules of this start: what the receiver answers instead of 200 (status, body, headers,
   * delay, fail-first, per path prefix). They replace the rules the previous start set; rules added
   * while running (API, page, `hook-catch rules add`) are kept in the store folder. Default none.
   */
  rules?: RuleInput[];
  /**
   * Check each capture's signature and record the verdict with it (valid, invalid and why, or
   * unchecked): a scheme (`'stripe'`, `'github'`, `'standard-webhooks'`, `'svix'`, `'slack'`,
   * `'shopify'`, `'twilio'`, `'paddle'`, `'hmac-sha256'`, `'hmac-sha1'`; `'auto'` finds it from the headers), its
   * secret, optionally a path prefix. Several secrets for one path are all tried. Secrets are never
   * stored or printed. Nothing is refused for a bad signature. Default none.
   */
  verify?: VerifyInput[];
  /**
   * Check each capture's body against your spec once it is stored and answered, and keep the verdict
   * with it (valid, invalid with the first errors as JSON paths, or unchecked and why): an OpenAPI
   * 3.1 file with a `webhooks` section, the output of `hook-catch types --lang json-schema`, one
   * JSON Schema for every capture, or a folder of JSON Schemas named after their event types
   * (`issues.opened.json`); JSON or YAML. Read at start: a file that cannot be used fails it. Default none.
   */
  schema?: string;
}

export interface ResolvedOptions extends PublicUrlOptions {
  port: number;
  host: string;
  inspectorPort: number;
  inspectorHost: string;
  dir: string;
  maxBody: number;
  maxHeaderSize: number;
  maxRequests: number;
  fsync: boolean;
  output: OutputMode;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  closeGraceMs: number;
  jobIdRules: JobIdRule[];
  eventRules: EventRule[];
  jobTtlMs: number;
  maxJobs: number;
  headersTimeoutMs: number;
  /** Null: no cap (the open-file limit could not be read). */
  maxConnections: number | null;
  streamBufferBytes: number;
  now: () => number;
  forward: URL | null;
  forwardMode: ForwardMode;
  forwardTimeoutMs: number;
  insecure: boolean;
  provider: URL | null;
  providerPort: number;
  rewriteWebhookUrl: boolean;
  providerTimeoutMs: number;
  rules: RuleInput[];
  verify: VerifyRule[];
  /** The spec file or folder as given (read by start()). */
  schema: string | null;
}

export { DEFAULTS } from './defaults.js';

/**
 * Checks every option and fills in its default. Messages name the option as the library knows it
 * (`maxBody`); the CLI checks its flags before this, with the same checks, under the flag's name.
 */
export function resolveOptions(options: HookCatchOptions = {}): ResolvedOptions {
  return {
    port: checkPort(options.port ?? DEFAULTS.port, 'port'),
    host: options.host ?? DEFAULTS.host,
    inspectorPort: checkPort(options.inspectorPort ?? DEFAULTS.inspectorPort, 'inspectorPort'),
    inspectorHost: '127.0.0.1',
    dir: resolve(options.dir ?? DEFAULTS.dir),
    maxBody: checkCount(options.maxBody ?? DEFAULTS.maxBody, 'maxBody', 0),
    maxHeaderSize: checkCount(options.maxHeaderSize ?? DEFAULTS.maxHeaderSize, 'maxHeaderSize', 1),
    maxRequests: checkCount(options.maxRequests ?? DEFAULTS.maxRequests, 'maxRequests', 1),
    headersTimeoutMs: checkCount(options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs, 'headersTimeoutMs', 1),
    maxConnections: options.maxConnections === undefined ? defaultMaxConnections() : checkCount(options.maxConnections, 'maxConnections', 1),
    fsync: options.fsync ?? false,
    output: options.output ?? 'none',
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    closeGraceMs: checkCount(options.closeGraceMs ?? DEFAULTS.closeGraceMs, 'closeGraceMs', 0),
    tunnel: options.tunnel ?? true,
    authtoken: options.authtoken || undefined,
    publicUrl: options.publicUrl ? checkPublicUrl(options.publicUrl, 'publicUrl') : null,
    domain: options.domain || undefined,
    basicAuth: (options.basicAuth ?? []).map((pair) => checkBasicAuth(pair, 'basicAuth')),
    allowCidrs: options.allowCidrs ?? [],
    denyCidrs: options.denyCidrs ?? [],
    verifyWebhook: options.verifyWebhook && checkVerifyWebhook(options.verifyWebhook),
    tunnelTimeoutMs: checkCount(options.tunnelTimeoutMs ?? DEFAULTS.tunnelTimeoutMs, 'tunnelTimeoutMs', 1),
    requireTunnel: options.requireTunnel ?? false,
    ngrokServerAddr: options.ngrokServerAddr || undefined,
    openTunnel: options.openTunnel ?? openNgrokTunnel,
    jobIdRules: (options.jobIdPaths ?? []).map((rule) => parseRule(rule, 'jobIdPaths')),
    eventRules: (options.eventPaths ?? []).map((rule) => parseEventRule(rule, 'eventPaths')),
    jobTtlMs: checkCount(options.jobTtlMs ?? DEFAULTS.jobTtlMs, 'jobTtlMs', 1),
    maxJobs: checkCount(options.maxJobs ?? DEFAULTS.maxJobs, 'maxJobs', 1),
    streamBufferBytes: checkCount(options.streamBufferBytes ?? DEFAULTS.streamBufferBytes, 'streamBufferBytes', 1),
    now: options.now ?? Date.now,
    forward: options.forward ? parseTarget(options.forward, 'forward') : null,
    forwardMode: checkForwardMode(options.forwardMode ?? 'wait'),
    forwardTimeoutMs: checkCount(options.forwardTimeoutMs ?? DEFAULTS.sendTimeoutMs, 'forwardTimeoutMs', 1),
    insecure: options.insecure ?? false,
    provider: options.provider ? parseProviderUrl(options.provider, 'provider') : null,
    providerPort: checkPort(options.providerPort ?? DEFAULTS.providerPort, 'providerPort'),
    rewriteWebhookUrl: checkRewrite(options),
    providerTimeoutMs: checkCount(options.providerTimeoutMs ?? DEFAULTS.providerTimeoutMs, 'providerTimeoutMs', 1),
    rules: (options.rules ?? []).map(checkRule),
    verify: (options.verify ?? []).map(checkVerify),
    schema: options.schema || null,
  };
}

function checkRewrite(options: HookCatchOptions): boolean {
  if (options.rewriteWebhookUrl && !options.provider) {
    throw new HookCatchError(
      'rewriteWebhookUrl (--rewrite-webhook-url) rewrites submits made through the provider port: give provider (--provider <url>) too.',
    );
  }
  return options.rewriteWebhookUrl ?? false;
}

function checkForwardMode(mode: string): ForwardMode {
  if (mode !== 'wait' && mode !== 'ack') throw new HookCatchError(`forwardMode is 'wait' or 'ack'; got "${mode}".`);
  return mode;
}

function checkVerifyWebhook(verify: { provider: string; secret: string }) {
  if (!verify.provider || !verify.secret) throw new HookCatchError('verifyWebhook needs both a provider and a secret.');
  return verify;
}

function checkPort(port: number, name: string): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new HookCatchError(`${name} must be a port number from 0 to 65535 (0 picks any free port); got ${port}.`);
  }
  return port;
}

function checkCount(value: number, name: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new HookCatchError(`${name} must be a whole number of at least ${min}; got ${value}.`);
  }
  return value;
}
