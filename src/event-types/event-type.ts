import { viewBody } from '../capture/body-view.js';
import type { CapturedRequest } from '../capture/capture.js';
import { knownJson } from '../capture/parsed-json.js';
import type { EventType } from '../capture/shapes.js';
import { applyRule, type JobIdRule, parseRule } from '../jobs/extract.js';
import { isStatusKey, statusOfWord } from '../jobs/status-words.js';
import { GENERIC_HEADERS, KNOWN_PROVIDERS, word } from './known.js';

// What kind of event a capture is, told as it arrives (it costs about a microsecond: see the bench),
// in this order: the user's own rules (--event-path), a provider's header (X-GitHub-Event,
// X-Shopify-Topic; Stripe-Signature and the body's `type` …), a header that names an event, a body
// field (`type`, `event`, `event_type`, CloudEvents), and last the status word a job's webhook
// carries (`"status": "Succeeded"`). Bodies are read only when already parsed or a form.

/** A user rule (`--event-path`): `[provider=]source.path[+source.path…]`, e.g. `acme=body.resource+body.action`. */
export interface EventRule {
  text: string;
  provider?: string;
  parts: JobIdRule[];
}

/** Reads a rule; `name` is what the caller calls the setting (`--event-path`, `eventPaths`). */
export function parseEventRule(text: string, name = 'eventPaths'): EventRule {
  const eq = text.indexOf('=');
  const provider = eq > 0 ? text.slice(0, eq).trim() : undefined;
  const rest = eq > 0 ? text.slice(eq + 1) : text;
  const parts = rest.split('+').map((part) => parseRule(part.trim(), name));
  return { text, ...(provider && { provider }), parts };
}

export type EventTyper = (request: CapturedRequest) => EventType | null;

const KNOWN_LENGTHS = new Set([...KNOWN_PROVIDERS.keys(), ...GENERIC_HEADERS].map((name) => name.length));
const GENERIC = new Set(GENERIC_HEADERS);
const BODY_KEYS = ['type', 'event_type', 'eventType', 'event'];

/** The event typer of a running hook-catch: the user's rules first, then what hook-catch knows. */
export function createEventTyper(rules: EventRule[] = []): EventTyper {
  return (request) => {
    if (request.refusal || request.outbound || request.poll) return null;
    let parsed: { value: unknown } | null = null;
    const body = () => (parsed ??= { value: bodyOf(request) }).value;
    for (const rule of rules) {
      const type = ruleType(rule, request, body);
      if (type) return eventType(type, rule.provider, `rule ${rule.text}`);
    }
    return fromHeaders(request, body) ?? fromBody(body());
  };
}

function ruleType(rule: EventRule, request: CapturedRequest, body: () => unknown): string | null {
  const words: string[] = [];
  for (const part of rule.parts) {
    const value = applyRule(part, request, part.source === 'body' ? body() : undefined);
    const w = typeof value === 'number' ? String(value) : word(value);
    if (!w) return null;
    words.push(w);
  }
  return words.join('.');
}

function fromHeaders(request: CapturedRequest, body: () => unknown): EventType | null {
  let provider: string | undefined;
  for (const [name, value] of request.headers) {
    if (!KNOWN_LENGTHS.has(name.length)) continue;
    const lower = name.toLowerCase();
    const known = KNOWN_PROVIDERS.get(lower);
    if (known) {
      const type = known.read(value, body());
      if (type) return eventType(type, known.provider, known.from);
      provider ??= known.provider;
    } else if (GENERIC.has(lower) && word(value)) return eventType(value, provider, `header ${name}`);
  }
  const found = fromBody(body());
  return found && provider && !found.provider ? eventType(found.type, provider, found.from) : found;
}

/** A body field that names the event, or else the status word a job's webhook carries. */
function fromBody(body: unknown): EventType | null {
  if (typeof body !== 'object' || body === null) return null;
  if (Array.isArray(body)) {
    const first: unknown = body[0];
    const found = typeof first === 'object' && first !== null && !Array.isArray(first) ? namedIn(first as Record<string, unknown>, 'body[0]') : null;
    return found;
  }
  const object = body as Record<string, unknown>;
  if (typeof object.specversion === 'string' && word(object.type)) return eventType(object.type as string, 'cloudevents', 'body.type (CloudEvents)');
  return namedIn(object, 'body') ?? statusWordIn(object);
}

function namedIn(object: Record<string, unknown>, at: string): EventType | null {
  for (const key of BODY_KEYS) {
    const value = object[key];
    const w = word(value);
    if (w) return eventType(w, undefined, `${at}.${key}`);
    if (key === 'event' && typeof value === 'object' && value !== null) {
      const inner = word((value as Record<string, unknown>).type);
      if (inner) return eventType(inner, undefined, `${at}.event.type`);
    }
  }
  return null;
}

/** `"status": "Succeeded"` at the top, or one object down (`data.status`): the job's status word. */
function statusWordIn(object: Record<string, unknown>): EventType | null {
  let below: [string, Record<string, unknown>] | null = null;
  for (const key in object) {
    const value = object[key];
    if (typeof value === 'string') {
      if (isStatusKey(normalized(key)) && statusOfWord(value) && word(value)) return eventType(value, undefined, `body.${key} (status word)`);
    } else if (below === null && typeof value === 'object' && value !== null && !Array.isArray(value)) below = [key, value as Record<string, unknown>];
  }
  if (!below) return null;
  for (const key in below[1]) {
    const value = below[1][key];
    if (typeof value === 'string' && isStatusKey(normalized(key)) && statusOfWord(value) && word(value)) {
      return eventType(value, undefined, `body.${below[0]}.${key} (status word)`);
    }
  }
  return null;
}

const normalized = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The parsed body: the receiver's parse of a JSON body, or a form's fields (GitHub's `payload=`
 * form: the payload). A JSON body sent compressed is read through body-view (bounded).
 */
export function bodyOf(request: CapturedRequest): unknown {
  const { body } = request;
  if (body.length === 0 || request.bodyDiscarded) return undefined;
  const known = knownJson(body);
  if (known !== undefined) return known;
  const type = request.contentType?.toLowerCase() ?? '';
  if (!type.includes('json') && !type.includes('form-urlencoded')) return undefined;
  const { value, format } = viewBody(request, 256 * 1024);
  if (format === 'form' && typeof value === 'object' && value !== null) {
    const payload = (value as Record<string, unknown>).payload;
    return typeof payload === 'object' && payload !== null ? payload : value;
  }
  return value;
}

/** One shared object per kind of event: they repeat from capture to capture, and the index keeps them. */
const shared = new Map<string, EventType>();
function eventType(type: string, provider: string | undefined, from: string): EventType {
  const key = `${provider ?? ''}\u0000${type}\u0000${from}`;
  let found = shared.get(key);
  if (!found) {
    found = provider ? { type, provider, from } : { type, from };
    if (shared.size < 10_000) shared.set(key, found);
  }
  return found;
}
