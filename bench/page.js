// `npm run bench:page`: the inspector page in a real headless Chromium (scripts/browser.js), against
// hook-catch in a child process, all on 127.0.0.1. Four measurements:
//   1. first rows with 10,000 stored (5 loads, a fresh context each), rows in the DOM, scroll frames;
//   2. receiver's 200 answer -> row in the DOM, at 200 webhooks/s open-loop for 10 s;
//   3. a burst of 1,000 webhooks in about 1 s: frame gaps and long tasks, then every id found in the list;
//   4. receiver req/s (autocannon, 32 connections): bare node:http, hook-catch, hook-catch with the page open.
// Progress goes to stderr; a table to stdout; JSON to bench/results/page-<timestamp>.json.
// BENCH_SECONDS=n sets each autocannon run of (4) (default 10). BENCH_PAGE_BODIES=plain sends bodies that
// name no job in (2) and (3) (to see what the jobs panel costs the page). Exit code 1, with one line, on a failure.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../scripts/browser.js';
import { ask, killAll, peakRssMb, runNode, stop } from './children.js';
import { sendPaced as openLoop } from './http-client.js';
import { measure, percentile } from './load.js';
import { jobDeliveries } from './payload.js';

const here = dirname(fileURLToPath(import.meta.url));
const STORED = 10_000;
const LOADS = 5;
const VIEWPORT = { width: 1440, height: 900 };
const SCROLL_MS = 2000;
/** Rows per animation frame in the scroll test: 25 × 30 px, about 3,000 rows in 2 s at 60 fps. */
const SCROLL_ROWS_PER_FRAME = 25;
const RATE = 200;
const RATE_SECONDS = 10;
const BURST = 1000;
const BURST_MS = 1000;
const BURST_IN_FLIGHT = 64;
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LOAD_CONNECTIONS = 32;
/** A store nothing is dropped from during the run (the tests count every row). */
const UNCAPPED = 10_000_000;
/** Jobs the live webhooks name, round-robin (bench/payload.js): each body names one. */
const JOB_COUNT = 1000;
const PLAIN_BODIES = process.env.BENCH_PAGE_BODIES === 'plain';
/**
 * On a machine with two or more CPUs, Chromium runs on the last one and everything else (this
 * process with autocannon, hook-catch, the bare server) on the first, so that (4) measures what
 * feeding the page costs the receiver, not how a browser and a load generator crowd one small
 * machine. BENCH_PAGE_PIN=0 runs unpinned.
 */
const PIN = process.env.BENCH_PAGE_PIN !== '0' && cpus().length >= 2 && hasTaskset();
const BROWSER_CPU = cpus().length - 1;

function hasTaskset() {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pins this process (and so the servers it starts next) to CPU 0, and every Chromium process under it to the last CPU. */
function pinProcesses() {
  if (!PIN) return;
  execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 3);
  const mine = new Set([String(process.pid)]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of table) if (mine.has(ppid) && !mine.has(pid)) mine.add(pid), (grew = true);
  }
  for (const [pid, , comm] of table) {
    if (mine.has(pid) && /^(chrom|headless)/.test(comm)) {
      try {
        execFileSync('taskset', ['-a', '-cp', String(BROWSER_CPU), pid], { stdio: 'ignore' });
      } catch {
        // it ended meanwhile
      }
    }
  }
}

/** ~1 KB JSON bodies that name no job: for BENCH_PAGE_BODIES=plain. */
function plainBodies() {
  let n = 0;
  return () => JSON.stringify({ event: 'page.bench', n: n++, note: 'names no job', padding: 'x'.repeat(940) });
}
/** The whole run; past it everything is stopped and the run fails. */
const WATCHDOG_MS = 20 * 60_000;
/** How long to wait for the page to show something (the machine is shared and busy). */
const SHOWN_MS = 30_000;

const TARGETS = {
  ackToRowP99Ms: 100,
  pageOpenVsNoPage: 0.95,
  /** `npm run bench`'s target for hook-catch against bare node:http at 32 connections. */
  hookCatchVsBare: 0.6,
  /** list-view.ts draws this many rows beyond the visible ones, above and below. */
  overscan: 8,
};

const wallNow = () => performance.timeOrigin + performance.now();
const log = (line) => process.stderr.write(`bench:page: ${line}\n`);
const round = (n, digits = 1) => (n == null || !Number.isFinite(n) ? null : Number(n.toFixed(digits)));

// No child, no browser and no temp folder outlives the run, however it ends (Playwright also kills
// the browser it launched when this process exits).
const tempDirs = new Set();
let browser = null;
process.on('exit', () => {
  killAll();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
setTimeout(() => {
  process.stdout.write(`bench:page: FAILED: the run did not finish within ${WATCHDOG_MS / 60_000} minutes\n`);
  process.exit(1);
}, WATCHDOG_MS).unref();

/** Rejects when `promise` has not settled within `ms`. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// In the page: installed before the page's own script in every context (context.addInitScript).

/** Records when each `.row[data-id]` is first added, long tasks, WebSocket closes, and (on demand) animation frames. */
function instrumentPage() {
  const bench = {
    seen: new Map(),
    longTasks: [],
    longTaskSupported: false,
    ws: { opened: 0, closes: [] },
    frames: null,
    /** When on: when each request id's stream message reached the page (parsed a second time here). */
    trackMessages: false,
    messageAt: new Map(),
  };
  window.__bench = bench;
  const now = () => performance.timeOrigin + performance.now();
  new MutationObserver((records) => {
    const at = now();
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1 || !node.classList.contains('row')) continue;
        const id = node.dataset.id;
        if (id && !bench.seen.has(id)) bench.seen.set(id, at);
      }
    }
  }).observe(document, { childList: true, subtree: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    bench.longTaskSupported = PerformanceObserver.supportedEntryTypes.includes('longtask');
  } catch {
    bench.longTaskSupported = false;
  }
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      bench.ws.opened++;
      this.addEventListener('close', (e) => bench.ws.closes.push({ code: e.code, reason: e.reason, at: now() }));
      this.addEventListener('message', (e) => {
        if (!bench.trackMessages) return;
        const at = now();
        for (const m of JSON.parse(String(e.data))) if (m.type === 'request' && !bench.messageAt.has(m.request.id)) bench.messageAt.set(m.request.id, at);
      });
    }
  };
  /** Every animation frame's timestamp until stopFrames (the page's own frames are per change only). */
  bench.startFrames = () => {
    const times = [];
    bench.frames = times;
    const loop = (t) => {
      if (bench.frames !== times) return;
      times.push(t);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    return performance.now();
  };
  bench.stopFrames = () => {
    const times = bench.frames ?? [];
    bench.frames = null;
    return { times, end: performance.now() };
  };
}

