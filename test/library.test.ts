import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFixture, replayFixture, start } from '../src/index.js';
import { later, runLibrary, send, startHookCatch, tempDir } from './helpers/index.js';
import { recordingApp } from './helpers/recording-app.js';

const post = (url: string, body: string) => send(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

describe('the library, for test suites', () => {
  it('without dir, start() keeps its store in a temporary folder that close() removes', async () => {
    const hc = await start({ port: 0, inspectorPort: 0, tunnel: false });
    later(() => hc.close());
    expect(existsSync(hc.dir)).toBe(true);
    await post(hc.webhookUrl, '{}');
    await hc.close();
    expect(existsSync(hc.dir)).toBe(false);
  });

  it('nextRequest: the next match, one already stored since an id, and a timeout that says so', async () => {
    const hc = await startHookCatch();
    const first = await post(hc.webhookUrl, '{"n":1}');
    const firstId = String(first.headers['x-hook-catch-id']);
    await post(`${hc.webhookUrl}/b`, '{"n":2}');
    const waiting = hc.nextRequest((r) => r.path === '/webhook/c');
    await post(`${hc.webhookUrl}/c`, '{"n":3}');
    expect((await waiting).body.toString()).toBe('{"n":3}');
    const already = await hc.nextRequest((r) => r.path === '/webhook/b', { since: firstId, timeoutMs: 5000 });
    expect(already.body.toString()).toBe('{"n":2}');
    await expect(hc.nextRequest((r) => r.path === '/never', { timeoutMs: 50 })).rejects.toThrow('No matching request came within 50 ms.');
    const all = await hc.requests({ path: '/webhook/' });
    expect(all.map((r) => r.body.toString())).toEqual(['{"n":3}', '{"n":2}']);
  });

  it('replay, export, loadFixture and replayFixture: the same bytes all the way', async () => {
    const hc = await startHookCatch();
    const app = await recordingApp();
    const body = '{"jobId":"lib-1","status":"done","é":"✓"}';
    const id = String((await post(`${hc.webhookUrl}/lib-1`, body)).headers['x-hook-catch-id']);
    const record = await hc.replay(id, app.url);
    expect(record.result).toMatchObject({ ok: true, status: 200 });
    expect((await app.got(1)).body.toString()).toBe(body);
    const [file] = await hc.export([id], await tempDir(), { redact: ['Content-Type'] });
    const fixture = await loadFixture(file!);
    expect(fixture.body.toString()).toBe(body);
    expect(fixture.job).toMatchObject({ id: 'lib-1' });
    expect(fixture.redacted).toEqual(['Content-Type']);
    const sent = await replayFixture(file!, app.url);
    expect(sent.result).toMatchObject({ ok: true, status: 200 });
    const got = await app.got(2);
    expect([got.url, got.body.toString()]).toEqual(['/webhook/lib-1', body]);
    await expect(hc.replay(id, hc.receiverUrl)).rejects.toThrow(/would loop/);
    await expect(loadFixture(`${hc.dir}/nothing.json`)).rejects.toThrow(/Cannot read the fixture/);
  });

  it("is what `import … from 'hook-catch'` gives, typed", async () => {
    const out = await runLibrary(`
      import { start, loadFixture, replayFixture, FIXTURE_FORMAT } from 'hook-catch';
      const hc = await start({ port: 0, inspectorPort: 0, tunnel: false });
      const next = hc.nextRequest();
      await fetch(hc.webhookUrl, { method: 'POST', body: 'x' });
      const request = await next;
      console.log(JSON.stringify([typeof loadFixture, typeof replayFixture, FIXTURE_FORMAT, request.body.toString()]));
      await hc.close();`);
    expect(JSON.parse(out)).toEqual(['function', 'function', 'hook-catch/fixture@1', 'x']);
  });

  it('start() without dir that refuses an option leaves no temporary folder behind', async () => {
    const tmp = await tempDir();
    const out = await runLibrary(
      `
      import { readdirSync } from 'node:fs';
      import { start } from 'hook-catch';
      const error = await start({ port: 0, inspectorPort: 0, tunnel: false, maxBody: -1 }).catch((e) => e.message);
      const verify = await start({ port: 0, inspectorPort: 0, tunnel: false, verify: [{ scheme: 'svix', secret: 'not base64!' }] }).catch((e) => e.message);
      console.log(JSON.stringify([error, verify, readdirSync(process.env.TMPDIR)]));`,
      { env: { TMPDIR: tmp } },
    );
    const [error, verify, left] = JSON.parse(out);
    expect(error).toMatch(/^maxBody /);
    expect(verify).toBe("--verify svix: a Svix secret is whsec_ followed by base64, as the provider's dashboard shows it.");
    expect(left).toEqual([]);
  });
});
