import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isHopByHop } from '../send/outgoing.js';

/** Where the provider is: its base URL (`--provider`), and keep-alive connections to it. */
export class Upstream {
  private readonly agent: HttpAgent;
  private readonly basePath: string;

  constructor(readonly base: URL) {
    const options = { keepAlive: true, maxSockets: 256 };
    this.agent = base.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
    this.basePath = base.pathname.replace(/\/+$/, '');
  }

  /** The provider's base URL as the user gave it, without a trailing slash. */
  get href(): string {
    return `${this.base.origin}${this.basePath}`;
  }

  /**
   * Opens the call: the app's method, its path and query below the base URL as it sent them (not
   * re-encoded), its headers in order and case, less those about its connection to hook-catch, and
   * Host naming the provider. TLS to an https provider, with its certificate checked.
   */
  open(method: string, target: string, rawHeaders: string[], bodyLength: number | null): ClientRequest {
    const headers: string[] = ['Host', this.base.host];
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!;
      if (isHopByHop(name)) continue;
      if (bodyLength !== null && name.toLowerCase() === 'content-length') continue;
      headers.push(name, rawHeaders[i + 1]!);
    }
    if (bodyLength !== null) headers.push('Content-Length', String(bodyLength));
    const https = this.base.protocol === 'https:';
    return (https ? httpsRequest : httpRequest)({
      protocol: this.base.protocol,
      hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
      port: this.base.port || (https ? 443 : 80),
      method,
      path: this.basePath + (target.startsWith('/') ? target : `/${target}`),
      headers,
      setHost: false,
      agent: this.agent,
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The provider's answer headers as the app gets them: as sent, less those about the connection. */
export function answerHeaders(answer: IncomingMessage): string[] {
  const out: string[] = [];
  const raw = answer.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (!isHopByHop(raw[i]!)) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

export function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}
