import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DriftInfo } from '../src/capture/shapes.js';
import type { HookCatch } from '../src/start.js';
import { json, runCli, send, spawnCli, startHookCatch, tempDir } from './helpers/index.js';
import { fixtureOf } from './helpers/import.js';

// Payload drift, end to end: real hook-catch instances on free ports, real HTTP deliveries, the real
// CLI. Drift is told in the background, in arrival order: a test awaits the drift it expects, and
// proves an earlier capture gave none by awaiting a later one's.

const order = (fields: object) => JSON.stringify({ type: 'order.paid', ...fields });

async function deliver(hc: HookCatch, body: string): Promise<string> {
  const reply = await send(hc.webhookUrl, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
  expect(reply.status).toBe(200);
  return json(reply).id;
}

/** Every drift a running hook-catch tells, by capture id, from now on. */
function toldBy(hc: HookCatch) {
  const told = new Map<string, DriftInfo>();
  const waiting = new Map<string, () => void>();
  hc.events.on('analysis', (id, note) => {
    if (!note.drift) return;
    told.set(id, note.drift);
    waiting.get(id)?.();
  });
  return {
    told,
    /** Delivers `body` and awaits its drift (20 s at most). */
    async driftOf(body: string): Promise<DriftInfo> {
      const id = await deliver(hc, body);
      if (!told.has(id))
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no drift told for ${id} within 20 s; told: ${JSON.stringify([...told])}`)), 20_000);
          waiting.set(id, () => {
            clearTimeout(timer);
            resolve();
          });
        });
      return told.get(id)!;
    },
  };
}

/** Three orders that agree: the model then expects id, total and items[].sku. */
async function threeOrders(hc: HookCatch) {
  for (let i = 1; i <= 3; i++) await deliver(hc, order({ order: { id: i, total: 12, items: [{ sku: `s${i}` }] } }));
}

describe('payload drift', () => {
  it('names a new field, a missing one and a changed type by their paths, kept beside the capture', async () => {
    const hc = await startHookCatch();
    const drifts = toldBy(hc);
    await threeOrders(hc);
    const drift = await drifts.driftOf(order({ order: { id: '4', items: [{ sku: 's4', qty: 2 }] } }));
    expect(drift.event).toBe('order.paid');
    expect(drift.changes).toEqual(
      expect.arrayContaining([
        { path: 'order.id', change: 'type', was: 'integer', now: 'string' },
        { path: 'order.items[].qty', change: 'new' },
        { path: 'order.total', change: 'missing' },
      ]),
    );
    expect(drift.changes).toHaveLength(3);
    expect(drifts.told.size).toBe(1);
    expect((await hc.store.get('last'))?.drift).toEqual(drift);
  });

  it('tells each field once: a second capture with the same new field is not drift again, nor after a restart', async () => {
    const dir = await tempDir();
    const withCoupon = (id: number, extra: object = {}) => order({ order: { id, total: 12, items: [{ sku: `s${id}` }] }, coupon: `C${id}`, ...extra });
    let hc = await startHookCatch({ dir });
    let drifts = toldBy(hc);
    await threeOrders(hc);
    expect((await drifts.driftOf(withCoupon(4))).changes).toEqual([{ path: 'coupon', change: 'new' }]);
    // The same new field again: nothing. Drift is told in arrival order, so once the next capture's is told, this one had none.
    const again = await deliver(hc, withCoupon(5));
    expect((await drifts.driftOf(withCoupon(6, { gift: true }))).changes).toEqual([{ path: 'gift', change: 'new' }]);
    expect(drifts.told.has(again)).toBe(false);
    await hc.close();
    expect(existsSync(join(dir, 'drift.json'))).toBe(true);

    // Restarted, the model read from drift.json: the first capture is compared with what came before, and neither field is new again.
    hc = await startHookCatch({ dir });
    drifts = toldBy(hc);
    expect((await drifts.driftOf(withCoupon(7, { gift: false, note: 'n' }))).changes).toEqual([{ path: 'note', change: 'new' }]);
    await hc.close();

    // Restarted without drift.json: the model is built again from the store, and what was told (kept beside the captures) is not told again.
    await rm(join(dir, 'drift.json'));
    hc = await startHookCatch({ dir });
    drifts = toldBy(hc);
    expect((await drifts.driftOf(withCoupon(8, { gift: true, note: 'm', rush: true }))).changes).toEqual([{ path: 'rush', change: 'new' }]);
  });

  it('the first few samples give no "missing"; integer and number, or null and a value, are no change of type', async () => {
    const hc = await startHookCatch();
    const drifts = toldBy(hc);
    await deliver(hc, order({ a: 1, b: 1, c: 1, d: null }));
    const retyped = await deliver(hc, order({ a: 1.5, b: 'now a string', d: 'set' })); // c gone after one sample
    const quiet = await deliver(hc, order({ a: 2, d: null })); // b gone after two
    expect((await drifts.driftOf(order({ a: 3, d: 'x', z: 1 }))).changes).toEqual([{ path: 'z', change: 'new' }]);
    expect(drifts.told.get(retyped)?.changes).toEqual([{ path: 'b', change: 'type', was: 'integer', now: 'string' }]);
    expect(drifts.told.has(quiet)).toBe(false);
    expect(drifts.told.size).toBe(2);
    // A field's type is told changed once: a third type later is not told again.
    const third = await deliver(hc, order({ a: 4, b: true, d: 'y', z: 2 }));
    expect((await drifts.driftOf(order({ a: 5, b: 's', d: 'y', z: 3, last: 1 }))).changes).toEqual([{ path: 'last', change: 'new' }]);
    expect(drifts.told.has(third)).toBe(false);
  });

  it('compares only captures with an event type', async () => {
    const hc = await startHookCatch();
    const drifts = toldBy(hc);
    for (let i = 0; i < 3; i++) await deliver(hc, JSON.stringify({ id: i, x: 1 }));
    await deliver(hc, JSON.stringify({ id: 9, y: 'new' })); // no event type: not compared
    await threeOrders(hc);
    expect((await drifts.driftOf(order({ order: { id: 4, total: 12, items: [{ sku: 'a' }] }, extra: 1 }))).changes).toEqual([{ path: 'extra', change: 'new' }]);
    expect(drifts.told.size).toBe(1);
  });

  it('deliveries of one shape, one after another, each count: a field they all had is missing from the next, and drift.json counts every sample', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    const drifts = toldBy(hc);
    for (let i = 1; i <= 5; i++) await deliver(hc, order({ order: { id: i, total: 12 + i, items: [{ sku: `s${i}` }] } }));
    expect((await drifts.driftOf(order({ order: { id: 6, items: [{ sku: 's6' }] } }))).changes).toEqual([{ path: 'order.total', change: 'missing' }]);
    await hc.close();
    const model = JSON.parse(await readFile(join(dir, 'drift.json'), 'utf8')).events['order.paid'];
    expect(model.samples).toBe(6);
    expect(model.fields['order.total']).toEqual([5, ['integer']]);
    expect(model.fields['order.items[].sku']).toEqual([6, ['string']]);
  });

  it('a hostile body grows the model only so far (fields per event type, depth)', async () => {
    const dir = await tempDir();
    const hc = await startHookCatch({ dir });
    const drifts = toldBy(hc);
    const wide = (n: number) => Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`f${n}_${i}`, i]));
    let deep: object = { leaf: 1 };
    for (let i = 0; i < 200; i++) deep = { d: deep };
    await deliver(hc, order({ small: 1, deep, ...wide(0) }));
    // Its 3000 new fields do not fit: only the change of a known field is told.
    expect((await drifts.driftOf(order({ small: 'x', ...wide(1) }))).changes).toEqual([{ path: 'small', change: 'type', was: 'integer', now: 'string' }]);
    await hc.close();
    const model = JSON.parse(await readFile(join(dir, 'drift.json'), 'utf8'));
    const paths = Object.keys(model.events['order.paid'].fields);
    expect(paths.length).toBe(500);
    expect(Math.max(...paths.map((p) => p.split('.').length))).toBe(12);
  });
});

describe('list --drift, ?drift=1 and the terminal line', () => {
  it('lists only the captures that drifted, through the CLI and the API; the terminal says which fields', async () => {
    const dir = await tempDir();
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', dir, '--no-tunnel']);
    const webhook = (await cli.printed(/Webhook\s+(http:\/\/\S+)/))[1]!;
    const inspector = (await cli.printed(/Inspector\s+(http:\/\/\S+)/))[1]!;
    const post = async (body: string) => json(await send(webhook, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } })).id as string;
    for (let i = 1; i <= 3; i++) await post(order({ order: { id: i, items: [{ sku: 'a' }] } }));
    const id = await post(order({ order: { id: 4, items: [{ sku: 'a', color: 'red' }] } }));
    const line = await cli.printed(/drift\s+order\.paid\s+new field (\S+)\s+(\w+)/);
    expect(line[1]).toBe('order.items[].color');
    expect(id.endsWith(line[2]!)).toBe(true);

    const listed = await runCli(['list', '--drift', '--dir', dir]);
    expect(listed.code).toBe(0);
    expect(listed.stdout.trim().split('\n')).toHaveLength(1);
    expect(listed.stdout).toContain('drift: new field order.items[].color');
    expect((await runCli(['show', id, '--dir', dir])).stdout).toMatch(/\ndrift\s+new field order\.items\[\]\.color\n/);
    const page = json(await send(`${inspector}/api/requests?drift=1`));
    expect(page.items.map((s: { id: string }) => s.id)).toEqual([id]);
    expect(page.items[0].drift.changes).toEqual([{ path: 'order.items[].color', change: 'new' }]);
    expect(json(await send(`${inspector}/api/requests?drift=0`)).items).toHaveLength(4);
    const bad = await send(`${inspector}/api/requests?drift=yes`);
    expect(bad.status).toBe(400);
    expect(json(bad).error).toBe('drift must be 1 (only those) or 0; got "yes".');
  });

  it('start --json prints the drift as a line of its own', async () => {
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', await tempDir(), '--no-tunnel', '--json']);
    const { webhookUrl } = await cli.jsonLine((v) => v.type === 'ready');
    for (let i = 1; i <= 3; i++) await send(webhookUrl, { method: 'POST', body: order({ n: i }), headers: { 'Content-Type': 'application/json' } });
    const { id } = json(await send(webhookUrl, { method: 'POST', body: order({ n: 4, m: 1 }), headers: { 'Content-Type': 'application/json' } }));
    expect(await cli.jsonLine((v) => v.type === 'drift')).toEqual({ type: 'drift', id, event: 'order.paid', changes: [{ path: 'm', change: 'new' }] });
  });
});

describe('hook-catch check --against', () => {
  async function fixtureFolder(bodies: object[]): Promise<string> {
    const folder = join(await tempDir(), 'fixtures');
    await mkdir(folder);
    for (const [i, body] of bodies.entries()) await writeFile(join(folder, `${i}.json`), JSON.stringify(fixtureOf(body)));
    return folder;
  }

  it('exits 0 when every stored capture has the fixtures’ fields and types, 1 naming each field when one drifts', async () => {
    const hc = await startHookCatch();
    const fixtures = await fixtureFolder([
      { type: 'order.paid', order: { id: 1, total: 12 } },
      { type: 'order.paid', order: { id: 2, total: 9.5 } },
    ]);
    await deliver(hc, order({ order: { id: 3, total: 4 } }));
    await deliver(hc, JSON.stringify({ type: 'refund.made', amount: 1 })); // no fixture of its type
    await deliver(hc, 'plain text');
    const same = await runCli(['check', '--against', fixtures, '--dir', hc.dir]);
    expect(same.stderr).toContain('No drift: 1 capture compared with the 2 fixtures in');
    expect(same.stderr).toContain('1 no fixture of its event type');
    expect(same.code).toBe(0);

    const drifted = await deliver(hc, order({ order: { id: '4', currency: 'EUR' } }));
    const text = await runCli(['check', '--against', fixtures, '--dir', hc.dir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('order.paid  type order.id integer → string; new field order.currency; missing order.total');
    expect(text.stderr).toContain('Drift: 1 of 2 captures compared differs from the 2 fixtures in');
    const report = await runCli(['check', drifted, '--against', fixtures, '--dir', hc.dir, '--json']);
    expect(report.code).toBe(1);
    expect(JSON.parse(report.stdout)).toMatchObject({
      fixtures: { count: 2, eventTypes: ['order.paid'] },
      compared: 1,
      drifted: [{ id: drifted, event: 'order.paid', changes: expect.arrayContaining([{ path: 'order.currency', change: 'new' }]) }],
    });
  });

  it('says in one line what is wrong with a folder it cannot use or an id it cannot find', async () => {
    const hc = await startHookCatch();
    await deliver(hc, order({ a: 1 }));
    const none = await runCli(['check', '--against', join(hc.dir, 'nowhere'), '--dir', hc.dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^hook-catch: Cannot read \S+nowhere: .+\.\n$/);
    const untyped = await fixtureFolder([{ no: 'type' }]);
    const useless = await runCli(['check', '--against', untyped, '--dir', hc.dir]);
    expect(useless.code).toBe(2);
    expect(useless.stderr).toMatch(/^hook-catch: No fixture in \S+ has an event type hook-catch can tell and a JSON body.*\n$/);
    const fixtures = await fixtureFolder([{ type: 'order.paid', a: 1 }]);
    const missing = await runCli(['check', 'zzzzzz', '--against', fixtures, '--dir', hc.dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^hook-catch: No stored request matches "zzzzzz".*\n$/);
  });
});
