// Part 1: kill -9 under load. Each round starts `hook-catch start` on the same --dir, drives it with
// 32 kept-alive connections of distinct webhooks while jobs are registered beside them (the API and
// `hook-catch expect`), and kill -9s it after a random short time. The next start is the restart:
// through its API, every request acknowledged in the round must be there byte for byte, every
// acknowledged registration registered, every acknowledged delivery matched to its job. At the end
// the store's files are read with no hook-catch code, for every round at once.
import { join } from 'node:path';
import { checkAgainstFiles, checkJobs, checkThroughApi } from './checks.js';
import { api, keepAliveAgent } from './http.js';
import { removeDir, runCli, sleep, startHookCatch, tempDir } from './procs.js';
import { rngFor, sha1 } from './rng.js';
import { runSenders } from './senders.js';
import { readStoreFiles } from './store-files.js';

const MAX_REQUESTS = ['--max-requests', '10000000']; // nothing dropped: every acknowledged request must stay

export async function killRounds({ seed, rounds, loadMs, connections, log }) {
  const base = tempDir('kill');
  const dir = join(base, 'store');
  const done = [];
  const recoveryWarnings = [];
  const cli = { checked: 0, mismatches: [] };
  const allAcked = [];
  const allRegistrations = [];
  let hc = await startHookCatch({ dir, args: MAX_REQUESTS, logDir: base });
  try {
    for (let round = 1; round <= rounds; round++) {
      const rng = rngFor(seed, 'kill-round', round);
      const r = await loadThenKill(hc, { seed, round, killAfterMs: rng.int(loadMs[0], loadMs[1]), connections, dir, log });
      // The restart: the same --dir, after a kill -9 (instance.json left behind, maybe a torn line).
      hc = await startHookCatch({ dir, args: MAX_REQUESTS, logDir: base });
      r.restartMs = Math.round(hc.readyMs);
      const warnings = hc.stderr().trim();
      if (warnings) recoveryWarnings.push({ round, text: warnings });
      const agent = keepAliveAgent(8);
      const requests = await checkThroughApi(hc.inspectorUrl, r.acked, agent);
      const jobs = await checkJobs(hc.inspectorUrl, r.registrations, r.acked, agent);
      agent.destroy();
      const shown = await showBodies(dir, r.acked, rng);
      cli.checked += shown.checked;
      cli.mismatches.push(...shown.mismatches);
      Object.assign(r, {
        lost: requests.missing.length,
        different: requests.different.length,
        lostRegistrations: jobs.lostRegistrations.length,
        deliveries: jobs.deliveries,
        unmatchedDeliveries: jobs.unmatchedDeliveries.length,
        beyondCap: jobs.beyondCap,
        problems: [
          ...requests.missing.slice(0, 5).map((id) => `lost ${id}`),
          ...requests.different.slice(0, 5).map((d) => `${d.id}: ${d.why}`),
          ...jobs.lostRegistrations.slice(0, 5).map((id) => `registration ${id} lost`),
          ...jobs.unmatchedDeliveries.slice(0, 5).map((id) => `delivery ${id} not matched to its job`),
          ...jobs.problems.slice(0, 5),
        ],
      });
      allAcked.push(...r.acked);
      allRegistrations.push(...r.registrations);
      log(
        `kill -9 round ${round}/${rounds}: ${r.acked.length} acknowledged in ${r.loadMs} ms (${r.reqPerSec} req/s), ${r.registrations.length} registrations, ${r.inFlight} in flight at the kill; restart ${r.restartMs} ms; lost ${r.lost}, different ${r.different}, registrations lost ${r.lostRegistrations}, deliveries unmatched ${r.unmatchedDeliveries}`,
      );
      done.push({ ...r, acked: r.acked.length, registrations: r.registrations.length });
    }
  } finally {
    await hc.stop();
  }
  // Every round at once, from the files themselves.
  const files = readStoreFiles(dir, (record) => record.path?.startsWith('/kill/'));
  const fromFiles = checkAgainstFiles(files, allAcked);
  const ackedIds = new Set(allAcked.map((a) => a.id));
  const total = (key) => done.reduce((n, r) => n + r[key], 0);
  const result = {
    rounds: done,
    restarts: done.length,
    acked: allAcked.length,
    duplicateIds: allAcked.length - ackedIds.size,
    lost: total('lost'),
    different: total('different'),
    registrations: allRegistrations.length,
    registrationsByCli: allRegistrations.filter((r) => r.via === 'cli').length,
    lostRegistrations: total('lostRegistrations'),
    deliveries: total('deliveries'),
    unmatchedDeliveries: total('unmatchedDeliveries'),
    beyondCap: total('beyondCap'),
    recoveryWarnings,
    cliChecks: cli.checked,
    cliMismatches: cli.mismatches,
    files: {
      lines: files.lines,
      badLines: files.badLines,
      damaged: files.damaged,
      missing: fromFiles.missing.length,
      different: fromFiles.different.length,
      examples: [...fromFiles.missing.slice(0, 5), ...fromFiles.different.slice(0, 5).map((d) => `${d.id}: ${d.why}`)],
    },
    // Stored though never answered: requests in flight at a kill, written before it (their senders retry: duplicates, not losses).
    storedUnanswered: [...files.requests.keys()].filter((id) => !ackedIds.has(id)).length,
    loadMs: total('loadMs'),
    inFlight: total('inFlight'),
    non2xx: total('non2xx'),
    noId: total('noId'),
    kinds: countKinds(allAcked),
  };
  result.reqPerSec = Math.round(result.acked / (result.loadMs / 1000));
  removeDir(base);
  log(
    `kill -9: ${result.acked} acknowledged over ${rounds} rounds; from the files: ${fromFiles.missing.length} missing, ${fromFiles.different.length} different, ${files.badLines} unreadable lines; ${result.storedUnanswered} stored though unanswered`,
  );
  return result;
}

