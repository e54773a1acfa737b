// An OpenAPI 3.1 document's webhooks: each entry's JSON request body schema, as a JSON pointer into
// the document (Ajv compiles it there, so its `$ref`s into `#/components` resolve), and the event
// types it pins. Local `$ref`s on the way (a path item, a request body) are followed.

type Json = Record<string, unknown>;

export interface WebhookSchema {
  name: string;
  /** The JSON pointer of its schema in the document, `/webhooks/orderCreated/post/requestBody/content/application~1json/schema`. */
  pointer: string;
  pins: string[];
}

/** The webhooks with a JSON request body schema, and the names of those without one. */
export function webhookSchemas(doc: Json, webhooks: Json): { found: WebhookSchema[]; without: string[] } {
  const found: WebhookSchema[] = [];
  const without: string[] = [];
  for (const [name, item] of Object.entries(webhooks)) {
    const at = requestSchemaAt(doc, item, ['webhooks', name]);
    if (at) found.push({ name, pointer: pointerOf(at.path), pins: pinsOf(doc, at.value) });
    else without.push(name);
  }
  return { found, without };
}

const OPERATIONS = ['post', 'put', 'patch', 'delete', 'get', 'options', 'head', 'trace'];
const PIN_KEYS = ['type', 'event', 'event_type'];

/** The request body schema of a path item's operation (POST first), JSON first: where it is and what it holds. */
function requestSchemaAt(doc: Json, item: unknown, path: string[]): { path: string[]; value: unknown } | null {
  const pathItem = follow(doc, item, path);
  if (!isObject(pathItem.value)) return null;
  for (const method of OPERATIONS) {
    const operation = pathItem.value[method];
    if (!isObject(operation) || operation.requestBody === undefined) continue;
    const body = follow(doc, operation.requestBody, [...pathItem.path, method, 'requestBody']);
    const content = isObject(body.value) ? body.value.content : undefined;
    if (!isObject(content)) continue;
    const type = 'application/json' in content ? 'application/json' : Object.keys(content).find((t) => /json/i.test(t));
    const media = type ? content[type] : undefined;
    if (isObject(media) && media.schema !== undefined) return { path: [...body.path, 'content', type!, 'schema'], value: media.schema };
  }
  return null;
}

/** Event types a schema pins: `type`/`event`/`event_type` with `const` or `enum`, in it or in its `allOf`. */
function pinsOf(doc: Json, schema: unknown): string[] {
  const root = follow(doc, schema, []).value;
  if (!isObject(root)) return [];
  const parts = [root, ...(Array.isArray(root.allOf) ? root.allOf.map((s) => follow(doc, s, []).value) : [])];
  const pins: string[] = [];
  for (const part of parts) {
    const properties = isObject(part) ? part.properties : undefined;
    if (!isObject(properties)) continue;
    for (const key of PIN_KEYS) {
      const field = follow(doc, properties[key], []).value;
      if (!isObject(field)) continue;
      if (typeof field.const === 'string') pins.push(field.const);
      if (Array.isArray(field.enum)) pins.push(...field.enum.filter((v): v is string => typeof v === 'string'));
    }
  }
  return pins;
}

/** A value, or what its local `$ref` points at (a few hops at most), with where it is. */
function follow(doc: Json, value: unknown, path: string[]): { path: string[]; value: unknown } {
  let at = { path, value };
  for (let hops = 0; hops < 10 && isObject(at.value) && typeof at.value.$ref === 'string' && at.value.$ref.startsWith('#/'); hops++) {
    const next = at.value.$ref
      .slice(2)
      .split('/')
      .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'));
    at = { path: next, value: next.reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), doc) };
  }
  return at;
}

/** A path as a JSON pointer in a URI fragment: `~` and `/` escaped, then what a URI needs escaped. */
function pointerOf(path: string[]): string {
  return path.map((part) => `/${encodeURIComponent(part.replace(/~/g, '~0').replace(/\//g, '~1'))}`).join('');
}

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
