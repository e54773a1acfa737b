import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SchemaVerdict } from '../src/capture/shapes.js';
import { COMPILED_AT_START } from '../src/schema-check/load.js';
import type { HookCatch } from '../src/start.js';
import { json, later, runCli, send, spawnCli, startHookCatch, tempDir } from './helpers/index.js';

// `start --schema` and `hook-catch check --schema`: captures' bodies against a user's spec, on real
// servers and the real CLI. The specs are small files written here, one of each kind hook-catch reads.

/** A shop's OpenAPI 3.1 webhooks: one named after its event type, one whose schema pins it, `$ref`s into components. */
const OPENAPI = `openapi: 3.1.0
info: { title: Shop, version: '1' }
webhooks:
  order.created:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [type, data]
              properties:
                type: { const: order.created }
                data:
                  type: object
                  required: [object]
                  properties:
                    object: { $ref: '#/components/schemas/Order' }
  refundWebhook:
    post:
      requestBody:
        $ref: '#/components/requestBodies/Refund'
components:
  requestBodies:
    Refund:
      content:
        application/json:
          schema: { $ref: '#/components/schemas/Refund' }
  schemas:
    Order:
      type: object
      required: [id, amount, status]
      properties:
        id: { type: string }
        amount: { type: integer }
        status: { enum: [completed, failed] }
    Refund:
      type: object
      required: [type, id]
      properties:
        type: { type: string, enum: [refund.issued] }
        id: { type: string }
`;

const ORDER_OK = { type: 'order.created', data: { object: { id: 'o1', amount: 1200, status: 'completed' } } };
const ORDER_BAD = { type: 'order.created', data: { object: { id: 'o2', amount: '12', status: 'done' } } };

async function specFile(name: string, text: string): Promise<string> {
  const file = join(await tempDir(), name);
  await writeFile(file, text);
  return file;
}

