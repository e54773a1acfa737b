import { createServer, type Server } from 'node:http';
import type { CapturedRequest } from '../capture/capture.js';
import type { JobIdRule } from '../jobs/extract.js';
import { createProxy } from './proxy.js';
import { Upstream } from './upstream.js';

export interface ProviderPortOptions {
  provider: URL;
  maxBody: number;
  maxHeaderSize: number;
  timeoutMs: number;
  /** `--rewrite-webhook-url`: the base URL given to the provider in place of a local webhook URL (null: off). */
  rewriteTo: (() => string) | null;
}

export interface ProviderPortDeps {
  keep: (call: CapturedRequest) => Promise<void>;
  nextId: () => string;
  now: () => number;
  knownJob: (id: string) => boolean;
  rules: JobIdRule[];
}

/** The provider port's server (not yet listening), and how to let go of its connections to the provider. */
export function createProviderPort(options: ProviderPortOptions, deps: ProviderPortDeps): { server: Server; upstream: Upstream } {
  const upstream = new Upstream(options.provider);
  const handle = createProxy({
    upstream,
    keep: deps.keep,
    nextId: deps.nextId,
    now: deps.now,
    maxBody: options.maxBody,
    timeoutMs: options.timeoutMs,
    jobs: { known: deps.knownJob, rules: deps.rules },
    rewriteTo: options.rewriteTo,
  });
  // A large upload may take long to arrive: only the provider's answer has a deadline.
  const server = createServer({ maxHeaderSize: options.maxHeaderSize, requestTimeout: 0 }, handle);
  return { server, upstream };
}
