import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { HookCatch } from '../src/start.js';
import { json, rawRequest, runCli, send, startHookCatch, tempDir } from './helpers/index.js';
import { recordingApp } from './helpers/recording-app.js';
import { SCHEMES } from './helpers/signatures.js';

const NO_STACK = /\n\s+at |Error:/;

/** Delivers a webhook to the receiver and returns the id hook-catch gave it. */
async function deliver(hc: HookCatch, path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<string> {
  const reply = await send(`${hc.receiverUrl}${path}`, { method: 'POST', headers, body });
  return String(reply.headers['x-hook-catch-id']);
}

/** `POST /api/requests/:id/replay` as the inspector's own page or a local tool sends it. */
async function replayApi(hc: HookCatch, id: string, payload: object, headers: Record<string, string> = {}) {
  return send(`${hc.inspectorUrl}/api/requests/${id}/replay`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(payload),
  });
}

describe('replay sends a capture again, byte-exact', () => {
  it('the same method, headers in order (duplicates and case kept, less Host and hop-by-hop), path and query below the target, exact bytes', async () => {
    const hc = await startHookCatch();
    const app = await recordingApp(() => ({ status: 202, headers: { 'Content-Type': 'application/json' }, body: '{"seen":true}' }));
    const body = Buffer.from([0x00, 0xff, 0x1f, 0x8b, 0x80, 0x0a, 0x0d, 0x7f, 0xc3]);
    const head = [
      'PUT /hooks/a-1?x=1&y=%20two HTTP/1.1',
      `Host: 127.0.0.1:${hc.receiverPort}`,
      'X-Trace: one',
      'x-trace: two',
      'Connection: keep-alive, X-Hop',
      'X-Hop: drop me',
      'Content-Type: application/octet-stream',
      `Content-Length: ${body.length}`,
    ];
    await rawRequest(hc.receiverPort, Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n'), body]));
    const id = hc.store.lastId!;
    const reply = await replayApi(hc, id, { to: `${app.url}/base/` });
    expect(reply.status).toBe(200);
    const got = await app.got();
    expect(got.method).toBe('PUT');
    expect(got.url).toBe('/base/hooks/a-1?x=1&y=%20two');
    expect(got.body.equals(body)).toBe(true);
    const sent = got.headers.filter(([n]) => n.toLowerCase() !== 'connection');
    expect(sent).toEqual([
      ['Host', `127.0.0.1:${app.port}`],
      ['X-Trace', 'one'],
      ['x-trace', 'two'],
      ['Content-Type', 'application/octet-stream'],
      ['Content-Length', String(body.length)],
    ]);
    const { replay } = json(reply);
    expect(replay).toMatchObject({ of: id, edited: false, to: `${app.url}/base/hooks/a-1?x=1&y=%20two` });
    expect(replay.result).toMatchObject({ ok: true, status: 202, body: '{"seen":true}', bodyEncoding: 'utf8' });
    // The capture is unchanged and lists its replay.
    const record = json(await send(`${hc.inspectorUrl}/api/requests/${id}`));
    expect(Buffer.from(record.body, record.bodyEncoding).equals(body)).toBe(true);
    expect(record.replays.map((r: { id: string }) => r.id)).toEqual([replay.id]);
  });

  it('a gzip body goes as the compressed bytes, with its Content-Encoding', async () => {
    const hc = await startHookCatch();
    const app = await recordingApp();
    const gz = gzipSync(Buffer.from(JSON.stringify({ jobId: 'gz-1', status: 'completed', text: 'x'.repeat(500) })));
    const id = await deliver(hc, '/webhook', gz, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect((await replayApi(hc, id, { to: app.url })).status).toBe(200);
    const got = await app.got();
    expect(got.body.equals(gz)).toBe(true);
    expect(got.headers).toContainEqual(['Content-Encoding', 'gzip']);
  });

  it.each(SCHEMES.map((scheme) => [scheme.name, scheme] as const))(
    "%s: the provider's signature verifies at the target after replay",
    async (_name, scheme) => {
      const hc = await startHookCatch();
      const app = await recordingApp();
      const secret =
        scheme.name.includes('webhook') || scheme.name === 'svix' ? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' : 'sk_test_secret_4eC39HqLyjWDarjtT1zdp7dc';
      // Unicode and spacing a re-serializing tool would change: only the exact bytes verify.
      const body = Buffer.from('{\n  "id": "evt_1",  "type": "job.completed",\n  "data": {"jobId": "sig-1", "note": "café ✓ \\u00e9"}\n}\n');
      const id = await deliver(hc, '/webhook', body, { 'Content-Type': 'application/json', ...scheme.sign(body, secret) });
      expect((await replayApi(hc, id, { to: app.url })).status).toBe(200);
      const got = await app.got();
      expect(scheme.verify(got.body, got.headers, secret)).toBe(true);
      // The check can fail: one byte changed, or another secret, does not verify.
      const changed = Buffer.from(got.body);
      changed[changed.length - 2] = 0x20;
      expect(scheme.verify(changed, got.headers, secret)).toBe(false);
      expect(scheme.verify(got.body, got.headers, secret.replace(/.$/, 'A'))).toBe(false);
    },
  );
});

describe('hook-catch replay (CLI)', () => {
  it('prints the status, time and body; exits 0 on 2xx, 2 on another status, 1 when the target cannot be reached', async () => {
    const hc = await startHookCatch();
    const app = await recordingApp((r) => (r.url.includes('fail') ? { status: 500, body: 'boom' } : { status: 200, body: '{"ok":1}' }));
    await deliver(hc, '/fail', 'a');
    const ok = await deliver(hc, '/webhook', 'b');
    const good = await runCli(['replay', ok.slice(-6), '--to', app.url, '--dir', hc.dir]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/webhook/);
    expect(good.stdout).toMatch(/200 OK\s+in \d+ ms/);
    expect(good.stdout).toContain('{"ok":1}');
    const asJson = await runCli(['replay', ok, '--to', app.url, '--dir', hc.dir, '--json']);
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ of: ok, result: { ok: true, status: 200, body: '{"ok":1}' } });
    const bad = await runCli(['replay', (await hc.store.list()).items.find((s) => s.path === '/fail')!.id, '--to', app.url, '--dir', hc.dir]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('500');
    expect(bad.stdout).toContain('boom');
    const refused = await runCli(['replay', 'last', '--to', 'http://127.0.0.1:1', '--dir', hc.dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('hook-catch: http://127.0.0.1:1 refused the connection: is your app listening on port 1?');
  });

  it('a timeout, a TLS error and a bad URL are each one line in plain words', async () => {
    const hc = await startHookCatch();
    const hanging = await recordingApp(() => 'hang');
    await deliver(hc, '/webhook', 'x');
    const timeout = await runCli(['replay', 'last', '--to', hanging.url, '--timeout', '300ms', '--dir', hc.dir]);
    expect(timeout.code).toBe(1);
    expect(timeout.stderr.trim().split('\n')).toHaveLength(1);
    expect(timeout.stderr).toMatch(/did not answer within 0\.3s \(raise it with --timeout\)/);
    const plain = await recordingApp();
    const tls = await runCli(['replay', 'last', '--to', plain.url.replace('http:', 'https:'), '--dir', hc.dir]);
    expect(tls.code).toBe(1);
    expect(tls.stderr).toMatch(/TLS failed with https:\/\/127\.0\.0\.1:\d+/);
    expect(tls.stderr.trim().split('\n')).toHaveLength(1);
    const badUrl = await runCli(['replay', 'last', '--to', 'ftp://example.test/x', '--dir', hc.dir]);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr.trim()).toBe('hook-catch: --to must be an http:// or https:// URL; got "ftp://example.test/x".');
    for (const run of [timeout, tls, badUrl]) expect(run.stderr).not.toMatch(NO_STACK);
  });

  it('edits: --method, --set-header, --remove-header, --body-file; Content-Length follows the new body; the copy is recorded as edited', async () => {
    const hc = await startHookCatch();
    const app = await recordingApp();
    const id = await deliver(hc, '/webhook', '{"jobId":"e-1"}', { 'Content-Type': 'application/json', 'X-Env': 'prod', 'X-Drop': 'me' });
    const file = join(await tempDir(), 'body.json');
    await writeFile(file, '{"jobId":"e-1","status":"failed","edited":true}');
    const run = await runCli([
      'replay',
      id,
      '--to',
      app.url,
      '--dir',
      hc.dir,
      '-X',
      'patch',
      '--set-header',
      'X-Env: staging',
      '--set-header',
      'X-New:1',
      '--remove-header',
      'x-drop',
      '--body-file',
      file,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('edited');
    const got = await app.got();
    expect(got.method).toBe('PATCH');
    expect(got.body.toString()).toBe('{"jobId":"e-1","status":"failed","edited":true}');
    expect(got.headers).toContainEqual(['X-Env', 'staging']);
    expect(got.headers).toContainEqual(['X-New', '1']);
    expect(got.headers.some(([n]) => n.toLowerCase() === 'x-drop')).toBe(false);
    expect(got.headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1]).toBe(String(got.body.length));
    const record = json(await send(`${hc.inspectorUrl}/api/requests/${id}`));
    expect(record.body).toBe('{"jobId":"e-1"}');
    expect(record.replays).toHaveLength(1);
    expect(record.replays[0]).toMatchObject({ edited: true, sent: { method: 'PATCH', body: '{"jobId":"e-1","status":"failed","edited":true}' } });
    const shown = await runCli(['show', id, '--dir', hc.dir]);
    expect(shown.stdout).toMatch(/Replays \(1\)/);
    expect(shown.stdout).toMatch(/PATCH http:\/\/127\.0\.0\.1:\d+\/webhook \(edited\)\s+→ 200 in \d+ ms/);
  });

  it("--to falls back to the running instance's --forward URL, so `replay last` alone works", async () => {
    const app = await recordingApp();
    const hc = await startHookCatch({ forward: app.url, forwardMode: 'ack' });
    await deliver(hc, '/webhook/fw', 'payload');
    await app.got(1);
    const run = await runCli(['replay', 'last', '--dir', hc.dir]);
    expect(run.code).toBe(0);
    const second = await app.got(2);
    expect(second.url).toBe('/webhook/fw');
    expect(second.body.toString()).toBe('payload');
  });

  it('with no hook-catch running, replays from the store and keeps the record there; without --to it says what to give', async () => {
    const app = await recordingApp();
    const hc = await startHookCatch();
    const id = await deliver(hc, '/webhook', 'offline');
    await hc.close();
    const noTarget = await runCli(['replay', 'last', '--dir', hc.dir]);
    expect(noTarget.code).toBe(1);
    expect(noTarget.stderr).toMatch(/^hook-catch: Where to\? Give --to <url>/);
    const run = await runCli(['replay', 'last', '--to', app.url, '--dir', hc.dir]);
    expect(run.code).toBe(0);
    expect((await app.got()).body.toString()).toBe('offline');
    const shown = await runCli(['show', id, '--dir', hc.dir, '--json']);
    expect(JSON.parse(shown.stdout).replays).toHaveLength(1);
  });
});

describe('what is sent is framed by its own bytes, whatever the stored headers say', () => {
  const BODY = '{"jobId":"cl-1","status":"completed","note":"sixty-one bytes."}';

  /** Two fixtures edited by hand: one whose Content-Length is short of its body, one past it. */
  async function wrongLengths(): Promise<string> {
    const dir = join(await tempDir(), 'fixtures');
    await mkdir(dir);
    for (const [name, length] of [
      ['short', '5'],
      ['long', '900'],
    ]) {
      const headers = [
        ['Host', 'provider.test'],
        ['Content-Type', 'application/json'],
        ['Content-Length', length],
      ];
      const fixture = {
        format: 'hook-catch/fixture@1',
        id: `${name}0000000000000000`,
        method: 'POST',
        url: `/webhook/${name}`,
        headers,
        bodyEncoding: 'utf8',
        body: BODY,
      };
      await writeFile(join(dir, `${name}.json`), JSON.stringify(fixture));
    }
    return dir;
  }

  /** The app got the whole body, with a Content-Length that says so and no other framing. */
  function gotWhole(got: { body: Buffer; headers: [string, string][] }) {
    expect(got.body.toString()).toBe(BODY);
    const framing = got.headers.filter(([n]) => /^(content-length|transfer-encoding)$/i.test(n));
    expect(framing).toEqual([['Content-Length', String(Buffer.byteLength(BODY))]]);
  }

  it('replay --file and deliver --file send the whole body with its true Content-Length', async () => {
    const fixtures = await wrongLengths();
    const dir = await tempDir();
    const app = await recordingApp();
    const replayed = await runCli(['replay', '--file', fixtures, '--to', app.url, '--timeout', '5s', '--dir', dir]);
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(0);
    expect(app.received).toHaveLength(2);
    app.received.forEach(gotWhole);
    const delivered = await runCli(['deliver', '--file', fixtures, '--to', app.url, '--retries', '1', '--timeout', '5s', '--dir', dir]);
    expect(delivered.code).toBe(0);
    expect(app.received).toHaveLength(4);
    app.received.forEach(gotWhole);
  });

  it('a capture imported from such a fixture replays whole (API and CLI); the stored capture keeps its headers', async () => {
    const fixtures = await wrongLengths();
    const hc = await startHookCatch();
    const app = await recordingApp();
    expect((await runCli(['import', join(fixtures, 'short.json'), '--dir', hc.dir])).code).toBe(0);
    const id = hc.store.lastId!;
    const reply = await replayApi(hc, id, { to: app.url, timeoutMs: 5000 });
    expect(json(reply).replay.result).toMatchObject({ ok: true, status: 200 });
    gotWhole(await app.got(1));
    const run = await runCli(['replay', 'last', '--to', app.url, '--timeout', '5s', '--dir', hc.dir]);
    expect(run.code).toBe(0);
    gotWhole(await app.got(2));
    const record = json(await send(`${hc.inspectorUrl}/api/requests/${id}`));
    expect(record.headers).toContainEqual(['Content-Length', '5']);
    expect(record.body).toBe(BODY);
  });

  it('forward: a POST that came with no body and no Content-Length goes on with Content-Length: 0, not chunked', async () => {
    const app = await recordingApp();
    const hc = await startHookCatch({ forward: app.url });
    const answer = await rawRequest(
      hc.receiverPort,
      `POST /webhook/empty HTTP/1.1\r\nHost: 127.0.0.1:${hc.receiverPort}\r\nX-Event: ping\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    const got = await app.got();
    expect(got.headers.filter(([n]) => /^(content-length|transfer-encoding)$/i.test(n))).toEqual([['Content-Length', '0']]);
    expect(got.body.length).toBe(0);
  });
});

describe('replay is safe', () => {
  it("never targets hook-catch's own ports (receiver, inspector), by any loopback name", async () => {
    const hc = await startHookCatch();
    const id = await deliver(hc, '/webhook', 'x');
    for (const to of [hc.receiverUrl, `http://localhost:${hc.inspectorPort}`, `http://[::1]:${hc.receiverPort}/x`]) {
      const reply = await replayApi(hc, id, { to });
      expect(reply.status).toBe(400);
      expect(json(reply).error).toMatch(/is this hook-catch itself .* sending there would loop/);
    }
    expect(hc.store.count).toBe(1);
    const cli = await runCli(['replay', 'last', '--to', hc.webhookUrl, '--dir', hc.dir]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/would loop/);
  });

  it('a page from another origin, a non-loopback Host, or the receiver port cannot trigger a replay', async () => {
    const hc = await startHookCatch();
    const app = await recordingApp();
    const id = await deliver(hc, '/webhook', 'x');
    const foreign = await replayApi(hc, id, { to: app.url }, { Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const crossSite = await replayApi(hc, id, { to: app.url }, { 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const rebound = await replayApi(hc, id, { to: app.url }, { Host: 'attacker.example' });
    expect(rebound.status).toBe(403);
    // Through the receiver (and so the tunnel), the same call is only a captured request.
    const viaReceiver = await send(`${hc.receiverUrl}/api/requests/${id}/replay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ to: app.url }),
    });
    expect(viaReceiver.status).toBe(200);
    expect(json(viaReceiver).id).not.toBe(id);
    // The inspector's own page may.
    const own = await replayApi(hc, id, { to: app.url }, { Origin: hc.inspectorUrl });
    expect(own.status).toBe(200);
    await app.got(1);
    expect(app.received).toHaveLength(1);
  });

  it('bad edits are refused with what to give', async () => {
    const hc = await startHookCatch();
    const app = await recordingApp();
    const id = await deliver(hc, '/webhook', 'x');
    const cases: [object, RegExp][] = [
      [{ to: app.url, method: 'NOT A METHOD' }, /method must be one word/],
      [{ to: app.url, path: 'no-slash' }, /path must start with \//],
      [{ to: app.url, setHeaders: [['Bad Name', 'v']] }, /is not a header name/],
      [{ to: app.url, setHeaders: [['X-A', 'line\nbreak']] }, /must be one line/],
      [{ to: 'mailto:x@y' }, /must be an http:\/\/ or https:\/\/ URL/],
      [{}, /Where to\?/],
    ];
    for (const [payload, message] of cases) {
      const reply = await replayApi(hc, id, payload);
      expect(reply.status).toBe(400);
      expect(json(reply).error).toMatch(message);
    }
    expect((await replayApi(hc, 'nosuchid', { to: app.url })).status).toBe(404);
    expect(app.received).toHaveLength(0);
  });
});
