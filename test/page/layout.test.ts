import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startHookCatch } from '../helpers/index.js';
import { deliver, openInspector, row, rowIds, SCREENS, SHOWN, useBrowser, type Viewport } from '../helpers/page.js';
import { recordingApp } from '../helpers/recording-app.js';

const browser = useBrowser();

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

/** Where an element is drawn, in viewport pixels. */
function box(page: Page, selector: string): Promise<Box> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
    });
}

/** The list and the selected request's detail: beside each other, both in view, the detail's top showing. */
async function expectSideBySide(page: Page, screen: Viewport, minDetailShare = 0.6): Promise<void> {
  const list = await box(page, '#list');
  const detail = await box(page, '#detail');
  const head = await box(page, '#detail .detail-head');
  expect(detail.left).toBeGreaterThanOrEqual(list.right - 2);
  expect(detail.top).toBeLessThan(list.bottom);
  expect(list.top).toBeLessThan(detail.bottom);
  for (const b of [list, detail]) {
    expect(b.left).toBeGreaterThanOrEqual(0);
    expect(b.top).toBeGreaterThanOrEqual(0);
    expect(b.right).toBeLessThanOrEqual(screen.width + 0.5);
    expect(b.bottom).toBeLessThanOrEqual(screen.height + 0.5);
  }
  expect(detail.height).toBeGreaterThanOrEqual(minDetailShare * screen.height);
  expect(list.width).toBeGreaterThanOrEqual(300);
  expect(head.top).toBeGreaterThanOrEqual(detail.top - 0.5);
  expect(head.bottom).toBeLessThanOrEqual(screen.height);
}

/** How many rows are wholly in the list's view. */
function rowsInView(page: Page): Promise<number> {
  return page.locator('#list').evaluate((list) => {
    const view = list.getBoundingClientRect();
    return [...list.querySelectorAll('.row')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= view.top - 1 && b.bottom <= view.bottom + 1 && b.bottom <= innerHeight;
    }).length;
  });
}

/** The page itself never scrolls: each pane scrolls within itself. */
async function expectNoPageScroll(page: Page): Promise<void> {
  const page_ = await page.evaluate(() => ({
    scrollY,
    tall: document.documentElement.scrollHeight - innerHeight,
    wide: document.documentElement.scrollWidth - innerWidth,
  }));
  expect(page_).toEqual({ scrollY: 0, tall: 0, wide: 0 });
}

/** Words (up to 24 characters: not ids or hashes, which may wrap) inside `selector` that the layout split over two lines. */
function brokenWords(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((els) => {
    const broken: string[] = [];
    for (const el of els) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.textContent!.matchAll(/\S+/g)) {
          if (m[0].length > 24) continue;
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
          if (lines.size > 1) broken.push(m[0]);
        }
      }
    }
    return broken;
  });
}

/** How far apart (in px) the vertical centers of the toolbar's visible parts are, and whether any sticks out of it. */
function toolbarSpread(page: Page): Promise<{ spread: number; outside: string[]; height: number }> {
  return page.locator('#filters').evaluate((bar) => {
    const b = bar.getBoundingClientRect();
    const parts = [...bar.children].filter((c) => c.getClientRects().length > 0) as HTMLElement[];
    const centers = parts.map((c) => {
      const r = c.getBoundingClientRect();
      return r.top + r.height / 2;
    });
    const outside = parts.filter((c) => {
      const r = c.getBoundingClientRect();
      return r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.right > innerWidth;
    });
    return { spread: Math.max(...centers) - Math.min(...centers), outside: outside.map((c) => c.id || c.className), height: b.height };
  });
}

/** For each badge of a row that shows at all: whether it shows whole inside the path cell, left of the status. */
function rowBadges(page: Page, id: string) {
  return row(page, id).evaluate((r) => {
    const cell = r.querySelector('.c-path')!.getBoundingClientRect();
    const status = r.querySelector('.c-status')!.getBoundingClientRect();
    const text = r.querySelector('.path-text') as HTMLElement;
    const badges = [...r.querySelectorAll<HTMLElement>('.badge')].map((badge) => {
      const b = badge.getBoundingClientRect();
      const seen = document.elementFromPoint(b.left + 3, b.top + b.height / 2);
      const shows = seen !== null && badge.contains(seen);
      return { text: badge.innerText, shows, whole: b.left >= cell.left - 0.5 && b.right <= cell.right + 0.5 };
    });
    return {
      cellRight: cell.right,
      statusLeft: status.left,
      pathShown: text.getBoundingClientRect().width,
      pathWanted: Math.min(text.scrollWidth, 0.5 * cell.width - 3),
      badges,
    };
  });
}

