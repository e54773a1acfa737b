// Part 2: a seeded fuzz against one running hook-catch. `count` cases (fuzz-cases.js) go out over
// plain sockets, 32 at a time (a kept-alive connection serves well-formed requests one after
// another). Checks: the process never dies, every request gets an answer, every answer with an id
// is in the store's files (2xx byte for byte: method, URL, headers, body), and the store reopens
// with the same count after a restart.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { fuzzCase } from './fuzz-cases.js';
import { api, rawConnect, ResponseReader } from './http.js';
import { removeDir, sleep, startHookCatch, tempDir } from './procs.js';
import { readStoreFiles } from './store-files.js';

export const LIMITS = { maxBody: 100_000, maxHeaderSize: 16_000 };
const ARGS = ['--max-body', '100kb', '--max-header-size', '16kb', '--max-requests', '10000000'];
const ANSWER_TIMEOUT_MS = 15_000;

export async function fuzz({ seed, count, connections, log }) {
  const base = tempDir('fuzz');
  const dir = join(base, 'store');
  const hc = await startHookCatch({ dir, args: ARGS, logDir: base });
  const tally = new Tally();
  let next = 0;
  const t0 = performance.now();
  let lastLog = t0;
  const worker = async () => {
    let conn = null;
    while (next < count && hc.alive()) {
      const c = fuzzCase(seed, next++, LIMITS);
      if (!conn?.reusable) {
        conn?.socket.destroy();
        conn = await connection(hc.receiverPort);
      }
      const outcome = await exchange(conn, c);
      tally.add(c, outcome);
      if (!conn.reusable) conn.socket.destroy();
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        log(`  fuzz: ${tally.cases} of ${count} cases`);
      }
    }
    conn?.socket.destroy();
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const alive = hc.alive();
  const status = alive ? await api(`${hc.inspectorUrl}/api/status`) : { status: 0 };
  const peakRssMb = alive ? peakRss(hc.pid) : null;
  log(
    `fuzz: ${tally.cases} cases (${tally.requests} requests) in ${seconds.toFixed(1)} s; hook-catch ${alive ? 'alive' : `DIED (${JSON.stringify(hc.ended())})`}; ${tally.unanswered.length} unanswered, ${tally.unexpected.length} unexpected answers`,
  );
  const storedBefore = status.json?.requests?.stored ?? null;
  await hc.stop();
  const stoppedCleanly = hc.ended();
  // What the files hold, read with no hook-catch code, against every answer that named an id.
  const files = readStoreFiles(dir);
  const store = tally.compare(files);
  // The store reopens: the same count, no warning (a damaged line would be one).
  const again = await startHookCatch({ dir, args: ARGS, logDir: base });
  const reopened = { stored: again.ready.stored, readyMs: Math.round(again.readyMs), warnings: again.stderr().trim() };
  const listed = await listedIds(again.inspectorUrl);
  await again.stop();
  const result = {
    seed,
    cases: tally.cases,
    requests: tally.requests,
    seconds: Math.round(seconds * 10) / 10,
    casesPerSec: Math.round(tally.cases / seconds),
    alive,
    stoppedCleanly,
    peakRssMb,
    byKind: tally.byKind,
    statuses: tally.statuses,
    refusalsNotKept: tally.refusalsNotKept,
    acceptedMalformed: tally.acceptedMalformed,
    cutAnswers: tally.cutAnswers,
    unanswered: tally.unanswered.length,
    unansweredExamples: tally.unanswered.slice(0, 10),
    unexpected: tally.unexpected.length,
    unexpectedExamples: tally.unexpected.slice(0, 10),
    ids: tally.ids.size,
    storedBefore,
    files: { lines: files.lines, requests: files.requests.size, badLines: files.badLines, damaged: files.damaged },
    ...store,
    reopened,
    reopenedSame: reopened.stored === files.requests.size && listed.size === files.requests.size && [...files.requests.keys()].every((id) => listed.has(id)),
    stderr: hc.stderr().trim().split('\n').filter(Boolean).slice(0, 10),
  };
  removeDir(base);
  log(
    `fuzz: ${result.ids} answers with an id; in the files ${files.requests.size}; missing ${store.missing}, different ${store.different}; reopened with ${reopened.stored} (${result.reopenedSame ? 'the same' : 'NOT the same'})`,
  );
  return result;
}

/** A connection to the receiver, with a reader for the answers of the case it serves. */
async function connection(port) {
  const socket = await rawConnect(port);
  const conn = { socket, reusable: true, closed: false, onResponse: null, onClose: null };
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  socket.on('close', () => {
    conn.closed = true;
    conn.reusable = false;
    conn.onClose?.();
  });
  socket.on('data', (chunk) => conn.reader?.push(chunk));
  return conn;
}

/** Sends one case and collects its answers: `{responses: [{status, id, ok, close}], closed, timedOut}`. */
function exchange(conn, c) {
  return new Promise((resolve) => {
    const responses = [];
    let settled = false;
    const finish = (how) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      conn.reader = null;
      conn.onClose = null;
      const last = responses[responses.length - 1];
      if (!c.keepAlive || how !== 'answered' || last?.close || conn.closed) conn.reusable = false;
      resolve({ responses, how, unsent: written < total });
    };
    const timer = setTimeout(() => finish('timeout'), ANSWER_TIMEOUT_MS);
    conn.reader = new ResponseReader(
      (r) => {
        responses.push(readAnswer(r));
        if (responses.length === c.responses) finish('answered');
      },
      () => c.methods[responses.length] === 'HEAD',
    );
    conn.onClose = () => finish('closed');
    // How many of the bytes the kernel took before the connection ended: a sender still writing its
    // body when the server closes gets a reset, which can throw away an answer already on its way.
    const total = c.chunks.reduce((n, chunk) => n + chunk.length, 0);
    let written = 0;
    if (conn.closed) return finish('closed');
    (async () => {
      for (let k = 0; k < c.chunks.length && !conn.closed && !settled; k++) {
        if (k > 0) await sleep(1);
        const chunk = c.chunks[k];
        conn.socket.write(chunk, (error) => {
          if (!error) written += chunk.length;
        });
      }
      if (c.end && !conn.closed) conn.socket.end();
    })();
  });
}

