// How soon the quick commands answer, from spawn to exit, against `node -e 1` on the same CPU (the
// server's: pin.js): --version and --help; against a running hook-catch (in a temp folder with some
// stored requests) expect, wait on a job whose completing webhook was already sent, list -n 1 and
// show last --body; and list -n 1 and show last --body on a stopped store of 10,000. Each runs once
// to warm up, then RUNS times, the commands taking turns; the median is judged (report.js).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode, stop } from './children.js';
import { send } from './http-client.js';
import { jobId, webhookPayload } from './payload.js';
import { LOAD_CPU, pinnedCommand, SERVER_CPU } from './pin.js';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = join(here, '..', 'bin', 'hook-catch.js');
const RUNS = 7;
/** Stored in the running instance's folder before it starts; and in the stopped store. */
const LIVE_STORED = 50;
const STOPPED_STORED = 10_000;
/** The job whose webhook is sent before `wait` runs (the prefilled ones name jobs 0 to LIVE_STORED - 1). */
const DONE_JOB = jobId(1_000_000);

export const CLI_STARTUP_SCENARIO = {
  key: 'cli-startup',
  name: 'CLI commands, spawn to exit',
  server: 'hook-catch',
  run: runCliStartup,
};

async function runCliStartup(s, { log, tempDirs }) {
  const row = { key: s.key, name: s.name, server: s.server, runs: RUNS, liveStored: LIVE_STORED, stoppedStored: STOPPED_STORED };
  const live = await mkdtemp(join(tmpdir(), 'hook-catch-bench-'));
  const stopped = await mkdtemp(join(tmpdir(), 'hook-catch-bench-'));
  for (const dir of [live, stopped]) tempDirs.add(dir);
  let child;
  try {
    log(`  ${LIVE_STORED} stored and a running hook-catch in one folder, ${STOPPED_STORED.toLocaleString('en-US')} stored in another`);
    await prefill(live, LIVE_STORED);
    await prefill(stopped, STOPPED_STORED);
    const started = await runNode(join(here, 'hook-catch-server.js'), ['--dir', live, '--jobs', '0'], { cpu: LOAD_CPU });
    child = started.child;
    const done = await send({ port: started.info.port, method: 'POST', path: '/webhook', body: webhookPayload(0, { job: 1_000_000 }) });
    if (done.status !== 200) throw new Error(`the job's webhook was answered ${done.status}`);
    let expected = 0;
    const commands = {
      node: ['-e', '1'],
      version: [BIN, '--version'],
      help: [BIN, '--help'],
      expect: () => [BIN, 'expect', `cli-bench-${expected++}`, '--dir', live],
      wait: [BIN, 'wait', DONE_JOB, '--dir', live],
      list: [BIN, 'list', '-n', '1', '--dir', live],
      show: [BIN, 'show', 'last', '--body', '--dir', live],
      listStopped: [BIN, 'list', '-n', '1', '--dir', stopped],
      showStopped: [BIN, 'show', 'last', '--body', '--dir', stopped],
    };
    const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
    for (let round = -1; round < RUNS; round++) {
      for (const [name, argv] of Object.entries(commands)) {
        const ms = await timed(typeof argv === 'function' ? argv() : argv);
        if (round >= 0) times[name].push(ms);
      }
    }
    row.medianMs = Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]));
    row.overMs = Object.fromEntries(Object.entries(row.medianMs).map(([name, ms]) => [name, ms - row.medianMs.node]));
    row.maxMs = Object.fromEntries(Object.entries(times).map(([name, list]) => [name, Math.max(...list)]));
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${row.error}`);
  } finally {
    if (child) await stop(child);
    for (const dir of [live, stopped]) {
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    }
  }
  return row;
}

function prefill(dir, count) {
  return runNode(join(here, 'prefill.js'), [dir, String(count), String(count)], { waitForExit: true, cpu: LOAD_CPU });
}

/** Runs `node <argv>` on the server's CPU; resolves with the milliseconds from spawn to exit, rejects unless it exits 0. */
function timed(argv) {
  const [command, args] = pinnedCommand(SERVER_CPU, argv[0], argv.slice(1));
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve(ms);
      else reject(new Error(`node ${argv.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
  });
}

function median(list) {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1];
}

/** What each timing is, for the report. */
export const CLI_COMMANDS = {
  version: 'hook-catch --version',
  help: 'hook-catch --help',
  expect: 'expect <id>',
  wait: 'wait <id> (done)',
  list: 'list -n 1',
  show: 'show last --body',
  listStopped: 'list -n 1, stopped store of 10,000',
  showStopped: 'show last --body, stopped store of 10,000',
};

/** The report's line for this row. */
export function cliStartupLines(row) {
  if (row.error) return [`- ${row.name}: FAILED: ${row.error}`];
  const ms = (n) => `${Math.round(n)} ms`;
  const each = Object.entries(CLI_COMMANDS).map(([name, what]) => `${what} ${ms(row.medianMs[name])} (+${ms(row.overMs[name])})`);
  return [
    `- ${row.name}, median of ${row.runs} after a warm-up, on the server's CPU: node -e 1 ${ms(row.medianMs.node)}; ${each.slice(0, 2).join(', ')}; ` +
      `against a running hook-catch (${row.liveStored} stored): ${each.slice(2, 6).join(', ')}; ${each.slice(6).join(', ')}`,
  ];
}
