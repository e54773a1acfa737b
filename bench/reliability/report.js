// The Markdown table of a reliability run (one row a part: load held, faults survived, hostile
// inputs tried, what was lost), the notes under it, and the checks that fail the run.
import { DELIVERIES_PER_JOB } from './checks.js';

const n = (x) => (x == null ? '–' : Math.round(x).toLocaleString('en-US'));

/** "nothing acknowledged" when nothing acknowledged is missing or different, else the numbers, in bold. */
function lostCell(missing, different, of, what, more = []) {
  const head =
    missing + different === 0
      ? `nothing acknowledged (0 of ${n(of)} ${what}`
      : `**${n(missing)} of ${n(of)} acknowledged ${what} missing, ${n(different)} different**`;
  const tail = more.filter(Boolean);
  return missing + different === 0 ? `${head}${tail.length ? `; ${tail.join('; ')}` : ''})` : `${head}${tail.length ? `; ${tail.join('; ')}` : ''}`;
}

function killRow(k) {
  const restart = k.rounds.map((r) => r.restartMs);
  return [
    'kill -9 under load',
    `${k.rounds.length} rounds of 32 connections: ${n(k.acked)} webhooks acknowledged in ${(k.loadMs / 1000).toFixed(1)} s of load (${n(k.reqPerSec)}/s; JSON naming jobs, gzip, binary, text, empty, up to 256 kB), ${n(k.registrations)} job registrations beside them (API and \`hook-catch expect\`)`,
    `${k.rounds.length} × kill -9 after ${Math.min(...k.rounds.map((r) => r.killAfterMs))}–${Math.max(...k.rounds.map((r) => r.killAfterMs))} ms, ${n(k.inFlight)} requests cut in flight; ${k.restarts} restarts on the same --dir (ready in ${Math.min(...restart)}–${Math.max(...restart)} ms, ${k.recoveryWarnings.length ? `${k.recoveryWarnings.length} with a recovery warning` : 'no recovery warning'})`,
    'requests cut mid-flight by the kill',
    lostCell(k.lost + k.files.missing, k.different + k.files.different, k.acked, 'requests', [
      `checked byte for byte through the API and the store's files, ${k.cliChecks} through \`show --body\``,
      `${n(k.lostRegistrations)} of ${n(k.registrations)} registrations lost`,
      `${n(k.unmatchedDeliveries)} of ${n(k.deliveries)} deliveries unmatched to their job${k.beyondCap ? ` (${n(k.beyondCap)} more were older than a job's newest ${DELIVERIES_PER_JOB}, which is all a job lists)` : ''}`,
    ]),
  ];
}

function forwardRow(w) {
  const queued = w.rounds.map((r) => r.queuedAtKill ?? 0);
  const plain = w.rounds.find((r) => r.plainRestart);
  return [
    'kill -9 while forwarding (`--forward-mode ack`)',
    `${w.rounds.length} rounds of 32 connections: ${n(w.acked)} webhooks acknowledged, forwarded in the background to an app answering in 0–4 ms`,
    `${w.rounds.length} × kill -9 with ${n(Math.min(...queued))}–${n(Math.max(...queued))} forwards waiting; ${w.rounds.length} restarts with --forward${plain ? `, one without it after round ${plain.round} (${plain.plainRestart})` : ''}; the backlog drained in ${(w.drainMs / 1000).toFixed(1)} s after the last`,
    'forwards cut by the kill',
    `${n(w.unmarked)} acknowledged not forwarded and unmarked (${n(w.forwarded)} forwarded, ${n(w.notAtApp)} of them not at the app; ${n(w.marked)} marked not forwarded; ${n(w.failed)} failed at the app; ${n(w.missing)} missing; the app got ${n(w.appReceived)}, ${n(w.appDuplicates)} of them again: at least once)`,
  ];
}

function fuzzRow(f) {
  const statuses = Object.entries(f.statuses)
    .map(([s, c]) => `${s} ×${n(c)}`)
    .join(', ');
  return [
    `seeded fuzz (seed ${f.seed})`,
    `${n(f.cases)} cases, ${n(f.requests)} requests from 32 sockets in ${f.seconds} s (${n(f.casesPerSec)} cases/s) against one instance; ${f.alive ? 'it never died' : '**it died**'}`,
    `stopped and reopened: ${f.reopenedSame ? `the same ${n(f.reopened.stored)} requests` : `**${n(f.reopened.stored)} requests, the files held ${n(f.files.requests)}**`}, ${f.reopened.warnings ? 'with a warning' : 'no warning'}`,
    `random methods, paths, odd and duplicate headers, heads within 3 kB of --max-header-size, bodies over --max-body, random / truncated-JSON / gzip-claimed / empty bodies, JSON at the edges of the log's \`bodyJson\` form, chunked, pipelined, 24 malformed forms, cut-off requests; answered ${statuses}`,
    lostCell(f.missing, f.different, f.ids, 'answers with an id', [
      `2xx compared byte for byte: method, URL, headers, body (${Object.entries(f.bodyForms ?? {})
        .map(([form, c]) => `${n(c)} written ${form === 'json' ? 'as bodyJson' : form === 'raw' ? 'as bodyJson by its length' : `as ${form}`}`)
        .join(', ')})`,
      f.unanswered ? `**${n(f.unanswered)} requests got no answer**` : 'every request answered',
    ]),
  ];
}

function diskRow(d) {
  const rec = d.after;
  return [
    'full disk',
    `32 connections filling a ${d.diskMb} MB tmpfs (an ${d.fillerMb} MB filler beside the store): full after ${(d.fillMs / 1000).toFixed(1)} s, then held full for the load`,
    `${n(d.fill.refused503)} answered 503 while full (${n(d.fill.ackedWhileFull)} small ones still fitted, 2xx), registrations ${fmtStatuses(d.registrationsWhileFull)}; filler deleted, no restart: ${n(rec.acked)} of ${n(rec.sent)} answered 2xx, registrations ${fmtStatuses(d.registrationsAfter)}`,
    'writes failing with ENOSPC',
    lostCell(d.lost, d.different, d.acked, 'requests', [`${n(d.files.refusedButStored)} of the 503'd in the files`]),
  ];
}

function lorisRow(l) {
  const failed = l.beside.non2xx + l.beside.errors + l.beside.timeouts;
  const heads = l.slowHeadsClosed;
  const f = l.fdLimit;
  const limited = f
    ? `; under \`ulimit -n ${f.limit}\`, beside ${n(f.slowHeads)} slow heads: ${n(f.beside.reqPerSec)} req/s (${n(f.beside.total)} answered, ${n(f.beside.errors + f.beside.timeouts + f.beside.non2xx)} failed; the inspector: ${f.inspector}), ${n(f.after.reqPerSec)} req/s once they closed`
    : '';
  const limitedFailed = f ? f.beside.errors + f.beside.timeouts + f.beside.non2xx : 0;
  return [
    'slow-loris',
    `32 connections of 1 kB webhooks: ${n(l.alone.reqPerSec)} req/s, p99 ${l.alone.p99Ms} ms alone; ${n(l.beside.reqPerSec)} req/s, p99 ${l.beside.p99Ms} ms beside ${n(l.connected)} slow sockets (${l.ratioReqPerSec}× req/s, ${l.ratioP99}× p99)${limited}`,
    `${n(l.connected)} slow sockets held; slow heads ${heads.closed ? `closed by hook-catch after ${heads.firstS}–${heads.lastS} s (${fmtStatuses(heads.answers)})` : `still open after ${l.heldSeconds} s`}, slow bodies ${l.slowBodiesClosed.closed ? `closed after ${l.slowBodiesClosed.firstS}–${l.slowBodiesClosed.lastS} s` : `still open after ${l.heldSeconds} s`}`,
    `${n(l.slowHeads)} sockets sending a head and ${n(l.slowBodies)} a body, a byte every 200–400 ms`,
    [
      failed
        ? `**${n(failed)} normal requests failed** beside ${n(l.connected)} slow sockets (${l.beside.non2xx} non-2xx, ${l.beside.errors} errors, ${l.beside.timeouts} timeouts)`
        : `nothing acknowledged; no normal request failed beside ${n(l.connected)} slow sockets`,
      limitedFailed
        ? `**under \`ulimit -n ${f.limit}\`: ${n(limitedFailed)} normal requests failed, ${n(f.beside.total)} answered**`
        : f
          ? `none under \`ulimit -n ${f.limit}\` either`
          : '',
    ]
      .filter(Boolean)
      .join('; '),
  ];
}

const fmtStatuses = (o) =>
  Object.entries(o ?? {})
    .map(([s, c]) => `${s} ×${c}`)
    .join(', ') || 'none';

export function table(results) {
  const rows = [];
  if (results.kill) rows.push(killRow(results.kill));
  if (results.forward) rows.push(forwardRow(results.forward));
  if (results.fuzz) rows.push(fuzzRow(results.fuzz));
  if (results.disk) rows.push(diskRow(results.disk));
  if (results.loris) rows.push(lorisRow(results.loris));
  const lines = ['| part | load held | faults survived | hostile inputs tried | lost |', '|---|---|---|---|---|'];
  for (const row of rows) lines.push(`| ${row.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`);
  return lines.join('\n');
}

/** What else the run saw: odd answers, findings, the things a reader should know. */
export function notes(results) {
  const out = [];
  const { kill: k, fuzz: f, disk: d, loris: l } = results;
  if (k) {
    out.push(
      `- kill -9: ${n(k.storedUnanswered)} requests were in the store though their sender never got an answer (in flight at the kill: a sender retries them, a duplicate, not a loss); ${n(k.duplicateIds)} ids given twice; unreadable lines in the files: ${n(k.files.badLines)}.`,
    );
    if (k.non2xx || k.noId) out.push(`- kill -9: ${n(k.non2xx)} answers other than 2xx, ${n(k.noId)} 2xx without an id, before the kills.`);
    for (const w of k.recoveryWarnings) out.push(`- kill -9 round ${w.round}: the restart said: ${w.text.split('\n')[0]}`);
    for (const m of k.cliMismatches) out.push(`- kill -9: ${m}`);
  }
  if (f) {
    if (f.unanswered) out.push(`- fuzz: ${n(f.unanswered)} requests got no answer: ${f.unansweredExamples.slice(0, 3).join('; ')}.`);
    if (f.unexpected) out.push(`- fuzz: ${n(f.unexpected)} unexpected answers: ${f.unexpectedExamples.slice(0, 3).join('; ')}.`);
    if (f.storedUnanswered) out.push(`- fuzz: ${n(f.storedUnanswered)} requests are in the store though their answer never arrived.`);
    const cut = Object.entries(f.cutAnswers)
      .map(([k2, v]) => `${k2} ×${n(v)}`)
      .join(', ');
    if (cut) out.push(`- fuzz: requests whose sender closed its side before the end (cut-off) are answered but not kept: ${cut}.`);
    const accepted = Object.entries(f.acceptedMalformed)
      .map(([k2, v]) => `${k2} ×${n(v)}`)
      .join(', ');
    if (accepted) out.push(`- fuzz: malformed forms node:http accepted (answered 2xx and kept): ${accepted}.`);
    const notKept = Object.entries(f.refusalsNotKept)
      .map(([k2, v]) => `${k2} ×${n(v)}`)
      .join(', ');
    if (notKept) out.push(`- fuzz: refusals answered without an id (not kept): ${notKept}.`);
    if (f.missing)
      out.push(`- fuzz: answered ids missing from the store, by status: ${JSON.stringify(f.missingByStatus)}; ${f.storeExamples.slice(0, 3).join('; ')}.`);
    else if (f.different) out.push(`- fuzz: ${f.storeExamples.slice(0, 3).join('; ')}.`);
    out.push(`- fuzz: peak RSS of hook-catch ${n(f.peakRssMb)} MB.`);
  }
  if (d)
    out.push(
      `- full disk: hook-catch's store lines (--json): ${n(d.storeEvents.failing)} "cannot write" and ${n(d.storeEvents.recovered)} "writes again" (a small request that fits between failures counts as writing again).`,
    );
  if (l)
    out.push(
      `- slow-loris: ${l.slowHeadsClosed.closed ? `the slow heads were answered ${fmtStatuses(l.slowHeadsClosed.answers)} and closed ${l.slowHeadsClosed.firstS}–${l.slowHeadsClosed.lastS} s after they opened (${l.slowHeadsClosed.kept ? `${n(l.slowHeadsClosed.kept)} kept with an id` : 'none kept: no id, nothing in the store'})` : `no slow head was closed within ${l.heldSeconds} s`}; ${l.slowBodiesClosed.closed ? `slow bodies closed after ${l.slowBodiesClosed.firstS}–${l.slowBodiesClosed.lastS} s` : `the ${n(l.slowBodies)} slow bodies were still open after ${l.heldSeconds} s`} (hook-catch's headers timeout is 10 s, checked every second; a body may take node:http's 300 s).`,
    );
  if (l?.fdLimit) {
    const f = l.fdLimit;
    out.push(
      `- slow-loris under \`ulimit -n ${f.limit}\`: past its connection cap (90% of the limit less 64) hook-catch closes the slow socket waiting longest for each new connection; with ${n(f.slowHeads)} slow heads it answered ${n(f.beside.total)} normal requests in ${l.seconds} s (${n(f.beside.errors)} connection errors, ${n(f.beside.timeouts)} timeouts), the inspector answered ${f.inspector}, and it printed ${f.stderr?.length ? `"${f.stderr[0]}"` : 'nothing'}; ${n(f.after.reqPerSec)} req/s once the slow sockets closed${f.alive ? ', without a restart' : ''}.`,
    );
  }
  return out.join('\n');
}

/** The promises the run checks; each broken one is a line (the run then exits 1). */
export function failures(results) {
  const out = [];
  const { kill: k, fuzz: f, disk: d, loris: l } = results;
  if (k) {
    if (k.lost + k.files.missing) out.push(`kill -9: ${k.lost + k.files.missing} acknowledged requests missing`);
    if (k.different + k.files.different) out.push(`kill -9: ${k.different + k.files.different} acknowledged requests stored differently`);
    if (k.lostRegistrations) out.push(`kill -9: ${k.lostRegistrations} acknowledged registrations lost`);
    if (k.unmatchedDeliveries) out.push(`kill -9: ${k.unmatchedDeliveries} acknowledged deliveries not matched to their job`);
    if (k.cliMismatches.length) out.push(`kill -9: ${k.cliMismatches.length} show --body mismatches`);
    if (k.duplicateIds) out.push(`kill -9: ${k.duplicateIds} ids given twice`);
  }
  const w = results.forward;
  if (w) {
    if (w.unmarked) out.push(`forward kill -9: ${w.unmarked} acknowledged captures neither forwarded nor marked (${w.examples.join('; ')})`);
    if (w.notAtApp) out.push(`forward kill -9: ${w.notAtApp} captures stored as forwarded that the app never got`);
    if (w.missing) out.push(`forward kill -9: ${w.missing} acknowledged captures missing`);
  }
  if (f) {
    if (!f.alive) out.push('fuzz: hook-catch died');
    if (f.missing) out.push(`fuzz: ${f.missing} answered ids missing from the store`);
    if (f.different) out.push(`fuzz: ${f.different} stored requests differ from what was sent`);
    if (!f.reopenedSame) out.push('fuzz: the store did not reopen with the same requests');
    if (f.unexpected) out.push(`fuzz: ${f.unexpected} unexpected answers`);
    if (f.unanswered) out.push(`fuzz: ${f.unanswered} requests got no answer`);
  }
  if (d) {
    if (d.lost || d.different) out.push(`full disk: ${d.lost} acknowledged requests missing, ${d.different} different`);
    if (!d.fill.refused503) out.push('full disk: no 503 while full');
    if (d.after.acked === 0 || d.after.refused503) out.push(`full disk: no recovery after freeing space (${d.after.acked} 2xx, ${d.after.refused503} 503)`);
    if (d.files.refusedButStored) out.push(`full disk: ${d.files.refusedButStored} requests answered 503 are in the store`);
    if (!d.alive) out.push('full disk: hook-catch died');
  }
  if (l && !l.aliveAfter) out.push('slow-loris: hook-catch died');
  return out;
}