function readAnswer({ status, headers, body }) {
  let json = null;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    // not JSON
  }
  return {
    status,
    id: headers['x-hook-catch-id'] ?? json?.id ?? null,
    ok: json?.ok ?? null,
    close: /close/i.test(headers.connection ?? ''),
    error: json?.error ?? null,
  };
}

/** Every case's outcome, counted, and the ids to look for in the store. */
class Tally {
  cases = 0;
  requests = 0;
  byKind = {};
  statuses = {};
  ids = new Map(); // id -> {status, sent?}
  unanswered = [];
  unexpected = [];
  refusalsNotKept = {};
  acceptedMalformed = {};
  cutAnswers = {};

  add(c, outcome) {
    this.cases++;
    this.requests += c.responses;
    const kind = (this.byKind[c.kind] ??= { cases: 0, answered: 0 });
    kind.cases++;
    c.checks.forEach((check, k) => {
      const r = outcome.responses[k];
      const where = `case ${c.i} (${c.kind}${c.sub ? `: ${c.sub}` : ''}${c.responses > 1 ? `, request ${k + 1} of ${c.responses}` : ''})`;
      if (!r) {
        const unsent = outcome.unsent ? ' while it was still sending' : '';
        if (c.expect !== 'cut')
          this.unanswered.push(
            `${where}: no answer, the connection ${outcome.how === 'timeout' ? `stayed silent for ${ANSWER_TIMEOUT_MS / 1000} s` : `closed${unsent}`}`,
          );
        else this.cutAnswers[`${c.sub}: no answer`] = (this.cutAnswers[`${c.sub}: no answer`] ?? 0) + 1;
        return;
      }
      kind.answered++;
      this.statuses[r.status] = (this.statuses[r.status] ?? 0) + 1;
      if (r.id) this.ids.set(r.id, { status: r.status, sent: r.status < 300 ? check.sent : null, where });
      if (c.expect === 'ok') {
        if (!check.allowed.includes(r.status) || !r.id)
          this.unexpected.push(
            `${where}: answered ${r.status}${r.id ? '' : ' without an id'}, expected ${check.allowed.join(' or ')}${r.error ? `: ${r.error}` : ''}`,
          );
      } else if (c.expect === 'refused') {
        if (r.status >= 200 && r.status < 300) this.acceptedMalformed[c.sub] = (this.acceptedMalformed[c.sub] ?? 0) + 1;
        else if (r.status === 503 || r.status < 400) this.unexpected.push(`${where}: answered ${r.status}: ${r.error}`);
        else if (!r.id) this.refusalsNotKept[`${c.sub} ${r.status}`] = (this.refusalsNotKept[`${c.sub} ${r.status}`] ?? 0) + 1;
      } else {
        const key = `${c.sub}: ${r.status}${r.id ? '' : ' without an id'}`;
        this.cutAnswers[key] = (this.cutAnswers[key] ?? 0) + 1;
      }
    });
  }

  /** Each answered id against the files: missing, or (a 2xx) different from what was sent. */
  compare(files) {
    const missingBy = {};
    const examples = [];
    const bodyForms = {};
    let different = 0;
    for (const [id, a] of this.ids) {
      const stored = files.requests.get(id);
      if (!stored) {
        missingBy[a.status] = (missingBy[a.status] ?? 0) + 1;
        if (examples.length < 10) examples.push(`${a.where}: answered ${a.status} with id ${id}, not in the store`);
        continue;
      }
      if (a.sent) bodyForms[stored.bodyForm] = (bodyForms[stored.bodyForm] ?? 0) + 1;
      const why = !a.sent
        ? stored.status !== a.status && `stored with status ${stored.status}, answered ${a.status}`
        : (stored.method !== a.sent.method && `method ${stored.method}, sent ${a.sent.method}`) ||
          (stored.url !== a.sent.url && `url ${stored.url.slice(0, 80)}, sent ${a.sent.url.slice(0, 80)}`) ||
          (stored.bodySha1 !== a.sent.bodySha1 && `body of ${stored.bodySize} bytes, sent ${a.sent.bodySize}`) ||
          (stored.headersSha1 !== a.sent.headersSha1 && 'headers differ from those sent');
      if (why) {
        different++;
        if (examples.length < 20) examples.push(`${a.where}: ${why}`);
      }
    }
    const answered = new Set(this.ids.keys());
    const storedUnanswered = [...files.requests.keys()].filter((id) => !answered.has(id)).length;
    const missing = Object.values(missingBy).reduce((n, v) => n + v, 0);
    // How the 2xx bodies were written (`json`: as they came, `utf8`, `base64`): each form was compared.
    return { missing, missingByStatus: missingBy, different, storeExamples: examples, storedUnanswered, bodyForms };
  }
}

/** Every id the API lists, page by page. */
async function listedIds(inspectorUrl) {
  const ids = new Set();
  let before = '';
  for (;;) {
    const { json } = await api(`${inspectorUrl}/api/requests?limit=1000${before ? `&before=${before}` : ''}`);
    for (const item of json.items) ids.add(item.id);
    if (!json.nextBefore || json.items.length === 0) return ids;
    before = json.nextBefore;
  }
}

function peakRss(pid) {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}