/** Delivers a JSON body; resolves with its id once its verdict is kept in the store (the `analysis` event; 20 s at most). */
async function deliver(hc: HookCatch, body: unknown, headers: Record<string, string> = {}): Promise<string> {
  const kept = new Set<string>();
  let answered: (() => void) | null = null;
  const listener = (id: string) => (kept.add(id), answered?.());
  hc.events.on('analysis', listener);
  try {
    const reply = await send(`${hc.receiverUrl}/webhook`, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', ...headers },
    });
    expect(reply.status).toBe(200);
    const id = json(reply).id as string;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no verdict kept for ${id} within 20 s`)), 20_000);
      answered = () => kept.has(id) && (clearTimeout(timer), resolve());
      answered();
    });
    return id;
  } finally {
    hc.events.off('analysis', listener);
  }
}

async function summaryOf(hc: HookCatch, id: string) {
  return json(await send(`${hc.inspectorUrl}/api/requests/${id}`)).summary;
}

describe('start --schema: an OpenAPI 3.1 file with webhooks', () => {
  it('gives each capture a verdict (valid, invalid with JSON paths in plain words, unchecked and why), kept across a restart', async () => {
    const schema = await specFile('openapi.yaml', OPENAPI);
    const hc = await startHookCatch({ schema });
    const ok = await deliver(hc, ORDER_OK);
    const bad = await deliver(hc, ORDER_BAD);
    // Matched by the event type its schema pins (refund.issued), though the webhook is named refundWebhook.
    const refund = await deliver(hc, { type: 'refund.issued' });
    const other = await deliver(hc, { type: 'other.thing', id: 'x' });
    const notJson = await deliver(hc, 'not json at all', { 'Content-Type': 'text/plain', 'X-Event-Type': 'order.created' });

    const expected: Record<string, SchemaVerdict> = {
      [ok]: { verdict: 'valid', against: 'webhooks.order.created' },
      [bad]: {
        verdict: 'invalid',
        against: 'webhooks.order.created',
        errors: ['data.object.amount: expected integer, got string "12"', 'data.object.status: expected one of "completed", "failed", got "done"'],
      },
      [refund]: { verdict: 'invalid', against: 'webhooks.refundWebhook', errors: ['body: missing required field "id"'] },
      [other]: { verdict: 'unchecked', reason: `${schema} has no webhook for event other.thing (none is named after it or pins it)` },
      [notJson]: { verdict: 'unchecked', against: 'webhooks.order.created', reason: 'its body is not JSON (text/plain)' },
    };
    const check = async (at: HookCatch) => {
      for (const [id, verdict] of Object.entries(expected)) expect((await summaryOf(at, id)).schema, id).toEqual(verdict);
      const page = json(await send(`${at.inspectorUrl}/api/requests`));
      expect(Object.fromEntries(page.items.map((item: any) => [item.id, item.schema]))).toEqual(expected);
      expect((await at.store.get(bad))?.schema).toEqual(expected[bad]);
    };
    await check(hc);
    const dir = hc.dir;
    await hc.close();
    await check(await startHookCatch({ dir }));
  });

  it('tells the live stream of a verdict once it is kept (an analysis message), after the capture itself', async () => {
    const hc = await startHookCatch({ schema: await specFile('openapi.yaml', OPENAPI) });
    const ws = new WebSocket(`${hc.streamUrl}`);
    later(() => ws.terminate());
    const messages: any[] = [];
    const analysed = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        messages.push(...JSON.parse(String(data)));
        if (messages.some((m) => m.type === 'analysis')) resolve();
      }),
    );
    await new Promise((resolve) => ws.once('open', resolve));
    const id = await deliver(hc, ORDER_BAD);
    await analysed;
    const request = messages.findIndex((m) => m.type === 'request' && m.request.id === id);
    const analysis = messages.findIndex((m) => m.type === 'analysis' && m.id === id);
    expect(request).toBeGreaterThanOrEqual(0);
    expect(analysis).toBeGreaterThan(request);
    expect(messages[analysis]).toEqual({ type: 'analysis', id, schema: expect.objectContaining({ verdict: 'invalid', against: 'webhooks.order.created' }) });
  });

  it('with one webhook only, checks every capture against it, whatever its event type', async () => {
    const one = OPENAPI.replace(/ {2}refundWebhook:[\s\S]*?(?=components:)/, '');
    const hc = await startHookCatch({ schema: await specFile('one.yaml', one) });
    const id = await deliver(hc, { type: 'something.else' });
    expect((await summaryOf(hc, id)).schema).toEqual({
      verdict: 'invalid',
      against: 'webhooks.order.created',
      errors: ['body: missing required field "data"', 'type: expected "order.created", got "something.else"'],
    });
  });
});

describe('start --schema: a spec of many webhooks', () => {
  it('compiles each schema when first used (not all at start); one that cannot be leaves its captures unchecked, saying why', async () => {
    const webhooks: Record<string, unknown> = {};
    const body = (schema: object) => ({ post: { requestBody: { content: { 'application/json': { schema } } } } });
    for (let i = 0; i <= COMPILED_AT_START; i++) webhooks[`event.${i}`] = body({ type: 'object', required: [`field${i}`] });
    webhooks['broken.one'] = body({ $ref: '#/components/schemas/Nowhere' });
    const spec = { openapi: '3.1.0', info: { title: 'Many', version: '1' }, webhooks, components: { schemas: {} } };
    const hc = await startHookCatch({ schema: await specFile('many.json', JSON.stringify(spec)) });
    const ok = await deliver(hc, { type: 'event.3', field3: 1 });
    const bad = await deliver(hc, { type: 'event.7' });
    const broken = await deliver(hc, { type: 'broken.one' });
    expect((await summaryOf(hc, ok)).schema).toEqual({ verdict: 'valid', against: 'webhooks.event.3' });
    expect((await summaryOf(hc, bad)).schema).toEqual({ verdict: 'invalid', against: 'webhooks.event.7', errors: ['body: missing required field "field7"'] });
    expect((await summaryOf(hc, broken)).schema).toEqual({
      verdict: 'unchecked',
      against: 'webhooks.broken.one',
      reason: 'its schema $ref "#/components/schemas/Nowhere" points at nothing in it',
    });
  });
});

describe('start --schema: the other kinds of spec', () => {
  it('reads the output of hook-catch types --lang json-schema: the event type picks its $ref', async () => {
    const types = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      'x-hook-catch-events': {
        'issues.opened': { $ref: '#/$defs/IssuesOpened', samples: 3 },
        'invoice.paid': { $ref: '#/$defs/InvoicePaid', samples: 1 },
      },
      oneOf: [{ $ref: '#/$defs/IssuesOpened' }, { $ref: '#/$defs/InvoicePaid' }],
      $defs: {
        IssuesOpened: { type: 'object', required: ['action', 'issue'], properties: { action: { const: 'opened' }, issue: { $ref: '#/$defs/Issue' } } },
        Issue: { type: 'object', required: ['number'], properties: { number: { type: 'integer' }, labels: { type: 'array', items: { type: 'string' } } } },
        InvoicePaid: { type: 'object', required: ['type', 'amount'], properties: { type: { type: 'string' }, amount: { type: 'number', minimum: 0 } } },
      },
    };
    const hc = await startHookCatch({ schema: await specFile('types.json', JSON.stringify(types)) });
    const github = { 'X-GitHub-Event': 'issues' };
    const ok = await deliver(hc, { action: 'opened', issue: { number: 7, labels: ['bug'] } }, github);
    const bad = await deliver(hc, { action: 'opened', issue: { number: 7.5, labels: ['bug', 3] } }, github);
    const paid = await deliver(hc, { type: 'invoice.paid', amount: -5 });
    expect((await summaryOf(hc, ok)).schema).toEqual({ verdict: 'valid', against: '$defs.IssuesOpened' });
    expect((await summaryOf(hc, bad)).schema).toEqual({
      verdict: 'invalid',
      against: '$defs.IssuesOpened',
      errors: ['issue.number: expected integer, got number 7.5', 'issue.labels[1]: expected string, got number 3'],
    });
    expect((await summaryOf(hc, paid)).schema).toEqual({ verdict: 'invalid', against: '$defs.InvoicePaid', errors: ['amount: expected at least 0, got -5'] });
  });

  it('reads a folder of JSON Schemas named after their event types (JSON or YAML), and one JSON Schema for every capture', async () => {
    const folder = join(await tempDir(), 'schemas');
    await mkdir(folder);
    await writeFile(
      join(folder, 'issues-opened.schema.json'),
      JSON.stringify({ type: 'object', required: ['action'], properties: { action: { const: 'opened' } }, additionalProperties: false }),
    );
    await writeFile(join(folder, 'invoice.paid.yaml'), 'type: object\nrequired: [amount]\n');
    const hc = await startHookCatch({ schema: folder });
    const issue = await deliver(hc, { action: 'opened', extra: 1 }, { 'X-GitHub-Event': 'issues' });
    const invoice = await deliver(hc, { type: 'invoice.paid' });
    expect((await summaryOf(hc, issue)).schema).toEqual({
      verdict: 'invalid',
      against: 'issues-opened.schema.json',
      errors: ['body: unexpected field "extra"'],
    });
    expect((await summaryOf(hc, invoice)).schema).toEqual({
      verdict: 'invalid',
      against: 'invoice.paid.yaml',
      errors: ['body: missing required field "amount"'],
    });

    const single = await specFile('payload.schema.json', JSON.stringify({ type: 'object', properties: { when: { type: 'string', format: 'date-time' } } }));
    const other = await startHookCatch({ schema: single });
    const id = await deliver(other, { when: 'yesterday' });
    expect((await summaryOf(other, id)).schema).toEqual({
      verdict: 'invalid',
      against: 'payload.schema.json',
      errors: ['when: expected format "date-time", got string "yesterday"'],
    });
  });
});

describe('a spec that cannot be used', () => {
  const cases: [string, string, string, RegExp][] = [
    ['a file that is not there', 'missing.yaml', '', /--schema .*missing\.yaml: no such file or folder\.$/],
    [
      'YAML that does not parse',
      'broken.yaml',
      'openapi: 3.1.0\nwebhooks: [a\n',
      /--schema .*broken\.yaml: not valid YAML: Flow sequence .* at line 3, column 1\.$/,
    ],
    ['JSON that does not parse', 'broken.json', '{"type": "object",}', /--schema .*broken\.json: not valid JSON: /],
    ['OpenAPI without webhooks', 'paths.yaml', 'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths: {}\n', /OpenAPI 3\.0\.3 with no webhooks section/],
    [
      'a $ref to nothing',
      'ref.yaml',
      OPENAPI.replace("$ref: '#/components/schemas/Order'", "$ref: '#/components/schemas/Ordr'"),
      /webhooks\.order\.created: \$ref "#\/components\/schemas\/Ordr" points at nothing in it\.$/,
    ],
    ['a keyword used wrong', 'bad.json', '{"type": "integr"}', /bad\.json is not a valid JSON Schema: type must be equal to one of the allowed values/],
  ];
  it.each(cases)('%s: start says so in one line and exits 1', async (_, name, text, message) => {
    const dir = await tempDir();
    const file = join(dir, name);
    if (text) await writeFile(file, text);
    const run = await runCli(['start', '--port', '0', '--inspector-port', '0', '--no-tunnel', '--dir', join(dir, 'store'), '--schema', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(/^hook-catch: /);
    expect(run.stderr.trim()).toMatch(message);
  });
});

describe('hook-catch check --schema', () => {
  async function storeWith(bodies: { body: unknown; headers?: Record<string, string> }[]) {
    const hc = await startHookCatch();
    const ids: string[] = [];
    for (const { body, headers } of bodies) {
      const reply = await send(`${hc.receiverUrl}/webhook`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json', ...headers },
      });
      ids.push(json(reply).id);
    }
    await hc.close();
    return { dir: hc.dir, ids };
  }

  it('checks the stored webhooks offline: a line each, a summary, exit 1 on an invalid one and 0 when the rest are valid or unchecked', async () => {
    const schema = await specFile('openapi.yaml', OPENAPI);
    const { dir, ids } = await storeWith([{ body: ORDER_OK }, { body: ORDER_BAD }, { body: { type: 'other.thing' } }]);
    const all = await runCli(['check', '--schema', schema, '--dir', dir]);
    expect(all.code).toBe(1);
    const lines = all.stdout.trim().split('\n');
    expect(lines).toHaveLength(5); // three captures, the invalid one's two errors below it
    expect(lines[0]).toMatch(/order\.created\s+✓ valid {2}webhooks\.order\.created$/);
    expect(lines[1]).toMatch(/order\.created\s+✗ invalid {2}webhooks\.order\.created$/);
    expect(lines[2]).toBe('    data.object.amount: expected integer, got string "12"');
    expect(lines[3]).toBe('    data.object.status: expected one of "completed", "failed", got "done"');
    expect(lines[4]).toMatch(/other\.thing\s+\? unchecked: .*openapi\.yaml has no webhook for event other\.thing/);
    expect(all.stderr).toContain('3 checked against');
    expect(all.stderr).toContain('1 valid, 1 invalid, 1 unchecked (unchecked ones do not fail the check)');

    const fine = await runCli(['check', ids[0]!, ids[2]!, '--schema', schema, '--dir', dir]);
    expect(fine.code).toBe(0);
    expect(fine.stdout.trim().split('\n')).toHaveLength(2);

    const last = await runCli(['check', 'last', '--schema', schema, '--dir', dir, '--json']);
    expect(last.code).toBe(0);
    expect(JSON.parse(last.stdout)).toMatchObject({ schema, valid: 0, invalid: 0, unchecked: 1, skipped: 0, items: [{ id: ids[2], event: 'other.thing' }] });

    const orders = await runCli(['check', '--event', 'order.*', '--schema', schema, '--dir', dir, '--json']);
    expect(orders.code).toBe(1);
    expect(JSON.parse(orders.stdout).items.map((item: any) => item.id)).toEqual([ids[0], ids[1]]);
  });

  it('says what is wrong in one line, exit 2: no --schema, an id not stored, a spec that cannot be used', async () => {
    const schema = await specFile('openapi.yaml', OPENAPI);
    const { dir } = await storeWith([{ body: ORDER_OK }]);
    const noSpec = await runCli(['check', '--dir', dir]);
    const noId = await runCli(['check', 'zzzzzz', '--schema', schema, '--dir', dir]);
    const badSpec = await runCli(['check', '--schema', join(dir, 'nope.yaml'), '--dir', dir]);
    for (const [run, message] of [
      [noSpec, /Give what to check against: hook-catch check --schema openapi\.yaml \(your spec\), or --against/],
      [noId, /No stored request matches "zzzzzz"/],
      [badSpec, /--schema .*nope\.yaml: no such file or folder\./],
    ] as const) {
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
  });
});

describe('the CLI shows the verdict', () => {
  it('start --schema: on the terminal line, in list and in show', async () => {
    const dir = await tempDir();
    const schema = await specFile('openapi.yaml', OPENAPI);
    const cli = spawnCli(['start', '--port', '0', '--inspector-port', '0', '--no-tunnel', '--dir', join(dir, 'store'), '--schema', schema]);
    const url = (await cli.printed(/Webhook\s+(http:\S+)/))[1]!;
    expect(cli.stdout()).toMatch(/Schema\s+.*openapi\.yaml: OpenAPI 3\.1\.0, 2 webhooks/);
    for (const body of [ORDER_OK, ORDER_BAD]) await send(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    await cli.printed(/✓ schema/);
    await cli.printed(/✗ schema: data\.object\.amount: expected integer, got string "12" \(\+1 more\)/);
    await expect
      .poll(async () => (await runCli(['list', '--dir', join(dir, 'store')])).stdout)
      .toMatch(/order\.created {2}✗ schema: data\.object\.amount: expected integer, got string "12" \(\+1 more\)[^\n]*\n.*order\.created {2}✓ schema/);
    const show = await runCli(['show', 'last', '--dir', join(dir, 'store')]);
    expect(show.stdout).toContain('schema    ✗ invalid against webhooks.order.created\n');
    expect(show.stdout).toContain('            data.object.status: expected one of "completed", "failed", got "done"\n');
  });
});
