import { h } from './dom.js';
import type { SchemaVerdict } from './types.js';

const MARKS: Record<SchemaVerdict['verdict'], string> = { valid: '✓', invalid: '✗', unchecked: '?' };

/** A `--schema` verdict as a small badge: `✓ schema` (green), `✗ schema` (red), `? schema` (grey), with the errors or the reason in its title. */
export function schemaBadge(schema: SchemaVerdict): HTMLElement {
  return h(
    'span',
    { class: `badge schema ${schema.verdict}`, title: schemaTitle(schema), data: { verdict: schema.verdict } },
    `${MARKS[schema.verdict]} schema`,
  );
}

/** `valid against webhooks.orderCreated`, `invalid against $defs.IssuesOpened`, `not checked`. */
function schemaWords(schema: SchemaVerdict): string {
  const verdict = schema.verdict === 'unchecked' ? 'not checked' : schema.verdict;
  return schema.against && schema.verdict !== 'unchecked' ? `${verdict} against ${schema.against}` : verdict;
}

/** The badge's tooltip: the verdict, then each error on a line of its own, or the reason. */
function schemaTitle(schema: SchemaVerdict): string {
  const lines = [`body ${schemaWords(schema)}`, ...(schema.errors ?? []), ...(schema.reason ? [schema.reason] : [])];
  return lines.join('\n');
}

/** The verdict as the detail shows it: the badge, the words, and the errors (JSON paths) or the reason, each on a line. */
export function schemaView(schema: SchemaVerdict): HTMLElement {
  const notes = schema.errors ?? (schema.reason ? [schema.reason] : []);
  return h(
    'span',
    { class: 'schema-verdict', data: { verdict: schema.verdict } },
    schemaBadge(schema),
    ' ',
    h('span', { class: 'schema-words' }, schemaWords(schema)),
    notes.length ? h('ul', { class: 'schema-errors' }, ...notes.map((note) => h('li', null, note))) : null,
  );
}