const SECRET = 's3cret';
const githubSignature = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const JOB = 'a919924e-ce4e-11ed-9d6c-0050569a11b3';

describe('the inspector page at 1024×768, 1440×900 and 1920×1080', { timeout: 120_000 }, () => {
  for (const screen of SCREENS) {
    const size = `${screen.width}×${screen.height}`;

    it(`${size}: the detail opens beside the list, in view; with Rules open the list keeps its rows; the page never scrolls`, async () => {
      const hc = await startHookCatch();
      const page = await openInspector(browser(), hc, undefined, screen);
      await Promise.all(Array.from({ length: 40 }, (_, n) => deliver(hc, JSON.stringify({ n, status: 'ok' }))));
      await expect.poll(() => page.locator('#count').innerText()).toBe('40 stored');
      const ids = await rowIds(page);
      await row(page, ids[0]!).click();
      await page.locator(`#detail[data-shown="${ids[0]}"] .detail-head`).waitFor(SHOWN);
      await expectSideBySide(page, screen);
      expect(await rowsInView(page)).toBeGreaterThanOrEqual(12);
      await expectNoPageScroll(page);

      // Moving through the list with the keys keeps everything where it is.
      const detailBefore = await box(page, '#detail');
      for (let i = 0; i < 5; i++) await page.keyboard.press('j');
      await page.locator(`#detail[data-shown="${ids[5]}"] .detail-head`).waitFor(SHOWN);
      expect(await box(page, '#detail')).toEqual(detailBefore);
      await expectNoPageScroll(page);

      await page.locator('#rules-toggle').click();
      await page.locator('#rules form').waitFor(SHOWN);
      const rules = await box(page, '#rules');
      expect(rules.top).toBeGreaterThanOrEqual(0);
      expect(rules.bottom).toBeLessThanOrEqual(screen.height);
      expect(await rowsInView(page)).toBeGreaterThanOrEqual(10);
      await expectSideBySide(page, screen, 0.45);
      await expectNoPageScroll(page);
      expect(page.errors).toEqual([]);
    });

    it(`${size}: the jobs panel opens beside the list and collapses (open by default from 1200 px wide), and stays as chosen`, async () => {
      const hc = await startHookCatch();
      await hc.expect(JOB, { label: 'speech-to-text: call 1042' });
      const page = await openInspector(browser(), hc, undefined, screen);
      const id = await deliver(hc, JSON.stringify({ jobId: JOB, status: 'Completed' }));
      await row(page, id).click();
      await page.locator(`#detail[data-shown="${id}"] .detail-head`).waitFor(SHOWN);
      const jobs = page.locator('#jobs');
      const toggle = page.locator('#jobs-toggle');
      const openAtFirst = screen.width >= 1200;
      expect(await jobs.isVisible()).toBe(openAtFirst);
      expect(await toggle.getAttribute('aria-expanded')).toBe(String(openAtFirst));
      const listBefore = await box(page, '#list');
      await toggle.click();
      expect(await jobs.isVisible()).toBe(!openAtFirst);
      expect(await toggle.getAttribute('aria-expanded')).toBe(String(!openAtFirst));
      const listAfter = await box(page, '#list');
      // The panel takes its width from the list's side, and gives it back.
      if (openAtFirst) expect(listAfter.width).toBeGreaterThan(listBefore.width + 150);
      else expect(listAfter.width).toBeLessThan(listBefore.width - 150);
      await expectSideBySide(page, screen);
      if (!openAtFirst) {
        const panel = await box(page, '#jobs');
        expect(panel.left).toBeGreaterThanOrEqual(0);
        expect(panel.right).toBeLessThanOrEqual(listAfter.left + 1);
        expect(panel.bottom).toBeLessThanOrEqual(screen.height + 0.5);
        await page.locator(`.job[data-job="${JOB}"]`).waitFor(SHOWN);
      }
      await expectNoPageScroll(page);

      await page.reload();
      await page.locator('[data-state=stream]', { hasText: 'connected' }).waitFor(SHOWN);
      expect(await jobs.isVisible()).toBe(!openAtFirst);
      expect(page.errors).toEqual([]);
    });

    it(`${size}: one-line toolbar, words whole, badges inside the path cell, the job id readable in full, the hex view's ASCII column in view`, async () => {
      const app = await recordingApp();
      const hc = await startHookCatch({ verify: [{ scheme: 'github', secret: SECRET }], forward: app.url });
      await hc.expect(JOB, { label: 'speech-to-text: call 1042' });
      const page = await openInspector(browser(), hc, undefined, screen);
      const done = JSON.stringify({ jobId: JOB, status: 'Completed', text: 'hello' });
      const path = '/webhooks/github/pull-requests';
      const first = await deliver(hc, done, { path, headers: { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': githubSignature(done) } });
      const retry = await deliver(hc, done, { path, headers: { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': githubSignature(done, 'another') } });
      const bytes = Buffer.concat([Buffer.from('hook-catch binary'), Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 37) % 256))]);
      const binary = await deliver(hc, bytes, { type: 'application/octet-stream' });
      await row(page, retry).locator('.badge.fwd').waitFor(SHOWN);

      // Badges: each one shows whole inside the path cell or not at all (never under the status),
      // and the path keeps what it needs or at least half of its cell (less half the gap).
      for (const id of [first, retry]) {
        const drawn = await rowBadges(page, id);
        expect(drawn.cellRight).toBeLessThanOrEqual(drawn.statusLeft + 0.5);
        expect(drawn.pathShown).toBeGreaterThanOrEqual(drawn.pathWanted - 1);
        expect(drawn.badges.filter((b) => b.shows && !b.whole)).toEqual([]);
        expect(drawn.badges[0]!.shows).toBe(true);
      }

      // The detail: prose and header names are never broken inside a word.
      await row(page, retry).click();
      await page.locator(`#detail[data-shown="${retry}"] table.headers`).waitFor(SHOWN);
      expect(await page.locator('#detail .meta').innerText()).toContain('(duplicate)');
      expect(await brokenWords(page, '#detail .meta')).toEqual([]);
      expect(await brokenWords(page, '#detail .detail-head')).toEqual([]);
      expect(await brokenWords(page, '#detail table.headers td.k')).toEqual([]);
      const signatureName = page.locator('#detail table.headers td.k', { hasText: /^X-Hub-Signature-256$/ });
      expect(
        await signatureName.evaluate((td) => {
          const range = document.createRange();
          range.selectNodeContents(td);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.bottom))).size;
        }),
      ).toBe(1);

      // The job id: whole in the detail (inside the pane), and copied by its button.
      const jobLink = page.locator('#detail .meta a[data-job]');
      expect(await jobLink.innerText()).toBe(JOB);
      const detail = await box(page, '#detail');
      for (const r of await jobLink.evaluate((a) => [...a.getClientRects()].map((b) => ({ left: b.left, right: b.right })))) {
        expect(r.left).toBeGreaterThanOrEqual(detail.left);
        expect(r.right).toBeLessThanOrEqual(detail.right);
      }
      await page.locator('#detail [data-action=copy-job]').click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(JOB);

      // The hex view's ASCII column shows in the detail (scrolled to sideways within the hex view only below 1440 px).
      await row(page, binary).click();
      await page.locator(`#detail[data-shown="${binary}"] pre.hex`).waitFor(SHOWN);
      const hex = await page.locator('pre.hex').evaluate((pre, scroll) => {
        pre.scrollIntoView({ block: 'nearest' });
        if (scroll) pre.scrollLeft = pre.scrollWidth;
        const range = document.createRange();
        range.setStart(pre.firstChild!, 60);
        range.setEnd(pre.firstChild!, 76);
        const a = range.getBoundingClientRect();
        const p = pre.getBoundingClientRect();
        const pane = pre.closest('#detail')!;
        const d = pane.getBoundingClientRect();
        return {
          ascii: range.toString(),
          inPre: a.left >= p.left + pre.clientLeft && a.right <= p.left + pre.clientLeft + pre.clientWidth + 0.5,
          inPane: a.left >= d.left && a.right <= d.right && a.top >= d.top && a.bottom <= d.bottom,
          inView: a.right <= innerWidth && a.bottom <= innerHeight && a.top >= 0,
          paneScrollsSideways: pane.scrollWidth > pane.clientWidth,
        };
      }, screen.width < 1440);
      expect(hex).toEqual({ ascii: 'hook-catch binar', inPre: true, inPane: true, inView: true, paneScrollsSideways: false });

      // The toolbar: one line, all of it in view, also with a job's filter chip in it.
      await row(page, retry).locator('.c-job').click();
      await expect.poll(() => rowIds(page)).toEqual([retry, first]);
      await expect.poll(() => page.locator('#job-chip').isVisible()).toBe(true);
      const bar = await toolbarSpread(page);
      expect(bar.spread).toBeLessThanOrEqual(4);
      expect(bar.outside).toEqual([]);
      expect(bar.height).toBeLessThanOrEqual(48);
      expect(await page.locator('#job-chip').getAttribute('title')).toContain(JOB);
      await expectNoPageScroll(page);

      // ... and whole on its card in the jobs panel (opened where it starts closed); the toolbar stays one line.
      if (await page.locator('#jobs').isHidden()) await page.locator('#jobs-toggle').click();
      const cardId = page.locator(`.job[data-job="${JOB}"] .job-id`);
      await cardId.waitFor(SHOWN);
      expect(await cardId.evaluate((el) => ({ text: el.textContent, clipped: el.scrollWidth > el.clientWidth }))).toEqual({ text: JOB, clipped: false });
      const card = await box(page, `.job[data-job="${JOB}"]`);
      const jobsPane = await box(page, '#jobs');
      expect(card.right).toBeLessThanOrEqual(jobsPane.right);

      expect((await toolbarSpread(page)).spread).toBeLessThanOrEqual(4);
      await expectNoPageScroll(page);
      expect(page.errors).toEqual([]);
    });
  }

  it('when the filters hide the request the detail shows, the detail says so and lets it go', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const a = await deliver(hc, '{"n":1}', { path: '/webhook/a' });
    const b = await deliver(hc, '{"n":2}', { path: '/webhook/b' });
    await row(page, a).click();
    await page.locator(`#detail[data-shown="${a}"]`).waitFor(SHOWN);

    // A filter that still lists it keeps it.
    await page.locator('#path').fill('/webhook/a');
    await expect.poll(() => rowIds(page)).toEqual([a]);
    expect(await page.locator('#detail').getAttribute('data-shown')).toBe(a);

    await page.locator('#path').fill('/webhook/b');
    await expect.poll(() => rowIds(page)).toEqual([b]);
    await expect.poll(() => page.locator('#detail').innerText()).toContain('hidden by the filter');
    expect(await page.locator('#detail').getAttribute('data-shown')).toBeNull();
    expect(await page.locator('.row.selected').count()).toBe(0);
    await page.keyboard.press('Escape'); // leaves the filter field
    await page.keyboard.press('j');
    await page.locator(`#detail[data-shown="${b}"]`).waitFor(SHOWN);
    expect(page.errors).toEqual([]);
  });

  it('the detail resizes: drag its edge or use the arrow keys on it; the list keeps its minimum; the width is remembered', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const id = await deliver(hc, '{"n":1}');
    await row(page, id).click();
    await page.locator(`#detail[data-shown="${id}"]`).waitFor(SHOWN);
    const splitter = page.getByRole('separator', { name: 'resize the detail' });
    const edge = await splitter.boundingBox();
    const before = await box(page, '#detail');
    const listBefore = await box(page, '#list');
    await page.mouse.move(edge!.x + edge!.width / 2, edge!.y + 200);
    await page.mouse.down();
    await page.mouse.move(edge!.x + edge!.width / 2 - 120, edge!.y + 200, { steps: 4 });
    await page.mouse.up();
    const wider = await box(page, '#detail');
    expect(wider.width).toBeGreaterThan(before.width + 110);
    expect(wider.width).toBeLessThan(before.width + 130);
    expect((await box(page, '#list')).width).toBeLessThan(listBefore.width - 110);

    await splitter.focus();
    await page.keyboard.press('ArrowRight');
    expect((await box(page, '#detail')).width).toBeLessThan(wider.width - 10);

    // Dragged far left: the list keeps its minimum width.
    const now = await splitter.boundingBox();
    await page.mouse.move(now!.x + now!.width / 2, now!.y + 200);
    await page.mouse.down();
    await page.mouse.move(10, now!.y + 200, { steps: 4 });
    await page.mouse.up();
    expect((await box(page, '#list')).width).toBeGreaterThanOrEqual(300);
    const widest = await box(page, '#detail');

    await page.reload();
    await page.locator('[data-state=stream]', { hasText: 'connected' }).waitFor(SHOWN);
    expect((await box(page, '#detail')).width).toBeCloseTo(widest.width, 0);
    await expectNoPageScroll(page);
    expect(page.errors).toEqual([]);
  });
});
