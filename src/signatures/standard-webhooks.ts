import { Webhook } from 'standardwebhooks';
import { headerValue, same, unixSeconds, withHeaders } from './kit.js';
import type { Scheme, SchemeName } from '../capture/signature.js';

/**
 * Standard Webhooks, and Svix (the same rule with `svix-` headers): `<prefix>-signature` holds one
 * or more space-separated `v1,<base64>`, each an HMAC-SHA256 of `<id>.<timestamp>.<body>` with the
 * key that follows `whsec_` in base64. Signatures are made by the `standardwebhooks` library (the
 * specification's own, two small dependencies); hook-catch compares them and judges the timestamp
 * against the moment the request arrived. Svix may send the unbranded `webhook-` headers instead
 * (its library reads each `svix-` header, else the `webhook-` one): so does its scheme here.
 */
function standardScheme(name: SchemeName, prefix: 'webhook' | 'svix'): Scheme {
  type Part = 'id' | 'timestamp' | 'signature';
  const own = { id: `${prefix}-id`, timestamp: `${prefix}-timestamp`, signature: `${prefix}-signature` };
  const unbranded = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' };
  /** The header a part is in, in these headers: the scheme's own name unless only the unbranded one is there. */
  const nameOf = (list: [string, string][], part: Part) =>
    headerValue(list, own[part]) === undefined && headerValue(list, unbranded[part]) !== undefined ? unbranded[part] : own[part];
  const hooks = new Map<string, Webhook>();
  const problem = `a ${name === 'svix' ? 'Svix' : 'Standard Webhooks'} secret is whsec_ followed by base64, as the provider's dashboard shows it`;
  const webhook = (secret: string) => {
    let hook = hooks.get(secret);
    if (hook) return hook;
    try {
      hook = new Webhook(secret);
    } catch {
      throw new Error(problem); // the library's own message may quote the secret
    }
    if (hooks.size >= 64) hooks.clear(); // secrets tried one by one (`verify`, the page) do not pile up
    hooks.set(secret, hook);
    return hook;
  };
  const signatureOf = (secret: string, id: string, timestamp: number, body: Buffer) =>
    webhook(secret)
      .sign(id, new Date(timestamp * 1000), body.toString('utf8'))
      .slice(3);
  /** Whether `secret` can be a key at all: a mismatch is also tried with the secrets of other rules (Stripe's whsec_… is not base64). */
  const usable = (secret: string) => {
    try {
      webhook(secret);
      return true;
    } catch {
      return false;
    }
  };
  return {
    name,
    header: own.signature,
    read(request) {
      const headers = { id: nameOf(request.headers, 'id'), timestamp: nameOf(request.headers, 'timestamp'), signature: nameOf(request.headers, 'signature') };
      const list = headerValue(request.headers, headers.signature);
      if (list === undefined) return { kind: 'missing', header: headers.signature };
      const id = headerValue(request.headers, headers.id);
      const ts = headerValue(request.headers, headers.timestamp);
      if (id === undefined) return { kind: 'missing', header: headers.id };
      if (ts === undefined) return { kind: 'missing', header: headers.timestamp };
      if (!/^\d+$/.test(ts.trim())) return { kind: 'malformed', reason: `${headers.timestamp} is not a unix time in seconds` };
      const sent = list
        .split(' ')
        .filter((entry) => entry.startsWith('v1,'))
        .map((entry) => entry.slice(3));
      if (sent.length === 0) return { kind: 'malformed', reason: `${headers.signature} has no v1, signature` };
      const timestamp = Number(ts.trim());
      return {
        kind: 'signed',
        timestamp,
        signature: list,
        matches: (secret, body) => {
          if (!usable(secret)) return false;
          const expected = signatureOf(secret, id, timestamp, body);
          const wanted = Buffer.from(expected);
          return sent.some((signature) => same(Buffer.from(signature), wanted));
        },
      };
    },
    sign({ headers: list, body, now }, secret) {
      // The names the request came with (Svix's unbranded ones stay unbranded).
      const names = prefix === 'svix' && nameOf(list, 'signature') === unbranded.signature ? unbranded : own;
      const id = headerValue(list, names.id) ?? `msg_${now.toString(36)}`;
      const timestamp = unixSeconds(now);
      return withHeaders(list, [
        [names.id, id],
        [names.timestamp, String(timestamp)],
        [names.signature, `v1,${signatureOf(secret, id, timestamp, body)}`],
      ]);
    },
    secretProblem(secret) {
      return usable(secret) ? null : problem;
    },
  };
}

export const standardWebhooks = standardScheme('standard-webhooks', 'webhook');
export const svix = standardScheme('svix', 'svix');
