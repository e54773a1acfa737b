import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';
import { BIN, later, runCli, runLibrary, send, spawnCli, tempDir } from './helpers/index.js';

const NO_STACK = /\n\s+at |Error:/;

async function startCli(dir: string, extra: string[] = []) {
  const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--json', '--no-tunnel', ...extra]);
  const ready = await cli.jsonLine((v) => v.type === 'ready');
  return { ...cli, ready };
}

async function occupiedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  later(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as { port: number }).port;
}

describe('hook-catch CLI', () => {
  it('prints its version and a help that lists the commands', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(VERSION);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const word of ['start', 'list', 'show', 'Examples']) expect(help.stdout).toContain(word);
    const startHelp = await runCli(['start', '--help']);
    for (const flag of ['--port', '--inspector-port', '--dir', '--max-body', '--max-requests', '--fsync', '--json', '--quiet']) {
      expect(startHelp.stdout).toContain(flag);
    }
  });

  it('starts, logs one line per request, writes instance.json, and stops cleanly on SIGTERM', async () => {
    const dir = await tempDir();
    const cli = await startCli(dir);
    expect(cli.ready.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    const instance = JSON.parse(await readFile(join(dir, 'instance.json'), 'utf8'));
    expect(instance).toMatchObject({ pid: cli.child.pid, receiverUrl: cli.ready.receiverUrl, inspectorUrl: cli.ready.inspectorUrl });
    const reply = await fetch(cli.ready.webhookUrl, { method: 'POST', body: '{"jobId":"j-1"}', headers: { 'Content-Type': 'application/json' } });
    const { id } = (await reply.json()) as { id: string };
    const line = await cli.jsonLine((v) => v.type === 'request');
    expect(line).toMatchObject({ id, method: 'POST', path: '/webhook', status: 200, bodySize: 15, contentType: 'application/json' });
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir, 'instance.json'))).toBe(false);
  });

  it('keeps its folder, instance.json and the request log owner-only, whatever the umask', async () => {
    const dir = join(await tempDir(), 'store');
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--json', '--no-tunnel'], {
      wrapper: ['/bin/sh', '-c', 'umask 000 && exec "$0" "$@"'],
    });
    const ready = await cli.jsonLine((v) => v.type === 'ready');
    expect((await send(ready.webhookUrl, { method: 'POST', body: 'secret' })).status).toBe(200);
    const mode = async (...path: string[]) => (await stat(join(dir, ...path))).mode & 0o777;
    expect(await mode()).toBe(0o700);
    expect(await mode('instance.json')).toBe(0o600);
    expect(await mode('requests')).toBe(0o700);
    const [segment] = (await readdir(join(dir, 'requests'))).filter((name) => name.endsWith('.jsonl'));
    expect(await mode('requests', segment!)).toBe(0o600);
  });

  it('--host binds the receiver to that address and prints its URLs there; the inspector stays on loopback', async () => {
    const dir = await tempDir();
    const cli = await startCli(dir, ['--host', '127.0.0.2']);
    expect(cli.ready.receiverUrl).toBe(`http://127.0.0.2:${cli.ready.receiverPort}`);
    expect(cli.ready.webhookUrl).toBe(`http://127.0.0.2:${cli.ready.receiverPort}/webhook`);
    expect(cli.ready.inspectorUrl).toBe(`http://127.0.0.1:${cli.ready.inspectorPort}`);
    expect((await send(cli.ready.webhookUrl, { method: 'POST', body: 'to .2' })).status).toBe(200);
    // Bound to that address only: the same port on 127.0.0.1 is not the receiver.
    await expect(send(`http://127.0.0.1:${cli.ready.receiverPort}/webhook`)).rejects.toThrow(/ECONNREFUSED/);
    expect((await runCli(['url', '--dir', dir])).stdout).toBe(`${cli.ready.webhookUrl}\n`);

    // 0.0.0.0: every address of the machine; the banner shows the loopback URL, which works from here.
    const all = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', await tempDir(), '--no-tunnel', '--host', '0.0.0.0']);
    const url = (await all.printed(/Webhook\s+(http:\/\/\S+)/))[1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    expect(all.stdout()).toMatch(/Inspector\s+http:\/\/127\.0\.0\.1:\d+/);
    for (const host of ['127.0.0.1', '127.0.0.2']) {
      expect((await send(url.replace('127.0.0.1', host), { method: 'POST', body: host })).status, host).toBe(200);
    }
  });

  it('a --host that is not an address of this machine is one line naming --host, and exit code 1', async () => {
    // 203.0.113.9 is a documentation address (TEST-NET-3): no machine has it, and binding it dials nowhere.
    const result = await runCli(['start', '--port', '0', '--inspector-port', '0', '--dir', await tempDir(), '--no-tunnel', '--host', '203.0.113.9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hook-catch: The receiver cannot listen on 203\.0\.113\.9: no such address on this machine\. Check --host\.\n$/);
  });

  it('on SIGTERM a request already on its way is still answered and kept, then it exits 0', async () => {
    // (That it stops accepting meanwhile and ends keep-alive is tested in lifecycle.test.ts, where closing can be awaited.)
    const { connect } = await import('node:net');
    const dir = await tempDir();
    const cli = await startCli(dir);
    const socket = connect(cli.ready.receiverPort, '127.0.0.1');
    let response = '';
    let continued: () => void;
    const headRead = new Promise<void>((resolve) => (continued = resolve));
    socket.on('data', (d) => {
      response += d;
      if (response.includes('100 Continue')) continued();
    });
    const closed = new Promise((resolve) => socket.on('close', resolve));
    // It says 100 Continue once it has read the head: the request is then on its way when the signal comes.
    socket.write('POST /webhook/late HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n');
    await headRead;
    cli.child.kill('SIGTERM');
    socket.end('helloworld');
    await closed;
    expect(response).toMatch(/HTTP\/1.1 200 OK\r\n/);
    expect((await cli.exited).code).toBe(0);
    const shown = await runCli(['show', 'last', '--body', '--dir', dir]);
    expect(shown.stdout).toBe('helloworld');
  });

  it('shows a banner and a readable line per request in a terminal', async () => {
    const dir = await tempDir();
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir]);
    const url = (await cli.printed(/Webhook\s+(http:\/\/\S+)/))[1]!;
    expect(cli.stdout()).toMatch(/Inspector\s+http:\/\/127\.0\.0\.1:\d+/);
    const { id } = (await (await fetch(url, { method: 'POST', body: 'hello' })).json()) as { id: string };
    await cli.printed(new RegExp(`\\d\\d:\\d\\d:\\d\\d  POST +/webhook +200  5 B  .*${id.slice(-6)}`));
  });

  it('--quiet prints nothing for a healthy run', async () => {
    const dir = await tempDir();
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--quiet']);
    const published = () => existsSync(join(dir, 'instance.json')) && readFile(join(dir, 'instance.json'), 'utf8').then((t) => 'receiverUrl' in JSON.parse(t));
    await expect.poll(published, { timeout: 15_000, interval: 20 }).toBe(true);
    const { webhookUrl } = JSON.parse(await readFile(join(dir, 'instance.json'), 'utf8'));
    expect((await fetch(webhookUrl, { method: 'POST', body: '{"jobId":"q"}' })).status).toBe(200);
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout() + cli.stderr()).toBe('');
  });

  it('a 2xx means it is on disk: kill -9 right after the last acknowledgement loses nothing', async () => {
    const dir = await tempDir();
    const cli = await startCli(dir);
    const sent = new Map<string, Buffer>();
    const N = 300;
    const bodies = Array.from({ length: N }, (_, i) =>
      Buffer.concat([Buffer.from(`{"n":${i},"bin":"`), Buffer.from([i % 256, 0xff, 0x00]), Buffer.from('"}')]),
    );
    for (let i = 0; i < N; i += 30) {
      await Promise.all(
        bodies.slice(i, i + 30).map(async (body) => {
          const reply = await fetch(cli.ready.webhookUrl, { method: 'POST', body });
          expect(reply.status).toBe(200);
          sent.set(((await reply.json()) as { id: string }).id, body);
        }),
      );
    }
    cli.child.kill('SIGKILL');
    await cli.exited;
    expect(existsSync(join(dir, 'instance.json'))).toBe(true);

    const restarted = await startCli(dir);
    expect(restarted.stderr()).toBe('');
    for (const [id, body] of sent) {
      const reply = await fetch(`${restarted.ready.inspectorUrl}/api/requests/${id}/body`);
      expect(reply.status).toBe(200);
      expect(Buffer.from(await reply.arrayBuffer()).equals(body)).toBe(true);
    }
    const status = (await (await fetch(`${restarted.ready.inspectorUrl}/api/status`)).json()) as any;
    expect(status.requests.stored).toBe(N);
  });

  it('a busy port is one line naming the flag to change, and exit code 1', async () => {
    const busy = await occupiedPort();
    const receiver = await runCli(['start', '--port', String(busy), '--inspector-port', '0', '--dir', await tempDir()]);
    expect(receiver.code).toBe(1);
    expect(receiver.stderr.trim().split('\n')).toHaveLength(1);
    expect(receiver.stderr).toMatch(new RegExp(`Port ${busy} .* already in use.*--port`));
    expect(receiver.stderr).not.toMatch(NO_STACK);
    const inspector = await runCli(['start', '--port', '0', '--inspector-port', String(busy), '--dir', await tempDir()]);
    expect(inspector.code).toBe(1);
    expect(inspector.stderr).toMatch(/--inspector-port/);
    expect(inspector.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a second instance on the same dir, but takes over a stale instance.json', async () => {
    const dir = await tempDir();
    const first = await startCli(dir);
    const second = await runCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`already running on .* \\(pid ${first.child.pid}, inspector http`));
    expect(second.stderr).toMatch(/--dir/);
    first.child.kill('SIGTERM');
    await first.exited;

    const other = await tempDir();
    await writeFile(join(other, 'instance.json'), JSON.stringify({ pid: 2 ** 22 + 7, receiverUrl: 'http://127.0.0.1:1' }));
    const stale = await startCli(other);
    expect(stale.ready.pid).toBe(stale.child.pid);
  });

  it('starts on a corrupt store with one warning line and no stack trace', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'requests'), { recursive: true });
    await writeFile(join(dir, 'requests', '00000001.jsonl'), '{"this is":"not a record"}\n\u0000\u0001garbage{{{\n');
    const cli = await startCli(dir);
    const warnings = cli.stderr().trim().split('\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^hook-catch: warning: Recovered 0 records .* 2 damaged lines .* kept aside in .*damaged/);
    expect(cli.stderr()).not.toMatch(NO_STACK);
    expect((await fetch(cli.ready.webhookUrl, { method: 'POST', body: 'ok' })).status).toBe(200);
  });

  it('list and show read the store with no instance running', async () => {
    const dir = await tempDir();
    const cli = await startCli(dir);
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const ids: string[] = [];
    for (const body of [Buffer.from('{"jobId":"one","status":"done"}'), binary]) {
      ids.push(((await (await fetch(cli.ready.webhookUrl, { method: 'POST', body })).json()) as { id: string }).id);
    }
    cli.child.kill('SIGTERM');
    await cli.exited;

    const list = await runCli(['list', '--dir', dir]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(ids[1]!.slice(-6));
    expect(list.stderr).toMatch(/2 shown of 2 stored/);
    const listJson = JSON.parse((await runCli(['list', '--dir', dir, '--json', '--search', 'jobId'])).stdout);
    expect(listJson.items.map((i: any) => i.id)).toEqual([ids[0]]);

    const body = await runCli(['show', ids[1]!.slice(-6), '--dir', dir, '--body']);
    expect(body.stdoutBytes.equals(binary)).toBe(true);
    const shown = await runCli(['show', ids[0]!, '--dir', dir]);
    expect(shown.stdout).toMatch(/POST \/webhook/);
    expect(shown.stdout).toContain('"status": "done"');
    const asJson = JSON.parse((await runCli(['show', 'last', '--dir', dir, '--json'])).stdout);
    expect(asJson).toMatchObject({ id: ids[1], bodyEncoding: 'base64', body: binary.toString('base64') });

    const missing = await runCli(['show', 'nosuchid', '--dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No stored request matches "nosuchid".*hook-catch list/);
    const noStore = await runCli(['list', '--dir', join(dir, 'nowhere')]);
    expect(noStore.code).toBe(1);
    expect(noStore.stderr).toMatch(/No hook-catch store in .*hook-catch start/);
    expect(noStore.stderr).not.toMatch(NO_STACK);
  });

  it("the package's library entry (import from 'hook-catch') starts, receives and closes", async () => {
    const dir = await tempDir();
    const out = await runLibrary(`
      import { start } from 'hook-catch';
      const hc = await start({ port: 0, inspectorPort: 0, dir: ${JSON.stringify(dir)}, tunnel: false });
      const seen = new Promise((resolve) => hc.events.on('job', (event) => resolve(event.job.id)));
      await fetch(hc.webhookUrl, { method: 'POST', body: '{"jobId":"lib-1","status":"done"}' });
      const result = await hc.waitFor('lib-1', { timeoutMs: 20000 });
      console.log(JSON.stringify({ job: await seen, outcome: result.outcome }));
      await hc.close();
      await hc.close();`);
    expect(JSON.parse(out)).toEqual({ job: 'lib-1', outcome: 'completed' });
  });

  it('a reader that stops reading (| head) ends each command quietly, with no error and exit 0', async () => {
    const { spawn } = await import('node:child_process');
    const dir = await tempDir();
    const cli = await startCli(dir);
    const big = Buffer.alloc(2_000_000, 'x');
    for (const body of ['{"jobId":"pipe-1","status":"done"}', big]) await fetch(cli.ready.webhookUrl, { method: 'POST', body });
    const closedPipe = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args, '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
        child.stdout.destroy(); // the reader is gone before the command writes anything
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    for (const args of [['list'], ['jobs'], ['show', 'last', '--json'], ['show', 'last', '--body'], ['list', '--json']]) {
      const result = await closedPipe(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stderr, args.join(' ')).not.toMatch(/EPIPE|error|\n\s+at /i);
    }
  });

  it('rejects bad flag values with a clear message', async () => {
    for (const [args, message] of [
      [['start', '--port', 'abc'], /^hook-catch: option .*port is a number from 0 to 65535/],
      [['start', '--public-url', 'ftp://x'], /^hook-catch: .*--public-url must start with https:\/\/ or http:\/\//],
      [['start', '--job-id-path', 'cookie.x'], /^hook-catch: .*--job-id-path "cookie.x" is not a rule/],
      [['start', '--verify-webhook', 'github'], /^hook-catch: --verify-webhook <provider> needs --verify-webhook-secret/],
      [['nosuchcommand'], /^hook-catch: unknown command 'nosuchcommand'/],
      [['start', '--max-body', 'huge'], /give a size such as 512kb/],
      [['start', '--max-requests', '0'], /--max-requests takes a whole number of at least 1/],
      [['list', '--limit', '-3'], /--limit/],
      [['start', '--no-tunnel', '--dir', '/proc/hook-catch-test'], /Cannot use \/proc\/hook-catch-test as the store folder: .*--dir/],
    ] as const) {
      const result = await runCli([...args]);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(NO_STACK);
    }
  });
});
