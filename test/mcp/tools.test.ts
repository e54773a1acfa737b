import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/defaults.js';
import { formatBytes } from '../../src/units.js';
import { fakeProvider, says } from '../helpers/fake-provider.js';
import { send, startHookCatch, tempDir } from '../helpers/index.js';
import { mcpSession } from '../helpers/mcp.js';
import { recordingApp } from '../helpers/recording-app.js';
import { LIVE_SUBMIT_BODY, SUBMIT_PATH, scenarioDir, transcribeScenario } from '../helpers/scenario.js';
import { stripe } from '../helpers/signatures.js';

// The MCP server's tools, called by the SDK's own client over stdio (the built bin), on a real
// hook-catch running on a temp folder: the agent's loop of expect, webhook, wait and read.

const STRIPE_SECRET = 'whsec_mcp_test_5f1e';

/** A hook-catch in this process, and `hook-catch mcp` on its folder. */
async function onRunning(options: Parameters<typeof startHookCatch>[0] = {}) {
  const hc = await startHookCatch(options);
  const mcp = await mcpSession(['--dir', hc.dir]);
  const post = (path: string, body: string | Buffer, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
    send(`${hc.receiverUrl}${path}`, { method: 'POST', headers, body });
  return { hc, mcp, post };
}

describe('hook-catch mcp: jobs', { timeout: 60_000 }, () => {
  it('expect_job, then wait_for_job: the webhook posted to webhook_url arrives and the wait returns completed with the payload and its signature verdict', async () => {
    const { mcp } = await onRunning({ verify: [{ scheme: 'stripe', secret: STRIPE_SECRET }] });
    const urls = await mcp.call('webhook_url');
    expect(urls.isError).toBe(false);
    expect(urls.value.publicWebhookUrl).toBeNull();
    expect(urls.value.note).toMatch(/^No tunnel is open/);
    const expected = await mcp.call('expect_job', { jobId: 'job-42', label: 'report.pdf' });
    expect(expected.value).toMatchObject({ jobId: 'job-42', label: 'report.pdf', status: 'pending', deliveries: 0 });

    const waiting = mcp.call('wait_for_job', { jobId: 'job-42', timeout: '30s' });
    const body = Buffer.from('{"jobId":"job-42","status":"completed","result":{"pages":3}}');
    const delivered = await send(urls.value.localWebhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...stripe.sign(body, STRIPE_SECRET) },
      body,
    });
    expect(delivered.status).toBe(200);
    const waited = await waiting;
    expect(waited.isError).toBe(false);
    expect(waited.value).toMatchObject({
      jobId: 'job-42',
      state: 'completed',
      jobStatus: 'completed',
      deliveries: 1,
      attempt: 1,
      statusWord: 'completed',
      payload: { contentType: 'application/json', size: body.length, text: body.toString() },
      signature: { verdict: 'valid', scheme: 'stripe' },
    });
    expect(waited.value.requestId).toMatch(/^\w+$/);
    // The secret and the signature itself are nowhere in what the model reads.
    expect(waited.text).not.toContain(STRIPE_SECRET);
    expect(waited.text).not.toContain('v1=');
  });

  it('wait_for_job sends progress notifications while it waits; a webhook sent on the first one settles it', async () => {
    const { mcp, post } = await onRunning();
    await mcp.call('expect_job', { jobId: 'slow-1' });
    const progress: { progress: number; total?: number; message?: string }[] = [];
    let sent: ReturnType<typeof post> | undefined;
    const waited = await mcp.call(
      'wait_for_job',
      { jobId: 'slow-1', timeout: '2m' },
      {
        timeout: 120_000,
        resetTimeoutOnProgress: true,
        onprogress: (p) => {
          progress.push(p);
          sent ??= post('/webhook', '{"jobId":"slow-1","status":"succeeded"}');
        },
      },
    );
    expect((await sent!).status).toBe(200);
    expect(progress[0]).toMatchObject({ total: 120_000, message: expect.stringMatching(/^waiting for job slow-1: /) });
    expect(waited.value).toMatchObject({ state: 'completed', payload: { text: '{"jobId":"slow-1","status":"succeeded"}' } });
  });

  it('a wait that times out is a normal result, state timeout, saying the job is still pending and to call again', async () => {
    const { mcp } = await onRunning();
    const waited = await mcp.call('wait_for_job', { jobId: 'never-1', timeout: '300ms' });
    expect(waited.isError).toBe(false);
    expect(waited.value).toEqual({
      jobId: 'never-1',
      state: 'timeout',
      jobStatus: 'pending',
      note: 'Job never-1 did not complete within 0.3s (it is pending). Call wait_for_job again to keep waiting.',
      deliveries: 0,
      refused: 0,
    });
  });

  it('a lost webhook: the polled provider says done, no webhook comes within the grace period, and the wait returns lost with the polled answer', async () => {
    const provider = await fakeProvider(() => says('lost-7', 'completed', { output: 'the result' }));
    const { mcp } = await onRunning();
    const expected = await mcp.call('expect_job', { jobId: 'lost-7', poll: { url: `${provider.url}/v1/jobs/{jobId}`, every: '100ms', grace: '300ms' } });
    expect(expected.value.poll).toMatchObject({ url: `${provider.url}/v1/jobs/lost-7`, state: 'polling' });
    const waited = await mcp.call('wait_for_job', { jobId: 'lost-7', timeout: '30s' });
    expect(waited.isError).toBe(false);
    expect(waited.value).toMatchObject({
      state: 'lost',
      jobStatus: 'webhook_lost',
      source: 'poll',
      deliveries: 0,
      payload: { text: '{"jobId":"lost-7","status":"completed","output":"the result"}' },
    });
    expect(waited.value.note).toBe(
      'Webhook lost: the provider\'s status endpoint said "completed" and no webhook came within 0.3s. The payload is the provider\'s polled answer.',
    );
  });

  it('a failed job and an expired one say so', async () => {
    const { mcp, post } = await onRunning();
    await post('/webhook', '{"jobId":"f-1","status":"failed","error":"bad audio"}');
    expect((await mcp.call('wait_for_job', { jobId: 'f-1' })).value).toMatchObject({ state: 'failed', note: 'Job f-1 failed: its webhook said "failed".' });
    await mcp.call('expect_job', { jobId: 'e-1', ttl: '200ms' });
    const expired = await mcp.call('wait_for_job', { jobId: 'e-1', timeout: '30s' });
    expect(expired.value).toMatchObject({ state: 'expired', jobStatus: 'expired' });
    expect(expired.value.note).toMatch(/^Job e-1 expired at \S+ with no delivery\.$/);
  });
});

