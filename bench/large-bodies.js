// Large bodies: 1 MiB (bare and hook-catch, 32 connections) and 10 MB (hook-catch at 4, 16 and 32
// connections, so that peak RSS against connections shows how memory grows: base + conns × per conn;
// bare node:http at 32 connections beside it).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from './children.js';
import { jobId } from './payload.js';
import { SERVER_CPU } from './pin.js';

const here = dirname(fileURLToPath(import.meta.url));

export const MIB = 1024 * 1024;
export const TEN_MB = 10_000_000;
/** hook-catch's --max-body for the 10 MB rows: its default is 10 MB exactly, and a body must fit. */
const MAX_BODY_10MB = 12_000_000;
/**
 * The stores of these rows are capped (--max-requests) so that a run keeps about 1 GB on disk,
 * not one body per request sent; the oldest are dropped as new ones arrive, as in a full store.
 */
const KEEP_BYTES = 1e9;
/** autocannon's per-request timeout (s) for these rows: 32 bodies of 10 MB in flight take a while. */
const TIMEOUT_S = 30;

const big = (bytes, conns) => ({ bodyBytes: bytes, maxRequests: Math.ceil(KEEP_BYTES / bytes), timeoutS: TIMEOUT_S, connections: conns, check: newestCapture });

export const LARGE_BODY_SCENARIOS = [
  { key: 'bare-1mib-32', name: 'bare node:http, 1 MiB bodies', server: 'bare', ...big(MIB, 32) },
  // What any store of these bodies is bounded by: the file system, in the same folder hook-catch's store uses.
  { key: 'disk-1mib', name: 'the disk: 1 MiB appends, nothing else', server: 'disk', bodyBytes: MIB, connections: 1, run: diskRow },
  { key: 'hook-catch-1mib-32', name: 'hook-catch, 1 MiB bodies', server: 'hook-catch', ...big(MIB, 32) },
  // For comparison: what a server that only buffers each body holds with 32 of them in flight.
  { key: 'bare-10mb-32', name: 'bare node:http, 10 MB bodies', server: 'bare', ...big(TEN_MB, 32) },
  ...[4, 16, 32].map((conns) => ({
    key: `hook-catch-10mb-${conns}`,
    name: 'hook-catch, 10 MB bodies',
    server: 'hook-catch',
    options: { maxBody: MAX_BODY_10MB },
    ...big(TEN_MB, conns),
  })),
];

