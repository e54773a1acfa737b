import type { NextFunction, Request, Response } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for names that can only mean this machine: localhost, *.localhost, 127.x.x.x, ::1. */
export function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

/** The host name of a Host header value ("127.0.0.1:4040", "[::1]:4040"), without the port. */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** True when `origin` is a page served by this inspector itself (loopback name, same port). */
export function isOwnOrigin(origin: string, port: number): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && isLoopbackName(url.hostname) && Number(url.port || 80) === port;
  } catch {
    return false;
  }
}

/**
 * Captured webhooks carry secrets, so the inspector answers only this machine:
 * - a Host that is not a loopback name is refused (a DNS-rebinding page cannot read the API);
 * - a state-changing call from another origin is refused (a page cannot delete or replay).
 */
export function loopbackGuard(port: () => number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const host = req.headers.host;
    if (!host || !isLoopbackName(hostnameOf(host))) {
      res.status(403).json({ error: 'The hook-catch inspector answers only loopback host names (127.0.0.1, localhost).' });
      return;
    }
    if (!SAFE_METHODS.has(req.method)) {
      const origin = req.headers.origin;
      const site = req.headers['sec-fetch-site'];
      const foreign = origin !== undefined ? !isOwnOrigin(origin, port()) : site === 'cross-site' || site === 'same-site';
      if (foreign) {
        res.status(403).json({ error: 'Changes through the hook-catch inspector are accepted only from its own page.' });
        return;
      }
    }
    next();
  };
}
