// `npm run screenshot`: regenerates docs/inspector.png (1440×900), docs/inspector-1024.png
// (1024×768), docs/jobs.png (1440×900, dark) and docs/replay.png from a real hook-catch with example
// traffic (no network: local ports only, an example public URL, a local server standing in for the
// user's app, and one standing in for a provider's status endpoint). With pngquant installed, the
// files are compressed with it (a flat UI loses nothing visible, and the files shrink to a third).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { start } from '../dist/index.js';
import { launchChromium } from './browser.js';

const dir = await mkdtemp(join(tmpdir(), 'hook-catch-screenshot-'));
// The user's app: answers every webhook it is forwarded or replayed 200, one path 500.
const app = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const failing = req.url.startsWith('/hooks/render');
    res.writeHead(failing ? 500 : 200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(failing ? { error: 'render queue unavailable' } : { received: true }));
  });
});
await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
const appUrl = `http://127.0.0.1:${app.address().port}`;
// The video API's status endpoint (expect --poll): the render runs, then ends; its webhook never comes.
let renderState = 'rendering';
const provider = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ id: 'task_01HZX4Q8N2', status: renderState, progress: renderState === 'rendering' ? 35 : 100 }));
});
await new Promise((resolve) => provider.listen(0, '127.0.0.1', resolve));
const providerUrl = `http://127.0.0.1:${provider.address().port}`;
const hc = await start({
  port: 0,
  inspectorPort: 0,
  dir,
  output: 'none',
  tunnel: false,
  publicUrl: 'https://hooks.example.com',
  maxBody: 100_000,
  forward: appUrl,
});
await hc.rules.add({ path: '/webhook/upload', status: 503, headers: [['Retry-After', '30']] });
const browser = await launchChromium();
try {
  const post = (body, path = '/webhook', type = 'application/json', headers = {}) =>
    fetch(hc.webhookUrl.replace('/webhook', path), {
      method: 'POST',
      body,
      headers: { 'Content-Type': type, 'User-Agent': 'ExampleAI-Webhooks/2.1', ...headers },
    });
  const transcript = 'a919924e-ce4e-11ed-9d6c-0050569a11b3';
  const summary = 'c07f2f60-0b1e-4c1a-8d4e-1f2a9e0b7d41';
  const diarize = '5b1d8e3a-77c2-4f7e-9a0e-2c4b8d6f1e90';
  await hc.expect(transcript, { label: 'speech-to-text: call 1042' });
  await hc.expect(summary, { label: 'summary: weekly sync' });
  await hc.expect(diarize, { label: 'diarize: support line' });
  await hc.expect('task_01HZX4Q8N2', {
    label: 'video render',
    poll: { url: `${providerUrl}/v1/tasks/{jobId}`, statusPath: 'body.status', everyMs: 500, graceMs: 2000 },
  });
  await jobReaches('task_01HZX4Q8N2', (job) => job.poll?.provider?.statusWord === 'rendering');
  await pause(700);
  await post(JSON.stringify({ jobId: transcript, api: '/ai/audio/v1/async/speech-to-text', status: 'InProgress' }));
  await pause(900);
  const done = JSON.stringify({
    jobId: transcript,
    api: '/ai/audio/v1/async/speech-to-text',
    creationTime: '2026-11-23T09:14:07.512Z',
    completionTime: '2026-11-23T09:14:09.133Z',
    expirationTime: '2026-11-30T09:14:07.512Z',
    status: 'Success',
    response: {
      speakerCount: 2,
      utterances: [
        { speakerId: '0', text: 'Thanks for calling, how can I help?', start: 0.4, end: 2.1, confidence: 0.97 },
        { speakerId: '1', text: 'My order has not arrived yet.', start: 2.6, end: 4.3, confidence: 0.94 },
      ],
    },
  });
  await post(done, '/webhook', 'application/json', { 'X-Signature': 'v1=5f1c0a4e9b7d2c8a1e3f6b0d9c4a7e2f' });
  await pause(400);
  const summaryDone = JSON.stringify({
    jobId: summary,
    status: 'Completed',
    response: { summaries: [{ text: 'The team agreed to ship the beta on Friday.' }] },
  });
  await post(summaryDone);
  await pause(1200);
  await post(summaryDone); // the provider did not see our answer and sent it again
  await pause(300);
  renderState = 'succeeded';
  await post(JSON.stringify({ jobId: diarize, status: 'Failed', error: { code: 'AudioTooShort', message: 'The audio must be at least 1 second long.' } }));
  await post(JSON.stringify({ taskId: 'task_7Q2M9', status: 'processing', progress: 40 }), '/hooks/render');
  await post('{"jobId": "b2c41f", "status": "Completed", ', '/webhook', 'application/json');
  await post('x'.repeat(150_000), '/webhook/upload', 'text/plain');
  await fetch(`${hc.receiverUrl}/health?probe=uptime`);
  await jobReaches('task_01HZX4Q8N2', (job) => job.status === 'webhook_lost');

  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', deviceScaleFactor: 1 });
  await page.goto(hc.inspectorUrl);
  await page.locator('[data-state=stream]', { hasText: 'connected' }).waitFor();
  await page.locator('.row').nth(8).waitFor();
  const doneRow = (await hc.store.list({ q: 'utterances', limit: 1 })).items[0].id;
  await page.locator(`.row[data-id="${doneRow}"]`).click();
  await page.locator('.tree').waitFor();
  await page.locator('.tree summary', { hasText: 'utterances' }).click();
  await page.locator('.tree summary', { hasText: /^0:/ }).first().click();
  await page.locator('#detail').evaluate((detail) => detail.scrollTo(0, 0)); // the clicks scrolled it to the tree
  await page.mouse.move(0, 0);
  mkdirSync('docs', { recursive: true });
  await page.screenshot({ path: 'docs/inspector.png' });

  // A 1024×768 laptop: the jobs panel starts closed, the list and the detail stay side by side.
  const small = await browser.newPage({ viewport: { width: 1024, height: 768 }, colorScheme: 'light', deviceScaleFactor: 1 });
  await small.goto(hc.inspectorUrl);
  await small.locator('.row').nth(8).waitFor();
  const retry = (await hc.store.list({ q: 'ship the beta', limit: 1 })).items[0].id;
  await small.locator(`.row[data-id="${retry}"]`).click();
  await small.locator(`#detail[data-shown="${retry}"] .tree`).waitFor();
  await small.mouse.move(0, 0);
  await small.screenshot({ path: 'docs/inspector-1024.png' });

  const dark = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark', deviceScaleFactor: 1 });
  await dark.goto(hc.inspectorUrl);
  await dark.locator(`.job[data-job="${summary}"]`).click();
  await dark.locator('.row').nth(1).waitFor();
  await dark.locator('.row').first().click();
  await dark.locator('.tree').waitFor();
  await dark.mouse.move(0, 0);
  await dark.screenshot({ path: 'docs/jobs.png' });

  // Edit and replay, over the capture of the first screenshot: one value changed in the JSON tree.
  await page.locator('[data-action=replay]').click();
  await page.locator('.replay-result').waitFor();
  await page.locator('[data-action=edit-replay]').click();
  const dialog = page.locator('#replay-dialog');
  await dialog.getByLabel('value of status').fill('Failed');
  await dialog.locator('.header-row[data-header="X-Signature"] .h-value').fill('v1=test-signature');
  await dialog.locator('[data-action=send]').click();
  await dialog.locator('.replay-result').waitFor();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: 'docs/replay.png' });
  const files = ['docs/inspector.png', 'docs/inspector-1024.png', 'docs/jobs.png', 'docs/replay.png'];
  console.log(`wrote ${files.join(', ')}${compress(files) ? ' (compressed with pngquant)' : ' (pngquant not found: not compressed)'}`);
} finally {
  await browser.close();
  await new Promise((resolve) => app.close(resolve));
  await new Promise((resolve) => provider.close(resolve));
  await hc.close();
  await rm(dir, { recursive: true, force: true });
}

/** Compresses the PNGs in place with pngquant, when it is installed; false when it is not. */
function compress(files) {
  for (const file of files) {
    const run = spawnSync('pngquant', ['--quality', '70-95', '--speed', '1', '--strip', '--force', '--skip-if-larger', '--output', file, file]);
    if (run.error?.code === 'ENOENT') return false;
    // 98: the result would be larger, 99: below the quality floor; both keep the file as it is.
    if (run.error || ![0, 98, 99].includes(run.status)) throw new Error(`pngquant failed on ${file}: ${run.error?.message ?? run.stderr}`);
  }
  return true;
}

/**
 * Resolves once job `id` passes `test`, checked at each of its changes and every 100 ms (reading a
 * job also flags it lost when its grace ran out); fails after 30 s.
 */
function jobReaches(id, test) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const job = hc.jobs.get(id);
      if (!job || !test(job)) return;
      done();
      resolve(job);
    };
    const done = () => {
      clearTimeout(timer);
      clearInterval(again);
      hc.events.off('job', check);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`job ${id} did not get there in 30 s: ${JSON.stringify(hc.jobs.get(id))}`));
    }, 30_000);
    const again = setInterval(check, 100);
    hc.events.on('job', check);
    check();
  });
}
