import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import type { Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { start } from '../../src/start.js';
import { json, later, rawRequest, send, startHookCatch, tempDir } from '../helpers/index.js';
import { deliver, openInspector, row, rowIds, SHOWN, useBrowser } from '../helpers/page.js';
import { fixtureOf, importThrough } from '../helpers/import.js';
import type { OpenTunnel, TunnelStatus } from '../../src/tunnel/ngrok.js';

const browser = useBrowser();

/** Scrolls the list from top to bottom (only the rows in view exist) and returns every id once, in order. */
function walkList(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const list = document.getElementById('list')!;
    const ids: string[] = [];
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    for (let top = 0; ; top += list.clientHeight / 2) {
      list.scrollTop = top;
      await frame();
      await frame();
      // Older pages load as the end comes near (#list says data-more="loading" meanwhile).
      for (let wait = 0; wait < 600 && list.dataset.more === 'loading'; wait++) await frame();
      const rows = [...list.querySelectorAll<HTMLElement>('.row')].sort((a, b) => a.offsetTop - b.offsetTop);
      for (const r of rows) if (!ids.includes(r.dataset.id!)) ids.push(r.dataset.id!);
      if (top >= list.scrollHeight - list.clientHeight && list.dataset.more !== 'yes') return ids;
    }
  });
}

