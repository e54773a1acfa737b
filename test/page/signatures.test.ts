import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startHookCatch } from '../helpers/index.js';
import { deliver, openDetail, openInspector, row, SHOWN, useBrowser } from '../helpers/page.js';
import { recordingApp } from '../helpers/recording-app.js';

const browser = useBrowser();

const SECRET = 's3cret';
/** GitHub's signature: `sha256=` and the hex HMAC-SHA256 of the body with the webhook secret. */
const githubSignature = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const pullRequest = JSON.stringify({ action: 'opened', number: 7, pull_request: { title: 'Verify signatures' } });

/** The badge of a row, once it is drawn: its text and its title. */
async function badgeOf(page: Page, id: string): Promise<{ text: string; title: string | null }> {
  const badge = row(page, id).locator('.badge.sig');
  await badge.waitFor(SHOWN);
  return { text: await badge.innerText(), title: await badge.getAttribute('title') };
}

describe('signature verdicts on the inspector page', { timeout: 120_000 }, () => {
  it('start --verify github: each row has its badge (✓ valid, ✗ invalid with why), the detail says the verdict and the reason in full', async () => {
    const hc = await startHookCatch({ verify: [{ scheme: 'github', secret: SECRET }] });
    const page = await openInspector(browser(), hc);
    const valid = await deliver(hc, pullRequest, { headers: { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': githubSignature(pullRequest) } });
    const wrong = await deliver(hc, pullRequest, {
      headers: { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': githubSignature(pullRequest, 'another') },
    });
    const unsigned = await deliver(hc, pullRequest, { headers: { 'X-GitHub-Event': 'pull_request' } });

    expect(await badgeOf(page, valid)).toEqual({ text: '✓ github', title: 'signature valid · github' });
    const invalid = await badgeOf(page, wrong);
    expect(invalid.text).toBe('✗ github');
    expect(invalid.title).toBe('signature invalid · github: signed with another secret, or the body differs from what was signed');
    const missing = await badgeOf(page, unsigned);
    expect(missing.text).toBe('✗ github');
    expect(missing.title).toBe('signature invalid · github: signature header missing (X-Hub-Signature-256)');
    // Colors: green for valid, red for invalid; rows keep their height (the list is virtualized).
    expect(
      await row(page, valid)
        .locator('.badge.sig')
        .evaluate((el) => el.classList.contains('valid')),
    ).toBe(true);
    expect(
      await row(page, wrong)
        .locator('.badge.sig')
        .evaluate((el) => el.classList.contains('invalid')),
    ).toBe(true);
    const heights = await page.locator('.row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).offsetHeight));
    expect(new Set(heights).size).toBe(1);

    const detail = await openDetail(page, wrong);
    const line = detail.locator('.meta .sig-verdict');
    await line.waitFor(SHOWN);
    expect(await line.getAttribute('data-verdict')).toBe('invalid');
    expect(await line.locator('.sig-words').innerText()).toBe('invalid · github');
    expect(await line.locator('.sig-reason').innerText()).toBe('signed with another secret, or the body differs from what was signed');
    const validDetail = await openDetail(page, valid);
    expect(await validDetail.locator('.meta .sig-words').innerText()).toBe('valid · github');
    expect(page.errors).toEqual([]);
  });

  it('a secret alone (scheme found from the headers): an unsigned request is ? unchecked, a signed one says found from the headers', async () => {
    const hc = await startHookCatch({ verify: [{ secret: SECRET }] });
    const page = await openInspector(browser(), hc);
    const signed = await deliver(hc, pullRequest, { headers: { 'X-Hub-Signature-256': githubSignature(pullRequest) } });
    const unsigned = await deliver(hc, pullRequest);
    expect((await badgeOf(page, signed)).text).toBe('✓ github');
    const unchecked = await badgeOf(page, unsigned);
    expect(unchecked.text).toBe('? unchecked');
    expect(unchecked.title).toMatch(/^signature not checked: no signature header of a known scheme/);
    expect(
      await row(page, unsigned)
        .locator('.badge.sig')
        .evaluate((el) => el.classList.contains('unchecked')),
    ).toBe(true);
    const detail = await openDetail(page, signed);
    expect(await detail.locator('.meta .sig-words').innerText()).toBe('valid · github, found from the headers');
    // No --verify on a path: no badge and no Signature line, but a secret can still be checked.
    const plain = await startHookCatch();
    const other = await openInspector(browser(), plain);
    const id = await deliver(plain, pullRequest, { headers: { 'X-Hub-Signature-256': githubSignature(pullRequest) } });
    await row(other, id).waitFor(SHOWN);
    expect(await row(other, id).locator('.badge.sig').count()).toBe(0);
    const plainDetail = await openDetail(other, id);
    expect(await plainDetail.locator('.meta .sig-verdict').count()).toBe(0);
    expect(await plainDetail.getByLabel('signing secret').isVisible()).toBe(false); // folded: most captures do not need it
    await plainDetail.getByText('Check a secret', { exact: true }).click();
    await plainDetail.getByLabel('signing secret').fill(SECRET);
    await plainDetail.locator('[data-action=check-secret]').click();
    await expect
      .poll(
        () =>
          plainDetail
            .locator('.sig-out .sig-words')
            .innerText()
            .catch(() => ''),
        SHOWN,
      )
      .toBe('valid · github, found from the headers');
    expect(page.errors).toEqual([]);
    expect(other.errors).toEqual([]);
  });

  it('Check a secret: the right one says valid, a wrong one invalid and why; the secret goes in the POST body only; errors show in one line', async () => {
    const hc = await startHookCatch({ verify: [{ scheme: 'github', secret: SECRET }] });
    const page = await openInspector(browser(), hc);
    const id = await deliver(hc, pullRequest, { headers: { 'X-Hub-Signature-256': githubSignature(pullRequest, 'rotated-secret') } });
    await badgeOf(page, id);
    const detail = await openDetail(page, id);
    const form = detail.getByRole('form', { name: 'check a secret' });
    expect(await form.isVisible()).toBe(true); // open for a capture a --verify checked
    expect(await form.getByLabel('signature scheme').inputValue()).toBe('github'); // the capture's scheme
    expect(await form.getByLabel('signing secret').getAttribute('type')).toBe('password');
    expect(await form.getByLabel('signature header').isHidden()).toBe(true); // only for hmac-*
    const out = detail.locator('.sig-out');

    const asked = page.waitForRequest((r) => r.url().endsWith('/verify'), SHOWN);
    await form.getByLabel('signing secret').fill('rotated-secret');
    await form.getByRole('button', { name: 'Check' }).click();
    const request = await asked;
    expect(request.url()).toBe(`${hc.inspectorUrl}/api/requests/${id}/verify`);
    expect(request.method()).toBe('POST');
    expect(request.postDataJSON()).toEqual({ scheme: 'github', secret: 'rotated-secret' });
    await expect
      .poll(
        () =>
          out
            .locator('.sig-verdict')
            .getAttribute('data-verdict')
            .catch(() => null),
        SHOWN,
      )
      .toBe('valid');
    expect(await out.locator('.sig-words').innerText()).toBe('valid · github');

    await form.getByLabel('signing secret').fill(SECRET);
    await form.getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(
        () =>
          out
            .locator('.sig-verdict')
            .getAttribute('data-verdict')
            .catch(() => null),
        SHOWN,
      )
      .toBe('invalid');
    expect(await out.locator('.sig-reason').innerText()).toBe('signed with another secret, or the body differs from what was signed');

    // The secrets typed are nowhere but in the input: not in the page's markup, the URL or storage.
    const kept = await page.evaluate(() =>
      [document.documentElement.outerHTML, location.href, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].join('\n'),
    );
    expect(kept).not.toContain('rotated-secret');
    expect(kept).not.toContain(SECRET);
    // Nothing was stored: the capture keeps the verdict it got when it arrived.
    expect((await hc.store.get(id))!.signature?.verdict).toBe('invalid');

    // What the API refuses comes back as one line under the form.
    await form.getByLabel('signature scheme').selectOption('hmac-sha256');
    await form.getByLabel('signature header').fill('not a header');
    await form.getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(
        () =>
          out
            .getByRole('alert')
            .innerText()
            .catch(() => ''),
        SHOWN,
      )
      .toBe('"not a header" is not a header name.');
    expect(page.errors).toEqual([]);
  });

  it('Edit and replay with Re-sign: the app gets the edited body signed again with the --verify secret; the replay says re-signed (github)', async () => {
    const hc = await startHookCatch({ verify: [{ scheme: 'github', secret: SECRET }] });
    const app = await recordingApp();
    const replayMessages: string[] = [];
    const page = await openInspector(browser(), hc, async (p) => {
      p.on('websocket', (ws) =>
        ws.on('framereceived', ({ payload }) => {
          if (String(payload).includes('"type":"replay"')) replayMessages.push(String(payload));
        }),
      );
    });
    const id = await deliver(hc, pullRequest, { headers: { 'X-GitHub-Event': 'pull_request', 'X-Hub-Signature-256': githubSignature(pullRequest) } });
    await badgeOf(page, id);
    const detail = await openDetail(page, id);
    await detail.locator('[data-action=edit-replay]').click();
    const dialog = page.locator('#replay-dialog');
    await dialog.waitFor(SHOWN);
    const resign = dialog.getByLabel('Re-sign (github)');
    expect(await resign.isChecked()).toBe(false);
    expect(await dialog.locator('.resign .note').innerText()).toMatch(/^sign the body again with this hook-catch's --verify secret, timestamped now/);
    await dialog.getByRole('tab', { name: 'Raw' }).click();
    const edited = JSON.stringify({ action: 'closed', number: 7 });
    await dialog.getByLabel('body').fill(edited);
    await dialog.getByLabel('replay target').fill(app.url);
    await resign.check();
    await dialog.locator('[data-action=send]').click();

    const got = await app.got();
    expect(got.body.toString('utf8')).toBe(edited);
    expect(got.headers.find(([n]) => n.toLowerCase() === 'x-hub-signature-256')?.[1]).toBe(githubSignature(edited));
    const result = dialog.locator('.replay-result[data-status="200"]');
    await result.waitFor(SHOWN);
    expect(await result.locator('.result-line').innerText()).toContain('re-signed (github)');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count(), SHOWN).toBe(0);
    // Marked in the replays, also once the stream announced the same replay (its summary does not say re-signed).
    await expect.poll(() => replayMessages.length, SHOWN).toBe(1);
    const line = detail.locator('ul.replays li[data-resigned=github]');
    await line.waitFor(SHOWN);
    expect(await line.locator('.badge').allInnerTexts()).toEqual(['edited', 're-signed (github)']);
    // And when the capture is shown again, from the stored replay.
    await row(page, id).click();
    await expect
      .poll(
        () =>
          detail
            .locator('ul.replays li[data-resigned=github] .badge.resigned')
            .innerText()
            .catch(() => ''),
        SHOWN,
      )
      .toBe('re-signed (github)');

    // A capture no --verify checked has nothing to re-sign with: no Re-sign in its dialog.
    const plain = await startHookCatch();
    const other = await openInspector(browser(), plain);
    const unsigned = await deliver(plain, pullRequest);
    const plainDetail = await openDetail(other, unsigned);
    await plainDetail.locator('[data-action=edit-replay]').click();
    await other.locator('#replay-dialog').waitFor(SHOWN);
    expect(await other.locator('#replay-dialog .resign').count()).toBe(0);
    expect(page.errors).toEqual([]);
    expect(other.errors).toEqual([]);
  });
});
