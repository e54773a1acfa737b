import { createServer, type Server } from 'node:http';
import { describe, HookCatchError } from './errors.js';
import { createEvents, type HookCatchEvents } from './events.js';
import { createIdGenerator } from './receiver/ids.js';
import { createInspector } from './inspector/app.js';
import { listen, urlFor } from './servers.js';
import { resolveOptions, type HookCatchOptions } from './options.js';
import { openJobs, type Jobs } from './jobs/service.js';
import type { ExpectOptions } from './jobs/registry.js';
import type { Job } from './jobs/types.js';
import type { WaitOptions, WaitResult } from './jobs/wait.js';
import { openPublicUrl, type PublicState } from './tunnel/public-url.js';
import { createReceiver } from './receiver/receiver.js';
import { ensurePrivateDir } from './store/files.js';
import { claimInstance, publishInstance, releaseInstance, type InstanceInfo } from './store/instance-file.js';
import { RequestLog } from './store/request-log.js';
import { createReporter } from './terminal/reporter.js';
import type { Tunnel } from './tunnel/ngrok.js';
import { VERSION } from './version.js';

export interface HookCatch {
  /** Base URL of the receiver, e.g. `http://127.0.0.1:8080`. */
  receiverUrl: string;
  /** The URL to give providers: `<receiverUrl>/webhook` (any other path is captured too). */
  webhookUrl: string;
  /** Base URL of the inspector and its `/api`. */
  inspectorUrl: string;
  /** The public base URL (ngrok's, or `publicUrl`); null when local-only. */
  publicUrl: string | null;
  /** `<publicUrl>/webhook`, or null when local-only. */
  publicWebhookUrl: string | null;
  /** The tunnel as it is now: how it was opened, connected or not, why it failed. */
  tunnel: PublicState;
  receiverPort: number;
  inspectorPort: number;
  /** The store folder (absolute). */
  dir: string;
  /** Problems found and mended while opening the store. */
  warnings: string[];
  /** The stored requests (read, list, delete). */
  store: RequestLog;
  events: HookCatchEvents;
  /** Registers a job: "I just submitted it; tell me when its webhook lands". */
  expect(jobId: string, options?: ExpectOptions): Promise<Job>;
  /** Resolves when the job completes or fails (or with `any`, on any delivery), or on timeout. */
  waitFor(jobId: string, options: WaitOptions): Promise<WaitResult>;
  /** The jobs as they stand now. */
  jobs: Jobs['registry'];
  /** Stops accepting, lets in-flight requests finish, writes what is pending. Idempotent. */
  close(): Promise<void>;
}

