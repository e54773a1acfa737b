import { createHash } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';
import { headerValue, hmac, same, withHeaders } from './kit.js';
import type { Scheme } from '../capture/signature.js';

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
  signsUrl: true,
  read(request, context) {
    const value = headerValue(request.headers, 'x-twilio-signature');
    if (value === undefined) return { kind: 'missing', header: 'X-Twilio-Signature' };
    const signature = Buffer.from(value.trim(), 'base64');
    if (signature.length !== 20) return { kind: 'malformed', reason: 'X-Twilio-Signature is not a base64 SHA-1 digest' };
    const bodyHash = new URL(request.url, 'http://x').searchParams.get('bodySHA256');
    const urls = [...new Set(context.urls.flatMap(signedForms))];
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

/**
 * The forms of `url` Twilio may have signed, as its own validateRequest tries them: as received
 * without any port and with the default one; then as `new URL()` writes it (a ' in the query
 * becomes %27), both ways, and that with its query re-encoded as node:querystring does.
 */
function signedForms(url: string): string[] {
  const forms = [removePort(url), addPort(url)];
  let normalized: string;
  try {
    normalized = new URL(url).href;
  } catch {
    return forms;
  }
  for (const form of [removePort(normalized), addPort(normalized)]) forms.push(form, legacyQuery(form));
  return [...new Set(forms)];
}

/** The parts of an absolute URL, split without normalizing (the path and query as they are). */
function splitUrl(url: string) {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!match) return null;
  const [prefix, scheme, authority] = match as unknown as [string, string, string];
  const at = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(at + 1);
  // A colon starts the port only after an IPv6 literal's closing bracket.
  const colon = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, at + 1),
    host: colon === -1 ? hostAndPort : hostAndPort.slice(0, colon),
    port: colon === -1 ? '' : hostAndPort.slice(colon),
    rest: url.slice(prefix.length),
  };
}

function removePort(url: string): string {
  const parts = splitUrl(url);
  return parts ? parts.scheme + parts.userInfo + parts.host + parts.rest : url;
}

function addPort(url: string): string {
  const parts = splitUrl(url);
  if (!parts || parts.port) return url;
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}

function legacyQuery(url: string): string {
  const at = url.indexOf('?');
  if (at === -1 || at === url.length - 1) return url;
  return `${url.slice(0, at)}?${stringifyQuery(parseQuery(url.slice(at + 1)))}`;
}
