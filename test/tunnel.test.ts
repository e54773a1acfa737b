import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HookCatchError } from '../src/errors.js';
import { NO_TOKEN_NOTICE } from '../src/tunnel/public-url.js';
import type { OpenTunnel, TunnelOptions, TunnelStatus } from '../src/tunnel/ngrok.js';
import { findAuthtoken, tokenInConfig } from '../src/tunnel/token.js';
import { json, later, runCli, runLibrary, send, spawnCli, startHookCatch, tempDir } from './helpers/index.js';

/** A stand-in for ngrok (the real cloud is out of reach here): it records what it was asked for. */
function fakeTunnel(url = 'https://fake-1234.ngrok-free.app') {
  const calls: TunnelOptions[] = [];
  let closed = 0;
  const open: OpenTunnel = async (options) => {
    calls.push(options);
    return { url, close: async () => void closed++ };
  };
  return { open, calls, closed: () => closed, status: (s: TunnelStatus) => calls[0]!.onStatus!(s) };
}

/** A terminal stand-in: what was written to it, one entry per write, colours taken out. */
function capture() {
  const lines: string[] = [];
  const stream = { write: (text: string) => lines.push(stripVTControlCharacters(text)) } as unknown as NodeJS.WritableStream;
  return { lines, stream };
}

/** A port where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A peer that accepts connections and never says a word (a dead network, as the SDK sees it). */
async function silentPort(): Promise<number> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  later(
    () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(resolve);
      }),
  );
  return (server.address() as { port: number }).port;
}

describe('ngrok authtoken lookup', () => {
  it('takes the flag first, then NGROK_AUTHTOKEN, then the agent config', async () => {
    const home = await tempDir();
    await mkdir(join(home, '.config', 'ngrok'), { recursive: true });
    await writeFile(join(home, '.config', 'ngrok', 'ngrok.yml'), 'version: "2"\nauthtoken: from-file\n');
    const env = { NGROK_AUTHTOKEN: 'from-env' };
    expect(await findAuthtoken({ flag: 'from-flag', env, home, platform: 'linux' })).toEqual({ token: 'from-flag', source: '--authtoken' });
    expect(await findAuthtoken({ env, home, platform: 'linux' })).toEqual({ token: 'from-env', source: 'NGROK_AUTHTOKEN' });
    expect(await findAuthtoken({ env: {}, home, platform: 'linux' })).toEqual({
      token: 'from-file',
      source: join(home, '.config', 'ngrok', 'ngrok.yml'),
    });
    expect(await findAuthtoken({ env: {}, home: await tempDir(), platform: 'linux' })).toBeNull();
  });

  it('reads the agent config where ngrok keeps it: XDG_CONFIG_HOME, macOS, legacy ~/.ngrok2', async () => {
    const home = await tempDir();
    const xdg = join(home, 'xdg');
    await mkdir(join(xdg, 'ngrok'), { recursive: true });
    await writeFile(join(xdg, 'ngrok', 'ngrok.yml'), 'version: 3\nagent:\n  authtoken: xdg-token\n');
    expect((await findAuthtoken({ env: { XDG_CONFIG_HOME: xdg }, home, platform: 'linux' }))?.token).toBe('xdg-token');

    const mac = join(home, 'Library', 'Application Support', 'ngrok');
    await mkdir(mac, { recursive: true });
    await writeFile(join(mac, 'ngrok.yml'), 'authtoken: "mac-token"\n');
    expect((await findAuthtoken({ env: {}, home, platform: 'darwin' }))?.token).toBe('mac-token');

    const legacyHome = await tempDir();
    await mkdir(join(legacyHome, '.ngrok2'));
    await writeFile(join(legacyHome, '.ngrok2', 'ngrok.yml'), "authtoken: 'legacy-token'\n");
    expect(await findAuthtoken({ env: {}, home: legacyHome, platform: 'linux' })).toEqual({
      token: 'legacy-token',
      source: join(legacyHome, '.ngrok2', 'ngrok.yml'),
    });
  });

  it('finds the token in each ngrok.yml shape, and nothing in a config without one', () => {
    expect(tokenInConfig('authtoken: abc\n')).toBe('abc');
    expect(tokenInConfig('version: "3"\nagent:\n    authtoken: v3token # mine\n    region: eu\ntunnels: {}\n')).toBe('v3token');
    expect(tokenInConfig('version: "3"\nauthtoken: hybrid\nagent:\n  log: stdout\n')).toBe('hybrid');
    expect(tokenInConfig('version: "2"\nregion: us\ntunnels:\n  web:\n    authtoken: not-this\n')).toBeNull();
    expect(tokenInConfig('authtoken:\n')).toBeNull();
  });
});

