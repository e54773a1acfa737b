import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Download, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { later, startHookCatch, tempDir } from '../helpers/index.js';
import { deliver, openInspector, row, SHOWN, useBrowser, type HC } from '../helpers/page.js';

const browser = useBrowser();

interface HarFile {
  log: {
    version: string;
    creator: { name: string; version: string };
    entries: {
      startedDateTime: string;
      request: {
        method: string;
        url: string;
        headers: { name: string; value: string }[];
        queryString: { name: string; value: string }[];
        postData?: { mimeType: string; text: string; encoding?: string };
      };
      response: { status: number };
    }[];
  };
}

interface FixtureFile {
  format: string;
  id: string;
  method: string;
  url: string;
  headers: [string, string][];
  redacted: string[];
  bodyEncoding: 'utf8' | 'base64';
  body: string;
}

/** Clicks `link` and returns the file the browser downloaded, with the name it was offered under. */
async function download(page: Page, link: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [file] = (await Promise.all([page.waitForEvent('download', SHOWN), link.click(SHOWN)])) as [Download, undefined];
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

async function downloadHar(page: Page): Promise<HarFile & { name: string }> {
  await openMenu(page);
  const { name, bytes } = await download(page, page.locator('#export-har'));
  // Choosing a download closes the menu.
  await page.locator('#export-menu').waitFor({ state: 'hidden', ...SHOWN });
  return { name, ...(JSON.parse(bytes.toString('utf8')) as HarFile) };
}

async function downloadFixture(page: Page, id: string): Promise<FixtureFile & { name: string }> {
  const { name, bytes } = await download(page, page.locator(`#detail[data-shown="${id}"] [data-action=fixture]`));
  return { name, ...(JSON.parse(bytes.toString('utf8')) as FixtureFile) };
}

async function openMenu(page: Page): Promise<void> {
  if (await page.locator('#export-menu').isHidden()) await page.locator('[data-action=export]').click(SHOWN);
  await page.locator('#export-menu').waitFor({ state: 'visible', ...SHOWN });
  expect(await page.locator('[data-action=export]').getAttribute('aria-expanded')).toBe('true');
}

async function select(page: Page, id: string): Promise<void> {
  await row(page, id).click(SHOWN);
  await page.locator(`#detail[data-shown="${id}"] [data-action=fixture]`).waitFor(SHOWN);
}

/** A link's query parameters (its href is relative to the inspector). */
async function params(link: Locator, hc: HC): Promise<URLSearchParams> {
  return new URL((await link.getAttribute('href'))!, hc.inspectorUrl).searchParams;
}

/** The headers a capture was stored with, as HAR writes them. */
async function storedHeaders(hc: HC, id: string): Promise<{ name: string; value: string }[]> {
  return (await hc.store.get(id))!.headers.map(([name, value]) => ({ name, value }));
}

describe('Export on the inspector page: the list as HAR, a request as a fixture', { timeout: 120_000 }, () => {
  it('the HAR link carries the filters and downloads exactly the filtered requests; Fixture downloads the selected one, body bytes exact', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const githubBody = '{"action":"opened","note":"h\u00e9llo \u2713 \\u00e9","amounts":[1,2.50,null]}\n';
    const stripeBody = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x7b, 0x22, 0x0a, 0xc3, 0x28, 0x01]);
    const github = await deliver(hc, githubBody, { path: '/webhook/github?delivery=7&x=%20', headers: { 'X-GitHub-Event': 'issues', 'X-Trace': 'a' } });
    const stripe = await deliver(hc, stripeBody, {
      path: '/webhook/stripe',
      type: 'application/octet-stream',
      headers: { 'Stripe-Signature': 't=1700000000,v1=5f1c0a4e9b' },
    });
    await row(page, github).waitFor(SHOWN);
    await row(page, stripe).waitFor(SHOWN);

    const har = page.locator('#export-har');
    expect((await params(har, hc)).toString()).toBe('');
    await page.locator('#path').fill('/webhook/github');
    await expect.poll(async () => (await params(har, hc)).get('path'), SHOWN).toBe('/webhook/github');
    await expect.poll(() => row(page, stripe).count(), SHOWN).toBe(0);
    expect((await params(har, hc)).get('redact')).toBeNull();
    expect(await har.getAttribute('download')).toBe('');

    const file = await downloadHar(page);
    expect(file.name).toMatch(/\.har$/);
    expect(file.log.version).toBe('1.2');
    expect(file.log.creator.name).toBe('hook-catch');
    expect(file.log.entries).toHaveLength(1);
    const { request } = file.log.entries[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`${hc.receiverUrl}/webhook/github?delivery=7&x=%20`);
    expect(request.headers).toEqual(await storedHeaders(hc, github));
    expect(request.headers).toContainEqual({ name: 'X-GitHub-Event', value: 'issues' });
    expect(request.headers).toContainEqual({ name: 'X-Trace', value: 'a' });
    expect(request.headers).toContainEqual({ name: 'Content-Type', value: 'application/json' });
    expect(request.postData?.text).toBe(githubBody);
    expect(request.postData?.encoding).toBeUndefined();

    await select(page, github);
    const fixtureLink = page.locator(`#detail[data-shown="${github}"] [data-action=fixture]`);
    expect(await fixtureLink.getAttribute('href')).toBe(`/api/requests/${github}/fixture`);
    const fixture = await downloadFixture(page, github);
    expect(fixture.name).toMatch(/\.json$/);
    expect(fixture.format).toBe('hook-catch/fixture@1');
    expect(fixture.id).toBe(github);
    expect(fixture.method).toBe('POST');
    expect(fixture.url).toBe('/webhook/github?delivery=7&x=%20');
    expect(fixture.headers).toEqual((await hc.store.get(github))!.headers);
    expect(fixture.redacted).toEqual([]);
    expect(fixture.bodyEncoding).toBe('utf8');
    expect(Buffer.from(fixture.body, 'utf8').equals(Buffer.from(githubBody, 'utf8'))).toBe(true);

    // A body that is not UTF-8 comes back byte for byte (base64 in the file).
    await page.locator('#path').fill('');
    await row(page, stripe).waitFor(SHOWN);
    await select(page, stripe);
    const binary = await downloadFixture(page, stripe);
    expect(binary.bodyEncoding).toBe('base64');
    expect(Buffer.from(binary.body, 'base64').equals(stripeBody)).toBe(true);
    expect(binary.headers).toContainEqual(['Stripe-Signature', 't=1700000000,v1=5f1c0a4e9b']);
    expect(page.errors).toEqual([]);
  });

  it("the HAR replays in Chromium (Playwright's routeFromHAR): each webhook, binary bodies told apart by their bytes, gets hook-catch's answer", async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const bodies = [Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x01]), Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x02])];
    const ids: string[] = [];
    for (const body of bodies) ids.push(await deliver(hc, body, { path: '/webhook/stripe', type: 'application/octet-stream' }));
    await row(page, ids[1]!).waitFor(SHOWN);
    await openMenu(page);
    const { name, bytes } = await download(page, page.locator('#export-har'));
    const file = join(await tempDir(), name);
    await writeFile(file, bytes);
    const origin = hc.receiverUrl;
    // Nothing answers there any more: only the HAR can.
    await hc.close();

    const context = await browser().newContext();
    later(() => context.close());
    const replay = await context.newPage();
    await replay.route(`${origin}/`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>replay</title>' }));
    await replay.routeFromHAR(file, { url: `${origin}/webhook/**`, notFound: 'abort' });
    await replay.goto(`${origin}/`);
    const sent = [...bodies, Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x03])].map((body) => [...body]);
    const answers = await replay.evaluate(async (list) => {
      const post = async (bytes: number[]) => {
        try {
          const r = await fetch('/webhook/stripe', { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(bytes) });
          return { status: r.status, id: r.headers.get('x-hook-catch-id'), type: r.headers.get('content-type'), text: await r.text() };
        } catch {
          return 'not in the HAR';
        }
      };
      const out = [];
      for (const bytes of list) out.push(await post(bytes));
      return out;
    }, sent);
    const json = 'application/json; charset=utf-8';
    expect(answers).toEqual([...ids.map((id) => ({ status: 200, id, type: json, text: `{"ok":true,"id":"${id}"}\n` })), 'not in the HAR']);
    expect(page.errors).toEqual([]);
  });

  it('"redact secrets" blanks Authorization in the HAR and the fixture, lists it as redacted, and is remembered', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const body = '{"event":"invoice.paid","id":"in_1"}';
    const id = await deliver(hc, body, { path: '/webhook/billing', headers: { Authorization: 'Bearer s3cret-token', 'X-Trace': 'kept' } });
    await select(page, id);
    const fixtureLink = page.locator(`#detail[data-shown="${id}"] [data-action=fixture]`);
    const har = page.locator('#export-har');

    // The menu closes on Escape and on a click outside it.
    await openMenu(page);
    await page.keyboard.press('Escape');
    await page.locator('#export-menu').waitFor({ state: 'hidden', ...SHOWN });
    expect(await page.locator('[data-action=export]').getAttribute('aria-expanded')).toBe('false');
    await openMenu(page);
    await page.locator('.brand').click(SHOWN);
    await page.locator('#export-menu').waitFor({ state: 'hidden', ...SHOWN });

    await openMenu(page);
    await page.getByLabel('redact secrets').check(SHOWN);
    // Still open: a click inside the menu does not close it.
    await page.locator('#export-menu').waitFor({ state: 'visible', ...SHOWN });
    await expect.poll(async () => (await params(har, hc)).get('redact'), SHOWN).toBe('default');
    // The request already shown gets the choice too, without being selected again.
    await expect.poll(async () => (await params(fixtureLink, hc)).get('redact'), SHOWN).toBe('default');

    const file = await downloadHar(page);
    expect(file.log.entries).toHaveLength(1);
    const headers = file.log.entries[0]!.request.headers;
    expect(headers).toContainEqual({ name: 'Authorization', value: '' });
    expect(headers).toContainEqual({ name: 'X-Trace', value: 'kept' });
    expect(JSON.stringify(file)).not.toContain('s3cret');
    expect(file.log.entries[0]!.request.postData?.text).toBe(body);

    const fixture = await downloadFixture(page, id);
    expect(fixture.format).toBe('hook-catch/fixture@1');
    expect(fixture.headers).toContainEqual(['Authorization', '']);
    expect(fixture.headers).toContainEqual(['X-Trace', 'kept']);
    expect(fixture.redacted).toEqual(['Authorization']);
    expect(JSON.stringify(fixture)).not.toContain('s3cret');
    expect(fixture.body).toBe(body);

    // Remembered across a reload; unchecking it gives the secrets back.
    await page.reload();
    await page.locator('[data-state=stream]', { hasText: 'connected' }).waitFor(SHOWN);
    await select(page, id);
    expect((await params(fixtureLink, hc)).get('redact')).toBe('default');
    await openMenu(page);
    expect(await page.getByLabel('redact secrets').isChecked()).toBe(true);
    await page.getByLabel('redact secrets').uncheck(SHOWN);
    await expect.poll(async () => (await params(fixtureLink, hc)).get('redact'), SHOWN).toBeNull();
    await expect.poll(async () => (await params(har, hc)).get('redact'), SHOWN).toBeNull();
    const plain = await downloadFixture(page, id);
    expect(plain.headers).toContainEqual(['Authorization', 'Bearer s3cret-token']);
    expect(plain.redacted).toEqual([]);
    expect(page.errors).toEqual([]);
  });
});
