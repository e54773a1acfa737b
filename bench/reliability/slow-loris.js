// Part 4: slow-loris. Normal traffic (32 connections of 1 kB webhooks, autocannon) is measured alone,
// then beside hundreds of sockets that send a request head one byte every few hundred ms (and some
// that send a whole head, then the body as slowly). Then the slow sockets are watched: does
// hook-catch ever close them, when, and what does it answer? Last, the same under a common limit of
// open files (`ulimit -n 1024`; macOS's default is 256) with more slow sockets than that limit, and
// again once they are gone.
import { join } from 'node:path';
import { measure } from '../load.js';
import { webhookPayload } from '../payload.js';
import { api, rawConnect } from './http.js';
import { removeDir, sleep, startHookCatch, tempDir } from './procs.js';
import { rngFor } from './rng.js';

export async function slowLoris({ seed, slowHeads, slowBodies, seconds, holdSeconds, fdLimit, log }) {
  const base = tempDir('loris');
  const hc = await startHookCatch({ dir: join(base, 'store'), args: ['--max-requests', '10000000'], logDir: base });
  const url = `${hc.receiverUrl}/webhook`;
  const body = webhookPayload(0);
  const result = { slowHeads, slowBodies, seconds };
  const slow = [];
  try {
    log(`slow-loris: normal traffic alone, ${seconds} s after a 1 s warm-up`);
    result.alone = summary(await measure({ url, body, connections: 32, seconds }));
    const openedAt = performance.now();
    const rng = rngFor(seed, 'loris');
    const opening = [];
    for (let i = 0; i < slowHeads + slowBodies; i++)
      opening.push(openSlow(hc.receiverPort, i, i >= slowHeads ? 'body' : 'head', rng.int(200, 400), openedAt).then((s) => slow.push(s)));
    await Promise.all(opening);
    result.connected = slow.filter((s) => s.connected).length;
    result.connectFailures = slow
      .filter((s) => !s.connected)
      .map((s) => s.error)
      .slice(0, 5);
    log(`slow-loris: ${result.connected} slow sockets open (${slowHeads} sending a head, ${slowBodies} a body, a byte every 200-400 ms); normal traffic again`);
    result.beside = summary(await measure({ url, body, connections: 32, seconds }));
    result.ratioReqPerSec = round2(result.beside.reqPerSec / result.alone.reqPerSec);
    result.ratioP99 = round2(result.beside.p99Ms / result.alone.p99Ms);
    result.openAfterLoad = slow.filter((s) => s.connected && !s.closedAt).length;
    // How long does hook-catch let them dribble? Watched until every slow head is closed, or holdSeconds.
    const deadline = openedAt + holdSeconds * 1000;
    while (performance.now() < deadline && slow.some((s) => s.kind === 'head' && s.connected && !s.closedAt)) await sleep(250);
    result.heldSeconds = Math.round((performance.now() - openedAt) / 1000);
    result.slowHeadsClosed = closedSummary(slow.filter((s) => s.kind === 'head'));
    result.slowBodiesClosed = closedSummary(slow.filter((s) => s.kind === 'body'));
    result.bytesDribbled = slow.reduce((n, s) => n + s.sent, 0);
    const status = await api(`${hc.inspectorUrl}/api/status`);
    result.aliveAfter = hc.alive() && status.status === 200;
    result.stored = status.json?.requests?.stored ?? null;
    log(
      `slow-loris: alone ${result.alone.reqPerSec} req/s p99 ${result.alone.p99Ms} ms; beside ${result.connected} slow sockets ${result.beside.reqPerSec} req/s p99 ${result.beside.p99Ms} ms (${result.beside.non2xx} non-2xx, ${result.beside.errors} errors, ${result.beside.timeouts} timeouts); after ${result.heldSeconds} s: slow heads closed by hook-catch ${result.slowHeadsClosed.closed}/${slowHeads} ${JSON.stringify(result.slowHeadsClosed.answers)}, slow bodies ${result.slowBodiesClosed.closed}/${slowBodies}`,
    );
  } finally {
    for (const s of slow) s.stop();
    await hc.stop();
  }
  try {
    result.fdLimit = await underFdLimit({ seed, base, seconds, ...fdLimit, log });
  } finally {
    removeDir(base);
  }
  return result;
}

