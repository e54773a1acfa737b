// Part: kill -9 while forwarding in the background (`--forward URL --forward-mode ack`). Each round
// starts hook-catch on the same --dir with --forward to an app in this process (which answers 200
// after 0-4 ms, so that forwards fall behind the load and a queue builds), drives it with 32
// connections, and kill -9s it with captures acknowledged but not yet forwarded. Halfway, hook-catch
// is started once without --forward (it must mark what it cannot forward). After the last round, a
// start with --forward drains what is owed. Then every acknowledged capture must have been forwarded
// (the app got its bytes) or be marked `not forwarded`: none may be neither.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { api, keepAliveAgent } from './http.js';
import { removeDir, sleep, startHookCatch, tempDir } from './procs.js';
import { rngFor, sha1 } from './rng.js';
import { runSenders } from './senders.js';

const MAX_REQUESTS = ['--max-requests', '10000000'];

export async function forwardRounds({ seed, rounds, loadMs, connections, log }) {
  const base = tempDir('forward');
  const dir = join(base, 'store');
  const app = await startApp(seed);
  const forwarding = [...MAX_REQUESTS, '--forward', app.url, '--forward-mode', 'ack'];
  const plainAfter = Math.ceil(rounds / 2);
  const done = [];
  const acked = [];
  let hc = await startHookCatch({ dir, args: forwarding, logDir: base });
  try {
    for (let round = 1; round <= rounds; round++) {
      const rng = rngFor(seed, 'forward-round', round);
      const r = await loadThenKill(hc, { seed, round, killAfterMs: rng.int(loadMs[0], loadMs[1]), connections });
      acked.push(...r.acked);
      if (round === plainAfter) r.plainRestart = await startWithoutForward(dir, base);
      hc = await startHookCatch({ dir, args: forwarding, logDir: base });
      r.restartNotice =
        hc
          .stderr()
          .trim()
          .split('\n')
          .find((line) => line.includes('Forwarding')) ?? null;
      log(
        `forward kill -9 round ${round}/${rounds}: ${r.acked.length} acknowledged, ${r.queuedAtKill} waiting for their forward just before the kill${r.plainRestart ? `; started without --forward: ${r.plainRestart}` : ''}; restart: ${r.restartNotice ?? 'nothing owed'}`,
      );
      done.push({ ...r, acked: r.acked.length });
    }
    const drainMs = await drain(hc.inspectorUrl);
    const verdicts = await verdictsOf(hc.inspectorUrl, acked, app);
    log(
      `forward kill -9: ${acked.length} acknowledged; ${verdicts.forwarded} forwarded, ${verdicts.marked} marked not forwarded, ${verdicts.unmarked} neither; drained in ${drainMs} ms`,
    );
    return { rounds: done, acked: acked.length, drainMs, ...verdicts, appReceived: app.received, appDuplicates: app.duplicates() };
  } finally {
    await hc.stop();
    await app.close();
    removeDir(base);
  }
}

/** One round: load until the kill; what was acknowledged and how many forwards waited. */
async function loadThenKill(hc, { seed, round, killAfterMs, connections }) {
  const agent = keepAliveAgent(connections);
  const acked = [];
  const counts = { sent: 0, errors: 0, noId: 0 };
  let killed = false;
  const jobId = (rng) => `fwd${round}-job${rng.int(0, 40)}`;
  const senders = runSenders({
    receiverUrl: hc.receiverUrl,
    agent,
    seed,
    part: `forward${round}`,
    connections,
    stop: () => killed,
    jobId,
    acked,
    counts,
    options: { large: false },
  });
  await sleep(killAfterMs);
  const status = await api(`${hc.inspectorUrl}/api/status`, { timeoutMs: 5_000 });
  const queuedAtKill = status.json?.forward ? status.json.forward.waiting + status.json.forward.sending : null;
  killed = true;
  await hc.kill9();
  await senders;
  agent.destroy();
  return { round, killAfterMs, acked, queuedAtKill, inFlight: counts.errors };
}

/** A start without --forward: it marks what is owed; its one line says how many. Stopped cleanly. */
async function startWithoutForward(dir, base) {
  const plain = await startHookCatch({ dir, args: MAX_REQUESTS, logDir: base });
  const line = plain
    .stderr()
    .trim()
    .split('\n')
    .find((l) => l.includes('never forwarded'));
  await plain.stop();
  return line ? `it marked ${/([\d,]+) captures? kept/.exec(line)?.[1] ?? '?'} not forwarded` : 'nothing was owed';
}

/** Waits until nothing waits for its forward (2 minutes at most); how long it took. */
async function drain(inspectorUrl) {
  const t0 = performance.now();
  for (;;) {
    const { json } = await api(`${inspectorUrl}/api/status`, { timeoutMs: 10_000 });
    if (json?.forward && json.forward.waiting + json.forward.sending === 0) return Math.round(performance.now() - t0);
    if (performance.now() - t0 > 120_000) throw new Error(`forwards still waiting after 2 minutes: ${JSON.stringify(json?.forward)}`);
    await sleep(100);
  }
}

/** Each acknowledged capture: forwarded (and the app has its bytes), marked not forwarded, or neither. */
async function verdictsOf(inspectorUrl, acked, app) {
  const summaries = new Map();
  for (let before = ''; ; ) {
    const { json } = await api(`${inspectorUrl}/api/requests?limit=1000${before ? `&before=${before}` : ''}`, { timeoutMs: 30_000 });
    for (const item of json.items) summaries.set(item.id, item);
    if (!json.nextBefore) break;
    before = json.nextBefore;
  }
  const out = { forwarded: 0, marked: 0, failed: 0, unmarked: 0, missing: 0, notAtApp: 0, examples: [] };
  for (const ack of acked) {
    const forward = summaries.get(ack.id)?.forward;
    if (!summaries.has(ack.id)) out.missing++;
    else if (!forward) {
      out.unmarked++;
      if (out.examples.length < 5) out.examples.push(`${ack.id}: no forward kept and no mark`);
    } else if (forward.notSent) out.marked++;
    else if (forward.status === null) out.failed++;
    else {
      out.forwarded++;
      if (ack.bodySize > 0 && !app.has(ack.bodySha1)) out.notAtApp++;
    }
  }
  return out;
}

/** The user's app: answers 200 after 0-4 ms; remembers the sha-1 of every body it got. */
async function startApp(seed) {
  const seen = new Map();
  const rng = rngFor(seed, 'forward-app');
  let received = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      received++;
      const key = sha1(Buffer.concat(chunks));
      seen.set(key, (seen.get(key) ?? 0) + 1);
      setTimeout(() => res.end('ok'), rng.int(0, 4));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/app`,
    get received() {
      return received;
    },
    has: (key) => seen.has(key),
    duplicates: () => [...seen.values()].reduce((n, count) => n + count - 1, 0),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
