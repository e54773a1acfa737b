import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { fileSizeLimit, json, later, send, spawnCli, startHookCatch, tempDir } from '../helpers/index.js';
import { deliver, openInspector, row, SHOWN, useBrowser, type HC } from '../helpers/page.js';

const browser = useBrowser();

interface Received {
  method: string;
  url: string;
  /** Headers as they came: order, case and duplicates kept. */
  headers: [string, string][];
  body: Buffer;
}

/**
 * The user's app: a local HTTP server on a free port that keeps every request it gets and answers
 * `status` (after `hold`, when given: a test releases it). `next()` resolves with the next request.
 */
async function recordingApp(status = 200, hold?: Promise<void>) {
  const received: Received[] = [];
  const waiting: ((r: Received) => void)[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const r = { method: req.method!, url: req.url!, headers, body: Buffer.concat(chunks) };
      received.push(r);
      waiting.shift()?.(r);
      await hold;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ app: 'got it', status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  later(() => new Promise((resolve) => server.close(resolve)));
  later(() => server.closeAllConnections());
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  let taken = 0;
  /** The next request the app gets (or already got and no test took yet). */
  const next = () => {
    const at = taken++;
    return received[at] ? Promise.resolve(received[at]) : new Promise<Received>((resolve) => waiting.push(resolve));
  };
  return { url, next, received };
}

/** Connection headers and Host: never passed on by a replay (Host becomes the target's). */
const PER_CONNECTION = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'expect', 'proxy-connection', 'trailer']);
const passedOn = (headers: [string, string][]) => headers.filter(([name]) => !PER_CONNECTION.has(name.toLowerCase()));

