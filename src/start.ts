import { mkdtemp, rm } from 'node:fs/promises';
import { createEventTyper } from './event-types/event-type.js';
import type { Spec } from './schema-check/spec.js';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { HookCatchError, StoreWriteError } from './errors.js';
import { createEvents, type HookCatchEvents } from './events.js';
import type { Forwarder } from './forward/forward.js';
import { createProviderPort } from './provider/provider-port.js';
import { openForwarding, type Forwarding } from './forward/forwarding.js';
import { loopReason, type OwnAddresses } from './send/target.js';
import type { ReplayRecord } from './capture/records.js';
import type { CapturedRequest } from './capture/capture.js';
import { RuleSet } from './rules/rule-set.js';
import { verifyList } from './signatures/verify-rules.js';
import { createVerifier, type Verifier } from './signatures/verifier.js';
import { Poller } from './jobs/poll/poller.js';
import { DEFAULTS } from './defaults.js';
import { createTestKit, type TestKit } from './test-kit.js';
import { openRulesFile } from './rules/rules-file.js';
import { createInspector } from './inspector/app.js';
import { createStream } from './inspector/stream.js';
import { openJobs, type ExpectOptions, type Jobs, type JobsView } from './jobs/service.js';
import type { Job } from './jobs/types.js';
import type { WaitOptions, WaitResult } from './jobs/wait.js';
import { resolveOptions, type HookCatchOptions, type ResolvedOptions } from './options.js';
import { createRoute, type Route } from './route.js';
import { watchDrift } from './drift/watch.js';
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
  /** `provider`: the provider port's base URL, the app's API base URL while recording; undefined without `provider`. */
  providerUrl?: string;
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
    // A spec that cannot be used stops the start here. The JSON Schema validators and the YAML reader
    // are loaded for `--schema` only: a start without one does without their few megabytes.
    const spec = options.schema === null ? null : await (await import('./schema-check/load.js')).loadSpec(options.schema);
    const events = createEvents();
    const { store, jobs, rules, warnings } = await openStore(options, events, teardown);
    for (const warning of warnings) reporter.warning(warning);
    wireEvents(events, store, jobs, reporter);
    let publicUrl: () => string | null = () => null;
    const verifier = createVerifier(options.verify, () => publicUrl());
    // One id generator for everything stored (received, imported, polled): ids only go up in a store.
    const nextId = createIdGenerator(Date.now, store.lastId);
    const running = await serve(options, { store, jobs, rules, events, verifier, nextId, spec }, reporter, teardown);
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
  /** `--schema`: the user's spec, each capture's body is checked against. */
  spec: Spec | null;
}

/** Where this instance is, once it listens: filled in by listenAndPublish, read by status and the loop checks. */
interface Whereabouts {
  startedAt: Date;
  info?: InstanceInfo;
  publicState?: PublicState;
}

/** The events that are not a stored request's route: deletions, the store's failures, the tunnel, forwards, jobs. */
function wireEvents(events: HookCatchEvents, store: RequestLog, jobs: Jobs, reporter: Reporter): void {
  store.onRemoved((removed) => ('id' in removed ? events.emit('deleted', removed.id) : events.emit('cleared', removed.all)));
  events.on('unstored', (request, error) => reporter.unstored(request, error));
  events.on('tunnel', (status, url) => reporter.tunnel(status, url));
  events.on('forwarded', (id, note) => reporter.forwarded(id, note));
  events.on('analysis', (id, note) => note.drift && reporter.drift(id, note.drift));
  jobs.onChange((event) => events.emit('job', event));
  jobs.onChange((event) => {
    if (event.type === 'status' && event.to === 'webhook_lost') reporter.webhookLost(event.job);
  });
}

/**
 * Forwarding, the stream, the route every stored request takes, polling, then the receiver and the
 * inspector listening, the public URL, and instance.json saying where they are.
 */