/** Appends bodies of the row's size to a file in the temp folder for the run's seconds, on the server's CPU. */
async function diskRow(s, { seconds, log }) {
  const row = { key: s.key, name: s.name, server: 'disk', connections: s.connections, bodyBytes: s.bodyBytes };
  const dir = await mkdtemp(join(tmpdir(), 'hook-catch-bench-disk-'));
  try {
    log(`  appending ${s.bodyBytes.toLocaleString('en-US')}-byte writes for ${seconds} s`);
    const { info } = await runNode(join(here, 'disk-append.js'), [dir, String(s.bodyBytes), String(seconds)], {
      waitForExit: true,
      cpu: SERVER_CPU,
      timeoutMs: (seconds + 60) * 1000,
    });
    row.bytesPerSec = info.bytesPerSec;
    row.writes = info.writes;
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${row.error}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return row;
}

const bodies = new Map();
/**
 * A valid JSON webhook of exactly `bytes` bytes that names a job (finished): the usual fields, a
 * long list of output records, and padding to the exact size. Built once per size.
 */
export function largeBody(bytes) {
  if (bodies.has(bytes)) return bodies.get(bytes);
  const id = jobId(900_000_000);
  const payload = {
    id: `evt_large_${bytes}`,
    type: 'job.completed',
    createdAt: '2025-01-01T00:00:00.000Z',
    jobId: id,
    status: 'succeeded',
    result: { records: [] },
    padding: '',
  };
  const records = payload.result.records;
  for (let size = 0, i = 0; size < bytes - 400; i++) {
    const record = {
      n: i,
      name: `page-${String(i).padStart(6, '0')}.json`,
      sizeBytes: 1000 + ((i * 7919) % 90_000),
      checksum: `sha256:${((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(5)}`,
      text: 'Extracted text of this page, kept for thirty days.',
    };
    size += JSON.stringify(record).length + 1;
    records.push(record);
  }
  while (JSON.stringify(payload).length > bytes) records.pop();
  payload.padding = 'x'.repeat(bytes - JSON.stringify(payload).length);
  const body = JSON.stringify(payload);
  if (Buffer.byteLength(body) !== bytes) throw new Error(`large body is ${Buffer.byteLength(body)} bytes, not ${bytes}`);
  bodies.set(bytes, body);
  return body;
}

/**
 * The newest capture after the run: kept whole (not refused), answered 200; and whether hook-catch
 * matched it to the job its body names (reported, not required: see largeBodyLines).
 */
async function newestCapture(inspectorUrl) {
  const res = await fetch(`${inspectorUrl}/api/requests?limit=1`, { signal: AbortSignal.timeout(15_000) });
  const item = (await res.json()).items?.[0];
  if (!item || item.bodyDiscarded || item.status !== 200)
    throw new Error(`the newest capture is not a large body kept whole: ${JSON.stringify(item)?.slice(0, 300)}`);
  return { bodySize: item.bodySize, status: item.status, jobMatched: item.job?.jobId ?? null };
}

const mb = (bytes) => bytes / 1e6;
/** How much of a body hook-catch looks into (VIEW_BYTES, docs/jobs.md): a larger one names no job. */
const LOOKED_INTO_BYTES = 1_000_000;
const int = (n) => Math.round(n).toLocaleString('en-US');

/** Bytes per second of each large-body row, and hook-catch's against bare at the same size and connections. */
export function addThroughput(rows) {
  const large = rows.filter((r) => r.load && r.bodyBytes > 10_000);
  for (const r of large) r.bytesPerSec = r.load.reqPerSec * r.bodyBytes;
  const disk = rows.find((r) => r.server === 'disk' && r.bytesPerSec);
  for (const r of large) {
    const bare = rows.find((b) => b.server === 'bare' && b.load && b.bodyBytes === r.bodyBytes && b.connections === r.connections);
    if (r.server === 'hook-catch' && bare) r.vsBareBytesPerSec = r.bytesPerSec / bare.bytesPerSec;
    if (r.server === 'hook-catch' && disk?.bodyBytes === r.bodyBytes) r.vsDiskBytesPerSec = r.bytesPerSec / disk.bytesPerSec;
  }
}

/**
 * Least squares over the 10 MB rows: peak RSS ≈ base + connections × perConn; perConn in bodies
 * (k) says how many copies of a body each connection in flight holds at the peak.
 */
export function rssFit(rows) {
  const points = rows
    .filter((r) => r.load && r.bodyBytes === TEN_MB && r.server === 'hook-catch' && r.peakRssMb != null)
    .map((r) => [r.connections, r.peakRssMb]);
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  if (sxx === 0) return null;
  const perConnMb = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
  return { points, baseMb: my - perConnMb * mx, perConnMb, bodiesPerConn: perConnMb / (TEN_MB / 1024 / 1024) };
}

/** The report's lines on large bodies. */
export function largeBodyLines(rows) {
  const out = [];
  for (const r of rows.filter((r) => r.server === 'disk' && r.bytesPerSec)) {
    out.push(
      `- ${r.name}: ${mb(r.bytesPerSec).toFixed(0)} MB/s (${int(r.writes)} writes of ${int(r.bodyBytes)} B, writeSync, same temp folder and CPU as the servers): the most any store of these bodies could keep`,
    );
  }
  for (const r of rows.filter((r) => r.load && r.bytesPerSec != null)) {
    const vsDisk = r.vsDiskBytesPerSec == null ? '' : `, ${r.vsDiskBytesPerSec.toFixed(2)}× the disk`;
    const vs = r.vsBareBytesPerSec == null ? '' : `, ${r.vsBareBytesPerSec.toFixed(2)}× bare${vsDisk}`;
    const notMatched = r.bodyBytes > LOOKED_INTO_BYTES ? 'not matched, as meant: over the 1 MB hook-catch looks into' : 'NOT matched';
    const matched = r.checked ? `; job named in the body ${r.checked.jobMatched ? 'matched' : notMatched} (newest capture)` : '';
    const sent = `${int(r.load.total)} bodies in the measured run${matched}`;
    out.push(
      `- ${r.name}, ${r.connections} conns: ${(mb(r.bytesPerSec)).toFixed(0)} MB/s (${r.load.reqPerSec.toFixed(1)} req/s × ${int(r.bodyBytes)} B${vs}), p99 ${r.load.p99Ms.toFixed(0)} ms, peak RSS ${r.peakRssMb?.toFixed(0)} MB; ${sent}`,
    );
  }
  const fit = rssFit(rows);
  if (fit) {
    const pts = fit.points.map(([c, m]) => `${c} conns ${m.toFixed(0)} MB`).join(', ');
    const rising = fit.points.every(([c, m], i, all) => i === 0 || (c > all[i - 1][0] && m >= all[i - 1][1]));
    const caution = rising
      ? ''
      : '; NOT rising with connections in this run: the peak is set as much by when garbage is collected as by the bodies in flight, so run again (or longer) before quoting a bound';
    out.push(
      `- memory bound with 10 MB bodies: peak RSS ${pts} → about ${fit.baseMb.toFixed(0)} MB + connections × ${fit.perConnMb.toFixed(1)} MB ` +
        `(${fit.bodiesPerConn.toFixed(1)} × the body per connection in flight)${caution}`,
    );
  }
  return out;
}