/** Starts a receiver, an inspector and the store behind them; the only place that knows all the parts. */
export async function start(input: HookCatchOptions = {}): Promise<HookCatch> {
  const options = resolveOptions(input);
  const { dir } = options;
  const reporter = createReporter(options.output, options.stdout, options.stderr);
  try {
    await ensurePrivateDir(dir);
  } catch (error) {
    throw new HookCatchError(`Cannot use ${dir} as the store folder: ${describe(error)}. Choose another with --dir.`);
  }
  await claimInstance(dir);
  const releaseOnExit = () => releaseInstance(dir);
  process.once('exit', releaseOnExit);

  const servers: Server[] = [];
  let log: RequestLog | undefined;
  let tunnel: Tunnel | null = null;
  let jobs: Jobs | undefined;
  try {
    let warnings: string[];
    try {
      ({ log, warnings } = await RequestLog.open(dir, { maxRequests: options.maxRequests, fsync: options.fsync }));
    } catch (error) {
      throw new HookCatchError(`Cannot read the store in ${dir}: ${describe(error)}.`);
    }
    const store = log;
    try {
      jobs = await openJobs({ dir, store, rules: options.jobIdRules, now: options.now, ttlMs: options.jobTtlMs, maxJobs: options.maxJobs });
    } catch (error) {
      throw new HookCatchError(`Cannot read the jobs in ${dir}: ${describe(error)}.`);
    }
    const jobService = jobs;
    warnings.push(...jobs.warnings);
    for (const warning of warnings) reporter.warning(warning);

    const events = createEvents();
    const startedAt = new Date();
    let captured = 0;
    const receiver = createReceiver({
      append: (request) => store.append(request),
      maxBody: options.maxBody,
      maxHeaderSize: options.maxHeaderSize,
      nextId: createIdGenerator(Date.now, store.lastId),
      onCaptured: (request, latencyMs) => {
        captured++;
        const correlation = jobService.record(request);
        reporter.request(request, latencyMs, correlation);
        events.emit('request', request, latencyMs);
        if (correlation) events.emit('job', correlation.job, correlation.delivery);
      },
      onStoreFailed: (request, error) => reporter.storeFailed(request, error),
    });
    // Every request is captured: one without a Host header too (node:http would answer it 400 unseen).
    const receiverServer = createServer({ maxHeaderSize: options.maxHeaderSize, requireHostHeader: false }, receiver.handle);
    receiver.attach(receiverServer);
    servers.push(receiverServer);

    let inspectorPort = 0;
    let info: InstanceInfo | undefined;
    let publicState: PublicState | undefined;
    const inspectorServer = createServer(
      createInspector({
        log: store,
        jobs: jobService,
        port: () => inspectorPort,
        status: () => ({
          ...info,
          tunnel: publicState,
          uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
          requests: { stored: store.count, capturedSinceStart: captured, maxRequests: options.maxRequests },
          maxBody: options.maxBody,
          maxHeaderSize: options.maxHeaderSize,
          fsync: options.fsync,
        }),
      }),
    );
    servers.push(inspectorServer);

    const receiverPort = await listen(receiverServer, options.port, options.host, 'receiver', '--port');
    inspectorPort = await listen(inspectorServer, options.inspectorPort, options.inspectorHost, 'inspector', '--inspector-port');
    const receiverUrl = urlFor(options.host, receiverPort);
    const opened = await openPublicUrl(options, { host: options.host, port: receiverPort }, reporter.progress, (status) => {
      reporter.tunnel(status, publicState?.url ?? null);
      events.emit('tunnel', status, publicState?.url ?? null);
    });
    ({ tunnel, state: publicState } = opened);
    if (opened.notice) (opened.failed ? reporter.warning : reporter.notice)(opened.notice);
    const publicUrl = publicState.url;
    info = {
      pid: process.pid,
      version: VERSION,
      startedAt: startedAt.toISOString(),
      dir,
      receiverUrl,
      webhookUrl: `${receiverUrl}/webhook`,
      inspectorUrl: urlFor(options.inspectorHost, inspectorPort),
      publicUrl,
      publicWebhookUrl: publicUrl && `${publicUrl}/webhook`,
      receiverPort,
      inspectorPort,
    };
    await publishInstance(dir, info);
    reporter.ready({ ...info, tunnel: publicState, stored: store.count, maxRequests: options.maxRequests });

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await tunnel?.close();
        await stopServers(servers, options.closeGraceMs);
        await jobService.close();
        await store.close();
        releaseInstance(dir);
        process.off('exit', releaseOnExit);
      })());

    return {
      ...info,
      tunnel: publicState,
      warnings,
      store,
      events,
      expect: jobService.expect,
      waitFor: jobService.waitFor,
      jobs: jobService.registry,
      close,
    };
  } catch (error) {
    await tunnel?.close();
    await stopServers(servers, 0);
    await jobs?.close();
    await log?.close();
    releaseInstance(dir);
    process.off('exit', releaseOnExit);
    throw error;
  }
}

/** Stops accepting; requests in flight get `graceMs` to finish before their connections are cut. */
async function stopServers(servers: Server[], graceMs: number): Promise<void> {
  const listening = servers.filter((s) => s.listening);
  const stopped = listening.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
  for (const server of listening) server.closeIdleConnections();
  const force = setTimeout(() => {
    for (const server of listening) server.closeAllConnections();
  }, graceMs);
  await Promise.all(stopped);
  clearTimeout(force);
}
