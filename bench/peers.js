// The rows hook-catch is judged against besides bare node:http, run as bare is (scenario.js): the
// durable floor (what writing every request before its answer costs: durable-floor.js) and two
// peers a user might catch webhooks with instead: a provider's express sample server that logs each
// payload (express-sample.js) and mockttp, HTTP Toolkit's engine, recording them (mockttp-peer.js).

export const PEER_SCENARIOS = [
  { key: 'floor-32', name: 'the durable floor: node:http, a JSON line per request, one writev a loop turn', server: 'floor', connections: 32 },
  { key: 'express-32', name: 'express sample: express.json() + console.log of each payload', server: 'express', connections: 32 },
  { key: 'mockttp-32', name: 'mockttp, a rule for POST /webhook, recording each request', server: 'mockttp', connections: 32 },
];

const int = (n) => Math.round(n).toLocaleString('en-US');

/** `who 0.90× whom`: a's req/s over b's; or why there is none. */
function times(a, b, who, whom) {
  const missing = [a, b].find((r) => !r.load);
  if (!missing) return `${who} ${(a.load.reqPerSec / b.load.reqPerSec).toFixed(2)}× ${whom}`;
  return `${who} against ${whom}: not measured (${missing.key} ${missing.skipped ? `skipped: ${missing.skipped}` : `failed: ${missing.error}`})`;
}

/** What a row did besides answering, to show it did its work: lines written, payloads printed, requests recorded. */
function didWork(r) {
  if (!r.load) return '';
  if (r.lines != null) return ` (it wrote ${int(r.lines)} lines, warm-up included)`;
  if (r.loggedBytes != null) return ` (it printed ${(r.loggedBytes / 1e6).toFixed(0)} MB of payloads to its stdout)`;
  if (r.seen != null) return ` (it recorded ${int(r.seen)} requests, warm-up included)`;
  return '';
}

/** The report's line: the floor against bare, hook-catch against the floor and against each peer (req/s at 32 connections, this run). */
export function peerLines(rows) {
  const row = (key) => rows.find((r) => r.key === key);
  const [bare, floor, hc, express, mockttp] = ['bare-32', 'floor-32', 'hook-catch-32', 'express-32', 'mockttp-32'].map(row);
  // [who, over whom, as said, whose work to show]
  const pairs = [
    [floor, bare, 'the durable floor', 'bare', floor],
    [hc, floor, 'hook-catch', 'the floor'],
    [hc, express, 'hook-catch', 'the express sample', express],
    [hc, mockttp, 'hook-catch', 'mockttp', mockttp],
  ];
  const said = pairs.filter(([a, b]) => a && b).map(([a, b, who, whom, worker]) => times(a, b, who, whom) + (worker ? didWork(worker) : ''));
  return said.length ? [`- req/s at 32 conns, this run: ${said.join('; ')}`] : [];
}