/** One round: load and registrations until the kill; what was acknowledged. */
async function loadThenKill(hc, { seed, round, killAfterMs, connections, dir, log }) {
  const agent = keepAliveAgent(connections);
  const apiAgent = keepAliveAgent(2);
  const acked = [];
  const registrations = [];
  const counts = { sent: 0, errors: 0, noId: 0 };
  let killed = false;
  const stop = () => killed;
  let registering = 0;
  // Deliveries name jobs registered in this round, some not yet registered (claimed when they are), some never.
  const jobId = (rng) => `kill${round}-job${rng.int(0, registering + 8)}`;
  const t0 = performance.now();
  const senders = runSenders({ receiverUrl: hc.receiverUrl, agent, seed, part: 'kill', connections, stop, jobId, acked, counts, options: {} });
  const registerLoop = async () => {
    while (!killed) {
      const id = `kill${round}-job${registering++}`;
      const { status } = await api(`${hc.inspectorUrl}/api/jobs`, {
        method: 'POST',
        json: { id, label: `round ${round}` },
        agent: apiAgent,
        timeoutMs: 10_000,
      });
      if (status === 201 || status === 200) registrations.push({ id, via: 'api' });
      await sleep(5);
    }
  };
  const registrars = [registerLoop(), registerLoop()];
  // One registration through the CLI, as a user's script makes it, at a random moment of the load.
  const cliId = `kill${round}-cli`;
  const cli = sleep(Math.floor(killAfterMs * rngFor(seed, 'kill-cli', round).next())).then(async () => {
    if (killed) return;
    const run = await runCli(['expect', cliId, '--dir', dir, '--label', 'from the CLI'], { timeoutMs: 10_000 });
    if (run.code === 0) registrations.push({ id: cliId, via: 'cli' });
  });
  await sleep(killAfterMs);
  killed = true;
  await hc.kill9();
  const loadMs = Math.round(performance.now() - t0);
  await Promise.all([senders, ...registrars, cli]);
  agent.destroy();
  apiAgent.destroy();
  if (!hc.ended()?.signal) log(`  round ${round}: hook-catch ended with ${JSON.stringify(hc.ended())}, not by the kill`);
  return {
    round,
    killAfterMs,
    loadMs,
    acked,
    registrations,
    reqPerSec: Math.round(acked.length / (loadMs / 1000)),
    // Sent and never answered: the kill cut them (a sender retries these).
    inFlight: counts.errors,
    non2xx: Object.entries(counts)
      .filter(([k]) => /^\d+$/.test(k))
      .reduce((n, [, v]) => n + v, 0),
    noId: counts.noId,
  };
}

/** A few acknowledged requests per round through `hook-catch show <id> --body`, as a user reads them. */
async function showBodies(dir, acked, rng) {
  const picks = [];
  for (const kind of ['binary', 'job-gzip', 'empty']) {
    const of = acked.filter((a) => a.kind === kind);
    if (of.length) picks.push(of[rng.int(0, of.length - 1)]);
  }
  const mismatches = [];
  for (const ack of picks) {
    const run = await runCli(['show', ack.id, '--body', '--dir', dir]);
    if (run.code !== 0 || sha1(run.stdout) !== ack.bodySha1)
      mismatches.push(`show ${ack.id} --body: exit ${run.code}, ${run.stdout.length} bytes (sent ${ack.bodySize}) ${run.stderr.trim()}`);
  }
  return { checked: picks.length, mismatches };
}

function countKinds(acked) {
  const kinds = {};
  for (const a of acked) kinds[a.kind] = (kinds[a.kind] ?? 0) + 1;
  return kinds;
}