// A browser test does many round trips: on a busy shared machine they get more time than the default.
describe('the inspector page, in a real browser', { timeout: 120_000 }, () => {
  it('shows a webhook without a reload, with its method, path, status, size, type and job', async () => {
    const hc = await startHookCatch();
    // Wide enough for every column (a narrower list leaves the size and the type to the detail).
    const page = await openInspector(browser(), hc, undefined, { width: 1920, height: 1080 });
    await page.evaluate(() => ((window as any).notReloaded = true));
    const id = await deliver(hc, JSON.stringify({ jobId: 'job-1', status: 'Completed' }), { path: '/webhook/calls?x=1' });
    await row(page, id).waitFor(SHOWN);
    const text = await row(page, id).innerText();
    expect(text).toContain('POST');
    expect(text).toContain('/webhook/calls?x=1');
    expect(text).toContain('200');
    expect(text).toContain('json');
    expect(text).toContain('job-1');
    expect(await page.evaluate(() => (window as any).notReloaded)).toBe(true);
    await expect.poll(() => page.locator('#count').innerText()).toBe('1 stored');
    await expect.poll(() => page.locator('[data-url=local] .url-value').innerText()).toBe(hc.webhookUrl);
    expect(page.errors).toEqual([]);
  });

  it('marks a body that is not valid JSON and one over --max-body, and a click on a job follows it', async () => {
    const hc = await startHookCatch({ maxBody: 1000 });
    const page = await openInspector(browser(), hc);
    const broken = await deliver(hc, '{"jobId": "job-9", "status": ');
    const big = (await send(`${hc.receiverUrl}/webhook`, { method: 'POST', body: 'x'.repeat(5000) })).headers['x-hook-catch-id'] as string;
    const first = await deliver(hc, JSON.stringify({ jobId: 'job-9', status: 'InProgress' }));
    const second = await deliver(hc, JSON.stringify({ jobId: 'job-9', status: 'Completed' }));
    await row(page, second).waitFor(SHOWN);
    expect(await row(page, broken).locator('.badge').allInnerTexts()).toEqual(['not valid JSON']);
    expect(await row(page, big).locator('.badge').allInnerTexts()).toEqual(['413']);
    expect(await row(page, big).locator('.c-status').innerText()).toBe('413');
    await row(page, first).locator('.c-job').click();
    await expect.poll(() => rowIds(page)).toEqual([second, first]);
    await expect.poll(() => page.locator('#job-chip-id').innerText()).toBe('job-9');
    expect(page.errors).toEqual([]);
  });

  it('shows the exact body as a JSON tree, raw text and hex, with the headers as received', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const body = '{"jobId": "job-2", "text": "héllo ✓ \\u00e9", "nested": {"list": [1, 2.50, true, null]}}';
    const length = Buffer.byteLength(body);
    const raw = await rawRequest(
      hc.receiverPort,
      `POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Trace: a\r\nx-trace: b\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n${body}`,
    );
    const id = /X-Hook-Catch-Id: (\w+)/i.exec(raw)![1]!;
    await row(page, id).click();
    await page.locator(`#detail[data-shown="${id}"] .tree`).waitFor(SHOWN);
    expect(await page.locator('.tree').innerText()).not.toContain('2.5'); // deeper levels start folded
    await page.locator('.tree summary', { hasText: 'list' }).click();
    await expect.poll(() => page.locator('.tree').innerText()).toContain('2.5'); // drawn when opened
    const tree = await page.locator('.tree').innerText();
    for (const part of ['jobId', '"job-2"', '"héllo ✓ é"', 'nested', 'list', '2.5', 'true', 'null']) expect(tree).toContain(part);

    await page.getByRole('tab', { name: 'Raw' }).click();
    expect(await page.locator('pre.raw').textContent()).toBe(body);

    await page.getByRole('tab', { name: 'Hex' }).click();
    const hex = (await page.locator('pre.hex').textContent())!;
    const bytes = Buffer.from(body);
    expect(hex.split('\n')[0]).toContain(`00000000  ${[...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
    expect(hex.split('\n')).toHaveLength(Math.ceil(bytes.length / 16));

    const headers = await page.locator('table.headers tbody tr').allInnerTexts();
    expect(headers.filter((h) => /x-trace/i.test(h)).map((h) => h.replace(/\s+/g, ' '))).toEqual(['X-Trace a', 'x-trace b']);

    // A binary body is shown as hex, byte for byte.
    const binary = Buffer.from([0xff, 0x00, 0xfe, 0x41, 0x80]);
    const binId = await deliver(hc, binary, { type: 'application/octet-stream' });
    await row(page, binId).click();
    await page.locator(`#detail[data-shown="${binId}"]`).waitFor(SHOWN);
    await expect.poll(() => page.locator('pre.hex').textContent()).toContain('00000000  ff 00 fe 41 80');
    expect(page.errors).toEqual([]);
  });

  it('copy as curl sends the same request again, byte for byte', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const body = `{"quote": "it's", "lines": "a\\nb", "dollar": "$HOME \`x\`"}\n`;
    const id = await deliver(hc, body, { path: '/webhook/curl?x=1&y=%20', headers: { 'X-Signature': 'sig=1' } });
    await row(page, id).click();
    await page.locator(`#detail[data-shown="${id}"] [data-action=copy-curl]`).click();
    const command = await page.evaluate(() => navigator.clipboard.readText());
    await promisify(execFile)('bash', ['-c', `${command} --silent --output /dev/null`]);
    const again = await hc.store.list({ limit: 1 });
    expect(again.items[0]!.id).not.toBe(id);
    const [before, after] = await Promise.all([hc.store.get(id), hc.store.get(again.items[0]!.id)]);
    expect(after!.body.equals(before!.body)).toBe(true);
    expect(after!.url).toBe(before!.url);
    expect(after!.headers.find(([k]) => k === 'X-Signature')?.[1]).toBe('sig=1');
  });

  it('filters by text inside bodies, method, path and job, and keeps filtering live ones', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const needle = await deliver(hc, JSON.stringify({ note: 'the needle is here' }), { path: '/webhook/a' });
    const other = await deliver(hc, JSON.stringify({ note: 'nothing' }), { path: '/webhook/b' });
    const get = (await send(`${hc.receiverUrl}/hooks/get?x=1`)).headers['x-hook-catch-id'] as string;
    await row(page, get).waitFor(SHOWN);

    await page.locator('#q').fill('NEEDLE');
    await expect.poll(() => rowIds(page)).toEqual([needle]);
    const liveNeedle = await deliver(hc, JSON.stringify({ note: 'another needle' }));
    await deliver(hc, JSON.stringify({ note: 'no match' }));
    await expect.poll(() => rowIds(page)).toEqual([liveNeedle, needle]);

    await page.locator('#q').fill('');
    await page.locator('#method').selectOption('GET');
    await expect.poll(() => rowIds(page)).toEqual([get]);
    await page.locator('#method').selectOption('');
    await page.locator('#path').fill('/webhook/b');
    await expect.poll(() => rowIds(page)).toEqual([other]);
    expect(page.errors).toEqual([]);
  });

  it('keyboard: j and k move through the list, / focuses the filter', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const first = await deliver(hc, '{"n":1}');
    const second = await deliver(hc, '{"n":2}');
    await expect.poll(() => rowIds(page)).toEqual([second, first]);
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('.row.selected').getAttribute('data-id')).toBe(second);
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('.row.selected').getAttribute('data-id')).toBe(first);
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('.row.selected').getAttribute('data-id')).toBe(second);
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('q');
  });

  it('deletes one request, pauses and resumes, and clears all', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const a = await deliver(hc, '{"n":1}');
    const b = await deliver(hc, '{"n":2}');
    await row(page, b).click();
    await page.locator(`#detail[data-shown="${b}"] [data-action=delete]`).click();
    await expect.poll(() => rowIds(page)).toEqual([a]);
    expect(await hc.store.get(b)).toBeNull();

    await page.locator('#pause').click();
    const held = await deliver(hc, '{"n":3}');
    await expect.poll(() => page.locator('#pause').innerText()).toBe('Resume (1)');
    expect(await rowIds(page)).toEqual([a]);
    await page.locator('#pause').click();
    await expect.poll(() => rowIds(page)).toEqual([held, a]);

    await page.locator('#clear').click();
    await expect.poll(() => page.locator('.row').count()).toBe(0);
    expect(page.dialogs).toEqual(['confirm: Delete all 2 stored requests? This cannot be undone.']);
    expect(hc.store.count).toBe(0);
    await expect.poll(() => page.locator('#count').innerText()).toBe('0 stored');
  });

  it('a job registered on the page and delivered moves to completed; its timeline shows both deliveries of a retry', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    await page.getByLabel('job id').fill('job-77');
    await page.getByLabel('label').fill('transcription');
    await page.getByRole('button', { name: 'Expect' }).click();
    const card = page.locator('.job[data-job="job-77"]');
    await card.waitFor(SHOWN);
    await expect.poll(() => card.getAttribute('data-status')).toBe('pending');
    expect(await card.innerText()).toMatch(/expires in 6 d 23 h|expires in 7 d/);
    expect(hc.jobs.get('job-77')?.source).toBe('expect');

    const completed = JSON.stringify({ jobId: 'job-77', status: 'Completed', result: 'ok' });
    const firstTry = await deliver(hc, completed);
    const retry = await deliver(hc, completed);
    await deliver(hc, JSON.stringify({ other: 'unrelated' }));
    await expect.poll(() => card.getAttribute('data-status')).toBe('completed');
    expect(await page.locator('.job-section[data-section=completed] .job[data-job="job-77"]').count()).toBe(1);
    const dots = card.locator('circle.tl-delivery');
    await expect.poll(() => dots.count()).toBe(2);
    expect(await dots.nth(0).getAttribute('data-request')).toBe(firstTry);
    expect(await dots.nth(1).getAttribute('data-request')).toBe(retry);
    expect(await dots.nth(1).getAttribute('class')).toContain('dup');
    expect(await card.locator('.tl-final').count()).toBe(1);
    expect(await card.innerText()).toMatch(/2 deliveries · first webhook .* after registration/);

    // Selecting the job filters the list to its deliveries, and tells its life in words.
    await card.click();
    await expect.poll(() => rowIds(page)).toEqual([retry, firstTry]);
    await expect.poll(() => card.locator('.tl-words li').count()).toBe(4);
    const words = await card.locator('.tl-words li').allInnerTexts();
    expect(words[2]).toContain('duplicate, attempt 2');
    expect(words[3]).toContain('completed');
    expect(await row(page, retry).innerText()).toContain('retry 2');
    await page.locator('#job-chip-clear').click();
    await expect.poll(() => page.locator('.row').count()).toBe(3);
    expect(page.errors).toEqual([]);
  });

  it('a job registered after the webhook that named it (in its path) shows that delivery, and the row its job', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const early = await deliver(hc, JSON.stringify({ status: 'done' }), { path: '/webhook/order-5' });
    await row(page, early).waitFor(SHOWN);
    expect(await row(page, early).locator('.c-job').innerText()).toBe(''); // a path alone makes no job
    await page.getByLabel('job id').fill('order-5');
    await page.getByRole('button', { name: 'Expect' }).click();
    const card = page.locator('.job[data-job="order-5"]');
    await expect.poll(() => card.locator('circle.tl-delivery').getAttribute('data-request')).toBe(early);
    await expect.poll(() => row(page, early).locator('.c-job').innerText()).toBe('order-5');
  });

  it('a job with many deliveries draws the first and the latest, and counts the rest', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    await hc.expect('busy-job');
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await deliver(hc, JSON.stringify({ jobId: 'busy-job', status: 'InProgress', progress: i })));
    const card = page.locator('.job[data-job="busy-job"]');
    await expect.poll(() => card.locator('.job-info').innerText()).toContain('20 deliveries');
    const drawn = await card.locator('circle.tl-delivery').evaluateAll((dots) => dots.map((d) => d.getAttribute('data-request')));
    expect(drawn).toEqual([ids[0], ...ids.slice(7)]);
    expect(await card.locator('.tl-more').textContent()).toBe('+66 more deliveries'); // the count, and its tooltip
  });

  it('an import shows as one: a marked row, on top by arrival though its own time is older, and not a delivery on its card', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    await hc.expect('imp-9');
    const body = { jobId: 'imp-9', status: 'Completed' };
    const live = await deliver(hc, JSON.stringify(body));
    const card = page.locator('.job[data-job="imp-9"]');
    await expect.poll(() => card.getAttribute('data-status'), SHOWN).toBe('completed');
    const [imported] = await importThrough(hc.inspectorUrl, [fixtureOf(body)]);
    await row(page, imported!).waitFor(SHOWN);
    expect(await rowIds(page)).toEqual([imported, live]);
    await expect.poll(() => row(page, imported!).locator('.c-badges .badge:not(.event)').innerText()).toBe('imported');
    expect(await row(page, imported!).locator('.c-time').getAttribute('title')).toBe('2020-03-01T12:00:00.000Z');
    const info = /^1 delivery · first webhook .* after registration · 1 imported, not a live delivery$/;
    await expect.poll(() => card.locator('.job-info').innerText()).toMatch(info);
    expect(await card.locator('circle.tl-delivery').count()).toBe(1);
    // The same after a reload, from the API.
    await page.reload();
    await expect.poll(() => card.locator('.job-info').innerText(), SHOWN).toMatch(info);
    expect(await card.getAttribute('data-status')).toBe('completed');
    await card.click();
    await expect.poll(() => card.locator('.tl-words li.import').innerText()).toMatch(/^imported: Completed, first received [\d:.]+ · not a live delivery$/);
    expect(page.errors).toEqual([]);
  });

  it('a job whose every delivery was refused says so on its card, its rows and its timeline; an acknowledged one completes it', async () => {
    const hc = await startHookCatch({ rules: [{ failFirst: 2 }] });
    const page = await openInspector(browser(), hc);
    await hc.expect('ref-1');
    const body = JSON.stringify({ jobId: 'ref-1', status: 'Completed' });
    const first = await deliver(hc, body, { status: 500 });
    const card = page.locator('.job[data-job="ref-1"]');
    await expect.poll(() => card.getAttribute('data-status'), SHOWN).toBe('refused');
    expect(await card.locator('.pill').innerText()).toBe('refused');
    expect(await page.locator('.job-section[data-section=refused] .job[data-job="ref-1"]').count()).toBe(1);
    await expect.poll(() => card.locator('.job-info').innerText()).toMatch(/^1 delivery · not acknowledged: it was refused \(500\) · first webhook /);
    await expect.poll(() => card.locator('circle.tl-delivery.refused').count()).toBe(1);
    await row(page, first).waitFor(SHOWN);
    expect(await row(page, first).locator('.c-badges .badge:not(.event)').innerText()).toBe('not acknowledged');

    await deliver(hc, body, { status: 500 });
    const ok = await deliver(hc, body);
    await expect.poll(() => card.getAttribute('data-status'), SHOWN).toBe('completed');
    await expect.poll(() => card.locator('.job-info').innerText()).toMatch(/^3 deliveries · 2 refused \(500\) · first webhook /);
    await row(page, ok).waitFor(SHOWN);
    expect(await row(page, ok).locator('.c-badges .badge:not(.event)').innerText()).toBe('retry 3');
    await page.reload();
    await expect.poll(() => card.locator('.job-info').innerText(), SHOWN).toMatch(/^3 deliveries · 2 refused \(500\) · first webhook /);
    expect(await card.locator('circle.tl-delivery.refused').count()).toBe(2);
    expect(page.errors).toEqual([]);
  });

  it('a dropped stream, re-opened, brings what came while it was away and drops what was deleted meanwhile: no gap, no duplicate', async () => {
    const hc = await startHookCatch();
    // The page's stream goes through this switch: while it is off, the page cannot connect.
    let off = false;
    let current: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
    const page = await openInspector(browser(), hc, (p) =>
      p.routeWebSocket(/\/ws/, (ws) => {
        if (off) return void ws.close({ code: 1011, reason: 'test: stream off' });
        current = { page: ws, server: ws.connectToServer() };
      }),
    );
    const a = await deliver(hc, '{"n":"a"}');
    const b = await deliver(hc, '{"n":"b"}');
    await expect.poll(() => rowIds(page)).toEqual([b, a]);

    off = true;
    await current!.server.close();
    await current!.page.close({ code: 1011, reason: 'test: dropped' });
    await page.locator('[data-state=stream]', { hasText: 'reconnecting' }).waitFor(SHOWN);
    const away = [await deliver(hc, '{"n":"c"}'), await deliver(hc, '{"n":"d"}'), await deliver(hc, '{"n":"e"}')];
    expect((await send(`${hc.inspectorUrl}/api/requests/${a}`, { method: 'DELETE' })).status).toBe(200);
    expect(await rowIds(page)).toEqual([b, a]); // nothing reached the page meanwhile

    off = false;
    await page.locator('[data-state=stream]', { hasText: 'connected' }).waitFor(SHOWN);
    await expect.poll(() => rowIds(page)).toEqual([...away].reverse().concat(b));
    await expect.poll(() => page.locator('#count').innerText()).toBe('4 stored');
    const late = await deliver(hc, '{"n":"f"}');
    await expect.poll(() => rowIds(page)).toEqual([late, ...[...away].reverse(), b]);
    expect(page.errors).toEqual([]);
  });

  it('a dropped and re-opened stream resyncs, across a restart of hook-catch, with no gap and no duplicate', async () => {
    const dir = await tempDir();
    const options = { port: 0, inspectorPort: 0, dir, output: 'none', tunnel: false } as const;
    const first = await start(options);
    let closeLast = () => first.close();
    later(() => closeLast());
    const page = await openInspector(browser(), first);
    const before = [await deliver(first, '{"n":1}'), await deliver(first, '{"n":2}')];
    await row(page, before[1]!).waitFor(SHOWN);

    await first.close();
    await page.locator('[data-state=stream]', { hasText: 'reconnecting' }).waitFor(SHOWN);
    const second = await start({ ...options, port: first.receiverPort, inspectorPort: first.inspectorPort });
    closeLast = () => second.close();
    // Sent while the page is away or reconnecting: it must get them from the resync, once each.
    const after: string[] = [];
    for (let i = 3; i <= 8; i++) after.push(await deliver(second, JSON.stringify({ n: i })));
    await page.locator('[data-state=stream]', { hasText: 'connected' }).waitFor(SHOWN);
    const everyId = [...before, ...after].reverse();
    await expect.poll(() => rowIds(page)).toEqual(everyId);
    const late = await deliver(second, '{"n":9}');
    await expect.poll(() => rowIds(page)).toEqual([late, ...everyId]);
    await expect.poll(() => page.locator('#count').innerText()).toBe('9 stored');
    expect(page.errors).toEqual([]);
  });

  it('a burst of webhooks all reach the list, once each and in order (only the rows in view are in the DOM)', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const sent: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => deliver(hc, JSON.stringify({ batch, i, pad: 'x'.repeat(2000) }))));
      sent.push(...ids);
    }
    expect(await page.locator('.row').count()).toBeLessThan(100);
    const newestFirst = [...sent].sort().reverse();
    await expect.poll(() => page.locator('#count').innerText()).toBe('300 stored');
    const seen = await walkList(page);
    expect(seen).toEqual(newestFirst);

    // Scrolled down to read, new rows above do not move what is being read.
    const reading = await page.evaluate(async () => {
      const list = document.getElementById('list')!;
      list.scrollTop = 3000;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      return [...list.querySelectorAll<HTMLElement>('.row')].find((r) => r.offsetTop >= list.scrollTop)!.dataset.id!;
    });
    const topRowNow = () =>
      page.evaluate(() => {
        const list = document.getElementById('list')!;
        return [...list.querySelectorAll<HTMLElement>('.row')].find((r) => r.offsetTop >= list.scrollTop)?.dataset.id;
      });
    expect(await topRowNow()).toBe(reading);
    for (let i = 0; i < 5; i++) await deliver(hc, JSON.stringify({ later: i }));
    await expect.poll(() => page.locator('#count').innerText()).toBe('305 stored');
    expect(await topRowNow()).toBe(reading);
    expect(page.errors).toEqual([]);
  });

  it('pages in older requests as the list is scrolled: 450 stored before the page opened, all shown once, in order', async () => {
    const hc = await startHookCatch();
    const sent: string[] = [];
    for (let batch = 0; batch < 15; batch++) sent.push(...(await Promise.all(Array.from({ length: 30 }, (_, i) => deliver(hc, JSON.stringify({ batch, i }))))));
    const page = await openInspector(browser(), hc);
    await expect.poll(() => page.locator('#count').innerText()).toBe('450 stored');
    expect(await walkList(page)).toEqual([...sent].sort().reverse());
  });

  it('a hostile body stays text: <script>, <img onerror> and text/html run nothing', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const ids = [
      await deliver(
        hc,
        JSON.stringify({ jobId: '<img src=x onerror="window.pwned=1">', html: '<script>window.pwned=2</script>', tag: '<img src=x onerror=window.pwned=3>' }),
      ),
      await deliver(
        hc,
        '<html><body><script>window.pwned=4</script><img src=x onerror="window.pwned=5"><iframe src="javascript:window.parent.pwned=6"></iframe></body></html>',
        {
          type: 'text/html',
          path: '/webhook/%3Cscript%3Ewindow.pwned=7%3C/script%3E',
          headers: { 'X-Evil': '<img src=x onerror=window.pwned=8>' },
        },
      ),
    ];
    for (const id of ids) {
      await row(page, id).click();
      await page.locator(`#detail[data-shown="${id}"] .body-view`).waitFor(SHOWN);
      for (const tab of ['JSON tree', 'Raw', 'Hex']) {
        const button = page.getByRole('tab', { name: tab });
        if (await button.count()) await button.click();
      }
    }
    await page.getByRole('tab', { name: 'Raw' }).click();
    expect(await page.locator('pre.raw').textContent()).toContain('<script>window.pwned=4</script>');
    expect(await page.locator('table.headers').innerText()).toContain('<img src=x onerror=window.pwned=8>');
    expect(await page.evaluate(() => typeof (window as any).pwned)).toBe('undefined');
    expect(await page.locator('main script, main img, main iframe').count()).toBe(0);
    expect(page.dialogs).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it('a page on another origin cannot open /ws (cross-site WebSocket hijacking)', async () => {
    const hc = await startHookCatch();
    const evil = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(`<script>
        const ws = new WebSocket('ws://127.0.0.1:${hc.inspectorPort}/ws');
        window.result = new Promise((resolve) => {
          ws.onopen = () => resolve('open');
          ws.onmessage = (m) => resolve('message ' + m.data);
          ws.onerror = () => resolve('error');
          ws.onclose = () => resolve('closed');
        });
      </script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    later(() => new Promise((resolve) => evil.close(resolve)));
    const context = await browser().newContext();
    later(() => context.close());
    const page = await context.newPage();
    // Another port is another origin, even on this machine (a page from the internet is the same case).
    await page.goto(`http://localhost:${(evil.address() as { port: number }).port}/`);
    expect(await page.evaluate(() => (window as any).result)).toBe('error');
    const status = json(await send(`${hc.inspectorUrl}/api/status`));
    expect(status.stream.clients).toBe(0);
  });

  it('shows the public URL and the tunnel state live', async () => {
    let onStatus: ((s: TunnelStatus) => void) | undefined;
    const openTunnel: OpenTunnel = async (options) => {
      onStatus = options.onStatus;
      return { url: 'https://page-test.ngrok-free.app', close: async () => undefined };
    };
    const hc = await startHookCatch({ tunnel: true, authtoken: 'tok', openTunnel });
    const page = await openInspector(browser(), hc);
    await expect.poll(() => page.locator('[data-url=public] .url-value').innerText()).toBe('https://page-test.ngrok-free.app/webhook');
    await expect.poll(() => page.locator('[data-state=tunnel]').innerText()).toBe('tunnel: connected');
    onStatus!('closed');
    await expect.poll(() => page.locator('[data-state=tunnel]').innerText()).toBe('tunnel: reconnecting');
    onStatus!('connected');
    await expect.poll(() => page.locator('[data-state=tunnel]').innerText()).toBe('tunnel: connected');
  });
});