describe('hook-catch mcp: requests', { timeout: 60_000 }, () => {
  it(`a body over ${DEFAULTS.mcpBodyChars} characters is cut with a note naming the offset to read on, and read on to its end`, async () => {
    const { mcp, post } = await onRunning();
    const text = Array.from({ length: 2500 }, (_, i) => `line ${String(i).padStart(4, '0')}`).join('\n');
    await post('/webhook', text, { 'Content-Type': 'text/plain' });
    const first = await mcp.call('show_request', { id: 'last' });
    expect(first.value.body.text).toBe(text.slice(0, DEFAULTS.mcpBodyChars));
    expect(first.value.body).toMatchObject({ offset: 0, totalChars: text.length, size: text.length });
    const id = first.value.id;
    expect(first.value.body.note).toBe(
      `Characters 0 to 8000 of ${text.length} (${formatBytes(text.length)}). Call show_request with id "${id}" and offset 8000 for the rest.`,
    );
    let read = first.value.body.text as string;
    for (let offset = 8000; offset < text.length; offset += 8000) {
      const next = await mcp.call('show_request', { id, offset });
      expect(next.value.body.offset).toBe(offset);
      read += next.value.body.text;
    }
    expect(read).toBe(text);
    expect((await mcp.call('show_request', { id, offset: 24_000 })).value.body.note).toMatch(/That is the end\.$/);
  });

  it('a binary body is described, never returned; a gzip-compressed text body is shown decompressed', async () => {
    const { mcp, post } = await onRunning();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe]);
    await post('/upload', png, { 'Content-Type': 'image/png' });
    const shown = await mcp.call('show_request', { id: 'last' });
    expect(shown.value.body).toEqual({ contentType: 'image/png', size: 14, note: 'Binary body (image/png, 14 B): not shown as text.' });
    expect(shown.text).not.toContain(png.toString('base64'));

    await post('/webhook', gzipSync('{"hello":"world"}'), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect((await mcp.call('show_request', { id: 'last' })).value.body).toMatchObject({
      text: '{"hello":"world"}',
      note: 'Shown decompressed (sent gzip-compressed).',
    });
  });

  it('no secret is returned: credential headers and key-like query values are redacted, and the result says which', async () => {
    const { mcp, post } = await onRunning();
    await post('/webhook?token=tok_secret_1&page=2', '{"jobId":"s-1","status":"completed"}', {
      'Content-Type': 'application/json',
      Authorization: 'Bearer sk_live_secret_2',
      'X-Acme-Token': 'acme_secret_3',
      Cookie: 'session=secret_4',
    });
    const listed = await mcp.call('list_requests');
    const shown = await mcp.call('show_request', { id: 'last' });
    for (const text of [listed.text, shown.text]) {
      for (const secret of ['tok_secret_1', 'sk_live_secret_2', 'acme_secret_3', 'secret_4']) expect(text).not.toContain(secret);
    }
    expect(shown.value.url).toBe('/webhook?token=[redacted]&page=2');
    expect(shown.value.headers).toEqual(
      expect.arrayContaining(['Authorization: [redacted]', 'X-Acme-Token: [redacted]', 'Cookie: [redacted]', 'Content-Type: application/json']),
    );
    expect(shown.value.redacted).toEqual(['query token', 'header authorization', 'header x-acme-token', 'header cookie']);
  });

  it('list_requests filters as the API does and pages on with nextBefore', async () => {
    const { mcp, post } = await onRunning();
    for (const n of [1, 2, 3]) await post('/webhook', `{"jobId":"l-${n}","status":"completed"}`);
    await post('/other', 'x', { 'Content-Type': 'text/plain' });
    const page = await mcp.call('list_requests', { path: '/webhook', limit: 2 });
    expect(page.value.items.map((item: any) => item.job.jobId)).toEqual(['l-3', 'l-2']);
    expect(page.value.stored).toBe(4);
    const next = await mcp.call('list_requests', { path: '/webhook', before: page.value.nextBefore });
    expect(next.value).toMatchObject({ items: [{ job: { jobId: 'l-1' } }], nextBefore: null });
    expect((await mcp.call('list_requests', { job: 'l-2' })).value.items).toHaveLength(1);
    await post('/events', '{"type":"invoice.paid","data":{"amount":1}}');
    await post('/events', '{"type":"invoice.paid","data":{"amount":1,"currency":"eur"}}');
    await expect.poll(async () => (await mcp.call('list_requests', { drift: true })).value.items.map((item: any) => item.event)).toEqual(['invoice.paid']);
  });

  it('replay_request sends a capture to a local app, edited, and returns its answer', async () => {
    const app = await recordingApp(() => ({
      status: 202,
      headers: { 'Content-Type': 'application/json', 'Set-Cookie': 'sid=app_secret_5' },
      body: '{"accepted":true}',
    }));
    const { mcp, post } = await onRunning();
    await post('/webhook?token=tok_replay_7', '{"jobId":"r-1","status":"completed"}');
    const replayed = await mcp.call('replay_request', { id: 'last', to: app.url, path: '/hooks', setHeaders: { 'X-Env': 'test' } });
    expect(replayed.isError).toBe(false);
    expect(replayed.value).toMatchObject({ to: `${app.url}/hooks`, edited: true, answered: true, status: 202, body: { text: '{"accepted":true}' } });
    expect(replayed.text).not.toContain('app_secret_5');
    const received = await app.got();
    expect(received.url).toBe('/hooks');
    expect(received.body.toString()).toBe('{"jobId":"r-1","status":"completed"}');
    expect(received.headers).toContainEqual(['X-Env', 'test']);
    // Byte-exact, its key sent to the app as captured, and not returned.
    const exact = await mcp.call('replay_request', { id: 'last', to: app.url });
    expect(exact.value).toMatchObject({ to: `${app.url}/webhook?token=[redacted]`, edited: false, redacted: ['header set-cookie', 'query token'] });
    expect(exact.text).not.toContain('tok_replay_7');
    expect((await app.got(2)).url).toBe('/webhook?token=tok_replay_7');
  });

  it('errors are tool results with isError and one plain line: an unknown id, a bad duration, a replay with nowhere to go, a missing argument', async () => {
    const { mcp, post } = await onRunning();
    expect(await mcp.call('show_request', { id: 'nope' })).toEqual({ isError: true, text: 'No stored request with id nope.', value: undefined });
    expect(await mcp.call('wait_for_job', { jobId: 'x', timeout: 'soon' })).toMatchObject({
      isError: true,
      text: 'timeout is a duration such as 30s, 10m or 2h; got "soon".',
    });
    await post('/webhook', '{}');
    const nowhere = await mcp.call('replay_request', { id: 'last' });
    expect(nowhere.isError).toBe(true);
    expect(nowhere.text).toMatch(/^Where to\? Give "to"/);
    // Arguments the schema refuses: the SDK's own validation error, as a tool error too.
    const missing = await mcp.call('wait_for_job', {});
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/jobId/);
    for (const answer of [nowhere, missing]) expect(answer.text).not.toMatch(/\n\s+at /);
  });
});

