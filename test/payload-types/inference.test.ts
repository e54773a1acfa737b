import { describe, expect, it } from 'vitest';
import { typeOf } from '../../src/payload-types/infer.js';
import { PayloadCollector, renderTypes } from '../../src/payload-types/index.js';
import { addValue, emptyShape } from '../../src/payload-types/shape.js';

// How several samples become one type: optional fields, unions, merged arrays, enums, formats.

const typeFrom = (...samples: unknown[]) => {
  const shape = emptyShape();
  for (const sample of samples) addValue(shape, sample);
  return typeOf(shape);
};
const field = (type: ReturnType<typeof typeFrom>, name: string) => {
  if (type.kind !== 'object') throw new Error(`not an object: ${type.kind}`);
  const found = type.fields.find((f) => f.name === name);
  if (!found) throw new Error(`no field ${name}`);
  return found;
};
const typescriptOf = (samples: Record<string, unknown[]>) => {
  const collector = new PayloadCollector();
  for (const [event, bodies] of Object.entries(samples)) for (const body of bodies) collector.addBody(body, event);
  return renderTypes(collector.result(), 'ts').text;
};

describe('payload types inferred from several samples', () => {
  it('a field missing from some samples is optional; one in every sample is required', () => {
    const type = typeFrom({ id: 'a', result: { url: 'x' } }, { id: 'b', error: 'E' }, { id: 'c', result: { url: 'y' } });
    expect(field(type, 'id').optional).toBe(false);
    expect(field(type, 'result').optional).toBe(true);
    expect(field(type, 'error').optional).toBe(true);
    expect(typescriptOf({ 'job.done': [{ id: 'a', result: 1 }, { id: 'b' }] })).toMatch(/id: string;\n\s+result\?: number;/);
  });

  it('a field seen as several types is a union of them; whole and other numbers are one number', () => {
    const type = typeFrom({ amount: 10 }, { amount: 12.5 }, { amount: null }, { amount: '10' });
    expect(field(type, 'amount').type).toEqual({ kind: 'union', of: [{ kind: 'string' }, { kind: 'number' }, { kind: 'null' }] });
    expect(field(typeFrom({ n: 1 }, { n: 2 }), 'n').type).toEqual({ kind: 'integer' });
    const text = typescriptOf({ x: [{ data: { id: 1 } }, { data: 'gone' }, { data: null }] });
    expect(text).toMatch(/data: \{\n\s+id: number;\n\s+\} \| string \| null;/);
  });

  it('the objects of an array are merged into one item type: a field some items lack is optional', () => {
    const type = typeFrom({ items: [{ sku: 'a', qty: 1 }, { sku: 'b' }] }, { items: [{ sku: 'c', qty: 2, gift: true }] }, { items: [] });
    expect(field(type, 'items').type).toEqual({
      kind: 'array',
      items: {
        kind: 'object',
        fields: [
          { name: 'sku', type: { kind: 'string' }, optional: false },
          { name: 'qty', type: { kind: 'integer' }, optional: true },
          { name: 'gift', type: { kind: 'boolean' }, optional: true },
        ],
      },
    });
    expect(typeFrom([], [])).toEqual({ kind: 'array', items: { kind: 'unknown' } });
    expect(typescriptOf({ x: [{ tags: ['a', 1] }] })).toContain('tags: (string | number)[];');
  });

  it('a kind-named field with few repeating words becomes a union of them; ids, names and single samples do not', () => {
    const samples = ['succeeded', 'failed', 'succeeded', 'processing'].map((status, n) => ({
      status,
      id: `job_${n}`,
      login: 'octocat',
      title: n % 2 ? 'Crash on start' : 'Crash on start',
    }));
    const type = typeFrom(...samples);
    expect(field(type, 'status').type).toEqual({ kind: 'string', values: ['failed', 'processing', 'succeeded'] });
    expect(field(type, 'id').type).toEqual({ kind: 'string' });
    expect(field(type, 'login').type).toEqual({ kind: 'string' }); // the same word every time, but not a kind
    expect(field(type, 'title').type).toEqual({ kind: 'string' });
    // Two samples are too few to call it a closed set; nine different words too many; all different: no repeat.
    expect(field(typeFrom({ state: 'open' }, { state: 'open' }), 'state').type).toEqual({ kind: 'string' });
    const nine = 'abcdefghi'.split('').flatMap((c) => [{ type: `kind_${c}` }, { type: `kind_${c}` }]);
    expect(field(typeFrom(...nine), 'type').type).toEqual({ kind: 'string' });
    expect(field(typeFrom({ type: 'a' }, { type: 'b' }, { type: 'c' }), 'type').type).toEqual({ kind: 'string' });
    // One word in every sample of an event: a literal.
    expect(typescriptOf({ 'invoice.paid': [1, 2, 3].map(() => ({ object: 'event' })) })).toContain('object: "event";');
  });

  it('strings that are all ISO date-times, dates or URLs are named; one that is not makes it a plain string', () => {
    const type = typeFrom(
      { at: '2026-05-01T09:00:00Z', day: '2026-05-01', url: 'https://example.com/a?b=1#c', mixed: 'https://example.com' },
      { at: '2026-05-01T09:00:00.123+02:00', day: '2026-12-31', url: 'http://127.0.0.1:8080/x', mixed: 'soon' },
    );
    expect(field(type, 'at').type).toEqual({ kind: 'string', format: 'date-time' });
    expect(field(type, 'day').type).toEqual({ kind: 'string', format: 'date' });
    expect(field(type, 'url').type).toEqual({ kind: 'string', format: 'uri' });
    expect(field(type, 'mixed').type).toEqual({ kind: 'string' });
    // Not what validators take as a date-time or a URI: no seconds, a URL template.
    expect(field(typeFrom({ at: '2026-05-01T09:00Z' }), 'at').type).toEqual({ kind: 'string' });
    expect(field(typeFrom({ u: 'https://api.github.com/users/octocat/starred{/owner}{/repo}' }), 'u').type).toEqual({ kind: 'string' });
    const text = typescriptOf({ x: [{ at: '2026-05-01T09:00:00Z', url: 'https://example.com' }] });
    expect(text).toContain('export type IsoDateTime = string;');
    expect(text).toContain('at: IsoDateTime;');
    expect(text).toContain('url: Url;');
  });

  it('names a type from its event type, and a union discriminated on the event over them all', () => {
    const text = typescriptOf({
      'payment_intent.succeeded': [{ id: 'pi_1' }],
      'orders/create': [{ id: 1 }],
      'issues.opened': [{ number: 1 }],
      issues_opened: [{ number: 2 }],
    });
    for (const name of ['PaymentIntentSucceeded', 'OrdersCreate', 'IssuesOpened', 'IssuesOpened2']) expect(text).toContain(`export interface ${name} {`);
    expect(text).toContain('/** `payment_intent.succeeded`: from 1 sample. */');
    expect(text).toContain('  "orders/create": OrdersCreate;');
    expect(text).toContain('  | { event: "issues.opened"; payload: IssuesOpened }');
  });

  it('captures with no event type are grouped by path, apart from the event types', () => {
    const collector = new PayloadCollector();
    collector.addBody({ a: 1 }, undefined, undefined, '/hooks/ai');
    collector.addBody({ a: 2 }, undefined, undefined, '/hooks/ai');
    collector.addBody({ b: 'x' }, 'thing.done');
    const { text, types } = renderTypes(collector.result(), 'ts');
    expect(types).toEqual([
      { event: 'thing.done', name: 'ThingDone', samples: 1 },
      { event: '/hooks/ai', name: 'UntypedHooksAi', samples: 2, untyped: true },
    ]);
    expect(text).toContain('export interface UntypedPayloads {\n  "/hooks/ai": UntypedHooksAi;\n}');
    expect(text).not.toContain('payload: UntypedHooksAi');
    const schema = JSON.parse(renderTypes(collector.result(), 'json-schema').text);
    expect(Object.keys(schema['x-hook-catch-events'])).toEqual(['thing.done']);
    expect(schema['x-hook-catch-paths']).toEqual({ '/hooks/ai': { $ref: '#/$defs/UntypedHooksAi', samples: 2 } });
  });

  it('the JSON Schema document: 2020-12, x-hook-catch-events, $defs, oneOf; optional fields not required; other fields allowed', () => {
    const collector = new PayloadCollector();
    collector.addBody({ id: 'e1', data: { n: 1 } }, 'invoice.paid', 'stripe');
    collector.addBody({ id: 'e2', data: { n: null, extra: true } }, 'invoice.paid', 'stripe');
    const schema = JSON.parse(renderTypes(collector.result(), 'json-schema').text);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['x-hook-catch-events']).toEqual({ 'invoice.paid': { $ref: '#/$defs/InvoicePaid', samples: 2, provider: 'stripe' } });
    expect(schema.oneOf).toEqual([{ $ref: '#/$defs/InvoicePaid' }]);
    const def = schema.$defs.InvoicePaid;
    expect(def.required).toEqual(['id', 'data']);
    expect(def.properties.data).toEqual({ type: 'object', properties: { n: { type: ['integer', 'null'] }, extra: { type: 'boolean' } }, required: ['n'] });
    expect(JSON.stringify(schema)).not.toContain('additionalProperties');
  });
});
