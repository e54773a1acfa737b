import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import { HookCatchError } from '../errors.js';
import { isLoopbackName } from './loopback.js';

/** A URL to send to (http or https), or a HookCatchError naming `flag` and saying what to give. */
export function parseTarget(text: string, flag: string): URL {
  let url: URL;
  try {
    // `localhost:3000/hook` and `app.test` mean http; anything else with a scheme is read as it is.
    const bare = !/^[a-z][a-z0-9+.-]*:/i.test(text) || /^[^/:]+:\d+(\/|$)/.test(text);
    url = new URL(bare ? `http://${text}` : text);
  } catch {
    throw new HookCatchError(`${flag} must be a URL such as http://localhost:3000; got "${text}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HookCatchError(`${flag} must be an http:// or https:// URL; got "${text}".`);
  }
  if (url.username || url.password) {
    throw new HookCatchError(`${flag} must not carry a user and password: set an Authorization header instead.`);
  }
  return url;
}

/** Where hook-catch itself listens: a target there would send each webhook back to itself. */
export interface OwnAddresses {
  ports: number[];
  /** The public URL (a tunnel to the receiver), when there is one. */
  publicUrl: string | null;
}

/**
 * Why `url` is hook-catch itself (its receiver or inspector, directly or through its public URL),
 * or null when it is somewhere else. Names are looked up, so another name for this machine counts.
 */
export async function loopReason(url: URL, own: OwnAddresses): Promise<string | null> {
  const said = `${url.origin} is this hook-catch itself`;
  if (own.publicUrl && url.origin === new URL(own.publicUrl).origin) {
    return `${said} (its public URL): sending there would loop. Give your app's URL.`;
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (!own.ports.includes(port)) return null;
  if (!(await isThisMachine(url.hostname))) return null;
  return `${said} (port ${port} is its own): sending there would loop. Give your app's URL.`;
}

async function isThisMachine(hostname: string): Promise<boolean> {
  const name = hostname.replace(/^\[|\]$/g, '');
  if (isLoopbackName(name) || name === '0.0.0.0' || name === '::') return true;
  const local = new Set(Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address)));
  try {
    const addresses = await lookup(name, { all: true });
    return addresses.some(({ address }) => local.has(address) || isLoopbackName(address) || address === '0.0.0.0');
  } catch {
    return false; // a name that does not resolve is not us; sending says it cannot be found
  }
}

/**
 * A provider's API base URL (`--provider`): a URL with its scheme said, since an API key must not
 * go out over plain http because a scheme was left out.
 */
export function parseProviderUrl(text: string, flag: string): URL {
  if (!/^https?:\/\//i.test(text)) {
    throw new HookCatchError(`${flag} must be the API's base URL with its scheme, such as https://api.example.com; got "${text}".`);
  }
  const url = parseTarget(text, flag);
  if (url.search || url.hash) throw new HookCatchError(`${flag} is a base URL: no query or fragment; got "${text}".`);
  return url;
}
