import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startHookCatch } from '../helpers/index.js';
import { deliver, openInspector, row, SHOWN, useBrowser, type Viewport } from '../helpers/page.js';

const browser = useBrowser();

/** The diff in the detail fits its pane: nothing runs past its right edge, so nothing needs a sideways scroll. */
async function expectFits(page: Page): Promise<void> {
  const fit = await page.locator('#detail').evaluate((detail) => {
    const pane = detail.getBoundingClientRect();
    const widest = Math.max(
      ...[...detail.querySelectorAll('.diff-side, .diff-table, .diff-text, .diff-verdict')].map((el) => el.getBoundingClientRect().right),
    );
    return { overflow: detail.scrollWidth - detail.clientWidth, widest, right: pane.right, innerWidth };
  });
  expect(fit.overflow).toBeLessThanOrEqual(0);
  expect(fit.widest).toBeLessThanOrEqual(fit.right + 0.5);
  expect(fit.right).toBeLessThanOrEqual(fit.innerWidth + 0.5);
}

const SCREENS: Viewport[] = [
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
];

describe('comparing two requests on the page', { timeout: 120_000 }, () => {
  it.each(SCREENS)('Compare, then a row: the two side by side, each difference at its path (%o); Esc cancels', async (screen) => {
    const hc = await startHookCatch();
    const a = await deliver(hc, JSON.stringify({ jobId: 'j-1', status: 'InProgress', data: { amount: 1200, note: 'x' }, items: [1, 2] }), {
      path: '/webhook/billing',
    });
    const b = await deliver(hc, JSON.stringify({ items: [1, 2, 3], data: { amount: '1500' }, status: 'Completed', jobId: 'j-1' }));
    const page = await openInspector(browser(), hc, undefined, screen);
    await row(page, a).click();
    await page.locator(`#detail[data-shown="${a}"]`).waitFor(SHOWN);
    if (screen.width >= 1440) {
      // Compare takes no room in the actions: they stay on the request line's row (the Export menu opens over a second one).
      const [line, fixture] = await Promise.all(['.request-line', '[data-action=fixture]'].map((s) => page.locator(`#detail ${s}`).boundingBox()));
      expect(fixture!.y).toBeLessThan(line!.y + line!.height);
    }

    // Esc leaves without comparing: the next row picked is shown as usual.
    await page.locator('[data-action=compare]').click();
    await page.locator('#compare-bar').waitFor({ state: 'visible', ...SHOWN });
    expect(await page.locator('#compare-from').innerText()).toBe(a.slice(-6));
    await expect.poll(() => row(page, a).getAttribute('class')).toContain('compared');
    await page.keyboard.press('Escape');
    await page.locator('#compare-bar').waitFor({ state: 'hidden', ...SHOWN });
    await expect.poll(() => row(page, a).getAttribute('class')).not.toContain('compared');
    await row(page, b).click();
    await page.locator(`#detail[data-shown="${b}"]`).waitFor(SHOWN);
    expect(await page.locator('#detail .diff').count()).toBe(0);

    // Compare from b, pick a: the diff of b against a.
    await page.locator('[data-action=compare]').click();
    await row(page, a).click();
    const diff = page.locator('#detail .diff');
    await diff.waitFor(SHOWN);
    expect(await page.locator('#compare-bar').isHidden()).toBe(true);
    expect(await diff.locator('.diff-side[data-side=a]').innerText()).toContain(b.slice(-6));
    expect(await diff.locator('.diff-side[data-side=b]').innerText()).toContain(a.slice(-6));
    expect(await diff.locator('.diff-body .diff-verdict').innerText()).toBe('4 differences: 2 changed, 1 added, 1 removed');
    const rows = await diff
      .locator('.diff-body tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText)));
    // In A's key order; B's own keys after A's.
    expect(rows).toEqual([
      ['items', '3 items', '2 items'],
      ['items[2]', '3', '—'],
      ['data.amount', 'string "1500"', 'number 1200'],
      ['data.note', '—', '"x"'],
      ['status', '"Completed"', '"InProgress"'],
    ]);
    // The headers apart: here only the Content-Length differs.
    expect(await diff.locator('.diff-headers tbody tr').count()).toBe(1);
    expect(await diff.locator('.diff-headers td.k').innerText()).toBe('headers["content-length"]');
    await expectFits(page);

    // Close goes back to the request shown before.
    await diff.locator('[data-action=close-diff]').click();
    await page.locator(`#detail[data-shown="${b}"]`).waitFor(SHOWN);
    expect(page.errors).toEqual([]);
  });

  it("a job's timeline: each delivery after the first diffs with the previous; a duplicate says identical body and shows the headers that changed", async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const completed = JSON.stringify({ jobId: 'job-8', status: 'Completed', text: 'hi' });
    const first = await deliver(hc, JSON.stringify({ jobId: 'job-8', status: 'InProgress' }));
    const done = await deliver(hc, completed, { headers: { 'X-Attempt': '1' } });
    const retry = await deliver(hc, completed, { headers: { 'X-Attempt': '2' } });
    // A late retry of the first body: its diff is with that first delivery, not with the one just before it.
    await deliver(hc, JSON.stringify({ jobId: 'job-8', status: 'InProgress' }));
    const card = page.locator('.job[data-job="job-8"]');
    await expect.poll(() => card.locator('circle.tl-delivery').count(), SHOWN).toBe(4);
    await card.click();
    const words = card.locator('.tl-words li.tl-event');
    await expect.poll(() => words.count()).toBe(4);
    expect(await words.nth(3).locator('.diff-prev').getAttribute('data-diff-from')).toBe(first);
    // The first has nothing before it; the others name the delivery they are compared with.
    expect(await words.nth(0).locator('.diff-prev').count()).toBe(0);
    expect(await words.nth(1).locator('.diff-prev').getAttribute('data-diff-from')).toBe(first);
    expect(await words.nth(2).innerText()).toContain('duplicate, attempt 2, identical body');
    expect(await words.nth(2).locator('.diff-prev').getAttribute('data-diff-from')).toBe(done);

    await words.nth(2).locator('.diff-prev').click();
    const diff = page.locator('#detail .diff');
    await diff.waitFor(SHOWN);
    expect(await diff.locator('.diff-side[data-side=b]').innerText()).toContain(retry.slice(-6));
    expect(await diff.locator('.diff-body .diff-verdict').innerText()).toBe('identical body');
    expect(await diff.locator('.diff-headers .diff-verdict').innerText()).toBe('1 header difference: 1 changed');
    expect(
      await diff
        .locator('.diff-headers tbody tr')
        .first()
        .evaluate((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText)),
    ).toEqual(['headers["x-attempt"]', '"1"', '"2"']);

    // The job stays selected (the click was the button's, not the card's), and the second delivery diffs with the first.
    expect(await card.getAttribute('aria-pressed')).toBe('true');
    await words.nth(1).locator('.diff-prev').click();
    await expect.poll(() => diff.locator('.diff-side[data-side=a]').innerText()).toContain(first.slice(-6));
    await expect.poll(() => diff.locator('.diff-body [data-path=status] .d-new').innerText()).toBe('"Completed"');
    expect(page.errors).toEqual([]);
  });
});