describe('public URL', () => {
  it('opens a tunnel to the receiver only and shows its URL everywhere', async () => {
    const fake = fakeTunnel();
    const hc = await startHookCatch({ tunnel: true, authtoken: 'tok', openTunnel: fake.open, domain: 'me.ngrok.app', basicAuth: ['u:password1'] });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({ host: '127.0.0.1', port: hc.receiverPort, authtoken: 'tok', domain: 'me.ngrok.app', basicAuth: ['u:password1'] });
    expect(hc.publicUrl).toBe('https://fake-1234.ngrok-free.app');
    expect(hc.publicWebhookUrl).toBe('https://fake-1234.ngrok-free.app/webhook');
    const instance = JSON.parse(await readFile(join(hc.dir, 'instance.json'), 'utf8'));
    expect(instance.publicUrl).toBe(hc.publicUrl);
    const status = json(await send(`${hc.inspectorUrl}/api/status`));
    expect(status).toMatchObject({ publicUrl: hc.publicUrl, tunnel: { via: 'ngrok', status: 'connected', tokenSource: '--authtoken' } });
    await hc.close();
    expect(fake.closed()).toBe(1);
  });

  it('reports reconnects and disconnects as events and in /api/status', async () => {
    const fake = fakeTunnel();
    const hc = await startHookCatch({ tunnel: true, authtoken: 'tok', openTunnel: fake.open });
    const seen: string[] = [];
    hc.events.on('tunnel', (status, url) => seen.push(`${status} ${url}`));
    fake.status('closed');
    expect(json(await send(`${hc.inspectorUrl}/api/status`)).tunnel.status).toBe('closed');
    fake.status('connected');
    expect(seen).toEqual(['closed https://fake-1234.ngrok-free.app', 'connected https://fake-1234.ngrok-free.app']);
    expect(json(await send(`${hc.inspectorUrl}/api/status`)).tunnel.status).toBe('connected');
  });

  it('tells the terminal when the tunnel drops and when it is back, in every output mode', async () => {
    const dropped = 'hook-catch: the ngrok tunnel dropped; ngrok is reconnecting (webhooks to the public URL fail meanwhile).\n';
    const back = 'hook-catch: the ngrok tunnel is back: https://fake-1234.ngrok-free.app\n';
    const expected = {
      pretty: { out: [], err: [dropped, back] },
      quiet: { out: [], err: [dropped, back] },
      json: {
        out: [
          `${JSON.stringify({ type: 'tunnel', status: 'closed', publicUrl: 'https://fake-1234.ngrok-free.app' })}\n`,
          `${JSON.stringify({ type: 'tunnel', status: 'connected', publicUrl: 'https://fake-1234.ngrok-free.app' })}\n`,
        ],
        err: [],
      },
    };
    for (const output of ['pretty', 'quiet', 'json'] as const) {
      const fake = fakeTunnel();
      const out = capture();
      const err = capture();
      await startHookCatch({ tunnel: true, authtoken: 'tok', openTunnel: fake.open, output, stdout: out.stream, stderr: err.stream });
      const [outBefore, errBefore] = [out.lines.length, err.lines.length];
      fake.status('closed');
      fake.status('connected');
      expect({ out: out.lines.slice(outBefore), err: err.lines.slice(errBefore) }, output).toEqual(expected[output]);
    }
  });

  it('uses a public URL the user brings, without ngrok', async () => {
    const fake = fakeTunnel();
    const hc = await startHookCatch({ tunnel: true, publicUrl: 'https://hooks.example.com/', openTunnel: fake.open });
    expect(fake.calls).toHaveLength(0);
    expect(hc.publicWebhookUrl).toBe('https://hooks.example.com/webhook');
    expect(hc.tunnel).toMatchObject({ via: 'public-url', status: 'off' });
  });

  it('the library opens no tunnel without a token: local-only, and the ngrok SDK is never even loaded', async () => {
    // In its own process, with an empty HOME, no NGROK_AUTHTOKEN and start()'s default tunnel option.
    // The SDK's native module is what would dial out: the shared objects loaded into the process say
    // whether it was there at all.
    const script = (dir: string, options: string) => `
      import { start } from 'hook-catch';
      const hc = await start({ port: 0, inspectorPort: 0, dir: ${JSON.stringify(dir)}${options} });
      const ngrok = process.report.getReport().sharedObjects.filter((path) => /ngrok/i.test(path));
      console.log(JSON.stringify({ tunnel: hc.tunnel, publicUrl: hc.publicUrl, publicWebhookUrl: hc.publicWebhookUrl, ngrok }));
      await hc.close();`;
    const none = JSON.parse(await runLibrary(script(await tempDir(), '')));
    expect(none).toEqual({
      tunnel: { url: null, via: null, tokenSource: null, status: 'off', error: null },
      publicUrl: null,
      publicWebhookUrl: null,
      ngrok: [],
    });
    // The same look does see the SDK once a token is found (pointed at a closed local port: it dials nowhere).
    const port = await closedPort();
    const withToken = JSON.parse(await runLibrary(script(await tempDir(), `, ngrokServerAddr: '127.0.0.1:${port}'`), { env: { NGROK_AUTHTOKEN: 'bogus' } }));
    expect(withToken.tunnel).toMatchObject({ status: 'failed', tokenSource: 'NGROK_AUTHTOKEN' });
    expect(withToken.ngrok).not.toEqual([]);
  });

  it('the real SDK against a closed local port: one plain line, and the receiver keeps working', async () => {
    const port = await closedPort();
    const lines: string[] = [];
    const stderr = { write: (text: string) => lines.push(text) } as unknown as NodeJS.WritableStream;
    const hc = await startHookCatch({ tunnel: true, authtoken: 'bogus', ngrokServerAddr: `127.0.0.1:${port}`, output: 'quiet', stderr });
    expect(hc.publicUrl).toBeNull();
    expect(hc.tunnel).toMatchObject({ status: 'failed', error: expect.stringMatching(/could not reach the ngrok service/) });
    expect(lines.join('')).toMatch(/^hook-catch: warning: Tunnel failed: could not reach the ngrok service .* Going on local-only\.\n$/);
    expect((await send(hc.webhookUrl, { method: 'POST', body: 'still here' })).status).toBe(200);
  });

  it('--require-tunnel turns a tunnel failure into an error', async () => {
    const port = await closedPort();
    const error = await startHookCatch({ tunnel: true, authtoken: 'bogus', ngrokServerAddr: `127.0.0.1:${port}`, requireTunnel: true }).catch((e) => e);
    expect(error).toBeInstanceOf(HookCatchError);
    expect(error.message).toMatch(/Tunnel failed: .*--require-tunnel/);
  });

  it('turns ngrok error codes into plain words', async () => {
    const { tunnelFailure } = await import('../src/tunnel/ngrok.js');
    const err = (m: string) => tunnelFailure(new Error(m), { timeoutMs: 20000, domain: 'x.ngrok.app' });
    expect(err('failed to connect session: The authtoken you specified is invalid. error_code: ERR_NGROK_107')).toMatch(
      /refused the authtoken .* \(ERR_NGROK_107\)\.$/,
    );
    expect(err('failed to connect session: Usage of ngrok requires a verified account.\nSign up error_code: ERR_NGROK_4018')).toMatch(
      /needs an account and its authtoken.*\(ERR_NGROK_4018\)/,
    );
    expect(err('failed to connect session: limit error_code: ERR_NGROK_108')).toMatch(/simultaneous agent sessions/);
    expect(err('failed to start listener: domain error_code: ERR_NGROK_319')).toMatch(/domain x\.ngrok\.app \(--domain\)/);
    expect(err('failed to connect session: something new\nmore')).toBe('Tunnel failed: something new.');
  });
});

