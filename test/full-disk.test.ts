import { describe, expect, it } from 'vitest';
import { spawnOnSmallDisk } from './helpers.js';

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
    expect(lines[0]).toMatch(/^hook-catch: Cannot start on .*store: the disk holding .*store is full \(ENOSPC\): free some space, or choose another folder with --dir\.$/);
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
    const lines = run.stderr().trim().split('\n').filter((l) => !/SIGTERM, stopping/.test(l) && l.trim());
    expect(lines).toEqual([
      expect.stringMatching(/^hook-catch: the store cannot write: the disk holding .* is full \(ENOSPC\).*answered 503 so that their senders retry/),
      'hook-catch: the store writes again; 21 requests were answered 503 meanwhile (their senders retry them).',
    ]);
  });
});
