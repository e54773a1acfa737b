import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, later, runLibrary, send, spawnCli, startHookCatch, tempDir, type Spawned } from './helpers/index.js';

const bodies = (n: number, tag: string) => Array.from({ length: n }, (_, i) => Buffer.from(`{"${tag}":${i},"bin":"\u00ff${'x'.repeat(i)}"}`));

/** Posts all bodies at once; every one must be acknowledged. Returns id -> body. */
async function postAll(url: string, list: Buffer[]): Promise<Map<string, Buffer>> {
  const sent = new Map<string, Buffer>();
  await Promise.all(
    list.map(async (body) => {
      const reply = await send(url, { method: 'POST', body });
      expect(reply.status).toBe(200);
      sent.set(json(reply).id, body);
    }),
  );
  return sent;
}

async function expectKept(inspectorUrl: string, sent: Map<string, Buffer>) {
  for (const [id, body] of sent) {
    const reply = await send(`${inspectorUrl}/api/requests/${id}/body`);
    expect(reply.status).toBe(200);
    expect(reply.body.equals(body)).toBe(true);
  }
}

/** Stops the CLI by its own pid (under a wrapper, `child.pid` is the wrapper's). */
function stop(cli: Spawned, pid: number, signal: NodeJS.Signals) {
  process.kill(pid, signal);
  return cli.exited;
}

function killLater(pid: number) {
  later(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  });
}

describe('--fsync', () => {
  it('from the command line: acknowledged requests are kept through kill -9 and readable after a restart', async () => {
    const dir = await tempDir();
    const args = ['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--json', '--no-tunnel'];
    const cli = spawnCli([...args, '--fsync']);
    const ready = await cli.jsonLine((v) => v.type === 'ready');
    expect(json(await send(`${ready.inspectorUrl}/api/status`))).toMatchObject({ fsync: true });
    const sent = await postAll(ready.webhookUrl, bodies(60, 'cli'));
    await stop(cli, ready.pid, 'SIGKILL');

    const again = spawnCli(args);
    const restarted = await again.jsonLine((v) => v.type === 'ready');
    expect(again.stderr()).toBe('');
    expect(restarted.stored).toBe(60);
    await expectKept(restarted.inspectorUrl, sent);
  });

  it('in the library: start({ fsync: true }) acknowledges, keeps and reopens', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir, fsync: true });
    const sent = await postAll(hc.webhookUrl, bodies(40, 'lib'));
    await hc.close();
    const again = await startHookCatch({ dir });
    expect(again.warnings).toEqual([]);
    expect(again.store.count).toBe(40);
    await expectKept(again.inspectorUrl, sent);
  });
});

/** strace, when this machine has it and lets it trace (it shows the system calls a run makes). */
function straceCommand(): string[] | null {
  for (const extra of [['--seccomp-bpf'], []]) {
    const probe = spawnSync('strace', ['-f', ...extra, '-qq', '-e', 'trace=none', '-o', '/dev/null', process.execPath, '-e', '0']);
    if (probe.status === 0) return ['strace', '-f', ...extra, '-qq', '-y', '-s', '0', '-e', 'trace=write,writev,fdatasync'];
  }
  return null;
}
const STRACE = straceCommand();

/**
 * What a traced run did, in order: `w` a write into a segment file, `s` its disk sync (one that
 * another thread's call interrupted in the trace shows as `(` … `)`), `r` a write to a socket (an
 * HTTP answer; left out with `sockets` false, for a run whose clients are in the same process).
 */
async function traced(traceFile: string, sockets = true): Promise<string> {
  let order = '';
  // Threads whose sync of a segment file is interrupted in the trace: only their "resumed" lines count
  // (a sync of another file, such as jobs.json, can be interrupted too).
  const syncing = new Set<string>();
  for (const line of (await readFile(traceFile, 'utf8')).split('\n')) {
    const pid = /^(\d+) /.exec(line)?.[1] ?? '';
    if (/^\d+ +writev?\(\d+<[^>]*\.jsonl>/.test(line)) order += 'w';
    else if (sockets && /^\d+ +writev?\((?![12]<)\d+<socket:/.test(line))
      order += 'r'; // not stdout or stderr
    else if (/^\d+ +fdatasync\(\d+<[^>]*\.jsonl>/.test(line)) {
      if (line.includes('<unfinished')) {
        syncing.add(pid);
        order += '(';
      } else order += 's';
    } else if (/^\d+ +<\.\.\. fdatasync resumed>/.test(line) && syncing.delete(pid)) order += ')';
  }
  return order.replaceAll('()', 's');
}

describe.skipIf(STRACE === null)('--fsync reaches the disk (seen with strace)', () => {
  async function tracedRun(extra: string[]) {
    const dir = await tempDir();
    const trace = join(await tempDir(), 'trace');
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--json', '--no-tunnel', ...extra], {
      wrapper: [...STRACE!, '-o', trace],
    });
    const ready = await cli.jsonLine((v) => v.type === 'ready');
    killLater(ready.pid);
    await postAll(ready.webhookUrl, bodies(30, 'traced'));
    expect((await stop(cli, ready.pid, 'SIGTERM')).code).toBe(0);
    return traced(trace);
  }

  it('with --fsync each write to the log is synced before any answer and before the next write; without it, none is', async () => {
    expect(await tracedRun(['--fsync'])).toMatch(/^(wsr+)+$/);
    expect(await tracedRun([])).toMatch(/^[wr]*w[wr]*$/);
  });

  it('the library syncs too with fsync: true', async () => {
    const trace = join(await tempDir(), 'trace');
    const out = await runLibrary(
      `
      import { start } from 'hook-catch';
      const hc = await start({ port: 0, inspectorPort: 0, dir: ${JSON.stringify(await tempDir())}, tunnel: false, fsync: true });
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(hc.webhookUrl, { method: 'POST', body: String(i) })));
      await hc.close();
      console.log(JSON.stringify(replies.map((r) => r.status)));`,
      { wrapper: [...STRACE!, '-o', trace] },
    );
    expect(JSON.parse(out)).toEqual(Array(20).fill(200));
    // Its own fetch calls write to sockets too: only the log's writes and syncs are looked at here.
    expect(await traced(trace, false)).toMatch(/^(ws)+$/);
  });
});
