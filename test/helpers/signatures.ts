import { createHmac, timingSafeEqual } from 'node:crypto';

// Each provider's published signing and verification rule, over the raw body bytes, as their own
// libraries implement them: what a user's app runs on a replayed or forwarded webhook.

type Headers = [string, string][];
const header = (headers: Headers, name: string) => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
const hmac = (secret: string | Buffer, ...parts: (string | Buffer)[]) => {
  const h = createHmac('sha256', secret);
  for (const part of parts) h.update(part);
  return h.digest();
};
const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

export interface Scheme {
  name: string;
  sign(body: Buffer, secret: string): Record<string, string>;
  verify(body: Buffer, headers: Headers, secret: string): boolean;
}

/** Stripe: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, five minutes' tolerance. */
export const stripe: Scheme = {
  name: 'stripe',
  sign(body, secret) {
    const t = Math.floor(Date.now() / 1000);
    return { 'Stripe-Signature': `t=${t},v1=${hmac(secret, `${t}.`, body).toString('hex')}` };
  },
  verify(body, headers, secret) {
    const value = header(headers, 'stripe-signature') ?? '';
    const parts = value.split(',').map((p) => p.split('='));
    const t = parts.find(([k]) => k === 't')?.[1];
    const signatures = parts.filter(([k]) => k === 'v1').map(([, v]) => Buffer.from(v ?? '', 'hex'));
    if (!t || Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
    const expected = hmac(secret, `${t}.`, body);
    return signatures.some((s) => same(s, expected));
  },
};

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. */
export const github: Scheme = {
  name: 'github',
  sign: (body, secret) => ({ 'X-Hub-Signature-256': `sha256=${hmac(secret, body).toString('hex')}` }),
  verify(body, headers, secret) {
    const value = header(headers, 'x-hub-signature-256') ?? '';
    return value.startsWith('sha256=') && same(Buffer.from(value.slice(7), 'hex'), hmac(secret, body));
  },
};

/** Standard Webhooks (and Svix, with `svix-` headers): base64 HMAC of "id.timestamp.body" with the base64 key after `whsec_`. */
export function standardWebhooks(prefix: 'webhook' | 'svix'): Scheme {
  const key = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return {
    name: prefix === 'svix' ? 'svix' : 'standard-webhooks',
    sign(body, secret) {
      const id = 'msg_2a9c7f';
      const ts = String(Math.floor(Date.now() / 1000));
      const signature = hmac(key(secret), `${id}.${ts}.`, body).toString('base64');
      return { [`${prefix}-id`]: id, [`${prefix}-timestamp`]: ts, [`${prefix}-signature`]: `v1,bm90IHRoaXMgb25l v1,${signature}` };
    },
    verify(body, headers, secret) {
      const id = header(headers, `${prefix}-id`);
      const ts = header(headers, `${prefix}-timestamp`);
      const list = header(headers, `${prefix}-signature`) ?? '';
      if (!id || !ts || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
      const expected = hmac(key(secret), `${id}.${ts}.`, body);
      return list.split(' ').some((entry) => entry.startsWith('v1,') && same(Buffer.from(entry.slice(3), 'base64'), expected));
    },
  };
}

/** A plain HMAC-SHA256 of the raw body, hex, in a header of the provider's choosing. */
export const plainHmac: Scheme = {
  name: 'hmac-sha256',
  sign: (body, secret) => ({ 'X-Signature': hmac(secret, body).toString('hex') }),
  verify: (body, headers, secret) => same(Buffer.from(header(headers, 'x-signature') ?? '', 'hex'), hmac(secret, body)),
};

export const SCHEMES: Scheme[] = [stripe, github, standardWebhooks('webhook'), standardWebhooks('svix'), plainHmac];
