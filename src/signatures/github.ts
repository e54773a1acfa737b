import { sign as signSha256, verify as verifySha256 } from '@octokit/webhooks-methods';
import { headerValue, hmac, same, withHeaders } from './kit.js';
import type { Scheme } from '../capture/signature.js';

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`, checked and made by
 * @octokit/webhooks-methods (GitHub's own, no dependencies). When only the legacy
 * `X-Hub-Signature: sha1=<hex>` came, that is checked with node:crypto (octokit no longer does SHA-1).
 */
export const github: Scheme = {
  name: 'github',
  header: 'X-Hub-Signature-256',
  read(request) {
    const sha256 = headerValue(request.headers, 'x-hub-signature-256');
    if (sha256 !== undefined) {
      if (!/^sha256=[0-9a-fA-F]{64}$/.test(sha256.trim())) return { kind: 'malformed', reason: 'X-Hub-Signature-256 is not sha256= and 64 hex digits' };
      return {
        kind: 'signed',
        signature: sha256,
        // octokit signs text: a body that is not UTF-8 cannot be one GitHub sent, and fails as it should.
        matches: (secret, body) => {
          const sent = sha256.trim().toLowerCase();
          // octokit refuses an empty body (GitHub never sends one); the same HMAC by hand then.
          if (body.length === 0) return sent === `sha256=${hmac('sha256', secret, body).toString('hex')}`;
          return verifySha256(secret, body.toString('utf8'), sent);
        },
      };
    }
    const sha1 = headerValue(request.headers, 'x-hub-signature');
    if (sha1 === undefined) return { kind: 'missing', header: 'X-Hub-Signature-256' };
    const match = /^sha1=([0-9a-fA-F]{40})$/.exec(sha1.trim());
    if (!match) return { kind: 'malformed', reason: 'X-Hub-Signature is not sha1= and 40 hex digits' };
    const signature = Buffer.from(match[1]!, 'hex');
    return {
      kind: 'signed',
      signature: sha1,
      note: 'legacy SHA-1 header (X-Hub-Signature); GitHub also sends X-Hub-Signature-256',
      matches: (secret, body) => same(signature, hmac('sha1', secret, body)),
    };
  },
  async sign({ headers, body }, secret) {
    const sha256 = body.length === 0 ? `sha256=${hmac('sha256', secret, body).toString('hex')}` : await signSha256(secret, body.toString('utf8'));
    const set: [string, string][] = [['X-Hub-Signature-256', sha256]];
    if (headerValue(headers, 'x-hub-signature') !== undefined) set.push(['X-Hub-Signature', `sha1=${hmac('sha1', secret, body).toString('hex')}`]);
    return withHeaders(headers, set);
  },
};