describe('hook-catch mcp: rules, export, the provider double', { timeout: 60_000 }, () => {
  it('add_rule changes what webhooks are answered; list_rules and clear_rules', async () => {
    const { mcp, post } = await onRunning();
    const rule = await mcp.call('add_rule', { path: '/webhook', status: 503, body: 'busy', headers: { 'Retry-After': '30' } });
    expect(rule.value).toMatchObject({ path: '/webhook', status: 503, body: 'busy', headers: [['Retry-After', '30']], source: 'api' });
    const refused = await post('/webhook', '{"jobId":"q-1"}');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    expect((await mcp.call('list_rules')).value).toHaveLength(1);
    expect((await mcp.call('clear_rules')).value).toEqual({ removed: 1 });
    expect((await post('/webhook', '{"jobId":"q-1"}')).status).toBe(200);
    expect(await mcp.call('clear_rules', { id: 'nope' })).toMatchObject({ isError: true, text: 'No response rule nope. GET /api/rules lists them.' });
  });

  it("add_rule makes a provider's worst days: a throttle with Retry-After, a seeded fail-rate, a dropped delivery that wait_for_job counts as refused", async () => {
    const { mcp, post } = await onRunning();
    const throttle = await mcp.call('add_rule', { path: '/webhook/t', throttle: '429:1h' });
    expect(throttle.value).toMatchObject({ path: '/webhook/t', throttle: { status: 429, ms: 3_600_000 } });
    const throttled = await post('/webhook/t', '{"jobId":"t-1"}');
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('3600');
    const rate = await mcp.call('add_rule', { path: '/webhook/r', failRate: '50%', seed: 3 });
    expect(rate.value).toMatchObject({ failRate: 50, seed: 3 });
    await mcp.call('add_rule', { path: '/webhook/d', drop: true });
    await expect(post('/webhook/d', '{"jobId":"d-1"}')).rejects.toThrow();
    const waited = await mcp.call('wait_for_job', { jobId: 'd-1', timeout: '1s' });
    expect(waited.value).toMatchObject({ state: 'timeout', refused: 1 });
    expect(waited.value.note).toContain('its provider will usually send it again');
    const bad = await mcp.call('add_rule', { throttle: '429' });
    expect(bad.isError).toBe(true);
    expect(bad.text).not.toContain('\n');
  });

  it("export_fixtures writes a job's webhooks as fixtures with credentials blanked; export_scenario says plainly when there is nothing to export", async () => {
    const { mcp, post } = await onRunning();
    await post('/webhook', '{"jobId":"x-1","status":"completed"}', { 'Content-Type': 'application/json', Authorization: 'Bearer sk_fixture_6' });
    await post('/webhook', '{"jobId":"x-2","status":"completed"}');
    const out = join(await tempDir(), 'fixtures');
    const exported = await mcp.call('export_fixtures', { out, job: 'x-1' });
    expect(exported.value).toMatchObject({ count: 1, redacted: ['Authorization'] });
    expect(await readdir(out)).toHaveLength(1);
    const fixture = await readFile(exported.value.files[0], 'utf8');
    expect(fixture).toContain('x-1');
    expect(fixture).not.toContain('sk_fixture_6');
    const scenario = await mcp.call('export_scenario', { out: join(out, 'scenarios') });
    expect(scenario.isError).toBe(true);
    expect(scenario.text).not.toContain('\n');
  });

  it('start_mock plays a recorded provider; the app submits with the webhook URL, wait_for_job gets the played webhook; stop_mock says what was played', async () => {
    const scenarios = await scenarioDir({ 'transcribe.json': transcribeScenario() });
    const { mcp } = await onRunning();
    const started = await mcp.call('start_mock', { scenarios: [scenarios], speed: 'instant' });
    expect(started.value.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await mcp.call('start_mock', { scenarios: [scenarios] })).text).toBe(
      `A provider double is already running at ${started.value.url}: stop_mock stops it.`,
    );
    const webhook = (await mcp.call('webhook_url')).value.localWebhookUrl;
    const submitted = await send(`${started.value.url}${SUBMIT_PATH(webhook)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: LIVE_SUBMIT_BODY,
    });
    expect(submitted.status).toBe(201);
    const jobId = JSON.parse(submitted.body.toString()).jobId;
    const waited = await mcp.call('wait_for_job', { jobId, timeout: '30s' });
    expect(waited.value).toMatchObject({ state: 'completed', statusWord: 'Success' });
    expect(JSON.parse(waited.value.payload.text)).toMatchObject({ jobId, status: 'Success' });
    await expect.poll(async () => (await mcp.call('mock_summary')).value.webhooks.acknowledged).toBe(2);
    const stopped = await mcp.call('stop_mock');
    expect(stopped.value).toMatchObject({ webhooks: { sent: 2, acknowledged: 2 }, jobs: [{ id: jobId, settled: true }] });
    expect(await mcp.call('mock_summary')).toMatchObject({ isError: true, text: 'No provider double is running: start_mock starts one.' });
  });
});
