import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { SchemaVerdict } from '../../src/capture/shapes.js';
import { startHookCatch, tempDir } from '../helpers/index.js';
import { deliver, openDetail, openInspector, row, SHOWN, useBrowser } from '../helpers/page.js';

const browser = useBrowser();

/** One JSON Schema for every capture: an order, its amount a whole number. */
const ORDER_SCHEMA = { type: 'object', required: ['id', 'amount'], properties: { id: { type: 'string' }, amount: { type: 'integer' } } };

async function badgeOf(page: Page, id: string): Promise<{ text: string; title: string | null; verdict: string | null }> {
  const badge = row(page, id).locator('.badge.schema');
  await badge.waitFor(SHOWN);
  return { text: await badge.innerText(), title: await badge.getAttribute('title'), verdict: await badge.getAttribute('data-verdict') };
}

describe('schema verdicts on the inspector page', { timeout: 120_000 }, () => {
  it('start --schema: each row has its badge (✓, or ✗ with the errors in its title), the detail lists the errors as JSON paths', async () => {
    const file = join(await tempDir(), 'order.schema.json');
    await writeFile(file, JSON.stringify(ORDER_SCHEMA));
    const hc = await startHookCatch({ schema: file });
    const page = await openInspector(browser(), hc);
    const valid = await deliver(hc, '{"id":"o1","amount":12}');
    const invalid = await deliver(hc, '{"amount":"12"}');

    expect(await badgeOf(page, valid)).toEqual({ text: '✓ schema', title: 'body valid against order.schema.json', verdict: 'valid' });
    expect(await badgeOf(page, invalid)).toEqual({
      text: '✗ schema',
      title: 'body invalid against order.schema.json\nbody: missing required field "id"\namount: expected integer, got string "12"',
      verdict: 'invalid',
    });
    const detail = await openDetail(page, invalid);
    const view = detail.locator('.meta .schema-verdict');
    await view.waitFor(SHOWN);
    expect(await view.locator('.schema-words').innerText()).toBe('invalid against order.schema.json');
    expect(await view.locator('.schema-errors li').allInnerTexts()).toEqual(['body: missing required field "id"', 'amount: expected integer, got string "12"']);
    expect(page.errors).toEqual([]);
  });

  it('a verdict found after the capture was shown (an analysis message) reaches its row and the open detail', async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    const id = await deliver(hc, '{"type":"invoice.paid"}');
    const detail = await openDetail(page, id);
    expect(await detail.locator('dt.schema-row').isHidden()).toBe(true);
    // What a later analysis does: keep its note in the store, then announce it.
    const schema: SchemaVerdict = { verdict: 'unchecked', reason: 'spec.yaml has no webhook for event invoice.paid' };
    await hc.store.appendAnalysis(id, { schema });
    hc.events.emit('analysis', id, { schema });
    expect(await badgeOf(page, id)).toEqual({
      text: '? schema',
      title: 'body not checked\nspec.yaml has no webhook for event invoice.paid',
      verdict: 'unchecked',
    });
    await detail.locator('dt.schema-row').waitFor(SHOWN);
    expect(await detail.locator('.schema-words').innerText()).toBe('not checked');
    expect(await detail.locator('.schema-errors li').allInnerTexts()).toEqual(['spec.yaml has no webhook for event invoice.paid']);
    expect(page.errors).toEqual([]);
  });
});