async function serve(options: ResolvedOptions, parts: Parts, reporter: Reporter, teardown: Teardown) {
  const { store, jobs } = parts;
  const here: Whereabouts = { startedAt: new Date() };
  let captured = 0;
  const own = (): OwnAddresses => ({ ports: here.info ? [here.info.receiverPort, here.info.inspectorPort] : [], publicUrl: here.publicState?.url ?? null });
  // --rewrite-webhook-url forwards a rewritten job's webhooks to the app's own URL, with or without --forward.
  // Which URL is its job's: so the jobs are derived first, before an owed forward is sent or a webhook taken.
  if (options.rewriteWebhookUrl) await jobs.ready;
  const forwarding = await openForwarding(
    options.forward || options.rewriteWebhookUrl
      ? {
          url: options.forward,
          mode: options.forwardMode,
          timeoutMs: options.forwardTimeoutMs,
          maxAnswer: options.maxBody,
          insecure: options.insecure,
        }
      : null,
    {
      targetOf: options.rewriteWebhookUrl ? (request) => jobs.forwardTargetOf(request) : undefined,
      store,
      dir: options.dir,
      jobOf: (id) => jobs.registry.matchOf(id)?.jobId ?? null,
      onForwarded: (id, note) => parts.events.emit('forwarded', id, note),
      onQueue: (queued) => parts.events.emit('forwardQueue', queued),
      publicUrl: () => here.publicState?.url ?? null,
      say: reporter,
    },
  );
  if (forwarding) teardown.add(() => forwarding.close()); // last: requests in flight finish their forwards first
  const status = statusOf(
    options,
    parts,
    here,
    () => captured,
    forwarding?.forwarder ?? null,
    () => stream.clients,
  );
  const port = () => (servers.inspectorServer.address() as AddressInfo).port;
  const stream = createStream({
    events: parts.events,
    store,
    matchOf: (id) => jobs.registry.matchOf(id),
    port,
    status,
    sendBufferBytes: options.streamBufferBytes,
  });
  const check =
    parts.spec && (await import('./schema-check/on-arrival.js')).checkOnArrival(parts.spec, store, (id, note) => parts.events.emit('analysis', id, note));
  const drift = watchDrift({
    store,
    dir: options.dir,
    fsync: options.fsync,
    warning: reporter.warning,
    onDrift: (id, found) => parts.events.emit('analysis', id, { drift: found }),
  });
  teardown.add(() => drift.close()); // before the store closes: the drift under way is kept
  const route = createRoute({
    jobs: (request) => (captured++, jobs.record(request)),
    check,
    forward: forwarding?.background ?? null,
    stream,
    // The terminal looks up each request's job only when it prints something (not for the library's default, 'none').
    terminal: options.output === 'none' ? null : (request, latencyMs) => reporter.request(request, latencyMs, jobs.registry.matchOf(request.id)),
    announce: (request, latencyMs) => parts.events.emit('request', request, latencyMs),
    drift: drift.observe,
  });
  jobs.startPolling(createPoller(options, parts, route));
  const baseUrl = () => here.publicState?.url ?? here.info?.receiverUrl ?? 'http://localhost';
  const servers = createServers(options, parts, forwarding, route, { own, baseUrl, port }, status);
  const provider = options.provider && openProvider(options, parts, route, () => here.publicState?.url ?? here.info?.receiverUrl ?? baseUrl());
  if (provider) teardown.add(() => provider.upstream.close());
  servers.inspectorServer.on('upgrade', stream.upgrade);
  if (options.maxConnections !== null)
    new ConnectionCap(options.maxConnections, shedReporter(options.maxConnections, reporter.warning)).watch(servers.receiverServer);
  if (provider) servers.drain.track(provider.server);
  const closing = [servers.receiverServer, servers.inspectorServer, ...(provider ? [provider.server] : [])];
  teardown.add(() => servers.drain.close(closing, options.closeGraceMs));
  teardown.add(() => servers.closeHung()); // before the drain: a request a rule holds unanswered is not waited for
  teardown.add(() => stream.close()); // first: a connected WebSocket would hold the server open
  return listenAndPublish(options, parts, { ...servers, providerServer: provider?.server ?? null }, here, reporter, teardown);
}

