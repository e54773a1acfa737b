import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, runCli, send, spawnOnSmallDisk, tempDir, type Reply } from './helpers/index.js';
import { recordingApp } from './helpers/recording-app.js';

// A real full disk: a small tmpfs in a mount namespace of the test's own (see spawnOnSmallDisk).

describe('a full disk', () => {
  it('at start-up: one plain line, exit 1, and nothing left behind (no empty instance.json, no temp file)', async () => {
    const run = spawnOnSmallDisk(
      '256k',
      `mkdir -m 700 "$DISK/store"
dd if=/dev/zero of="$DISK/fill" bs=4096 2>/dev/null
"$NODE" "$BIN" start --port 0 --inspector-port 0 --dir "$DISK/store" --no-tunnel
echo "exit=$?"
echo "left:$(ls -A "$DISK/store" | tr '\\n' ' ')"`,
    );
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toContain('exit=1\n');
    expect(run.stdout()).toContain('left:\n');
    const lines = run.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^hook-catch: Cannot start on .*store: the disk holding .*store is full \(ENOSPC\): free some space, or choose another folder with --dir\.$/,
    );
  });

  it('while running: 503s, one line when writing starts to fail, one when it recovers with the count, nothing lost that was acknowledged', async () => {
    const run = spawnOnSmallDisk('1m', `exec "$NODE" "$BIN" start --port 0 --inspector-port 0 --dir "$DISK/store" --no-tunnel --max-body 2mb`);
    const [, webhookUrl] = await run.printed(/Webhook\s+(http:\/\/\S+)/);
    const [, inspectorUrl] = await run.printed(/Inspector\s+(http:\/\/\S+)/);
    const big = Buffer.alloc(300_000, 'x');
    const statuses: number[] = [];
    const acknowledged: string[] = [];
    while (!statuses.includes(503)) {
      expect(statuses.length, 'a 1 MB disk should fill within 10 bodies of 300 kB').toBeLessThan(10);
      const reply = await fetch(webhookUrl!, { method: 'POST', body: big });
      statuses.push(reply.status);
      if (reply.status === 200) acknowledged.push(((await reply.json()) as { id: string }).id);
      else expect(((await reply.json()) as { error: string }).error).toMatch(/could not store this request.*disk holding .* is full \(ENOSPC\)/);
    }
    for (let i = 0; i < 20; i++) statuses.push((await fetch(webhookUrl!, { method: 'POST', body: big })).status);
    const refused = statuses.filter((s) => s === 503).length;
    expect(refused).toBe(21);
    for (const id of acknowledged) expect((await fetch(`${inspectorUrl}/api/requests/${id}/body`)).status).toBe(200);
    // Room again (the user clears the store), and the next webhook is kept.
    expect((await fetch(`${inspectorUrl}/api/requests`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(webhookUrl!, { method: 'POST', body: 'after' })).status).toBe(200);
    await run.printed(/the store writes again/, { stream: 'stderr' });
    run.child.kill('SIGTERM');
    await run.exited;
    const lines = run
      .stderr()
      .trim()
      .split('\n')
      .filter((l) => !/SIGTERM, stopping/.test(l) && l.trim());
    expect(lines).toEqual([
      expect.stringMatching(/^hook-catch: the store cannot write: the disk holding .* is full \(ENOSPC\).*answered 503 so that their senders retry/),
      'hook-catch: the store writes again; 21 requests were answered 503 meanwhile (their senders retry them).',
    ]);
  });

  it('while running, every change through the API and the CLI is refused 503 with one plain reason; a replay is told as sent, with what the app answered, and as not recorded', async () => {
    // The app answers 3 kB: a replay's record holds it, too long for what is left of the log's last page.
    const app = await recordingApp(() => ({ status: 200, body: 'a'.repeat(3000) }));
    const fill = join(await tempDir(), 'fill');
    expect(spawnSync('mkfifo', [fill]).status).toBe(0);
    // The disk fills when the test says so (a line into the fifo), while hook-catch runs on it.
    const run = spawnOnSmallDisk(
      '1m',
      `( timeout 120 sh -c 'read _ < "${fill}"' && dd if=/dev/zero of="$DISK/fill" bs=4096 2>/dev/null; echo "disk full" ) &
exec "$NODE" "$BIN" start --port 0 --inspector-port 0 --dir "$DISK/store" --no-tunnel --json`,
    );
    const ready = await run.jsonLine<{ webhookUrl: string; inspectorUrl: string }>((v) => v.type === 'ready');
    // The CLI finds the instance through a copy of its instance.json (the store is in the disk's own mount namespace).
    const dir = await tempDir();
    await writeFile(join(dir, 'instance.json'), JSON.stringify(ready));
    const api = (method: string, path: string, body?: unknown) =>
      send(`${ready.inspectorUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const post = (body: string | Buffer) => send(ready.webhookUrl, { method: 'POST', body });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(json(await post(`small ${i}`)).id);
    const big = json(await post(Buffer.alloc(3000, 'b'))).id;
    const fixture = json(await api('GET', `/api/requests/${big}/fixture`));
    expect((await api('POST', '/api/rules', { path: '/ruled', status: 202 })).status).toBe(201);

    await writeFile(fill, 'now\n');
    await run.printed(/disk full/);
    // What is left is the room at the end of the log's last page: small webhooks take it up.
    let tiny = 0;
    while ((await post('x')).status === 200) expect(++tiny, 'a page holds a few small webhooks').toBeLessThan(100);

    const full = String.raw`it could not be saved, the disk holding \S+store is full \(ENOSPC\): free some space, or choose another folder with --dir\.$`;
    const refused = (reply: Reply, what: string) => {
      expect(reply.status).toBe(503);
      expect(json(reply).error).toMatch(new RegExp(`^${what}: ${full}`));
    };
    refused(await api('POST', '/api/rules', { status: 500 }), 'The rule was not added');
    refused(await api('DELETE', '/api/rules/r1'), 'Rule r1 was not removed');
    refused(await api('DELETE', '/api/rules'), 'The rules were not removed');
    expect(json(await api('GET', '/api/rules')).items.map((r: { id: string }) => r.id)).toEqual(['r1']);
    refused(await api('POST', '/api/jobs', { id: 'j-full' }), 'Job j-full was not registered');
    expect((await api('GET', '/api/jobs/j-full')).status).toBe(404);
    refused(await api('POST', '/api/requests/import', { fixtures: [fixture] }), 'The fixtures were not imported');
    // A deletion is a short line: deleted while it fits, refused once it does not, and the request stays.
    let deleted = 0;
    let reply: Reply;
    while ((reply = await api('DELETE', `/api/requests/${ids[deleted]}`)).status === 200)
      expect(++deleted, 'a page holds a few deletions').toBeLessThan(ids.length);
    refused(reply, `Request ${ids[deleted]} was not deleted`);
    expect((await api('GET', `/api/requests/${ids[deleted]}`)).status).toBe(200);

    // A replay goes out and the app answers: that is what it says, with why it is not recorded.
    const notRecorded = String.raw`\. Not recorded: the disk holding \S+store is full \(ENOSPC\): free some space, or choose another folder with --dir\.$`;
    const replayed = await api('POST', `/api/requests/${big}/replay`, { to: app.url });
    expect(replayed.status).toBe(200);
    expect(json(replayed)).toMatchObject({
      kept: false,
      replay: { of: big, result: { ok: true, status: 200 }, notKept: expect.stringMatching(/disk holding .* is full/) },
    });
    expect(json(replayed).warning).toMatch(new RegExp(`^Sent to ${app.url}/webhook; your app answered 200 OK${notRecorded}`));
    expect(app.received).toHaveLength(1);
    expect(json(await api('GET', `/api/requests/${big}/replays`)).items).toEqual([]);
    const cli = await runCli(['replay', big, '--to', app.url, '--dir', dir]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/← 200 OK/);
    expect(cli.stderr).toMatch(new RegExp(`^hook-catch: Sent to ${app.url}/webhook; your app answered 200 OK${notRecorded.replace('$', '\\n$')}`));
    expect(app.received).toHaveLength(2);

    const add = await runCli(['rules', 'add', '--respond', '500', '--dir', dir]);
    expect([add.code, add.stderr]).toEqual([1, expect.stringMatching(new RegExp(`^hook-catch: The rule was not added: ${full.replace('$', '\\n$')}`))]);
    const expectCli = await runCli(['expect', 'j-cli', '--dir', dir]);
    expect([expectCli.code, expectCli.stderr]).toEqual([
      1,
      expect.stringMatching(new RegExp(`^hook-catch: Job j-cli was not registered: ${full.replace('$', '\\n$')}`)),
    ]);
    expect(run.stderr()).not.toMatch(/Inspector error|stack| {4}at /);
  }, 90_000);

  it('an import the disk takes only part of: those stored are listed, and the answer says how many were not', async () => {
    const run = spawnOnSmallDisk('6m', `exec "$NODE" "$BIN" start --port 0 --inspector-port 0 --dir "$DISK/store" --no-tunnel --json`);
    const ready = await run.jsonLine<{ inspectorUrl: string }>((v) => v.type === 'ready');
    // Ten fixtures of 1 MB: the store writes them a few MB at a time, and the disk holds some of those writes.
    const fixture = (i: number) => ({
      format: 'hook-catch/fixture@1',
      method: 'POST',
      url: `/import/${i}`,
      headers: [],
      body: String(i).repeat(1_000_000),
      bodyEncoding: 'utf8',
    });
    const reply = await send(`${ready.inspectorUrl}/api/requests/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fixtures: Array.from({ length: 10 }, (_, i) => fixture(i)) }),
    });
    expect(reply.status).toBe(503);
    const notImported = Number(
      /^(\d+) of 10 fixtures were not imported: it could not be saved, the disk holding \S+ is full \(ENOSPC\)/.exec(json(reply).error)?.[1],
    );
    const listed = json(await send(`${ready.inspectorUrl}/api/requests`)).items;
    expect(notImported).toBeGreaterThan(0);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length + notImported).toBe(10);
    // Those stored were announced like any import (the terminal's --json lines show them).
    for (const { id } of listed) await run.jsonLine((v) => v.type === 'request' && v.id === id);
  }, 90_000);

  it('with no hook-catch running, rules add / remove, replay and import say in one line what was not done and why; nothing is sent', async () => {
    const app = await recordingApp();
    const fixture = join(await tempDir(), 'fixture.json');
    await writeFile(
      fixture,
      JSON.stringify({
        format: 'hook-catch/fixture@1',
        method: 'POST',
        url: '/webhook',
        headers: [['Content-Type', 'text/plain']],
        body: 'hello',
        bodyEncoding: 'utf8',
      }),
    );
    const cli = `"$NODE" "$BIN"`;
    const run = spawnOnSmallDisk(
      '1m',
      `mkdir -m 700 "$DISK/store" "$DISK/store/requests"
${cli} import "${fixture}" --dir "$DISK/store" >/dev/null 2>&1 && ${cli} rules add --respond 202 --dir "$DISK/store" >/dev/null || exit 98
dd if=/dev/zero of="$DISK/fill" bs=4096 2>/dev/null
${cli} rules add --respond 500 --dir "$DISK/store"; echo "exit=$?"
${cli} rules remove r1 --dir "$DISK/store"; echo "exit=$?"
${cli} replay last --to ${app.url} --dir "$DISK/store"; echo "exit=$?"
${cli} import "${fixture}" --dir "$DISK/store"; echo "exit=$?"
${cli} rules --dir "$DISK/store"`,
    );
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toMatch(/^exit=1\nexit=1\nexit=1\nexit=1\nr1 {2}every path {2}202 Accepted\n$/);
    const full = String.raw`the disk holding \S+store is full \(ENOSPC\): free some space, or choose another folder with --dir\.`;
    expect(run.stderr().trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^hook-catch: The rule was not added: it could not be saved, ${full}$`)),
      expect.stringMatching(new RegExp(`^hook-catch: Rule r1 was not removed: it could not be saved, ${full}$`)),
      expect.stringMatching(new RegExp(`^hook-catch: Nothing was sent: ${full}$`)),
      expect.stringMatching(new RegExp(`^hook-catch: The fixtures were not imported: ${full}$`)),
    ]);
    expect(app.received).toEqual([]);
  }, 90_000);
});
