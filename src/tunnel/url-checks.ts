import { HookCatchError } from '../errors.js';

// The checks of the public URL's options, which `start`'s flags make too (so they load nothing else).

export function checkPublicUrl(url: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HookCatchError(`${name} must be a full URL such as https://hooks.example.com; got "${url}".`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new HookCatchError(`${name} must start with https:// or http://; got "${url}".`);
  }
  return url.replace(/\/+$/, '');
}

export function checkBasicAuth(pair: string, name: string): string {
  if (!/^[^:]+:.+$/.test(pair)) throw new HookCatchError(`${name} takes user:password; got "${pair}".`);
  return pair;
}
