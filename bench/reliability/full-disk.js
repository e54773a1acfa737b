// Part 3: a full disk. hook-catch runs on a small tmpfs of its own (a private mount namespace, as
// test/helpers.ts spawnOnSmallDisk does), beside a filler file made first. Load fills the rest until
// writes fail: requests must get 503 (so that senders retry) while nothing answered 2xx goes missing.
// Then the filler is deleted, with hook-catch still running: it must answer 2xx again, and keep them.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkAgainstFiles, checkThroughApi } from './checks.js';
import { api, keepAliveAgent } from './http.js';
import { removeDir, sleep, startHookCatch, tempDir } from './procs.js';
import { runSenders } from './senders.js';
import { readStoreFiles } from './store-files.js';

export async function fullDisk({ seed, diskMb, fillerMb, connections, fullMs, log }) {
  const base = tempDir('disk');
  const mountpoint = join(base, 'disk');
  mkdirSync(mountpoint);
  const mount = `mount -t tmpfs -o size=${diskMb}m tmpfs "$0" || { echo "cannot mount a tmpfs here (needs root or user namespaces, and util-linux unshare)" >&2; exit 97; }
mkdir -m 700 "$0/store" && dd if=/dev/zero of="$0/filler" bs=1M count=${fillerMb} 2>/dev/null || exit 98
exec "$@"`;
  const unshare = process.getuid?.() === 0 ? ['unshare', '-m'] : ['unshare', '-Urm'];
  const hc = await startHookCatch({ dir: join(mountpoint, 'store'), prefix: [...unshare, 'sh', '-c', mount, mountpoint], logDir: base });
  // The tmpfs is seen only inside hook-catch's namespace: through its root, from here.
  const inside = (path) => `/proc/${hc.pid}/root${path}`;
  const agent = keepAliveAgent(connections);
  const apiAgent = keepAliveAgent(2);
  const result = { diskMb, fillerMb };
  try {
    // 1. Fill: load until 503s come, then `fullMs` more while it is full.
    const full = { acked: [], counts: { sent: 0, errors: 0, noId: 0 }, refusedPaths: [], firstRefusalAt: null, ackedAfterFull: 0 };
    const t0 = performance.now();
    const fillLimitMs = 60_000;
    await runSenders({
      receiverUrl: hc.receiverUrl,
      agent,
      seed,
      part: 'disk',
      connections,
      acked: full.acked,
      counts: full.counts,
      options: { maxBinary: 32_000, large: false },
      jobId: (rng) => `disk-job${rng.int(0, 20)}`,
      stop: () => performance.now() - t0 > fillLimitMs || (full.firstRefusalAt !== null && performance.now() - full.firstRefusalAt > fullMs),
      onAnswer: (reply, w) => {
        if (reply.status === 503) {
          full.firstRefusalAt ??= performance.now();
          full.refusedPaths.push(w.path);
        } else if (full.firstRefusalAt !== null && reply.status < 300) full.ackedAfterFull++;
      },
    });
    if (full.firstRefusalAt === null) throw new Error(`the ${diskMb} MB disk did not fill within ${fillLimitMs / 1000} s`);
    result.fillMs = Math.round(full.firstRefusalAt - t0);
    result.fill = {
      sent: full.counts.sent,
      acked: full.acked.length,
      refused503: full.counts[503] ?? 0,
      other: otherCounts(full.counts),
      ackedWhileFull: full.ackedAfterFull,
    };
    // A registration cannot be saved either: 503, with a reason.
    result.registrationsWhileFull = await register(hc.inspectorUrl, 'disk-full', 10, apiAgent);
    // 2. Nothing answered 2xx is missing, while the disk is still full.
    const whileFull = await checkThroughApi(hc.inspectorUrl, full.acked, apiAgent);
    result.checkWhileFull = { checked: whileFull.checked, missing: whileFull.missing.length, different: whileFull.different.length };
    log(
      `full disk: full after ${result.fillMs} ms (${full.acked.length} acknowledged); then ${result.fill.refused503} answered 503, ${full.ackedAfterFull} slipped in 2xx; registrations while full: ${JSON.stringify(result.registrationsWhileFull)}; acknowledged and missing: ${whileFull.missing.length}`,
    );
    // 3. Room again, without a restart: the filler goes.
    rmSync(inside(join(mountpoint, 'filler')));
    const after = { acked: [], counts: { sent: 0, errors: 0, noId: 0 } };
    const t1 = performance.now();
    await runSenders({
      receiverUrl: hc.receiverUrl,
      agent,
      seed,
      part: 'disk-after',
      connections,
      acked: after.acked,
      counts: after.counts,
      // Small bodies, a bounded count: the freed room must not fill again.
      options: { maxBinary: 2000, large: false },
      jobId: (rng) => `disk-job${rng.int(0, 20)}`,
      stop: () => after.counts.sent >= 500 || performance.now() - t1 > 20_000,
    });
    result.after = { sent: after.counts.sent, acked: after.acked.length, refused503: after.counts[503] ?? 0, other: otherCounts(after.counts) };
    result.registrationsAfter = await register(hc.inspectorUrl, 'disk-after', 10, apiAgent);
    const afterCheck = await checkThroughApi(hc.inspectorUrl, after.acked, apiAgent);
    result.checkAfter = { checked: afterCheck.checked, missing: afterCheck.missing.length, different: afterCheck.different.length };
    // 4. The files themselves (read through hook-catch's namespace), every acknowledged request of both phases.
    await sleep(200);
    const files = readStoreFiles(inside(join(mountpoint, 'store')));
    const all = [...full.acked, ...after.acked];
    const fromFiles = checkAgainstFiles(files, all);
    const refused = new Set(full.refusedPaths);
    result.files = {
      checked: all.length,
      missing: fromFiles.missing.length,
      different: fromFiles.different.length,
      badLines: files.badLines,
      // A 503 keeps nothing: none of those requests may be in the files, whole or in part.
      refusedButStored: [...files.requests.values()].filter((r) => refused.has(r.path)).length,
    };
    result.alive = hc.alive();
    const events = storeEvents(hc.stdoutPath);
    result.storeEvents = {
      failing: events.filter((e) => e.state === 'failing' && e.refused === undefined).length,
      recovered: events.filter((e) => e.state === 'recovered').length,
      lines: events.slice(0, 4),
    };
    result.stderr = hc.stderr().trim().split('\n').filter(Boolean);
    result.acked = all.length;
    result.lost = whileFull.missing.length + afterCheck.missing.length + fromFiles.missing.length;
    result.different = whileFull.different.length + afterCheck.different.length + fromFiles.different.length;
    log(
      `full disk: after freeing ${fillerMb} MB, ${after.acked.length} of ${after.counts.sent} answered 2xx (${result.after.refused503} 503), registrations ${JSON.stringify(result.registrationsAfter)}; in the files: ${fromFiles.missing.length} missing, ${result.files.refusedButStored} refused but stored; store lines: ${result.storeEvents.failing} "cannot write", ${result.storeEvents.recovered} "writes again"`,
    );
  } finally {
    agent.destroy();
    apiAgent.destroy();
    await hc.stop();
    removeDir(base); // the tmpfs went with hook-catch's namespace: an empty mount point is left
  }
  return result;
}

async function register(inspectorUrl, prefix, count, agent) {
  const statuses = {};
  for (let k = 0; k < count; k++) {
    const { status } = await api(`${inspectorUrl}/api/jobs`, { method: 'POST', json: { id: `${prefix}-${k}` }, agent });
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  return statuses;
}

function otherCounts(counts) {
  const other = {};
  for (const [k, v] of Object.entries(counts)) if (/^\d+$/.test(k) && k !== '503') other[k] = v;
  if (counts.errors) other.errors = counts.errors;
  return other;
}

/** The `store` lines hook-catch printed (--json): failing, counts, recovered. */
function storeEvents(stdoutPath) {
  return readFileSync(stdoutPath, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{"type":"store"'))
    .map((line) => JSON.parse(line));
}
