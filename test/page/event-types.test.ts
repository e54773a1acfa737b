import { describe, expect, it } from 'vitest';
import { startHookCatch } from '../helpers/index.js';
import { deliver, openInspector, row, rowIds, SCREENS, SHOWN, useBrowser } from '../helpers/page.js';

const browser = useBrowser();

const issue = (action: string, n: number) => JSON.stringify({ action, issue: { number: n } });
const stripe = (type: string) => JSON.stringify({ id: 'evt_1', type, data: { object: {} } });

describe('event types on the inspector page', { timeout: 120_000 }, () => {
  it('each row shows its event type; the event filter lists the types by provider with counts and filters the list, live too', async () => {
    const hc = await startHookCatch();
    const opened = await deliver(hc, issue('opened', 1), { headers: { 'X-GitHub-Event': 'issues' } });
    const opened2 = await deliver(hc, issue('opened', 2), { headers: { 'X-GitHub-Event': 'issues' } });
    const closed = await deliver(hc, issue('closed', 1), { headers: { 'X-GitHub-Event': 'issues' } });
    const paid = await deliver(hc, stripe('invoice.paid'), { headers: { 'Stripe-Signature': 't=1,v1=0' } });
    const plain = await deliver(hc, '{"hello":"world"}');
    const page = await openInspector(browser(), hc);

    const badge = row(page, opened).locator('.badge.event');
    await badge.waitFor(SHOWN);
    expect(await badge.innerText()).toBe('issues.opened');
    expect(await badge.getAttribute('title')).toBe('github event issues.opened, from header X-GitHub-Event + body.action');
    expect(await row(page, plain).locator('.badge.event').count()).toBe(0);

    const select = page.locator('#event');
    await expect
      .poll(() => select.locator('optgroup').evaluateAll((gs) => gs.map((g) => (g as HTMLOptGroupElement).label)), SHOWN)
      .toEqual(['github', 'stripe']);
    const options = await select.locator('optgroup[label=github] option').allInnerTexts();
    expect(options).toEqual(['issues.opened (2)', 'issues.closed (1)']);

    await select.selectOption('issues.opened');
    await expect.poll(() => rowIds(page), SHOWN).toEqual([opened2, opened]);
    expect(await page.locator('#count').innerText()).toMatch(/^2 matching/);

    // A new capture of the chosen type joins the list as it arrives; another type stays out.
    const live = await deliver(hc, issue('opened', 3), { headers: { 'X-GitHub-Event': 'issues' } });
    await deliver(hc, stripe('invoice.paid'), { headers: { 'Stripe-Signature': 't=1,v1=0' } });
    await expect.poll(() => rowIds(page), SHOWN).toEqual([live, opened2, opened]);
    // A type never seen before is offered once it arrives.
    await deliver(hc, issue('reopened', 1), { headers: { 'X-GitHub-Event': 'issues' } });
    await expect.poll(() => select.locator('option[value="issues.reopened"]').count(), SHOWN).toBe(1);

    await row(page, live).click();
    const detail = page.locator(`#detail[data-shown="${live}"]`);
    await detail.waitFor(SHOWN);
    await expect.poll(() => detail.innerText(), SHOWN).toMatch(/Event\s+issues\.opened github · from header X-GitHub-Event \+ body\.action/);

    await select.selectOption('');
    await expect.poll(async () => (await rowIds(page)).length, SHOWN).toBe(8);
    expect(await rowIds(page)).toContain(closed);
    expect(await rowIds(page)).toContain(paid);
    expect(page.errors).toEqual([]);
  });

  it('the toolbar keeps to one line with the event filter, at 1024×768 and 1440×900', async () => {
    const hc = await startHookCatch();
    await deliver(hc, stripe('customer.subscription.trial_will_end'), { headers: { 'Stripe-Signature': 't=1,v1=0' } });
    for (const viewport of SCREENS.slice(0, 2)) {
      const page = await openInspector(browser(), hc, undefined, viewport);
      const select = page.locator('#event');
      await expect.poll(() => select.locator('option').count(), SHOWN).toBe(2);
      const box = await select.boundingBox();
      const toolbar = await page.locator('#filters').boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(toolbar!.y + toolbar!.height);
      expect(box!.width).toBeGreaterThan(60);
      expect(await page.locator('#filters').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    }
  });
});
