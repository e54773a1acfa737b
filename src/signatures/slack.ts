import { headerValue, hmac, same, unixSeconds, withHeaders } from './kit.js';
import type { Scheme } from '../capture/signature.js';

/**
 * Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">` with the app's
 * signing secret, and `X-Slack-Request-Timestamp`. Written from Slack's published rule with
 * node:crypto (the library is inside the Bolt framework); tested against Bolt's verifySlackRequest.
 */
export const slack: Scheme = {
  name: 'slack',
  header: 'X-Slack-Signature',
  read(request) {
    const value = headerValue(request.headers, 'x-slack-signature');
    if (value === undefined) return { kind: 'missing', header: 'X-Slack-Signature' };
    const ts = headerValue(request.headers, 'x-slack-request-timestamp');
    if (ts === undefined) return { kind: 'missing', header: 'X-Slack-Request-Timestamp' };
    if (!/^\d+$/.test(ts.trim())) return { kind: 'malformed', reason: 'X-Slack-Request-Timestamp is not a unix time in seconds' };
    const match = /^v0=([0-9a-fA-F]{64})$/.exec(value.trim());
    if (!match) return { kind: 'malformed', reason: 'X-Slack-Signature is not v0= and 64 hex digits' };
    const signature = Buffer.from(match[1]!, 'hex');
    const timestamp = Number(ts.trim());
    return {
      kind: 'signed',
      pastOnly: true,
      timestamp,
      signature: value,
      matches: (secret, body) => same(signature, hmac('sha256', secret, `v0:${timestamp}:`, body)),
    };
  },
  sign({ headers, body, now }, secret) {
    const timestamp = unixSeconds(now);
    return withHeaders(headers, [
      ['X-Slack-Request-Timestamp', String(timestamp)],
      ['X-Slack-Signature', `v0=${hmac('sha256', secret, `v0:${timestamp}:`, body).toString('hex')}`],
    ]);
  },
};
