// Turns the scenario results into ratios, a Markdown table and PASS/MISS lines for the targets.
import { CLI_COMMANDS } from './cli-startup.js';

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmt = (n, digits) => (n == null || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const ratio = (n) => (n == null || !Number.isFinite(n) ? '' : `${n.toFixed(2)}×`);

export function hadErrors(row) {
  return !row.load || row.load.non2xx + row.load.errors + row.load.timeouts > 0;
}

/** Adds the comparisons to bare node:http (same connections, same body size) and, for hook-catch, to its own empty store. */
export function addRatios(rows) {
  const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
  for (const row of rows) {
    if (row.server === 'bare' || !row.load) continue;
    const bare = rows.find((r) => r.server === 'bare' && r.connections === row.connections && r.bodyBytes === row.bodyBytes && r.load);
    if (bare) {
      row.vsBareReqPerSec = row.load.reqPerSec / bare.load.reqPerSec;
      row.vsBareP99 = row.load.p99Ms / bare.load.p99Ms;
      if (row.cpuUsPerReq && bare.cpuUsPerReq) row.vsBareCpu = row.cpuUsPerReq / bare.cpuUsPerReq;
    }
    const empty = byKey['hook-catch-32'];
    if (row.server === 'hook-catch' && row.connections === 32 && row !== empty && empty?.load && row.bodyBytes === empty.bodyBytes) {
      row.vsEmptyReqPerSec = row.load.reqPerSec / empty.load.reqPerSec;
    }
  }
  return rows;
}

export function table(rows) {
  const head = [
    'Scenario',
    'Conns',
    'req/s',
    'p50 ms',
    'p99 ms',
    'longest stall ms',
    'p99 loop delay ms',
    'longest stall less CPU waits ms',
    'Peak RSS MB',
    'CPU µs/req',
    'CPU/req vs bare',
    'req/s vs bare',
    'p99 vs bare',
    'req/s vs empty store',
    'Spawn→ready ms',
    'start() ms',
    'Stored start→end',
    'Errors',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_h, i) => (i === 0 || i === head.length - 1 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const r of rows) {
    const l = r.load;
    const cells = l
      ? [
          fmtInt(l.reqPerSec),
          fmt(l.p50Ms, 2),
          fmt(l.p99Ms, 2),
          fmt(r.loopDelay?.maxMs, 1),
          fmt(r.loopDelay?.p99Ms, 2),
          fmt(r.loopDelay?.maxOwnMs, 1),
          fmt(r.peakRssMb, 1),
          fmt(r.cpuUsPerReq, 1),
          ratio(r.vsBareCpu),
          ratio(r.vsBareReqPerSec),
          ratio(r.vsBareP99),
          ratio(r.vsEmptyReqPerSec),
        ]
      : ['–', '–', '–', '–', '–', '–', '–', '–', '', '', '', ''];
    const errors = r.error
      ? `FAILED: ${r.error}`
      : r.skipped
        ? `skipped: ${r.skipped}`
        : hadErrors(r)
          ? `${l.non2xx} non-2xx, ${l.errors} errors, ${l.timeouts} timeouts`
          : '0';
    const startMs = r.startMs == null ? '–' : fmtInt(r.startMs);
    const readyMs = r.readyMs == null ? '–' : fmtInt(r.readyMs);
    const stored = r.server === 'hook-catch' && r.storedAtEnd != null ? `${fmtInt(r.stored)} → ${fmtInt(r.storedAtEnd)}` : '–';
    lines.push(`| ${[r.name, r.connections, ...cells, readyMs, startMs, stored, errors].join(' | ')} |`);
  }
  return lines.join('\n');
}

export function targets(rows) {
  const row = (key) => rows.find((r) => r.key === key && r.load);
  const bare = row('bare-32');
  const hc = row('hook-catch-32');
  const hc50 = row('hook-catch-50k-32');
  const jobs = row('hook-catch-5k-jobs-32');
  const streamed = row('hook-catch-stream-32');
  const signed = row('hook-catch-rules-verify-32');
  const disk = rows.find((r) => r.key === 'disk-1mib' && r.bytesPerSec);
  const big = row('hook-catch-1mib-32');
  const wait = rows.find((r) => r.key === 'hook-catch-wait-200' && r.p99Ms != null);
  const ready = rows.find((r) => r.key === 'hook-catch-ready-50k-5k-jobs' && r.startMs != null);
  const proxy = rows.find((r) => r.key === 'provider-port' && r.proxied);
  const types = rows.find((r) => r.key === 'types-10k' && r.seconds != null);
  const mock = rows.find((r) => r.key === 'mock-1000-jobs' && r.seconds != null);
  const typing = rows.find((r) => r.key === 'event-typing' && r.maxUs != null);
  const peers = [
    ['the express sample', row('express-32')],
    ['mockttp', row('mockttp-32')],
  ];
  const overPeer = ([, p]) => hc.load.reqPerSec / p.load.reqPerSec;
  const schema = rows.find((r) => r.key === 'schema-check-1kb' && r.validUs != null);
  const cli = rows.find((r) => r.key === 'cli-startup' && r.medianMs);
  const checks = [
    ['hook-catch req/s at 32 conns >= 0.8 × bare', [hc, bare], () => hc.vsBareReqPerSec, '>=', 0.8, '×'],
    ['hook-catch p99 at 32 conns <= 1.5 × bare p99', [hc, bare], () => hc.vsBareP99, '<=', 1.5, '×'],
    [
      'req/s with response rules + signature check + event typing at 32 conns >= 0.6 × bare',
      [signed, bare],
      () => signed.vsBareReqPerSec,
      '>=',
      0.6,
      '×',
      () => signed.checked && 'every sampled capture valid and answered by the rule',
    ],
    ['bytes/s with 1 MiB bodies at 32 conns >= 0.6 × the disk', [big, disk], () => big.vsDiskBytesPerSec, '>=', 0.6, '×', () => bareBytes(big)],
    [
      "hook-catch req/s at 32 conns > each peer's (the express sample, mockttp)",
      [hc, ...peers.map(([, p]) => p)],
      () => Math.min(...peers.map(overPeer)),
      '>',
      1,
      '×',
      () => peers.map((peer) => `${overPeer(peer).toFixed(2)}× ${peer[0]}`).join(', '),
    ],
    ['peak RSS with 50,000 stored < 150 MB', [hc50], () => hc50.peakRssMb, '<', 150, ' MB'],
    ['longest event-loop stall with 5,000 jobs under 5 ms', [jobs], () => jobs.loopDelay?.maxMs, '<', 5, ' ms', () => lessCpuWaits(jobs)],
    // Kept from before: a full store and a page on the stream cost the receiver little.
    ['req/s with 50,000 stored >= 0.9 × empty-store req/s', [hc50, hc], () => hc50.vsEmptyReqPerSec, '>=', 0.9, '×'],
    ['start() with 50,000 stored < 1000 ms', [hc50], () => hc50.startMs, '<', 1000, ' ms'],
    ['req/s with a /ws reader >= 0.95 × empty-store req/s', [streamed, hc], () => streamed.vsEmptyReqPerSec, '>=', 0.95, '×', () => streamedNote(streamed)],
    ['peak RSS with 1 MiB bodies at 32 conns < 200 MB', [big], () => big.peakRssMb, '<', 200, ' MB'],
    [
      'ack -> `wait` returning, p99 at 200 webhooks/s, under 20 ms',
      [wait],
      () => wait.p99Ms,
      '<',
      20,
      ' ms',
      () => `p50 ${wait.p50Ms.toFixed(1)} ms, max ${wait.maxMs.toFixed(1)} ms`,
    ],
    [
      'waiters that never returned at 200 webhooks/s: 0',
      [wait],
      () => wait.neverReturned + wait.wrongAnswer,
      '<=',
      0,
      '',
      () =>
        `${wait.neverReturned} never returned, ${wait.wrongAnswer} returned something else, of ${wait.jobs}${wait.sendFailed ? `; ${wait.sendFailed} webhooks not answered 2xx` : ''}`,
    ],
    [
      'start() with 50,000 stored and 5,000 jobs < 1000 ms',
      [ready],
      () => ready.startMs,
      '<',
      1000,
      ' ms',
      () => `median of ${ready.starts.length}, slowest ${Math.round(ready.startMaxMs)} ms; jobs derived ${Math.round(ready.jobsReadyMs)} ms`,
    ],
    ['the provider port adds < 1 ms at p50 (one call at a time)', [proxy], () => proxy.addedP50Ms, '<', 1, ' ms'],
    ['the provider port adds < 5 ms at p99 (one call at a time)', [proxy], () => proxy.addedP99Ms, '<', 5, ' ms'],
    ['`types` over 10,000 captures of 20 event types < 5 s (the slowest language)', [types], () => Math.max(...Object.values(types.seconds)), '<', 5, ' s'],
    ['mock --speed instant plays 1,000 jobs (submit, 2 polls, 2 webhooks each) < 5 s', [mock], () => mock.seconds, '<', 5, ' s'],
    ['event typing costs <= 2 µs a request on the hot path (the slowest kind of delivery)', [typing], () => typing.maxUs, '<=', 2, ' µs'],
    [
      'a schema check (start --schema) of a 1 kB body <= 20 µs',
      [schema],
      () => schema.validUs,
      '<=',
      20,
      ' µs',
      () => `${schema.invalidUs.toFixed(1)} µs for an invalid one, its errors in words`,
    ],
    // The quick commands (cli-startup.js), each within its limit of `node -e 1`: 50 ms for --version and --help, 100 ms for the others.
    ...Object.entries(CLI_COMMANDS).map(([key, what]) => {
      const limit = key === 'version' || key === 'help' ? 50 : 100;
      const detail = () => `${Math.round(cli.medianMs[key])} ms against ${Math.round(cli.medianMs.node)} ms`;
      return [`${what} within ${limit} ms of \`node -e 1\` (median)`, [cli], () => cli.overMs[key], '<=', limit, ' ms', detail];
    }),
  ];
  return checks.map(([name, needs, get, op, limit, unit, detail = () => undefined]) => {
    if (needs.some((r) => !r)) return { name, pass: false, value: null, note: 'no data' };
    const value = get();
    const pass = value != null && (op === '>=' ? value >= limit : op === '>' ? value > limit : op === '<=' ? value <= limit : value < limit);
    const notes = [needs.some((r) => r.load && hadErrors(r)) ? 'a run behind this had errors' : undefined, detail()].filter(Boolean);
    return { name, pass, value, limit, op, unit, note: notes.length ? notes.join('; ') : undefined };
  });
}

/** How many of the captured requests the stream reader was sent, and whether it was dropped. */
export function streamedNote(row) {
  const s = row.streamed;
  if (!s) return undefined;
  return `the reader got ${s.requests.toLocaleString('en-US')} request messages of ${row.capturedSinceStart?.toLocaleString('en-US')} captured${s.closeCode ? `, then was dropped (close ${s.closeCode})` : ''}`;
}

/** The 1 MiB row against bare node:http too (shown, not judged: bare keeps nothing). */
function bareBytes(row) {
  return row.vsBareBytesPerSec == null ? undefined : `${row.vsBareBytesPerSec.toFixed(2)}× bare`;
}

/** The same stall without the time the server waited for a CPU held by other processes, when known. */
function lessCpuWaits(row) {
  const own = row.loopDelay?.maxOwnMs;
  return own == null ? undefined : `${own.toFixed(1)} ms less CPU waits`;
}

export function targetLines(results) {
  return results
    .map((t) => {
      const value = t.value == null ? 'n/a' : `${t.value.toFixed(t.unit === '×' ? 2 : t.unit === '' ? 0 : 1)}${t.unit}`;
      return `${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${value}${t.note ? ` (${t.note})` : ''}`;
    })
    .join('\n');
}
