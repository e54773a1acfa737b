import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli, startHookCatch, tempDir } from './helpers.js';

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
        if (found.length >= n) return clearTimeout(timer), resolve(found);
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
    expect(first).toMatch(/^HTTP\/1.1 200[^]*Connection: keep-alive/i);
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

  it('temporary files that failed starts left behind are removed at the next start', async () => {
    const dir = await tempDir();
    for (const name of ['.instance.json.999991.tmp', '.jobs.json.999992.tmp']) await writeFile(join(dir, name), '');
    await writeFile(join(dir, 'notes.tmp'), 'the user keeps this');
    await writeFile(join(dir, '.cache.4242.tmp'), 'another tool keeps this');
    const hc = await startHookCatch({ dir });
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp')).sort()).toEqual(['.cache.4242.tmp', 'notes.tmp']);
    await hc.close();
    const shown = await runCli(['list', '--dir', dir]);
    expect(shown.code).toBe(0);
  });
});
