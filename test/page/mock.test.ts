import { describe, expect, it } from 'vitest';
import { json, send, spawnCli, startHookCatch } from '../helpers/index.js';
import { openInspector, SHOWN, useBrowser } from '../helpers/page.js';
import { recordingApp } from '../helpers/recording-app.js';
import { LIVE_SUBMIT_BODY, scenarioDir, SUBMIT_PATH, transcribeScenario } from '../helpers/scenario.js';

// `hook-catch mock --dir` beside a running hook-catch: its calls on the inspector page, as they
// happen and after a reload (the instance keeps them in memory). The real bin, a real local app.

const browser = useBrowser();

describe("a running mock's calls on the inspector page, in a real browser", { timeout: 120_000 }, () => {
  it("the submit with its fresh job id, a webhook with the app's answer, an unmatched request with its reason; live and after a reload", async () => {
    const hc = await startHookCatch();
    const page = await openInspector(browser(), hc);
    expect(await page.locator('#mock-toggle').isHidden()).toBe(true);

    // The app refuses the first webhook (503), then takes every one: the mock sends it again.
    let answered = 0;
    const app = await recordingApp(() => ({ status: answered++ === 0 ? 503 : 200 }));
    const scenario = transcribeScenario();
    const dir = await scenarioDir({ 'transcribe.json': scenario });
    const cli = spawnCli(['mock', dir, '--port', '0', '--speed', 'instant', '--retries', '2', '--until-done', '--json', '--dir', hc.dir]);
    const { url } = await cli.jsonLine<{ url: string }>((line) => line.type === 'listening');
    expect((await send(`${url}/ai/v1/transcribe`)).status).toBe(501);
    const reply = await send(`${url}${SUBMIT_PATH(`${app.url}/hook`)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: LIVE_SUBMIT_BODY,
    });
    const id: string = json(reply).jobId;
    expect((await cli.exited).code).toBe(0);

    const shows = async () => {
      const toggle = page.locator('#mock-toggle');
      await expect.poll(() => toggle.innerText(), SHOWN).toBe('Mock (6)');
      await toggle.click();
      const rows = page.locator('#mock .mock-event');
      expect(await rows.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.kind))).toEqual([
        'job-done',
        'webhook',
        'webhook',
        'webhook',
        'submit',
        'unmatched',
      ]);
      const text = (kind: string, n = 0) =>
        rows
          .and(page.locator(`[data-kind="${kind}"]`))
          .nth(n)
          .innerText();
      expect(await text('submit')).toMatch(
        new RegExp(`^[\\d:.]+\\s+submit\\s+POST /ai/v1/transcribe\\?webhook=\\S+\\s+job ${id}\\s+recorded ${scenario.job.id}\\s+webhooks to ${app.url}/hook$`),
      );
      // At --speed instant, webhook 2 may go out before or after webhook 1's retry: only webhook 1's
      // own attempts have an order (newest first: its retry above its refused first attempt).
      const webhooks = await Promise.all([0, 1, 2].map((n) => text('webhook', n)));
      const row = (pattern: string) => webhooks.findIndex((t) => new RegExp(`^[\\d:.]+\\s+webhook\\s+${pattern}$`).test(t));
      const refused = row(`webhook 1\\s+job ${id}\\s+app answered 503 · attempt 1 · will retry`);
      const retried = row(`webhook 1\\s+job ${id}\\s+app answered 200 · attempt 2`);
      expect(refused, webhooks.join(' | ')).toBeGreaterThan(-1);
      expect(retried, webhooks.join(' | ')).toBeGreaterThan(-1);
      expect(retried).toBeLessThan(refused);
      expect(row(`webhook 2\\s+job ${id}\\s+app answered 200 · attempt 1`), webhooks.join(' | ')).toBeGreaterThan(-1);
      // The 501's reason: the closest recorded requests, and why each did not match.
      expect(await text('unmatched')).toMatch(
        /^[\d:.]+\s+501\s+GET \/ai\/v1\/transcribe\s+matches nothing recorded\s[\s\S]*^closest: POST \/ai\/v1\/transcribe \(transcribe\.json\): method GET; the recording has POST/m,
      );
    };
    await shows();
    await page.reload();
    await page.locator('[data-state=stream]', { hasText: 'connected' }).waitFor(SHOWN);
    await shows();
    expect(page.errors).toEqual([]);
  });
});
