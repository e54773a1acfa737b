import type { IncomingMessage } from 'node:http';
import { viewBody } from '../capture/body-view.js';
import { splitTarget } from '../capture/capture.js';
import type { BodyTap } from './body-tap.js';
import { findWebhookUrl, isLocalUrl, replaceInJson, replaceInQuery, rewrittenUrl, type FoundUrl } from './webhook-url.js';

/** How a submit was changed by --rewrite-webhook-url (or, with nothing to change, the body it read). */
export interface Rewrite {
  /** The webhook URL the app gave (its own), and where. */
  found: FoundUrl | null;
  /** The URL the provider was given instead. */
  to?: string;
  /** The request target sent on (when the URL was in the query). */
  target?: string;
  /** The body sent on: read whole to look into it (a JSON body within --max-body), changed or not. */
  body?: Buffer;
}

/**
 * With --rewrite-webhook-url: finds the webhook URL the app gives (query, then a JSON body read
 * whole when it is within `maxBody`) and, when it names the app's own machine, replaces it with
 * hook-catch's base URL (the public URL) keeping the app's path and query. Other bodies stream by.
 */
export async function planRewrite(
  req: IncomingMessage,
  target: string,
  contentType: string | null,
  tap: BodyTap,
  maxBody: number,
  base: () => string,
): Promise<Rewrite> {
  const { query } = splitTarget(target);
  const inQuery = findWebhookUrl(query, undefined);
  if (inQuery) {
    if (!isLocalUrl(inQuery.url)) return { found: inQuery };
    const to = rewrittenUrl(inQuery.url, base());
    return { found: inQuery, to, target: replaceInQuery(target, inQuery.at.slice('query.'.length), to) };
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (!/json/i.test(contentType ?? '') || !(declared <= maxBody)) return { found: null };
  const body = await readAll(req, tap);
  const found = findWebhookUrl([], viewBody({ body, bodyDiscarded: false, headers: [['Content-Type', contentType ?? '']], contentType }, maxBody).value);
  if (!found || !isLocalUrl(found.url)) return { found, body };
  const to = rewrittenUrl(found.url, base());
  const changed = replaceInJson(body, found.url, to);
  return changed ? { found, to, body: changed } : { found, body };
}

function readAll(req: IncomingMessage, tap: BodyTap): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      tap.push(chunk);
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
