import { spawnSync } from 'node:child_process';
import { appendFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli, startHookCatch, tempDir } from './helpers/index.js';

/** A raw keep-alive connection that collects what comes back and tells when the server closes it. */
function openSocket(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  const waiters: (() => void)[] = [];
  socket.on('data', (d) => {
    received += d.toString('latin1');
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const responses = (n: number) =>
    new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${n} responses in 15 s: ${received}`)), 15_000);
      const look = () => {
        const found = received.split(/(?=HTTP\/1\.1 )/).filter((r) => /\r\n\r\n\{.*\}\n$/s.test(r));
        if (found.length >= n) return (clearTimeout(timer), resolve(found));
        waiters.push(look);
      };
      look();
    });
  const continued = new Promise<void>((resolve) => {
    const look = () => (received.includes('100 Continue') ? resolve() : waiters.push(look));
    look();
  });
  return { socket, closed, responses, continued };
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = connect(port, '127.0.0.1');
    probe.on('connect', () => (probe.destroy(), resolve(true)));
    probe.on('error', () => resolve(false));
  });

describe('stopping', () => {
  it('once closing, a request in flight is answered with Connection: close and its connection ends; idle ones end at once', async () => {
    const hc = await startHookCatch();
    const busy = openSocket(hc.receiverPort);
    const idle = openSocket(hc.receiverPort);
    for (const s of [busy, idle]) s.socket.write('POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok');
    const [first] = await busy.responses(1);
    expect(first).toMatch(/^HTTP\/1.1 200[\s\S]*Connection: keep-alive/i);
    await idle.responses(1);
    // The server has read this request's head once it says 100 Continue: it is in flight when closing starts.
    busy.socket.write('POST /webhook/late HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n');
    await busy.continued;
    busy.socket.write('hello');
    const closing = hc.close();
    await expect.poll(() => accepts(hc.receiverPort), { timeout: 15_000 }).toBe(false);
    await idle.closed; // an idle keep-alive connection is not left open
    busy.socket.write('world');
    await busy.closed;
    const [, second] = await busy.responses(2);
    expect(second).toMatch(/^HTTP\/1.1 200/);
    expect(second).toMatch(/\r\nConnection: close\r\n/i);
    await closing;
  });
});

describe('the store folder', () => {
  it('a folder hook-catch creates is owner-only, and so are its files', async () => {
    const parent = await tempDir();
    const dir = join(parent, 'new', 'store');
    const hc = await startHookCatch({ dir });
    await fetch(hc.webhookUrl, { method: 'POST', body: 'secret' });
    await hc.expect('mode-1');
    expect((await stat(dir)).mode & 0o7777).toBe(0o700);
    expect((await stat(join(parent, 'new'))).mode & 0o7777).toBe(0o700);
    expect(hc.warnings).toEqual([]);
    for (const file of ['instance.json', 'jobs.json']) expect((await stat(join(dir, file))).mode & 0o777, file).toBe(0o600);
    const segment = (await readdir(join(dir, 'requests')))[0]!;
    expect((await stat(join(dir, 'requests', segment))).mode & 0o777).toBe(0o600);
  });

  it('an existing folder keeps its mode (a sticky bit, a project folder); one warning when others can open it', async () => {
    const { chmod } = await import('node:fs/promises');
    const shared = join(await tempDir(), 'shared');
    await mkdir(shared);
    await chmod(shared, 0o1777);
    const hc = await startHookCatch({ dir: shared });
    expect((await stat(shared)).mode & 0o7777).toBe(0o1777);
    expect(hc.warnings).toEqual([expect.stringMatching(/shared can be opened by other users of this machine \(mode 1777\).*chmod 700/)]);
    expect((await stat(join(shared, 'instance.json'))).mode & 0o777).toBe(0o600);
    await hc.close();

    const project = join(await tempDir(), 'project');
    await mkdir(project);
    await chmod(project, 0o755);
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', project, '--json', '--no-tunnel']);
    await cli.jsonLine((v) => v.type === 'ready');
    expect((await stat(project)).mode & 0o7777).toBe(0o755);
    expect(cli.stderr().match(/warning: .*can be opened by other users/g)).toHaveLength(1);

    const privateDir = join(await tempDir(), 'private');
    await mkdir(privateDir, { mode: 0o700 });
    expect((await startHookCatch({ dir: privateDir })).warnings).toEqual([]);
  });

  it('temporary files that failed starts or kills left behind (instance.json, jobs.json, rules.json, damaged lines kept aside) are removed at the next start', async () => {
    const dir = await tempDir();
    for (const name of ['.instance.json.999991.tmp', '.jobs.json.999992.tmp', '.rules.json.999993.tmp']) await writeFile(join(dir, name), '');
    await mkdir(join(dir, 'damaged'));
    await writeFile(join(dir, 'damaged', '.00000001-2026-12-05T10-00-00-000Z.jsonl.999994.tmp'), '');
    await writeFile(join(dir, 'notes.tmp'), 'the user keeps this');
    await writeFile(join(dir, '.cache.4242.tmp'), 'another tool keeps this');
    const hc = await startHookCatch({ dir });
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp')).sort()).toEqual(['.cache.4242.tmp', 'notes.tmp']);
    expect(await readdir(join(dir, 'damaged'))).toEqual([]);
    await hc.close();
    const shown = await runCli(['list', '--dir', dir]);
    expect(shown.code).toBe(0);
  });
});

/**
 * strace that kills the traced hook-catch at its first rename: after a file's temporary copy is
 * written, before it takes the file's place (a kill in the middle of a write). Null when this
 * machine does not let strace trace.
 */
function killAtFirstRename(): string[] | null {
  const renames = 'rename,renameat,renameat2';
  // --seccomp-bpf stops hook-catch at its renames only (without it, at every system call: slow).
  for (const extra of [['--seccomp-bpf'], []]) {
    const command = ['strace', '-f', ...extra, '-qq', '-o', '/dev/null', '-e', `trace=${renames}`, '-e', `inject=${renames}:signal=SIGKILL:when=1`];
    if (spawnSync(command[0]!, [...command.slice(1), process.execPath, '-e', '0']).status === 0) return command;
  }
  return null;
}
const KILL_AT_FIRST_RENAME = killAtFirstRename();

describe.skipIf(KILL_AT_FIRST_RENAME === null)(
  "a kill in the middle of a write (strace kills hook-catch between a file's temporary copy and its rename)",
  () => {
    /** Runs the CLI until the kill; returns the temporary files it left in `folder`. */
    async function killed(args: string[], folder: string): Promise<string[]> {
      const { code, signal } = await spawnCli(args, { wrapper: KILL_AT_FIRST_RENAME! }).exited;
      expect(signal ?? code).not.toBe(0);
      return (await readdir(folder)).filter((name) => name.endsWith('.tmp'));
    }

    it('leaves a temporary file of rules.json, jobs.json or damaged lines kept aside; the next start removes it, and the real files are intact', async () => {
      const dir = await tempDir();
      const first = await startHookCatch({ dir });
      await first.expect('job-1');
      await first.rules.add({ status: 202 });
      await first.close();
      const start = ['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--no-tunnel'];
      // The first file each run replaces: rules.json (`rules add` with no instance), jobs.json (start with
      // other matching settings than the last), a damaged line kept aside (start, before anything else,
      // once the request log has one).
      const cases = [
        { left: /^\.rules\.json\.\d+\.tmp$/, run: () => killed(['rules', 'add', '--respond', '500', '--dir', dir], dir) },
        { left: /^\.jobs\.json\.\d+\.tmp$/, run: () => killed([...start, '--job-id-path', 'header.x-ref'], dir) },
        {
          left: /^\.00000001-[\w-]+\.jsonl\.\d+\.tmp$/,
          run: async () => {
            await appendFile(join(dir, 'requests', '00000001.jsonl'), '{"torn":\n');
            return killed(start, join(dir, 'damaged'));
          },
        },
      ];
      for (const { left, run } of cases) {
        expect(await run()).toEqual([expect.stringMatching(left)]);
        const hc = await startHookCatch({ dir });
        const everywhere = [...(await readdir(dir)), ...(await readdir(join(dir, 'damaged')).catch(() => []))];
        expect(everywhere.filter((name) => name.endsWith('.tmp'))).toEqual([]);
        expect(hc.rules.list().map((rule) => [rule.id, rule.status])).toEqual([['r1', 202]]);
        expect(hc.jobs.get('job-1')?.source).toBe('expect');
        await hc.close();
      }
    });
  },
);
