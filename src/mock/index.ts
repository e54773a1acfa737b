import { DEFAULTS } from '../defaults.js';
import { HookCatchError } from '../errors.js';
import { parseTarget } from '../send/target.js';
import { listen, urlFor } from '../servers.js';
import { checkVerify } from '../signatures/verify-rules.js';
import { loadScenarios } from './load.js';
import { planOf } from './plan.js';
import { Playback } from './playback.js';
import { mockServer } from './server.js';
import type { MockEvent, MockOptions, MockSummary } from './types.js';
import { checkResign } from './webhook.js';

export type * from './types.js';

export interface MockProvider {
  url: string;
  port: number;
  /** What was played so far. */
  summary(): MockSummary;
  /** Resolves once a job was submitted and every submitted job's webhooks were acknowledged or given up (or at close). */
  done(): Promise<MockSummary>;
  /** Calls `listener` with every event; returns what stops it. */
  onEvent(listener: (event: MockEvent) => void): () => void;
  /** Stops serving and cancels every webhook and retry still to come (idempotent). */
  close(): Promise<void>;
}

/**
 * The provider double: serves an async API from scenario files alone, offline. A submit that
 * matches a recording gets its answer with a fresh job id; its webhooks follow at the recorded
 * offsets (scaled by `speed`), its polls are answered on the same timeline. See docs/provider-double.md.
 */
export async function mockProvider(options: MockOptions): Promise<MockProvider> {
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new HookCatchError('speed is how many times faster than recorded to play: a number above 0 (Infinity: instant).');
  if (options.retries !== undefined && !(Number.isInteger(options.retries) && options.retries >= 1))
    throw new HookCatchError('retries is the number of attempts per webhook in all: a whole number of at least 1.');
  const resign = options.resign && checkVerify(options.resign);
  const plans = (await loadScenarios(options.scenarios)).map(planOf);
  // Every webhook can be signed again before anything is served: else one line now, not a failure mid-run.
  for (const plan of resign ? plans : []) await checkResign(plan, resign!);
  const playback = new Playback(plans, {
    speed,
    retries: options.retries,
    backoffMs: options.backoffMs,
    resign,
    timeoutMs: options.timeoutMs ?? DEFAULTS.sendTimeoutMs,
    webhookUrl: options.webhookUrl === undefined ? undefined : parseTarget(options.webhookUrl, '--webhook-url'),
  });
  const server = mockServer(playback);
  const host = options.host ?? DEFAULTS.host;
  const port = await listen(server, options.port ?? DEFAULTS.mockPort, host, 'provider double', '--port');
  let closing: Promise<void> | undefined;
  return {
    url: urlFor(host, port),
    port,
    summary: () => playback.summary(),
    done: () => playback.done(),
    onEvent: (listener) => playback.onEvent(listener),
    close() {
      closing ??= new Promise<void>((resolve) => {
        playback.stopAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