/** What the page recorded between `from` and `to` (its own performance.now()): frames and long tasks. */
function frameStats(times, longTasks, from, to) {
  const gaps = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
  const sorted = Float64Array.from(gaps).sort();
  const tasks = longTasks.filter((t) => t.start >= from && t.start <= to);
  return {
    frames: times.length,
    p50FrameMs: round(percentile(sorted, 50)),
    p99FrameMs: round(percentile(sorted, 99)),
    longestFrameGapMs: round(sorted.length ? sorted[sorted.length - 1] : null),
    framesOver50Ms: gaps.filter((g) => g > 50).length,
    longTasks: tasks.length,
    longTasksTotalMs: round(tasks.reduce((s, t) => s + t.duration, 0)),
    longestTaskMs: round(tasks.reduce((m, t) => Math.max(m, t.duration), 0)),
  };
}

// ---------------------------------------------------------------------------------------------
// Browser helpers

/** A page in a fresh browser context, instrumented; `close()` ends the context. */
async function newPage() {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(instrumentPage);
  const page = await context.newPage();
  pinProcesses(); // a new renderer process may have started
  page.setDefaultTimeout(SHOWN_MS);
  page.setDefaultNavigationTimeout(SHOWN_MS);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { page, errors, close: () => withTimeout(context.close(), 10_000, 'closing a browser context').catch(() => undefined) };
}

