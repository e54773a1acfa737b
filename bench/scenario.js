// One row of `npm run bench`: a server child (bare node:http, the durable floor, a peer or hook-catch,
// pinned to the server's CPU), a warm-up, the measured autocannon run, then what the child says about
// its event loop and memory.
import { rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ask, peakRssMb, runNode, stdoutBytes, stop } from './children.js';
import { largeBody } from './large-bodies.js';
import { measure } from './load.js';
import { jobDeliveries, webhookPayload } from './payload.js';
import { MOCKTTP, peerFolder, RowSkipped } from './peer-install.js';
import { LOAD_CPU, SERVER_CPU } from './pin.js';

const here = dirname(fileURLToPath(import.meta.url));
// A store that starts with N requests is capped at N, so it holds exactly N throughout the run (the
// oldest are dropped as new ones arrive, as in a full store in real use). An empty store is not capped.
export const UNCAPPED = 10_000_000;
export const SMALL_BODY = webhookPayload(0);

/**
 * The kinds of server a scenario names (`server`): the script in bench/; `dir`: it gets a temp folder
 * for its files; `args(s, row, dir, log)`: its arguments (may throw RowSkipped: the row is reported
 * as skipped); `stdoutLog`: its stdout is its own log (children.js); `after(child)`: what it says
 * after the measured run, added to the row.
 */
const SERVERS = {
  bare: { script: 'bare-server.js' },
  'hook-catch': { script: 'hook-catch-server.js', dir: true, args: hookCatchArgs },
  floor: { script: 'durable-floor.js', dir: true, args: (_s, _row, dir) => [dir], after: (child) => ask(child, 'written') },
  express: { script: 'express-sample.js', stdoutLog: true, after: (child) => ({ loggedBytes: stdoutBytes(child) }) },
  // Recording every request, mockttp takes a while to hand them all over after a long run.
  mockttp: { script: 'mockttp-peer.js', args: async (_s, _row, _dir, log) => [await peerFolder(MOCKTTP, log)], after: (child) => ask(child, 'seen', 60_000) },
};

/**
 * Runs scenario `s` (see ALL_SCENARIOS in run.js); `ctx`: { seconds, log, tempDirs }. Besides the
 * plain fields, a scenario may give `bodyBytes` (a large body, large-bodies.js), `maxRequests`,
 * `options` (start() options for hook-catch), `headers(body)` (request headers), `timeoutS`
 * (autocannon's per-request timeout) and `check(inspectorUrl)` (read back after the run).
 */
export async function runScenario(s, { seconds, log, tempDirs }) {
  const body = s.bodyBytes ? largeBody(s.bodyBytes) : SMALL_BODY;
  const row = {
    key: s.key,
    name: s.name,
    server: s.server,
    connections: s.connections,
    stored: s.stored ?? 0,
    jobs: s.jobs ?? 0,
    fsync: !!s.fsync,
    bodyBytes: Buffer.byteLength(body),
  };
  let child;
  let dir;
  let reader;
  try {
    const kind = SERVERS[s.server];
    if (!kind) throw new Error(`no server kind "${s.server}"; the kinds are ${Object.keys(SERVERS).join(', ')}`);
    if (kind.dir) {
      dir = await mkdtemp(join(tmpdir(), 'hook-catch-bench-'));
      tempDirs.add(dir);
    }
    const args = (await kind.args?.(s, row, dir, log)) ?? [];
    const started = await runNode(join(here, kind.script), args, { cpu: SERVER_CPU, stdoutLog: kind.stdoutLog });
    child = started.child;
    row.readyMs = started.readyMs;
    row.startMs = started.info.startMs ?? null;
    if (s.server === 'hook-catch')
      Object.assign(row, {
        storedAtStart: started.info.stored,
        jobsAtStart: started.info.jobs,
        registerMs: started.info.registerMs,
        jobsReadyMs: started.info.jobsReadyMs,
      });
    if (s.streamReader) reader = (await runNode(join(here, 'stream-reader.js'), [`ws://127.0.0.1:${started.info.inspectorPort}/ws`], { cpu: LOAD_CPU })).child;
    log(`  ready in ${Math.round(started.readyMs)} ms; warm-up 1 s, then ${seconds} s at ${s.connections} connection(s)`);
    const load = await measure({
      url: `http://127.0.0.1:${started.info.port}/webhook`,
      body,
      headers: s.headers?.(body),
      nextBody: row.jobs ? jobDeliveries(row.jobs) : undefined,
      connections: s.connections,
      seconds,
      timeoutS: s.timeoutS,
      afterWarmup: () => ask(child, 'reset'),
    });
    // A server that stops answering (and so has no error to count) fails its row rather than read as 0 req/s.
    if (!load.total) throw new Error(`no request was answered in the ${seconds} s measured run`);
    row.load = load;
    row.loopDelay = await ask(child, 'loop-delay');
    // The measured run's requests over the CPU the server used meanwhile (the answer comes just after the run).
    if (row.loopDelay.cpuMs != null && row.load.total > 0) row.cpuUsPerReq = (row.loopDelay.cpuMs * 1000) / row.load.total;
    if (reader) row.streamed = await ask(reader, 'count');
    row.peakRssMb = peakRssMb(child.pid);
    if (kind.after) Object.assign(row, await kind.after(child));
    if (s.server === 'hook-catch') {
      const inspectorUrl = `http://127.0.0.1:${started.info.inspectorPort}`;
      const status = await (await fetch(`${inspectorUrl}/api/status`, { signal: AbortSignal.timeout(15_000) })).json();
      row.storedAtEnd = status.requests?.stored;
      row.capturedSinceStart = status.requests?.capturedSinceStart;
      if (s.check) row.checked = await s.check(inspectorUrl);
    }
  } catch (error) {
    if (error instanceof RowSkipped) {
      row.skipped = error.message;
      log(`  skipped: ${row.skipped}`);
    } else {
      row.error = error instanceof Error ? error.message : String(error);
      log(`  FAILED: ${row.error}`);
    }
  } finally {
    if (reader) await stop(reader);
    if (child) await stop(child);
    if (dir && row.jobs) row.jobsFileMb = fileMb(join(dir, 'jobs.json'));
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    }
  }
  return row;
}

/** Fills the store first when the scenario starts with requests stored; the child's arguments. */
async function hookCatchArgs(s, row, dir, log) {
  if (s.stored) {
    log(`  prefilling ${s.stored} requests`);
    const { info } = await runNode(join(here, 'prefill.js'), [dir, String(s.stored), String(s.stored)], { waitForExit: true, cpu: LOAD_CPU });
    row.prefillMs = info.ms;
  }
  const maxRequests = s.maxRequests ?? (s.stored || UNCAPPED);
  row.maxRequests = maxRequests;
  return [
    '--dir',
    dir,
    '--max-requests',
    String(maxRequests),
    ...(s.fsync ? ['--fsync'] : []),
    '--jobs',
    String(row.jobs),
    ...(s.options ? ['--options', JSON.stringify(s.options)] : []),
  ];
}

export function fileMb(path) {
  try {
    return statSync(path).size / 1024 / 1024;
  } catch {
    return null;
  }
}