/** hook-catch under `ulimit -n limit`, with `slowHeads` slow sockets (more than the limit): normal traffic beside them, then without. */
async function underFdLimit({ seed, base, seconds, limit, slowHeads, log }) {
  const hc = await startHookCatch({
    dir: join(base, 'store-limited'),
    args: ['--max-requests', '10000000'],
    logDir: base,
    prefix: ['sh', '-c', `ulimit -n ${limit} && exec "$@"`, 'sh'],
  });
  const url = `${hc.receiverUrl}/webhook`;
  const body = webhookPayload(0);
  const slow = [];
  const result = { limit, slowHeads };
  try {
    const rng = rngFor(seed, 'loris-limited');
    const openedAt = performance.now();
    await Promise.all(Array.from({ length: slowHeads }, (_, i) => openSlow(hc.receiverPort, i, 'head', rng.int(200, 400), openedAt).then((s) => slow.push(s))));
    log(`slow-loris: under ulimit -n ${limit}, ${slowHeads} slow heads; normal traffic beside them`);
    result.beside = summary(await measure({ url, body, connections: 32, seconds }));
    result.inspector = await api(`${hc.inspectorUrl}/api/status`, { timeoutMs: 5000 }).then((r) => r.status || r.error);
    for (const s of slow) s.stop();
    await sleep(500);
    result.after = summary(await measure({ url, body, connections: 32, seconds }));
    result.alive = hc.alive();
    result.stderr = hc.stderr().trim().split('\n').filter(Boolean).slice(0, 5);
    log(
      `slow-loris: under ulimit -n ${limit} beside ${slowHeads} slow heads: ${result.beside.reqPerSec} req/s (${result.beside.total} answered, ${result.beside.errors} errors, ${result.beside.timeouts} timeouts), inspector ${result.inspector}; once they closed: ${result.after.reqPerSec} req/s`,
    );
  } finally {
    for (const s of slow) s.stop();
    await hc.stop();
  }
  return result;
}

/**
 * One slow socket: `head` sends a request head that never ends (a header value growing by a byte
 * each tick); `body` sends a whole head announcing 100 kB, then the body a byte each tick.
 */
async function openSlow(port, i, kind, everyMs, openedAt) {
  const s = { kind, connected: false, sent: 0, closedAt: null, answer: null, error: null, stop: () => undefined };
  let socket;
  try {
    socket = await rawConnect(port);
  } catch (error) {
    s.error = error.code ?? error.message;
    return s;
  }
  s.connected = true;
  let received = '';
  socket.on('data', (d) => (received += d.toString('latin1')));
  socket.on('error', () => undefined);
  const head =
    kind === 'head'
      ? `POST /slow/${i} HTTP/1.1\r\nHost: x\r\nX-Slow: `
      : `POST /slow/${i} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n`;
  socket.write(head);
  const timer = setInterval(() => {
    if (!socket.destroyed && socket.writable) {
      socket.write('a');
      s.sent++;
    }
  }, everyMs);
  socket.on('close', () => {
    clearInterval(timer);
    s.closedAt ??= performance.now() - openedAt;
    s.answer = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 'none';
    s.kept = /\r\nX-Hook-Catch-Id: /i.test(received);
  });
  s.stop = () => {
    clearInterval(timer);
    if (!s.closedAt) s.closedAt = -1; // closed by us, at the end
    socket.destroy();
  };
  return s;
}

function closedSummary(list) {
  const closed = list.filter((s) => s.closedAt !== null && s.closedAt >= 0);
  const answers = {};
  for (const s of closed) answers[s.answer] = (answers[s.answer] ?? 0) + 1;
  const times = closed.map((s) => s.closedAt / 1000).sort((a, b) => a - b);
  return {
    closed: closed.length,
    of: list.length,
    answers,
    kept: closed.filter((s) => s.kept).length,
    firstS: times.length ? round2(times[0]) : null,
    lastS: times.length ? round2(times[times.length - 1]) : null,
  };
}

function summary(load) {
  return {
    reqPerSec: Math.round(load.reqPerSec),
    p50Ms: round2(load.p50Ms),
    p99Ms: round2(load.p99Ms),
    maxMs: round2(load.maxMs),
    total: load.total,
    non2xx: load.non2xx,
    errors: load.errors,
    timeouts: load.timeouts,
  };
}

const round2 = (n) => (n == null ? null : Math.round(n * 100) / 100);
