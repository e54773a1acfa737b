import { describe, expect, it } from 'vitest';
import { send, startHookCatch } from '../helpers/index.js';
import { openInspector, row, SHOWN, useBrowser } from '../helpers/page.js';
import { deliverWithRetries } from '../helpers/retrying-sender.js';

const browser = useBrowser();

// The worst-day rules on the page: added in the Rules panel, and what they did to a provider's
// retries shown on the request list, the request's detail and the job's timeline.

describe("a provider's worst days on the inspector page", { timeout: 120_000 }, () => {
  it('the Rules panel adds a drop-first rule and a throttle; the dropped and the throttled deliveries read so in the list, the detail and the job view', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    await page.locator('#rules-toggle').click();
    const panel = page.locator('#rules');

    await panel.getByLabel('rule path prefix').fill('/drop');
    await panel.getByLabel('rule fail first').fill('1');
    await panel.getByLabel('rule drop').check();
    await panel.getByRole('button', { name: 'Add rule' }).click();
    await panel.locator('li[data-rule=r1]').waitFor(SHOWN);
    expect(await panel.locator('li[data-rule=r1]').innerText()).toContain(
      '/drop → 200 · usual JSON body · first delivery of each job connection dropped, no answer',
    );

    await panel.getByLabel('rule path prefix').fill('/slow');
    await panel.getByLabel('rule throttle').fill('429:1m');
    await panel.getByRole('button', { name: 'Add rule' }).click();
    await panel.locator('li[data-rule=r2]').waitFor(SHOWN);
    expect(await panel.locator('li[data-rule=r2]').innerText()).toContain('/slow → 200 · usual JSON body · 429 with Retry-After for the first 1 min');
    expect(hc.rules.list().map((r) => [r.id, r.drop, r.throttle])).toEqual([
      ['r1', true, null],
      ['r2', false, { status: 429, ms: 60_000 }],
    ]);

    // A bad value is said in plain words under the form.
    await panel.getByLabel('rule throttle').fill('418:1s');
    await panel.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => panel.getByRole('alert').innerText(), SHOWN).toBe('A throttle answers 429 or 503; got 418.');
    await panel.getByLabel('rule throttle').fill('');

    const sent = await deliverWithRetries(`${hc.receiverUrl}/drop`, JSON.stringify({ jobId: 'pg-1', status: 'Completed' }));
    expect(sent.attempts.map((a) => a.outcome)).toEqual(['closed', 'answered']);
    // Newest first: the dropped one is the older of the two.
    const dropped = (await hc.store.list({ limit: 10 })).items.at(-1);
    const droppedRow = row(page, dropped!.id);
    await droppedRow.waitFor(SHOWN);
    expect(await droppedRow.locator('.c-status').innerText()).toBe('dropped');
    expect(await droppedRow.locator('.c-badges .badge:not(.event)').innerText()).toBe('not acknowledged');

    const throttled = await send(`${hc.receiverUrl}/slow`, { method: 'POST', body: JSON.stringify({ jobId: 'pg-1', status: 'Completed' }) });
    expect(throttled.status).toBe(429);
    const throttledId = throttled.headers['x-hook-catch-id'] as string;
    await expect
      .poll(
        () =>
          row(page, throttledId)
            .locator('.c-status')
            .innerText()
            .catch(() => ''),
        SHOWN,
      )
      .toBe('429');

    await droppedRow.click();
    await expect
      .poll(() => page.locator('#detail').innerText(), SHOWN)
      .toMatch(
        /Answered\s+nothing: dropped, the connection was closed without an answer by rule r1: dropped on purpose \(closed without an answer\), delivery 1 of job pg-1 \(fail-first 1\)/,
      );

    const card = page.locator('.job[data-job="pg-1"]');
    await card.waitFor(SHOWN);
    await card.click();
    const lines = card.locator('.tl-words li.tl-event');
    await expect.poll(() => lines.count(), SHOWN).toBe(3);
    expect(await lines.nth(0).innerText()).toMatch(
      /^delivery 1: Completed .* · POST \/drop · no answer: dropped, refused: not acknowledged · .* · rule r1: dropped on purpose/,
    );
    expect(await lines.nth(0).getAttribute('class')).toContain('unanswered dropped');
    expect(await lines.nth(1).innerText()).toMatch(/· answered 200 · .* · rule r1: 200 OK diff with previous$/);
    expect(await lines.nth(2).innerText()).toMatch(
      /· answered 429, refused: not acknowledged · .* · rule r2: 429 Too Many Requests on purpose, Retry-After 60 \(throttle 429:1m\) diff with previous$/,
    );
    expect(await card.locator('.job-info').innerText()).toMatch(/3 deliveries · 2 refused \(no answer, 429\)/);
    expect(page.errors).toEqual([]);
  });

  it('a hung capture is marked hung in the list the moment it is stored, while its sender still waits', async () => {
    const hc = await startHookCatch({ rules: [{ hangMs: 600_000, path: '/hang' }] });
    const page = await openInspector(browser(), hc);
    const waiting = deliverWithRetries(`${hc.receiverUrl}/hang`, '{"jobId":"pg-2"}', { timeoutMs: 600_000, maxAttempts: 1 });
    await expect.poll(() => hc.store.count, SHOWN).toBe(1);
    const [hung] = (await hc.store.list({ limit: 1 })).items;
    await expect
      .poll(
        () =>
          row(page, hung!.id)
            .locator('.c-status')
            .innerText()
            .catch(() => ''),
        SHOWN,
      )
      .toBe('hung');
    expect(await page.locator('#rules-toggle').innerText()).toBe('Rules (1)');
    await page.locator('#rules-toggle').click();
    expect(await page.locator('#rules li[data-rule=r1]').innerText()).toContain('/hang → no answer, closed after 10 min · from start flags');
    await hc.close();
    expect((await waiting).attempts).toEqual([{ outcome: 'closed' }]);
    expect(page.errors).toEqual([]);
  });
});
