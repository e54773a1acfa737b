import { createHash } from 'node:crypto';
import { headerValue, hmac, same, withHeaders } from './kit.js';
import type { Scheme } from './types.js';

/**
 * Twilio: `X-Twilio-Signature: <base64 HMAC-SHA1>` with the account's auth token, over the full URL
 * Twilio called followed by each POST form parameter (names sorted, name then value). A JSON body
 * is not signed itself: its SHA-256 is in the URL's `bodySHA256` parameter. Written from Twilio's
 * published rule with node:crypto (the library is the whole Twilio SDK); tested against its
 * validateRequest and getExpectedTwilioSignature.
 */
export const twilio: Scheme = {
  name: 'twilio',
  header: 'X-Twilio-Signature',
  read(request, context) {
    const value = headerValue(request.headers, 'x-twilio-signature');
    if (value === undefined) return { kind: 'missing', header: 'X-Twilio-Signature' };
    const signature = Buffer.from(value.trim(), 'base64');
    if (signature.length !== 20) return { kind: 'malformed', reason: 'X-Twilio-Signature is not a base64 SHA-1 digest' };
    const bodyHash = new URL(request.url, 'http://x').searchParams.get('bodySHA256');
    const urls = context.urls.flatMap(withAndWithoutPort);
    return {
      kind: 'signed',
      signature: value,
      alsoSigned: urls.length ? `URL (checked ${context.urls[0]})` : undefined,
      matches: (secret, body) => {
        const params = bodyHash === null ? formParams(body, request.contentType) : '';
        const urlSigned = urls.some((url) => same(signature, hmac('sha1', secret, url, params)));
        return urlSigned && (bodyHash === null || bodyHash.toLowerCase() === sha256Hex(body));
      },
      bodyDiffers: bodyHash === null ? undefined : (body) => bodyHash.toLowerCase() !== sha256Hex(body),
    };
  },
  sign({ headers, body, url, contentType }, secret) {
    const signed = new URL(url);
    if (!isForm(contentType)) signed.searchParams.set('bodySHA256', sha256Hex(body));
    const params = isForm(contentType) ? formParams(body, contentType) : '';
    return withHeaders(headers, [['X-Twilio-Signature', hmac('sha1', secret, signed.href, params).toString('base64')]]);
  },
  signedUrl(url, body, contentType) {
    if (isForm(contentType)) return url;
    const signed = new URL(url);
    signed.searchParams.set('bodySHA256', sha256Hex(body));
    return signed.href;
  },
};

const isForm = (contentType: string | null) => (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
const sha256Hex = (body: Buffer) => createHash('sha256').update(body).digest('hex');

/** `name` + `value` for each form parameter, names sorted, a name's distinct values sorted (as Twilio's library does). */
function formParams(body: Buffer, contentType: string | null): string {
  if (!isForm(contentType) || body.length === 0) return '';
  const byName = new Map<string, Set<string>>();
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    if (!byName.has(name)) byName.set(name, new Set());
    byName.get(name)!.add(value);
  }
  let out = '';
  for (const name of [...byName.keys()].sort()) for (const value of [...byName.get(name)!].sort()) out += name + value;
  return out;
}

/** Twilio may have signed the URL with or without its default port. */
function withAndWithoutPort(url: string): string[] {
  const match = /^(https?):\/\/([^/?#]+)(.*)$/.exec(url);
  if (!match) return [url];
  const [, scheme, authority, rest] = match;
  const port = scheme === 'https' ? '443' : '80';
  const bare = authority!.replace(new RegExp(`:${port}$`), '');
  return bare === authority ? [url, `${scheme}://${authority}:${port}${rest}`] : [url, `${scheme}://${bare}${rest}`];
}
