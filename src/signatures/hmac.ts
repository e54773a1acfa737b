import { decodeDigest, headerValue, hmac, same, withHeaders } from './kit.js';
import type { Scheme, SignedRequest } from '../capture/signature.js';

/**
 * A plain HMAC of the raw body in a header of the provider's choosing (`--verify-header`), hex or
 * base64, with or without an `sha256=` / `sha1=` prefix. node:crypto: there is nothing to depend on.
 */
function plainHmac(algorithm: 'sha256' | 'sha1'): Scheme {
  const bytes = algorithm === 'sha256' ? 32 : 20;
  const digestOf = (value: string) => decodeDigest(value.trim().replace(/^(sha256|sha1)=/i, ''), bytes);
  return {
    name: `hmac-${algorithm}`,
    header: 'X-Signature',
    read(request, context) {
      const name = context.header ?? findHeader(request, digestOf);
      const value = name ? headerValue(request.headers, name) : undefined;
      if (value === undefined) return { kind: 'missing', header: context.header ?? 'a signature header (name it with --verify-header)' };
      const signature = digestOf(value);
      if (!signature) return { kind: 'malformed', reason: `${name} is not a hex or base64 HMAC-${algorithm.toUpperCase()}` };
      return { kind: 'signed', signature: value, matches: (secret, body) => same(signature, hmac(algorithm, secret, body)) };
    },
    sign({ headers, body, header }, secret) {
      const name = header ?? findHeader({ headers } as SignedRequest, digestOf) ?? 'X-Signature';
      const old = headerValue(headers, name)?.trim() ?? '';
      const prefix = /^(sha256|sha1)=/i.exec(old)?.[0] ?? '';
      const digest = hmac(algorithm, secret, body);
      const base64 = old !== '' && !/^[0-9a-fA-F]+$/.test(old.slice(prefix.length));
      return withHeaders(headers, [[name, prefix + digest.toString(base64 ? 'base64' : 'hex')]]);
    },
  };
}

/** The first header whose name speaks of a signature and whose value reads as a digest of the right size. */
function findHeader(request: Pick<SignedRequest, 'headers'>, digestOf: (value: string) => Buffer | null): string | null {
  for (const [name, value] of request.headers) {
    if (/sign|hmac|digest/i.test(name) && digestOf(value)) return name;
  }
  return null;
}

export const hmacSha256 = plainHmac('sha256');
export const hmacSha1 = plainHmac('sha1');
