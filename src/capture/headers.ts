import { HookCatchError } from '../errors.js';

/** A header name (and a method): an HTTP token. */
export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header value: one line of text. */
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Says what is wrong with a header a user gave (flags, API, page, rules). */
export function checkHeader(name: string, value: string): void {
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
