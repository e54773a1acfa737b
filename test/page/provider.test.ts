import { describe, expect, it } from 'vitest';
import { later, startHookCatch } from '../helpers/index.js';
import { openInspector, SHOWN, useBrowser } from '../helpers/page.js';
import { seedApp } from '../helpers/seed-app.js';
import { seedProvider } from '../helpers/seed-providers.js';

// A job recorded through the provider port, on the page: its timeline reads as the conversation
// (submit, status call, both webhook attempts, the end), each entry opens its request, and a call's
// detail shows the provider's answer below the app's request. Provider and app are local fakes.

const browser = useBrowser();

describe('a job through the provider port on the inspector page, in a real browser', { timeout: 120_000 }, () => {
  it("the job's timeline in words and as a picture; an entry opens its call, with the provider's answer", async () => {
    // The first webhook is answered 500 (refused): the fake provider sends it again 50 ms later.
    const provider = await seedProvider('ai', { backoffMs: [50] });
    later(() => provider.close());
    const hc = await startHookCatch({ provider: provider.url, providerPort: 0, rewriteWebhookUrl: true, rules: [{ failFirst: 1 }] });
    const page = await openInspector(browser(), hc);
    const app = await seedApp('ai', { apiBase: hc.providerUrl! });
    later(() => app.close());
    const jobId = (await app.submit()).jobId!;
    await app.poll(jobId);
    await provider.complete(jobId, 'success');
    await app.waitForWebhooks(1);

    // A submitted job counts as registered: it is on the board by its state, not as "not expected".
    const card = page.locator(`.job-section[data-section=completed] .job[data-job="${jobId}"]`);
    await card.waitFor(SHOWN);
    const job = hc.jobs.get(jobId)!;
    const [submit, poll] = job.deliveries.map((d) => d.requestId);
    // The picture: the submit is the start's square (it opens the submit), the status call a ring, two webhook dots.
    expect(await card.locator('rect.tl-registered').getAttribute('data-request')).toBe(submit);
    expect(await card.locator('circle.tl-poll').getAttribute('data-request')).toBe(poll);
    expect(await card.locator('circle.tl-delivery').count()).toBe(2);

    await card.click();
    // The list marks the app's calls to its provider.
    await expect.poll(() => page.locator(`.row[data-id="${submit}"] .c-method`).innerText(), SHOWN).toBe('→POST');
    expect(await page.locator(`.row[data-id="${poll}"] .c-method`).getAttribute('title')).toMatch(
      /^your app's call to http:\/\/127\.0\.0\.1:\d+ \(status of job \S+\), answered in \d+ ms$/,
    );
    await expect.poll(() => card.locator('.tl-words li').count(), SHOWN).toBe(5);
    const words = await card.locator('.tl-words li').allInnerTexts();
    expect(words[0]).toMatch(
      /^submitted: POST \/ai\/v1\/transcribe → 200 · \+0 ms · job id in body\.jobId · webhook URL http:\/\/127\.0\.0\.1:\d+\/hooks\/ai, given to the provider as http:\/\/127\.0\.0\.1:\d+\/hooks\/ai$/,
    );
    expect(words[1]).toMatch(new RegExp(`^polled: GET /ai/status/v1/jobs/${jobId.slice(0, 20)}\\S* → 200 InProgress · \\+\\d+ ms$`));
    expect(words[2]).toMatch(
      /^delivery 1: Success \(completed\) · POST \/hooks\/ai · answered 500, refused: not acknowledged · \+\S+ m?s · found in body\.jobId · rule r1: 500 on purpose, delivery 1 of job \S+ \(fail-first 1\)$/,
    );
    expect(words[3]).toMatch(
      /^delivery 2: Success \(completed\) · duplicate, attempt 2, identical body · POST \/hooks\/ai · answered 200 · \+\S+ m?s · found in body\.jobId · rule r1: 200 OK diff with previous$/,
    );
    expect(words[4]).toMatch(/^completed at [\d:.]+ · \+\S+ m?s$/);

    // An entry opens its request; the job stays selected.
    await card.locator('.tl-words li').nth(0).click();
    const detail = page.locator('#detail');
    await expect.poll(() => detail.getAttribute('data-shown'), SHOWN).toBe(submit);
    expect(await card.getAttribute('aria-pressed')).toBe('true');
    expect(await detail.locator('.request-line').innerText()).toMatch(/^→ POST \/ai\/v1\/transcribe\?webhook=/);
    const meta = await detail.locator('.meta').innerText();
    expect(meta).toMatch(/Provider answered\s+200 OK in \d+ ms/);
    expect(meta).toMatch(new RegExp(`Call\\s+submit of job ${jobId} \\(job id in body\\.jobId\\) · to ${provider.url}`));
    expect(meta).toMatch(
      /Webhook URL\s+http:\/\/127\.0\.0\.1:\d+\/hooks\/ai \(query\.webhook\), given to the provider as http:\/\/127\.0\.0\.1:\d+\/hooks\/ai/,
    );
    // The app's request (its credential), then the provider's answer below it: status, headers, body.
    expect(await detail.locator('table.headers').innerText()).toContain('Bearer ai_test_key_7f3c');
    const answer = detail.locator('[data-part=answer]');
    expect(await answer.locator('h3').textContent()).toBe("Provider's answer · 200 OK · 48 B");
    expect(await answer.locator('table.answer-headers').innerText()).toMatch(/Content-Type\s+application\/json/);
    expect(await answer.locator('.body-view').innerText()).toContain(jobId);

    await card.locator('.tl-words li').nth(1).click();
    await expect.poll(() => detail.getAttribute('data-shown'), SHOWN).toBe(poll);
    expect(await detail.locator('.meta').innerText()).toMatch(new RegExp(`Call\\s+status call of job ${jobId} · to `));
    expect(await detail.locator('.meta').innerText()).toMatch(/the app's status call · the provider said InProgress/);
    expect(await detail.locator('[data-part=answer] .body-view').innerText()).toContain('InProgress');

    // The same from the API after a reload (the stream built it above; the page dates a status change
    // by its arrival, the server by the delivery: only the end's time may differ).
    await page.reload();
    await card.click();
    await expect
      .poll(
        () =>
          card
            .locator('.tl-words li')
            .allInnerTexts()
            .then((w) => w.slice(0, 4)),
        SHOWN,
      )
      .toEqual(words.slice(0, 4));
    expect(page.errors).toEqual([]);
  });
});
