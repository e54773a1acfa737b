import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TypesAnswer } from '../../src/wire/payload-types.js';
import { json, send, startHookCatch } from '../helpers/index.js';
import { deliver, openInspector, SHOWN, useBrowser, type Viewport } from '../helpers/page.js';

// The page's Types view in a real browser: the payload types of the stored webhooks, in the
// language picked, each event type with its samples, copied whole; laid out at 1024×768 and 1440×900.

const browser = useBrowser();

const box = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
const counts = (page: Page) => page.locator('#types .type-counts li').evaluateAll((els) => els.map((el) => (el as HTMLElement).innerText.replace(/\s+/g, ' ')));

const SCREENS: Viewport[] = [
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
];

describe("the page's Types view, in a real browser", { timeout: 120_000 }, () => {
  for (const screen of SCREENS) {
    it(`${screen.width}×${screen.height}: the types per event type with their samples, in each language, copied; refreshed after a new capture`, async () => {
      const hc = await startHookCatch();
      for (const [n, state] of ['succeeded', 'failed', 'succeeded'].entries()) {
        await deliver(hc, JSON.stringify({ type: 'payment.settled', data: { id: `p${n}`, state, ...(n === 1 && { reason: 'card_declined' }) } }));
      }
      await deliver(hc, JSON.stringify({ action: 'opened', issue: { number: 1 } }), { headers: { 'X-GitHub-Event': 'issues' } });
      const page = await openInspector(browser(), hc, undefined, screen);

      await page.locator('#types-toggle').click();
      await expect.poll(() => counts(page), SHOWN).toEqual(['payment.settled 3 samples', 'issues.opened 1 sample']);
      const code = page.locator('#types pre.types-code');
      expect(await code.innerText()).toContain('export interface PaymentSettled {');
      expect(await code.innerText()).toMatch(/state: "failed" \| "succeeded";\n\s+reason\?: string;/);
      expect(await page.locator('#types .note').innerText()).toBe('One type per event type, inferred from 4 stored webhooks.');

      // In view: the panel, its code (tall enough to read) and the whole toolbar; the page itself does not scroll.
      const panel = await box(page, '#types');
      expect(panel.bottom).toBeLessThanOrEqual(screen.height);
      expect((await box(page, '#types pre.types-code')).height).toBeGreaterThan(screen.height * 0.2);
      expect((await box(page, '#clear')).right).toBeLessThanOrEqual(screen.width);
      expect(await page.evaluate(() => [document.documentElement.scrollHeight - innerHeight, document.documentElement.scrollWidth - innerWidth])).toEqual([
        0, 0,
      ]);

      await page.locator('#types [data-lang="zod"]').click();
      await expect.poll(() => code.innerText(), SHOWN).toContain("import { z } from 'zod';");
      expect(await page.locator('#types [data-lang="zod"]').getAttribute('aria-checked')).toBe('true');
      await page.locator('#types [data-action="copy-types"]').click();
      const zod = json<TypesAnswer>(await send(`${hc.inspectorUrl}/api/types?lang=zod`)).text;
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), SHOWN).toBe(zod);

      await page.locator('#types [data-lang="json-schema"]').click();
      await expect.poll(() => code.innerText(), SHOWN).toContain('"$schema"');
      expect(Object.keys(JSON.parse(await code.innerText())['x-hook-catch-events'])).toEqual(['payment.settled', 'issues.opened']);

      await deliver(hc, JSON.stringify({ type: 'payment.settled', data: { id: 'p9', state: 'failed' } }));
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect.poll(() => counts(page), SHOWN).toEqual(['payment.settled 4 samples', 'issues.opened 1 sample']);
      expect(page.errors).toEqual([]);
    });
  }

  it('says so when no stored webhook has a payload yet, with nothing to copy', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    await page.locator('#types-toggle').click();
    await expect
      .poll(() => page.locator('#types .note').innerText(), SHOWN)
      .toBe('No stored webhook has a JSON body yet: the types appear once some have come.');
    expect(await page.locator('#types [data-action="copy-types"]').isDisabled()).toBe(true);
    expect(await page.locator('#types pre.types-code').isHidden()).toBe(true);
    expect(page.errors).toEqual([]);
  });
});
