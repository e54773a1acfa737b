import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { HookCatchError, StoreWriteError } from './errors.js';
import { createEvents, type HookCatchEvents } from './events.js';
import { Forwarder } from './forward/forward.js';
import { settleOwedForwards } from './forward/owed.js';
import { forwardWarner } from './forward/forward-warning.js';
import { loopReason, type OwnAddresses } from './send/target.js';
import type { ReplayRecord } from './capture/records.js';
import type { CapturedRequest } from './capture/capture.js';
import { RuleSet } from './rules/rule-set.js';
import { describeVerify } from './signatures/verify-rules.js';
import { createVerifier, type Verifier } from './signatures/verifier.js';
import { Poller } from './poll/poller.js';
import { DEFAULTS } from './defaults.js';
import { createTestKit, type TestKit } from './test-kit.js';
import { openRulesFile } from './store/rules-file.js';
import { createInspector } from './inspector/app.js';
import { createStream } from './inspector/stream.js';
import { openJobs, type ExpectOptions, type Jobs, type JobsView } from './jobs/service.js';
import type { Job } from './jobs/types.js';
import type { WaitOptions, WaitResult } from './jobs/wait.js';
import { resolveOptions, type HookCatchOptions, type OutputMode, type ResolvedOptions } from './options.js';
import { createIdGenerator } from './capture/ids.js';
import { createReceiver } from './receiver/receiver.js';
import { Drain, listen, urlFor } from './servers.js';
import { ensurePrivateDir, exposureWarning, removeStaleTemps, storeProblem } from './store/files.js';
import { claimInstance, publishInstance, releaseInstance, type InstanceInfo } from './store/instance-file.js';
import { RequestLog } from './store/request-log.js';
import { Teardown } from './teardown.js';
import { createReporter, type Reporter } from './terminal/reporter.js';
import { ConnectionCap, shedReporter } from './receiver/connection-cap.js';
import { openPublicUrl, type PublicState } from './tunnel/public-url.js';
import { VERSION } from './version.js';
import type { Status } from './wire/status.js';

