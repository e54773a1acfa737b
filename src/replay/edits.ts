import { HookCatchError } from '../errors.js';
import type { Edits } from '../capture/records.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const HOST = /^[^\s/?#@]+$/;

/** Checks edits a user gave (flags, API, page) so that what is sent is a valid HTTP request; says what is wrong. */
export function checkEdits(edits: Edits): Edits {
  if (edits.method !== undefined && !TOKEN.test(edits.method)) {
    throw new HookCatchError(`The method must be one word such as POST; got "${edits.method}".`);
  }
  if (edits.path !== undefined && !/^\/[^\s]*$/.test(edits.path)) {
    throw new HookCatchError(`The path must start with / and hold no spaces, such as /webhook?x=1; got "${edits.path}".`);
  }
  for (const [name, value] of [...(edits.headers ?? []), ...(edits.setHeaders ?? [])]) {
    checkHeader(name, value);
    // A Host set is sent as given (an app behind a virtual host): it must name one.
    if (name.toLowerCase() === 'host' && !HOST.test(value)) throw new HookCatchError(`Host must name a host, such as app.test or app.test:8080; got "${value}".`);
  }
  for (const name of edits.removeHeaders ?? []) checkHeader(name, '');
  return edits;
}

function checkHeader(name: string, value: string): void {
  if (typeof name !== 'string' || !TOKEN.test(name)) throw new HookCatchError(`"${name}" is not a header name (letters, digits and -).`);
  if (typeof value !== 'string' || !VALUE.test(value)) throw new HookCatchError(`The value of header ${name} must be one line of text.`);
}

/** `Name: value` or `Name:value` (a flag's text) as a pair. */
export function parseHeader(text: string, flag: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new HookCatchError(`${flag} takes Name:value, such as "X-Env: staging"; got "${text}".`);
  const pair: [string, string] = [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
  checkHeader(pair[0], pair[1]);
  return pair;
}