describe('public URL from the command line', () => {
  const start = (dir: string, extra: string[]) => spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, ...extra]);

  it('without a token: local-only, one line that says how to get a public URL; --no-tunnel hides it', async () => {
    const dir = await tempDir();
    const cli = start(dir, ['--json']);
    await cli.jsonLine((v) => v.type === 'ready');
    expect(cli.stderr()).toBe(`hook-catch: ${NO_TOKEN_NOTICE}\n`);
    const url = await runCli(['url', '--dir', dir]);
    expect(url.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook\n$/);
    expect(url.stderr).toMatch(/no public URL/);
    cli.child.kill('SIGTERM');
    await cli.exited;

    const quiet = start(await tempDir(), ['--json', '--no-tunnel']);
    await quiet.jsonLine((v) => v.type === 'ready');
    expect(quiet.stderr()).toBe('');
  });

  it('a token from the agent config in HOME is used and named, never printed', async () => {
    const dir = await tempDir();
    const home = await tempDir();
    await mkdir(join(home, '.config', 'ngrok'), { recursive: true });
    await writeFile(join(home, '.config', 'ngrok', 'ngrok.yml'), 'version: "3"\nagent:\n  authtoken: s3cret-token\n');
    const port = await closedPort();
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--ngrok-server-addr', `127.0.0.1:${port}`], {
      env: { HOME: home },
    });
    await cli.printed(/Waiting for webhooks/);
    expect(cli.stderr()).toContain(`authtoken from ${join(home, '.config', 'ngrok', 'ngrok.yml')}`);
    expect(cli.stderr()).toMatch(/warning: Tunnel failed: could not reach the ngrok service/);
    expect(cli.stdout() + cli.stderr()).not.toContain('s3cret-token');
  });

  it('a dead network does not hang start-up: --tunnel-timeout, then local-only, and a clean exit', async () => {
    const dir = await tempDir();
    const port = await silentPort();
    const cli = start(dir, ['--json', '--authtoken', 'bogus', '--ngrok-server-addr', `127.0.0.1:${port}`, '--tunnel-timeout', '0.5']);
    const ready = await cli.jsonLine((v) => v.type === 'ready');
    expect(ready.tunnel).toMatchObject({ status: 'failed', error: expect.stringMatching(/did not answer within 0.5 s/) });
    expect(cli.stderr()).toMatch(/did not answer within 0\.5 s \(--tunnel-timeout\).*Going on local-only/);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir, 'instance.json'))).toBe(false);
  });

  it('--public-url is shown first and printed by `hook-catch url`; --require-tunnel without a token exits 1', async () => {
    const dir = await tempDir();
    const cli = start(dir, ['--public-url', 'https://hooks.example.com']);
    await cli.printed(/Waiting for webhooks/);
    expect(cli.stdout()).toMatch(/Public\s+https:\/\/hooks\.example\.com\/webhook/);
    expect(cli.stdout().indexOf('Public')).toBeLessThan(cli.stdout().indexOf('Local'));
    expect((await runCli(['url', '--dir', dir])).stdout).toBe('https://hooks.example.com/webhook\n');
    expect((await runCli(['url', '--dir', dir, '--local'])).stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook\n$/);
    const asJson = JSON.parse((await runCli(['url', '--dir', dir, '--json'])).stdout);
    expect(asJson).toMatchObject({ webhookUrl: 'https://hooks.example.com/webhook', publicUrl: 'https://hooks.example.com' });

    const required = await runCli(['start', '--port', '0', '--inspector-port', '0', '--dir', await tempDir(), '--require-tunnel']);
    expect(required.code).toBe(1);
    expect(required.stderr).toMatch(/^hook-catch: --require-tunnel: No ngrok authtoken found/);
    const none = await runCli(['url', '--dir', await tempDir()]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No hook-catch is running on .*hook-catch start/);
  });

  it('rejects tunnel flags that cannot work, before starting', async () => {
    for (const [args, message] of [
      [['--basic-auth', 'nopassword'], /--basic-auth takes user:password/],
      [['--verify-webhook', 'github'], /--verify-webhook-secret/],
      [['--public-url', 'hooks.example.com'], /--public-url must be a full URL/],
      [['--tunnel-timeout', 'soon'], /give a duration such as 30s/],
    ] as const) {
      const result = await runCli(['start', '--port', '0', '--inspector-port', '0', '--dir', await tempDir(), ...args]);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(message);
    }
  });
});
