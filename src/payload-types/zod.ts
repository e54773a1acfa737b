import type { TypeNode } from './infer.js';
import { originText, type TypedGroup } from './typed.js';
import { propertyName } from './typescript.js';

// zod: one schema per event type (with its inferred type of the same name), a map of them by
// event type, and a union discriminated on `event`. Objects pass fields they do not name through
// (zod's default strips them; nothing is refused for a field it has not seen). Written with the calls
// zod 3.23 and zod 4 both have.

export function zodOf(groups: TypedGroup[], heading: string[]): string {
  const events = groups.filter((g) => !g.untyped);
  const untyped = groups.filter((g) => g.untyped);
  const out = [...heading.map((line) => `// ${line}`), '', "import { z } from 'zod';", ''];
  for (const g of groups) {
    out.push(`/** ${originText(g)}. */`, `export const ${g.name} = ${zodType(g.type, '')};`, `export type ${g.name} = z.infer<typeof ${g.name}>;`, '');
  }
  out.push("/** Each event type's payload schema, by the event type. */", 'export const WebhookPayloads = {');
  for (const g of events) out.push(`  ${JSON.stringify(g.key)}: ${g.name},`);
  out.push('};', '', '/** One event: its type and its payload (`{ event, payload }`). */');
  if (events.length === 0) out.push('export const WebhookEvent = z.never();');
  else {
    const options = events.map((g) => `  z.object({ event: z.literal(${JSON.stringify(g.key)}), payload: ${g.name} }),`);
    out.push("export const WebhookEvent = z.discriminatedUnion('event', [", ...options, ']);');
  }
  out.push('export type WebhookEvent = z.infer<typeof WebhookEvent>;');
  if (untyped.length > 0) {
    out.push('', '/** Payload schemas of captures with no event type, by the path they came to. */', 'export const UntypedPayloads = {');
    for (const g of untyped) out.push(`  ${JSON.stringify(g.key)}: ${g.name},`);
    out.push('};');
  }
  return `${out.join('\n')}\n`;
}

function zodType(node: TypeNode, indent: string): string {
  switch (node.kind) {
    case 'unknown':
      return 'z.unknown()';
    case 'null':
      return 'z.null()';
    case 'boolean':
      return 'z.boolean()';
    case 'integer':
      return 'z.number().int()';
    case 'number':
      return 'z.number()';
    case 'string':
      if (node.values) return node.values.length === 1 ? `z.literal(${JSON.stringify(node.values[0])})` : `z.enum([${quotedList(node.values)}])`;
      if (node.format === 'date-time') return 'z.string().datetime({ offset: true })';
      if (node.format === 'date') return 'z.string().date()';
      if (node.format === 'uri') return 'z.string().url()';
      return 'z.string()';
    case 'array':
      return `z.array(${zodType(node.items, indent)})`;
    case 'object': {
      if (node.fields.length === 0) return 'z.record(z.string(), z.unknown())';
      const inner = `${indent}  `;
      const lines = node.fields.map((f) => `${inner}${propertyName(f.name)}: ${zodType(f.type, inner)}${f.optional ? '.optional()' : ''},`);
      return `z.object({\n${lines.join('\n')}\n${indent}}).passthrough()`;
    }
    case 'union':
      return `z.union([${node.of.map((member) => zodType(member, indent)).join(', ')}])`;
  }
}

const quotedList = (values: string[]) => values.map((v) => JSON.stringify(v)).join(', ');
