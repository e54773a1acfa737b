import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium } from '../../scripts/browser.js';
import { json, later, send, type startHookCatch } from './index.js';

export type HC = Awaited<ReturnType<typeof startHookCatch>>;
export type InspectorPage = Page & { errors: string[]; dialogs: string[] };

/** How long a test waits for something to show on the page: generous, the machine is shared and busy. */
export const SHOWN = { timeout: 15_000 };

/** One headless Chromium for the test file (launched before its tests, closed after them). */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

export interface Viewport {
  width: number;
  height: number;
}

/** The screens the page is laid out for (a laptop, a larger laptop, a desktop monitor). */
export const SCREENS: Viewport[] = [
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
];

/** The inspector page of `hc` in a fresh browser context (1440×900 unless told); page errors fail the test that opened it. */
export async function openInspector(
  browser: Browser,
  hc: HC,
  before?: (page: Page) => Promise<void>,
  viewport: Viewport = { width: 1440, height: 900 },
): Promise<InspectorPage> {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hc.inspectorUrl });
  later(() => context.close());
  const page = Object.assign(await context.newPage(), { errors: [] as string[], dialogs: [] as string[] });
  page.on('pageerror', (error) => page.errors.push(error.message));
  page.on('dialog', (dialog) => {
    page.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.accept();
  });
  await before?.(page);
  await page.goto(hc.inspectorUrl);
  await page.locator('[data-state=stream]', { hasText: 'connected' }).waitFor(SHOWN);
  return page;
}

export interface Delivery {
  path?: string;
  type?: string;
  method?: string;
  headers?: Record<string, string>;
  /** The status the sender should get (200 unless a rule or a forward says otherwise). */
  status?: number;
}

/** Sends a webhook to `hc`'s receiver and returns the id it was stored under. */
export async function deliver(hc: HC, body: string | Buffer, options: Delivery = {}): Promise<string> {
  const reply = await send(`${hc.receiverUrl}${options.path ?? '/webhook'}`, {
    method: options.method ?? 'POST',
    body,
    headers: { 'Content-Type': options.type ?? 'application/json', ...options.headers },
  });
  expect(reply.status).toBe(options.status ?? 200);
  return (reply.headers['x-hook-catch-id'] as string) ?? json(reply).id;
}

export const row = (page: Page, id: string) => page.locator(`.row[data-id="${id}"]`);

/** Opens a capture in the detail and returns the detail once it shows that capture. */
export async function openDetail(page: Page, id: string) {
  await row(page, id).click();
  const detail = page.locator(`#detail[data-shown="${id}"]`);
  await detail.waitFor(SHOWN);
  return detail;
}

/** The ids of the rows drawn, top to bottom. */
export const rowIds = (page: Page) =>
  page.locator('.row').evaluateAll((rows) => (rows as HTMLElement[]).sort((a, b) => a.offsetTop - b.offsetTop).map((r) => r.dataset.id!));
