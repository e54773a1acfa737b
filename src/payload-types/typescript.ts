import type { Field, TypeNode } from './infer.js';
import { originText, type TypedGroup } from './typed.js';

// TypeScript: one interface (or type) per event type, a map of them by event type
// (`WebhookPayloads`), and a union discriminated on `event` (`WebhookEvent`). Dates and URLs are
// strings in JSON, so they are named string types, not `Date`.

const NAMED_STRINGS = {
  'date-time': ['IsoDateTime', 'An ISO 8601 date and time as the payload sends it (`2026-01-02T03:04:05Z`).'],
  date: ['IsoDate', 'An ISO 8601 date (`2026-01-02`).'],
  uri: ['Url', 'An absolute http(s) URL.'],
} as const;

export function typescriptOf(groups: TypedGroup[], heading: string[]): string {
  const used = new Set<keyof typeof NAMED_STRINGS>();
  const bodies = groups.map((group) => declaration(group, used));
  const events = groups.filter((g) => !g.untyped);
  const untyped = groups.filter((g) => g.untyped);
  const out = [...heading.map((line) => `// ${line}`), ''];
  for (const format of Object.keys(NAMED_STRINGS) as (keyof typeof NAMED_STRINGS)[]) {
    if (used.has(format)) out.push(`/** ${NAMED_STRINGS[format][1]} */`, `export type ${NAMED_STRINGS[format][0]} = string;`, '');
  }
  for (const body of bodies) out.push(body, '');
  out.push("/** Each event type's payload, by the event type. */", 'export interface WebhookPayloads {');
  for (const g of events) out.push(`  ${JSON.stringify(g.key)}: ${g.name};`);
  out.push('}', '', '/** One event: its type and its payload (narrow it on `event`). */');
  if (events.length === 0) out.push('export type WebhookEvent = never;');
  else
    out.push(
      'export type WebhookEvent =',
      ...events.map((g, i) => `  | { event: ${JSON.stringify(g.key)}; payload: ${g.name} }${i === events.length - 1 ? ';' : ''}`),
    );
  if (untyped.length > 0) {
    out.push('', '/** Payloads of captures with no event type, by the path they came to. */', 'export interface UntypedPayloads {');
    for (const g of untyped) out.push(`  ${JSON.stringify(g.key)}: ${g.name};`);
    out.push('}');
  }
  return `${out.join('\n')}\n`;
}

function declaration(group: TypedGroup, used: Set<keyof typeof NAMED_STRINGS>): string {
  const doc = `/** ${originText(group)}. */`;
  const type = tsType(group.type, '', used);
  return group.type.kind === 'object' && group.type.fields.length > 0
    ? `${doc}\nexport interface ${group.name} ${type}`
    : `${doc}\nexport type ${group.name} = ${type};`;
}

function tsType(node: TypeNode, indent: string, used: Set<keyof typeof NAMED_STRINGS>): string {
  switch (node.kind) {
    case 'unknown':
    case 'null':
    case 'boolean':
      return node.kind;
    case 'integer':
    case 'number':
      return 'number';
    case 'string':
      if (node.values) return node.values.map((v) => JSON.stringify(v)).join(' | ');
      if (node.format) {
        used.add(node.format);
        return NAMED_STRINGS[node.format][0];
      }
      return 'string';
    case 'array': {
      const items = tsType(node.items, indent, used);
      const several = node.items.kind === 'union' || (node.items.kind === 'string' && (node.items.values?.length ?? 0) > 1);
      return several ? `(${items})[]` : `${items}[]`;
    }
    case 'object':
      return node.fields.length === 0 ? 'Record<string, unknown>' : objectType(node.fields, indent, used);
    case 'union':
      return node.of.map((member) => tsType(member, indent, used)).join(' | ');
  }
}

function objectType(fields: Field[], indent: string, used: Set<keyof typeof NAMED_STRINGS>): string {
  const inner = `${indent}  `;
  const lines = fields.map((f) => `${inner}${propertyName(f.name)}${f.optional ? '?' : ''}: ${tsType(f.type, inner, used)};`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** A property name as written in a type: bare when it is an identifier, quoted otherwise. */
export const propertyName = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