/** `--provider`: the provider port, whose calls are stored and routed like every capture. */
function openProvider(options: ResolvedOptions, parts: Parts, route: Route, base: () => string) {
  return createProviderPort(
    {
      provider: options.provider!,
      maxBody: options.maxBody,
      maxHeaderSize: options.maxHeaderSize,
      timeoutMs: options.providerTimeoutMs,
      rewriteTo: options.rewriteWebhookUrl ? base : null,
    },
    {
      keep: async (call) => {
        await parts.store.append(call);
        route(call, 0);
      },
      nextId: parts.nextId,
      now: options.now,
      knownJob: (id) => parts.jobs.registry.get(id) !== undefined,
      rules: options.jobIdRules,
    },
  );
}

/** What `GET /api/status` and the stream's first message say: where, how long up, the store, forwarding, rules, --verify. */
function statusOf(options: ResolvedOptions, parts: Parts, here: Whereabouts, captured: () => number, forwarder: Forwarder | null, streamClients: () => number) {
  return (): Status => ({
    ...here.info,
    tunnel: here.publicState,
    uptimeSeconds: Math.round((Date.now() - here.startedAt.getTime()) / 1000),
    requests: { stored: parts.store.count, newestId: parts.store.lastId ?? null, capturedSinceStart: captured(), maxRequests: options.maxRequests },
    maxBody: options.maxBody,
    maxHeaderSize: options.maxHeaderSize,
    fsync: options.fsync,
    forward: options.forward && { url: options.forward.href, mode: options.forwardMode, ...forwarder?.queued },
    rules: parts.rules.list().length,
    verify: verifyList(parts.verifier.rules),
    stream: { clients: streamClients() },
  });
}

/** `expect --poll`: each changed answer of a job's status endpoint is stored, then takes the route of a capture. */
function createPoller(options: ResolvedOptions, { store, jobs, nextId }: Parts, route: Route): Poller {
  return new Poller({
    registry: jobs.registry,
    keep: async (answer) => {
      await store.append(answer);
      route(answer, 0);
    },
    nextId,
    now: options.now,
    maxBody: options.maxBody,
    timeoutMs: DEFAULTS.sendTimeoutMs,
  });
}

/** The receiver's server (captures, then routes) and the inspector's, both ending keep-alive once closing. */
function createServers(
  options: ResolvedOptions,
  parts: Parts,
  forwarding: Forwarding | null,
  route: Route,
  where: { own: () => OwnAddresses; baseUrl: () => string; port: () => number },
  status: () => Status,
) {
  const { store, jobs, rules, events, nextId } = parts;
  const eventOf = createEventTyper(options.eventRules);
  const receiver = createReceiver({
    append: (request) => {
      // Marked in the same line, so that a forward that never ended is found again after a crash.
      if (forwarding?.owes(request)) request.forwardOwed = true;
      return store.append(request);
    },
    maxBody: options.maxBody,
    maxHeaderSize: options.maxHeaderSize,
    nextId,
    onCaptured: route,
    onStoreFailed: (request, error) => events.emit('unstored', request, error),
    shape: (request) => (rules.active ? rules.shape(request) : null),
    relay: forwarding && options.forwardMode === 'wait' ? forwarding.relay : undefined,
    relays: forwarding ? forwarding.owes : undefined,
    check: parts.verifier.rules.length ? (request) => parts.verifier.checkCapture(request) : undefined,
    eventOf,
    // A store that cannot write loses these marks, not the capture (it was answered 2xx, and is kept).
    keepLate: (id, marks) => void store.appendAnalysis(id, marks).catch(() => undefined),
  });
  const drain = new Drain();
  // Every request is captured: one without a Host header too (node:http would answer it 400 unseen).
  // A head must arrive whole within headersTimeoutMs; connections are checked for it every second.
  const timeouts = {
    headersTimeout: options.headersTimeoutMs,
    requestTimeout: Math.max(DEFAULTS.requestTimeoutMs, options.headersTimeoutMs),
    connectionsCheckingInterval: 1000,
  };
  const receiverServer = createServer({ maxHeaderSize: options.maxHeaderSize, requireHostHeader: false, ...timeouts }, drain.wrap(receiver.handle));
  receiver.attach(receiverServer, (handler) => drain.wrap(handler));
  drain.track(receiverServer);
  const matchOf = (id: string) => jobs.registry.matchOf(id);
  const replay = {
    log: store,
    own: where.own,
    forwardUrl: options.forward?.href ?? null,
    maxBody: options.maxBody,
    onReplayed: (record: ReplayRecord) => events.emit('replayed', record),
    verifyRules: parts.verifier.rules,
  };
  const fixtures = {
    log: store,
    matchOf,
    nextId,
    maxBody: options.maxBody,
    onImported: (request: CapturedRequest) => route(request, 0),
    eventOf,
    baseUrl: where.baseUrl,
  };
  const inspector = createInspector({
    log: store,
    jobs,
    rules,
    replay,
    fixtures,
    port: where.port,
    status,
    publicUrl: () => where.own().publicUrl,
    onMockEvent: (event) => events.emit('mock', event),
  });
  const inspectorServer: Server = createServer(drain.wrap(inspector));
  drain.track(inspectorServer);
  return { receiverServer, inspectorServer, drain, closeHung: receiver.closeHung };
}