/** Opens the inspector and waits for the live stream, and for its first rows (or, with `empty`, the empty list's text). */
async function openInspector(url, { empty = false } = {}) {
  const opened = await newPage();
  try {
    await opened.page.goto(url, { waitUntil: 'domcontentloaded' });
    if (empty) await opened.page.locator('#list .empty').waitFor({ timeout: SHOWN_MS });
    else await opened.page.waitForFunction(() => performance.getEntriesByName('hook-catch:first-rows').length > 0, null, { timeout: SHOWN_MS });
    await opened.page.locator('[data-state=stream]', { hasText: 'connected' }).waitFor({ timeout: SHOWN_MS });
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

/** The page's clock less this process's (both performance.timeOrigin + performance.now()), from the shortest round trip. */
async function clockOffset(page) {
  let best = null;
  for (let i = 0; i < 20; i++) {
    const t0 = wallNow();
    const inPage = await page.evaluate(() => performance.timeOrigin + performance.now());
    const t1 = wallNow();
    if (!best || t1 - t0 < best.roundTripMs) best = { roundTripMs: t1 - t0, offsetMs: inPage - (t0 + t1) / 2 };
  }
  return { offsetMs: round(best.offsetMs, 2), uncertaintyMs: round(best.roundTripMs / 2, 2) };
}

const pageErrors = (opened) => opened.errors.slice(0, 5);

// ---------------------------------------------------------------------------------------------
// Sending webhooks from this process

/** POSTs one body; resolves with the answer's status, the capture's id and when the answer arrived. */
function post(agent, port, body) {
  return new Promise((resolve, reject) => {
    const sentAt = wallNow();
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/webhook',
        method: 'POST',
        agent,
        timeout: 15_000,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const ackAt = wallNow();
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let id = res.headers['x-hook-catch-id'];
          if (!id) {
            try {
              id = JSON.parse(Buffer.concat(chunks).toString('utf8')).id;
            } catch {
              // no id: counted as a failed send below
            }
          }
          resolve({ status: res.statusCode, id: id ?? null, sentAt, ackAt });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs `count` bodies at `ratePerSec` (an open loop: http-client.js) over one keep-alive agent; what came back. */
async function sendPaced({ port, count, ratePerSec, maxInFlight, nextBody }) {
  const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
  try {
    const { results, maxLateMs, sendSpanMs, seconds } = await openLoop({ count, ratePerSec, maxInFlight, sendOne: () => post(agent, port, nextBody()) });
    const ok = results.filter((r) => r.status === 200 && r.id);
    return {
      results,
      ok,
      failed: results.length - ok.length,
      firstError: results.find((r) => r.error || r.status !== 200)?.error ?? results.find((r) => r.status !== 200)?.status ?? null,
      sendSpanMs,
      allAnsweredMs: seconds * 1000,
      maxLateMs,
    };
  } finally {
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Processes: CPU time, for the receiver-rate runs

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** pid -> { ppid, ticks (user + system), comm } for every process now. */
function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      table.set(Number(name), { comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** CPU ms so far of: the given server pid, and the browser (every process below this one that is not a node child). */
function cpuSnapshot(serverPid) {
  const table = processTable();
  const below = new Map();
  for (const [pid, p] of table) {
    if (!below.has(p.ppid)) below.set(p.ppid, []);
    below.get(p.ppid).push(pid);
  }
  const descendants = (root) => {
    const out = [];
    const stack = [...(below.get(root) ?? [])];
    while (stack.length) {
      const pid = stack.pop();
      out.push(pid);
      stack.push(...(below.get(pid) ?? []));
    }
    return out;
  };
  const ms = (ticks) => (ticks * 1000) / CLOCK_TICKS;
  const nodeChildren = new Set((below.get(process.pid) ?? []).filter((pid) => table.get(pid)?.comm === 'node'));
  const browserPids = descendants(process.pid).filter((pid) => !nodeChildren.has(pid) && ![...nodeChildren].some((n) => descendants(n).includes(pid)));
  const own = process.cpuUsage();
  return {
    at: performance.now(),
    serverMs: serverPid && table.has(serverPid) ? ms(table.get(serverPid).ticks) : null,
    browser: new Map(browserPids.map((pid) => [pid, ms(table.get(pid).ticks)])),
    loadGeneratorMs: (own.user + own.system) / 1000,
  };
}

/** CPU used between two snapshots, in % of one core (200 % is both cores of this machine). */
function cpuBetween(a, b) {
  const seconds = (b.at - a.at) / 1000;
  let browserMs = 0;
  for (const [pid, ms] of b.browser) browserMs += ms - (a.browser.get(pid) ?? 0);
  const pct = (ms) => (ms == null ? null : round(ms / seconds / 10, 0));
  return {
    serverPct: pct(a.serverMs == null || b.serverMs == null ? null : b.serverMs - a.serverMs),
    browserPct: pct(browserMs),
    loadGeneratorPct: pct(b.loadGeneratorMs - a.loadGeneratorMs),
  };
}

// ---------------------------------------------------------------------------------------------
// Children

async function newStoreDir() {
  const dir = await mkdtemp(join(tmpdir(), 'hook-catch-page-bench-'));
  tempDirs.add(dir);
  return dir;
}

function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

async function startHookCatch(dir) {
  const { child, info, readyMs } = await runNode(join(here, 'hook-catch-server.js'), ['--dir', dir, '--max-requests', String(UNCAPPED)]);
  return { child, port: info.port, inspectorUrl: `http://127.0.0.1:${info.inspectorPort}/`, stored: info.stored, startMs: info.startMs, readyMs };
}

async function status(hc) {
  const res = await withTimeout(fetch(`${hc.inspectorUrl}api/status`), 10_000, 'GET /api/status');
  return (await res.json()).requests;
}

// ---------------------------------------------------------------------------------------------
// 1. First rows with 10,000 stored; rows in the DOM; scrolling

async function firstPaint(hc) {
  const opened = [];
  try {
    return await firstPaintIn(hc, opened);
  } finally {
    for (const o of opened) await o.close();
  }
}

async function firstPaintIn(hc, opened) {
  const loads = [];
  let last = null;
  for (let i = 0; i < LOADS; i++) {
    if (last) await last.close();
    last = await newPage();
    opened.push(last);
    const { page } = last;
    await page.goto(hc.inspectorUrl, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => performance.getEntriesByName('hook-catch:first-rows').length > 0, null, { timeout: SHOWN_MS });
    await page.locator('[data-state=stream]', { hasText: 'connected' }).waitFor({ timeout: SHOWN_MS });
    // First contentful paint is reported after the paint; give it a moment when it is not in yet.
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 5000 }).catch(() => undefined);
    const load = await page.evaluate(() => {
      const list = document.getElementById('list');
      const rowHeight = parseFloat(getComputedStyle(list).getPropertyValue('--row-height')) || 30;
      const nav = performance.getEntriesByType('navigation')[0];
      const resource = (part) => {
        const e = performance.getEntriesByType('resource').find((r) => r.name.includes(part));
        return e ? { endMs: e.responseEnd, bytes: e.encodedBodySize } : null;
      };
      return {
        firstRowsMs: performance.getEntriesByName('hook-catch:first-rows')[0].startTime,
        fcpMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
        domContentLoadedMs: nav?.domContentLoadedEventEnd ?? null,
        firstPage: resource('/api/requests'),
        jobs: resource('/api/jobs'),
        rowsInDom: document.querySelectorAll('#list .row').length,
        rowsThatFit: Math.ceil(list.clientHeight / rowHeight),
        rowHeight,
        count: document.getElementById('count').textContent,
        longestTaskMs: window.__bench.longTasks.reduce((m, t) => Math.max(m, t.duration), 0),
      };
    });
    load.errors = pageErrors(last);
    loads.push(load);
    log(
      `  load ${i + 1}: first rows ${Math.round(load.firstRowsMs)} ms, first contentful paint ${load.fcpMs == null ? '–' : Math.round(load.fcpMs)} ms, ${load.rowsInDom} rows in the DOM`,
    );
  }

  // Scrolling, on the last load's page, once its jobs panel has drawn (so that is not what is measured).
  const { page } = last;
  await page
    .locator('#jobs .job, #jobs .placeholder')
    .first()
    .waitFor({ timeout: SHOWN_MS })
    .catch(() => undefined);
  await pause(1000);
  const scroll = await withTimeout(
    page.evaluate(
      async ({ rowsPerFrame, durationMs }) => {
        const list = document.getElementById('list');
        const rowHeight = parseFloat(getComputedStyle(list).getPropertyValue('--row-height')) || 30;
        const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
        list.scrollTop = 0;
        await frame();
        await frame();
        const from = performance.now();
        const times = [];
        let heldAtEnd = 0;
        let movedBack = 0;
        let maxRowsInDom = 0;
        let maxTop = 0;
        let asked = null;
        for (;;) {
          const t = await frame();
          times.push(t);
          // Where the list is now, after the page handled last frame's scroll (its scroll listener draws the rows).
          const at = list.scrollTop;
          if (asked !== null && at < asked - 1) movedBack++;
          maxTop = Math.max(maxTop, at);
          maxRowsInDom = Math.max(maxRowsInDom, list.querySelectorAll('.row').length);
          if (t - times[0] >= durationMs) break;
          list.scrollTop = at + rowsPerFrame * rowHeight;
          asked = list.scrollTop; // less than asked at the end of the rows loaded so far
          if (asked === at) heldAtEnd++;
        }
        const to = performance.now();
        return {
          times,
          from,
          to,
          rowsReached: Math.floor(maxTop / rowHeight),
          rowsAsked: (times.length - 1) * rowsPerFrame,
          heldAtEnd,
          movedBack,
          maxRowsInDom,
          longTasks: window.__bench.longTasks,
        };
      },
      { rowsPerFrame: SCROLL_ROWS_PER_FRAME, durationMs: SCROLL_MS },
    ),
    SCROLL_MS + 20_000,
    'the scroll test',
  );
  const errors = pageErrors(last);
  await last.close();
  const stat = (key) => {
    const values = Float64Array.from(loads.map((l) => l[key]).filter((v) => v != null)).sort();
    return values.length ? { medianMs: round(percentile(values, 50)), maxMs: round(values[values.length - 1]) } : { medianMs: null, maxMs: null };
  };
  const fs = frameStats(scroll.times, scroll.longTasks, scroll.from, scroll.to);
  return {
    stored: hc.stored,
    loads,
    firstRows: stat('firstRowsMs'),
    firstContentfulPaint: stat('fcpMs'),
    rowsInDom: Math.max(...loads.map((l) => l.rowsInDom)),
    rowsThatFit: loads[0].rowsThatFit,
    scroll: {
      rowsPerFrame: SCROLL_ROWS_PER_FRAME,
      durationMs: SCROLL_MS,
      rowsAsked: scroll.rowsAsked,
      rowsReached: scroll.rowsReached,
      framesHeldAtEndOfLoadedRows: scroll.heldAtEnd,
      framesMovedBackByThePage: scroll.movedBack,
      maxRowsInDom: scroll.maxRowsInDom,
      ...fs,
    },
    errors,
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Receiver's answer -> row in the DOM, 200 webhooks/s

async function ackToRow(hc, bodies) {
  const opened = await openInspector(hc.inspectorUrl);
  try {
    const { page } = opened;
    await pause(1000);
    const clock = await clockOffset(page);
    const from = await page.evaluate(() => {
      window.__bench.trackMessages = true;
      return window.__bench.startFrames();
    });
    log(`  clock: page's minus this process's ${clock.offsetMs} ms (± ${clock.uncertaintyMs} ms); sending ${RATE * RATE_SECONDS} at ${RATE}/s`);
    // This process's own stalls: an answer noticed late here makes its latency look shorter.
    const ownDelay = monitorEventLoopDelay({ resolution: 1 });
    ownDelay.enable();
    const sent = await withTimeout(
      sendPaced({ port: hc.port, count: RATE * RATE_SECONDS, ratePerSec: RATE, maxInFlight: 32, nextBody: bodies }),
      RATE_SECONDS * 1000 + 60_000,
      'sending at 200/s',
    );
    ownDelay.disable();
    const ids = sent.ok.map((r) => r.id);
    // Every row should be drawn within a frame or two; give stragglers up to 10 s.
    const waitUntil = performance.now() + 10_000;
    let shown = [];
    for (;;) {
      shown = await page.evaluate((list) => list.map((id) => window.__bench.seen.get(id) ?? null), ids);
      if (shown.every((t) => t !== null) || performance.now() > waitUntil) break;
      await pause(250);
    }
    const { times, end } = await page.evaluate(() => window.__bench.stopFrames());
    const page2 = await page.evaluate(() => ({
      longTasks: window.__bench.longTasks,
      ws: window.__bench.ws,
      longTaskSupported: window.__bench.longTaskSupported,
    }));
    const messageAt = await page.evaluate((list) => {
      window.__bench.trackMessages = false;
      return list.map((id) => window.__bench.messageAt.get(id) ?? null);
    }, ids);
    const latencies = [];
    const toMessage = [];
    const messageToRow = [];
    for (let i = 0; i < ids.length; i++) {
      if (shown[i] !== null) latencies.push(shown[i] - sent.ok[i].ackAt);
      if (messageAt[i] !== null) toMessage.push(messageAt[i] - sent.ok[i].ackAt);
      if (messageAt[i] !== null && shown[i] !== null) messageToRow.push(shown[i] - messageAt[i]);
    }
    const sorted = Float64Array.from(latencies).sort();
    const spread = (values) => {
      const v = Float64Array.from(values).sort();
      return { p50Ms: round(percentile(v, 50)), p99Ms: round(percentile(v, 99)), maxMs: round(v.length ? v[v.length - 1] : null) };
    };
    const answers = Float64Array.from(sent.ok.map((r) => r.ackAt - r.sentAt)).sort();
    return {
      rate: RATE,
      seconds: RATE_SECONDS,
      sent: RATE * RATE_SECONDS,
      answered200: ids.length,
      failedSends: sent.failed,
      firstSendError: sent.firstError,
      sendSpanMs: round(sent.sendSpanMs),
      maxSendLateMs: round(sent.maxLateMs),
      benchLoopDelayMaxMs: round(ownDelay.max / 1e6 - 1),
      answerP99Ms: round(percentile(answers, 99), 2),
      shown: latencies.length,
      neverShown: ids.length - latencies.length,
      p50Ms: round(percentile(sorted, 50)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted.length ? sorted[sorted.length - 1] : null),
      minMs: round(sorted.length ? sorted[0] : null),
      clock,
      answerToMessage: { ...spread(toMessage), messages: toMessage.length },
      messageToRow: spread(messageToRow),
      page: frameStats(times, page2.longTasks, from, end),
      wsCloses: page2.ws.closes.map((c) => c.code),
      errors: pageErrors(opened),
      ids,
    };
  } finally {
    await opened.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 3. A burst of 1,000 in about a second; then every id must be in the list

async function burst(hc, bodies, earlierIds) {
  const opened = await openInspector(hc.inspectorUrl);
  try {
    const { page } = opened;
    await pause(1000);
    const from = await page.evaluate(() => window.__bench.startFrames());
    log(`  sending ${BURST} within ${BURST_MS} ms, at most ${BURST_IN_FLIGHT} at once`);
    const sent = await withTimeout(
      sendPaced({ port: hc.port, count: BURST, ratePerSec: (BURST * 1000) / BURST_MS, maxInFlight: BURST_IN_FLIGHT, nextBody: bodies }),
      60_000,
      'the burst',
    );
    const stored = (await status(hc)).stored;
    // Settled: the page counts every request the stream brought (or 20 s passed); then one more second.
    const settled = await page
      .waitForFunction((n) => document.getElementById('count').textContent.replace(/\D/g, '') === String(n), stored, { timeout: 20_000, polling: 100 })
      .then(
        () => true,
        () => false,
      );
    await pause(1000);
    const { times, end } = await page.evaluate(() => window.__bench.stopFrames());
    const during = await page.evaluate(() => ({
      longTasks: window.__bench.longTasks,
      ws: window.__bench.ws,
      longTaskSupported: window.__bench.longTaskSupported,
      count: document.getElementById('count').textContent,
    }));
    const drawing = frameStats(times, during.longTasks, from, end);
    log(`  burst sent in ${Math.round(sent.sendSpanMs)} ms; longest frame gap ${drawing.longestFrameGapMs} ms; scrolling the list through to find every id`);

    // Without scrolling first: #list made tall enough (through the CSSOM, as the page's CSP allows) for the newest rows, so
    // that the page draws them all at once; this tells whether the rows are in the page's list at all.
    const tall = await withTimeout(
      page.evaluate(
        async ({ rows }) => {
          const list = document.getElementById('list');
          const rowHeight = parseFloat(getComputedStyle(list).getPropertyValue('--row-height')) || 30;
          const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
          const scrollTop = list.scrollTop;
          list.style.setProperty('flex', 'none', 'important');
          list.style.setProperty('height', `${rows * rowHeight}px`, 'important');
          list.dispatchEvent(new Event('scroll')); // the page draws on scroll (and resize)
          await frame();
          await frame();
          const ids = [...list.querySelectorAll('.row')].map((el) => el.dataset.id);
          const clientHeight = list.clientHeight;
          list.style.removeProperty('flex');
          list.style.removeProperty('height');
          list.dispatchEvent(new Event('scroll'));
          await frame();
          return { ids, clientHeight, scrollTop };
        },
        { rows: BURST + 400 },
      ),
      30_000,
      'drawing the list tall',
    );
    const inTallList = new Set(tall.ids);

    // One viewport per frame, top to bottom, noting each row's place; ends when every stored request
    // was seen, or the list got no further for 4 s (its end, or the page keeps moving it back), or after 120 s.
    const walk = await withTimeout(
      page.evaluate(
        async ({ expected, timeLimitMs }) => {
          const list = document.getElementById('list');
          const rowHeight = parseFloat(getComputedStyle(list).getPropertyValue('--row-height')) || 30;
          const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
          const places = new Map();
          const conflicts = [];
          let maxRowsInDom = 0;
          list.scrollTop = 0;
          await frame();
          await frame();
          const t0 = performance.now();
          let lastMove = t0;
          let timedOut = false;
          let frames = 0;
          let maxTop = 0;
          let asked = null;
          let movedBack = 0;
          for (;;) {
            const at = list.scrollTop;
            if (asked !== null && at < asked - 1) movedBack++;
            if (at > maxTop) {
              maxTop = at;
              lastMove = performance.now();
            }
            const rows = list.querySelectorAll('.row');
            maxRowsInDom = Math.max(maxRowsInDom, rows.length);
            for (const el of rows) {
              const id = el.dataset.id;
              const place = Math.round(parseFloat(el.style.top) / rowHeight);
              const known = places.get(id);
              if (known === undefined) places.set(id, place);
              else if (known !== place && conflicts.length < 20) conflicts.push({ id, was: known, now: place });
            }
            if (places.size >= expected) break;
            const now = performance.now();
            if (now - t0 > timeLimitMs) {
              timedOut = true;
              break;
            }
            if (now - lastMove > 4000) break;
            list.scrollTop = at + list.clientHeight;
            asked = list.scrollTop;
            await frame();
            frames++;
          }
          return {
            places: [...places],
            conflicts,
            maxRowsInDom,
            timedOut,
            frames,
            movedBack,
            rowsReached: Math.floor(maxTop / rowHeight),
            ms: performance.now() - t0,
          };
        },
        { expected: stored, timeLimitMs: 120_000 },
      ),
      150_000,
      'scrolling through the list',
    );
    const places = new Map(walk.places);
    const burstIds = sent.ok.map((r) => r.id);
    const missing = burstIds.filter((id) => !places.has(id));
    // Newest first, one row per place: sorted by place, ids must go down.
    const byPlace = [...places].sort((a, b) => a[1] - b[1]);
    let outOfOrder = 0;
    let samePlace = 0;
    for (let i = 1; i < byPlace.length; i++) {
      if (byPlace[i][1] === byPlace[i - 1][1]) samePlace++;
      else if (byPlace[i][0] >= byPlace[i - 1][0]) outOfOrder++;
    }
    const duplicated = new Set(walk.conflicts.map((c) => c.id)).size;
    return {
      sent: BURST,
      answered200: burstIds.length,
      failedSends: sent.failed,
      firstSendError: sent.firstError,
      sendSpanMs: round(sent.sendSpanMs),
      allAnsweredMs: round(sent.allAnsweredMs),
      settled,
      countShown: during.count,
      longTaskSupported: during.longTaskSupported,
      ...drawing,
      wsCloses: during.ws.closes.map((c) => c.code),
      found: burstIds.length - missing.length,
      missing: missing.slice(0, 20),
      foundInTallList: burstIds.filter((id) => inTallList.has(id)).length,
      tallListRows: tall.ids.length,
      tallListHeightPx: tall.clientHeight,
      scrollMovedBackByThePage: walk.movedBack,
      scrollRowsReached: walk.rowsReached,
      earlierFound: earlierIds.filter((id) => places.has(id)).length,
      earlierSent: earlierIds.length,
      storedAtEnd: stored,
      rowsSeenScrolling: places.size,
      rowsAtTwoPlaces: duplicated,
      placesWithTwoRows: samePlace,
      outOfOrder,
      scrollFrames: walk.frames,
      scrollMs: round(walk.ms, 0),
      scrollTimedOut: walk.timedOut,
      maxRowsInDomScrolling: walk.maxRowsInDom,
      errors: pageErrors(opened),
    };
  } finally {
    await opened.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Receiver req/s: bare, hook-catch without a page, hook-catch with the page open

async function rateRun(kind, bodies) {
  const row = { kind, name: { bare: '(a) bare node:http', 'no-page': '(b) hook-catch, no page', page: '(c) hook-catch, page open' }[kind] };
  let child;
  let dir;
  let opened;
  let hc;
  try {
    let port;
    if (kind === 'bare') {
      const started = await runNode(join(here, 'bare-server.js'));
      child = started.child;
      port = started.info.port;
    } else {
      dir = await newStoreDir();
      hc = await startHookCatch(dir);
      child = hc.child;
      port = hc.port;
      if (kind === 'page') {
        opened = await openInspector(hc.inspectorUrl, { empty: true });
        await pause(500);
        row.pageFrom = await opened.page.evaluate(() => window.__bench.startFrames());
      }
    }
    let before;
    row.load = await withTimeout(
      measure({
        url: `http://127.0.0.1:${port}/webhook`,
        nextBody: bodies,
        connections: LOAD_CONNECTIONS,
        seconds: LOAD_SECONDS,
        afterWarmup: async () => {
          await ask(child, 'reset');
          before = cpuSnapshot(child.pid);
        },
      }),
      (LOAD_SECONDS + 1) * 1000 + 60_000,
      `autocannon against ${row.name}`,
    );
    row.cpu = cpuBetween(before, cpuSnapshot(child.pid));
    row.loopDelay = await ask(child, 'loop-delay');
    row.peakRssMb = round(peakRssMb(child.pid));
    if (opened) {
      const { times, end } = await opened.page.evaluate(() => window.__bench.stopFrames());
      // Does the page's count catch up with what hook-catch stored (it resyncs after a drop)?
      const stored = (await status(hc)).stored;
      row.storedAtEnd = stored;
      row.pageCaughtUp = await opened.page
        .waitForFunction((n) => document.getElementById('count').textContent.replace(/\D/g, '') === String(n), stored, { timeout: 10_000, polling: 100 })
        .then(
          () => true,
          () => false,
        );
      const seen = await opened.page.evaluate(() => ({
        longTasks: window.__bench.longTasks,
        ws: window.__bench.ws,
        count: document.getElementById('count').textContent,
        rowsInDom: document.querySelectorAll('#list .row').length,
      }));
      row.page = {
        ...frameStats(times, seen.longTasks, row.pageFrom, end),
        count: seen.count,
        rowsInDom: seen.rowsInDom,
        wsCloses: seen.ws.closes.map((c) => c.code),
        errors: pageErrors(opened),
      };
    }
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${row.error}`);
  } finally {
    if (opened) await opened.close();
    if (child) await stop(child);
    if (dir) removeDir(dir);
  }
  const l = row.load;
  if (l)
    log(
      `  ${row.name}: ${Math.round(l.reqPerSec)} req/s, p99 ${l.p99Ms?.toFixed(2)} ms; CPU: server ${row.cpu.serverPct}%, browser ${row.cpu.browserPct}%, autocannon ${row.cpu.loadGeneratorPct}%`,
    );
  return row;
}

async function receiverRate() {
  const order = ['bare', 'no-page', 'page', 'no-page', 'page'];
  const runs = [];
  for (const kind of order) {
    log(`(4) ${kind}: warm-up 1 s, then ${LOAD_SECONDS} s at ${LOAD_CONNECTIONS} connections`);
    // The same bodies in every run: each run starts the job round-robin again.
    runs.push(await rateRun(kind, jobDeliveries(JOB_COUNT)));
    await pause(1000);
  }
  const mean = (kind) => {
    const ok = runs.filter((r) => r.kind === kind && r.load && !r.error);
    return ok.length ? ok.reduce((s, r) => s + r.load.reqPerSec, 0) / ok.length : null;
  };
  const bare = mean('bare');
  const noPage = mean('no-page');
  const withPage = mean('page');
  const pairs = [];
  for (let i = 0; i < runs.length; i++) {
    const c = runs[i];
    const b = runs[i - 1];
    if (c.kind === 'page' && b?.kind === 'no-page' && c.load && b.load) pairs.push(round(c.load.reqPerSec / b.load.reqPerSec, 3));
  }
  return {
    connections: LOAD_CONNECTIONS,
    seconds: LOAD_SECONDS,
    order,
    runs,
    meanReqPerSec: { bare: round(bare, 0), noPage: round(noPage, 0), page: round(withPage, 0) },
    pageVsNoPage: withPage && noPage ? round(withPage / noPage, 3) : null,
    pageVsNoPageEachPair: pairs,
    noPageVsBare: noPage && bare ? round(noPage / bare, 3) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The report

const ms = (n) => (n == null ? '–' : `${Math.round(n).toLocaleString('en-US')} ms`);
const ms1 = (n) => (n == null ? '–' : `${n.toFixed(1)} ms`);
const int = (n) => (n == null ? '–' : Math.round(n).toLocaleString('en-US'));
const verdict = (pass) => (pass == null ? '' : pass ? 'PASS' : 'MISS');

function report(meta, r) {
  const rows = [];
  const add = (measurement, measured, target = '–', pass = null) => rows.push([measurement, measured, target, verdict(pass)]);
  const fp = r.firstPaint;
  if (fp && !fp.error) {
    add(
      `1. First rows (hook-catch:first-rows), ${int(fp.stored)} stored, ${LOADS} loads: median / max`,
      `${ms(fp.firstRows.medianMs)} / ${ms(fp.firstRows.maxMs)}`,
    );
    add('1. First contentful paint: median / max', `${ms(fp.firstContentfulPaint.medianMs)} / ${ms(fp.firstContentfulPaint.maxMs)}`);
    const limit = fp.rowsThatFit + 2 * TARGETS.overscan + 1;
    add(
      '1. .row elements in the DOM after load (most of any load)',
      `${fp.rowsInDom} (${fp.rowsThatFit} fit in #list)`,
      `≤ ${limit}: the visible ones + ${TARGETS.overscan} overscan each side`,
      fp.rowsInDom <= limit,
    );
    const s = fp.scroll;
    const stuck = s.framesMovedBackByThePage > 0 ? ' (but the list did not really scroll: see the WARNING below)' : '';
    add(
      `1. Scroll ${s.rowsPerFrame} rows/frame for ${s.durationMs / 1000} s: frame interval p99 / longest`,
      `${ms1(s.p99FrameMs)} / ${ms1(s.longestFrameGapMs)}${stuck}`,
      '– (16.7 ms is 60 fps)',
    );
    add(
      '1. Scroll: rows reached of rows asked; frames the page moved #list back',
      `${int(s.rowsReached)} of ${int(s.rowsAsked)}; ${s.framesMovedBackByThePage} of ${s.frames}`,
      'most of those asked (a few thousand); 0',
      s.rowsReached >= s.rowsAsked / 2 && s.framesMovedBackByThePage === 0,
    );
    add(
      '1. Scroll: most .row in the DOM; frames held at the end of the loaded rows',
      `${s.maxRowsInDom}; ${s.framesHeldAtEndOfLoadedRows}`,
      `≤ ${limit} rows in the DOM`,
      s.maxRowsInDom <= limit,
    );
  } else add('1. First rows with 10,000 stored', `FAILED: ${fp?.error}`);

  const a = r.ackToRow;
  if (a && !a.error) {
    add(
      `2. Answer → row in the DOM, ${a.rate}/s for ${a.seconds} s: p50 / p99 / max`,
      `${ms1(a.p50Ms)} / ${ms1(a.p99Ms)} / ${ms1(a.maxMs)}`,
      `p99 < ${TARGETS.ackToRowP99Ms} ms`,
      a.p99Ms != null && a.p99Ms < TARGETS.ackToRowP99Ms,
    );
    add(
      '2. Never shown (answered 200, no row within 10 s)',
      `${a.neverShown} of ${a.answered200}${a.failedSends ? ` (${a.failedSends} sends failed: ${a.firstSendError})` : ''}`,
      '0',
      a.neverShown === 0 && a.failedSends === 0,
    );
  } else add('2. Answer → row at 200/s', `FAILED: ${a?.error}`);

  const b = r.burst;
  if (b && !b.error) {
    add(`3. Burst of ${b.sent} in ${ms(b.sendSpanMs)}: longest gap between frames`, ms1(b.longestFrameGapMs));
    add(
      '3. Long tasks while it was drawn: count / total / longest',
      b.longTaskSupported ? `${b.longTasks} / ${ms(b.longTasksTotalMs)} / ${ms(b.longestTaskMs)}` : 'not supported by this Chromium',
    );
    add(
      '3. Burst ids found scrolling the list top to bottom',
      `${b.found} / ${b.answered200}${b.failedSends ? ` (${b.failedSends} sends failed)` : ''}`,
      'all',
      b.found === b.answered200 && b.failedSends === 0,
    );
    add(
      '3. Scrolling the list: rows reached; frames the page moved #list back',
      `${int(b.scrollRowsReached)}; ${b.scrollMovedBackByThePage} of ${b.scrollFrames}`,
      `≥ ${int(b.storedAtEnd - 30)}; 0`,
      b.scrollRowsReached >= b.storedAtEnd - 30 && b.scrollMovedBackByThePage === 0,
    );
    add(
      `3. Burst ids drawn with #list made ${int(b.tallListHeightPx)} px tall (no scrolling)`,
      `${b.foundInTallList} / ${b.answered200} (${int(b.tallListRows)} rows drawn)`,
      'all',
      b.foundInTallList === b.answered200,
    );
    add(
      '3. Whole list: rows seen / stored; two places for a row; out of order',
      `${int(b.rowsSeenScrolling)} / ${int(b.storedAtEnd)}; ${b.rowsAtTwoPlaces}; ${b.outOfOrder}`,
      'all; 0; 0',
      b.rowsSeenScrolling === b.storedAtEnd && b.rowsAtTwoPlaces === 0 && b.outOfOrder === 0 && b.placesWithTwoRows === 0,
    );
  } else add('3. Burst of 1,000', `FAILED: ${b?.error}`);

  const rr = r.receiverRate;
  if (rr && !rr.error) {
    const m = rr.meanReqPerSec;
    add(
      `4. req/s, ${rr.connections} conns, ${rr.seconds} s each: (a) bare / (b) no page / (c) page open (mean of runs)`,
      `${int(m.bare)} / ${int(m.noPage)} / ${int(m.page)}`,
    );
    add(
      '4. (c)/(b): page open vs no page (each b→c pair)',
      `${rr.pageVsNoPage?.toFixed(2) ?? '–'}× (${rr.pageVsNoPageEachPair.map((x) => `${x.toFixed(2)}×`).join(', ')})`,
      `≥ ${TARGETS.pageOpenVsNoPage}×`,
      rr.pageVsNoPage != null && rr.pageVsNoPage >= TARGETS.pageOpenVsNoPage,
    );
    add(
      '4. (b)/bare',
      `${rr.noPageVsBare?.toFixed(2) ?? '–'}×`,
      `≥ ${TARGETS.hookCatchVsBare}× (npm run bench's target)`,
      rr.noPageVsBare != null && rr.noPageVsBare >= TARGETS.hookCatchVsBare,
    );
  } else add('4. Receiver rate', `FAILED: ${rr?.error}`);

  const table = (head, body) => {
    const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
    for (const cells of body) lines.push(`| ${cells.join(' | ')} |`);
    return lines.join('\n');
  };
  const out = [
    `hook-catch inspector page benchmark: Node ${meta.node}, ${meta.cpus} CPUs (load average ${meta.loadAverageAtStart.join(' ')} at start), Chromium ${meta.chromium} headless (pinned: ${meta.pinned}), viewport ${VIEWPORT.width}×${VIEWPORT.height}, ~${meta.bodyBytes}-byte JSON bodies: ${meta.bodies}; store prefilled with ${int(STORED)} (each naming its own job)`,
    '',
    table(['Measurement', 'Measured', 'Target', ''], rows),
  ];
  if (rr?.runs) {
    out.push(
      '',
      `Receiver runs, in the order run (autocannon, ${rr.connections} connections, 1 s warm-up then ${rr.seconds} s; CPU in % of one core, 200 % = the whole machine):`,
      '',
    );
    out.push(
      table(
        [
          'Run',
          'req/s',
          'p99 ms',
          'server CPU',
          'Chromium CPU',
          'autocannon CPU',
          'longest stall ms',
          'page: longest frame gap / p99 frame',
          'page: count shown, WebSocket closes',
        ],
        rr.runs.map((run) =>
          run.error
            ? [run.name, `FAILED: ${run.error}`, '', '', '', '', '', '', '']
            : [
                run.name,
                int(run.load.reqPerSec),
                run.load.p99Ms?.toFixed(2) ?? '–',
                `${run.cpu.serverPct ?? '–'} %`,
                `${run.cpu.browserPct ?? '–'} %`,
                `${run.cpu.loadGeneratorPct ?? '–'} %`,
                run.loopDelay?.maxMs?.toFixed(1) ?? '–',
                run.page ? `${ms1(run.page.longestFrameGapMs)} / ${ms1(run.page.p99FrameMs)}` : '',
                run.page
                  ? `${run.page.count} (hook-catch: ${int(run.storedAtEnd)}${run.pageCaughtUp ? '' : ', NOT caught up 10 s later'}); ${run.page.wsCloses.length ? run.page.wsCloses.join(', ') : 'none'}`
                  : '',
              ],
        ),
      ),
    );
  }
  const notes = [];
  if (fp?.loads)
    notes.push(
      `(1) each load: first rows ${fp.loads.map((l) => Math.round(l.firstRowsMs)).join(', ')} ms; first page of /api/requests answered at ${fp.loads.map((l) => (l.firstPage ? Math.round(l.firstPage.endMs) : '–')).join(', ')} ms; /api/jobs?full=1 (${fp.loads[0].jobs ? `${(fp.loads[0].jobs.bytes / 1e6).toFixed(2)} MB` : '–'}) at ${fp.loads.map((l) => (l.jobs ? Math.round(l.jobs.endMs) : '–')).join(', ')} ms; longest task during each load ${fp.loads.map((l) => Math.round(l.longestTaskMs)).join(', ')} ms`,
    );
  if (fp?.scroll)
    notes.push(
      `(1) scroll: ${fp.scroll.frames} frames, ${fp.scroll.framesOver50Ms} over 50 ms, ${fp.scroll.longTasks} long tasks (longest ${ms(fp.scroll.longestTaskMs)})`,
    );
  if (a && !a.error)
    notes.push(
      `(2) clocks: page's minus this process's ${a.clock.offsetMs} ms (± ${a.clock.uncertaintyMs} ms; not corrected for); fastest ${ms1(a.minMs)}; answer → stream message in the page p50 / p99 / max ${ms1(a.answerToMessage.p50Ms)} / ${ms1(a.answerToMessage.p99Ms)} / ${ms1(a.answerToMessage.maxMs)}, message → row ${ms1(a.messageToRow.p50Ms)} / ${ms1(a.messageToRow.p99Ms)} / ${ms1(a.messageToRow.maxMs)}; receiver answer p99 ${ms1(a.answerP99Ms)}; sends ran ${ms(a.sendSpanMs)} (at most ${ms1(a.maxSendLateMs)} late; this process's longest stall ${ms1(a.benchLoopDelayMaxMs)}, which makes an answer look later and its latency shorter); page meanwhile: longest frame gap ${ms1(a.page.longestFrameGapMs)}, ${a.page.longTasks} long tasks (longest ${ms(a.page.longestTaskMs)}); WebSocket closes: ${a.wsCloses.length ? a.wsCloses.join(', ') : 'none'}`,
    );
  if (b && !b.error)
    notes.push(
      `(3) all ${b.sent} answered ${ms(b.allAnsweredMs)} after the first was sent; count settled: ${b.settled ? 'yes' : 'NO'} ("${b.countShown}"); ${b.framesOver50Ms} frames over 50 ms; WebSocket closes: ${b.wsCloses.length ? b.wsCloses.join(', ') : 'none'}; ids from (2) found: ${b.earlierFound} / ${b.earlierSent}; list walked in ${ms(b.scrollMs)} (${b.scrollFrames} frames${b.scrollTimedOut ? ', TIMED OUT' : ''}), at most ${b.maxRowsInDomScrolling} .row in the DOM${b.missing.length ? `; missing, e.g. ${b.missing.slice(0, 3).join(', ')}` : ''}`,
    );
  for (const [name, section] of Object.entries(r)) {
    for (const e of section?.errors ?? []) notes.push(`page error in ${name}: ${e}`);
  }
  const moved = [fp?.scroll?.framesMovedBackByThePage, b?.scrollMovedBackByThePage].filter((n) => n > 0);
  if (moved.length)
    notes.push(
      `WARNING: scrolling #list does not stick: after a scroll the page set scrollTop back (${moved.join(' and ')} frames), so the list cannot be scrolled past its first screen`,
    );
  const drops = [...(a?.wsCloses ?? []), ...(b?.wsCloses ?? []), ...(rr?.runs ?? []).flatMap((run) => run.page?.wsCloses ?? [])];
  if (drops.length)
    notes.push(
      `WARNING: the page's WebSocket was closed ${drops.length} time(s) (codes ${[...new Set(drops)].join(', ')}; 4001 = hook-catch dropped it for reading too slowly)`,
    );
  if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
  out.push('', `Results in ${meta.resultsFile}`);
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const results = {};
  const failures = [];
  const section = async (name, fn) => {
    try {
      results[name] = await fn();
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      results[name] = { error: message };
      failures.push(`${name}: ${message}`);
      log(`  FAILED: ${message}`);
    }
  };

  browser = await withTimeout(launchChromium(), 60_000, 'launching Chromium');
  pinProcesses();
  const bodies = PLAIN_BODIES ? plainBodies() : jobDeliveries(JOB_COUNT);
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    chromium: browser.version(),
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadAverageAtStart: loadavg().map((x) => x.toFixed(2)),
    pinned: PIN
      ? `Chromium on CPU ${BROWSER_CPU}; this process (autocannon), hook-catch and the bare server on CPU 0`
      : 'no (BENCH_PAGE_PIN=0, one CPU, or no taskset)',
    viewport: VIEWPORT,
    bodyBytes: Buffer.byteLength(jobDeliveries(JOB_COUNT)()),
    bodies: PLAIN_BODIES
      ? '(2) and (3): bodies that name no job (BENCH_PAGE_BODIES=plain); (4): each names one of 1,000 jobs'
      : `each names one of ${JOB_COUNT} jobs, round-robin (bench/payload.js jobDeliveries)`,
    clock: 'performance.timeOrigin + performance.now(), in this process and in the page',
    rowShown: "when a MutationObserver (installed before the page's script) first saw a .row[data-id] added; the row is painted at the end of that same frame",
    frames: 'intervals between requestAnimationFrame callbacks, recorded in the page',
  };

  let hc;
  let dir;
  try {
    dir = await newStoreDir();
    log(`prefilling ${STORED.toLocaleString('en-US')} requests`);
    const prefilled = await runNode(join(here, 'prefill.js'), [dir, String(STORED), String(UNCAPPED)], { waitForExit: true, timeoutMs: 120_000 });
    meta.prefillMs = round(prefilled.info.ms, 0);
    hc = await startHookCatch(dir);
    meta.hookCatchStartMs = round(hc.startMs, 0);
    log(`hook-catch ready with ${hc.stored} stored`);
    log(`(1) first rows, ${LOADS} loads`);
    await section('firstPaint', () => firstPaint(hc));
    log(`(2) answer → row at ${RATE}/s`);
    await section('ackToRow', () => ackToRow(hc, bodies));
    log(`(3) burst of ${BURST}`);
    await section('burst', () => burst(hc, bodies, results.ackToRow?.ids ?? []));
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    for (const name of ['firstPaint', 'ackToRow', 'burst']) if (!results[name]) results[name] = { error: message };
    failures.push(`hook-catch with ${STORED} stored: ${message}`);
    log(`  FAILED: ${message}`);
  } finally {
    if (hc) await stop(hc.child);
    if (dir) removeDir(dir);
  }
  await section('receiverRate', () => receiverRate());
  const failedRuns = results.receiverRate?.runs?.filter((r) => r.error) ?? [];
  if (failedRuns.length) failures.push(`receiverRate: ${failedRuns[0].name}: ${failedRuns[0].error}`);

  const file = join(here, 'results', `page-${meta.date.replace(/[:.]/g, '-')}.json`);
  meta.resultsFile = file;
  process.stdout.write(report(meta, results));
  if (results.ackToRow?.ids) delete results.ackToRow.ids;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ meta, targets: TARGETS, ...results }, null, 2) + '\n');
  log(`results written to ${file}`);
  return failures;
}

let failures;
try {
  failures = await main();
} catch (error) {
  failures = [error instanceof Error ? error.message.split('\n')[0] : String(error)];
} finally {
  if (browser) await withTimeout(browser.close(), 15_000, 'closing Chromium').catch(() => undefined);
}
if (failures.length) {
  process.stdout.write(`bench:page: FAILED: ${failures[0]}${failures.length > 1 ? ` (and ${failures.length - 1} more failure(s): see above)` : ''}\n`);
  process.exit(1);
}
process.exit(0);