export interface HookCatch extends TestKit {
  /** Base URL of the receiver, e.g. `http://127.0.0.1:8080`. */
  receiverUrl: string;
  /** The URL to give providers: `<receiverUrl>/webhook` (any other path is captured too). */
  webhookUrl: string;
  /** Base URL of the inspector and its `/api`. */
  inspectorUrl: string;
  /** The live stream, `ws://…/ws` (add `?after=<request id>` to get what was missed first). */
  streamUrl: string;
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
  /** Registers a job: "I just submitted it; tell me when its webhook lands". Resolves once it is saved. */
  expect(jobId: string, options?: ExpectOptions): Promise<Job>;
  /** Resolves when the job completes or fails (or with `any`, on any delivery), or on timeout. */
  waitFor(jobId: string, options: WaitOptions): Promise<WaitResult>;
  /** The jobs as they stand now, to read (copies: changing them changes nothing). */
  jobs: JobsView;
  /** The response rules in force: list, add, remove (kept in the store folder). */
  rules: RuleSet;
  /** Stops accepting, lets requests in flight finish, writes what is pending. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a receiver, an inspector and the store behind them; the only place that knows all the
 * parts. Without `dir`, the store is a new temporary folder, removed by `close()`.
 */
export async function start(input: HookCatchOptions = {}): Promise<HookCatch> {
  const teardown = new Teardown();
  const temporary = input.dir === undefined ? await mkdtemp(join(tmpdir(), 'hook-catch-')) : null;
  if (temporary) teardown.add(() => rm(temporary, { recursive: true, force: true })); // last: after the store is closed
  let options: ResolvedOptions;
  try {
    options = resolveOptions({ ...input, dir: input.dir ?? temporary! });
  } catch (error) {
    await teardown.run(); // the temporary folder made for a start that never began
    throw error;
  }
  const reporter = createReporter(options.output, options.stdout, options.stderr);
  try {
    const events = createEvents();
    const { store, jobs, rules, warnings } = await openStore(options, events, teardown);
    for (const warning of warnings) reporter.warning(warning);
    wireEvents(events, store, jobs, reporter, options.output);
    let publicUrl: () => string | null = () => null;
    const verifier = createVerifier(options.verify, () => publicUrl());
    // One id generator for everything stored (received, imported, polled): ids only go up in a store.
    const nextId = createIdGenerator(Date.now, store.lastId);
    jobs.startPolling(createPoller(options, { store, jobs, events, nextId }));
    const running = await serve(options, { store, jobs, rules, events, verifier, nextId }, reporter, teardown);
    publicUrl = () => running.publicState.url;
    const own = () => ({ ports: [running.info.receiverPort, running.info.inspectorPort], publicUrl: running.publicState.url });
    return {
      ...createTestKit({ store, events, matchOf: (id) => jobs.registry.matchOf(id), own, verifyRules: verifier.rules }),
      ...running.info,
      streamUrl: `${running.info.inspectorUrl.replace(/^http/, 'ws')}/ws`,
      tunnel: running.publicState,
      warnings,
      store,
      events,
      expect: jobs.expect,
      waitFor: jobs.waitFor,
      jobs: jobs.view,
      rules,
      close: () => teardown.run(),
    };
  } catch (error) {
    await teardown.run().catch(() => undefined);
    throw error;
  }
}

/** The store folder, claimed for this process; the request log; the jobs derived from it; the response rules. */
async function openStore(options: ResolvedOptions, events: HookCatchEvents, teardown: Teardown) {
  const { dir } = options;
  const cannot = (what: string) => (error: unknown) => {
    const said = error instanceof HookCatchError && !(error instanceof StoreWriteError);
    throw said ? error : new HookCatchError(`Cannot ${what}: ${storeProblem(error, dir)}.`);
  };
  const created = await ensurePrivateDir(dir).catch(cannot(`use ${dir} as the store folder`));
  const warnings: string[] = [];
  const exposed = created ? null : await exposureWarning(dir);
  if (exposed) warnings.push(exposed);
  await claimInstance(dir).catch(cannot(`start on ${dir}`));
  const releaseOnExit = () => releaseInstance(dir);
  process.once('exit', releaseOnExit);
  teardown.add(() => {
    releaseInstance(dir);
    process.off('exit', releaseOnExit);
  });
  await removeStaleTemps(dir);
  const opened = await RequestLog.open(dir, { maxRequests: options.maxRequests, fsync: options.fsync }).catch(cannot(`read the store in ${dir}`));
  teardown.add(() => opened.log.close());
  const jobs = await openJobs({
    dir,
    store: opened.log,
    rules: options.jobIdRules,
    ruleTexts: options.jobIdRules.map((r) => r.text),
    now: options.now,
    ttlMs: options.jobTtlMs,
    maxJobs: options.maxJobs,
    fsync: options.fsync,
  }).catch(cannot(`read the jobs in ${dir}`));
  teardown.add(() => jobs.close());
  const saved = await openRulesFile(dir, options.fsync).catch(cannot(`read the response rules in ${dir}`));
  const rules = new RuleSet(saved.rules, {
    save: saved.save,
    jobIdOf: (request) => jobs.registry.jobIdOf(request),
    onChange: (list) => events.emit('rules', list),
  });
  await rules.replaceStartRules(options.rules).catch(cannot(`save the response rules in ${dir}`));
  return { store: opened.log, jobs, rules, warnings: [...warnings, ...opened.warnings, ...jobs.warnings, ...saved.warnings, ...rules.warnings] };
}

/** What serve() puts behind the servers. */
interface Parts {
  store: RequestLog;
  jobs: Jobs;
  rules: RuleSet;
  events: HookCatchEvents;
  verifier: Verifier;
  nextId: () => string;
}

/** `expect --poll`: each changed answer of a job's status endpoint is stored, then announced like a capture. */
function createPoller(options: ResolvedOptions, { store, jobs, events, nextId }: Pick<Parts, 'store' | 'jobs' | 'events' | 'nextId'>): Poller {
  return new Poller({
    registry: jobs.registry,
    keep: async (answer) => {
      await store.append(answer);
      events.emit('request', answer, 0);
    },
    nextId,
    now: options.now,
    maxBody: options.maxBody,
    timeoutMs: DEFAULTS.sendTimeoutMs,
  });
}

/** What status and the banner say of `--verify`: schemes and paths, never a secret. */
function verifyList(verifier: Verifier) {
  return verifier.rules.map((rule) => ({ scheme: rule.scheme, path: rule.path, header: rule.header, toleranceSeconds: rule.toleranceSeconds, text: describeVerify(rule) }));
}

/** One way: stored requests go to the jobs first, then to the terminal, which shows each one's job. */
function wireEvents(events: HookCatchEvents, store: RequestLog, jobs: Jobs, reporter: Reporter, output: OutputMode): void {
  store.onRemoved((removed) => ('id' in removed ? events.emit('deleted', removed.id) : events.emit('cleared', removed.all)));
  events.on('request', (request) => jobs.record(request));
  // The terminal looks up each request's job only when it prints something (not for the library's default, 'none').
  if (output !== 'none') events.on('request', (request, latencyMs) => reporter.request(request, latencyMs, jobs.registry.matchOf(request.id)));
  events.on('unstored', (request, error) => reporter.unstored(request, error));
  events.on('tunnel', (status, url) => reporter.tunnel(status, url));
  events.on('forwarded', (id, note) => reporter.forwarded(id, note));
  jobs.onChange((event) => events.emit('job', event));
  jobs.onChange((event) => {
    if (event.type === 'status' && event.to === 'webhook_lost') reporter.webhookLost(event.job);
  });
}

/** The receiver and the inspector listening, the public URL, and instance.json saying where they are. */
async function serve(options: ResolvedOptions, parts: Parts, reporter: Reporter, teardown: Teardown) {
  const { store, events } = parts;
  const startedAt = new Date();
  let captured = 0;
  events.on('request', () => captured++);
  let info: InstanceInfo | undefined;
  let publicState: PublicState | undefined;
  let streamClients = () => 0;
  const status = (): Status => ({
    ...info,
    tunnel: publicState,
    uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    requests: { stored: store.count, newestId: store.lastId ?? null, capturedSinceStart: captured, maxRequests: options.maxRequests },
    maxBody: options.maxBody,
    maxHeaderSize: options.maxHeaderSize,
    fsync: options.fsync,
    forward: options.forward && { url: options.forward.href, mode: options.forwardMode, ...forwarder?.queued },
    rules: parts.rules.list().length,
    verify: verifyList(parts.verifier),
    stream: { clients: streamClients() },
  });
  const own = (): OwnAddresses => ({ ports: info ? [info.receiverPort, info.inspectorPort] : [], publicUrl: publicState?.url ?? null });
  const warnForward = options.forward ? forwardWarner(options.forward, () => publicState?.url ?? null, reporter.warning) : () => undefined;
  const forwarder = options.forward ? createForwarder(options, options.forward, parts, warnForward) : null;
  if (forwarder) teardown.add(() => forwarder.close()); // last: requests in flight finish their forwards first
  await settleOwedForwards(store, forwarder, reporter).catch((error: unknown) => {
    throw new HookCatchError(`Cannot start on ${options.dir}: ${storeProblem(error, options.dir)}.`);
  });
  const baseUrl = () => publicState?.url ?? info?.receiverUrl ?? 'http://localhost';
  const { receiverServer, inspectorServer, drain, stream } = createServers(options, parts, forwarder, { own, baseUrl }, status, warnForward);
  if (options.maxConnections !== null) new ConnectionCap(options.maxConnections, shedReporter(options.maxConnections, reporter.warning)).watch(receiverServer);
  teardown.add(() => drain.close([receiverServer, inspectorServer], options.closeGraceMs));
  teardown.add(() => stream.close()); // first: a connected WebSocket would hold the server open
  streamClients = () => stream.clients;
  const receiverPort = await listen(receiverServer, options.port, options.host, 'receiver', '--port');
  const inspectorPort = await listen(inspectorServer, options.inspectorPort, options.inspectorHost, 'inspector', '--inspector-port');
  const opened = await openPublicUrl(options, { host: options.host, port: receiverPort }, reporter.progress, (tunnelStatus) => {
    events.emit('tunnel', tunnelStatus, publicState?.url ?? null);
  });
  teardown.add(() => opened.tunnel?.close());
  publicState = opened.state;
  if (opened.notice) (opened.failed ? reporter.warning : reporter.notice)(opened.notice);
  const receiverUrl = urlFor(options.host, receiverPort);
  const publicUrl = publicState.url;
  info = {
    pid: process.pid,
    version: VERSION,
    startedAt: startedAt.toISOString(),
    dir: options.dir,
    receiverUrl,
    webhookUrl: `${receiverUrl}/webhook`,
    inspectorUrl: urlFor(options.inspectorHost, inspectorPort),
    publicUrl,
    publicWebhookUrl: publicUrl && `${publicUrl}/webhook`,
    receiverPort,
    inspectorPort,
  };
  const loop = options.forward && (await loopReason(options.forward, own()));
  if (loop) throw new HookCatchError(`--forward ${options.forward!.href}: ${loop}`);
  await publishInstance(options.dir, info).catch((error: unknown) => {
    throw new HookCatchError(`Cannot start on ${options.dir}: ${storeProblem(error, options.dir)}.`);
  });
  reporter.ready({
    ...info,
    tunnel: publicState,
    stored: store.count,
    maxRequests: options.maxRequests,
    forward: options.forward && { url: options.forward.href, mode: options.forwardMode },
    rules: parts.rules.list(),
    verify: verifyList(parts.verifier).map((rule) => rule.text),
  });
  return { info, publicState };
}

/**
 * `--forward`: captures go to the user's app. In wait mode the receiver relays the app's answer;
 * what was answered some other way (ack mode, a response rule) is forwarded in the background.
 */
function createForwarder(options: ResolvedOptions, url: URL, { store, jobs, events }: Parts, warn: (request: CapturedRequest) => void): Forwarder {
  const forwarder = new Forwarder(
    { url, mode: options.forwardMode, timeoutMs: options.forwardTimeoutMs, maxAnswer: options.maxBody, insecure: options.insecure },
    {
      note: (id, note) => store.appendForward(id, note),
      onForwarded: (id, note) => events.emit('forwarded', id, note),
      load: (ids) => store.getMany(ids),
      jobOf: (id) => jobs.registry.matchOf(id)?.jobId ?? null,
      onQueue: () => events.emit('forwardQueue', forwarder.queued),
    },
  );
  events.on('request', (request) => {
    if (!request.forward && request.forwardOwed) {
      warn(request);
      forwarder.background(request);
    }
  });
  return forwarder;
}

/** The receiver's server (captures, then announces) and the inspector's, both ending keep-alive once closing. */
function createServers(options: ResolvedOptions, parts: Parts, forwarder: Forwarder | null, where: { own: () => OwnAddresses; baseUrl: () => string }, status: () => Status, warnForward: (request: CapturedRequest) => void) {
  const { store, jobs, rules, events } = parts;
  const { nextId } = parts;
  const receiver = createReceiver({
    append: (request) => {
      // Marked in the same line, so that a forward that never ended is found again after a crash.
      if (forwarder && Forwarder.forwards(request)) request.forwardOwed = true;
      return store.append(request);
    },
    maxBody: options.maxBody,
    maxHeaderSize: options.maxHeaderSize,
    nextId,
    onCaptured: (request, latencyMs) => events.emit('request', request, latencyMs),
    onStoreFailed: (request, error) => events.emit('unstored', request, error),
    shape: (request) => (rules.active ? rules.shape(request) : null),
    relay: forwarder && options.forwardMode === 'wait' ? (request) => (warnForward(request), forwarder.relay(request)) : undefined,
    check: parts.verifier.rules.length ? (request) => parts.verifier.checkCapture(request) : undefined,
  });
  const drain = new Drain();
  // Every request is captured: one without a Host header too (node:http would answer it 400 unseen).
  // A head must arrive whole within headersTimeoutMs; connections are checked for it every second.
  const timeouts = { headersTimeout: options.headersTimeoutMs, requestTimeout: Math.max(DEFAULTS.requestTimeoutMs, options.headersTimeoutMs), connectionsCheckingInterval: 1000 };
  const receiverServer = createServer(
    { maxHeaderSize: options.maxHeaderSize, requireHostHeader: false, ...timeouts },
    drain.wrap(receiver.handle),
  );
  receiver.attach(receiverServer, (handler) => drain.wrap(handler));
  drain.track(receiverServer);
  const port = () => (inspectorServer.address() as AddressInfo).port;
  const matchOf = (id: string) => jobs.registry.matchOf(id);
  const replay = {
    log: store,
    own: where.own,
    forwardUrl: options.forward?.href ?? null,
    maxBody: options.maxBody,
    onReplayed: (record: ReplayRecord) => events.emit('replayed', record),
    verifyRules: parts.verifier.rules,
  };
  const fixtures = { log: store, matchOf, nextId, maxBody: options.maxBody, onImported: (request: CapturedRequest) => events.emit('request', request, 0), baseUrl: where.baseUrl };
  const inspectorServer: Server = createServer(drain.wrap(createInspector({ log: store, jobs, rules, replay, fixtures, port, status, publicUrl: () => where.own().publicUrl })));
  drain.track(inspectorServer);
  const stream = createStream({ events, store, matchOf, port, status, sendBufferBytes: options.streamBufferBytes });
  inspectorServer.on('upgrade', stream.upgrade);
  return { receiverServer, inspectorServer, drain, stream };
}