/** Both servers listening, the public URL opened, the loop check, instance.json written, the banner. */
async function listenAndPublish(
  options: ResolvedOptions,
  parts: Parts,
  servers: ReturnType<typeof createServers> & { providerServer: Server | null },
  here: Whereabouts,
  reporter: Reporter,
  teardown: Teardown,
) {
  const receiverPort = await listen(servers.receiverServer, options.port, options.host, 'receiver', '--port');
  const inspectorPort = await listen(servers.inspectorServer, options.inspectorPort, options.inspectorHost, 'inspector', '--inspector-port');
  const providerPort = servers.providerServer && (await listen(servers.providerServer, options.providerPort, options.host, 'provider port', '--provider-port'));
  const opened = await openPublicUrl(options, { host: options.host, port: receiverPort }, reporter.progress, (tunnelStatus) => {
    parts.events.emit('tunnel', tunnelStatus, here.publicState?.url ?? null);
  });
  teardown.add(() => opened.tunnel?.close());
  const publicState = (here.publicState = opened.state);
  if (opened.notice) (opened.failed ? reporter.warning : reporter.notice)(opened.notice);
  const receiverUrl = urlFor(options.host, receiverPort);
  const publicUrl = publicState.url;
  const info: InstanceInfo = (here.info = {
    pid: process.pid,
    version: VERSION,
    startedAt: here.startedAt.toISOString(),
    dir: options.dir,
    receiverUrl,
    webhookUrl: `${receiverUrl}/webhook`,
    inspectorUrl: urlFor(options.inspectorHost, inspectorPort),
    publicUrl,
    publicWebhookUrl: publicUrl && `${publicUrl}/webhook`,
    receiverPort,
    inspectorPort,
    ...(providerPort !== null && { providerUrl: urlFor(options.host, providerPort), provider: options.provider!.href.replace(/\/$/, '') }),
  });
  const loop = options.forward && (await loopReason(options.forward, { ports: [receiverPort, inspectorPort], publicUrl }));
  if (loop) throw new HookCatchError(`--forward ${options.forward!.href}: ${loop}`);
  await publishInstance(options.dir, info).catch((error: unknown) => {
    throw new HookCatchError(`Cannot start on ${options.dir}: ${storeProblem(error, options.dir)}.`);
  });
  reporter.ready({
    ...info,
    tunnel: publicState,
    stored: parts.store.count,
    maxRequests: options.maxRequests,
    forward: options.forward && { url: options.forward.href, mode: options.forwardMode },
    rewriteWebhookUrl: options.rewriteWebhookUrl,
    rules: parts.rules.list(),
    verify: verifyList(parts.verifier.rules).map((rule) => rule.text),
    ...(parts.spec && { schema: `${parts.spec.file}: ${parts.spec.description}` }),
  });
  return { info, publicState };
}
