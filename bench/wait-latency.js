// Webhook acknowledged -> `hook-catch wait` returning, at 200 webhooks/s. hook-catch runs in a child
// (pinned to the server's CPU); this process registers N jobs and starts one waiter per job the way
// the CLI's `wait` does (GET /api/jobs/:id, POST /api/jobs when unknown, then the long-poll
// GET /api/jobs/:id/wait), then sends 200 webhooks/s, each finishing one job. Per job: (the waiter's
// whole answer arrived) - (the webhook's 2xx answer arrived), both timed here.
import { Agent } from 'node:http';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ask, peakRssMb, runNode, stop } from './children.js';
import { json, pool, send, sendPaced } from './http-client.js';
import { percentile } from './load.js';
import { jobId, webhookPayload } from './payload.js';
import { SERVER_CPU } from './pin.js';
import { UNCAPPED } from './scenario.js';

const here = dirname(fileURLToPath(import.meta.url));
const RATE = 200;
const MAX_IN_FLIGHT = 64;
/** How long a waiter's long-poll may last beyond the sending: a waiter not answered by then never returned. */
const GRACE_MS = 15_000;

export const WAIT_SCENARIO = {
  key: 'hook-catch-wait-200',
  name: 'hook-catch, ack -> wait returning, 200 webhooks/s',
  server: 'hook-catch',
  run: runWaitLatency,
};

async function runWaitLatency(s, { seconds, log, tempDirs }) {
  const count = Math.round(RATE * seconds);
  const row = { key: s.key, name: s.name, server: s.server, ratePerSec: RATE, jobs: count };
  const dir = await mkdtemp(join(tmpdir(), 'hook-catch-bench-'));
  tempDirs.add(dir);
  let child;
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  try {
    const started = await runNode(join(here, 'hook-catch-server.js'), ['--dir', dir, '--max-requests', String(UNCAPPED), '--jobs', '0'], { cpu: SERVER_CPU });
    child = started.child;
    const api = started.info.inspectorPort;
    log(`  registering ${count} jobs and starting a waiter for each, as \`hook-catch wait\` does`);
    const t0 = performance.now();
    await pool(count, 16, (i) => register(agent, api, jobId(i)));
    row.registerMs = performance.now() - t0;
    const waiters = await startWaiters(agent, api, count, seconds * 1000 + GRACE_MS);
    await ask(child, `waits ${count}`, 60_000);
    // One more call through the same router: express has taken every long-poll before it to its route.
    await send({ agent, port: api, path: `/api/jobs/${jobId(0)}` });
    row.waitersReadyMs = performance.now() - t0 - row.registerMs;
    await ask(child, 'reset');
    log(`  ${count} waiters in place; sending ${RATE} webhooks/s for ${seconds} s`);
    const hooks = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
    const sent = await sendPaced({
      count,
      ratePerSec: RATE,
      maxInFlight: MAX_IN_FLIGHT,
      sendOne: (i) => send({ agent: hooks, port: started.info.port, method: 'POST', path: '/webhook', body: webhookPayload(i, { job: i }) }),
    });
    hooks.destroy();
    row.sendSeconds = sent.seconds;
    row.maxSendLateMs = sent.maxLateMs;
    row.loopDelay = await ask(child, 'loop-delay');
    Object.assign(row, summarize(sent.results, await Promise.all(waiters)));
    row.peakRssMb = peakRssMb(child.pid);
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${row.error}`);
  } finally {
    agent.destroy();
    if (child) await stop(child);
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
  return row;
}

/** As `ensureRegistered` (src/cli/client.ts): a GET, and a POST when the job is not known yet. */
async function register(agent, port, id) {
  const path = `/api/jobs/${encodeURIComponent(id)}`;
  const known = await send({ agent, port, path });
  if (known.status === 200) return;
  if (known.status !== 404) throw new Error(`GET ${path} answered ${known.status}`);
  const made = await send({ agent, port, method: 'POST', path: '/api/jobs', body: JSON.stringify({ id }) });
  if (made.status !== 201 && made.status !== 200) throw new Error(`POST /api/jobs answered ${made.status}: ${made.body}`);
}

/**
 * One long-poll per job, as the CLI's `wait` sends it; at most 64 being written at a time (so that
 * thousands of connections are not opened at once). Resolves, once all are written, with each one's
 * promise of its answer (or {error}).
 */
async function startWaiters(agent, port, count, timeoutMs) {
  const waiters = new Array(count);
  await pool(
    count,
    64,
    (i) =>
      new Promise((written, failed) => {
        const path = `/api/jobs/${encodeURIComponent(jobId(i))}/wait?timeout=${timeoutMs}ms`;
        waiters[i] = send({ agent, port, path, timeoutMs: timeoutMs + 10_000, onSent: written }).catch((error) => {
          failed(error);
          return { error: error.message };
        });
      }),
  );
  return waiters;
}

/** Per job: ack -> waiter latency; the waiters that never returned, or returned something else. */
function summarize(acks, waits) {
  const latencies = [];
  let neverReturned = 0;
  let wrong = 0;
  let sendFailed = 0;
  for (let i = 0; i < acks.length; i++) {
    const ack = acks[i];
    const wait = waits[i];
    if (!ack || ack.error || ack.status < 200 || ack.status >= 300) sendFailed++;
    const answer = wait && !wait.error && wait.status === 200 ? json(wait) : null;
    if (!answer || answer.outcome === 'timeout') {
      neverReturned++;
      continue;
    }
    const captured = ack?.headers?.['x-hook-catch-id'];
    if (answer.outcome !== 'completed' || !captured || answer.delivery?.requestId !== captured) {
      wrong++;
      continue;
    }
    latencies.push(wait.endAt - ack.headAt);
  }
  const sorted = Float64Array.from(latencies).sort();
  return {
    measured: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : null,
    minMs: sorted.length ? sorted[0] : null,
    neverReturned,
    wrongAnswer: wrong,
    sendFailed,
  };
}

/** The report's lines for this row. */
export function waitLines(row) {
  if (row.error) return [`- ${row.name}: FAILED: ${row.error}`];
  if (row.p99Ms == null) return [`- ${row.name}: no waiter returned`];
  const f = (n) => n.toFixed(1);
  return [
    `- ${row.name}: ${row.jobs.toLocaleString('en-US')} jobs, each with a waiter (registered in ${Math.round(row.registerMs)} ms; ${row.jobs} long-polls in place ${Math.round(row.waitersReadyMs)} ms later), ` +
      `webhooks sent over ${row.sendSeconds.toFixed(1)} s (at most ${Math.round(row.maxSendLateMs)} ms behind schedule). ` +
      `Ack -> wait returned: p50 ${f(row.p50Ms)} ms, p99 ${f(row.p99Ms)} ms, max ${f(row.maxMs)} ms (min ${f(row.minMs)}) over ${row.measured}; ` +
      `never returned ${row.neverReturned}, returned something else ${row.wrongAnswer}, webhooks not answered 2xx ${row.sendFailed}; ` +
      `hook-catch's longest stall ${row.loopDelay?.maxMs?.toFixed(1)} ms, peak RSS ${row.peakRssMb?.toFixed(0)} MB`,
  ];
}
