import { HookCatchError } from '../errors.js';
import type { Edits } from '../capture/records.js';
import { checkHeader, TOKEN } from '../capture/headers.js';

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
    if (name.toLowerCase() === 'host' && !HOST.test(value))
      throw new HookCatchError(`Host must name a host, such as app.test or app.test:8080; got "${value}".`);
  }
  for (const name of edits.removeHeaders ?? []) checkHeader(name, '');
  return edits;
}
