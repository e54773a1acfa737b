import { describe, expect, it } from 'vitest';
import { createCompiler } from '../src/schema-check/validator.js';
import { MAX_ERRORS } from '../src/schema-check/words.js';

// A body's errors against a JSON Schema, as the verdict says them: a JSON path of the body, then what
// was expected and what came. Compiled and checked by Ajv itself, as start --schema does.

function errorsOf(schema: object, body: unknown): string[] | null {
  const compiler = createCompiler('2020-12');
  compiler.add(schema, 'test:schema', true);
  return compiler.compile('test:schema').errorsOf(body);
}

describe('a schema error in plain words', () => {
  it('names the path (dots, [n] for an item, ["…"] for a name that is not a word; the body itself is body)', () => {
    const schema = {
      type: 'object',
      required: ['id'],
      properties: {
        items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
        'two words': { type: 'integer' },
        '0': { type: 'boolean' },
      },
    };
    expect(errorsOf(schema, { items: [{ sku: 'a' }, { sku: 7 }], 'two words': 1.5, '0': 'yes' })).toEqual([
      'body: missing required field "id"',
      'body["0"]: expected boolean, got string "yes"',
      'items[1].sku: expected string, got number 7',
      'body["two words"]: expected integer, got number 1.5',
    ]);
    expect(errorsOf({ type: 'array', items: { type: 'object', required: ['sku'] } }, [{ sku: 1 }, {}])).toEqual(['body[1]: missing required field "sku"']);
  });

  it('says each keyword in words: enum, const, bounds, lengths, formats, patterns, extra fields, several types', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      properties: {
        status: { enum: ['completed', 'failed'] },
        kind: { const: 'order' },
        amount: { type: 'number', minimum: 0, multipleOf: 0.5 },
        name: { type: 'string', minLength: 1 },
        tags: { type: 'array', maxItems: 1, uniqueItems: true },
        at: { type: 'string', format: 'date-time' },
        id: { type: 'string', pattern: '^evt_' },
        note: { type: ['string', 'null'] },
      },
    };
    expect(errorsOf(schema, { status: 'done', kind: 'refund', amount: -1.25, name: '', extra: true })).toEqual([
      'body: unexpected field "extra"',
      'status: expected one of "completed", "failed", got "done"',
      'kind: expected "order", got "refund"',
      'amount: expected at least 0, got -1.25',
      'amount: expected a multiple of 0.5, got -1.25',
    ]);
    expect(errorsOf(schema, { name: 'x', tags: ['a', 'a'], at: 'yesterday', id: 'x1', note: 3 })).toEqual([
      'tags: expected at most 1 item, got 2',
      'tags: items 0 and 1 are the same',
      'at: expected format "date-time", got string "yesterday"',
      'id: expected to match /^evt_/, got string "x1"',
      'note: expected string or null, got number 3',
    ]);
  });

  it("a oneOf or anyOf that no branch matches is one error, not each branch's; an if says nothing of its own", () => {
    const schema = {
      type: 'object',
      properties: {
        payment: {
          oneOf: [
            { type: 'object', required: ['card'] },
            { type: 'object', required: ['iban'] },
          ],
        },
        ref: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      },
      if: { properties: { kind: { const: 'refund' } }, required: ['kind'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's then keyword, not a promise
      then: { required: ['reason'] },
    };
    expect(errorsOf(schema, { payment: { cash: 1 }, ref: true, kind: 'refund' })).toEqual([
      'body: missing required field "reason"',
      'payment: matches none of the allowed shapes',
      'ref: matches none of the allowed shapes',
    ]);
    expect(errorsOf(schema, { payment: { card: 1, iban: 2 } })).toEqual(['payment: matches more than one of the allowed shapes']);
  });

  it('keeps the first few errors only, and says nothing of a valid body', () => {
    const schema = { type: 'array', items: { type: 'integer' } };
    expect(errorsOf(schema, ['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toHaveLength(MAX_ERRORS);
    expect(errorsOf(schema, [1, 2, 3])).toBeNull();
  });
});
