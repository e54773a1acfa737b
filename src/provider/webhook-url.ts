import { isLoopbackName } from '../send/loopback.js';

// Where the app told the provider to send its webhook: a query parameter (`?webhook=`,
// `callback_url=`) or a field of a JSON body (`callback_url`, `webhook.url`), and, with
// `--rewrite-webhook-url`, that URL swapped for hook-catch's own when it names the app's machine.

/** Keys (normalized: lower case, no `_` or `-`) whose value is a webhook URL. */
const URL_KEYS = new Set(['webhook', 'webhookurl', 'callback', 'callbackurl', 'notifyurl', 'notificationurl', 'hookurl', 'statuscallback']);
/** Objects whose `url` is a webhook URL (`webhook.url`). */
const URL_PARENTS = new Set(['webhook', 'callback', 'notification', 'notify', 'hook']);
const DEPTH = 4;

const normalize = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');
const isUrl = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\/[^\s]+$/i.test(value);

export interface FoundUrl {
  url: string;
  /** `query.webhook`, `body.webhook.url`. */
  at: string;
}

/** The webhook URL a submit names, in its query first, then in its JSON body; null when it names none. */
export function findWebhookUrl(query: [string, string][], json: unknown): FoundUrl | null {
  for (const [name, value] of query) if (URL_KEYS.has(normalize(name)) && isUrl(value)) return { url: value, at: `query.${name}` };
  return findInBody(json, 'body', '', 0);
}

function findInBody(value: unknown, path: string, under: string, depth: number): FoundUrl | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || depth > DEPTH) return null;
  const entries = Object.entries(value);
  for (const [key, child] of entries) {
    const k = normalize(key);
    if (isUrl(child) && (URL_KEYS.has(k) || (k === 'url' && URL_PARENTS.has(under)))) return { url: child, at: `${path}.${key}` };
  }
  for (const [key, child] of entries) {
    const found = findInBody(child, `${path}.${key}`, normalize(key), depth + 1);
    if (found) return found;
  }
  return null;
}

/** True for a URL that names the app's own machine: only the app can reach it, never the provider. */
export function isLocalUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return isLoopbackName(host) || host === '0.0.0.0' || host === 'host.docker.internal';
  } catch {
    return false;
  }
}

/** The URL the provider is given instead of `local`: hook-catch's base URL with the app's path and query. */
export function rewrittenUrl(local: string, base: string): string {
  const app = new URL(local);
  return `${base.replace(/\/+$/, '')}${app.pathname}${app.search}`;
}

/** The request target with one query parameter's value replaced (the rest byte for byte); `raw`: the value as it is, not encoded. */
export function replaceInQuery(target: string, name: string, value: string, raw = false): string {
  const q = target.indexOf('?');
  if (q === -1) return target;
  const pairs = target.slice(q + 1).split('&');
  let done = false;
  const out = pairs.map((pair) => {
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    if (done || decode(key) !== name) return pair;
    done = true;
    return `${key}=${raw ? value : encodeURIComponent(value)}`;
  });
  return `${target.slice(0, q)}?${out.join('&')}`;
}

/**
 * A JSON body with the string `from` replaced by `to` where it stands as a value, the rest of the
 * bytes untouched; null when `from` is not there as written by JSON.stringify (then the body is
 * sent as the app wrote it).
 */
export function replaceInJson(body: Buffer, from: string, to: string): Buffer | null {
  const text = body.toString('utf8');
  const literal = JSON.stringify(from);
  const at = text.indexOf(literal);
  if (at === -1) return null;
  return Buffer.from(text.slice(0, at) + JSON.stringify(to) + text.slice(at + literal.length));
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
