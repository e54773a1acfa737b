import { describe, expect, it } from 'vitest';
import { startHookCatch } from '../helpers/index.js';
import { deliver, openInspector, row, SHOWN, useBrowser } from '../helpers/page.js';

const browser = useBrowser();

const order = (fields: object) => JSON.stringify({ type: 'order.paid', ...fields });

describe('payload drift on the inspector page', { timeout: 120_000 }, () => {
  it('a capture that drifted gets a drift badge on its row as the drift is found, and a Drift row in its detail naming the fields', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const plain: string[] = [];
    for (let i = 1; i <= 3; i++) plain.push(await deliver(hc, order({ order: { id: i, total: 12 } })));
    const drifted = await deliver(hc, order({ order: { id: '4', total: 12, coupon: 'X' } }));

    // The row came by the live stream before its drift was found: the badge comes with the later `analysis` message.
    const badge = row(page, drifted).locator('.badge.drift');
    await badge.waitFor(SHOWN);
    expect(await badge.innerText()).toBe('drift');
    expect(await badge.getAttribute('title')).toBe('payload drift from earlier order.paid captures: type order.id: integer → string; new field order.coupon');
    for (const id of plain) await row(page, id).waitFor(SHOWN);
    expect(await page.locator('.row .badge.drift').count()).toBe(1);

    await row(page, drifted).click();
    const detail = page.locator(`#detail[data-shown="${drifted}"]`);
    await detail.waitFor(SHOWN);
    const changes = detail.locator('.meta .drift-changes li');
    await changes.first().waitFor(SHOWN);
    expect(await changes.allInnerTexts()).toEqual(['type order.id: integer → string', 'new field order.coupon']);
    // A capture without drift has no Drift row.
    await row(page, plain[0]!).click();
    await page.locator(`#detail[data-shown="${plain[0]}"]`).waitFor(SHOWN);
    expect(await page.locator('#detail .meta dt', { hasText: 'Drift' }).isVisible()).toBe(false);

    // Loaded again: the badge comes with the list (the drift is kept beside the capture).
    await page.reload();
    await row(page, drifted).locator('.badge.drift').waitFor(SHOWN);
    expect(page.errors).toEqual([]);
  });
});
