import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, runCli, send, startHookCatch, type Reply } from './helpers/index.js';
import type { HookCatch } from '../src/index.js';
import type { EventCounts, RequestPage, RequestRecord } from '../src/wire/requests.js';

// Each capture is told what kind of event it is as it arrives: a provider's header, a body's own
// field, CloudEvents, a job's status word, or the user's --event-path rules. Deliveries below are
// shaped as each provider sends them (headers and bodies as their docs and libraries show).

interface Delivery {
  name: string;
  headers: Record<string, string>;
  body: string;
  expected: { type: string; provider?: string } | null;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const DELIVERIES: Delivery[] = [
  {
    name: 'GitHub: X-GitHub-Event and the body action',
    headers: { ...JSON_TYPE, 'X-GitHub-Event': 'check_run', 'X-Hub-Signature-256': 'sha256=00' },
    body: JSON.stringify({ action: 'completed', check_run: { id: 1, name: 'ci' }, repository: { full_name: 'acme/app' } }),
    expected: { type: 'check_run.completed', provider: 'github' },
  },
  {
    name: 'GitHub: an event with no action (push), sent as a form',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-GitHub-Event': 'push' },
    body: `payload=${encodeURIComponent(JSON.stringify({ ref: 'refs/heads/main', commits: [] }))}`,
    expected: { type: 'push', provider: 'github' },
  },
  {
    name: 'Stripe: Stripe-Signature and the body type',
    headers: { ...JSON_TYPE, 'Stripe-Signature': 't=1,v1=00' },
    body: JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', data: { object: { amount: 1200 } } }),
    expected: { type: 'payment_intent.succeeded', provider: 'stripe' },
  },
  {
    name: 'Shopify: X-Shopify-Topic',
    headers: { ...JSON_TYPE, 'X-Shopify-Topic': 'orders/create', 'X-Shopify-Hmac-Sha256': 'x' },
    body: JSON.stringify({ id: 820982911946154500, line_items: [{ sku: 'SKU-1' }] }),
    expected: { type: 'orders/create', provider: 'shopify' },
  },
  {
    name: "Slack: an app event's own type inside event_callback",
    headers: { ...JSON_TYPE, 'X-Slack-Signature': 'v0=00', 'X-Slack-Request-Timestamp': '1' },
    body: JSON.stringify({ token: 'x', team_id: 'T1', type: 'event_callback', event: { type: 'app_mention', text: 'hi' } }),
    expected: { type: 'app_mention', provider: 'slack' },
  },
  {
    name: 'Slack: the URL check',
    headers: { ...JSON_TYPE, 'X-Slack-Signature': 'v0=00' },
    body: JSON.stringify({ token: 'x', challenge: 'c', type: 'url_verification' }),
    expected: { type: 'url_verification', provider: 'slack' },
  },
  {
    name: 'Standard Webhooks: webhook-id and the body type',
    headers: { ...JSON_TYPE, 'webhook-id': 'msg_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,00' },
    body: JSON.stringify({ type: 'job.completed', timestamp: '2026-12-05T10:00:00Z', data: { id: 'j1' } }),
    expected: { type: 'job.completed', provider: 'standard-webhooks' },
  },
  {
    name: 'Svix',
    headers: { ...JSON_TYPE, 'svix-id': 'msg_1', 'svix-timestamp': '1', 'svix-signature': 'v1,00' },
    body: JSON.stringify({ type: 'message.attempt.exhausted', data: {} }),
    expected: { type: 'message.attempt.exhausted', provider: 'svix' },
  },
  {
    name: "Twilio: a status callback form's MessageStatus",
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': 'x' },
    body: 'MessageSid=SM1&MessageStatus=delivered&To=%2B15550001',
    expected: { type: 'message.delivered', provider: 'twilio' },
  },
  {
    name: 'Paddle: Paddle-Signature and event_type',
    headers: { ...JSON_TYPE, 'Paddle-Signature': 'ts=1;h1=00' },
    body: JSON.stringify({ event_id: 'evt_1', event_type: 'subscription.created', data: {} }),
    expected: { type: 'subscription.created', provider: 'paddle' },
  },
  {
    name: 'CloudEvents in binary mode: ce-type',
    headers: { ...JSON_TYPE, 'ce-specversion': '1.0', 'ce-type': 'com.example.object.deleted.v2', 'ce-id': '1', 'ce-source': '/x' },
    body: JSON.stringify({ id: 1 }),
    expected: { type: 'com.example.object.deleted.v2', provider: 'cloudevents' },
  },
  {
    name: 'CloudEvents in structured mode',
    headers: { 'Content-Type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', type: 'com.github.pull_request.opened', source: '/x', id: 'A' }),
    expected: { type: 'com.github.pull_request.opened', provider: 'cloudevents' },
  },
  {
    name: 'a body event field, of no known provider',
    headers: JSON_TYPE,
    body: JSON.stringify({ event: 'transcription.completed', id: 't1' }),
    expected: { type: 'transcription.completed' },
  },
  {
    name: 'a job webhook: its status word (seed 000)',
    headers: JSON_TYPE,
    body: JSON.stringify({ jobId: '28d84ce1', status: 'Success', result: { text: 'hi' } }),
    expected: { type: 'Success' },
  },
  {
    name: 'a status word one object down',
    headers: JSON_TYPE,
    body: JSON.stringify({ success: true, data: { id: 'v1', status: 'done' } }),
    expected: { type: 'done' },
  },
  {
    name: 'nothing that names an event',
    headers: JSON_TYPE,
    body: JSON.stringify({ hello: 'world', count: 2 }),
    expected: null,
  },
];

