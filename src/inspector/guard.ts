import type { IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { isLoopbackName } from '../send/loopback.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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
 * Why the inspector refuses a request, or null when it may go on. Captured webhooks carry secrets,
 * so the inspector answers only this machine:
 * - a Host that is not a loopback name is refused (a DNS-rebinding page cannot read the API);
 * - a state-changing call from another origin is refused (a page cannot delete or replay), and so
 *   is a WebSocket (`changes`: true), which would otherwise let any page read the live stream.
 * Tools that send no Origin (curl, scripts) are this machine's user, and are let through.
 */
export function refusal(headers: IncomingHttpHeaders, port: number, changes: boolean): string | null {
  const host = headers.host;
  if (!host || !isLoopbackName(hostnameOf(host))) return 'The hook-catch inspector answers only loopback host names (127.0.0.1, localhost).';
  if (!changes) return null;
  const origin = headers.origin;
  const site = headers['sec-fetch-site'];
  const foreign = origin !== undefined ? !isOwnOrigin(origin, port) : site === 'cross-site' || site === 'same-site';
  return foreign ? 'Changes and the live stream of the hook-catch inspector are open only to its own page.' : null;
}

/** The express middleware applying `refusal` to every API call (403 with the reason). */
export function loopbackGuard(port: () => number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const refused = refusal(req.headers, port(), !SAFE_METHODS.has(req.method));
    if (refused) {
      res.status(403).json({ error: refused });
      return;
    }
    next();
  };
}
