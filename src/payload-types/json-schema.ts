import type { TypeNode } from './infer.js';
import { originText, type TypedGroup } from './typed.js';

// One JSON Schema 2020-12 document: a definition per event type in `$defs`, `x-hook-catch-events`
// naming each event type's definition and sample count (what `hook-catch check --schema` reads to
// pick the schema of a capture's event type), and `oneOf` over them. Untyped captures' definitions
// are named by path in `x-hook-catch-paths`. Optional fields are left out of `required`; no object
// forbids other properties (real payloads gain fields).

type Schema = Record<string, unknown>;

export function jsonSchemaOf(groups: TypedGroup[], title: string): Schema {
  const defs: Record<string, Schema> = {};
  const events: Record<string, Schema> = {};
  const paths: Record<string, Schema> = {};
  for (const g of groups) {
    defs[g.name] = { description: `${originText(g)}.`, ...schemaOf(g.type) };
    const entry = { $ref: `#/$defs/${g.name}`, samples: g.samples, ...(g.provider && { provider: g.provider }) };
    if (g.untyped) paths[g.key] = entry;
    else events[g.key] = entry;
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    'x-hook-catch-events': events,
    ...(Object.keys(paths).length > 0 && { 'x-hook-catch-paths': paths }),
    $defs: defs,
    oneOf: groups.map((g) => ({ $ref: `#/$defs/${g.name}` })),
  };
}

function schemaOf(node: TypeNode): Schema {
  switch (node.kind) {
    case 'unknown':
      return {};
    case 'null':
    case 'boolean':
    case 'integer':
    case 'number':
      return { type: node.kind };
    case 'string':
      if (node.values) return { type: 'string', enum: node.values };
      return node.format ? { type: 'string', format: node.format } : { type: 'string' };
    case 'array':
      return { type: 'array', items: schemaOf(node.items) };
    case 'object': {
      // fromEntries makes each an own property, `__proto__` too.
      const properties = Object.fromEntries(node.fields.map((f) => [f.name, schemaOf(f.type)]));
      const required = node.fields.filter((f) => !f.optional).map((f) => f.name);
      return { type: 'object', properties, ...(required.length > 0 && { required }) };
    }
    case 'union': {
      const members = node.of.map(schemaOf);
      // Plain kinds (`string | null`) read best as one `type` list; anything with more to say as anyOf.
      const plain = members.every((m) => Object.keys(m).length === 1 && typeof m.type === 'string');
      return plain ? { type: members.map((m) => m.type) } : { anyOf: members };
    }
  }
}