async function deliver(hc: HookCatch, path: string, d: Pick<Delivery, 'headers' | 'body'>): Promise<RequestRecord> {
  const reply: Reply = await send(`${hc.receiverUrl}${path}`, { method: 'POST', headers: d.headers, body: d.body });
  expect(reply.status).toBe(200);
  const { id } = json<{ id: string }>(reply);
  return json<RequestRecord>(await send(`${hc.inspectorUrl}/api/requests/${id}`));
}

describe('event types', () => {
  it("tells each provider's event type as it arrives, keeps it, and filters and counts by it", async () => {
    const hc = await startHookCatch();
    for (const d of DELIVERIES) {
      const record = await deliver(hc, '/hooks', d);
      if (d.expected === null) expect(record.event, d.name).toBeUndefined();
      else {
        expect(record.event, d.name).toMatchObject(d.expected);
        expect(record.event?.provider, d.name).toBe(d.expected.provider);
        expect(record.summary.event, d.name).toEqual(record.event);
      }
    }
    const page = json<RequestPage>(await send(`${hc.inspectorUrl}/api/requests?event=${encodeURIComponent('check_run')}`));
    expect(page.items.map((item) => item.event?.type)).toEqual(['check_run.completed']);
    const succeeded = json<RequestPage>(await send(`${hc.inspectorUrl}/api/requests?event=${encodeURIComponent('*.completed,push')}`));
    expect(succeeded.items.map((item) => item.event?.type).sort()).toEqual(['check_run.completed', 'job.completed', 'push', 'transcription.completed']);
    const counts = json<EventCounts>(await send(`${hc.inspectorUrl}/api/event-types`));
    expect(counts.untyped).toBe(1);
    expect(counts.items).toHaveLength(DELIVERIES.length - 1);
    expect(counts.items.find((item) => item.type === 'orders/create')).toMatchObject({ provider: 'shopify', count: 1 });
  });

  it("takes the user's own rules first (--event-path), joining parts, with a provider name", async () => {
    const hc = await startHookCatch({ eventPaths: ['acme=body.resource+body.action', 'header.x-kind'] });
    const acme = await deliver(hc, '/acme', {
      headers: { ...JSON_TYPE, 'X-GitHub-Event': 'push' },
      body: JSON.stringify({ resource: 'invoice', action: 'paid' }),
    });
    expect(acme.event).toEqual({ type: 'invoice.paid', provider: 'acme', from: 'rule acme=body.resource+body.action' });
    const kind = await deliver(hc, '/other', { headers: { ...JSON_TYPE, 'X-Kind': 'render.done' }, body: '{}' });
    expect(kind.event).toEqual({ type: 'render.done', from: 'rule header.x-kind' });
    // A rule that finds nothing leaves the capture to what hook-catch knows.
    const github = await deliver(hc, '/gh', { headers: { ...JSON_TYPE, 'X-GitHub-Event': 'push' }, body: '{"ref":"x"}' });
    expect(github.event).toMatchObject({ type: 'push', provider: 'github' });
  });

  it('shows the event type in show, and list --event and export --event take it, from the store after a restart', async () => {
    const hc = await startHookCatch();
    const dir = hc.dir;
    await deliver(hc, '/hooks', DELIVERIES[2]!);
    await deliver(hc, '/hooks', DELIVERIES[3]!);
    await hc.close();
    const list = await runCli(['list', '--dir', dir, '--event', 'orders']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('shopify orders/create');
    expect(list.stdout).not.toContain('payment_intent');
    const all = await runCli(['list', '--dir', dir, '--json', '-e', 'payment_intent.succeeded']);
    expect(JSON.parse(all.stdout).items.map((item: { event: { type: string } }) => item.event.type)).toEqual(['payment_intent.succeeded']);
    const out = join(dir, 'fixtures');
    const exported = await runCli(['export', '--dir', dir, '--out', out, '--event', 'orders']);
    expect(exported.code).toBe(0);
    const files = await readdir(out);
    expect(files).toHaveLength(1);
    expect(JSON.parse(await readFile(join(out, files[0]!), 'utf8')).headers).toContainEqual(['X-Shopify-Topic', 'orders/create']);
    const show = await runCli(['show', 'last', '--dir', dir]);
    expect(show.stdout).toMatch(/event\s+shopify orders\/create\s+\(from header X-Shopify-Topic\)/);
  });

  it('refuses an --event-path rule it cannot read, in one line', async () => {
    const run = await runCli(['start', '--no-tunnel', '--port', '0', '--inspector-port', '0', '--event-path', 'bdy.kind']);
    expect(run.code).not.toBe(0);
    expect(run.stderr.split('\n')[0]).toMatch(/^hook-catch: .*--event-path "bdy\.kind" is not a rule hook-catch knows; .*acme=body\.resource\+body\.action/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