describe('replay, forward and response rules on the inspector page', { timeout: 120_000 }, () => {
  it('Replay sends the capture unchanged to the target: same bytes, same headers in order, path below the target path', async () => {
    const hc = await startHookCatch();
    const app = await recordingApp(202);
    const page = await openInspector(browser(), hc);
    const body = Buffer.from('{"event":"payment.succeeded","note":"h\u00e9llo \u2713 \\u00e9","amount":1250,"nested":{"list":[1,2.50,null]}}\n', 'utf8');
    const id = await deliver(hc, body, { path: '/webhook/stripe?x=1&y=%20', headers: { 'Stripe-Signature': 't=1700000000,v1=5f1c0a4e9b', 'X-Trace': 'a' } });
    await row(page, id).click();
    const detail = page.locator(`#detail[data-shown="${id}"]`);
    await detail.getByLabel('replay target').fill(`${app.url}/hooks`);
    await detail.locator('[data-action=replay]').click();

    const got = await app.next();
    const captured = (await hc.store.get(id))!;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/hooks/webhook/stripe?x=1&y=%20');
    expect(got.body.equals(body)).toBe(true);
    expect(passedOn(got.headers)).toEqual(passedOn(captured.headers));
    expect(got.headers.find(([n]) => n === 'Stripe-Signature')?.[1]).toBe('t=1700000000,v1=5f1c0a4e9b');

    const result = detail.locator('.replay-result');
    await result.waitFor(SHOWN);
    expect(await result.getAttribute('data-status')).toBe('202');
    expect(await result.locator('.result-line').innerText()).toContain('202');
    expect(await result.locator('pre.answer').innerText()).toContain('"app":"got it"');
    const line = detail.locator('ul.replays li');
    await expect.poll(() => line.count()).toBe(1);
    expect(await line.innerText()).toContain(`${app.url}/hooks/webhook/stripe`);
    expect(await line.getAttribute('data-edited')).toBe('false');
    // The target is remembered for the next capture and the next visit.
    expect(await page.evaluate(() => localStorage.getItem('hook-catch.replay-target'))).toBe(`${app.url}/hooks`);
    expect(page.errors).toEqual([]);
  });

  it('a Twilio capture replayed to the app: the result says its signature does not verify there, and names --resign twilio', async () => {
    const hc = await startHookCatch();
    const app = await recordingApp(403);
    const page = await openInspector(browser(), hc);
    const id = await deliver(hc, 'Body=hi&From=%2B15550001111', {
      path: '/twilio/sms',
      headers: { 'X-Twilio-Signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    await row(page, id).click();
    const detail = page.locator(`#detail[data-shown="${id}"]`);
    await detail.getByLabel('replay target').fill(app.url);
    await detail.locator('[data-action=replay]').click();
    const warning = detail.locator('.replay-result .note.warn');
    await warning.waitFor(SHOWN);
    expect(await warning.innerText()).toBe(
      `X-Twilio-Signature signs the URL the webhook was sent to (${hc.receiverUrl}/twilio/sms), so it does not verify at ${app.url}/twilio/sms; add --resign twilio to sign it for that URL (on the page: Re-sign, with --verify twilio).`,
    );
    expect(page.errors).toEqual([]);
  });

  it('a replay whose target is down says so in plain words, and the list shows it failed', async () => {
    const hc = await startHookCatch();
    const app = await recordingApp();
    const page = await openInspector(browser(), hc);
    const id = await deliver(hc, '{"n":1}');
    await row(page, id).click();
    const detail = page.locator(`#detail[data-shown="${id}"]`);
    // A port that was free a moment ago: nothing listens there now.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    await detail.getByLabel('replay target').fill(`http://127.0.0.1:${port}`);
    await detail.locator('[data-action=replay]').click();
    await detail.locator('.replay-result[data-status=failed]').waitFor(SHOWN);
    expect(await detail.locator('.replay-result .note.error').innerText()).toMatch(/refused|not listening|nothing/i);
    await expect.poll(() => detail.locator('ul.replays li').innerText()).toContain('failed');
    // hook-catch's own port is refused by the API, and the page shows why.
    await detail.getByLabel('replay target').fill(hc.receiverUrl);
    await detail.locator('[data-action=replay]').click();
    await detail.locator('.replay-out [data-status=error]').waitFor(SHOWN);
    expect(app.received).toHaveLength(0);
    expect(page.errors).toEqual([]);
  });

  it('Edit and replay sends the edited request; the capture stays as it was; the replay is marked edited', async () => {
    const hc = await startHookCatch();
    const app = await recordingApp();
    const page = await openInspector(browser(), hc);
    const original = { event: 'order.paid', data: { amount: 10, currency: 'EUR', status: 'paid' } };
    const text = JSON.stringify(original, null, 2);
    const id = await deliver(hc, text, { path: '/webhook/orders', headers: { 'X-Signature': 'sig=original', 'X-Remove-Me': 'yes', 'X-Keep': 'k' } });
    await row(page, id).click();
    const detail = page.locator(`#detail[data-shown="${id}"]`);
    await detail.locator('[data-action=edit-replay]').click();
    const dialog = page.locator('#replay-dialog');
    await dialog.waitFor(SHOWN);
    await dialog.getByLabel('method', { exact: true }).fill('PUT');
    await dialog.getByLabel('path and query').fill('/webhook/orders?edited=1');
    await dialog.locator('.header-row[data-header="X-Signature"] .h-value').fill('sig=edited');
    await dialog.locator('.header-row[data-header="X-Remove-Me"] [data-action=remove-header]').click();
    await dialog.getByLabel('value of data.amount').fill('99');
    await dialog.getByLabel('value of data.status').fill('refunded');
    await dialog.getByRole('tab', { name: 'Raw' }).click();
    const edited = { event: 'order.paid', data: { amount: 99, currency: 'EUR', status: 'refunded' } };
    expect(await dialog.getByLabel('body').inputValue()).toBe(JSON.stringify(edited, null, 2));
    await dialog.getByLabel('replay target').fill(app.url);
    await dialog.locator('[data-action=send]').click();

    const got = await app.next();
    expect(got.method).toBe('PUT');
    expect(got.url).toBe('/webhook/orders?edited=1');
    expect(got.body.toString('utf8')).toBe(JSON.stringify(edited, null, 2));
    expect(got.headers.find(([n]) => n === 'X-Signature')?.[1]).toBe('sig=edited');
    expect(got.headers.some(([n]) => n === 'X-Remove-Me')).toBe(false);
    expect(got.headers.find(([n]) => n === 'X-Keep')?.[1]).toBe('k');
    expect(Number(got.headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1])).toBe(got.body.length);
    await dialog.locator('.replay-result[data-status="200"]').waitFor(SHOWN);

    const stored = json(await send(`${hc.inspectorUrl}/api/requests/${id}`));
    expect(stored.method).toBe('POST');
    expect(stored.url).toBe('/webhook/orders');
    expect(stored.body).toBe(text);
    expect(stored.headers.find(([n]: [string, string]) => n === 'X-Signature')[1]).toBe('sig=original');
    expect(stored.headers.some(([n]: [string, string]) => n === 'X-Remove-Me')).toBe(true);
    expect(stored.replays).toHaveLength(1);
    expect(stored.replays[0].edited).toBe(true);

    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    const line = detail.locator('ul.replays li[data-edited=true]');
    await line.waitFor(SHOWN);
    expect(await line.innerText()).toContain('edited');
    expect(await line.innerText()).toContain('PUT');
    expect(page.errors).toEqual([]);
  });

  it('a replay from elsewhere (the API) shows live in the replays of the capture shown', async () => {
    const hc = await startHookCatch();
    const app = await recordingApp(418);
    const page = await openInspector(browser(), hc);
    const id = await deliver(hc, '{"n":1}');
    await row(page, id).click();
    const detail = page.locator(`#detail[data-shown="${id}"]`);
    await detail.locator('.replay-list h4', { hasText: 'No replays yet' }).waitFor(SHOWN);
    const reply = await send(`${hc.inspectorUrl}/api/requests/${id}/replay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ to: app.url, method: 'PATCH' }),
    });
    expect(reply.status).toBe(200);
    const line = detail.locator(`ul.replays li[data-replay="${json(reply).replay.id}"]`);
    await line.waitFor(SHOWN);
    expect(await line.innerText()).toContain('418');
    expect(await line.innerText()).toContain('PATCH');
    expect(page.errors).toEqual([]);
  });

  it('start --forward: the row shows what the app answered (wait mode: the sender got it too)', async () => {
    const app = await recordingApp(201);
    const hc = await startHookCatch({ forward: app.url });
    const page = await openInspector(browser(), hc);
    await expect.poll(() => page.locator('[data-url=forward] .url-value').innerText()).toBe(`${app.url}/`);
    const id = await deliver(hc, '{"n":1}', { status: 201 });
    const badge = row(page, id).locator('.badge.fwd');
    await badge.waitFor(SHOWN);
    expect(await badge.innerText()).toMatch(/^→ 201 \d+ ms$/);
    expect(await row(page, id).locator('.c-status').innerText()).toBe('201');
    await row(page, id).click();
    await expect.poll(() => page.locator(`#detail[data-shown="${id}"] .meta`).innerText()).toContain('your app answered 201');
    expect(page.errors).toEqual([]);
  });

  it("start --forward in ack mode: the row gets the app's answer live when it comes", async () => {
    let release!: () => void;
    const app = await recordingApp(201, new Promise<void>((resolve) => (release = resolve)));
    later(() => release());
    const hc = await startHookCatch({ forward: app.url, forwardMode: 'ack' });
    const page = await openInspector(browser(), hc);
    const id = await deliver(hc, '{"n":1}');
    await row(page, id).click();
    await app.next(); // the app has it, and has not answered yet
    expect(await row(page, id).locator('.badge.fwd').count()).toBe(0);
    await expect.poll(() => page.locator(`#detail[data-shown="${id}"] .meta`).innerText()).toContain('kept (yet)');
    release();
    await expect
      .poll(() =>
        row(page, id)
          .locator('.badge.fwd')
          .innerText()
          .catch(() => ''),
      )
      .toMatch(/^→ 201/);
    await expect.poll(() => page.locator(`#detail[data-shown="${id}"] .meta`).innerText()).toContain('your app answered 201');
    expect(page.errors).toEqual([]);
  });

  it('start --forward to an app that is down: the row says the forward failed, and why', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const hc = await startHookCatch({ forward: url });
    const page = await openInspector(browser(), hc);
    const id = await deliver(hc, '{"n":1}', { status: 502 });
    const badge = row(page, id).locator('.badge.fwd');
    await badge.waitFor(SHOWN);
    expect(await badge.innerText()).toBe('→ failed');
    expect(await badge.getAttribute('title')).toMatch(/forwarding failed: .+/);
  });

  it('the Rules panel adds a rule that shapes the answer, lists it, removes it, and shows rules added elsewhere live', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const toggle = page.locator('#rules-toggle');
    await toggle.click();
    const panel = page.locator('#rules');
    await panel.getByLabel('rule status').fill('503');
    await panel.getByLabel('rule header').fill('Retry-After: 30');
    await panel.getByRole('button', { name: 'Add rule' }).click();
    const rule = panel.locator('li[data-rule]');
    await rule.waitFor(SHOWN);
    expect(await rule.innerText()).toContain('every path → 503');
    expect(await rule.innerText()).toContain('Retry-After: 30');
    await expect.poll(() => toggle.innerText()).toBe('Rules (1)');

    const reply = await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body: '{"n":1}', headers: { 'Content-Type': 'application/json' } });
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('30');
    const shaped = reply.headers['x-hook-catch-id'] as string;
    await expect
      .poll(() =>
        row(page, shaped)
          .locator('.c-status')
          .innerText()
          .catch(() => ''),
      )
      .toBe('503');

    // What the API refuses is said in plain words, under the form.
    await panel.getByLabel('rule status').fill('abc');
    await panel.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => panel.getByRole('alert').innerText()).not.toBe('');
    await panel.getByLabel('rule status').fill('');
    await panel.getByLabel('rule header').fill('no colon here');
    await panel.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => panel.getByRole('alert').innerText()).toContain('Name: value');
    expect(hc.rules.list()).toHaveLength(1);

    await rule.locator('[data-action=remove-rule]').click();
    await expect.poll(() => panel.locator('li[data-rule]').count()).toBe(0);
    await expect.poll(() => toggle.innerText()).toBe('Rules');
    await deliver(hc, '{"n":2}', { status: 200 });

    const added = await hc.rules.add({ status: 429, path: '/webhook/slow', delayMs: 1500, failFirst: 2 });
    const live = panel.locator(`li[data-rule="${added.id}"]`);
    await live.waitFor(SHOWN);
    expect(await live.innerText()).toContain('/webhook/slow → 429');
    expect(await live.innerText()).toContain('after 1.5 s');
    expect(await live.innerText()).toContain('first 2 deliveries of each job answered 500');
    await expect.poll(() => toggle.innerText()).toBe('Rules (1)');
    expect(page.errors).toEqual([]);
  });

  it('a replay the store cannot keep says it was sent, what the app answered, and why it is not recorded; it is not listed', async () => {
    // A real failing write: no file may grow past 8 KB (16 blocks). The capture takes 6 kB of it; its
    // replay's record, which holds the headers sent (2 kB of them), does not fit in what is left.
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--dir', await tempDir(), '--json', '--no-tunnel'], { wrapper: fileSizeLimit(16) });
    const hc = (await cli.jsonLine((v) => v.type === 'ready')) as HC;
    const app = await recordingApp(200);
    const page = await openInspector(browser(), hc);
    const id = await deliver(hc, JSON.stringify({ pad: 'p'.repeat(4000) }), { headers: { 'X-Pad': 'h'.repeat(2000) } });
    await row(page, id).click();
    const detail = page.locator(`#detail[data-shown="${id}"]`);
    await detail.getByLabel('replay target').fill(app.url);
    await detail.locator('[data-action=replay]').click();
    const result = detail.locator('.replay-result');
    await result.waitFor(SHOWN);
    expect(await result.getAttribute('data-status')).toBe('200');
    expect(await result.locator('[data-not-kept]').innerText()).toMatch(/^Sent, but not recorded: .*file too large/i);
    expect(app.received).toHaveLength(1);
    expect(await detail.locator('.replay-list h4').innerText()).toBe('No replays yet');
    expect(page.errors).toEqual([]);
  });
});
